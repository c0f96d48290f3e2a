"""带行号的 YAML 读取，以及把校验错误翻译成“文件:行 说明”的中文消息。

所有数据文件（通知、题库、任务清单、案例 front matter）都经由这里读取，
因此报错格式在全站一致。
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

Loc = tuple[str | int, ...]


@dataclasses.dataclass(frozen=True)
class SourceError:
    """一条面向编辑的错误：哪个文件、第几行、出了什么问题、怎么改。"""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


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


class _NoDatesLoader(yaml.SafeLoader):
    """与 SafeLoader 相同；日期仍解析为 datetime.date，方便 schema 校验。"""


def _reject_duplicate_keys(node: yaml.Node, path: str, offset: int) -> list[SourceError]:
    errors: list[SourceError] = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            if key_node.value in seen:
                errors.append(
                    SourceError(path, line, f"字段“{key_node.value}”重复出现（第一次在第 {seen[key_node.value]} 行）；请删除其中一个。")
                )
            else:
                seen[key_node.value] = line
            errors.extend(_reject_duplicate_keys(value_node, path, offset))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            errors.extend(_reject_duplicate_keys(item, path, offset))
    return errors


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


# libyaml（PyYAML 的 C 扩展）解析快一个数量级；没有它时退回纯 Python 实现
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# 供其他模块使用：libyaml 的 C 加载器（约快十倍），标记（行号）与纯 Python 加载器相同
FAST_LOADER = _FastLoader


def parse_yaml(text: str, path: str, line_offset: int = 0, *, cache: bool = True) -> Sourced:
    """解析 YAML 文本，返回数据和行号表；语法错误以 DataError 报告。

    同一文本只解析一次（i18n 插件为每种语言各跑一遍钩子，多个钩子也会读同一文件）；
    返回的数据是缓存的深拷贝，调用者可以放心修改。cache=False 时不缓存、不拷贝：用于成千上万个
    只解析一次的小文件（案例），它们只会挤掉缓存中的其他文件，深拷贝也白白花时间。
    """
    if not cache:
        return _parse(text, path, line_offset)
    cached = _parse_lru(text, path, line_offset)
    return Sourced(data=copy.deepcopy(cached.data), lines=cached.lines, path=path, line_offset=line_offset)


def _parse(text: str, path: str, line_offset: int) -> Sourced:
    try:
        node = yaml.compose(text, Loader=_FastLoader)
    except yaml.YAMLError as fast_exc:
        # 出错时用纯 Python 解析器再解析一次：它的说明更具体（例如“expected ',' but got ':'”）
        try:
            yaml.compose(text, Loader=yaml.SafeLoader)
            exc = fast_exc
        except yaml.YAMLError as slow_exc:
            exc = slow_exc
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataError([SourceError(path, line, f"YAML 语法错误：{problem}。请检查缩进、冒号和引号。")]) from None
    if node is None:
        raise DataError([SourceError(path, 1 + line_offset, "内容为空；请按模板填写。")])
    dup = _reject_duplicate_keys(node, path, line_offset)
    if dup:
        raise DataError(dup)
    lines: dict[Loc, int] = {}
    _walk(node, (), lines)
    try:
        data = _FastLoader("").construct_document(node)
    except (yaml.YAMLError, ValueError) as exc:
        bad = _impossible_dates(node, path, line_offset)
        if bad:
            raise DataError(bad) from None
        raise DataError([SourceError(path, 1 + line_offset, f"YAML 内容无法解析：{exc}")]) from None
    return Sourced(data=data, lines=lines, path=path, line_offset=line_offset)


_parse_lru = functools.lru_cache(maxsize=256)(_parse)  # parse_yaml 的缓存


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
}


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
        elif kind in ("literal_error", "enum"):
            expected = err.get("ctx", {}).get("expected", "")
            text = f"{base}，允许的取值：{expected}"
        elif base:
            text = base
        else:
            text = err["msg"]
        out.append(SourceError(src.path, src.line_of(loc), f"字段 {_loc_text(loc)}：{text}"))
    return out


def validate(model: type[BaseModel], src: Sourced, loc_prefix: Loc = (), data: Any = None, context: dict | None = None):
    """用 model 校验 src（或 src 中的一部分 data），失败时抛出带行号的 DataError。"""
    payload = src.data if data is None else data
    try:
        return model.model_validate(payload, context=context)
    except ValidationError as exc:
        raise DataError(validation_errors(exc, src, loc_prefix)) from None
