"""核实记录：编辑把一项内容与官方原文核对后，在数据中写下谁、哪天、对照哪个官方网址。

文件登记表（data/documents.yml）和术语表（data/glossary.yml）的条目可以带 ``verification``；案例有自己的
核实记录（studycol.cases.Verification）。没有记录的条目是“待核实”。对照的网址是否在官方域名上，
由 studycol.release 按 data/official-domains.yml 判断：不在的，仍算待核实。
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator


class Verification(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["待核实", "已核实"]
    by: str = ""  # 核对人
    date: dt.date | None = None  # 核对日期
    against: str = ""  # 对照的官方原文的网址（https://…）
    note: str = ""

    @field_validator("against")
    @classmethod
    def _https(cls, v: str) -> str:
        if v and not v.startswith("https://"):
            raise ValueError("核对所据的网址必须以 https:// 开头")
        return v

    @model_validator(mode="after")
    def _complete(self) -> "Verification":
        if self.status == "已核实":
            missing = [label for label, value in (("核对人（by）", self.by.strip()), ("核对日期（date）", self.date), ("官方原文的网址（against）", self.against)) if not value]
            if missing:
                raise ValueError("标为“已核实”时必须写明" + "、".join(missing))
        return self
