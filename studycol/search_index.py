"""构建后整理搜索索引（search/search_index.json），使每条结果能落到段落、句子上。

Material 的搜索插件只在带 id 的标题处分条，通知一个部分就是一条长条目，搜索结果只能落到部分开头。
这里在插件写出索引之后：

1. 拆段（split_blocks）：页面中带 id 的段落、列表项等块元素（如通知的 <p id="n4-1">）各成一条，
   地址为“页面#段落 id”；块内带 id 的元素（如句子 <span id="n4-1-2">）记为锚点（anchors：[起始字符, id]），
   浏览器端据此把结果落到命中的那一句。原条目只保留不属于这些块的文字。
   只拆出插件确已收录的文字：被 data-search-exclude 排除的段落不会因此重新进入索引。
2. 合并语言（dedupe_languages）：mkdocs-static-i18n 为未翻译的页面生成内容相同的 en/ 副本，
   这些副本从索引中删去，只记下“该页面在 en/ 下也有”；浏览器端在英文页面上把结果改指向 en/ 下的同一页。
3. 繁简映射（t2s_pairs）：索引中出现的每个简体字的繁体写法，供浏览器端把繁体查询转成简体。
4. 词表（words）：索引中 jieba 切出的词，加上词典中的术语及其内部的短词（见 search_dict.vocabulary_supplement），
   供浏览器端切分查询；条目文字中不再保留分词用的零宽空格。
5. 页面权重（apply_ranking）：data/search/ranking.yml 中按地址前缀给出的排序倍数，写进条目的 boost。

结果仍是 Material 索引格式（location/title/text），多出的字段放在 config.studycol 和条目的 anchors 中。
"""

from __future__ import annotations

import dataclasses
import html
import json
import logging
import posixpath
import re
from collections.abc import Callable, Iterable
from typing import Any
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from . import problems
from .search_dict import HAN_RE
from .yamlsrc import DataError, SourceError, Sourced, load_yaml_file, validate

ZWSP = "\u200b"
FORMAT_VERSION = 1
# 拆出的段落、句子是可引用的原文单位：同样匹配时，优先落到这些单位上，而不是转述它们的章节
UNIT_BOOST = 1.5
# 词表中一个词最多的字数：更长的多半不是词（例如未经切分的整句），不收
MAX_WORD = 12

