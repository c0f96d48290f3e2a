"""导入公文：把单位收到的 .txt、.docx、.pdf 变成 data/gongwen/<编号>.yml，底本原样存入 data/source/。

一次导入分四步，每一步读不懂就停下，报告文件、行号和应当是什么（不猜）：

1. 读文件（read_source）：.txt（UTF-8 或 GB18030，混用或无法解码的拒绝）、.docx（python-docx）、
   带文字层的 .pdf（pypdf）；扫描件、加密文件、OFD、旧版 Word、空文件、超过大小上限的文件拒绝，并说明应提供什么。
   得到按块（段）整理的底本文字和每块的行号。
2. 认结构（parse）：按 GB/T 9704 认出发文机关标志、发文字号、标题、主送机关、正文（一、（一）1.（1））、
   附件说明、发文机关署名、成文日期、附注、版记（抄送、印发机关和印发日期）。
3. 修复提取损坏并登记校勘记（repair）：中文里的半角标点、换页断开的段落、标题中断行留下的空格和换行、
   PDF 文字层中的康熙部首字；误入的外文和汉字之间的空格不自动处理，须在提示文件中写明怎样修复或照录。
4. 编号（build）：部分、段落、句子按文件自己的前缀编号；再次导入时沿用上一版的编号，改动或删去的编号
   登记为别名，已有的编号不会消失。

命令行：python -m studycol.importer 文件 --id doc-编号 [--prefix 前缀]（make import SRC=… ID=…）。
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import difflib
import hashlib
import re
import shutil
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

import yaml
from pydantic import BaseModel, ConfigDict

from . import gongwen
from .problems import Problem
from .yamlsrc import DataError, SourceError, load_yaml_file, validate

MAX_BYTES = 20 * 1024 * 1024
PAGE_NUMBER_RE = gongwen.PAGE_NUMBER_RE
GONGWEN_DIR = "data/gongwen"
HINTS_DIR = "data/gongwen/hints"
SOURCE_DIR = "data/source"
ALIASES_FILE = "data/id-aliases.yml"
ASK_FOR = "请向发文机关或本单位文书部门索取同一文件的 .docx、带文字层的 .pdf 或 .txt（UTF-8 或 GB18030 编码）"

# 规则编号和编辑指南中的说明（docs/guide/index.md 的“导入公文”一节列出同样的规则）
RULES: dict[str, str] = {
    "IMP-1": "空文件，或文件中没有文字",
    "IMP-2": "文件超过导入上限",
    "IMP-3": "不支持的文件格式：OFD、旧版 Word（.doc）、WPS、损坏的文件或其他扩展名",
    "IMP-4": "加密的 PDF 或 Word 文件",
    "IMP-5": "PDF 没有文字层（扫描件或图片）",
    "IMP-6": "文本文件混用编码或无法解码",
    "IMP-7": "找不到发文机关标志或发文字号，或发文字号格式不对",
    "IMP-8": "找不到标题",
    "IMP-9": "正文层次读不懂：序号跳号或重复、一级标题没有单独成行、正文为空",
    "IMP-10": "正文之后的要素读不懂：附件说明、署名、成文日期、附注、版记的顺序或写法不对，缺少印发机关和印发日期",
    "IMP-11": "误入的外文或汉字之间的空格，须在提示文件中写明修复还是照录",
    "IMP-12": "提示文件、编号前缀或上一版导入结果有误",
    "IMP-13": "导入的公文与 data/source/ 中的底本不一致（手改了发布稿，或换了底本）",
    "IMP-14": "Word 文件中有未接受的修订、文本框或自动编号，读出的文字会与正式文本不同",
}


class ImportRefused(Exception):
    """导入停止：problems 中是面向编辑的问题（文件:行: 中文说明（规则编号））。"""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _refuse(path: str, line: int, message: str, rule: str) -> NoReturn:
    raise ImportRefused([Problem(path, line, message, rule)])


# ---- 1. 读文件 ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Block:
    """底本中的一块（一段）文字；line 是它在源文件中的行号（.docx 为段落序号，.pdf 为提取文字的行号）。"""

    text: str
    line: int
    page: int = 0
    cont: bool | None = None  # PDF：新一页的第一块没有首行缩进（接上一页的段落）时为 True

    @property
    def key(self) -> str:
        """认结构用的文字：康熙部首字符换成对应的汉字（逐字替换，长度不变；修复在第3步登记）。"""
        return gongwen.radicals_normalized(self.text)


@dataclasses.dataclass(frozen=True)
class Extract:
    received: str  # 整理后的底本文字：各块之间空一行
    blocks: list[Block]
    fmt: str  # txt / docx / pdf

    def where(self, block: Block) -> str:
        if self.fmt == "docx":
            return f"（第{block.line}段）"
        if self.fmt == "pdf":
            return f"（第{block.page}页）"
        return ""


def read_source(path: Path, display: str | None = None) -> Extract:
    """读取底本，返回整理后的文字和分块；读不了时抛出 ImportRefused。"""
    shown = display or str(path)
    if not path.is_file():
        _refuse(shown, 1, "找不到这个文件；请写出底本文件的路径", "IMP-3")
    size = path.stat().st_size
    if size > MAX_BYTES:
        _refuse(shown, 1, f"文件有 {size / 1048576:.1f} MB，超过导入上限 {MAX_BYTES // 1048576} MB；一份公文的文字通常不到 1 MB，"
                f"这多半是扫描件、带大量图片或合并了多份文件。{ASK_FOR}，只含这一份公文", "IMP-2")
    raw = path.read_bytes()
    if not raw.strip():
        _refuse(shown, 1, f"文件是空的，没有可导入的文字；{ASK_FOR}", "IMP-1")
    suffix = path.suffix.lower()
    head = raw[:8]
    if suffix == ".ofd" or (head.startswith(b"PK") and b"OFD.xml" in raw[:4096]):
        _refuse(shown, 1, f"OFD 版式文件本项目无法可靠地读取文字；{ASK_FOR}", "IMP-3")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if suffix == ".docx":
            _refuse(shown, 1, f"这个 Word 文件设了打开密码（加密），无法读取；请提供未加密的副本，或{ASK_FOR[1:]}", "IMP-4")
        _refuse(shown, 1, f"这是旧版 Word（.doc）或 WPS 文件，无法可靠地读取；请在 Word 或 WPS 中“另存为”.docx 后再导入，或{ASK_FOR[1:]}", "IMP-3")
    if suffix == ".txt":
        return _read_txt(raw, shown)
    if suffix == ".docx":
        return _read_docx(path, shown)
    if suffix == ".pdf":
        if not head.startswith(b"%PDF"):
            _refuse(shown, 1, f"扩展名是 .pdf，内容却不是 PDF；{ASK_FOR}", "IMP-3")
        return _read_pdf(path, shown)
    _refuse(shown, 1, f"不支持“{suffix or '无扩展名'}”文件；{ASK_FOR}", "IMP-3")


def _blocks_from_lines(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    for no, line in enumerate(lines + [""], 1):
        text = line.strip()
        if text and PAGE_NUMBER_RE.match(text):
            continue  # 页码行（— 1 —）：版式，不是正文，也不断开段落
        if text:
            if not current:
                start = no
            current.append(text)
        elif current:
            blocks.append(Block("\n".join(current), start))
            current = []
    return blocks


def _read_txt(raw: bytes, shown: str) -> Extract:
    lines: list[str] = []
    first: tuple[str, int] | None = None
    for no, line in enumerate(raw.split(b"\n"), 1):
        try:
            text = line.decode("utf-8")
            enc = "UTF-8"
        except UnicodeDecodeError:
            try:
                text = line.decode("gb18030")
                enc = "GB18030"
            except UnicodeDecodeError:
                _refuse(shown, no, f"这一行既不是 UTF-8 也不是 GB18030 编码，无法解码；请用记事本或 WPS 把文件另存为 UTF-8 编码的 .txt，或{ASK_FOR[1:]}", "IMP-6")
        if not line.isascii():
            if first is None:
                first = (enc, no)
            elif enc != first[0]:
                _refuse(shown, no, f"这一行是 {enc} 编码，第 {first[1]} 行却是 {first[0]} 编码：一个文件混用了两种编码，"
                        f"不能确定哪一种是原文；请把底本整份另存为一种编码（UTF-8）后再导入", "IMP-6")
        lines.append(text.rstrip("\r").lstrip("\ufeff") if no == 1 else text.rstrip("\r"))
    text = "\n".join(lines)
    blocks = _blocks_from_lines(lines)
    if not blocks:
        _refuse(shown, 1, f"文件中没有文字；{ASK_FOR}", "IMP-1")
    return Extract(text, blocks, "txt")


def _read_docx(path: Path, shown: str) -> Extract:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx 对损坏的文件抛出多种异常（BadZipFile、KeyError、ValueError……）
        _refuse(shown, 1, f"这个 .docx 文件已损坏或不是 Word 文档，无法打开；{ASK_FOR}", "IMP-3")
    blocks: list[Block] = []
    count = 0

    def add(text: str) -> None:
        nonlocal count
        count += 1
        lines = [ln.strip() for ln in text.split("\n")]
        joined = "\n".join(ln for ln in lines if ln and not PAGE_NUMBER_RE.match(ln))
        if joined:
            blocks.append(Block(joined, count))

    body = document.element.body
    # 读出的文字会与打印稿不同的几种情形：未接受的修订、文本框、自动编号（序号不在文字中）
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    if body.find(f".//{w}ins") is not None or body.find(f".//{w}del") is not None:
        _refuse(shown, 1, "这个 Word 文件中有未接受或未拒绝的修订（修订标记），读出的文字可能与正式文本不同；"
                "请在 Word 或 WPS 的“审阅”中接受全部修订、关闭修订后另存，或改用正式印发的 .pdf", "IMP-14")
    if body.find(f".//{w}txbxContent") is not None:
        _refuse(shown, 1, "这个 Word 文件中有文本框（发文机关标志、版记等常放在文本框中），文本框中的文字读取时会漏掉；"
                "请把文本框中的文字移到正文中（或改用正式印发的带文字层的 .pdf）后再导入", "IMP-14")
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = DocxParagraph(child, document)
            if _auto_numbered(para):
                _refuse(shown, count + 1, f"第{count + 1}段“{_short(para.text, 20)}”的序号是 Word 自动编号，序号不在文字中，读取时会丢失；"
                        "请在 Word 或 WPS 中把自动编号转换为普通文字后另存，再导入", "IMP-14")
            add(para.text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    for para in cell.paragraphs:
                        add(para.text)
    if not blocks:
        _refuse(shown, 1, f"这个 Word 文件中没有文字（可能只有图片）；{ASK_FOR}", "IMP-1")
    return Extract("\n\n".join(b.text for b in blocks), blocks, "docx")


def _auto_numbered(para: Any) -> bool:
    """段落本身或它的样式带有自动编号（w:numPr，编号值不为 0）。"""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    elements = [para._p]
    style = para.style
    while style is not None:
        elements.append(style.element)
        style = style.base_style
    for el in elements:
        num = el.find(f"{w}pPr/{w}numPr/{w}numId")
        if num is not None:
            return num.get(f"{w}val") not in (None, "0")
    return False


def _read_pdf(path: Path, shown: str) -> Extract:
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(str(path))
        encrypted = reader.is_encrypted
    except (PdfReadError, ValueError, KeyError, OSError):
        _refuse(shown, 1, f"这个 PDF 文件已损坏，无法打开；{ASK_FOR}", "IMP-3")
    if encrypted:
        _refuse(shown, 1, f"这个 PDF 已加密（设了打开或权限密码），无法可靠地读取文字；请提供未加密的副本，或{ASK_FOR[1:]}", "IMP-4")
    blocks: list[Block] = []
    line_no = 0
    empty_pages: list[int] = []
    for page_no, page in enumerate(reader.pages, 1):
        glyphs: list[tuple[float, float, float, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
            text = text.replace("\n", "")
            if not text:
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (cm[0] ** 2 + cm[1] ** 2) ** 0.5 * ((tm[0] ** 2 + tm[1] ** 2) ** 0.5 or 1.0)
            glyphs.append((x, y, size * scale, text))

        page.extract_text(visitor_text=visit)
        lines: list[tuple[float, float, float, str]] = []  # (起点 x, 终点 x, 字号, 文字)
        current: list[tuple[float, float, float, str]] = []
        for g in glyphs + [(0.0, float("nan"), 0.0, "")]:
            if current and not abs(g[1] - current[-1][1]) < 1.0:
                current.sort(key=lambda c: c[0])
                fs = max(c[2] for c in current)
                text = ""
                end = current[0][0]
                for x, _, gfs, chunk in current:
                    gap = x - end
                    if text and gap > 0.3 * fs and not text.endswith(" ") and not chunk.startswith(" "):
                        # 字与字之间的空白（版记中印发机关与日期之间、并列的机关名称之间）按字宽折成空格
                        text += " " * max(1, round(gap / fs))
                    text += chunk
                    end = x + gfs * sum(0.5 if c.isascii() else 1.0 for c in chunk)
                stripped = text.strip()
                if stripped:
                    lines.append((current[0][0], end, fs, stripped))
                current = []
            if g[3]:
                current.append(g)
        if not [ln for ln in lines if not PAGE_NUMBER_RE.match(ln[3])]:
            empty_pages.append(page_no)
            continue
        left = min(ln[0] for ln in lines)
        right = max(ln[1] for ln in lines)
        prev: tuple[float, float, float, str] | None = None
        lines = [ln for ln in lines if not PAGE_NUMBER_RE.match(ln[3])]  # 页码（— 1 —）不是正文
        for k, ln in enumerate(lines):
            line_no += 1
            x0, x1, fs, text = ln
            indented = x0 > left + 1.2 * fs
            starts = prev is None or indented or prev[1] < right - 2 * fs or abs(prev[2] - fs) > 1.0
            if starts:
                cont = (not indented) if (k == 0 and page_no > 1) else None
                blocks.append(Block(text, line_no, page_no, cont))
            else:
                b = blocks[-1]
                blocks[-1] = Block(b.text + text, b.line, b.page, b.cont)
            prev = ln
    if not blocks:
        _refuse(shown, 1, f"这个 PDF 没有文字层（多半是扫描件或图片），无法读取文字；本项目不做文字识别（OCR），以免识别错误进入发布稿。{ASK_FOR}", "IMP-5")
    if empty_pages:
        _refuse(shown, 1, f"第 {'、'.join(map(str, empty_pages))} 页没有文字层（扫描或图片页），这些页的文字读不到；{ASK_FOR}", "IMP-5")
    return Extract("\n\n".join(b.text for b in blocks), blocks, "pdf")


def received_text(path: Path, display: str | None = None) -> str:
    """存放在 data/source/ 的底本经读取、整理后的文字：构建和 make check-content 用它逐字核对发布稿。"""
    return read_source(path, display).received


# ---- 提示文件 -----------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RepairHint(_Strict):
    """程序不能自行判断的修复，如误入的外文：底本形式、发布形式、类别和理由。"""

    received: str
    published: str
    kind: str = "外文误入"
    why: str


class WhyHint(_Strict):
    """替换某条自动修复的理由（如写明换页处的前后文字）。"""

    where: str
    received: str
    why: str


class KeptHint(_Strict):
    """核对后有意照录的写法（如联合发文机关之间的空格）；where 不写时由程序填上所在句子的编号。"""

    text: str
    why: str
    where: str = ""


class ClosingHint(_Strict):
    """正文最后一个一级标题之后的结尾段落（如“请……贯彻落实。”）：从 starts 开头的段落起单列为结尾。"""

    starts: str
    id: str = ""


class Hints(_Strict):
    short_title: str = ""
    repairs: list[RepairHint] = []
    whys: list[WhyHint] = []
    kept: list[KeptHint] = []
    omitted: list[gongwen.Omitted] = []
    closing: ClosingHint | None = None


def load_hints(path: Path, display: str | None = None) -> Hints:
    if not path.is_file():
        return Hints()
    hints: Hints = validate(Hints, load_yaml_file(path, display))
    return hints


# ---- 2. 认结构 -----------------------------------------------------------------------

CN_NUM = "零一二三四五六七八九十"
END_PUNCT = "。：！？；…”’）)"
DATE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
PRINT_DATE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日印发$")
H1_RE = re.compile(r"^([一二三四五六七八九十]{1,3})、")
H2_RE = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")
H3_RE = re.compile(r"^(\d{1,2})[.．](?!\d)")
H4_RE = re.compile(r"^[（(](\d{1,2})[）)]")
NOTE_RE = re.compile(r"^[（(](?![一二三四五六七八九十\d]{1,3}[）)]).+[）)]$", re.S)
DISCLOSURE_RE = re.compile(r"^[（(]信息公开形式[：:](.+)[）)]$")
CC_RE = re.compile(r"^抄送[：:](.+)$", re.S)
ATTACH_RE = re.compile(r"^附件[：:]")
ATTACH_MORE_RE = re.compile(r"^\d{1,2}[.．]")
CLASSIFIED_RE = re.compile(r"^(?:绝密|机密|秘密)(?:★|$)")


def cn_number(text: str) -> int:
    """一到九十九的汉字数字。"""
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_NUM.index(tens) if tens else 1) * 10 + (CN_NUM.index(ones) if ones else 0)
    return CN_NUM.index(text) if len(text) == 1 else -1


def cn_text(n: int) -> str:
    if n < 10:
        return CN_NUM[n]
    tens, ones = divmod(n, 10)
    return (CN_NUM[tens] if tens > 1 else "") + "十" + (CN_NUM[ones] if ones else "")


@dataclasses.dataclass
class RawItem:
    """认出的一个要素，text 是底本中的原样文字（含换页、断行处的换行）。"""

    kind: str  # issuer_mark doc_number title addressees h1 para attachment signature date disclosure note cc office print_date
    text: str
    line: int
    level: int = 0
    no: str = ""


def _date(text: str, shown: str, line: int, what: str) -> dt.date:
    m = DATE_RE.match(text) or PRINT_DATE_RE.match(text)
    assert m is not None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        _refuse(shown, line, f"{what}“{text}”不是实际存在的日期；请核对底本", "IMP-10")


def parse(ex: Extract, shown: str) -> tuple[list[RawItem], list[Block]]:
    """按 GB/T 9704 认出各要素；返回要素表和印发日期之后的办文信息块（不发布）。"""
    blocks = ex.blocks
    items: list[RawItem] = []
    i = 0
    b = blocks[0]
    if CLASSIFIED_RE.match(b.key):
        _refuse(shown, b.line, f"底本标有密级“{b.text}”{ex.where(b)}，涉密文件不得导入公开的网站", "IMP-7")
    # 发文机关标志、发文字号
    if len(blocks) < 2 or not re.search(r"[〔\[［(（]\d{4}[〕\]］)）]", blocks[1].key):
        _refuse(shown, b.line, f"第一块应为发文机关标志（如“示例市示例局文件”），其后是发文字号（如“示例〔2026〕1号”），"
                f"这里读到的是“{_short(b.text)}”{ex.where(b)}", "IMP-7")
    if "\n" in b.text or len(b.text) > 60 or re.search(r"[。，；：]", b.text):
        _refuse(shown, b.line, f"这里应为发文机关标志（如“示例市示例局文件”），读到的是“{_short(b.text)}”{ex.where(b)}", "IMP-7")
    items.append(RawItem("issuer_mark", b.text, b.line))
    num = blocks[1]
    if not gongwen.DOC_NUMBER_RE.match(num.key):
        _refuse(shown, num.line, f"发文字号应写成“机关代字〔年份〕序号号”，年份用六角括号〔〕，序号不编虚位（如“示例〔2026〕1号”），"
                f"这里读到的是“{_short(num.text)}”{ex.where(num)}；请按原件核对，不要猜测", "IMP-7")
    items.append(RawItem("doc_number", num.text, num.line))
    i = 2
    # 标题（可能分成几块）和主送机关
    if i >= len(blocks):
        _refuse(shown, num.line, "发文字号之后应是标题，文件却到此结束", "IMP-8")
    k = next((j for j in range(i, min(i + 4, len(blocks))) if blocks[j].key.endswith(("：", ":"))), None)
    if k == i:
        _refuse(shown, blocks[i].line, f"发文字号之后应是标题（如“示例市示例局关于……的通知”），这里读到的是主送机关“{_short(blocks[i].text)}”"
                f"{ex.where(blocks[i])}；底本缺少标题，请核对原件", "IMP-8")
    title_blocks = blocks[i:k] if k is not None else blocks[i : i + 1]
    if any(re.search(r"[。；]", tb.text) for tb in title_blocks) or not _looks_like_title("".join(tb.key for tb in title_blocks)):
        tb = title_blocks[0]
        _refuse(shown, tb.line, f"发文字号之后应是标题（如“示例市示例局关于……的通知”，以通知、意见、方案等文种结尾），"
                f"这里读到的是“{_short(tb.text)}”{ex.where(tb)}", "IMP-8")
    items.append(RawItem("title", "\n\n".join(tb.text for tb in title_blocks), title_blocks[0].line))
    i += len(title_blocks)
    if k is not None:
        items.append(RawItem("addressees", blocks[k].text, blocks[k].line))
        i = k + 1
    # 正文止于第一个正文之后的要素
    end = i
    while end < len(blocks) and not _after_body(blocks, end):
        end += 1
    body = blocks[i:end]
    # 署名：成文日期之前、不带标点的短块
    sig: list[Block] = []
    after = blocks[end:]
    if after and DATE_RE.match(after[0].key):
        while body and _sig_like(body[-1].key) and not H1_RE.match(body[-1].key):
            sig.insert(0, body.pop())
    if not body:
        where = blocks[min(i, len(blocks) - 1)]
        _refuse(shown, where.line, f"主送机关之后应是正文，这里读到的是“{_short(where.text)}”{ex.where(where)}", "IMP-9")
    items += _parse_body(body, ex, shown)
    # 附件说明、署名、成文日期、附注、版记
    j = 0
    state = 0  # 0 附件 1 署名/日期 2 附注 3 抄送 4 印发机关
    attachments_open = False
    for sb in sig:
        items.append(RawItem("signature", sb.text, sb.line))
    printed = False
    while j < len(after):
        blk = after[j]
        t = blk.key
        raw = blk.text
        if ATTACH_RE.match(t) and state == 0:
            items.append(RawItem("attachment", raw, blk.line))
            attachments_open = True
        elif attachments_open and ATTACH_MORE_RE.match(t) and state == 0:
            items.append(RawItem("attachment", raw, blk.line))
        elif state <= 1 and _sig_like(t) and any(DATE_RE.match(x.key) for x in after[j + 1 : j + 4]):
            items.append(RawItem("signature", raw, blk.line))
            state = 1
        elif DATE_RE.match(t) and state <= 1:
            _date(t, shown, blk.line, "成文日期")
            items.append(RawItem("date", raw, blk.line))
            state = 2
        elif (m := DISCLOSURE_RE.match(t)) and state <= 2:
            items.append(RawItem("disclosure", raw, blk.line))
            state = 2
        elif NOTE_RE.match(t) and state <= 2:
            items.append(RawItem("note", raw, blk.line))
            state = 2
        elif CC_RE.match(t) and state <= 2:
            items.append(RawItem("cc", raw, blk.line))
            state = 3
        elif (pm := gongwen.PRINT_LINE_RE.match(t)) and state <= 3:
            items.append(RawItem("office", raw[pm.start("office"):pm.end("office")], blk.line))
            items.append(RawItem("print_date", raw[pm.start("date"):pm.end("date")], blk.line))
            _date(pm["date"], shown, blk.line, "印发日期")
            printed = True
            j += 1
            break
        elif j + 1 < len(after) and PRINT_DATE_RE.match(after[j + 1].key) and state <= 3 and "\n" not in t:
            items.append(RawItem("office", raw, blk.line))
            items.append(RawItem("print_date", after[j + 1].text, after[j + 1].line))
            _date(after[j + 1].key, shown, after[j + 1].line, "印发日期")
            printed = True
            j += 2
            break
        else:
            expected = ["附件说明"] if state == 0 else []
            expected += ["成文日期"] if state <= 1 else []
            expected += ["附注（如“（信息公开形式：主动公开）”）", "抄送"] if state <= 2 else []
            expected += ["印发机关和印发日期（如“示例市示例局办公室　2026年1月5日印发”）"]
            _refuse(shown, blk.line, f"正文之后这里应为{'、'.join(expected)}之一，读到的是“{_short(t)}”{ex.where(blk)}；"
                    "请核对底本的版式", "IMP-10")
        j += 1
    if not printed:
        last = blocks[-1]
        _refuse(shown, last.line, "找不到版记中的印发机关和印发日期（如“示例市示例局办公室　2026年1月5日印发”）；"
                f"导入以它为底本的结尾，请提供带版记的完整文件。{ASK_FOR}", "IMP-10")
    return items, after[j:]


TITLE_END = ("通知", "意见", "方案", "办法", "决定", "报告", "请示", "批复", "函", "规定", "细则", "规划", "计划", "要点",
             "通报", "公告", "通告", "纪要", "命令", "议案", "决议", "公报", "措施", "指引", "清单", "制度", "条例", "规则", "指南")


def _looks_like_title(text: str) -> bool:
    plain = re.sub(r"\s", "", text)
    return 4 <= len(plain) <= 200 and (plain.endswith(TITLE_END) or "关于" in plain)


def _short(text: str, n: int = 30) -> str:
    flat = text.replace("\n", "⏎")
    return flat if len(flat) <= n else flat[:n] + "……"


def _after_body(blocks: list[Block], k: int) -> bool:
    t = blocks[k].key
    if ATTACH_RE.match(t) or DATE_RE.match(t) or DISCLOSURE_RE.match(t) or CC_RE.match(t) or gongwen.PRINT_LINE_RE.match(t):
        return True
    if PRINT_DATE_RE.match(t):
        return True
    if k + 1 < len(blocks) and PRINT_DATE_RE.match(blocks[k + 1].key):
        return True
    if NOTE_RE.match(t):
        # 附注在正文之后：其后只剩附注和版记
        return all(_tail_like(b.key) for b in blocks[k + 1 : k + 4])
    return False


def _sig_like(t: str) -> bool:
    """发文机关署名：一个机关名称，不长，不带标点。"""
    return len(t) <= 40 and "\n" not in t and not re.search(r"[。，；：、（）()]", t)


def _tail_like(t: str) -> bool:
    return bool(NOTE_RE.match(t) or CC_RE.match(t) or PRINT_DATE_RE.match(t) or gongwen.PRINT_LINE_RE.match(t)) or "\n" not in t and len(t) <= 40


def _parse_body(body: list[Block], ex: Extract, shown: str) -> list[RawItem]:
    items: list[RawItem] = []
    counters = [0, 0, 0, 0, 0]  # 按层次计数：1 一、 2 （一） 3 1. 4 （1）
    for blk in body:
        t = blk.key  # 认序号用；要素的文字取底本原样 blk.text（长度相同）
        raw = blk.text
        prev = items[-1] if items else None
        heading = H1_RE.match(t) or H2_RE.match(t) or H4_RE.match(t) or H3_RE.match(t)
        joinable = prev is not None and prev.kind == "para" and not heading and (
            blk.cont is True or (blk.cont is None and not prev.text.endswith(tuple(END_PUNCT)) and not _heading_only(prev)))
        if joinable and prev is not None:
            prev.text += "\n\n" + raw
            continue
        m1 = H1_RE.match(t)
        if m1:
            n = cn_number(m1[1])
            if n != counters[1] + 1:
                _refuse(shown, blk.line, f"一级标题应为“{cn_text(counters[1] + 1)}、”，这里是“{m1[0]}”{ex.where(blk)}：序号跳号或重复，请核对底本", "IMP-9")
            rest = raw[m1.end():]
            if re.search(r"[。；！？].", rest) or "\n" in rest:
                _refuse(shown, blk.line, f"一级标题“{_short(t, 20)}”应单独成行，这里后面接着正文{ex.where(blk)}；请核对底本的分段", "IMP-9")
            counters = [0, n, 0, 0, 0]
            items.append(RawItem("h1", rest, blk.line, 1, raw[m1.start(1) : m1.end(1)]))
            continue
        level, m = 0, None
        for lv, rx in ((2, H2_RE), (4, H4_RE), (3, H3_RE)):
            m = rx.match(t)
            if m:
                level = lv
                break
        if m is not None:
            n = cn_number(m[1]) if level == 2 else int(m[1])
            if n != counters[level] + 1:
                want = f"（{cn_text(counters[level] + 1)}）" if level == 2 else (f"{counters[level] + 1}." if level == 3 else f"（{counters[level] + 1}）")
                _refuse(shown, blk.line, f"这一层的序号应为“{want}”，这里是“{m[0]}”{ex.where(blk)}：序号跳号或重复，请核对底本", "IMP-9")
            counters[level] = n
            for deeper in range(level + 1, 5):
                counters[deeper] = 0
            items.append(RawItem("para", raw[m.end():], blk.line, level, raw[: m.end()]))
            continue
        items.append(RawItem("para", raw, blk.line))
    return items


def _heading_only(item: RawItem) -> bool:
    return bool(item.no) and not re.search(r"[。；！？]", item.text)


# ---- 3. 修复提取损坏 -------------------------------------------------------------------

HALF = {",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！"}
HALF_NAMES = {",": "逗号", "(": "括号", ")": "括号", ":": "冒号", ";": "分号", "?": "问号", "!": "叹号"}
BODY_WHY = {
    ",": "半角逗号，中文正文应使用全角逗号（GB/T 15834）。",
    "(": "半角左括号改为全角。",
    ")": "半角右括号改为全角。",
    ":": "半角冒号改为全角。",
    ";": "半角分号改为全角。",
    "?": "半角问号改为全角。",
    "!": "半角叹号改为全角。",
}
KIND_ORDER = ["断行", "部首字", "标点", "外文误入", "断段"]
CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef《》“”‘’〔〕…—"
CJK_RE = re.compile(f"[{CJK}]")
STRAY_RE = re.compile(f"(?<=[{CJK}]) [a-z]+ (?=[{CJK}])")
SPACE_RE = re.compile(f"(?<=[{CJK}])[ \u3000]+(?=[{CJK}])")

Fix = tuple[str, str, str]  # (类别, 底本形式, 发布形式)


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(CJK_RE.match(ch))


def _fix_punct(text: str) -> tuple[str, list[Fix]]:
    out: list[str] = []
    fixes: list[Fix] = []
    for k, ch in enumerate(text):
        if ch in HALF:
            left = next((c for c in reversed(text[:k]) if c not in HALF), "")
            right = next((c for c in text[k + 1 :] if c not in HALF), "")
            digits = ch in ",:" and left.isascii() and left.isalnum() and right.isascii() and right.isalnum()
            if (_is_cjk(left) or _is_cjk(right)) and not digits:
                out.append(HALF[ch])
                fixes.append(("标点", ch, HALF[ch]))
                continue
        out.append(ch)
    return "".join(out), fixes


def repair(text: str, kind: str, hints: Hints) -> tuple[str, list[Fix]]:
    """修复一个要素中的提取损坏，返回修复后的文字和每一处修复。"""
    fixes: list[Fix] = []
    for h in hints.repairs:
        n = text.count(h.received)
        if n:
            fixes += [(h.kind, h.received, h.published)] * n
            text = text.replace(h.received, h.published)
    if kind in ("title", "issuer_mark", "doc_number", "office", "print_date", "date"):
        for gap in ("\n\n", "\n", " ", "\u3000"):
            n = text.count(gap)
            fixes += [("断行", gap, "")] * n
            text = text.replace(gap, "")
    else:
        for gap, fix_kind in (("\n\n", "断段"), ("\n", "断行")):
            n = text.count(gap)
            fixes += [(fix_kind, gap, "")] * n
            text = text.replace(gap, "")
    norm = gongwen.radicals_normalized(text)
    fixes += [("部首字", a, b) for a, b in zip(text, norm) if a != b]
    text, punct = _fix_punct(norm)
    return text, fixes + punct


def _unresolved(text: str, hints: Hints) -> list[tuple[str, str]]:
    """误入的外文和汉字之间的空格：除非提示文件中照录，一律要求编辑决定。返回 (类别, 片段)。"""
    out: list[tuple[str, str]] = []
    covered = [(m.start(), m.end()) for k in hints.kept for m in re.finditer(re.escape(k.text), text)]
    for rx, what in ((STRAY_RE, "外文"), (SPACE_RE, "空格")):
        for m in rx.finditer(text):
            if not any(a <= m.start() and m.end() <= b for a, b in covered):
                out.append((what, text[max(0, m.start() - 6) : m.end() + 6]))
    return out


# ---- 4. 编号和输出 -------------------------------------------------------------------

SENT_END = "。！？："


def split_sentences(text: str) -> list[str]:
    """按句末标点（。！？：）分句；括号、书名号和引号中的不算。"""
    out: list[str] = []
    depth = 0
    start = 0
    for k, ch in enumerate(text):
        if ch in "（《“‘〔":
            depth += 1
        elif ch in "）》”’〕":
            depth = max(0, depth - 1)
        elif ch in SENT_END and depth == 0:
            # 句末标点后紧跟的右引号、右括号属于这一句
            out.append(text[start : k + 1])
            start = k + 1
    if start < len(text):
        if out and not text[start:].strip("”’）)"):
            out[-1] += text[start:]
        else:
            out.append(text[start:])
    return [s for s in out if s]


@dataclasses.dataclass
class Result:
    data: dict[str, Any]  # 写入 data/gongwen/<编号>.yml 的内容
    document: gongwen.Gongwen
    aliases: dict[str, str]  # 本次导入新增的别名：旧编号 → 现在的编号
    omitted_blocks: list[Block]


def build(ex: Extract, shown: str, prefix: str, hints: Hints, received_file: str,
          previous: gongwen.Gongwen | None = None, retired: Iterable[str] = (), doc_id: str = "") -> Result:
    """认结构、修复、编号，得到一份导入的公文。previous 是上一版导入结果（再次导入时），retired 是已登记别名的旧编号。"""
    if not gongwen.PREFIX_RE.match(prefix):
        _refuse(shown, 1, f"编号前缀“{prefix}”不对：只用 1～12 个小写拉丁字母（如 n、slfa）", "IMP-12")
    items, tail = parse(ex, shown)
    fixed: list[tuple[RawItem, str, list[Fix]]] = []
    problems: list[Problem] = []
    for it in items:
        text, fixes = repair(it.text, it.kind, hints)
        hint_file = f"{HINTS_DIR}/{doc_id or '<编号>'}.yml"
        for ch in dict.fromkeys(c for c in text if "\u2e80" <= c <= "\u2fdf"):
            problems.append(Problem(shown, it.line, f"PDF 文字层中的部首字符“{ch}”（U+{ord(ch):04X}）没有对应的规范汉字可查，程序不猜；"
                                    f"请对照原件，在 {hint_file} 的 repairs 中登记（kind: 部首字）", "IMP-11"))
        if it.kind in ("para", "h1", "addressees", "title"):
            for what, frag in _unresolved(text, hints):
                if what == "外文":
                    msg = (f"汉字之间夹着外文“{frag.strip()}”，像是提取或转换时误入的；程序不猜它原来是什么字。请对照原件，"
                           f"在 {hint_file} 的 repairs 中登记修复（received、published、why），原件如此则在 kept 中登记照录")
                else:
                    msg = (f"“{frag}”中两个汉字之间有空格：提取留下的就在 {hint_file} 的 repairs 中登记删除，"
                           f"原件本有的（如联合发文机关名称并列）就在 kept 中登记照录")
                problems.append(Problem(shown, it.line, msg, "IMP-11"))
        fixed.append((it, text, fixes))
    if problems:
        raise ImportRefused(problems)

    meta: dict[str, Any] = {}
    parts: list[dict[str, Any]] = []
    regions: list[tuple[str, str, list[Fix]]] = []  # (where, 要素类别, 修复)
    signature: list[str] = []
    attachments: list[str] = []
    notes: list[str] = []
    closing = hints.closing
    closing_used = False
    pending_part: dict[str, Any] | None = None

    def new_part(no: str, title: str | None, label: str, pid: str) -> dict[str, Any]:
        part: dict[str, Any] = {"no": no, "id": pid, "label": label, "title": title, "paragraphs": []}
        parts.append(part)
        return part

    for it, text, fixes in fixed:
        if it.kind in ("issuer_mark", "doc_number", "title", "addressees"):
            meta[it.kind] = text
            regions.append((it.kind, it.kind, fixes))
        elif it.kind == "h1":
            no = _repair_no(it.no, fixes)
            n = cn_number(no)
            pending_part = new_part(no, text, f"第{no}部分", f"{prefix}{n}")
            regions.append((pending_part["id"], "h1", fixes))
        elif it.kind == "para":
            if closing and not closing_used and text.startswith(closing.starts) and parts:
                closing_used = True
                pending_part = new_part("", None, "结尾", closing.id or f"{prefix}{max(_num(p['id']) for p in parts) + 1}")
            if pending_part is None:
                pending_part = new_part("", None, "导语", f"{prefix}0")
            paras = pending_part["paragraphs"]
            pid = f"{pending_part['id']}-{len(paras) + 1}"
            para: dict[str, Any] = {"id": pid}
            if it.level:
                para["level"] = it.level
                para["no"] = _repair_no(it.no, fixes)
            para["sentences"] = [{"id": f"{pid}-{k}", "text": s} for k, s in enumerate(split_sentences(text), 1)]
            if not para["sentences"]:
                para["sentences"] = [{"id": f"{pid}-1", "text": text}]
            paras.append(para)
            regions.append((pid, "para", fixes))
        elif it.kind == "signature":
            signature.append(text)
            regions.append(("signature", it.kind, fixes))
        elif it.kind == "attachment":
            attachments.append(text)
            regions.append(("signature", it.kind, fixes))
        elif it.kind == "date":
            meta["date"] = _date(text, shown, it.line, "成文日期")
            regions.append(("signature", it.kind, fixes))
        elif it.kind == "disclosure":
            m = re.match(r"^（信息公开形式：(.+)）$", text)
            if not m:
                _refuse(shown, it.line, f"附注“{it.text}”应写成“（信息公开形式：主动公开）”这样", "IMP-10")
            meta["disclosure"] = m[1]
            regions.append(("colophon", it.kind, fixes))
        elif it.kind == "note":
            notes.append(text)
            regions.append(("colophon", it.kind, fixes))
        elif it.kind == "cc":
            meta["cc"] = text.split("：", 1)[1] if "：" in text else text
            regions.append(("colophon", it.kind, fixes))
        elif it.kind == "office":
            meta["printing_office"] = text
            regions.append(("colophon", it.kind, fixes))
        elif it.kind == "print_date":
            meta["print_date"] = _date(text, shown, it.line, "印发日期")
            regions.append(("colophon", it.kind, fixes))
    if closing and not closing_used:
        _refuse(f"{HINTS_DIR}/{doc_id or '<编号>'}.yml", 1, f"提示文件 closing.starts 写的“{closing.starts}”在正文中找不到段落开头与之相同；请改成结尾段落开头的几个字", "IMP-12")
    for p in parts:
        if not p["paragraphs"]:
            h1 = next(it for it, _, _ in fixed if it.kind == "h1" and gongwen.radicals_normalized(it.no) == p["no"])
            _refuse(shown, h1.line, f"一级标题“{p['no']}、{p['title']}”之下没有正文段落", "IMP-9")
    if len(parts) == 1 and parts[0]["label"] == "导语":
        parts[0]["label"] = "正文"

    issuer = re.sub(r"文件$", "", meta["issuer_mark"])
    out_meta: dict[str, Any] = {
        "issuer_mark": meta["issuer_mark"],
        "doc_number": meta["doc_number"],
        "issuer": issuer,
        "title": meta["title"],
        "short_title": hints.short_title or meta["title"],
    }
    for key, value in (("addressees", meta.get("addressees", "")), ("attachments", attachments), ("signature", signature),
                       ("date", meta.get("date")), ("disclosure", meta.get("disclosure", "")), ("notes", notes),
                       ("cc", meta.get("cc", ""))):
        if value:
            out_meta[key] = value
    out_meta["printing_office"] = meta["printing_office"]
    out_meta["print_date"] = meta["print_date"]
    out_meta["index_number"] = ""
    out_meta["subject_category"] = ""

    aliases: dict[str, str] = {}
    if previous is not None:
        aliases = _carry_ids(parts, previous, set(retired), prefix, doc_id)

    kept = []
    for k in hints.kept:
        where = k.where or _sentence_with(parts, k.text)
        if not where:
            _refuse(f"{HINTS_DIR}/{doc_id or '<编号>'}.yml", 1, f"提示文件 kept 中的“{k.text}”在正文中找不到；请照底本写", "IMP-12")
        kept.append({"where": where, "text": k.text, "why": k.why})
    omitted = [o.model_dump() for o in hints.omitted]
    if tail and not omitted:
        labels = "、".join(dict.fromkeys(re.split(r"[：:]", b.text, maxsplit=1)[0][:8] for b in tail))
        omitted = [{"what": f"印发日期之后的办文信息（{labels}）", "why": "这些是发文机关内部办文信息，网页发布稿不登载；需要时请查阅原件。"}]

    data: dict[str, Any] = {
        "received_file": received_file,
        "meta": out_meta,
        "collation": _collation(regions, hints, fixed),
        "kept": kept,
        "omitted": omitted,
        "parts": parts,
    }
    try:
        doc = gongwen.Gongwen.model_validate(data)
    except Exception as exc:  # 程序自己拼出的结构不合规：说明导入程序有缺陷，不写文件
        _refuse(shown, 1, f"导入结果未通过校验，没有写出文件：{exc}", "IMP-12")
    return Result(data, doc, aliases, tail)


def _repair_no(no: str, fixes: list[Fix]) -> str:
    """层次序号中的半角括号（如“(一)”）、康熙部首字按规范写出，修复计入该段。"""
    fixed_no, extra = repair(no, "para", Hints())
    fixes += extra
    return fixed_no


def _sentence_with(parts: list[dict[str, Any]], text: str) -> str:
    for part in parts:
        for para in part["paragraphs"]:
            for s in para["sentences"]:
                if text in s["text"]:
                    return str(s["id"])
    return ""


def _collation(regions: list[tuple[str, str, list[Fix]]], hints: Hints, fixed: list[tuple[RawItem, str, list[Fix]]]) -> list[dict[str, Any]]:
    order: list[str] = []
    counts: Counter[tuple[str, str, str, str]] = Counter()
    sub: dict[tuple[str, str, str, str], str] = {}
    first_seen: dict[tuple[str, str, str, str], int] = {}
    n = 0
    for where, item_kind, fixes in regions:
        if where not in order:
            order.append(where)
        for kind, rec, pub in fixes:
            key = (where, kind, rec, pub)
            counts[key] += 1
            sub.setdefault(key, item_kind)
            first_seen.setdefault(key, n)
            n += 1
    hint_rank = {(h.received, h.published): i for i, h in enumerate(hints.repairs)}
    punct_rank = list(HALF)

    def rank(key: tuple[str, str, str, str]) -> tuple[int, int, int, int]:
        where, kind, rec, _ = key
        kr = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
        inner = punct_rank.index(rec) if kind == "标点" else hint_rank.get((rec, key[3]), first_seen[key])
        return (order.index(where), kr, inner, first_seen[key])

    entries = []
    for k, key in enumerate(sorted(counts, key=rank), 1):
        where, kind, rec, pub = key
        why = next((h.why for h in hints.whys if h.where == where and h.received == rec), "")
        why = why or next((h.why for h in hints.repairs if h.received == rec and h.published == pub), "")
        why = why or _default_why(where, kind, rec, pub, sub[key], counts[key], fixed)
        entries.append({"id": f"c{k}", "where": where, "kind": kind, "received": rec, "published": pub,
                        "count": counts[key], "why": why})
    return entries


def _default_why(where: str, kind: str, rec: str, pub: str, item_kind: str, count: int, fixed: list[tuple[RawItem, str, list[Fix]]]) -> str:
    if kind == "断行" and where == "title":
        if rec in (" ", "\u3000"):
            return "标题在排版时分行，提取文本把行尾换行变成了空格；标题中间不应有空格，删除。"
        return "标题在排版时分行，提取文本把一个标题分成了几行；合为一行。"
    if kind == "断行":
        return "提取文本在原件的行尾留下了换行；同一段落中间不应断开，接上。"
    if kind == "断段":
        return f"原件换页处把一个段落提取成了{'两' if count == 1 else '几'}段（共{count}处）；语句连续，合为一段。"
    if kind == "部首字":
        return f"PDF文字层把“{pub}”记成了形近的康熙部首字符“{rec}”（U+{ord(rec):04X}）；按字形恢复为规范汉字。"
    if kind == "标点":
        name = HALF_NAMES.get(rec, "标点")
        if item_kind == "disclosure":
            return f"版记中信息公开形式一行的半角{name}改为全角。"
        if where == "colophon":
            return f"版记中的半角{name}改为全角。"
        return BODY_WHY.get(rec, f"半角{name}改为全角。")
    return "导入时修复的提取损坏。"


def _num(i: str) -> int:
    return int(i.rsplit("-", 1)[-1]) if "-" in i else int(re.sub(r"^[a-z]+", "", i))


def _carry_ids(parts: list[dict[str, Any]], previous: gongwen.Gongwen, retired: set[str], prefix: str, doc_id: str) -> dict[str, str]:
    """沿用上一版的编号：未改动的句子编号不变（连同编辑加的关键短语标记），改动、删去的登记别名，编号不回收。"""
    if previous.prefix != prefix:
        _refuse(f"{GONGWEN_DIR}/{doc_id}.yml", 1, f"上一版导入用的编号前缀是“{previous.prefix}”，这次是“{prefix}”；"
                "同一份文件的前缀不能改，否则已发布的编号全部失效", "IMP-12")
    aliases: dict[str, str] = {}
    used = set(previous.all_ids()) | retired

    def fresh(parent: str) -> str:
        base = f"{parent}-" if parent != prefix else prefix
        taken = [_num(i) for i in used if (i.startswith(base) and re.fullmatch(re.escape(base) + r"\d+", i))]
        new = f"{base}{max(taken, default=0) + 1}"
        used.add(new)
        return new

    old_parts = {p.id: p for p in previous.parts}
    old_by_key = {(p.title or p.label): p for p in previous.parts}
    matched_parts: set[str] = set()
    renames: dict[str, str] = {}
    # 部分：同标题（导语、结尾按名称）沿用编号
    for part in parts:
        old = old_by_key.get(part["title"] or part["label"])
        if old is not None and old.id not in matched_parts:
            matched_parts.add(old.id)
            renames[part["id"]] = old.id
        else:
            renames[part["id"]] = ""
    for part in parts:
        if not renames[part["id"]]:
            taken = part["id"] in used or part["id"] in {v for v in renames.values()}
            renames[part["id"]] = fresh(prefix) if taken else part["id"]
            used.add(renames[part["id"]])
    new_sentence_ids: dict[str, str] = {}
    for part in parts:
        old = old_parts.get(renames[part["id"]])
        part["id"] = renames[part["id"]]
        old_paras = list(old.paragraphs) if old is not None and old.id in matched_parts else []
        new_paras = part["paragraphs"]
        old_texts = [gongwen.paragraph_text(p) for p in old_paras]
        new_texts = [(p.get("no", "") + "".join(s["text"] for s in p["sentences"])) for p in new_paras]
        pairs: dict[int, int] = {}
        sm = difflib.SequenceMatcher(a=old_texts, b=new_texts, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag in ("equal", "replace"):
                for a, b in zip(range(i1, i2), range(j1, j2)):
                    pairs[b] = a
        for b, para in enumerate(new_paras):
            old_para = old_paras[pairs[b]] if b in pairs else None
            para["id"] = old_para.id if old_para is not None else fresh(part["id"])
            old_sents = list(old_para.sentences) if old_para is not None else []
            news = para["sentences"]
            sm2 = difflib.SequenceMatcher(a=[gongwen.strip_marks(s.text) for s in old_sents], b=[s["text"] for s in news], autojunk=False)
            keep: dict[int, gongwen.Sentence] = {}
            for tag, i1, i2, j1, j2 in sm2.get_opcodes():
                if tag == "equal":
                    for a, b2 in zip(range(i1, i2), range(j1, j2)):
                        keep[b2] = old_sents[a]
            for b2, s in enumerate(news):
                if b2 in keep:
                    s["id"] = keep[b2].id
                    s["text"] = keep[b2].text
                else:
                    s["id"] = ""
            for s in news:
                if not s["id"]:
                    s["id"] = fresh(para["id"])
                new_sentence_ids[s["text"]] = s["id"]
            # 本段中改动或删去的句子
            live = {s["id"] for s in news}
            gone = [s for s in old_sents if s.id not in live]
            added = [s for s in news if s["id"] not in {o.id for o in old_sents}]
            for k, s_old in enumerate(gone):
                aliases[s_old.id] = added[k]["id"] if k < len(added) else para["id"]
        for old_para in old_paras:
            if old_para.id not in {p["id"] for p in new_paras}:
                aliases[old_para.id] = part["id"]
                for s_old in old_para.sentences:
                    aliases[s_old.id] = part["id"]
    live_ids = {p["id"] for p in parts} | {q["id"] for p in parts for q in p["paragraphs"]} | {
        s["id"] for p in parts for q in p["paragraphs"] for s in q["sentences"]}
    for old in previous.parts:
        if old.id not in live_ids:
            target = doc_id or parts[0]["id"]
            aliases[old.id] = target
            for para in old.paragraphs:
                aliases.setdefault(para.id, target)
                for s_old in para.sentences:
                    aliases.setdefault(s_old.id, target)
    # 整句移到别处的：指向它现在的编号
    for old_id, target in list(aliases.items()):
        old_s = next((s for p in previous.parts for q in p.paragraphs for s in q.sentences if s.id == old_id), None)
        if old_s is not None and gongwen.strip_marks(old_s.text) in new_sentence_ids:
            aliases[old_id] = new_sentence_ids[gongwen.strip_marks(old_s.text)]
    return {k: v for k, v in aliases.items() if k not in live_ids}


class _Dumper(yaml.SafeDumper):
    """含换行的文字（校勘记中的断段、断行）写成带引号的 "\n\n"，一眼看得出。"""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: dict[str, Any], header: str) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    return header + body


# ---- 命令行 -------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _update_sums(sums: Path, name: str, digest: str) -> None:
    lines = sums.read_text(encoding="utf-8").splitlines() if sums.is_file() else []
    lines = [ln for ln in lines if ln.split("  ", 1)[-1] != name] + [f"{digest}  {name}"]
    sums.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _retired(root: Path, prefix: str) -> dict[str, str]:
    path = root / ALIASES_FILE
    if not path.is_file():
        return {}
    data = load_yaml_file(path, ALIASES_FILE).data or {}
    aliases = data.get("aliases") or {}
    return {str(k): str(v) for k, v in aliases.items() if gongwen.ID_RE.match(str(k)) and gongwen.ID_RE.match(str(k))["prefix"] == prefix}  # type: ignore[index]


def _append_aliases(root: Path, new: dict[str, str], doc_id: str) -> None:
    path = root / ALIASES_FILE
    text = path.read_text(encoding="utf-8") if path.is_file() else "aliases:\n"
    if not text.endswith("\n"):
        text += "\n"
    text += f"  # {dt.date.today().isoformat()} 重新导入 {doc_id}：改动或删去的编号\n"
    text += "".join(f"  {old}: {target}\n" for old, target in new.items())
    path.write_text(text, encoding="utf-8")


def run(src: Path, doc_id: str, root: Path, prefix: str = "", dry_run: bool = False) -> Result:
    """导入一个文件（命令行和 make import 调用）；问题抛出 ImportRefused。"""
    if not re.fullmatch(r"doc-[a-z0-9-]+", doc_id):
        _refuse(str(src), 1, f"文件编号“{doc_id}”不对：写成 doc- 加小写字母、数字和连字符（如 doc-shili-fangan）", "IMP-12")
    out = root / GONGWEN_DIR / f"{doc_id}.yml"
    out_display = f"{GONGWEN_DIR}/{doc_id}.yml"
    previous = None
    if out.is_file():
        try:
            previous = gongwen.load_gongwen(out, out_display)
        except DataError as exc:
            raise ImportRefused([Problem(e.path, e.line, e.message, "IMP-12") for e in exc.errors]) from None
    prefix = prefix or (previous.prefix if previous else re.sub(r"[^a-z]", "", doc_id[4:])[:12])
    hints = _load_hints_refusing(root, doc_id)
    suffix = src.suffix.lower()
    received_file = previous.received_file if previous is not None and previous.received_file.endswith(suffix) else f"{doc_id}{suffix}"
    ex = read_source(src, str(src))
    result = build(ex, str(src), prefix, hints, received_file, previous, _retired(root, prefix), doc_id)
    problems = gongwen.check(result.document, ex.received, out_display)
    if problems:
        raise ImportRefused([Problem(str(src), 1, p, "IMP-12") for p in problems])
    if dry_run:
        return result
    header = (f"# {result.document.meta.doc_number} 的发布稿，由 make import 从 data/source/{received_file} 导入。\n"
              "# 编号一经发布不得改动或删除；重新导入同一文件的修订稿时，程序沿用未改动句子的编号，\n"
              "# 改动、删去的编号登记在 data/id-aliases.yml。正文只允许做 collation 中登记过的修复。\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dump(result.data, header), encoding="utf-8")
    dest = root / SOURCE_DIR / received_file
    dest.parent.mkdir(parents=True, exist_ok=True)
    if src.resolve() != dest.resolve():
        shutil.copyfile(src, dest)
    _update_sums(root / SOURCE_DIR / "SHA256SUMS", received_file, _sha256(dest))
    if result.aliases:
        _append_aliases(root, result.aliases, doc_id)
    return result


def _load_hints_refusing(root: Path, doc_id: str) -> Hints:
    try:
        return load_hints(root / HINTS_DIR / f"{doc_id}.yml", f"{HINTS_DIR}/{doc_id}.yml")
    except DataError as exc:
        raise ImportRefused([Problem(e.path, e.line, e.message, "IMP-12") for e in exc.errors]) from None


def received_texts(root: Path, docs: dict[str, gongwen.Gongwen]) -> dict[str, str]:
    """每份导入的公文的底本文字（读不了的不在其中，由 build_problems 报告）。"""
    out: dict[str, str] = {}
    for doc_id, doc in docs.items():
        try:
            out[doc_id] = received_text(root / SOURCE_DIR / doc.received_file, f"{SOURCE_DIR}/{doc.received_file}")
        except ImportRefused:
            continue
    return out


def build_problems(root: Path, docs: dict[str, gongwen.Gongwen], texts: dict[str, str] | None = None) -> list[Problem]:
    """构建时：每份导入的公文与 data/source/ 中的底本逐字核对（IMP-13）。texts 是已读出的底本（received_texts）。"""
    out: list[Problem] = []
    for doc_id, doc in docs.items():
        display = f"{GONGWEN_DIR}/{doc_id}.yml"
        try:
            text = texts[doc_id] if texts and doc_id in texts else received_text(root / SOURCE_DIR / doc.received_file, f"{SOURCE_DIR}/{doc.received_file}")
        except ImportRefused as exc:
            out += exc.problems
            continue
        out += [Problem(display, 1, p, "IMP-13") for p in gongwen.check(doc, text, display)]
    return out


def check_repo(root: Path, today: object = None) -> tuple[int, list[SourceError]]:
    """make check-content：data/gongwen/ 中每份导入的公文与 data/source/ 中的底本逐字核对。"""
    problems: list[SourceError] = []
    files = sorted((root / GONGWEN_DIR).glob("*.yml"))
    for path in files:
        display = f"{GONGWEN_DIR}/{path.name}"
        try:
            doc = gongwen.load_gongwen(path, display)
            source = root / SOURCE_DIR / doc.received_file
            text = received_text(source, f"{SOURCE_DIR}/{doc.received_file}")
        except DataError as exc:
            problems += exc.errors
            continue
        except ImportRefused as exc:
            problems += [SourceError(p.path, p.line, f"{p.message}（{p.rule}）") for p in exc.problems]
            continue
        problems += [SourceError(display, 1, f"{p}（IMP-13）") for p in gongwen.check(doc, text, display)]
    return len(files), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studycol.importer", description="导入一份公文（.txt、.docx、带文字层的 .pdf）")
    parser.add_argument("src", type=Path, help="底本文件")
    parser.add_argument("--id", required=True, dest="doc_id", help="文件编号，如 doc-shili-fangan")
    parser.add_argument("--prefix", default="", help="句子编号的前缀（小写字母；默认取文件编号中的字母，再次导入时沿用上一版的）")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="仓库目录（默认：当前目录）")
    parser.add_argument("--dry-run", action="store_true", help="只检查，不写文件")
    args = parser.parse_args(argv)
    try:
        result = run(args.src, args.doc_id, args.root.resolve(), args.prefix, args.dry_run)
    except ImportRefused as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print("导入已停止，没有写出任何文件。", file=sys.stderr)
        return 1
    doc = result.document
    sentences = sum(len(q.sentences) for p in doc.parts for q in p.paragraphs)
    verb = "检查通过（未写文件）" if args.dry_run else f"已写出 {GONGWEN_DIR}/{args.doc_id}.yml，底本存为 {SOURCE_DIR}/{doc.received_file}"
    print(f"{doc.meta.doc_number}　{doc.meta.title}：{len(doc.parts)} 个部分、{sentences} 句，校勘记 {len(doc.collation)} 条。{verb}。")
    for c in doc.collation:
        print(f"  校勘 {c.id}（{c.where}，{c.kind}）：“{c.received.replace(chr(10), '⏎')}”→“{c.published}” {c.count} 处")
    for old, new in result.aliases.items():
        print(f"  编号 {old} 已不在新稿中，登记别名 → {new}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
