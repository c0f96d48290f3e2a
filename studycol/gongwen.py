"""导入的公文（GB/T 9704）：数据模型、按收到文本的版式拼出发布稿、与底本逐字核对。

导入程序（studycol.importer）从单位收到的 .txt、.docx、.pdf 生成 ``data/gongwen/<编号>.yml``，
本模块定义这份文件的结构并负责核对：

- 结构与通知（data/notice.yml，studycol.notice）相同，只多出通知没有的要素（附件说明、署名、成文日期、
  其他附注、抄送、正文的二至四级层次），这些字段为空时不写出。因此通知的发布稿本身就是一份合规的导入公文。
- 编号以文件自己的前缀开头：部分 ``<前缀><序号>``，段落 ``<部分>-<序号>``，句子 ``<段落>-<序号>``。
- ``check`` 把发布稿按收到文本的版式拼成一个字符串，与底本逐字比对；每一处差异都必须由校勘记登记，处数相符。
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .yamlsrc import load_yaml_file, validate

MARK_RE = re.compile(r"==(.+?)==")
PREFIX_RE = re.compile(r"^[a-z]{1,12}$")
ID_RE = re.compile(r"^(?P<prefix>[a-z]{1,12})(?P<part>\d+)(?:-(?P<para>\d+)(?:-(?P<sent>\d+))?)?$")
DOC_NUMBER_RE = re.compile(r"^[\u4e00-\u9fa5]+〔\d{4}〕[1-9]\d*号$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sentence(_Strict):
    id: str = Field(pattern=ID_RE.pattern)
    text: str = Field(min_length=1)


class Paragraph(_Strict):
    id: str = Field(pattern=ID_RE.pattern)
    # 正文层次：0 为普通段落；2、3、4 为以“（一）”“1.”“（1）”开头的段落，no 是原文中的序号
    level: int = Field(default=0, ge=0, le=4)
    no: str = ""
    sentences: list[Sentence] = Field(min_length=1)


class Part(_Strict):
    id: str = Field(pattern=ID_RE.pattern)
    no: str  # 一级标题的序号（“一”），导语和结尾为空
    label: str  # 导语、第一部分、结尾……
    title: str | None
    paragraphs: list[Paragraph] = Field(min_length=1)


class Meta(_Strict):
    issuer_mark: str = Field(min_length=1)
    doc_number: str = Field(pattern=DOC_NUMBER_RE.pattern)
    issuer: str = Field(min_length=1)
    title: str = Field(min_length=1)
    short_title: str = Field(min_length=1)
    addressees: str = ""
    attachments: list[str] = []  # 附件说明，每行一项，照原文（含“附件：”）
    signature: list[str] = []  # 发文机关署名，每个机关一行
    date: dt.date | None = None  # 成文日期
    disclosure: str = ""  # 附注（信息公开形式：…）中的公开形式
    notes: list[str] = []  # 其他附注，照原文（含括号）
    cc: str = ""  # 版记：抄送机关（“抄送：”之后的文字）
    printing_office: str = Field(min_length=1)
    print_date: dt.date
    index_number: str = ""
    subject_category: str = ""


class CollationEntry(_Strict):
    id: str
    where: str
    kind: str
    received: str
    published: str
    count: int = Field(ge=1)
    why: str = Field(min_length=1)


class Kept(_Strict):
    where: str
    text: str
    why: str


class Omitted(_Strict):
    what: str
    why: str


class Gongwen(_Strict):
    received_file: str
    meta: Meta
    collation: list[CollationEntry]
    kept: list[Kept] = []
    omitted: list[Omitted] = []
    parts: list[Part] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self) -> "Gongwen":
        seen: set[str] = set()
        prefixes: set[str] = set()
        for part in self.parts:
            m = ID_RE.match(part.id)
            if not m or m["para"]:
                raise ValueError(f"部分的编号“{part.id}”应为“前缀+序号”，如 n1")
            prefixes.add(m["prefix"])
            ids = [part.id] + [p.id for p in part.paragraphs] + [s.id for p in part.paragraphs for s in p.sentences]
            for one in ids:
                if one in seen:
                    raise ValueError(f"编号“{one}”重复；每个部分、段落、句子的编号必须唯一")
                seen.add(one)
            for para in part.paragraphs:
                if not re.fullmatch(re.escape(part.id) + r"-\d+", para.id):
                    raise ValueError(f"段落 {para.id} 不属于部分 {part.id}；段落编号应为“{part.id}-序号”")
                for s in para.sentences:
                    if not re.fullmatch(re.escape(para.id) + r"-\d+", s.id):
                        raise ValueError(f"句子 {s.id} 不属于段落 {para.id}；句子编号应为“{para.id}-序号”")
        if len(prefixes) > 1:
            raise ValueError(f"一份文件的编号只能用一个前缀，这里有 {'、'.join(sorted(prefixes))}")
        return self

    @property
    def prefix(self) -> str:
        m = ID_RE.match(self.parts[0].id)
        assert m is not None
        return m["prefix"]

    def all_ids(self) -> list[str]:
        out: list[str] = []
        for part in self.parts:
            out.append(part.id)
            for para in part.paragraphs:
                out.append(para.id)
                out += [s.id for s in para.sentences]
        return out


def load_gongwen(path: Path, display: str | None = None) -> Gongwen:
    """读取并校验一份导入的公文。"""
    doc: Gongwen = validate(Gongwen, load_yaml_file(path, display))
    return doc


def strip_marks(text: str) -> str:
    """去掉关键短语标记 ==…==（编辑为出题加的，不属于原文）。"""
    return MARK_RE.sub(r"\1", text)


def date_text(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def disclosure_line(disclosure: str) -> str:
    return f"（信息公开形式：{disclosure}）"


def paragraph_text(para: Paragraph) -> str:
    return para.no + "".join(strip_marks(s.text) for s in para.sentences)


# ---- 引用目标 ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Target:
    """一个可被引用的位置：编号、标签（如“示例〔2099〕1号第二部分第3段第1句”）、预览文字。"""

    id: str
    label: str
    text: str
    kind: str  # part / paragraph / sentence


def targets(doc: Gongwen) -> list[Target]:
    """文件中所有可引用的目标，按原文顺序；标签以文号开头，全站不会与通知的标签混淆。"""
    out: list[Target] = []
    name = doc.meta.doc_number
    for part in doc.parts:
        plabel = name + part.label
        first = paragraph_text(part.paragraphs[0])
        out.append(Target(part.id, plabel, f"{part.no}、{part.title}" if part.title else first, "part"))
        for i, para in enumerate(part.paragraphs, 1):
            para_label = f"{plabel}第{i}段" if len(part.paragraphs) > 1 or part.title else plabel
            out.append(Target(para.id, para_label, paragraph_text(para), "paragraph"))
            for j, s in enumerate(para.sentences, 1):
                out.append(Target(s.id, f"{para_label}第{j}句", strip_marks(s.text), "sentence"))
    return out


def load_directory(directory: Path, display_dir: str = "data/gongwen") -> dict[str, Gongwen]:
    """data/gongwen/ 中全部导入的公文，按文件编号（文件名）索引；读不了的抛出 DataError（全部问题）。"""
    from .yamlsrc import DataError

    docs: dict[str, Gongwen] = {}
    errors = []
    for path in sorted(directory.glob("*.yml")) if directory.is_dir() else []:
        try:
            docs[path.stem] = load_gongwen(path, f"{display_dir}/{path.name}")
        except DataError as exc:
            errors += exc.errors
    if errors:
        raise DataError(errors)
    return docs


# ---- 按收到文本的版式拼出发布稿 ----------------------------------------------------

Span = tuple[int, int, str, "str | None"]


def published_layout(doc: Gongwen) -> tuple[str, list[Span]]:
    """发布稿按 GB/T 9704 的要素顺序拼成一个字符串（各块之间空一行，与导入时整理的底本相同）。

    返回 (文字, 区域表)；区域表的元素是 (起, 止, 区域名, 句子编号)。区域名是校勘记的 where：
    issuer_mark、doc_number、title、addressees、部分编号（一级标题）、段落编号、signature（附件说明、署名、
    成文日期）、colophon（附注和版记）。
    """
    m = doc.meta
    chunks: list[tuple[str, str, str | None, bool]] = [
        (m.issuer_mark, "issuer_mark", None, False),
        (m.doc_number, "doc_number", None, False),
        (m.title, "title", None, False),
    ]
    if m.addressees:
        chunks.append((m.addressees, "addressees", None, False))
    for part in doc.parts:
        if part.title:
            chunks.append((f"{part.no}、{part.title}", part.id, None, False))
        for para in part.paragraphs:
            if para.no:
                chunks.append((para.no, para.id, None, False))
            for k, s in enumerate(para.sentences):
                chunks.append((strip_marks(s.text), para.id, s.id, bool(para.no) or k > 0))
    for line in m.attachments + m.signature:
        chunks.append((line, "signature", None, False))
    if m.date:
        chunks.append((date_text(m.date), "signature", None, False))
    if m.disclosure:
        chunks.append((disclosure_line(m.disclosure), "colophon", None, False))
    for note in m.notes:
        chunks.append((note, "colophon", None, False))
    if m.cc:
        chunks.append(("抄送：" + m.cc, "colophon", None, False))
    chunks.append((m.printing_office, "colophon", None, False))
    chunks.append((date_text(m.print_date) + "印发", "colophon", None, False))
    text = ""
    spans: list[Span] = []
    for chunk, where, sid, joined in chunks:
        if text and not joined:
            text += "\n\n"
        spans.append((len(text), len(text) + len(chunk), where, sid))
        text += chunk
    return text, spans


PRINT_LINE_RE = re.compile(r"^(?P<office>\S.*?)[^\S\n]{2,}(?P<date>\d{4}年\d{1,2}月\d{1,2}日印发)$")


# 页码：GB/T 9704 的“— 1 —”，或提取后单独一行的数字
PAGE_NUMBER_RE = re.compile(r"^(?:[—–\-－]\s*\d{1,4}\s*[—–\-－]|\d{1,4})$")


def normalize_received(text: str) -> str:
    """底本的版式整理（不动文字）：统一换行，去掉每行首尾的空白（缩进）和页码行，连续空行归为一个空行，
    版记中写在同一行的“印发机关　印发日期印发”分成两块。"""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        if PAGE_NUMBER_RE.match(line):
            continue  # 页码行与空行同样处理：它所在处前后的文字照常比对
        m = PRINT_LINE_RE.match(radicals_normalized(line))
        lines.append(line[: m.end("office")] + "\n\n" + line[m.start("date") :] if m else line)
    return re.sub(r"\n(?:\n)+", "\n\n", "\n".join(lines))


def radicals_normalized(text: str) -> str:
    """康熙部首字符（U+2F00–U+2FDF）和部首补充（U+2E80–U+2EFF）换成形同的规范汉字，逐字替换，长度不变。

    PDF 的文字层常把“示”“文”“一”等记成这些字符：屏幕上一模一样，搜索和比对却对不上。"""
    return "".join(_radical(ch) for ch in text)


def _radical(ch: str) -> str:
    if "\u2e80" <= ch <= "\u2fdf":
        norm = unicodedata.normalize("NFKC", ch)
        if len(norm) == 1:
            return norm
    return ch


def received_scope(received: str, doc: Gongwen) -> str:
    """收到文本中与发布稿对应的部分：从发文机关标志到印发日期（部首字不影响找位置）。"""
    text = normalize_received(received)
    key = radicals_normalized(text)
    start = key.index(doc.meta.issuer_mark)
    end_marker = date_text(doc.meta.print_date) + "印发"
    end = key.index(end_marker, start) + len(end_marker)
    return text[start:end]


@dataclasses.dataclass(frozen=True)
class Difference:
    """发布稿与底本之间的一处差异（通知和导入的公文共用）。"""

    where: str  # title / 段落 id / colophon / 其他区域名
    sentence: str | None  # 所在句子 id（若在句中）
    received: str
    published: str
    context: str  # 发布稿中该处前后的文字


def _region_at(spans: list[Span], pos: int) -> tuple[str, str | None]:
    best: tuple[str, str | None] = ("issuer_mark", None)
    for start, end, where, sid in spans:
        if start <= pos < end:
            return where, sid
        if end <= pos:
            best = (where, sid)
    return best


def differences(doc: Gongwen, received: str) -> list[Difference]:
    """发布稿与底本之间的全部差异。"""
    pub, spans = published_layout(doc)
    return layout_differences(received_scope(received, doc), pub, spans)


def layout_differences(rec: str, pub: str, spans: list[Span]) -> list[Difference]:
    """底本 rec 与发布稿 pub（spans 标出各区域）逐字比对出的差异；等长替换（如连续的“),”→“），”）
    拆成逐字差异，便于逐处登记。通知（studycol/notice.py）和导入的公文共用。"""
    matcher = difflib.SequenceMatcher(a=rec, b=pub, autojunk=False)
    out: list[Difference] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            pieces = [(i1 + k, i1 + k + 1, j1 + k, j1 + k + 1) for k in range(i2 - i1) if rec[i1 + k] != pub[j1 + k]]
        else:
            pieces = [(i1, i2, j1, j2)]
        for a1, a2, b1, b2 in pieces:
            where, sid = _region_at(spans, b1 if b2 > b1 else max(b1 - 1, 0))
            context = pub[max(0, b1 - 8) : b2 + 8].replace("\n", "⏎")
            out.append(Difference(where, sid, rec[a1:a2], pub[b1:b2], context))
    return out


def check(doc: Gongwen, received: str, yml: str = "") -> list[str]:
    """逐字核对：每处差异都由校勘记登记（位置、前后形式相同），处数相符。返回问题（空表即通过）。"""
    where_file = yml or "文件的"
    try:
        diffs = differences(doc, received)
    except ValueError:
        return [f"底本中找不到发文机关标志“{doc.meta.issuer_mark}”或印发日期“{date_text(doc.meta.print_date)}印发”；"
                f"{where_file} received_file 是否指向了别的文件？"]
    problems: list[str] = []
    tally: Counter[str] = Counter()
    for d in diffs:
        match = [c for c in doc.collation if c.received == d.received and c.published == d.published and c.where == d.where]
        if not match:
            problems.append(
                f"未登记的差异：在 {d.sentence or d.where}，底本为“{d.received}”，发布稿为“{d.published}”"
                f"（上下文：{d.context}）。若这是有意的修复，请在 {where_file} collation 中登记；否则请改回原文。"
            )
            continue
        tally[match[0].id] += 1
    for c in doc.collation:
        if tally[c.id] != c.count:
            problems.append(f"校勘记 {c.id}（{c.where}，“{c.received}”→“{c.published}”）登记了 {c.count} 处，实际比对出 {tally[c.id]} 处。")
    return problems


__all__ = [
    "CollationEntry", "Gongwen", "Kept", "Meta", "Omitted", "Paragraph", "Part", "Sentence",
    "Target", "check", "date_text", "load_directory", "targets", "differences", "disclosure_line", "load_gongwen", "normalize_received",
    "paragraph_text", "published_layout", "radicals_normalized", "received_scope", "strip_marks",
]
