"""带行号的 YAML 读取，以及把校验错误翻译成“文件:行 说明”的中文消息。

所有数据文件（通知、题库、任务清单、案例 front matter）都经由这里读取，
因此报错格式在全站一致。
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from . import ids
from .problems import Problem
from .visible import INVISIBLE, describe_invisible, escape_invisible, invisible_in, shown  # noqa: F401 - 供其他模块使用

Loc = tuple[str | int, ...]


# 数据文件的问题与构建中的其他问题是同一种类型（studycol.problems.Problem）：文件、行、说明，可带规则编号和列
SourceError = Problem


def repeated(path: str, items: Iterable[tuple[str, int]], message: Callable[[str, int], str]) -> list[Problem]:
    """(值, 行) 中再次出现的值：每处一条问题，说明是 message(值, 第一次出现的行)。"""
    first: dict[str, int] = {}
    out: list[Problem] = []
    for value, line in items:
        if value in first:
            out.append(Problem(path, line, message(value, first[value])))
        else:
            first[value] = line
    return out


class DataError(Exception):
    """数据文件无法读取或不合规；errors 里是全部问题（不只第一条）。"""

    def __init__(self, errors: list[SourceError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclasses.dataclass
class Sourced:
    """读入的数据以及每个字段所在的行号（键为从根开始的路径）。"""

    data: Any
    lines: dict[Loc, int]
    path: str
    line_offset: int = 0

    def line_of(self, loc: Iterable[str | int]) -> int:
        """返回 loc 所指字段的行号；找不到时退回到最近的上级字段。"""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc] + self.line_offset
            loc = loc[:-1]
        return self.lines.get((), 1) + self.line_offset


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[loc + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, loc + (key,), lines)
            # 让字段本身的行号指向键所在行，而不是值的起始行
            lines[loc + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, loc + (i,), lines)


def decode_source(raw: bytes, path: str) -> str:
    """按 UTF-8 解码，拒绝其他编码；去掉 BOM，统一换行符。"""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            [SourceError(path, line, f"文件不是 UTF-8 编码（第 {exc.start} 字节无法解码）；请用 UTF-8 另存后再提交。")]
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _impossible_dates(node: yaml.Node, path: str, offset: int) -> list[SourceError]:
    """找出写成日期格式、但日历上不存在的值（如 2024-02-30），逐个报告行号。"""
    out: list[SourceError] = []
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.SafeLoader(node.value).construct_yaml_timestamp(node)
            except ValueError:
                out.append(SourceError(path, node.start_mark.line + 1 + offset, f"日期“{node.value}”不存在；请核对年、月、日，写真实的日期（YYYY-MM-DD）。"))
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            out += _impossible_dates(k, path, offset) + _impossible_dates(v, path, offset)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            out += _impossible_dates(item, path, offset)
    return out


# ---- 受限的 YAML 读取：全站每一个 YAML 来源（数据文件、front matter、题库、术语表）都经过这里 ----------------
#
# 不用 yaml.compose：它递归组装节点（1,000 层嵌套即 RecursionError）、照单全收锚点和别名（展开时指数级膨胀），
# 也接受任意标签。这里直接读解析器的事件流（libyaml 的解析器本身不递归），自己组装节点，边组装边计数：
# 遇到锚点或别名、标签、不是简单文字的键或合并键、超过层数或节点数，立即停下并报告那一处的行和列。

# libyaml（PyYAML 的 C 扩展）解析快一个数量级；没有它时退回纯 Python 实现。两者给出的位置（行、列、字符序号）相同。
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 2 * 1024 * 1024  # 一个 YAML 来源最多 2 MiB
MAX_DEPTH = 32  # 映射和列表最多嵌套 32 层（本站数据最深 6 层）
MAX_NODES = 50_000  # 最多 50,000 个节点（本站最大的数据文件约 1,500 个）
MAX_NUMBER_DIGITS = 100  # 整数最多 100 位（更长的数字转换起来很慢，也不会是真实数据）

RULES: dict[str, str] = {
    "YAML-1": "YAML 语法错误（给出行、列和中文说明）",
    "YAML-2": "锚点和别名（&名称、*名称）",
    "YAML-3": f"嵌套超过 {MAX_DEPTH} 层",
    "YAML-4": "YAML 标签（!!python/object、!!str、!名称 等）",
    "YAML-5": "不是简单文字的键（? [a, b]、{a: 1}: 值）和合并键（<<）",
    "YAML-6": f"文件超过 {MAX_BYTES // 1048576} MB、节点超过 {MAX_NODES:,} 个或数字过长",
    "YAML-7": "日期字段写成了日期加时刻",
}

_TOO_DEEP = f"嵌套超过 {MAX_DEPTH} 层（列表和“键: 值”一层套一层）；本站的数据用不到这么深，请检查缩进或括号"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_INT_TAG = "tag:yaml.org,2002:int"


def tagged(message: str, rule: str) -> str:
    """给中文说明加上规则编号：“……（YAML-2）”。"""
    assert rule in RULES, rule
    return f"{message}（{rule}）"


class _Refused(Exception):
    def __init__(self, mark: Any, message: str, rule: str):
        self.mark, self.message, self.rule = mark, message, rule


def _where(mark: Any) -> str:
    return f"第 {mark.column + 1} 列" if mark is not None else ""


def _tag_text(text: str, mark: Any, tag: str) -> str:
    """标签在源文件中的写法（如 !!python/object:os.system），取不到时由标签名还原。"""
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "!":
        written = text[mark.index :].split(None, 1)[0]
        return shown(written, 40)
    return shown(tag.replace("tag:yaml.org,2002:", "!!"), 40)


def compose(text: str, path: str, line_offset: int = 0, *, what: str = "YAML", allow_duplicates: bool = False) -> yaml.Node | None:
    """按本站的限制解析 YAML，返回根节点（空文档为 None）；不合规时抛出 DataError（只报第一处）。

    what 是消息中对这段 YAML 的称呼（如“front matter 的 YAML”）。重复的键全部找出后一起报告
    （allow_duplicates 时不报告：排版检查照样检查其中的文字，重复由数据的读取器报告）。
    """
    size = len(text.encode("utf-8")) if len(text) * 4 > MAX_BYTES else len(text)
    if size > MAX_BYTES:
        whole = "文件" if what == "YAML" else what
        raise DataError([SourceError(path, 1 + line_offset, tagged(
            f"{whole}过大（{size / 1048576:.1f} MB，上限 {MAX_BYTES // 1048576} MB）；请拆分成几个文件，或检查是否误粘贴了大段内容",
            "YAML-6"))])
    loader = _FastLoader(text)
    duplicates: list[SourceError] = []
    try:
        root = _compose_events(loader, text, path, line_offset, duplicates)
    except _Refused as exc:
        line = (exc.mark.line + 1 if exc.mark is not None else 1) + line_offset
        column = exc.mark.column + 1 if exc.mark is not None else 0
        raise DataError([SourceError(path, line, tagged(exc.message, exc.rule), column=column)]) from None
    except yaml.YAMLError as exc:
        raise DataError([syntax_error(exc, text, path, line_offset, what)]) from None
    finally:
        loader.dispose()
    if duplicates and not allow_duplicates:
        raise DataError(duplicates)
    return root


def _compose_events(loader: Any, text: str, path: str, offset: int, duplicates: list[SourceError]) -> yaml.Node | None:
    get = loader.get_event
    resolve = loader.resolve
    get()  # StreamStartEvent
    event = get()
    if isinstance(event, yaml.StreamEndEvent):
        return None
    root: yaml.Node | None = None
    # 每一层：[节点, 待配对的键（映射中）, 已出现的键 → 行号（映射中）]
    stack: list[list[Any]] = []
    count = 0
    while True:
        event = get()
        kind = type(event)
        if kind is yaml.DocumentEndEvent:
            break
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()[0].end_mark = event.end_mark
            continue
        if kind is yaml.AliasEvent or event.anchor is not None:
            sign = "*" if kind is yaml.AliasEvent else "&"
            raise _Refused(event.start_mark, f"{_where(event.start_mark)}：不允许使用 YAML 锚点和别名（{sign}{shown(event.anchor, 30)}）；"
                           "请把内容直接写出来。文字以 & 或 * 开头时请加引号", "YAML-2")
        if event.tag is not None:
            shown_tag = _tag_text(text, event.start_mark, event.tag)
            raise _Refused(event.start_mark, f"{_where(event.start_mark)}：不允许使用 YAML 标签“{shown_tag}”；"
                           "数据只能是文字、数字、日期、列表和“键: 值”。文字以 ! 开头时请加引号", "YAML-4")
        count += 1
        if count > MAX_NODES:
            raise _Refused(event.start_mark, f"内容过多：超过 {MAX_NODES:,} 项（列表项、字段和值合计）；请拆分成几个文件", "YAML-6")
        if kind is yaml.ScalarEvent:
            tag = resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag == _INT_TAG and len(event.value) > MAX_NUMBER_DIGITS:
                raise _Refused(event.start_mark, f"{_where(event.start_mark)}：数字有 {len(event.value)} 位，太长了；"
                               "如果这是编号或文字，请加引号", "YAML-6")
            node: yaml.Node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style or None)
        elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
            if len(stack) >= MAX_DEPTH:
                raise _Refused(event.start_mark, f"{_where(event.start_mark)}：{_TOO_DEEP}", "YAML-3")
            if kind is yaml.SequenceStartEvent:
                node = yaml.SequenceNode(resolve(yaml.SequenceNode, None, event.implicit), [], event.start_mark, None,
                                         flow_style=event.flow_style)
            else:
                node = yaml.MappingNode(resolve(yaml.MappingNode, None, event.implicit), [], event.start_mark, None,
                                        flow_style=event.flow_style)
        else:  # 不会出现：libyaml 已保证事件顺序
            raise _Refused(event.start_mark, "无法识别的 YAML 结构", "YAML-1")
        if not stack:
            root = node
        else:
            top = stack[-1]
            parent = top[0]
            if isinstance(parent, yaml.SequenceNode):
                parent.value.append(node)
            elif top[1] is None:  # 映射中的键
                if not isinstance(node, yaml.ScalarNode):
                    raise _Refused(event.start_mark, f"{_where(event.start_mark)}：字段名必须是简单的文字，"
                                   "不能是列表或“键: 值”（如“? [a, b]”）；请改成“名称: 值”", "YAML-5")
                if node.tag == _MERGE_TAG:
                    raise _Refused(event.start_mark, f"{_where(event.start_mark)}：不允许使用合并键“<<”（把别处的字段并进来）；"
                                   "请把字段逐个写出来", "YAML-5")
                line = node.start_mark.line + 1 + offset
                first = top[2].get(node.value)
                if first is not None:
                    duplicates.append(SourceError(path, line, f"字段“{shown(node.value, 40)}”重复出现（第一次在第 {first} 行）；请删除其中一个。"))
                else:
                    top[2][node.value] = line
                top[1] = node
            else:
                parent.value.append((top[1], node))
                top[1] = None
        if not isinstance(node, yaml.ScalarNode):
            stack.append([node, None, {}])
    event = get()
    if not isinstance(event, yaml.StreamEndEvent):
        raise _Refused(event.start_mark, "一个文件只能有一份 YAML 内容，这里又出现了“---”开始的第二份；"
                       "请删除多余的“---”行（front matter 的结束行只写一次）", "YAML-1")
    return root


# 解析器的英文说明 → 中文（PyYAML 纯 Python 版与 libyaml 的措辞不同，两种都认）
_SYNTAX: list[tuple[str, str]] = [
    ("mapping values are not allowed", "这里不能出现“键: 值”。常见原因：文字中含有“: ”（冒号加空格）却没加引号，或这一行缩进不对"),
    ("could not find expected ':'", "缺少冒号：每个字段写成“名称: 值”，冒号后面空一格"),
    ("expected <block end>", "缩进不齐或多了内容：同一级的字段、列表项要左对齐；引号后面不能再接文字"),
    ("did not find expected key", "缩进不齐或多了内容：同一级的字段、列表项要左对齐；引号后面不能再接文字"),
    ("block sequence entries are not allowed", "列表项“- ”的位置不对：列表项另起一行，与同一列表的其他项对齐"),
    ("expected ',' or ']'", "方括号列表“[…]”没有闭合，或列表项之间缺少逗号"),
    ("expected ',' or '}'", "花括号“{…}”没有闭合，或字段之间缺少逗号"),
    ("unknown escape character", "双引号中的反斜杠转义不认识；要写反斜杠本身，请改用单引号，或写成两个反斜杠"),
    ("hexadecimal", "双引号中的 \\x、\\u 转义不完整"),
    ("unexpected end of stream", "引号没有闭合：到文件末尾也没有找到配对的引号"),
    ("document separator", "引号中的文字里出现了单独一行的“---”或“...”；请检查引号是否闭合"),
    ("document indicator", "引号中的文字里出现了单独一行的“---”或“...”；请检查引号是否闭合"),
    ("alphabetic or numeric character", "“&”“*”或“!”后面应是名称（YAML 的特殊写法）；以这些符号开头的文字请加引号"),
    ("tag handle", "以“!”开头的值会被当作 YAML 标签；请给整个值加引号"),
    ("chomping or indentation indicator", "“|”或“>”后面只能写缩进数字或 +、-，内容要另起一行"),
    ("comment or line break", "这一行的值后面多了内容；“|”“>”之后或引号之后请换行"),
    ("comment or a line break", "这一行的值后面多了内容；“|”“>”之后或引号之后请换行"),
    ("node content", "这里缺少值：冒号或“- ”后面的内容不完整"),
    ("document start", "文件开头不是“名称: 值”的形式；请按模板填写"),
    ("tab character", "用了 Tab 缩进；YAML 只能用空格缩进"),
    ("directive", "以“%”开头的行会被当作 YAML 指令；请删除，或给文字加引号"),
]


def syntax_error(exc: yaml.YAMLError, text: str, path: str, line_offset: int = 0, what: str = "YAML") -> SourceError:
    """把解析器的异常翻译成带行、列的中文说明（YAML-1）。"""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or exc)
    line = (mark.line + 1 if mark else 1) + line_offset
    why = next((zh for key, zh in _SYNTAX if key in problem), None)
    if "cannot start any token" in problem and mark is not None and mark.index < len(text):
        ch = text[mark.index]
        why = ("用了 Tab 缩进；YAML 只能用空格缩进" if ch == "\t"
               else f"“{shown(ch)}”不能出现在值的开头（YAML 的特殊符号）；请给整个值加引号")
    if "nesting depth" in problem:  # libyaml 自己的上限（1,000 层）：与本站的层数限制同一条规则
        return SourceError(path, line, tagged(f"第 {mark.column + 1 if mark else 1} 列：{_TOO_DEEP}", "YAML-3"), column=mark.column + 1 if mark else 0)
    if why is None:
        why = f"写法无法解析（解析器的说明：{shown(problem, 80)}）；请检查缩进、冒号和引号"
    where = f"第 {mark.column + 1} 列：" if mark else ""
    return SourceError(path, line, tagged(f"{what} 语法错误：{where}{why}", "YAML-1"), column=mark.column + 1 if mark else 0)


def limit_problem(text: str, path: str, line_offset: int = 0, *, what: str = "YAML") -> SourceError | None:
    """text 不合本站 YAML 限制（YAML-1 到 YAML-6）时的第一条问题；合规时为 None。不构造数据，很快。"""
    try:
        compose(text, path, line_offset, what=what, allow_duplicates=True)
    except DataError as exc:
        return exc.errors[0]
    return None


def split_rule(message: str) -> tuple[str, str]:
    """“说明（YAML-2）” → (“说明”, “YAML-2”)；没有规则编号时第二项为空。"""
    for rule in RULES:
        tail = f"（{rule}）"
        if message.endswith(tail):
            return message[: -len(tail)], rule
    return message, ""


def construct(node: yaml.Node | None) -> Any:
    """由 compose() 的节点得到数据（节点已经过检查：没有别名、标签、复杂的键，层数有限）。"""
    if node is None:
        return None
    return _FastLoader("").construct_document(node)


# 供其他模块使用：libyaml 的 C 加载器（约快十倍），标记（行号）与纯 Python 加载器相同
FAST_LOADER = _FastLoader


def parse_yaml(text: str, path: str, line_offset: int = 0, *, what: str = "YAML") -> Sourced:
    """解析 YAML 文本（经 compose 的各项限制），返回数据和行号表；问题以 DataError 报告。"""
    node = compose(text, path, line_offset, what=what)
    if node is None:
        raise DataError([SourceError(path, 1 + line_offset, "内容为空；请按模板填写。")])
    lines: dict[Loc, int] = {}
    _walk(node, (), lines)
    try:
        data = construct(node)
    except (yaml.YAMLError, ValueError) as exc:
        bad = _impossible_dates(node, path, line_offset)
        if bad:
            raise DataError(bad) from None
        raise DataError([SourceError(path, 1 + line_offset, f"YAML 内容无法转换：{shown(str(exc), 80)}")]) from None
    return Sourced(data=data, lines=lines, path=path, line_offset=line_offset)


def load_yaml_file(path: Path, display: str | None = None) -> Sourced:
    """读取 YAML 文件（display 是报错时显示的路径，通常是相对仓库根的路径）。"""
    shown = display or str(path)
    return parse_yaml(decode_source(path.read_bytes(), shown), shown)


_PYDANTIC_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "不认识的字段（可能拼错了）",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为键值结构",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "string_too_short": "不能为空",
    "too_short": "条目太少",
    "too_long": "条目太多",
    "string_pattern_mismatch": "格式不对",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "url_parsing": "不是有效的网址",
    "url_scheme": "网址协议不对",
    "tuple_type": "应为列表（写成 [甲, 乙]，或逐行写“- 甲”）",
    "set_type": "应为列表（写成 [甲, 乙]，或逐行写“- 甲”）",
    "model_type": "应为“字段: 值”的结构",
    "model_attributes_type": "应为“字段: 值”的结构",
    "mapping_type": "应为“旧名称: 新名称”这样的“键: 值”结构",
    "float_type": "应为数字",
    "none_required": "这里不应填写内容",
    "string_too_long": "太长了",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），这里写成了日期加时刻；时刻请另写在时间字段中（如案例的 event.time），带引号",
    "datetime_type": "应为日期（YYYY-MM-DD）",
}

# 这些字段的值是编号（或编号列表）：其中有看不见的字符时按 ID-1 报告
ID_FIELDS = frozenset({"id", "ids", "cites", "related", "notice", "doc", "source", "sources", "refs", "aliases"})


def _loc_text(loc: Loc) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item + 1}]")
        else:
            parts.append(("." if parts else "") + item)
    return "".join(parts) or "（根）"


def validation_errors(exc: ValidationError, src: Sourced, loc_prefix: Loc = ()) -> list[SourceError]:
    """把 pydantic 的校验错误逐条转换成带行号的中文错误。"""
    out: list[SourceError] = []
    for err in exc.errors():
        loc = tuple(loc_prefix) + tuple(x for x in err["loc"] if not (isinstance(x, str) and x.startswith("function-")))
        kind = err["type"]
        base = _PYDANTIC_MESSAGES.get(kind)
        if kind == "value_error":
            # 模型里的校验器自己写了中文说明
            text = str(err.get("ctx", {}).get("error", err["msg"]))
        elif kind in ("string_too_short", "string_too_long") and err.get("ctx"):
            ctx = err["ctx"]
            limit = ctx.get("min_length", ctx.get("max_length"))
            given = len(err["input"]) if isinstance(err.get("input"), str) else 0
            if kind == "string_too_long":
                text = f"太长：最多{limit}个字，现在是{given}个字"
            elif limit == 1 or not given:
                text = "不能为空"
            else:
                text = f"太短：至少{limit}个字，现在是{given}个字"
        elif kind in ("literal_error", "enum"):
            expected = err.get("ctx", {}).get("expected", "")
            text = f"{base}，允许的取值：{expected}"
        elif base:
            text = base
        else:
            text = f"取值不合要求（{shown(str(err['msg']), 80)}）"
        if kind == "date_from_datetime_inexact":
            text = tagged(text, "YAML-7")
        value = err.get("input")
        if isinstance(value, str) and invisible_in(value):
            field = next((x for x in reversed(loc) if isinstance(x, str)), "")
            text += f"。“{shown(value)}”中有看不见的字符 {describe_invisible(value)}，多半是复制粘贴时带进来的；请删除后重新输入"
            if field in ID_FIELDS:
                text = ids.tagged(text, "ID-1")
        out.append(SourceError(src.path, src.line_of(loc), f"字段 {_loc_text(loc)}：{text}"))
    return out


def validate(model: type[BaseModel], src: Sourced, loc_prefix: Loc = (), data: Any = None, context: dict | None = None):
    """用 model 校验 src（或 src 中的一部分 data），失败时抛出带行号的 DataError。"""
    payload = src.data if data is None else data
    try:
        return model.model_validate(payload, context=context)
    except ValidationError as exc:
        raise DataError(validation_errors(exc, src, loc_prefix)) from None