# 可以单独成条的块元素（带 id 时）；div 之类的容器不算，会继续往里找
BLOCK_TAGS = frozenset({"p", "li", "dd", "dt", "blockquote", "td", "th", "figcaption"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP = frozenset({"script", "style", "object", "template"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
_TAG_RE = re.compile(r"<[^>]+>")
_WS_RE = re.compile(r"\s+")


@dataclasses.dataclass
class Block:
    """一个带 id 的块：纯文本（空白已归并）和块内锚点。"""

    id: str
    text: str
    anchors: list[tuple[int, str]]


class _BlockParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.skip_depth = 0
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.depth_of_current = -1
        self.parts: list[str] = []
        self.in_heading = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        a = dict(attrs)
        self.stack.append(tag)
        if tag in _SKIP or (tag == "a" and "headerlink" in (a.get("class") or "").split()):
            self.skip_depth += 1
            self.stack[-1] = "#skip:" + tag
            return
        if tag in _HEADINGS:
            self.in_heading += 1
        ident = a.get("id")
        if self.current is None:
            if ident and tag in BLOCK_TAGS and not self.in_heading:
                self.current = Block(ident, "", [])
                self.depth_of_current = len(self.stack)
                self.parts = []
        elif ident:
            self.current.anchors.append((len(self._text()), ident))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self.stack:
            return
        # 容错：找到最近的同名元素
        for i in range(len(self.stack) - 1, -1, -1):
            name = self.stack[i]
            if name == tag or name == "#skip:" + tag:
                break
        else:
            return
        while len(self.stack) > i:
            name = self.stack.pop()
            if name.startswith("#skip:"):
                self.skip_depth -= 1
            elif name in _HEADINGS:
                self.in_heading -= 1
            if self.current is not None and len(self.stack) < self.depth_of_current:
                self._close()

    def _text(self) -> str:
        return _WS_RE.sub(" ", "".join(self.parts)).lstrip()

    def _close(self) -> None:
        assert self.current is not None
        text = self._text().rstrip()
        self.current.text = text
        self.current.anchors = [(min(off, len(text)), ident) for off, ident in self.current.anchors]
        if text:
            self.blocks.append(self.current)
        self.current = None
        self.depth_of_current = -1

    def handle_data(self, data: str) -> None:
        if self.current is not None and not self.skip_depth:
            self.parts.append(data)


def article_html(page_html: str) -> str:
    """页面中的正文（Material 的 <article class="md-content__inner …">）。"""
    start = page_html.find('<article class="md-content__inner')
    if start < 0:
        return ""
    end = page_html.rfind("</article>")
    return page_html[start : end if end > start else len(page_html)]




def blocks_of(content_html: str) -> list[Block]:
    """正文中所有带 id 的块，按文档顺序；嵌套在块内的带 id 元素记为锚点。"""
    parser = _BlockParser()
    parser.feed(content_html)
    parser.close()
    return parser.blocks


# ---- 文字处理 -------------------------------------------------------------------


def plain_text(indexed: str) -> str:
    """索引条目文字 → 显示用纯文本：去标签、还原实体、去掉分词用的零宽空格、归并空白。"""
    return _WS_RE.sub(" ", html.unescape(_TAG_RE.sub(" ", indexed)).replace(ZWSP, "")).strip()


def _squash(text: str) -> tuple[str, list[int]]:
    """去掉全部空白，返回压缩后的串和每个字符在原串中的位置。"""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if not ch.isspace():
            chars.append(ch)
            where.append(i)
    return "".join(chars), where


def jieba_module() -> Any:
    """全局的 jieba（Material 搜索插件在它上面加载了本站词典）。

    jieba 加载词典时用 DEBUG 级别往终端打印四行进度，每次构建都出现；这里只让它报告警告和错误。
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def jieba_segmenter() -> Callable[[str], str]:
    """与 Material 搜索插件相同的切分：汉字串用（已加载用户词典的）jieba 切开，词间插零宽空格。"""
    jieba = jieba_module()

    def segment(text: str) -> str:
        def repl(m: re.Match[str]) -> str:
            return ZWSP + ZWSP.join(jieba.cut(m.group(0))) + ZWSP

        return HAN_RE.sub(repl, text).strip(ZWSP)

    return segment


def _units(block: Block) -> list[tuple[str, str, list[tuple[int, str]]]]:
    """块拆成的条目：块内带 id 的元素首尾相接、覆盖全块时（如通知段落中的句子），每个元素一条；
    否则整块一条，块内 id 作为锚点。返回 (id, 文字, 锚点)。"""
    anchors = sorted(block.anchors)
    offsets = [off for off, _ in anchors]
    if anchors and not block.text[: offsets[0]].strip() and len(set(offsets)) == len(offsets):
        bounds = offsets[1:] + [len(block.text)]
        pieces = [(ident, block.text[off:end].strip()) for (off, ident), end in zip(anchors, bounds)]
        if all(text for _, text in pieces):
            return [(ident, text, []) for ident, text in pieces]
    return [(block.id, block.text, anchors)]


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _indexed(text: str, segment: Callable[[str], str]) -> str:
    return "<p>" + segment(html.escape(text, quote=False)) + "</p>" if text else ""


# ---- 1. 拆段 --------------------------------------------------------------------


def page_of(location: str) -> str:
    return location.split("#", 1)[0]


def split_blocks(
    docs: list[dict], read_page: Callable[[str], str | None], segment: Callable[[str], str]
) -> tuple[list[dict], int]:
    """把每个页面中带 id 的块拆成独立条目；返回新的条目表和拆出的条数。"""
    by_page: dict[str, list[int]] = {}
    for i, doc in enumerate(docs):
        by_page.setdefault(page_of(doc["location"]), []).append(i)

    replaced: dict[int, list[dict]] = {}
    total = 0
    for page, indexes in by_page.items():
        page_html = read_page(page)
        if not page_html:
            continue
        blocks = blocks_of(article_html(page_html))
        if not blocks:
            continue
        plains = [plain_text(docs[i].get("text", "")) for i in indexes]
        squashed = [_squash(p) for p in plains]
        cursors = [0] * len(indexes)
        cuts: list[list[tuple[int, int]]] = [[] for _ in indexes]
        found: list[list[Block]] = [[] for _ in indexes]
        current = 0
        for block in blocks:
            needle, _ = _squash(block.text)
            if not needle:
                continue
            # 块通常按顺序落在当前条目或其后的条目里；标题嵌在容器中时 Material 会把后文归回前面的条目，
            # 所以找不到时再从头找。哪里都找不到的块（被排除在索引外）跳过。
            for k in [*range(current, len(indexes)), *range(current)]:
                at = squashed[k][0].find(needle, cursors[k])
                if at >= 0:
                    where = squashed[k][1]
                    cuts[k].append((where[at], where[at + len(needle) - 1] + 1))
                    cursors[k] = at + len(needle)
                    found[k].append(block)
                    current = k
                    break
        for k, i in enumerate(indexes):
            if not found[k]:
                continue
            doc = docs[i]
            new_entries = []
            for block in found[k]:
                for ident, text, anchors in _units(block):
                    entry = {"location": f"{page}#{ident}", "title": doc["title"], "text": _indexed(text, segment)}
                    if anchors:
                        # 偏移量按 UTF-16 码元计，与浏览器端 JavaScript 字符串下标一致
                        entry["anchors"] = [[_utf16_len(text[:off]), a] for off, a in anchors]
                    if "tags" in doc:
                        entry["tags"] = doc["tags"]
                    entry["boost"] = round(float(doc.get("boost", 1)) * UNIT_BOOST, 3)
                    new_entries.append(entry)
            rest, pos = [], 0
            for start, end in sorted(cuts[k]):
                rest.append(plains[k][pos:start])
                pos = end
            rest.append(plains[k][pos:])
            residue = _WS_RE.sub(" ", " ".join(p.strip() for p in rest if p.strip())).strip()
            replaced[i] = [{**doc, "text": _indexed(residue, segment)}, *new_entries]
            total += len(new_entries)

    out: list[dict] = []
    for i, doc in enumerate(docs):
        out.extend(replaced.get(i, [doc]))
    return out, total


# ---- 2. 合并语言 ------------------------------------------------------------------


def dedupe_languages(docs: list[dict], prefixes: Iterable[str]) -> tuple[list[dict], dict[str, list[str]]]:
    """删去与默认语言逐条相同的语言副本页面；返回条目表和每种语言“有副本的默认语言页面”列表。"""
    prefixes = [p for p in prefixes if p]
    pages: dict[str, list[dict]] = {}
    for doc in docs:
        pages.setdefault(page_of(doc["location"]), []).append(doc)

    def key(doc: dict, prefix: str = "") -> tuple:
        return (doc["location"][len(prefix) :], doc["title"], doc.get("text", ""), tuple(doc.get("tags", ())))

    fallback: dict[str, list[str]] = {p: [] for p in prefixes}
    drop: set[str] = set()
    for page, entries in pages.items():
        prefix = next((p for p in prefixes if page.startswith(p)), None)
        if prefix is None:
            continue
        original = pages.get(page[len(prefix) :])
        if original is not None and [key(d, prefix) for d in entries] == [key(d) for d in original]:
            drop.add(page)
            fallback[prefix].append(page[len(prefix) :])
    return [d for d in docs if page_of(d["location"]) not in drop], fallback


# ---- 语言副本页面：复用默认语言的条目 ---------------------------------------------------
#
# ---- 3. 繁简映射 ------------------------------------------------------------------


def _opencc_table(name: str) -> dict[str, str]:
    table: dict[str, str] = {}
    text = resources.files("opencc").joinpath("dictionary", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if "\t" not in line:
            continue
        src, dst = line.split("\t", 1)
        table.setdefault(src, dst.split()[0])
    return table


def t2s_pairs(chars: Iterable[str]) -> str:
    """索引中出现的简体字的繁体写法（及港台异体）→ 简体，拼成“繁简繁简…”的串。"""
    ts = _opencc_table("TSCharacters.txt")
    variants: dict[str, str] = {}
    for name in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        for var, std in _opencc_table(name).items():
            if len(var) == 1:
                variants.setdefault(var, ts.get(std, std))
    wanted = set(chars)
    pairs = {t: s for t, s in {**variants, **ts}.items() if len(t) == 1 and len(s) == 1 and s in wanted and t != s}
    return "".join(t + pairs[t] for t in sorted(pairs))


def han_chars(docs: Iterable[dict]) -> set[str]:
    out: set[str] = set()
    for doc in docs:
        for field in (doc.get("title", ""), doc.get("text", "")):
            for run in HAN_RE.findall(field):
                out.update(run)
    return out


# ---- 4. 页面权重 --------------------------------------------------------------------


class Ranking(BaseModel):
    """data/search/ranking.yml：页面地址前缀 → 排序倍数。"""

    model_config = ConfigDict(extra="forbid")

    boost: dict[str, float] = {}


def ranking_from(src: Sourced) -> Ranking:
    """校验权重文件；每处问题报出所在的行。"""
    ranking = validate(Ranking, src)
    errors: list[SourceError] = []
    for prefix, factor in ranking.boost.items():
        line = src.line_of(("boost", prefix))
        if prefix.startswith("/") or not re.fullmatch(r"(?:[a-z0-9_\-]+/)+", prefix):
            errors.append(SourceError(src.path, line, f"“{prefix}”不是页面地址前缀；应写成 notice/ 或 jiedu/part-4/ 这样，不带开头的斜杠、以 / 结尾。"))
        elif not 0 < factor <= 10:
            errors.append(SourceError(src.path, line, f"“{prefix}”的倍数 {factor} 超出范围；应大于 0、不超过 10。"))
    if errors:
        raise DataError(errors)
    return ranking


def load_ranking(path: Path, display: str) -> Ranking:
    return ranking_from(load_yaml_file(path, display))


def _directory_form(location: str) -> str:
    """U 盘版的地址（notice/index.html#x、about.html）化为网站版的目录形式（notice/#x、about/）。"""
    page, sep, frag = location.partition("#")
    if page == "index.html":  # 即 (^|/)index\.html$ 换成 \1；不用正则，大站点上每个条目都要调用几次
        page = ""
    elif page.endswith("/index.html"):
        page = page[: -len("index.html")]
    if page.endswith(".html"):
        page = page[: -len(".html")] + "/"
    return page + sep + frag


def apply_ranking(docs: list[dict], ranking: Ranking, language_prefixes: Iterable[str] = ()) -> int:
    """按地址前缀给条目乘上倍数（最长前缀生效）；返回改动的条数。"""
    prefixes = sorted(ranking.boost, key=len, reverse=True)
    langs = [p for p in language_prefixes if p]
    changed = 0
    for doc in docs:
        loc = doc["location"]
        for lang in langs:
            if loc.startswith(lang):
                loc = loc[len(lang) :]
                break
        loc = _directory_form(loc)
        factor = next((ranking.boost[p] for p in prefixes if loc.startswith(p)), 1.0)
        if factor != 1.0:
            doc["boost"] = round(float(doc.get("boost", 1)) * factor, 3)
            changed += 1
    return changed


# ---- 整体 -------------------------------------------------------------------------


def _field_words(field: str, separator: str) -> frozenset[str]:
    """一段索引文字中的词。"""
    split = re.compile(separator + "|" + ZWSP)
    words = {
        token.strip()
        for token in split.split(html.unescape(_TAG_RE.sub(" ", field)))
        if 2 <= len(token) <= MAX_WORD and HAN_RE.search(token)
    }
    words.discard("")
    return frozenset(words)


def index_words(docs: Iterable[dict], separator: str) -> set[str]:
    """索引中已切出的中文词（两字及以上）：Material 的插件用 jieba 切分后以零宽空格隔开。"""
    words: set[str] = set()
    for doc in docs:
        words |= _field_words(doc.get("title", ""), separator)
        words |= _field_words(doc.get("text", ""), separator)
    return words


def _strip_segmentation(doc: dict) -> dict:
    return {**doc, "title": doc["title"].replace(ZWSP, ""), "text": doc.get("text", "").replace(ZWSP, "")}


def postprocess(
    index: dict,
    read_page: Callable[[str], str | None],
    segment: Callable[[str], str],
    language_prefixes: Iterable[str] = (),
    words: Iterable[str] = (),
    ranking: Ranking | None = None,
    compact: bool = True,
) -> tuple[dict, dict[str, int]]:
    """整理一份 Material 索引；已整理过的（有 config.studycol）原样返回。

    compact（本站引擎）：切分结果不再以零宽空格留在每条文字里，而是汇成一份词表（config.studycol.words），
    索引因此小三成，拆段时也不必再调用 jieba。为 Material 自带的引擎整理时（只用于对比）保留零宽空格。
    """
    config = index.get("config", {})
    if "studycol" in config:
        return index, {}
    source = list(index.get("docs", []))
    # 先去掉与中文逐条相同的语言副本页面，拆段时就不必再解析它们（未翻译的页面占英文版的绝大多数）；
    # 拆段后再查一次，拆完才相同的副本也并掉
    source, early = dedupe_languages(source, language_prefixes)
    vocabulary = set(words)
    if compact:
        vocabulary |= index_words(source, config.get("separator", r"[\s\-]+"))
        docs, blocks = split_blocks([_strip_segmentation(d) for d in source], read_page, lambda text: text)
    else:
        docs, blocks = split_blocks(source, read_page, segment)
    docs, late = dedupe_languages(docs, language_prefixes)
    fallback = {p: early.get(p, []) + [x for x in late.get(p, []) if x not in set(early.get(p, []))] for p in {**early, **late}}
    boosted = apply_ranking(docs, ranking, language_prefixes) if ranking else 0
    t2s = t2s_pairs(han_chars(docs))
    extra = {"version": FORMAT_VERSION, "languages": fallback, "t2s": t2s, "words": sorted(vocabulary)}
    if compact:
        extra["segmented"] = False  # 浏览器端只从 words 取词表
    config = {**config, "studycol": extra}
    stats = {
        "blocks": blocks,
        "docs": len(docs),
        "fallback_pages": sum(len(v) for v in fallback.values()),
        "t2s": len(t2s) // 2,
        "words": len(vocabulary),
        "boosted": boosted,
    }
    return {**index, "config": config, "docs": docs}, stats


# ---- 页面：改用本站的搜索引擎 -------------------------------------------------------

_CONFIG_OPEN = '<script id="__config" type="application/json">'
_HTML_LANG_RE = re.compile(r'<html[^>]*\slang="([A-Za-z-]+)"')


def point_worker(page_html: str, worker: str) -> str:
    """把页面 __config 中的搜索工作线程换成本站的引擎，并在地址上带上页面语言（?lang=zh）。

    Material 的界面从 __config.search 取工作线程地址（相对于页面）；base 是页面到站点根的相对路径。
    """
    # __config 在页面末尾：用字符串查找（比从页首逐字符试正则快得多）
    start = page_html.find(_CONFIG_OPEN)
    end = page_html.find("</script>", start) if start >= 0 else -1
    if end < 0:
        return page_html
    start += len(_CONFIG_OPEN)
    lang = _HTML_LANG_RE.search(page_html)
    text = _pointed_config(page_html[start:end], lang.group(1) if lang else "", worker)
    if text is None:
        return page_html
    return page_html[:start] + text + page_html[end:]


def _pointed_config(config_json: str, lang: str, worker: str) -> str | None:
    """改好的 __config 文字；没有 search 项时为 None。"""
    cfg = json.loads(config_json)
    if "search" not in cfg:
        return None
    raw = str(cfg.get("base", "."))
    # 404 页的 base 是站点根的绝对路径（如 "/" 或 "/column/"）：去掉末尾的斜杠后仍从根算起，不能变成 "."
    base = raw.rstrip("/") or ("" if raw.startswith("/") else ".")
    cfg["search"] = f"{base}/{worker}?lang={lang}"
    # 与 Material 一样输出 ASCII JSON，避免 </script> 之类的序列出现在脚本中
    return json.dumps(cfg, sort_keys=True).replace("</", "<\\/")


# ---- 6. 分批加载 --------------------------------------------------------------------
#
# 案例页面随案例增多而线性增长，占到索引的九成。整理好的索引因此分成两部分：
# - 主索引：其余全部条目，读者第一次搜索时先读入（写成第 0 批 search/part-000.js，见下文 lazy_stub）；
# - 分批索引（search/part-001.js …）：案例页面的条目，每批最多若干页，读入主索引后工作线程再去取。
# 分批文件是脚本而不是 JSON：U 盘版从 file:// 打开，浏览器不允许 fetch 本地文件，但允许加载脚本。
# 哪些条目延后由 data/search/parts.yml 决定（PartsRule）。

PART_CALLBACK = "self.__studycolSearchPart"
PART_URL = "search/part-{:03d}.js"


class PartsRule(BaseModel):
    """data/search/parts.yml：哪些页面的条目延后加载，每批的上限。"""

    model_config = ConfigDict(extra="forbid")

    # 每批最多的页面数
    pages_per_part: int = 200
    # 每批最多的字节数（UTF-8 JSON，未压缩）；案例文字 gzip 后约为四分之一到五分之一
    part_kb: int = 512
    # 这些前缀下的页面整页延后（前缀本身那一页，如 cases/，留在主索引中）
    deferred: list[str] = []
    # 这些页面（须位于 deferred 的前缀之下）只延后各节（地址带 #）；页面本身的条目留在主索引中
    sections_only: list[str] = []


_PREFIX_RE = re.compile(r"(?:[a-z0-9_\-]+/)+")


def parts_rule_from(src: Sourced) -> PartsRule:
    """校验分批规则；每处问题报出所在的行。"""
    rule = validate(PartsRule, src)
    errors: list[SourceError] = []
    for field in ("deferred", "sections_only"):
        for i, prefix in enumerate(getattr(rule, field)):
            if not _PREFIX_RE.fullmatch(prefix):
                errors.append(SourceError(src.path, src.line_of((field, i)),
                                          f"“{prefix}”不是页面地址前缀；应写成 cases/ 或 cases/by-region/ 这样，不带开头的斜杠、以 / 结尾。"))
    for i, page in enumerate(rule.sections_only):
        if _PREFIX_RE.fullmatch(page) and not any(page.startswith(p) and page != p for p in rule.deferred):
            errors.append(SourceError(src.path, src.line_of(("sections_only", i)),
                                      f"“{page}”不在 deferred 列出的任何前缀之下；只延后各节的页面必须是延后加载的页面，请检查拼写或删去此项。"))
    for field, low, high in (("pages_per_part", 1, 10000), ("part_kb", 16, 4096)):
        value = getattr(rule, field)
        if not low <= value <= high:
            errors.append(SourceError(src.path, src.line_of((field,)), f"{field} 为 {value}，超出范围；应在 {low} 到 {high} 之间。"))
    if errors:
        raise DataError(errors)
    return rule


def load_parts_rule(path: Path, display: str) -> PartsRule:
    return parts_rule_from(load_yaml_file(path, display))


def page_key(location: str, language_prefixes: Iterable[str]) -> tuple[str, bool]:
    """地址 → (去掉语言前缀、化为目录形式的页面地址, 是否带 #)。"""
    loc = location
    for lang in language_prefixes:
        if lang and loc.startswith(lang):
            loc = loc[len(lang) :]
            break
    loc = _directory_form(loc)
    page, sep, _ = loc.partition("#")
    return page, bool(sep)


def is_deferred(location: str, rule: PartsRule, language_prefixes: Iterable[str] = ()) -> bool:
    """这一条目是否延后加载。"""
    page, section = page_key(location, language_prefixes)
    if not any(page.startswith(p) and page != p for p in rule.deferred):
        return False
    if any(page == p for p in rule.sections_only):
        return section
    return True


def _json_bytes(value) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def split_parts(
    index: dict,
    rule: PartsRule,
    language_prefixes: Iterable[str] = (),
    source_docs: Iterable[dict] = (),
    keep_words: Iterable[str] = (),
) -> tuple[dict, list[dict]]:
    """把整理好的索引（postprocess 的结果）分成主索引和分批索引。

    返回 (主索引, 各批内容)。各批内容为 {"docs": [...], "words": [...], "languages": {...}}，按顺序编号
    为 1、2、3……；主索引的 config.studycol 中记下：
    - parts：每批的 {url, docs, pages, bytes}（bytes 为写出的脚本文件的字节数，见 part_script）；
    - deferred：[[主索引中的位置, 条数], …]，把各批条目依次插回主索引的这些位置，就得到分批前的完整顺序，
      所以全部读入后的排序（包括同分时的先后）与不分批时完全相同；
    - words 只含主索引条目中的词和 keep_words（词典补充的词），其余的词随所在的批；
    - languages 中延后页面的语言副本记录随所在的批。
    source_docs 是整理前的原始条目（带 jieba 切分的零宽空格），用来确定每个词出自哪些条目。
    已分过批的索引原样返回。
    """
    config = index.get("config", {})
    extra = dict(config.get("studycol", {}))
    if "parts" in extra:
        return index, []
    prefixes = [p for p in language_prefixes if p]
    docs = list(index.get("docs", []))
    main: list[dict] = []
    later: list[dict] = []
    slots: list[list[int]] = []
    for doc in docs:
        if is_deferred(doc["location"], rule, prefixes):
            if slots and slots[-1][0] == len(main):
                slots[-1][1] += 1
            else:
                slots.append([len(main), 1])
            later.append(doc)
        else:
            main.append(doc)

    # 每个词出自哪些条目（整理前的原始条目；不在结果中的是已并入默认语言的副本，文字与原页相同）
    separator = config.get("separator", r"[\s\-]+")
    words_at: dict[str, set[str]] = {}
    kept = {d["location"] for d in docs}  # 已并入默认语言的副本（英文版回退页面）用不到，不必再取词
    for doc in source_docs:
        location = doc["location"]
        if location not in kept:
            continue
        found_here = _field_words(doc.get("title", ""), separator) | _field_words(doc.get("text", ""), separator)
        if location in words_at:
            words_at[location] |= found_here
        else:
            words_at[location] = set(found_here)
    main_found: set[str] = set(keep_words)
    for d in main:
        main_found |= words_at.get(d["location"], set())
    languages: dict[str, list[str]] = extra.get("languages", {})

    # 按页面分批：同一页面的条目不拆开；页数或字节数达到上限时开新的一批。
    # 字节数按写出的文件估计：条目，加上这一页带来的词（上限估计）和语言副本记录
    language_sets = [set(pages) for pages in languages.values()]  # 每批估算大小时逐页查：用集合，不在列表里逐个比较
    runs: list[list[dict]] = []
    for doc in later:
        if runs and page_of(runs[-1][0]["location"]) == page_of(doc["location"]):
            runs[-1].append(doc)
        else:
            runs.append([doc])
    limit = rule.part_kb * 1024 - 256  # 留出函数调用和各键名的字节
    groups: list[list[dict]] = []
    pages_in: list[int] = []
    size = 0
    for run in runs:
        text = json.dumps(run, ensure_ascii=False, separators=(",", ":"))
        run_size = len(text.encode("utf-8")) + text.count("</")
        new_words: set[str] = set()
        for d in run:
            new_words |= words_at.get(d["location"], set())
        run_size += sum(len(w.encode("utf-8")) + 3 for w in new_words - main_found)
        page = page_of(run[0]["location"])
        run_size += (len(page.encode("utf-8")) + 3) * sum(page in pages for pages in language_sets)
        if not groups or pages_in[-1] >= rule.pages_per_part or size + run_size > limit:
            groups.append([])
            pages_in.append(0)
            size = 0
        groups[-1].extend(run)
        pages_in[-1] += 1
        size += run_size

    # 每条所在的批（0 为主索引），据此把词和语言副本记录分到各批
    where: dict[str, int] = {d["location"]: 0 for d in main}
    for n, group in enumerate(groups, 1):
        for d in group:
            where[d["location"]] = n
    found: list[set[str]] = [set() for _ in range(len(groups) + 1)]
    for location, words in words_at.items():
        at = where.get(location)
        if at is not None:
            found[at] |= words
    all_words = set(extra.get("words", []))
    main_words = (set(keep_words) | found[0]) & all_words
    seen = set(main_words)
    part_words: list[list[str]] = []
    for n in range(1, len(groups) + 1):
        mine = (found[n] & all_words) - seen
        seen |= mine
        part_words.append(sorted(mine))
    # 整理前没有记下出处的词（不应出现）留在主索引中，保证合起来仍是完整的词表
    main_words |= all_words - seen

    main_languages: dict[str, list[str]] = {}
    part_languages: list[dict[str, list[str]]] = [{} for _ in groups]
    for lang, pages in languages.items():
        main_languages[lang] = []
        for part in part_languages:
            part[lang] = []
        for page in pages:
            # 副本页面的地址与原页相同（只差语言前缀）；原页的页面条目在哪一批，记录就随哪一批
            n = where.get(page, 0)
            (main_languages[lang] if n == 0 else part_languages[n - 1][lang]).append(page)

    payloads: list[dict[str, Any]] = [
        {"docs": group, "words": words, "languages": langs}
        for group, words, langs in zip(groups, part_words, part_languages)
    ]
    parts_meta = [
        {"url": PART_URL.format(n), "docs": len(p["docs"]), "pages": pages, "bytes": len(part_script(n, p).encode("utf-8"))}
        for n, (p, pages) in enumerate(zip(payloads, pages_in), 1)
    ]
    extra.update({"words": sorted(main_words), "languages": main_languages, "parts": parts_meta, "deferred": slots})
    return {**index, "config": {**config, "studycol": extra}, "docs": main}, payloads


def part_script(number: int, payload: dict) -> str:
    """第 number 批（从 1 起）写成的脚本：一次函数调用，参数是这一批的 JSON。"""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # 与页面中的内联 JSON 一样，避免出现 </script> 之类的序列；JSON 中 \u2028、\u2029 在旧引擎里不是合法的 JS
    data = data.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"{PART_CALLBACK}({number},{data});\n"


# ---- 7. 主索引也延后读入 ------------------------------------------------------------
#
# Material 的界面在每个页面打开时就读入 search/search_index.json（网站版）并交给工作线程，不管读者搜不搜索。
# 所以 search_index.json 只留一个小“引子”：Material 的 config（lang、separator、pipeline、fields）、
# config.studycol 中工作线程一开始就要的几项（格式版本、主批的地址），docs 为空。主索引的条目和其余数据
# （词表、繁简对照表、语言副本记录、各批的清单和插回位置）写成第 0 批（search/part-000.js），
# 与案例各批用同一种脚本、同一种读入方式；读者第一次搜索时工作线程先读入它，再读入案例各批。
# 引子不含任何随内容增长的东西：案例再多，它的大小也不变。

MAIN_PART = 0
# 留在引子中的 config.studycol 字段
STUB_KEYS = ("version", "segmented")


def lazy_stub(index: dict) -> tuple[dict, dict | None]:
    """把主索引（split_parts 的第一个结果）分成引子和第 0 批的内容。

    第 0 批为 {"docs": 主索引条目, "studycol": 引子以外的 config.studycol 字段}；引子的 config.studycol.main
    是第 0 批的地址。已是引子的原样返回（第二项为 None）。
    """
    config = index.get("config", {})
    extra = dict(config.get("studycol", {}))
    if "main" in extra:
        return index, None
    stub_extra = {k: extra[k] for k in STUB_KEYS if k in extra}
    stub_extra["main"] = PART_URL.format(MAIN_PART)
    payload = {"docs": list(index.get("docs", [])), "studycol": {k: v for k, v in extra.items() if k not in STUB_KEYS}}
    stub = {**index, "config": {**config, "studycol": stub_extra}, "docs": []}
    return stub, payload


def restore_main(stub: dict, payload: dict) -> dict:
    """引子加第 0 批 → 分成引子之前的主索引（与浏览器端读入第 0 批后的做法相同）。"""
    config = stub.get("config", {})
    extra = {k: v for k, v in config.get("studycol", {}).items() if k != "main"}
    extra.update(payload.get("studycol", {}))
    return {**stub, "config": {**config, "studycol": extra}, "docs": list(payload.get("docs", []))}


def read_part_script(text: str) -> tuple[int, dict]:
    """part_script 写出的脚本 → (批号, 内容)。"""
    head = text.index("(")
    number, _, rest = text[head + 1 :].partition(",")
    return int(number), json.loads(rest[: rest.rindex(")")])


# ---- 构建好的站点：整理搜索索引（构建引擎的最后一步调用；不依赖 MkDocs，测试可直接对 site/ 调用） -----------


def _site_page_reader(site: Path) -> Callable[[str], str | None]:
    def read_page(location: str) -> str | None:
        rel = location + "index.html" if location == "" or location.endswith("/") else location
        # 地址来自 Material 生成的索引；仍拒绝越出站点目录的地址
        norm = posixpath.normpath(rel)
        if norm.startswith(("../", "/")) or norm == "..":
            return None
        path = site / norm
        return path.read_text(encoding="utf-8") if path.is_file() else None

    return read_page


def tidy_site(
    site: Path,
    words: list[str],
    *,
    prefixes: list[str],
    ranking: Ranking | None,
    parts_rule: PartsRule | None,
) -> dict[str, int] | None:
    """整理 site/search/ 下搜索插件写出的索引：拆段、合并语言、繁简对照、排名、分批（parts_rule 为 None 时
    保留 Material 自带引擎的格式，不分批）。已整理过或没有索引时返回 None，否则返回统计数字。

    words 是浏览器端切分查询用的补充词表（search_dict.vocabulary_supplement）。
    """
    json_path = site / "search" / "search_index.json"
    if not json_path.is_file():
        return None
    index = json.loads(json_path.read_text(encoding="utf-8"))
    source_docs = list(index.get("docs", []))
    index, stats = postprocess(
        index, _site_page_reader(site), jieba_segmenter(), prefixes, words, ranking, compact=parts_rule is not None,
    )
    if not stats:
        return None
    parts: list[dict] = []
    if parts_rule is not None:
        index, parts = split_parts(index, parts_rule, prefixes, source_docs, words)
        pages = {page_key(d["location"], prefixes)[0] for d in source_docs}
        for page in parts_rule.sections_only:
            if page not in pages:
                problems.report(problems.Problem(
                    "data/search/parts.yml", 1,
                    f"sections_only 中的“{page}”不是站点中的页面（页面改名或删除了？）；请改成现有页面的地址或删去此项。",
                ))
        # 主索引也延后：search_index.json 只留引子（每个页面打开时读入），主索引的条目写成第 0 批
        index, main_part = lazy_stub(index)
        if main_part is not None:  # 刚整理过的索引一定还不是引子
            parts = [main_part, *parts]
    for old_part in sorted((site / "search").glob("part-*.js")):
        old_part.unlink()  # 上一次构建（serve）留下的分批文件
    for number, payload in enumerate(parts, MAIN_PART):
        (site / PART_URL.format(number)).write_text(part_script(number, payload), encoding="utf-8")
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    json_path.write_text(data, encoding="utf-8")
    js_path = site / "search" / "search_index.js"
    if js_path.is_file():  # U 盘版：offline 插件已把整理前的索引抄成脚本，按同样格式重写为引子
        js_path.write_text(f"var __index = {data}", encoding="utf-8")
    return {**stats, "parts": len(parts)}
