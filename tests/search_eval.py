"""搜索质量评测：测试集（data/search/queries.yml）、命中规则、recall@k 与 MRR，以及浏览器驱动。

评测只通过真实的搜索框进行：在页面上键入查询，等结果列表更新，按列表呈现的顺序读出结果链接。
浏览器测试（tests/browser/test_search_quality.py）和基准脚本（bench/search_bench.py）共用这里的代码。
"""

from __future__ import annotations

import dataclasses
import json
import re
import statistics
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from studycol.yamlsrc import DataError, SourceError, load_yaml_file, validate

_LOCATION_RE = re.compile(r"^(?:[a-z0-9_\-]+/)*(?:#[A-Za-z][\w\-:.]*)?$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Query(_Strict):
    q: str = Field(min_length=1)
    expect: list[str] = Field(min_length=1)
    kind: str
    lang: Literal["zh", "en"] = Field("zh", alias="from")
    why: str = ""

    @field_validator("expect")
    @classmethod
    def _locations(cls, v: list[str]) -> list[str]:
        for loc in v:
            if not _LOCATION_RE.match(loc):
                raise ValueError(f"落点“{loc}”格式不对：应为站内目录地址加锚点，如 notice/#n4-1-1 或 guide/#local")
        return v

    @model_validator(mode="after")
    def _zh_stays_zh(self) -> "Query":
        for loc in self.expect:
            if self.lang == "zh" and loc.startswith("en/"):
                raise ValueError(f"在中文页面上搜索，落点“{loc}”不应在 en/ 下（中文页面的结果不指向英文页面）")
        return self


class Suite(_Strict):
    kinds: dict[str, str] = Field(min_length=1)
    queries: list[Query] = Field(min_length=1)



def load_suite(path: Path, display: str | None = None) -> Suite:
    src = load_yaml_file(path, display)
    suite = validate(Suite, src)
    errors = [
        SourceError(src.path, src.line_of(("queries", i)), f"查询“{q.q}”的 kind“{q.kind}”不在 kinds 中；可用：{'、'.join(suite.kinds)}")
        for i, q in enumerate(suite.queries)
        if q.kind not in suite.kinds
    ]
    if errors:
        raise DataError(errors)
    return suite


# ---- 命中规则与指标 ----------------------------------------------------------


def normalize_location(href: str, base: str) -> str:
    """把结果链接化为站内地址：去掉站点根、查询串（?h=…）和 index.html，保留锚点。

    U 盘版（file://）的链接形如 notice/index.html#n4-1，与网站版的 notice/#n4-1 视为同一落点。
    """
    parts = urlsplit(href)
    base_path = urlsplit(base).path
    path = unquote(parts.path)
    if path.startswith(base_path):
        path = path[len(base_path) :]
    path = re.sub(r"(^|/)index\.html$", r"\1", path)
    if path.endswith(".html"):  # U 盘版的 about.html → about/
        path = path[: -len(".html")] + "/"
    return path + (f"#{unquote(parts.fragment)}" if parts.fragment else "")


def is_hit(location: str, expected: Iterable[str]) -> bool:
    """落点命中：地址相同；或者期望的是通知的段落/部分，结果落在其中的句子/段落上（id 以“期望 id-”开头）。"""
    page, _, frag = location.partition("#")
    for exp in expected:
        epage, _, efrag = exp.partition("#")
        if page != epage:
            continue
        if frag == efrag:
            return True
        if efrag and re.fullmatch(r"n\d+(?:-\d+)*", efrag) and frag.startswith(efrag + "-"):
            return True
    return False


def rank_of(results: Sequence[str], expected: Iterable[str]) -> int | None:
    expected = list(expected)
    for i, loc in enumerate(results, 1):
        if is_hit(loc, expected):
            return i
    return None


@dataclasses.dataclass(frozen=True)
class Outcome:
    query: Query
    results: list[str]  # 按呈现顺序的落点
    rank: int | None
    ms: float  # 从键入到结果出现的毫秒数


@dataclasses.dataclass(frozen=True)
class Metrics:
    n: int
    recall_at_3: float
    recall_at_1: float
    mrr: float
    by_kind: dict[str, tuple[int, int]]  # kind → (前 3 命中数, 总数)
    median_ms: float


def metrics(outcomes: Sequence[Outcome], k: int = 3) -> Metrics:
    n = len(outcomes)
    by_kind: dict[str, list[int]] = {}
    for o in outcomes:
        hit = o.rank is not None and o.rank <= k
        by_kind.setdefault(o.query.kind, [0, 0])
        by_kind[o.query.kind][0] += int(hit)
        by_kind[o.query.kind][1] += 1
    return Metrics(
        n=n,
        recall_at_3=sum(1 for o in outcomes if o.rank is not None and o.rank <= k) / n,
        recall_at_1=sum(1 for o in outcomes if o.rank == 1) / n,
        mrr=sum(1 / o.rank for o in outcomes if o.rank) / n,
        by_kind={kind: (v[0], v[1]) for kind, v in by_kind.items()},
        median_ms=statistics.median(o.ms for o in outcomes),
    )


def report(m: Metrics, outcomes: Sequence[Outcome], title: str = "") -> str:
    lines = [
        f"{title}查询 {m.n} 条：recall@3 = {m.recall_at_3:.3f}，recall@1 = {m.recall_at_1:.3f}，"
        f"MRR = {m.mrr:.3f}，键入到结果中位数 {m.median_ms:.0f} ms"
    ]
    lines.append("  分类（前 3 命中/总数）：" + "，".join(f"{k} {h}/{t}" for k, (h, t) in m.by_kind.items()))
    for o in outcomes:
        if o.rank is None or o.rank > 3:
            got = "、".join(o.results[:3]) or "（无结果）"
            lines.append(f"  未命中：[{o.query.kind}] {o.query.q!r} 期望 {o.query.expect}，得到 {got}（排名 {o.rank}）")
    return "\n".join(lines)


# ---- 浏览器驱动 ----------------------------------------------------------------

# 在页面里执行：清空搜索框，再键入查询，等结果列表为这条查询更新后，按呈现顺序读出结果。
# 只依赖 Material 搜索框的公开 DOM：输入框 data-md-component="search-query"、结果元信息
# .md-search-result__meta 和结果链接 a.md-search-result__link。排名按读者看到的顺序计：
# data-md-score 为 0 的（未命中、仅作分组标题的页面条目）、只显示页面标题而没有摘要的分组标题，
# 以及折叠在“该页上还有 N 个结果”里的都不计。
_RUN_QUERY_JS = """
async ([q, timeout]) => {
  const input = document.querySelector('[data-md-component="search-query"]');
  const meta = document.querySelector('.md-search-result__meta');
  const list = document.querySelector('.md-search-result__list');
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const placeholder = JSON.parse(document.getElementById('__config').textContent)
    .translations['search.result.placeholder'];
  const keyup = () => input.dispatchEvent(new KeyboardEvent('keyup', {key: 'Process', bubbles: true}));
  input.focus();
  input.value = '';
  keyup();
  for (let t = 0; meta.textContent !== placeholder; t += 5) {
    if (t > timeout) throw new Error('清空搜索框后结果没有复位');
    await sleep(5);
  }
  const t0 = performance.now();
  const done = new Promise(resolve => {
    const obs = new MutationObserver(() => {
      if (meta.textContent !== placeholder) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(meta, {childList: true, characterData: true, subtree: true});
  });
  input.value = q;
  keyup();
  const ms = await Promise.race([done, sleep(timeout).then(() => -1)]);
  if (ms < 0) throw new Error('等待搜索结果超时：' + q);
  await sleep(0);
  const links = [...list.querySelectorAll('a.md-search-result__link')]
    .filter(a => a.querySelector('article').dataset.mdScore !== '0.00')
    .filter(a => !a.closest('details.md-search-result__more'))
    .filter(a => !a.querySelector('.md-search-result__icon') ||
                 a.querySelector('article > :not(.md-search-result__icon):not(h1)'))
    .map(a => a.href);
  return {ms, links};
}
"""


def open_search(page: Any, url: str, timeout_ms: int = 15000) -> None:
    """打开页面并等搜索就绪（输入框出现、结果元信息显示占位提示）。"""
    page.goto(url, wait_until="load")
    page.click('[data-md-component="search-query"]', timeout=timeout_ms)
    # 引擎就绪后，元信息从“正在初始化”变为占位提示“键入以开始搜索”
    page.wait_for_function(
        """() => {
          const m = document.querySelector('.md-search-result__meta');
          const t = JSON.parse(document.getElementById('__config').textContent).translations;
          return m && m.textContent === t['search.result.placeholder'];
        }""",
        timeout=timeout_ms,
    )


_PARTS_STATE_JS = "() => (typeof __studycolSearch === 'undefined' ? null : __studycolSearch.state)"


def parts_state(page: Any) -> str | None:
    """本站搜索引擎读入分批索引的进度（none / idle / loading / complete）；找不到引擎时为 None。

    引擎在网站版中是 Web Worker，在 U 盘版中是 iframe-worker 垫片的隐藏 iframe，两处都找。
    """
    for target in [*page.workers, *page.frames]:
        try:
            state = target.evaluate(_PARTS_STATE_JS)
        except Exception:  # noqa: BLE001 - 框架或工作线程已销毁
            continue
        if state is not None:
            return state
    return None


def load_all_parts(page: Any, timeout_ms: int = 15000) -> None:
    """键入一次查询，让引擎读入全部分批索引，并等它读完（之后的查询都在完整的索引上进行）。

    分批索引要等读者第一次搜索时才读入；测试集的第一条查询若恰好只在案例页面中，会先看到只用主索引
    的结果。Material 自带的引擎（bench 中对比用）没有分批，直接返回。
    """
    config = json.loads(page.locator("#__config").text_content() or "{}")
    if "search-worker.js" not in str(config.get("search", "")):
        return
    page.evaluate(_RUN_QUERY_JS, ["通知", timeout_ms])
    deadline = time.monotonic() + timeout_ms / 1000
    while parts_state(page) not in ("complete", "none", None):  # None：不分批的旧版引擎
        if time.monotonic() > deadline:
            raise TimeoutError(f"等待分批索引读入超时（状态：{parts_state(page)}）")
        page.wait_for_timeout(20)


def read_parts(site: Path) -> tuple[dict, list[dict]]:
    """构建出的站点中的主索引和案例各批的内容（search/part-NNN.js 中那次函数调用的参数）。

    search_index.json 是引子时，主索引由引子和第 0 批（search/part-000.js）还原（与浏览器端相同）。
    """
    from studycol.search_index import read_part_script, restore_main

    main = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    url = main["config"].get("studycol", {}).get("main")
    if url:
        main = restore_main(main, read_part_script((site / url).read_text(encoding="utf-8"))[1])
    parts = []
    for meta in main["config"]["studycol"].get("parts", []):
        parts.append(read_part_script((site / meta["url"]).read_text(encoding="utf-8"))[1])
    return main, parts


def deferred_only_phrase(site: Path, length: int = 8) -> tuple[str, str]:
    """一段只出现在分批索引（案例页面）中、主索引里没有的连续汉字，及其所在页面的地址。"""
    from studycol.search_index import HAN_RE, page_of, plain_text

    main, parts = read_parts(site)
    text = lambda d: plain_text(d["title"]) + "\n" + plain_text(d.get("text", ""))  # noqa: E731
    known = "\n".join(text(d) for d in main["docs"])
    later = "\n".join(text(d) for part in parts for d in part["docs"])
    for part in parts:
        for doc in part["docs"]:
            for run in HAN_RE.findall(plain_text(doc.get("text", ""))):
                for i in range(0, len(run) - length + 1):
                    phrase = run[i : i + length]
                    # 主索引中没有、分批索引中只出现一次：搜到的只能是这一页
                    if phrase not in known and later.count(phrase) == 1:
                        return phrase, page_of(doc["location"])
    raise LookupError("分批索引中没有主索引里找不到的文字")


def run_query(page: Any, q: str, base: str, timeout_ms: int = 15000) -> tuple[list[str], float]:
    out = page.evaluate(_RUN_QUERY_JS, [q, timeout_ms])
    return [normalize_location(h, base) for h in out["links"]], float(out["ms"])


def run_suite(
    browser: Any, base: str, suite: Suite, index_page: str = "index.html", timeout_ms: int = 15000
) -> list[Outcome]:
    """在 base（站点根，以 / 结尾）上逐条运行测试集。zh 查询在首页键入，en 查询在 en/ 首页键入。

    index_page：网站版为空串或 index.html 均可；U 盘版（file://）必须是 index.html。
    """
    outcomes: list[Outcome] = []
    pages: dict[str, Any] = {}
    try:
        for query in suite.queries:
            if query.lang not in pages:
                page = browser.new_page()
                open_search(page, base + ("en/" if query.lang == "en" else "") + index_page, timeout_ms)
                load_all_parts(page, timeout_ms)
                pages[query.lang] = page
            results, ms = run_query(pages[query.lang], query.q, base, timeout_ms)
            outcomes.append(Outcome(query, results, rank_of(results, query.expect), ms))
    finally:
        for page in pages.values():
            page.close()
    return outcomes
