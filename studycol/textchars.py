"""看不见的字符：零宽字符和双向控制字符（规则 TEXT-1）。

这些字符在页面上看不出来，却能改变读者看到的文字：U+202E（从右到左强制）让“司公矿煤”显示成“煤矿公司”，
一个零宽连字让两个看起来一样的名称在程序看来不同。编辑不会有意输入它们，多半是从网页或文档中复制带来的，
也可能是有人故意夹带。所以在这些地方一律拒绝：

- front matter 和 data/ 中数据文件的每个文字字段（标题、简称、企业名称、地区、题干、选项、说明……）和字段名；
  编号字段（id、cites、source 等）除外，它们由 ID-1 报告（studycol/ids.py）。
  数据文件中的文字都会显示在页面上，短字段还会出现在索引页、导航和搜索结果中；
- Markdown 正文中的标题行（它们成为页面标题、目录和搜索结果的标题）。

正文段落不在此列（排版检查另有规则）。拒绝的消息写明文件、行号和字段，并把字符写成 \\u202e 这样的编码，
否则编辑在消息里同样看不见它。

检查的字符：U+200B–U+200F、U+202A–U+202E、U+2066–U+2069，以及文字中的 U+FEFF（文件开头的 BOM 另有规则）。
"""

from __future__ import annotations

import re
import yaml

from . import yamlsrc
from .lint import markdown as md
from .problems import Problem

RULE = "TEXT-1"

NAMES: dict[str, str] = {
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u200e": "从左到右标记",
    "\u200f": "从右到左标记",
    "\u202a": "从左到右嵌入",
    "\u202b": "从右到左嵌入",
    "\u202c": "结束方向嵌入",
    "\u202d": "从左到右强制",
    "\u202e": "从右到左强制",
    "\u2066": "从左到右隔离",
    "\u2067": "从右到左隔离",
    "\u2068": "首字方向隔离",
    "\u2069": "结束方向隔离",
    "\ufeff": "零宽不换行空格（BOM）",
}
CHARS_RE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# YAML 双引号字符串中能写出这些字符的转义（\u202e、\U0000202E、\xNN 写不出，但一并看）
_ESCAPE_RE = re.compile(r"\\[uUx]")


def escaped(text: str) -> str:
    """把看不见的字符写成 \\u202e 这样的编码（其余文字照原样），让消息里看得见。"""
    return CHARS_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def describe(text: str) -> str:
    """text 中出现的各种看不见的字符：“\\u202e（从右到左强制）、\\u200b（零宽空格）”。"""
    found = dict.fromkeys(CHARS_RE.findall(text))
    return "、".join(f"\\u{ord(c):04x}（{NAMES[c]}）" for c in found)


def _excerpt(text: str, width: int = 40) -> str:
    """第一个看不见的字符前后的一段文字（编码后），太长时截断。"""
    line = next((ln for ln in text.split("\n") if CHARS_RE.search(ln)), text)
    m = CHARS_RE.search(line)
    start = max(0, (m.start() if m else 0) - width // 2)
    piece = line[start : start + width]
    return ("…" if start else "") + escaped(piece).strip() + ("…" if start + width < len(line) else "")


def message(what: str, value: str) -> str:
    it = "这些字符" if len(set(CHARS_RE.findall(value))) > 1 else "这个字符"
    return (
        f"{what}中有看不见的字符 {describe(value)}：页面上看不出来，却能让文字倒序显示，"
        f"或让看起来相同的名称实际不同；请删除{it}（可删掉这几个字重新输入）。"
        f"出问题的文字（看不见的字符写成了编码）：“{_excerpt(value)}”"
    )


def has_any(text: str) -> bool:
    return CHARS_RE.search(text) is not None


# ---- YAML（front matter 和数据文件） ---------------------------------------------------------


def _loc_text(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (("." if out else "") + part)
    return out


# 值是编号的字段（studycol/yamlsrc.ID_FIELDS）：其中看不见的字符由 ID-1 报告（校验编号格式或解析引用时）。
# aliases 除外：术语表中的 aliases 是别称文字
ID_VALUE_FIELDS = yamlsrc.ID_FIELDS - {"aliases"}


def _field_of(loc: tuple[str | int, ...]) -> str:
    return next((x for x in reversed(loc) if isinstance(x, str)), "")


def yaml_problems(text: str, path: str, line_offset: int = 0) -> list[Problem]:
    """YAML 文字中每个带看不见字符的字段值和字段名：(文件, 行, 说明)。

    line_offset 加到行号上（front matter 从文件第 2 行开始时为 1）。没有这些字符的文件（几乎全部）只做一次
    字符查找，不解析。YAML 本身的错误（语法、嵌套过深等）留给数据加载器报告，这里不报。
    """
    if not CHARS_RE.search(text) and not _ESCAPE_RE.search(text):
        return []
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError, ValueError):
        return []
    out: list[Problem] = []
    seen: set[int] = set()
    # 不用递归：嵌套再深也不会出错；同一个节点（YAML 别名）只看一次
    stack: list[tuple[yaml.Node, tuple[str | int, ...]]] = [(root, ())] if root is not None else []
    while stack:
        node, loc = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                if isinstance(key, yaml.ScalarNode) and has_any(key.value):
                    out.append(_scalar_problem(text, key, path, line_offset, f"字段名“{escaped(key.value)}”"))
                stack.append((value, loc + (name,)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, loc + (i,)) for i, item in reversed(list(enumerate(node.value))))
        elif isinstance(node, yaml.ScalarNode) and has_any(node.value):
            if _field_of(loc) in ID_VALUE_FIELDS:
                continue  # 编号字段：不合格式或引用不到时按 ID-1 报告（studycol/ids.py），不重复
            what = f"字段 {_loc_text(loc)} " if loc else "文字"
            out.append(_scalar_problem(text, node, path, line_offset, what))
    return sorted(out, key=lambda p: p.line)


def _scalar_problem(text: str, node: yaml.ScalarNode, path: str, line_offset: int, what: str) -> Problem:
    """字符在源文件中的那一行（块文字 | > 中也准确）；字符是用 \\u 转义写的时，取值开始的行。"""
    raw = text[node.start_mark.index : node.end_mark.index]
    m = CHARS_RE.search(raw)
    line = node.start_mark.line + 1 + (raw.count("\n", 0, m.start()) if m else 0)
    return Problem(path, line + line_offset, message(what, node.value), RULE)


# ---- Markdown 正文中的标题 -------------------------------------------------------------------

_ATX_RE = re.compile(r"^[ ]{0,3}#{1,6}(?:[ \t]|$)")
_SETEXT_RE = re.compile(r"^[ ]{0,3}(?:=+|-+)[ \t]*$")


def heading_problems(body: str, path: str, line_offset: int = 0) -> list[Problem]:
    """正文中带看不见字符的标题行（# 标题，以及下一行是 ===/--- 的标题）。代码块中的不算。"""
    if not CHARS_RE.search(body):
        return []
    lines = body.split("\n")
    kinds, _ = md.classify(lines, indented_code=False)
    out: list[Problem] = []
    for i, (line, kind) in enumerate(zip(lines, kinds)):
        if kind in ("code", "frontmatter") or not has_any(line):
            continue
        setext = (
            i + 1 < len(lines) and kinds[i + 1] not in ("code", "frontmatter") and line.strip()
            and _SETEXT_RE.match(lines[i + 1]) is not None and not _ATX_RE.match(line)
        )
        if _ATX_RE.match(line) or setext:
            out.append(Problem(path, i + 1 + line_offset, message("标题", line.strip().lstrip("#").strip()), RULE))
    return out

