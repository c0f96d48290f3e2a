"""文件登记表（data/documents.yml）：模型和读取。"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .verification import Verification
from .yamlsrc import load_yaml_file, validate


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DocDate(_Strict):
    kind: Literal["印发", "成文", "公开", "施行", "未注明"]
    date: dt.date
    source: str = Field(min_length=1)


class DocSource(_Strict):
    title: str = Field(min_length=1)
    url: str = ""

    @field_validator("url")
    @classmethod
    def _https(cls, v: str) -> str:
        if v and not v.startswith("https://"):
            raise ValueError("来源网址必须以 https:// 开头；不知道网址就留空")
        return v


class Document(_Strict):
    id: str = Field(pattern=r"^doc-[a-z0-9-]+$")
    short: str = Field(min_length=1)
    title: str = Field(min_length=1)
    issuer: str = Field(min_length=1)
    doc_number: str = ""
    dates: list[DocDate] = []
    url: str = ""
    page: str | None = None
    confidence: Literal["多源", "单源", "存疑"]
    sources: list[DocSource] = Field(min_length=1)
    note: str = ""
    editors_note: str = ""  # 只给编辑看（如来源之间的出入）：发布构建中不显示
    verification: Verification | None = None  # 与官方原文核对的记录；没有时待核实

    @field_validator("doc_number")
    @classmethod
    def _wenhao(cls, v: str) -> str:
        import re

        if v and not (re.fullmatch(r"[\u4e00-\u9fa5]+〔\d{4}〕[1-9]\d*号", v) or re.fullmatch(r"[\u4e00-\u9fa5]+令第[1-9]\d*号", v)):
            raise ValueError(f"文号“{v}”格式不对：年份用六角括号〔〕，序号不加“第”、不补零，例如 矿安〔2024〕2号")
        return v

    @field_validator("url")
    @classmethod
    def _official_https(cls, v: str) -> str:
        if v and not v.startswith("https://"):
            raise ValueError("官方网址必须以 https:// 开头；不知道就留空，不要猜测")
        return v

    @property
    def date_conflict(self) -> bool:
        same_kind: dict[str, set[dt.date]] = {}
        for d in self.dates:
            same_kind.setdefault(d.kind, set()).add(d.date)
        return any(len(v) > 1 for v in same_kind.values())


class Registry(_Strict):
    documents: list[Document]

    @model_validator(mode="after")
    def _unique(self) -> "Registry":
        seen: set[str] = set()
        for d in self.documents:
            if d.id in seen:
                raise ValueError(f"文件编号“{d.id}”重复")
            seen.add(d.id)
        return self


def load_documents(path: Path, display: str = "data/documents.yml") -> Registry:
    """读取并校验文件登记表。"""
    return validate(Registry, load_yaml_file(path, display))
