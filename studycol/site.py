"""部署单位身份信息（mkdocs.yml 的 extra.column）：模型、发布前检查、页面元数据。"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .yamlsrc import _PYDANTIC_MESSAGES

# 34 个省级行政区（全称）。部署单位的 region 取其中之一，或“全国”。
PROVINCES: tuple[str, ...] = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
    "台湾省", "香港特别行政区", "澳门特别行政区",
)
NATIONWIDE = "全国"

# 发布（RELEASE=1）时必须填写的项目，以及它们在页面上的名称
RELEASE_FIELDS: dict[str, str] = {
    "operator": "主办单位",
    "undertaker": "承办单位",
    "contact": "联系方式",
    "site_id_code": "网站标识码",
    "icp": "ICP备案号",
    "police_beian": "公安机关备案号",
    "police_beian_url": "公安机关备案查询链接",
    "site_domain": "网站域名",
}


_PHONE_RE = re.compile(r"[0-9][0-9（）()+\-— 、，,转]*[0-9]")


class ReportChannel(BaseModel):
    """举报渠道（extra.column.report）：通知要求“畅通举报渠道”（n4-1-3）。

    每一项都由部署单位按本单位实际公布的渠道填写；不知道的项留空，页面上就不显示它。
    读者能用的渠道（电话、邮箱、网址、来信地址）一项也没有时，发布清单把它列为阻止发布的项目。
    """

    model_config = ConfigDict(extra="forbid")

    office: str = ""   # 受理举报的机构，如“某某局举报受理中心”
    phone: str = ""    # 举报电话，可写多个，用顿号分隔
    email: str = ""    # 举报邮箱
    url: str = ""      # 网上举报的地址（https://…）
    address: str = ""  # 来信地址（含邮政编码）

    @field_validator("office", "phone", "email", "url", "address", mode="before")
    @classmethod
    def _blank(cls, v: Any) -> Any:
        return "" if v is None else v

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str) -> str:
        v = v.strip()
        if v and not _PHONE_RE.fullmatch(v):
            raise ValueError("举报电话只写号码（数字、区号连字符、括号、“转”），多个号码用顿号分隔")
        return v

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        v = v.strip()
        if v and not re.fullmatch(r"https://[^\s<>\"']+", v):
            raise ValueError("网上举报地址必须是以 https:// 开头的完整地址")
        return v

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, f).strip() for f in ("office", "phone", "email", "url", "address"))

    @property
    def has_channel(self) -> bool:
        """至少有一种读者能用的渠道（电话、邮箱、网址或地址）；只写了受理机构不算。"""
        return any(getattr(self, f).strip() for f in ("phone", "email", "url", "address"))


class ReleaseWaivers(BaseModel):
    """发布时明确放弃的检查（extra.column.release_waivers）：只有部署单位决定先发布、以后再补时才写 true。"""

    model_config = ConfigDict(extra="forbid")

    hard_measures: bool = False  # 《硬措施》正式文本尚未收入也发布


class Identity(BaseModel):
    """部署单位的身份信息和发布选项。未知的项留空字符串，页面上不显示。"""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    operator: str = ""
    undertaker: str = ""
    region: str = NATIONWIDE
    contact: str = ""
    site_id_code: str = ""
    icp: str = ""
    police_beian: str = ""
    police_beian_url: str = ""
    site_domain: str = ""
    report: ReportChannel = Field(default_factory=ReportChannel)
    # 发布清单：最新一条工作动态早于这么多天时提醒（不阻止发布）
    news_max_age_days: int = Field(default=90, ge=1, le=3650)
    publish_unverified: bool = False  # 发布构建也发布“待核实”的内容（连同待核实提示）
    release_waivers: ReleaseWaivers = ReleaseWaivers()

    @field_validator("report", "release_waivers", mode="before")
    @classmethod
    def _empty_block(cls, v: Any) -> Any:
        return {} if v in ("", None) else v

    @field_validator("region")
    @classmethod
    def _known_region(cls, v: str) -> str:
        if v != NATIONWIDE and v not in PROVINCES:
            raise ValueError(f"region“{v}”不是省级行政区全称，也不是“全国”；例如应写“山西省”而不是“山西”")
        return v

    @field_validator("police_beian_url")
    @classmethod
    def _https(cls, v: str) -> str:
        if v and not v.startswith("https://"):
            raise ValueError("police_beian_url 必须以 https:// 开头")
        return v

    @field_validator("site_id_code")
    @classmethod
    def _code(cls, v: str) -> str:
        if v and not re.fullmatch(r"[0-9A-Za-z]{4,20}", v):
            raise ValueError("网站标识码只能由字母和数字组成")
        return v

    @property
    def is_nationwide(self) -> bool:
        return self.region == NATIONWIDE


def parse_identity(extra: dict[str, Any]) -> Identity:
    """从 extra 读取 column 配置；出错时抛出 ValueError（中文说明，指明 mkdocs.yml 中的位置）。"""
    raw = extra.get("column")
    if not isinstance(raw, dict):
        raise ValueError("mkdocs.yml 缺少 extra.column 配置块；请从仓库的 mkdocs.yml 复制该节并填写本单位信息。")
    values = {k: ("" if v is None else v) for k, v in raw.items()}
    try:
        return Identity.model_validate(values)
    except ValidationError as exc:
        msgs = []
        for err in exc.errors():
            field = ".".join(str(x) for x in err["loc"])
            text = err.get("ctx", {}).get("error") or _PYDANTIC_MESSAGES.get(err["type"], err["msg"])
            if err["type"] == "extra_forbidden":
                text = "不认识的配置项（可能拼错了）"
            msgs.append(f"mkdocs.yml extra.column.{field}：{text}")
        raise ValueError("；".join(msgs)) from None


def missing_for_release(identity: Identity) -> list[str]:
    """发布前必须填写而仍为空的项目（中文名称）。"""
    return [label for field, label in RELEASE_FIELDS.items() if not getattr(identity, field).strip()]


def is_truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}
