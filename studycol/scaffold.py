"""新建条目的命令（make new-case、make new-post）共用的模板填写：把回答写成 front matter 中安全的 YAML。"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import yaml


def yaml_scalar(value: Any) -> str:
    """把文字写成安全的 YAML 标量：普通文字原样写，含有冒号、井号等特殊字符时自动加引号。"""
    text = yaml.safe_dump(value, allow_unicode=True, width=10_000).strip()
    return text[: -len("...")].rstrip() if text.endswith("\n...") else text


def render(template: Path, fields: dict[str, Any]) -> str:
    """用 tools/templates/ 中的模板填写一个新文件；模板中用 {{ 值|y }} 写 YAML 值，缺少的字段报错而不是留空。"""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(template.parent)), keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["y"] = yaml_scalar
    return env.get_template(template.name).render(**fields)
