"""把 Markdown 页面拆成“可检查的正文”：代码、网址、HTML 标签、注释、属性列表等一律遮住。

遮盖时用一个私用区字符（MASK）逐字替换，长度不变，因此正文中的行号、列号与源文件完全一致，
排版检查和安全检查找到的位置可以直接报告给编辑，自动修正也可以直接改回源文件。
"""

from __future__ import annotations

import dataclasses
import re

MASK = "\ue000"

FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})")
LIST_RE = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+")
HEADING_RE = re.compile(r"^(#{1,6})[ \t]+")
COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
DIRECTIVE_RE = re.compile(r"<!--\s*(lint-(?:disable-next-line|disable|enable))\b(.*?)-->", re.S)

# 行内需要遮住的结构（按顺序应用）
_INLINE: tuple[re.Pattern[str], ...] = (
    re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)"),  # 行内代码
    re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9+.-]*:[^<>\s]*|[^<>\s@]+@[^<>\s]+)>"),  # 自动链接 <https://…>
    re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s(?:[^<>\"']|\"[^\"]*\"|'[^']*')*)?/?>"),  # HTML 标签
    re.compile(r"(?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"),  # 链接地址 ](…)
    re.compile(r"(?<=\])\[[^\]\n]*\]"),  # 引用式链接 ][ref]
    re.compile(r"\[\^[^\]\s]+\]:?"),  # 脚注
    re.compile(r"\{:?\s*(?:[#.][^{}]*|[A-Za-z_-]+=[^{}]*)\}"),  # 属性列表 { #id .class }
    re.compile(r"(?:https?|ftp|mailto|javascript|data|vbscript|file):[^\s<>()（）\u3000-\u303f\uff00-\uffef\"']+"),  # 裸网址
    re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"),  # HTML 实体
)
_WHOLE_LINE: tuple[re.Pattern[str], ...] = (
    re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*\S.*$"),  # 引用式链接定义
    re.compile(r"^\s*-{2,}8<-{2,}.*$"),  # pymdownx.snippets
    re.compile(r"^\s*\*\[[^\]]+\]:"),  # 缩写定义的前缀
)
_ADMONITION_RE = re.compile(r'^(\s*(?:!!!|\?\?\?\+?)(?:\s+[A-Za-z0-9_ -]+?)?)(?:(\s+")(.*)(")\s*)?$')


@dataclasses.dataclass
class Line:
    no: int  # 1 起
    raw: str
    text: str  # 遮盖后的文字
    kind: str  # frontmatter / code / blank / text
    indent: int = 0


@dataclasses.dataclass
class Directive:
    name: str  # lint-disable / lint-enable / lint-disable-next-line
    rules: list[str]
    line: int
    col: int


@dataclasses.dataclass
class MarkdownDoc:
    lines: list[Line]
    front_matter: tuple[int, int] | None  # (首行, 末行)，1 起，不含 --- 行
    directives: list[Directive]

    @property
    def front_matter_text(self) -> str:
        if not self.front_matter:
            return ""
        a, b = self.front_matter
        return "\n".join(ln.raw for ln in self.lines[a - 1 : b])


def mask_span(text: str, start: int, end: int) -> str:
    """把 text[start:end] 中除换行外的字符换成 MASK。"""
    return text[:start] + "".join(c if c == "\n" else MASK for c in text[start:end]) + text[end:]


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def front_matter_range(lines: list[str]) -> tuple[int, int] | None:
    if not lines or lines[0].rstrip() != "---":
        return None
    for j in range(1, len(lines)):
        if lines[j].rstrip() in ("---", "..."):
            return (2, j) if j >= 1 else None
    return None


