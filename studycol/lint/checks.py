"""各条排版规则的实现。

每个检查函数接收一组文字段（TextSegment：遮盖过的正文，带源文件行列），产出 Finding。
能安全自动修正的，Finding 里带上 Fix（源文件中的起止位置和替换文字）。
其中 ZH-PUNC-1、ZH-SPACE-2、ZH-WIDTH-1 交给 autocorrect-py（按公文写法配置：不加中英文空格），
其余是 autocorrect 没有的公文规则，在这里实现。
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Iterator

import autocorrect_py

from . import markdown as md
from .rules import BY_ID
from .yamltext import TextSegment

MASK = md.MASK
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
OPEN_P = "“‘（《〈【〔「『"
CLOSE_P = "”’）》〉】〕」』"
CJK_P = "，。、；：？！…—" + OPEN_P + CLOSE_P
HAN_RE = re.compile(f"[{HAN}]")


@dataclasses.dataclass(frozen=True)
class Fix:
    """把源文件中 start..end（(行, 列)，行 1 起、列 0 起）之间的文字换成 new。"""

    start: tuple[int, int]
    end: tuple[int, int]
    new: str


@dataclasses.dataclass(frozen=True)
class Finding:
    rule: str
    path: str
    line: int
    col: int  # 1 起
    detail: str = ""
    fixes: tuple[Fix, ...] = ()

    @property
    def fixable(self) -> bool:
        return bool(self.fixes)

    def __str__(self) -> str:
        rule = BY_ID[self.rule]
        what = rule.message + (f"：{self.detail}" if self.detail else "")
        how = rule.suggestion + ("（make fix 可自动修正）" if self.fixes else "")
        return f"[{self.rule}] {self.path}:{self.line}:{self.col} {what} → {how}"


def _excerpt(text: str, i: int, j: int, width: int = 6) -> str:
    a, b = max(0, i - width), min(len(text), j + width)
    s = text[a:b].replace(MASK, "…")
    s = re.sub("…{2,}", "…", s)
    return ("…" if a > 0 else "") + s + ("…" if b < len(text) else "")


class Hits:
    """收集一个文件的检查结果。"""

    def __init__(self, path: str):
        self.path = path
        self.items: list[Finding] = []

    def at(self, rule: str, seg: TextSegment, i: int, j: int | None = None, new: str | None = None, detail: str = "",
           extra: Iterable[tuple[TextSegment, int, int, str]] = ()) -> None:
        """在 seg.text[i:j] 处记一条；给了 new 且位置精确时附带修正。"""
        fixes: list[Fix] = []
        if new is not None and j is not None and seg.exact and MASK not in seg.text[i:j]:
            fixes.append(Fix((seg.line, seg.col + i), (seg.line, seg.col + j), new))
            for s2, i2, j2, new2 in extra:
                if not s2.exact or MASK in s2.text[i2:j2]:
                    fixes = []
                    break
                fixes.append(Fix((s2.line, s2.col + i2), (s2.line, s2.col + j2), new2))
        if not detail:
            old = seg.text[i:j] if j is not None else ""
            detail = f"“{old}”→“{new}”" if new is not None and old else f"“{_excerpt(seg.text, i, j or i + 1)}”"
        self.items.append(Finding(rule, self.path, seg.line, seg.col + i + 1, detail, tuple(fixes)))

    def raw(self, finding: Finding) -> None:
        self.items.append(finding)


def _cjk_segments(segs: Iterable[TextSegment]) -> Iterator[TextSegment]:
    for s in segs:
        if HAN_RE.search(s.text):
            yield s


# ---- autocorrect-py -----------------------------------------------------------

_AC_ALL = (
    "space-word", "space-punctuation", "space-bracket", "space-backticks", "space-dash", "fullwidth",
    "no-space-fullwidth", "no-space-fullwidth-quote", "halfwidth-word", "halfwidth-punctuation", "spellcheck",
)
# 本仓库规则 → autocorrect 规则。其余 autocorrect 规则（尤其是 space-word：在中英文之间加空格）一律关闭，
# 因为公文写法正好相反：汉字与数字、英文之间不加空格（由 ZH-SPACE-1 检查）。
AUTOCORRECT_RULES: dict[str, tuple[str, ...]] = {
    "ZH-PUNC-1": ("fullwidth",),
    "ZH-SPACE-2": ("no-space-fullwidth", "no-space-fullwidth-quote"),
    "ZH-WIDTH-1": ("halfwidth-word",),
}


def autocorrect_config(enabled: Iterable[str]) -> str:
    on = set(enabled)
    rules = {name: (1 if name in on else 0) for name in _AC_ALL}
    return json.dumps({"rules": rules, "context": {"codeblock": 0}})


ANSWER_SLOT = "（\u3000\u3000）"


def _in_answer_slot(text: str, i1: int, i2: int) -> bool:
    """text[i1:i2] 是否落在括号空位“（　　）”之内（测验题干中作答的位置）。"""
    for m in re.finditer(re.escape(ANSWER_SLOT), text):
        if m.start() < i1 and i2 <= m.end():
            return True
    return False


def _autocorrect(hits: Hits, segs: list[TextSegment], rule: str, want: re.Pattern[str]) -> None:
    autocorrect_py.load_config(autocorrect_config(AUTOCORRECT_RULES[rule]))  # type: ignore[attr-defined]  # 类型存根缺这个函数
    for seg in segs:
        if not want.search(seg.text):
            continue
        new = autocorrect_py.format(seg.text)
        if new == seg.text:
            continue
        ops = difflib.SequenceMatcher(None, seg.text, new, autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                continue
            old_s, new_s = seg.text[i1:i2], new[j1:j2]
            if MASK in old_s or MASK in new_s:
                continue
            if rule == "ZH-PUNC-1" and not old_s.strip():
                continue  # 只取标点替换，空格由 ZH-SPACE-2 报告
            if rule == "ZH-WIDTH-1" and _in_answer_slot(seg.text, i1, i2):
                continue  # 测验题干的括号空位“（　　）”：两个全角空格是规定写法
            detail = f"“{old_s}”→“{new_s}”" if old_s.strip() else f"“{_excerpt(seg.text, i1, i2)}”中的空格"
            hits.at(rule, seg, i1, i2, new_s, detail)


# ---- ZH-PUNC ------------------------------------------------------------------

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", ".": "。"}
_PUNC_RE = re.compile(
    rf"(?<=[{HAN}{CLOSE_P}])([,;:?!])(?=[{HAN}{OPEN_P}]|[ \t]*$)"
    rf"|(?<=[A-Za-z0-9])([,;:?!])(?=[{HAN}])"
    rf"|(?<=[{HAN}])([,;?!])(?=[A-Za-z0-9])"
    rf"|(?<=[{HAN}{CLOSE_P}])(\.)(?=[ \t]*$|[{HAN}{OPEN_P}])"
)
_PAREN_RE = re.compile(r"\(([^()\n]*)\)")


def check_punctuation(hits: Hits, segs: list[TextSegment]) -> None:
    for seg in _cjk_segments(segs):
        for m in _PUNC_RE.finditer(seg.text):
            ch = m.group(0)
            hits.at("ZH-PUNC-1", seg, m.start(), m.end(), _HALF_TO_FULL[ch])
        lead = len(seg.text) - len(seg.text.lstrip(" #>-*+\t"))
        for m in _PAREN_RE.finditer(seg.text):
            inner = m.group(1)
            before = seg.text[m.start() - 1] if m.start() > 0 else ""
            after = seg.text[m.end()] if m.end() < len(seg.text) else ""
            if m.start() == lead and re.fullmatch(r"\d{1,2}|[一二三四五六七八九十]{1,3}", inner):
                continue  # 段首的层次序数，由 ZH-HEAD-2 报告
            if HAN_RE.search(inner) or re.match(f"[{HAN}{CJK_P}]", before) or re.match(f"[{HAN}{CJK_P}]", after):
                if not inner.strip(MASK + " "):
                    continue
                hits.at(
                    "ZH-PUNC-2", seg, m.start(), m.start() + 1, "（",
                    f"“{_excerpt(seg.text, m.start(), m.end(), 0)}”",
                    extra=[(seg, m.end() - 1, m.end(), "）")],
                )


_FUNCTION_WORDS = "and|or|the|of|to|in|for|with|is|are|was|were|be|by|at|from|on|as|an|but|not|that|this"
_LATIN_RE = re.compile(rf"(?<=[{HAN}])[ \t]*({_FUNCTION_WORDS})[ \t]*(?=[{HAN}])")


# ---- ZH-SPACE -----------------------------------------------------------------

_SPACE_HAN_ALNUM = re.compile(rf"(?<=[{HAN}])[ \u00a0]+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])[ \u00a0]+(?=[{HAN}])")
_SPACE_HAN_HAN = re.compile(rf"(?<=[{HAN}])[ \u00a0]+(?=[{HAN}])")
# 联合发文机关名称之间空一字（如“中共中央办公厅 国务院办公厅”）是公文惯例
_ISSUER_END = re.compile(r"(?:办公厅|委员会|人民政府|政府|[部委局院厅署办会])$")


def check_spaces(hits: Hits, segs: list[TextSegment]) -> None:
    for seg in _cjk_segments(segs):
        stranded = [(m.start(), m.end()) for m in _LATIN_RE.finditer(seg.text)]
        for m in _SPACE_HAN_ALNUM.finditer(seg.text):
            if any(a <= m.start() and m.end() <= b for a, b in stranded):
                continue  # 夹杂的英文虚词由 ZH-LATIN-1 报告；删空格只会让它更难看出来
            hits.at("ZH-SPACE-1", seg, m.start(), m.end(), "", f"“{_excerpt(seg.text, m.start(), m.end(), 4)}”")
        for m in _SPACE_HAN_HAN.finditer(seg.text):
            if _ISSUER_END.search(seg.text[: m.start()]):
                continue
            hits.at("ZH-SPACE-3", seg, m.start(), m.end(), None, f"“{_excerpt(seg.text, m.start(), m.end(), 4)}”")


# ---- ZH-WENHAO ----------------------------------------------------------------

_WENHAO_RE = re.compile(rf"(?<=[{HAN}])([\[\(（【［〔])((?:19|20)\d\d)([\]\)）】］〕])(第?)(\d+)(?=号)")


def check_doc_numbers(hits: Hits, segs: list[TextSegment]) -> None:
    for seg in _cjk_segments(segs):
        for m in _WENHAO_RE.finditer(seg.text):
            if (m.group(1), m.group(3)) != ("〔", "〕"):
                hits.at(
                    "ZH-WENHAO-1", seg, m.start(1), m.end(1), "〔",
                    f"“{m.group(0)}号”", extra=[(seg, m.start(3), m.end(3), "〕")],
                )
            if m.group(4):
                hits.at("ZH-WENHAO-2", seg, m.start(4), m.end(4), "", f"“{m.group(0)}号”")
            num = m.group(5)
            if len(num) > 1 and num.startswith("0"):
                hits.at("ZH-WENHAO-3", seg, m.start(5), m.end(5), num.lstrip("0") or "0", f"“{m.group(0)}号”")


# ---- ZH-QUOTE / ZH-BOOK ----------------------------------------------------------

_CORNER = {"「": "“", "」": "”", "『": "‘", "』": "’"}
_SINGLE_STRAIGHT = re.compile(rf"(?<![A-Za-z])'([^'\n]*[{HAN}][^'\n]*)'(?![A-Za-z])")


def check_quotes(hits: Hits, segs: list[TextSegment]) -> None:
    for seg in _cjk_segments(segs):
        for i, ch in enumerate(seg.text):
            if ch in _CORNER:
                hits.at("ZH-QUOTE-1", seg, i, i + 1, _CORNER[ch])
        pos = [i for i, ch in enumerate(seg.text) if ch == '"']
        if pos and len(pos) % 2 == 0:
            for k in range(0, len(pos), 2):
                a, b = pos[k], pos[k + 1]
                hits.at("ZH-QUOTE-1", seg, a, a + 1, "“", f"“{_excerpt(seg.text, a, b + 1, 0)}”",
                        extra=[(seg, b, b + 1, "”")])
        elif pos:
            hits.at("ZH-QUOTE-1", seg, pos[0], pos[0] + 1, None, f"直引号“{_excerpt(seg.text, pos[0], pos[0] + 1)}”且不成对")
        for m in _SINGLE_STRAIGHT.finditer(seg.text):
            hits.at("ZH-QUOTE-1", seg, m.start(), m.start() + 1, "‘", f"“{m.group(0)}”",
                    extra=[(seg, m.end() - 1, m.end(), "’")])


def _blocks(segs: list[TextSegment]) -> list[list[TextSegment]]:
    groups: dict[int, list[TextSegment]] = {}
    for s in segs:
        groups.setdefault(s.block, []).append(s)
    return list(groups.values())


def check_pairs(hits: Hits, segs: list[TextSegment]) -> None:
    """引号和书名号的配对与嵌套，按段落（YAML 按字段）检查。"""
    for block in _blocks(segs):
        if not any(HAN_RE.search(s.text) for s in block):
            continue
        quotes: list[tuple[str, TextSegment, int]] = []
        books: list[tuple[TextSegment, int, bool]] = []
        for seg in block:
            t = seg.text
            for i, ch in enumerate(t):
                if ch == "“":
                    if quotes and quotes[-1][0] == "“":
                        hits.at("ZH-QUOTE-2", seg, i, i + 1, None, f"双引号内又用双引号：“{_excerpt(t, i, i + 1)}”")
                    quotes.append(("“", seg, i))
                elif ch == "‘":
                    quotes.append(("‘", seg, i))
                elif ch in "”’":
                    want = "“" if ch == "”" else "‘"
                    if ch == "’" and 0 < i < len(t) - 1 and t[i - 1].isascii() and t[i - 1].isalpha() and t[i + 1].isascii() and t[i + 1].isalpha():
                        continue  # 英文撇号，如 don’t
                    if quotes and quotes[-1][0] == want:
                        quotes.pop()
                    else:
                        hits.at("ZH-QUOTE-2", seg, i, i + 1, None, f"多出一个后引号：“{_excerpt(t, i, i + 1)}”")
                elif ch == "《":
                    books.append((seg, i, bool(books)))
                elif ch == "》":
                    if not books:
                        hits.at("ZH-BOOK-1", seg, i, i + 1, None, f"多出一个后书名号：“{_excerpt(t, i, i + 1)}”")
                        continue
                    s0, i0, nested = books.pop()
                    if nested:
                        hits.at("ZH-BOOK-1", s0, i0, i0 + 1, "〈", f"书名号内又用书名号：“{_excerpt(s0.text, i0, i0 + 1)}”",
                                extra=[(seg, i, i + 1, "〉")])
        for q, seg, i in quotes:
            hits.at("ZH-QUOTE-2", seg, i, i + 1, None, f"引号“{q}”没有闭合：“{_excerpt(seg.text, i, i + 1)}”")
        for seg, i, _ in books:
            hits.at("ZH-BOOK-1", seg, i, i + 1, None, f"书名号没有闭合：“{_excerpt(seg.text, i, i + 1)}”")


# ---- ZH-DASH / ZH-ELLIP -----------------------------------------------------------

_CTX = f"[{HAN}{CJK_P}]"
_DASH_RE = re.compile(rf"(?<={_CTX})[ \t]*(-{{2,}}|―+|－{{2,}}|—{{3,}}|─+)[ \t]*(?={_CTX})")
_ELLIPSIS_RE = re.compile(r"\.{3,}|。{3,}|…+|·{3,}|⋯+|・{3,}")
_ETC_RE = re.compile(r"……(?=等)")


def check_dashes(hits: Hits, segs: list[TextSegment]) -> None:
    for seg in _cjk_segments(segs):
        for m in _DASH_RE.finditer(seg.text):
            hits.at("ZH-DASH-1", seg, m.start(), m.end(), "——")
        for m in _ELLIPSIS_RE.finditer(seg.text):
            run = m.group(0)
            if run == "……" or (set(run) == {"…"} and len(run) % 2 == 0):
                continue
            before = seg.text[m.start() - 1] if m.start() else ""
            after = seg.text[m.end()] if m.end() < len(seg.text) else ""
            if re.match(_CTX, before) or re.match(_CTX, after):
                hits.at("ZH-ELLIP-1", seg, m.start(), m.end(), "……")
        for m in _ETC_RE.finditer(seg.text):
            hits.at("ZH-ELLIP-2", seg, m.start(), m.end() + 1, None, f"“{_excerpt(seg.text, m.start(), m.end() + 1)}”")


# ---- ZH-DATE ------------------------------------------------------------------

_NUM_DATE_RE = re.compile(r"(?<![\d./-])((?:19|20)\d\d)([-/.])(\d{1,2})\2(\d{1,2})(?![\d./-])")
_ZERO_RE = re.compile(r"(?<=年)0(?=[1-9]月)|(?<=月)0(?=[1-9]日)")
_CN_DATE_RE = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")


def _valid(y: int, m: int, d: int | None) -> bool:
    try:
        dt.date(y, m, d or 1)
    except ValueError:
        return False
    return True


def check_dates(hits: Hits, segs: list[TextSegment]) -> None:
    for seg in _cjk_segments(segs):
        t = seg.text
        for m in _NUM_DATE_RE.finditer(t):
            before = t[m.start() - 1] if m.start() else ""
            after = t[m.end()] if m.end() < len(t) else ""
            if not (re.match(_CTX, before) or re.match(_CTX, after)):
                continue  # 表格等处单独出现的数字日期（GB/T 7408）不改
            y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
            if _valid(y, mo, d):
                hits.at("ZH-DATE-1", seg, m.start(), m.end(), f"{y}年{mo}月{d}日")
            else:
                hits.at("ZH-DATE-3", seg, m.start(), m.end(), None, f"“{m.group(0)}”")
        for m in _ZERO_RE.finditer(t):
            hits.at("ZH-DATE-2", seg, m.start(), m.end(), "", f"“{_excerpt(t, m.start(), m.end(), 5)}”")
        for m in _CN_DATE_RE.finditer(t):
            y, mo = int(m.group(1)), int(m.group(2))
            day = int(m.group(3)) if m.group(3) else None
            if not _valid(y, mo, day):
                hits.at("ZH-DATE-3", seg, m.start(), m.end(), None, f"“{m.group(0)}”")


# ---- ZH-LATIN -----------------------------------------------------------------



def check_latin(hits: Hits, segs: list[TextSegment]) -> None:
    for seg in _cjk_segments(segs):
        for m in _LATIN_RE.finditer(seg.text):
            hits.at("ZH-LATIN-1", seg, m.start(1), m.end(1), None, f"“{_excerpt(seg.text, m.start(), m.end(), 4)}”")


# ---- ZH-HEAD（层次序数）---------------------------------------------------------------

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
CN_NUM = "[一二三四五六七八九十]{1,3}"


def cn_to_int(s: str) -> int | None:
    if not s or any(c not in "零一二三四五六七八九十" for c in s):
        return None
    if "十" not in s:
        return _CN_DIGITS[s] if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    t = _CN_DIGITS.get(tens, 0) if tens else 1
    o = _CN_DIGITS.get(ones, 0) if ones else 0
    return t * 10 + o if (tens == "" or tens in _CN_DIGITS) and (ones == "" or ones in _CN_DIGITS) else None


_CIRCLED = {chr(0x2474 + i): i + 1 for i in range(20)}  # ⑴…⒇
_ORDINAL_RES: tuple[tuple[int, re.Pattern[str]], ...] = (
    (2, re.compile(rf"([(（])({CN_NUM})([)）])([、.．,，]?)")),
    (4, re.compile(r"([(（])(\d{1,2})([)）])([、.．]?)")),
    (4, re.compile(r"()(\d{1,2})(\))()")),
    (4, re.compile("()([⑴-⒇])()()")),
    (1, re.compile(rf"()({CN_NUM})()([、.．,，:：]|[ \t]+)")),
    (3, re.compile(r"()(\d{1,2})()([.．、](?!\d)[ \t]*)")),
)


@dataclasses.dataclass
class Ordinal:
    level: int
    number: int
    start: int
    end: int
    correct: str
    ok: bool


def parse_ordinal(text: str, start: int, heading: bool) -> Ordinal | None:
    """解析 text[start:] 开头的层次序数（一、（一）1.（1））。"""
    for level, pat in _ORDINAL_RES:
        m = pat.match(text, start)
        if not m:
            continue
        after = text[m.end()] if m.end() < len(text) else ""
        if not heading and not HAN_RE.match(after):
            return None
        raw_num = m.group(2)
        num = _CIRCLED.get(raw_num) or (int(raw_num) if raw_num.isdigit() else cn_to_int(raw_num))
        if num is None:
            return None
        if level == 1:
            if not (HAN_RE.match(after) or after in "“《（" or heading):
                return None
            if not heading and m.group(4).strip() == "":
                return None  # 段首“一 ……”太含糊，不当作序数
            correct = f"{raw_num}、"
        elif level == 2:
            correct = f"（{raw_num}）"
        elif level == 3:
            if not heading and m.group(4).startswith("."):
                return None  # 段首“1.”在 Markdown 里是有序列表
            correct = f"{raw_num}."
        else:
            correct = f"（{num}）"
        return Ordinal(level, num, m.start(), m.end(), correct, m.group(0) == correct)
    return None


def check_headings(hits: Hits, doc: md.MarkdownDoc) -> None:
    counters = [0, 0, 0, 0, 0]
    base: int | None = None
    para_starts = {grp[0].no for grp in md.paragraphs(doc)}
    segs = {ln.no: TextSegment(ln.no, 0, ln.text, True, ln.no, "") for ln in doc.lines if ln.kind == "text"}
    for ln in doc.lines:
        if ln.kind != "text":
            continue
        hm = md.HEADING_RE.match(ln.text)
        is_heading = bool(hm) and ln.indent < 4
        if not is_heading and ln.no not in para_starts:
            continue
        lm = md.LIST_RE.match(ln.raw)
        if not is_heading and lm:
            start = lm.end()
        elif hm and is_heading:
            start = hm.end()
        else:
            start = ln.indent
        while start < len(ln.text) and ln.text[start] in "*_":
            start += 1
        ordn = parse_ordinal(ln.text, start, is_heading)
        if not ordn:
            continue
        seg = segs[ln.no]
        if not ordn.ok:
            hits.at("ZH-HEAD-2", seg, ordn.start, ordn.end, ordn.correct)
        if not is_heading:
            continue
        lvl = ordn.level
        # 一组页面中的一页（如解读的第二部分）可以从“二、”开始：第一个带序数的标题定下起点
        first_at_top = base is None or lvl <= base
        if base is None:
            base = lvl
        if lvl > base and counters[lvl - 1] == 0:
            names = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}
            hits.at("ZH-HEAD-1", seg, ordn.start, ordn.end, None,
                    f"“{ln.text[ordn.start:ordn.end]}”是第{lvl}层序数，但前面没有第{lvl - 1}层（{names[lvl - 1]}）")
        elif ordn.number != counters[lvl] + 1 and not (first_at_top and counters[lvl] == 0):
            expect = counters[lvl] + 1
            hits.at("ZH-HEAD-3", seg, ordn.start, ordn.end, None,
                    f"“{ln.text[ordn.start:ordn.end]}”，这里应是第{expect}个")
        counters[lvl] = ordn.number
        for deeper in range(lvl + 1, 5):
            counters[deeper] = 0


# ---- ZH-BREAK -----------------------------------------------------------------

_CJK_CHAR = re.compile(f"[{HAN}{CJK_P}]")


def check_breaks(hits: Hits, doc: md.MarkdownDoc) -> None:
    for group in md.paragraphs(doc):
        for a, b in zip(group, group[1:]):
            if a.raw.endswith(("  ", "\\")) or md.HEADING_RE.match(a.raw.lstrip()):
                continue
            left, right = a.text.rstrip(), b.text.lstrip()
            if not left or not right or not _CJK_CHAR.match(left[-1]) or not _CJK_CHAR.match(right[0]):
                continue
            end_a = len(a.raw.rstrip())
            start_b = len(b.raw) - len(b.raw.lstrip())
            fix = Fix((a.no, end_a), (b.no, start_b), "")
            detail = f"“{_excerpt(left, len(left) - 1, len(left), 6)}⏎{_excerpt(right, 0, 1, 6)}”"
            hits.raw(Finding("ZH-BREAK-1", hits.path, a.no, end_a + 1, detail, (fix,)))


# ---- 全部文字规则 -----------------------------------------------------------------

_WIDTH_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]")


def check_segments(hits: Hits, segs: list[TextSegment]) -> None:
    cjk = list(_cjk_segments(segs))
    _autocorrect(hits, cjk, "ZH-PUNC-1", re.compile("[,.;:!?]"))
    _autocorrect(hits, cjk, "ZH-SPACE-2", re.compile(f"[ \t][{CJK_P}]|[{CJK_P}][ \t]"))
    _autocorrect(hits, segs, "ZH-WIDTH-1", _WIDTH_RE)
    check_punctuation(hits, segs)
    check_spaces(hits, segs)
    check_doc_numbers(hits, segs)
    check_quotes(hits, segs)
    check_pairs(hits, segs)
    check_dashes(hits, segs)
    check_dates(hits, segs)
    check_latin(hits, segs)
