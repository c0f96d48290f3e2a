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


class ReportChannel(BaseModel):
    """举报渠道（extra.column.report）：《硬措施》和通知要求畅通举报渠道。至少填一项才能发布。"""

    model_config = ConfigDict(extra="forbid")

    phone: str = ""      # 举报电话
    email: str = ""      # 举报邮箱
    url: str = ""        # 网上举报的网址（https://…）
    address: str = ""    # 来信地址

    @field_validator("url")
    @classmethod
    def _https(cls, v: str) -> str:
        if v and not v.startswith("https://"):
            raise ValueError("举报网址必须以 https:// 开头")
        return v

    @property
    def empty(self) -> bool:
        return not any(x.strip() for x in (self.phone, self.email, self.url, self.address))


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
    report: ReportChannel = ReportChannel()
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
    try:
        return Identity.model_validate({k: ("" if v is None else v) for k, v in raw.items()})
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
