"""从 YAML 数据文件中取出要检查的文字字段，并记下每个字段在源文件中的位置。

只检查含有汉字的文本值；键名、编号、网址、路径之类的字段跳过。
位置能与源文件逐字对应时（单行的普通或引号标量、字面块 |），自动修正可以直接改源文件；
否则只报告，不自动修改。
"""

from __future__ import annotations

import dataclasses
import re

import yaml

from .. import yamlsrc

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# 这些键的值不是给读者看的句子（编号、地址、路径、引用列表），不检查
SKIP_KEYS = frozenset(
    {"id", "ids", "url", "urls", "href", "src", "path", "file", "page", "cites", "refs", "aliases", "received_file", "slug"}
)
# 条目级停用字段：lint_disable: [ZH-SPACE-3] 对该条目（映射）中的全部文字生效
DISABLE_KEYS = frozenset({"lint_disable", "lint-disable"})
COMMENT_DIRECTIVE_RE = re.compile(r"(?:^|\s)#\s*(lint-(?:disable-line|disable-next-line|disable|enable))\b([^#\n]*)")


@dataclasses.dataclass
class TextSegment:
    line: int  # 1 起
    col: int  # 0 起：text[0] 在源行中的列
    text: str
    exact: bool  # text 与源文件逐字对应
    block: int  # 同一个字段的各行共用一个编号
    field: str  # 字段路径，如 parts[2].paragraphs[1].sentences[3].text


@dataclasses.dataclass
class YamlText:
    segments: list[TextSegment]
    disabled: list[tuple[int, int, list[str], int]]  # (首行, 末行, 规则, 标记所在行)
    directives: list[tuple[str, list[str], int, int]]  # (名称, 规则, 行, 列)
    error: tuple[int, int, str] | None  # YAML 无法读取：(行, 列, 说明)
    folded: list[tuple[int, str]]  # 跨行折叠、会在汉字间插入空格的字段：(行, 字段)


def _field(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p + 1}]" if isinstance(p, int) else (("." if out else "") + str(p))
    return out or "（根）"


def _rules_of(node: yaml.Node) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        return [r for r in re.split(r"[\s,，、]+", str(node.value)) if r]
    if isinstance(node, yaml.SequenceNode):
        return [str(n.value) for n in node.value if isinstance(n, yaml.ScalarNode)]
    return []


def _last_line(node: yaml.Node) -> int:
    """节点最后一个字符所在的行（0 起）。块映射的 end_mark 指向下一个记号，不可用，所以看叶子标量。"""
    if isinstance(node, yaml.ScalarNode):
        m = node.end_mark
        return m.line - 1 if m.column == 0 and m.line > node.start_mark.line else m.line
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            children += [k, v]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    return max((_last_line(c) for c in children), default=node.start_mark.line)


def extract(text: str, line_offset: int = 0) -> YamlText:
    """解析 YAML 文本，列出要检查的文字段。line_offset 用于 Markdown front matter（加到行号上）。"""
    src_lines = text.split("\n")
    directives: list[tuple[str, list[str], int, int]] = []
    for i, line in enumerate(src_lines, 1):
        for m in COMMENT_DIRECTIVE_RE.finditer(line):
            rules = [r for r in re.split(r"[\s,，、]+", m.group(2).strip()) if r]
            directives.append((m.group(1), rules, i + line_offset, m.start(1)))
    try:
        # 与构建相同的受限读取（studycol/yamlsrc.py）：锚点、标签、层数、体积超限时报告，不展开
        root = yamlsrc.compose(text, "", line_offset, allow_duplicates=True)
    except yamlsrc.DataError as exc:
        first = exc.errors[0]
        return YamlText([], [], directives, (first.line, first.column or 1, first.message), [])

    segments: list[TextSegment] = []
    disabled: list[tuple[int, int, list[str], int]] = []
    folded: list[tuple[int, str]] = []
    counter = [0]

    def scalar(node: yaml.ScalarNode, path: tuple) -> None:
        if node.tag != "tag:yaml.org,2002:str" or not HAN_RE.search(node.value):
            return
        counter[0] += 1
        block = counter[0]
        value: str = node.value
        start, end = node.start_mark, node.end_mark
        field = _field(path)
        raw = text[start.index : end.index]
        line0 = start.line + 1 + line_offset
        if node.style is None and start.line == end.line and raw == value:
            segments.append(TextSegment(line0, start.column, value, True, block, field))
            return
        if node.style in ("'", '"') and start.line == end.line and raw[1:-1] == value:
            segments.append(TextSegment(line0, start.column + 1, value, True, block, field))
            return
        if node.style == "|":
            body = src_lines[start.line + 1 : end.line + 1]
            indent = min((len(x) - len(x.lstrip(" ")) for x in body if x.strip()), default=0)
            for i, vline in enumerate(value.split("\n")):
                src_i = start.line + 1 + i
                exact = src_i < len(src_lines) and src_lines[src_i][indent:] == vline
                segments.append(TextSegment(src_i + 1 + line_offset, indent, vline, exact, block, field))
            return
        if start.line != end.line and node.style in (None, ">", "'", '"'):
            if re.search(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef] [\u3000-\u303f\u3400-\u9fff\uff00-\uffef]", value):
                folded.append((line0, field))
        for i, vline in enumerate(value.split("\n")):
            segments.append(TextSegment(line0 + i, start.column, vline, False, block, field))

    def walk(node: yaml.Node, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                if key in DISABLE_KEYS:
                    disabled.append(
                        (
                            node.start_mark.line + 1 + line_offset,
                            _last_line(node) + 1 + line_offset,
                            _rules_of(value_node),
                            key_node.start_mark.line + 1 + line_offset,
                        )
                    )
                    continue
                if key in SKIP_KEYS:
                    continue
                walk(value_node, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, path + (i,))
        elif isinstance(node, yaml.ScalarNode):
            scalar(node, path)

    if root is not None:
        walk(root, ())
    return YamlText(segments, disabled, directives, None, folded)
