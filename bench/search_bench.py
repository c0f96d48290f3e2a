"""站内搜索基准：索引大小、从键入到出结果的时间、搜索引擎占用的内存、命中率，在同一次运行中比较。

比较对象（都用 data/search/queries.yml 的全部查询，在无头 Chromium 中键入真实的搜索框；本站引擎先读完分批索引）：
  A. Material 原样：Material 自带的 lunr 引擎和索引，不加本站词典、不整理索引（SEARCH_ENGINE=material-plain）；
  B. Material + 整理后的索引：保留本站词典、拆段、页面权重，但仍用 lunr 引擎（SEARCH_ENGINE=material）；
  C. 本站引擎（默认）：docs/assets/javascripts/search-worker.js。
再用一个加了 2,000 个合成案例页面的站点比较 A 和 C 的索引大小、时间和内存。

用法：.venv/bin/python bench/search_bench.py [--cases 2000] [--no-large]

合成页面是测试数据：写在临时目录里的站点副本中（tests/helpers.copy_site），页面上写明“基准测试合成文本”，
由通知原文的句子随机拼成，从不写入 docs/，也不发布。
时间是同一台机器、同一次运行中的比较，看比值；这台机器同时在做别的事，绝对值只作参考。
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import CHROMIUM, CHROMIUM_ARGS, ENGINE, copy_site, serve  # noqa: E402

from studycol import notice as notice_mod  # noqa: E402
import search_eval  # noqa: E402
from studycol import search_dict, search_index  # noqa: E402

SUITE = ROOT / "data" / "search" / "queries.yml"
PLAIN = {"SEARCH_ENGINE": "material-plain"}  # 对照组：Material 原样


# ---- 站点副本 ------------------------------------------------------------------


def make_site(root: Path, *, with_hook: bool, cases: int = 0) -> Path:
    src = copy_site(root)
    cfg = (src / "mkdocs.yml").read_text(encoding="utf-8")
    if not with_hook:
        cfg = cfg.replace("  - assets/javascripts/search-input.js\n", "")
    if cases:
        write_cases(src / "docs" / "benchcases", cases)
        # 合成页面与案例页面一样分批加载（只改副本中的规则）
        parts = src / "data" / "search" / "parts.yml"
        parts.write_text(parts.read_text(encoding="utf-8").replace("deferred:\n", "deferred:\n  - benchcases/\n", 1),
                         encoding="utf-8")
        # 合成页面不进导航：只把“未列入导航”的提示降为 info，其余警告照常
        cfg = cfg.replace("strict: true", "strict: false")
        cfg = re.sub(r"omitted_files: warn", "omitted_files: info", cfg)
    (src / "mkdocs.yml").write_text(cfg, encoding="utf-8")
    return src


def write_cases(folder: Path, count: int) -> None:
    """合成案例页面：每页 4 节，每节 2 段带 id 的段落，段落由通知原文的句子随机拼成。"""
    notice = notice_mod.load_notice(ROOT / "data" / "notice.yml", "data/notice.yml")
    sentences = [t.text for t in notice_mod.targets(notice) if t.kind == "sentence"]
    rng = random.Random(20240122)
    folder.mkdir(parents=True)
    for i in range(count):
        lines = [
            "---",
            f"title: 基准测试合成页面 {i}",
            "---",
            "",
            f"# 基准测试合成页面 {i} {{ #bc-{i} }}",
            "",
            "本页是搜索基准测试自动生成的合成文本，由通知原文的句子随机拼成，不是真实案例，不会发布。",
            "",
        ]
        for j in range(4):
            lines += [f"## 第{j + 1}节 {{ #bc-{i}-{j} }}", ""]
            for k in range(2):
                text = "".join(rng.sample(sentences, 2))
                lines += [f"{text}\n{{ #bc-{i}-{j}-{k} }}", ""]
        (folder / f"case-{i:04d}.md").write_text("\n".join(lines), encoding="utf-8")


def build_site(src: Path, out: Path, env: dict[str, str] | None = None) -> float:
    """严格构建（与 tests/helpers.build 相同的命令），但允许更长时间：几千个页面要构建好几分钟。"""
    t0 = time.perf_counter()
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    cmd = [*ENGINE, "build", "--strict", "-d", str(out)]
    result = subprocess.run(cmd, cwd=src, env=full_env, capture_output=True, text=True, timeout=3 * 3600)
    if result.returncode != 0:
        raise SystemExit(f"构建失败：\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return time.perf_counter() - t0


# ---- 测量 ----------------------------------------------------------------------


def sizes(site: Path) -> dict[str, int]:
    """索引大小：raw/gzip 为引子、主索引和全部分批索引之和（读者搜索过后下载的总量）；stub_* 为每个页面打开时
    都要读入的 search_index.json（本站引擎下只是引子）；main_* 为第一次搜索时先读入的主索引（本站引擎下是
    search/part-000.js，Material 原样时就是 search_index.json）；part_* 为案例各批中最大的一批。"""
    stub_raw = (site / "search" / "search_index.json").read_bytes()
    stub = json.loads(stub_raw)
    main_url = stub["config"].get("studycol", {}).get("main")
    main_raw = (site / main_url).read_bytes() if main_url else stub_raw
    data, _ = search_eval.read_parts(site) if "studycol" in stub["config"] else (stub, [])
    extra = data["config"].get("studycol", {})
    part_files = [(site / p["url"]).read_bytes() for p in extra.get("parts", [])]
    part_gzip = [len(gzip.compress(b, 6)) for b in part_files]
    raw = (stub_raw if main_url else b"") + main_raw + b"".join(part_files)
    own_engine = "search-worker.js" in (site / "index.html").read_text(encoding="utf-8")
    worker = site / "assets" / "javascripts" / "search-worker.js"
    material_worker = next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    lunr = sum(p.stat().st_size for p in (site / "assets" / "javascripts" / "lunr" / "min").glob("lunr.*.min.js")
               if p.name in {"lunr.stemmer.support.min.js", "lunr.zh.min.js"})
    t2s = json.dumps(extra.get("t2s", ""), ensure_ascii=False).encode()
    words = json.dumps(extra.get("words", []), ensure_ascii=False).encode()
    return {
        "entries": len(data["docs"]) + sum(p["docs"] for p in extra.get("parts", [])),
        "raw": len(raw),
        "gzip": (len(gzip.compress(stub_raw, 6)) if main_url else 0) + len(gzip.compress(main_raw, 6)) + sum(part_gzip),
        "stub_raw": len(stub_raw),
        "stub_gzip": len(gzip.compress(stub_raw, 6)),
        "main_raw": len(main_raw),
        "main_gzip": len(gzip.compress(main_raw, 6)),
        "parts": len(part_files),
        "part_raw": max((len(b) for b in part_files), default=0),
        "part_gzip": max(part_gzip, default=0),
        "t2s_gzip": len(gzip.compress(t2s, 6)) if extra else 0,
        "words_gzip": len(gzip.compress(words, 6)) if extra else 0,
        "engine": worker.stat().st_size if own_engine else material_worker.stat().st_size + lunr,
        "engine_gzip": len(gzip.compress(worker.read_bytes(), 6)) if own_engine else
        len(gzip.compress(material_worker.read_bytes(), 6)) + lunr_gzip(site),
    }


def lunr_gzip(site: Path) -> int:
    folder = site / "assets" / "javascripts" / "lunr" / "min"
    return sum(len(gzip.compress((folder / n).read_bytes(), 6)) for n in ("lunr.stemmer.support.min.js", "lunr.zh.min.js"))


@contextlib.contextmanager
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def worker_heap(page) -> int | None:
    """搜索工作线程的 JavaScript 堆（回收垃圾后），经 Chrome DevTools 协议读取。"""
    cdp = page.context.new_cdp_session(page)
    sessions: list[dict] = []
    replies: dict[int, dict] = {}
    cdp.on("Target.attachedToTarget", lambda e: sessions.append(e))

    def on_message(e: dict) -> None:
        msg = json.loads(e["message"])
        if "id" in msg:
            replies[msg["id"]] = msg

    cdp.on("Target.receivedMessageFromTarget", on_message)
    cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": False})
    for _ in range(50):
        if sessions:
            break
        page.wait_for_timeout(100)
    workers = [s for s in sessions if s["targetInfo"]["type"] == "worker"]
    if not workers:
        return None
    sid = workers[0]["sessionId"]
    for n, method in enumerate(("HeapProfiler.collectGarbage", "Runtime.getHeapUsage"), 1):
        cdp.send("Target.sendMessageToTarget", {"sessionId": sid, "message": json.dumps({"id": n, "method": method})})
    for _ in range(50):
        if 2 in replies:
            break
        page.wait_for_timeout(100)
    cdp.detach()
    return replies.get(2, {}).get("result", {}).get("usedSize")


def measure(site: Path, rounds: int = 2) -> dict:
    suite = search_eval.load_suite(SUITE, "data/search/queries.yml")
    zh = [q for q in suite.queries if q.lang == "zh"]
    with serve(site) as url, browser() as b:
        # 就绪时间：从开始导航到搜索引擎建好索引（结果区显示“键入以开始搜索”）
        ready = []
        for _ in range(3):
            page = b.new_page()
            t0 = time.perf_counter()
            search_eval.open_search(page, url, timeout_ms=300000)
            ready.append((time.perf_counter() - t0) * 1000)
            page.close()
        outcomes = search_eval.run_suite(b, url, suite, timeout_ms=300000)
        page = b.new_page()
        search_eval.open_search(page, url, timeout_ms=300000)
        times = []
        for _ in range(rounds):
            for q in zh:
                times.append(search_eval.run_query(page, q.q, url, timeout_ms=300000)[1])
        heap = worker_heap(page)
        page.close()
    m = search_eval.metrics(outcomes)
    times.sort()
    return {
        "metrics": m,
        "outcomes": outcomes,
        "ready_ms": statistics.median(ready),
        "median_ms": statistics.median(times),
        "p90_ms": times[int(len(times) * 0.9)],
        "max_ms": times[-1],
        "heap": heap,
    }


def postprocess_cost(site: Path) -> float:
    """整理索引（拆段、合并语言、繁简表、权重）本身的耗时：对一份未整理的索引再做一遍。"""
    import jieba

    entries = search_dict.load_entries(ROOT)
    jieba.load_userdict(str(search_dict.write_effective(entries)))
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))

    def read_page(location: str):
        rel = location + "index.html" if location == "" or location.endswith("/") else location
        path = site / rel
        return path.read_text(encoding="utf-8") if path.is_file() else None

    ranking = search_index.load_ranking(ROOT / "data" / "search" / "ranking.yml", "data/search/ranking.yml")
    t0 = time.perf_counter()
    words = search_dict.vocabulary_supplement(entries, jieba)
    search_index.postprocess(index, read_page, search_index.jieba_segmenter(), ["en/"], words, ranking)
    return time.perf_counter() - t0


# ---- 报告 ----------------------------------------------------------------------


def kb(n: int | None) -> str:
    return "—" if n is None else f"{n / 1024:.1f} KB"


def mb(n: int | None) -> str:
    return "—" if n is None else f"{n / 1024 / 1024:.2f} MB"


def row(name: str, s: dict, r: dict) -> str:
    m = r["metrics"]
    return (
        f"| {name} | {s['entries']} | {kb(s['raw'])} | {kb(s['gzip'])} | {kb(s['engine_gzip'])} | "
        f"{m.recall_at_3:.3f} | {m.mrr:.3f} | {r['ready_ms']:.0f} | {r['median_ms']:.0f} | {r['p90_ms']:.0f} | {mb(r['heap'])} |"
    )


HEADER = (
    "| 站点与引擎 | 条目 | 索引 | 索引 gzip | 引擎脚本 gzip | recall@3 | MRR | 就绪 ms | 键入→结果 中位 ms | p90 ms | 工作线程堆 |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=2000, help="合成案例页面数（默认 2000）")
    ap.add_argument("--no-large", action="store_true", help="只测真实站点")
    ap.add_argument("--large-only", action="store_true", help="只测加了合成案例页面的站点")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        tmp = Path(tmp)
        rows: list[str] = []
        results: dict = {}
        large: dict = {}
        if not args.large_only:
            print("构建真实站点的三个版本……", flush=True)
            a, b, c = tmp / "a", tmp / "b", tmp / "c"
            build_site(make_site(a / "src", with_hook=False), a / "site", env=PLAIN)
            build_site(make_site(b / "src", with_hook=True), b / "site", env={"SEARCH_ENGINE": "material"})
            build_site(make_site(c / "src", with_hook=True), c / "site")
            for key, name, site in (
                ("A", "真实站点 · Material 原样", a / "site"),
                ("B", "真实站点 · Material + 整理后的索引", b / "site"),
                ("C", "真实站点 · 本站引擎", c / "site"),
            ):
                print(f"测量 {name}……", flush=True)
                results[key] = (sizes(site), measure(site))
                rows.append(row(name, *results[key]))
                print(rows[-1], flush=True)
            results["cost"] = postprocess_cost(a / "site")

        if not args.no_large:
            print(f"生成 {args.cases} 个合成案例页面并构建（两个版本）……", flush=True)
            la, lc = tmp / "la", tmp / "lc"
            large["t_LA"] = build_site(make_site(la / "src", with_hook=False, cases=args.cases), la / "site", env=PLAIN)
            large["t_LC"] = build_site(make_site(lc / "src", with_hook=True, cases=args.cases), lc / "site")
            for key, name, site in (
                ("LA", f"加 {args.cases} 个案例页 · Material 原样", la / "site"),
                ("LC", f"加 {args.cases} 个案例页 · 本站引擎", lc / "site"),
            ):
                print(f"测量 {name}……", flush=True)
                large[key] = (sizes(site), measure(site, rounds=1))
                rows.append(row(name, *large[key]))
                print(rows[-1], flush=True)
            large["cost"] = postprocess_cost(la / "site")

    print()
    print(HEADER)
    for r in rows:
        print(r)
    print()
    if results:
        sa, ra = results["A"]
        sc, rc = results["C"]
        print(f"本站引擎的附加数据（gzip）：繁简对照表 {kb(sc['t2s_gzip'])}，词表 {kb(sc['words_gzip'])}（已含在索引中）；"
              f"引擎脚本 {kb(sc['engine'])}（gzip {kb(sc['engine_gzip'])}），Material 的 lunr 工作线程与中文语言包 {kb(sa['engine'])}。")
        print(f"真实站点：本站引擎与 Material 原样之比——索引 gzip {sc['gzip'] / sa['gzip']:.2f}，"
              f"键入→结果中位 {rc['median_ms'] / max(ra['median_ms'], 0.1):.2f}，工作线程堆 "
              f"{(rc['heap'] or 0) / max(ra['heap'] or 1, 1):.2f}。整理索引耗时 {results['cost']:.2f} s。")
    for key, name in (("C", "真实站点"), ("LC", f"加 {args.cases} 个案例页")):
        found = results.get(key) or large.get(key)
        if found:
            s = found[0]
            print(f"{name}（本站引擎）分批加载：每个页面打开时只读入引子 search_index.json {kb(s['stub_raw'])}"
                  f"（gzip {kb(s['stub_gzip'])}）；第一次搜索时先读入主索引 {kb(s['main_raw'])}（gzip {kb(s['main_gzip'])}），"
                  f"再读入案例页面的 {s['parts']} 批，最大一批 {kb(s['part_raw'])}（gzip {kb(s['part_gzip'])}）。")
    if large:
        sla, rla = large["LA"]
        slc, rlc = large["LC"]
        print(f"{args.cases} 个案例页：构建 {large['t_LA']:.0f} s（Material 原样）/ {large['t_LC']:.0f} s（本站）；"
              f"整理索引耗时 {large['cost']:.2f} s。")
        print(f"{args.cases} 个案例页：本站引擎与 Material 原样之比——索引 gzip {slc['gzip'] / sla['gzip']:.2f}，"
              f"就绪 {rlc['ready_ms'] / max(rla['ready_ms'], 0.1):.2f}，键入→结果中位 {rlc['median_ms'] / max(rla['median_ms'], 0.1):.2f}，"
              f"工作线程堆 {(rlc['heap'] or 0) / max(rla['heap'] or 1, 1):.2f}。")
    print()
    if results:
        for key, name in (("A", "Material 原样"), ("B", "Material + 整理后的索引"), ("C", "本站引擎")):
            _, r = results[key]
            lines = search_eval.report(r["metrics"], r["outcomes"], f"{name}：").splitlines()
            print(lines[0])
            print(lines[1])


if __name__ == "__main__":
    main()