def classify(lines: list[str], indented_code: bool = True) -> tuple[list[str], tuple[int, int] | None]:
    """逐行判断种类：frontmatter / code / blank / text。"""
    kinds: list[str] = []
    fm = front_matter_range(lines)
    fm_last = (fm[1] + 1) if fm else 0  # 包括结束的 --- 行（1 起）
    fence: tuple[str, int] | None = None
    prev_blank = True
    in_list = False
    in_icode = False
    for i, line in enumerate(lines, 1):
        if i <= fm_last:
            kinds.append("frontmatter")
            continue
        if fence:
            kinds.append("code")
            m = FENCE_RE.match(line)
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= fence[1] and not line[m.end() :].strip():
                fence = None
            continue
        m = FENCE_RE.match(line)
        if m:
            fence = (m.group(2)[0], len(m.group(2)))
            kinds.append("code")
            prev_blank = False
            continue
        if not line.strip():
            kinds.append("blank")
            prev_blank = True
            continue
        ind = _indent(line)
        if indented_code and ind >= 4 and (in_icode or (prev_blank and not in_list)):
            kinds.append("code")
            in_icode = True
            prev_blank = False
            continue
        in_icode = False
        if ind < 4 and LIST_RE.match(line):
            in_list = True
        elif ind == 0 and prev_blank:
            in_list = False
        kinds.append("text")
        prev_blank = False
    return kinds, fm


def parse(text: str, indented_code: bool = True) -> MarkdownDoc:
    """遮盖 Markdown 中不属于正文的部分，并找出停用标记。"""
    raw_lines = text.split("\n")
    kinds, fm = classify(raw_lines, indented_code)

    # 1. 整行遮盖：front matter、代码块
    masked_lines = [
        (MASK * len(line)) if kind in ("frontmatter", "code") else line for line, kind in zip(raw_lines, kinds)
    ]
    # 行内代码先遮住：其中写的 <!-- … --> 是示例，不是注释
    masked_lines = [
        _INLINE[0].sub(lambda m: MASK * len(m.group(0)), line) if kind == "text" else line
        for line, kind in zip(masked_lines, kinds)
    ]
    masked = "\n".join(masked_lines)

    # 2. HTML 注释（可能跨行）；其中的停用标记记下来
    directives: list[Directive] = []
    for cm in COMMENT_RE.finditer(masked):
        d = DIRECTIVE_RE.fullmatch(cm.group(0))
        if d:
            line = masked.count("\n", 0, cm.start()) + 1
            col = cm.start() - (masked.rfind("\n", 0, cm.start()) + 1) + 1
            rules = [r for r in re.split(r"[\s,，、]+", d.group(2).strip()) if r]
            directives.append(Directive(d.group(1), rules, line, col))
        masked = mask_span(masked, cm.start(), cm.end())

    # 3. 行内结构
    out_lines: list[Line] = []
    for no, (raw, text, kind) in enumerate(zip(raw_lines, masked.split("\n"), kinds), 1):
        if kind == "text":
            for pat in _WHOLE_LINE:
                m = pat.match(text)
                if m:
                    text = mask_span(text, m.start(), m.end())
            m = _ADMONITION_RE.match(text)
            if m:
                text = mask_span(text, 0, m.end(1))
                if m.group(2):
                    text = mask_span(text, m.start(2), m.end(2))
                    text = mask_span(text, m.start(4), m.end(4))
            for pat in _INLINE:
                for m in list(pat.finditer(text)):
                    text = mask_span(text, m.start(), m.end())
        out_lines.append(Line(no, raw, text, kind, _indent(raw)))
    return MarkdownDoc(out_lines, fm, directives)


# ---- 段落结构 -----------------------------------------------------------------

_BLOCK_START_RE = re.compile(
    r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\||:\s|!!!|\?\?\?|<|-{3,}\s*$|\*{3,}\s*$|_{3,}\s*$|=+\s*$|\{)"
)


def is_block_start(line: str) -> bool:
    """这一行是否开始一个新的块（标题、列表项、引用、表格、HTML 等），而不是续接上一行的段落。"""
    return bool(_BLOCK_START_RE.match(line))


def paragraphs(doc: MarkdownDoc) -> list[list[Line]]:
    """按空行和块边界把正文行分组为段落（近似 Markdown 的段落）。"""
    groups: list[list[Line]] = []
    current: list[Line] = []
    for ln in doc.lines:
        if ln.kind != "text" or not ln.text.strip(MASK + " \t"):
            if current:
                groups.append(current)
            current = []
            continue
        if current and (is_block_start(ln.raw) or HEADING_RE.match(current[-1].raw.lstrip())):
            groups.append(current)
            current = []
        current.append(ln)
    if current:
        groups.append(current)
    return groups
