"""解读要点页面的结构检查，以及由解读要点生成宣讲提纲。

解读要点写在 docs/jiedu/*.md 中。每一条要点是一个带 .jd-point 类的标题：

    ## （一）迅速行动，立即自查 { #jd4-zicha .jd-point }

    第一段是一句话概括（宣讲提纲会摘录它），其后是展开的说明，至少引用一次通知原文 [[n4-1-1]]。

规则（check_points）：编号形如 jd<部分数字>-<英文>，部分数字对应通知的部分（0 为导语，9 为结尾）；
标题后第一段必须是概括段落；每条要点至少引用一处通知原文。宣讲提纲按通知的部分顺序汇集全部要点，
所以解读页面改了，提纲自动跟着变。本模块只有纯函数，不依赖 MkDocs。
"""

from __future__ import annotations

import dataclasses
import re

from . import xref
from .yamlsrc import SourceError

HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(?P<title>.+?)[ \t]*\{(?P<attrs>[^}]*)\}[ \t]*$")
PLAIN_HEADING_RE = re.compile(r"^#{1,6}[ \t]+\S")
POINT_ID_RE = re.compile(r"^jd(?P<part>\d)-[a-z0-9]+(?:-[a-z0-9]+)*$")
FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


@dataclasses.dataclass(frozen=True)
class Point:
    """一条解读要点。"""

    id: str
    title: str
    level: int
    line: int  # 标题所在行（含 front matter 的文件行号）
    summary: str  # 标题后的第一段（原样 Markdown）
    summary_line: int
    notice_refs: tuple[str, ...]  # 本节引用的通知编号

    @property
    def part(self) -> str:
        m = POINT_ID_RE.match(self.id)
        return f"n{m.group('part')}" if m else ""


def blank_front_matter(source: str) -> str:
    """把页面开头的 front matter 换成同样多的空行，行号因此与文件一致。"""
    if source.startswith("---\n"):
        end = source.find("\n---\n", 4)
        if end > 0:
            head = source[: end + 5]
            return "\n" * head.count("\n") + source[end + 5 :]
    return source


def check_page(source: str, src: str) -> list[SourceError]:
    """检查一个解读页面（含 front matter 的全文）中的全部解读要点。"""
    return check_points(parse_points(blank_front_matter(source.replace("\r\n", "\n"))), src)


def _attrs(text: str) -> tuple[str | None, list[str]]:
    ident = None
    classes = []
    for token in text.split():
        if token.startswith("#"):
            ident = token[1:]
        elif token.startswith("."):
            classes.append(token[1:])
    return ident, classes


def _lines_outside_code(markdown: str) -> list[tuple[int, str, bool]]:
    """逐行返回 (行号, 文字, 是否在围栏代码块中)。"""
    out = []
    fence: str | None = None
    for n, line in enumerate(markdown.split("\n"), 1):
        m = FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(1)[0] * 3
            out.append((n, line, True))
            continue
        if fence is not None:
            out.append((n, line, True))
            if line.strip().startswith(fence):
                fence = None
            continue
        out.append((n, line, False))
    return out


def parse_points(markdown: str) -> list[Point]:
    """找出页面中的全部解读要点（行号从 markdown 第一行起算）。"""
    lines = _lines_outside_code(markdown)
    points: list[Point] = []
    headings = [(i, n, t) for i, (n, t, code) in enumerate(lines) if not code and PLAIN_HEADING_RE.match(t)]
    for k, (i, n, text) in enumerate(headings):
        m = HEADING_RE.match(text)
        if not m:
            continue
        ident, classes = _attrs(m.group("attrs"))
        if "jd-point" not in classes:
            continue
        level = len(m.group(1))
        # 本节：到下一个同级或更高级标题为止
        end = len(lines)
        for i2, _, t2 in headings[k + 1 :]:
            if len(t2) - len(t2.lstrip("#")) <= level:
                end = i2
                break
        body = lines[i + 1 : end]
        summary, summary_line = "", 0
        para: list[str] = []
        for n2, t2, code in body:
            if not t2.strip():
                if para:
                    break
                continue
            if not para:
                summary_line = n2
            para.append(t2)
        first = para[0].lstrip() if para else ""
        if para and not first.startswith(("<", "!!!", "???", "-", "*", "|", ">", "1.")):
            summary = "\n".join(para)
        refs = tuple(
            r.group("id").strip()
            for _, t2, code in body
            if not code
            for r in xref.scan(t2)
            if xref.NOTICE_ID_RE.match(r.group("id").strip())
        )
        points.append(Point(ident or "", m.group("title").strip(), level, n, summary, summary_line, refs))
    return points


def check_points(points: list[Point], src: str, line_offset: int = 0) -> list[SourceError]:
    """解读要点的规则检查；返回全部问题。"""
    problems = []
    seen: set[str] = set()
    for p in points:
        line = p.line + line_offset
        if not POINT_ID_RE.match(p.id):
            problems.append(
                SourceError(src, line, f"解读要点“{p.title}”的编号“{p.id}”不合规：应写成 jd<部分数字>-<英文>，例如 jd4-zicha（导语用 0，结尾用 9）")
            )
        if p.id in seen:
            problems.append(SourceError(src, line, f"解读要点编号“{p.id}”重复"))
        seen.add(p.id)
        if not p.summary:
            problems.append(
                SourceError(src, line, f"解读要点“{p.title}”的标题后第一段应是一句话概括（普通段落）；宣讲提纲会摘录它")
            )
        if not p.notice_refs:
            problems.append(
                SourceError(src, line, f"解读要点“{p.title}”没有引用通知原文；每条要点至少用 [[n…]] 注明依据，例如 [[n4-1-2]]")
            )
        elif p.part and not any(r == p.part or r.startswith(p.part + "-") for r in p.notice_refs):
            problems.append(
                SourceError(src, line, f"解读要点“{p.title}”的编号表明它属于 {p.part}，但本节没有引用 {p.part} 的任何段落或句子")
            )
    return problems


def with_source(markdown: str, src: str, first_line: int) -> str:
    """把摘录文字中的 [[…]] 引用标上原文件和行号，这样断链报错仍指向解读页面。"""

    def repl(m: re.Match[str]) -> str:
        if m.group("src"):
            return m.group(0)
        line = first_line + markdown.count("\n", 0, m.start())
        return xref.markup(m.group("id").strip(), m.group("label"), src=src, line=line)

    return xref.REF_RE.sub(repl, markdown)


def outline_groups(pages: list[tuple[str, str, int]], part_order: list[str]) -> tuple[list[tuple[str, list[tuple[str, Point]]]], list[SourceError]]:
    """把若干解读页面的要点按通知部分汇集。

    pages：(页面 src_uri, Markdown 全文, 行号偏移) 的列表，按页面顺序；
    返回 [(部分编号, [(页面, 要点), …]), …]（按 part_order 排序）和检查出的问题。
    """
    groups: dict[str, list[tuple[str, Point]]] = {}
    problems: list[SourceError] = []
    for uri, text, offset in pages:
        points = parse_points(text)
        problems += check_points(points, f"docs/{uri}", offset)
        for p in points:
            if p.part:
                groups.setdefault(p.part, []).append((uri, p))
    ordered = [(pid, groups[pid]) for pid in part_order if pid in groups]
    for pid in groups:
        if pid not in part_order:
            uri, p = groups[pid][0]
            problems.append(SourceError(f"docs/{uri}", p.line, f"解读要点“{p.title}”的编号指向不存在的通知部分 {pid}"))
    return ordered, problems
