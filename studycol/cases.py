"""典型案例：内容模型、校验规则、分类索引和相关案例。

一个案例是 docs/cases/ 下的一个 Markdown 文件：front matter 写结构化的事实（时间、地点、后果、
违法违规行为、来源、核实状态……），正文写事故经过。本模块只有纯函数和数据类：

- load_vocab()      读取受控词表 data/case-vocab.yml；
- parse_case()      读取并校验一个案例文件，问题以“文件:行: 中文说明”的形式返回；
- load_cases()      读取一个目录下的全部案例，另外检查编号和文件名是否重复；
- reference_problems()  不构建站点，检查案例引用的通知、文件、案例编号是否存在；
- by_year() 等      生成分类索引；related() 找相关案例。

构建钩子（hooks/cases.py）和快速检查命令（tools/check_content.py）都调用这里，规则只写一遍。
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import heapq
import json
import posixpath
import re
import subprocess
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from . import ids as ids_mod
from . import textchars, xref
from .site import PROVINCES
from .yamlsrc import DataError, SourceError, Sourced, decode_source, load_yaml_file, parse_yaml, validate

# ---- 常量 ---------------------------------------------------------------------

KINDS = ("真实案例", "教学示例")
REAL, TEACHING = KINDS
STATUSES = ("待核实", "已核实")
PENDING, VERIFIED = STATUSES
OFFICIAL_ORIGIN = "官方发布"
# 教学示例是虚构的情节：不写真实的省份（写“示例省”）、地点和日期，不进按地区、按年份和最新案例的列表
TEACHING_PROVINCE = "示例省"

# docs/cases/ 顶层的这些文件是索引页，不是案例
INDEX_PAGES = ("index.md", "by-region.md", "by-category.md", "by-mine-type.md", "by-year.md")
FILE_NAME_RE = re.compile(r"^(\d{4})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
CASE_ID_PATTERN = r"^case-[a-z0-9]+(?:-[a-z0-9]+)*$"
CITE_PATTERN = r"^(?:n\d+(?:-\d+){0,2}|doc-[a-z0-9]+(?:-[a-z0-9]+)*|case-[a-z0-9]+(?:-[a-z0-9]+)*)$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SHORT_MAX = 24

# 省级行政区的 ASCII 编号，用作索引页的锚点（#region-shanxi）
PROVINCE_SLUGS: dict[str, str] = {
    "北京市": "beijing", "天津市": "tianjin", "河北省": "hebei", "山西省": "shanxi",
    "内蒙古自治区": "neimenggu", "辽宁省": "liaoning", "吉林省": "jilin", "黑龙江省": "heilongjiang",
    "上海市": "shanghai", "江苏省": "jiangsu", "浙江省": "zhejiang", "安徽省": "anhui",
    "福建省": "fujian", "江西省": "jiangxi", "山东省": "shandong", "河南省": "henan",
    "湖北省": "hubei", "湖南省": "hunan", "广东省": "guangdong", "广西壮族自治区": "guangxi",
    "海南省": "hainan", "重庆市": "chongqing", "四川省": "sichuan", "贵州省": "guizhou",
    "云南省": "yunnan", "西藏自治区": "xizang", "陕西省": "shaanxi", "甘肃省": "gansu",
    "青海省": "qinghai", "宁夏回族自治区": "ningxia", "新疆维吾尔自治区": "xinjiang",
    "台湾省": "taiwan", "香港特别行政区": "xianggang", "澳门特别行政区": "aomen",
}

# conflicts 中这些事项说法不一时，对应的字段必须留空，不得自行选定一个值
CONFLICT_FIELDS: dict[str, tuple[str, ...]] = {
    "发生时间": ("event", "time"),
    "死亡人数": ("consequences", "deaths"),
    "受伤人数": ("consequences", "injuries"),
    "直接经济损失": ("consequences", "direct_loss"),
}


def _hint_province(value: str) -> str:
    for p in PROVINCES:
        if value and (p.startswith(value) or value.startswith(p[:2])):
            return f"，是不是“{p}”？"
    return "。"


# ---- 受控词表 -------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MineType(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    label: str = Field(min_length=1)
    group: str = Field(min_length=1)


class Category(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    label: str = Field(min_length=1)
    from_notice: bool = False
    notice: list[str] = []
    measure: str = ""
    description: str = Field(min_length=1)


class Measure(_Strict):
    id: str = Field(pattern=SLUG_PATTERN)
    text: str = Field(min_length=1)
    source_title: str = Field(min_length=1)
    source_url: str = ""
    confidence: Literal["多源", "单源", "存疑"]

    @field_validator("source_url")
    @classmethod
    def _https(cls, v: str) -> str:
        if v and not v.startswith("https://"):
            raise ValueError("来源网址必须以 https:// 开头")
        return v


class Vocab(_Strict):
    mine_types: list[MineType] = Field(min_length=1)
    accident_types: list[str] = Field(min_length=1)
    categories: list[Category] = Field(min_length=1)
    measures: list[Measure] = []
    scopes: dict[str, str]
    kinds: dict[str, str]
    verification: dict[str, str]
    confidence: dict[str, str]
    origins: dict[str, str]

    def mine_type(self, label: str) -> MineType:
        return next(m for m in self.mine_types if m.label == label)

    def category(self, label: str) -> Category:
        return next(c for c in self.categories if c.label == label)

    def measure(self, measure_id: str) -> Measure | None:
        return next((m for m in self.measures if m.id == measure_id), None)


@dataclasses.dataclass(frozen=True)
class LoadedVocab:
    vocab: Vocab
    src: Sourced

    def line_of(self, *loc: str | int) -> int:
        return self.src.line_of(loc)


def load_vocab(path: Path, display: str = "data/case-vocab.yml") -> LoadedVocab:
    """读取并校验受控词表；出错时抛出 DataError（带行号）。"""
    src = load_yaml_file(path, display)
    vocab = validate(Vocab, src)
    errors: list[SourceError] = []

    def err(loc: tuple, text: str) -> None:
        errors.append(SourceError(display, src.line_of(loc), text))

    for key, expected in (("kinds", KINDS), ("verification", STATUSES)):
        if tuple(getattr(vocab, key)) != expected:
            err((key,), f"{key} 的取值与程序绑定，必须依次是：{'、'.join(expected)}（只能改说明，不能增删或改名）。")
    for name in ("mine_types", "categories", "measures"):
        seen: dict[tuple[str, Any], int] = {}
        for i, item in enumerate(getattr(vocab, name)):
            for attr in ("id", "label"):
                value = getattr(item, attr, None)
                if value is None:
                    continue
                if (attr, value) in seen:
                    err((name, i, attr), f"{name} 中的 {attr}“{value}”重复出现；请换一个。")
                seen[(attr, value)] = i
    measure_ids = {m.id for m in vocab.measures}
    for i, c in enumerate(vocab.categories):
        if c.measure and c.measure not in measure_ids:
            err(("categories", i, "measure"), f"类别“{c.label}”的 measure“{c.measure}”在 measures 中不存在；可用的有：{'、'.join(sorted(measure_ids))}。")
        for j, nid in enumerate(c.notice):
            if not xref.NOTICE_ID_RE.match(nid):
                err(("categories", i, "notice", j), f"类别“{c.label}”的 notice 只能写通知的编号（如 n4-1-1），不能写“{nid}”。")
    if len(set(vocab.accident_types)) != len(vocab.accident_types):
        err(("accident_types",), "accident_types 中有重复的取值。")
    if errors:
        raise DataError(errors)
    return LoadedVocab(vocab, src)


# ---- 案例模型 -------------------------------------------------------------------


def _vocab(info: ValidationInfo) -> Vocab:
    return info.context["vocab"]  # type: ignore[index]


def _one_of(value: str, allowed: Iterable[str], what: str) -> str:
    allowed = list(allowed)
    if value not in allowed:
        raise ValueError(f"{what}“{value}”不在词表 data/case-vocab.yml 中；可用的有：{'、'.join(allowed)}")
    return value


class Event(_Strict):
    date: dt.date | None = None  # 真实案例必填；教学示例不写
    time: str = ""  # 24 小时制 HH:MM；各来源说法不一时留空，写在 conflicts 中
    approx: bool = False  # 来源写作“约”“许”

    @field_validator("time")
    @classmethod
    def _time(cls, v: str) -> str:
        if v and not re.fullmatch(r"(?:[01]\d|2[0-3]):[0-5]\d", v):
            raise ValueError(f"时间“{v}”格式不对：请写成 24 小时制的 时:分，例如 \"13:12\"（加英文引号）")
        return v


class Region(_Strict):
    province: str
    city: str = ""
    county: str = ""
    place: str = ""

    @field_validator("province")
    @classmethod
    def _province(cls, v: str) -> str:
        if v not in PROVINCES and v != TEACHING_PROVINCE:
            raise ValueError(
                f"“{v}”不是省级行政区的全称{_hint_province(v)}应写 34 个省级行政区之一的全称，如“山西省”“内蒙古自治区”"
            )
        return v


class Statement(_Strict):
    """一项有来源的事实陈述（直接原因、违法违规行为）。"""

    text: str = Field(min_length=1)
    sources: list[str] = []
    confidence: str = ""

    @field_validator("confidence")
    @classmethod
    def _confidence(cls, v: str, info: ValidationInfo) -> str:
        return _one_of(v, _vocab(info).confidence, "可信度") if v else v


class Violation(Statement):
    category: str

    @field_validator("category")
    @classmethod
    def _category(cls, v: str, info: ValidationInfo) -> str:
        return _one_of(v, [c.label for c in _vocab(info).categories], "违法违规类别")


class Consequences(_Strict):
    deaths: int | None = Field(default=None, ge=0)
    injuries: int | None = Field(default=None, ge=0)
    direct_loss: float | None = Field(default=None, ge=0)  # 万元
    note: str = ""
    sources: list[str] = []
    confidence: str = ""

    @field_validator("confidence")
    @classmethod
    def _confidence(cls, v: str, info: ValidationInfo) -> str:
        return _one_of(v, _vocab(info).confidence, "可信度") if v else v

    @property
    def known(self) -> bool:
        return any(x is not None for x in (self.deaths, self.injuries, self.direct_loss))


class ConflictValue(_Strict):
    value: str = Field(min_length=1)
    source: str = ""  # 来源编号，如 s1
    note: str = ""  # 说法出自谁（没有来源编号时必填）


class Conflict(_Strict):
    field: str = Field(min_length=1)
    values: list[ConflictValue] = Field(min_length=2)
    note: str = ""


class Source(_Strict):
    id: str = Field(pattern=r"^s[1-9]\d*$")
    title: str = Field(min_length=1)
    issuer: str = Field(min_length=1)
    date: dt.date | None = None
    url: str = ""
    origin: str
    holds: str = Field(min_length=1)  # 这个来源提供了哪些事实
    note: str = ""

    @field_validator("url")
    @classmethod
    def _https(cls, v: str) -> str:
        if v and not v.startswith("https://"):
            raise ValueError(f"来源网址“{v}”必须以 https:// 开头；不知道网址就留空，并在 note 中说明")
        return v

    @field_validator("origin")
    @classmethod
    def _origin(cls, v: str, info: ValidationInfo) -> str:
        return _one_of(v, _vocab(info).origins, "来源类型")


class Verification(_Strict):
    status: Literal["待核实", "已核实"]
    by: str = ""
    date: dt.date | None = None
    note: str = ""


class Case(_Strict):
    id: str
    title: str = Field(min_length=1)
    short: str = Field(min_length=1)
    kind: Literal["真实案例", "教学示例"]
    scope: str
    event: Event
    region: Region
    mine_type: str
    accident_type: str = ""
    company: str = ""
    consequences: Consequences = Consequences()
    cause: Statement | None = None
    violations: list[Violation] = []
    violations_note: str = ""
    cites: list[str] = []
    lessons: list[str] = Field(min_length=1)
    sources: list[Source] = []
    conflicts: list[Conflict] = []
    verification: Verification | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not re.fullmatch(CASE_ID_PATTERN, v):
            raise ValueError(f"案例编号“{v}”格式不对：应以 case- 开头，只用小写英文字母、数字和连字符，建议写成 case-加文件名，如 case-2023-xinjing-tanta")
        return v

    @field_validator("short")
    @classmethod
    def _short(cls, v: str) -> str:
        if len(v) > SHORT_MAX:
            raise ValueError(f"简称有 {len(v)} 个字，超过了 {SHORT_MAX} 个字；简称用作链接文字，请压缩")
        return v

    @field_validator("scope")
    @classmethod
    def _scope(cls, v: str, info: ValidationInfo) -> str:
        return _one_of(v, _vocab(info).scopes, "适用范围")

    @field_validator("mine_type")
    @classmethod
    def _mine_type(cls, v: str, info: ValidationInfo) -> str:
        return _one_of(v, [m.label for m in _vocab(info).mine_types], "矿山类型")

    @field_validator("accident_type")
    @classmethod
    def _accident_type(cls, v: str, info: ValidationInfo) -> str:
        return _one_of(v, _vocab(info).accident_types, "事故类型") if v else v

    @field_validator("cites")
    @classmethod
    def _cites(cls, v: list[str]) -> list[str]:
        for item in v:
            if not re.fullmatch(CITE_PATTERN, str(item)):
                raise ValueError(
                    f"引用编号“{item}”格式不对：cites 只能写通知编号（如 n4-1-1）、文件编号（doc-…）或案例编号（case-…），不加方括号"
                )
        return v

    @field_validator("lessons")
    @classmethod
    def _lessons(cls, v: list[str]) -> list[str]:
        if any(not str(x).strip() for x in v):
            raise ValueError("启示不能有空条目")
        return v

    # ---- 派生属性 ----

    @property
    def is_teaching(self) -> bool:
        return self.kind == TEACHING

    @property
    def is_pending(self) -> bool:
        return self.kind == REAL and (self.verification is None or self.verification.status == PENDING)

    @property
    def categories(self) -> list[str]:
        """违法违规类别（按在 violations 中首次出现的顺序，不重复）。"""
        return list(dict.fromkeys(v.category for v in self.violations))

    @property
    def year(self) -> int | None:
        return self.event.date.year if self.event.date else None

    def source(self, sid: str) -> Source | None:
        return next((s for s in self.sources if s.id == sid), None)

    def conflict(self, field: str) -> Conflict | None:
        return next((c for c in self.conflicts if c.field == field), None)


# ---- 读取一个案例文件 -------------------------------------------------------------


@dataclasses.dataclass
class CaseFile:
    """一个通过校验的案例：数据、正文，以及报错和引用所需的行号信息。"""

    case: Case
    path: str  # 显示用路径，如 docs/cases/2023-xinjing-tanta.md
    rel: str  # 相对案例目录的路径，如 2023-xinjing-tanta.md 或 local/2024-x.md
    body: str
    body_line: int  # 正文第一行在文件中的行号
    src: Sourced

    def line_of(self, *loc: str | int) -> int:
        return self.src.line_of(loc)

    @property
    def src_uri(self) -> str:
        """站点中的页面路径（相对 docs/）。"""
        return "cases/" + self.rel


def split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """拆出 front matter。返回 (YAML 文本, 正文, 正文起始行号)。"""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise DataError([SourceError(path, 1, "文件第一行必须是“---”，后面是 front matter（案例的结构化信息），再以“---”结束；请用 make new-case 生成文件。")])
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "\n".join(lines[1:i]) + "\n", "\n".join(lines[i + 1 :]), i + 2
    raise DataError([SourceError(path, 1, "front matter 没有结束：请在结构化信息之后单独写一行“---”。")])


HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
HEADING_ID_RE = re.compile(r"\{[^}]*#[a-z0-9][a-z0-9-]*[^}]*\}\s*$")


def body_problems(body: str, path: str, first_line: int) -> list[SourceError]:
    """正文（事故经过）的规则：不能为空；小标题从三级开始，并写明英文编号。"""
    out: list[SourceError] = []
    if not body.strip():
        out.append(SourceError(path, max(first_line - 1, 1), "正文为空：请在 front matter 的“---”之后用自己的话写事故经过。"))
        return out
    in_fence = False
    for i, line in enumerate(body.split("\n")):
        if re.match(r"^\s*(```|~~~)", line):
            in_fence = not in_fence
            continue
        m = HEADING_RE.match(line)
        if in_fence or not m:
            continue
        level = len(m.group(1))
        lineno = first_line + i
        if level <= 2:
            out.append(SourceError(path, lineno, f"正文中不要用{'一' if level == 1 else '二'}级标题：页面标题由 title 生成，各节标题由模板生成；正文中的小标题请用三级标题（###）。"))
        elif not HEADING_ID_RE.search(m.group(2)):
            out.append(SourceError(path, lineno, "小标题要写明英文编号，例如“### 救援经过 { #rescue }”；否则链接不稳定。"))
    return out


def _check_refs_exist(case: Case, src: Sourced, path: str) -> list[SourceError]:
    out: list[SourceError] = []
    known = {s.id for s in case.sources}
    listed = "、".join(sorted(known)) or "（没有来源）"

    def check(sid: str, loc: tuple) -> None:
        if sid and sid not in known:
            out.append(SourceError(path, src.line_of(loc), f"来源编号“{sid}”在 sources 中不存在；已有的来源编号：{listed}。"))

    for j, sid in enumerate(case.consequences.sources):
        check(sid, ("consequences", "sources", j))
    if case.cause:
        for j, sid in enumerate(case.cause.sources):
            check(sid, ("cause", "sources", j))
    for i, v in enumerate(case.violations):
        for j, sid in enumerate(v.sources):
            check(sid, ("violations", i, "sources", j))
    for i, c in enumerate(case.conflicts):
        for j, cv in enumerate(c.values):
            check(cv.source, ("conflicts", i, "values", j, "source"))
    return out


def case_problems(case: Case, src: Sourced, path: str, today: dt.date) -> list[SourceError]:
    """跨字段的规则（pydantic 逐字段校验之后）。每条问题都指向具体的行。"""
    out: list[SourceError] = []

    def err(loc: tuple, text: str) -> None:
        out.append(SourceError(path, src.line_of(loc), text))

    real = case.kind == REAL
    # 真实案例写真实的日期和省份；教学示例是虚构的，不写日期，省份写“示例省”
    if real and case.event.date is None:
        err(("event",), "真实案例必须写明事故日期 event.date（YYYY-MM-DD）。")
    if real and case.region.province == TEACHING_PROVINCE:
        err(("region", "province"), f"“{TEACHING_PROVINCE}”只用于教学示例；真实案例请写事故所在省级行政区的全称。")
    if not real and case.event.date is not None:
        err(("event", "date"), "教学示例是虚构的情节，不写具体日期（会被当成真实事件，并排进最新案例和按年份的列表）；请删去 event.date。")
    if not real and case.region.province != TEACHING_PROVINCE:
        err(("region", "province"), f"教学示例是虚构的情节，不写真实的省份；请把 province 写成“{TEACHING_PROVINCE}”，地点写“某矿”一类的泛称。")
    # 日期不能在将来
    if case.event.date and case.event.date > today:
        err(("event", "date"), f"事故日期 {case.event.date.isoformat()} 晚于今天（{today.isoformat()}）；请写真实发生的日期。")
    for i, s in enumerate(case.sources):
        if s.date and s.date > today:
            err(("sources", i, "date"), f"来源日期 {s.date.isoformat()} 晚于今天（{today.isoformat()}）；请核对。")
    if case.verification and case.verification.date and case.verification.date > today:
        err(("verification", "date"), f"核实日期 {case.verification.date.isoformat()} 晚于今天（{today.isoformat()}）；请写实际核对的日期。")

    # 来源
    seen: dict[str, int] = {}
    for i, s in enumerate(case.sources):
        if s.id in seen:
            err(("sources", i, "id"), f"来源编号“{s.id}”重复（第 {seen[s.id] + 1} 个来源已经用了）；请依次编为 s1、s2……")
        seen[s.id] = i
        if not s.url and not s.note:
            err(("sources", i), "这个来源没有网址：请在 note 中说明原因（例如“摘录未附网址”），读者才知道去哪里核对。")
    if real and not case.sources:
        err(("sources",), "真实案例至少要有一个来源（标题、发布者、网址）；没有来源的事实不能发布。")
    out.extend(_check_refs_exist(case, src, path))

    # 真实案例的每项事实都要注明来源和可信度
    if real:
        items: list[tuple[tuple, Any, str]] = []
        if case.consequences.known:
            items.append((("consequences",), case.consequences, "后果（伤亡、损失）"))
        if case.cause:
            items.append((("cause",), case.cause, "直接原因"))
        for i, violation in enumerate(case.violations):
            items.append((("violations", i), violation, f"违法违规行为“{violation.category}”"))
        for loc, item, what in items:
            if not item.sources:
                err(loc, f"{what}没有注明来源：请在 sources 中写上来源编号（如 [s1]）。")
            if not item.confidence:
                err(loc, f"{what}没有注明可信度：请写 confidence: 多源、单源或存疑。")
        if not case.violations and not case.violations_note.strip():
            err(("violations",), "没有列出违法违规行为：如果调查结论尚未掌握，请在 violations_note 中如实说明。")

    # 说法不一：不得自行选定一个值
    for i, c in enumerate(case.conflicts):
        target = CONFLICT_FIELDS.get(c.field)
        if target:
            obj: Any = case
            for part in target:
                obj = getattr(obj, part)
            if obj not in (None, ""):
                err(target, f"各来源对“{c.field}”说法不一（见 conflicts 第 {i + 1} 项），这里不要选定其中一个；请把 {'.'.join(target)} 留空，页面会并列各种说法。")
        for j, cv in enumerate(c.values):
            if not cv.source and not cv.note:
                err(("conflicts", i, "values", j), f"说法“{cv.value}”没有出处：请写来源编号 source，或在 note 中说明是谁的说法。")

    # 核实状态
    v = case.verification
    if case.kind == TEACHING:
        if v and v.status == VERIFIED:
            err(("verification", "status"), "教学示例是虚构的情节，不能标为“已核实”；请删去 verification。")
    elif v is None:
        err(("verification",), "真实案例必须写明核实状态：verification: {status: 待核实}。")
    elif v.status == VERIFIED:
        if not v.by.strip():
            err(("verification", "by"), "标为“已核实”时必须写明核对人（by）。")
        if v.date is None:
            err(("verification", "date"), "标为“已核实”时必须写明核对日期（date）。")
        if not any(s.origin == OFFICIAL_ORIGIN for s in case.sources):
            err(("verification", "status"), "标为“已核实”时至少要有一个“官方发布”的来源（调查报告或通报原文）；只有转载和媒体报道时请保持“待核实”。")

    # 引用不重复
    dup = [cite for cite, n in Counter(case.cites).items() if n > 1]
    for cite in dup:
        idx = [i for i, x in enumerate(case.cites) if x == cite][1]
        err(("cites", idx), f"引用编号“{cite}”重复；每个编号写一次即可。")
    if case.title.rstrip().endswith(("。", ".")):
        err(("title",), "标题末尾不加句号。")
    return out


def parse_case(text: str, path: str, vocab: Vocab, today: dt.date, rel: str | None = None) -> CaseFile:
    """校验一个案例文件的全部内容；有问题时抛出 DataError，列出全部问题。"""
    yaml_text, body, body_line = split_front_matter(text, path)
    # 每个案例只解析一次：不经缓存（不存在的日期，如 2023-02-30，也由它逐个报出行号）
    src = parse_yaml(yaml_text, path, line_offset=1, what="front matter 的 YAML")
    if not isinstance(src.data, dict):
        raise DataError([SourceError(path, 2, "front matter 应为“字段: 值”的结构；请按模板填写。")])
    # 标题、企业名称等字段中看不见的字符（TEXT-1）：这样的案例不进任何索引页；与页面检查的消息相同
    chars = [SourceError(p.path, p.line, f"{p.message}（{p.rule}）") for p in textchars.yaml_problems(yaml_text, path, 1)]
    try:
        case = validate(Case, src, context={"vocab": vocab})
    except DataError as exc:
        raise DataError(chars + exc.errors) from None
    problems = chars + case_problems(case, src, path, today) + body_problems(body, path, body_line)
    if problems:
        raise DataError(problems)
    return CaseFile(case=case, path=path, rel=rel or posixpath.basename(path), body=body, body_line=body_line, src=src)


# ---- 读取全部案例 -------------------------------------------------------------------


@dataclasses.dataclass
class CaseSet:
    files: list[CaseFile]
    problems: list[SourceError]

    @property
    def cases(self) -> list[Case]:
        return [f.case for f in self.files]

    def by_id(self) -> dict[str, CaseFile]:
        return {f.case.id: f for f in self.files}


def case_paths(cases_dir: Path) -> list[Path]:
    """案例目录下的全部案例文件（不含顶层的索引页）。"""
    if not cases_dir.is_dir():
        return []
    out = []
    for p in sorted(cases_dir.rglob("*.md")):
        rel = p.relative_to(cases_dir).as_posix()
        if rel in INDEX_PAGES:
            continue
        out.append(p)
    return out


def load_cases(cases_dir: Path, display_dir: str, vocab: Vocab, today: dt.date, published: Iterable[str] = ()) -> CaseSet:
    """读取并校验 cases_dir 下的全部案例。问题全部收集后一起返回，不在第一处就停下。

    published 是已发布的编号（data/published-ids.txt），用于重复编号的消息。
    """
    published = frozenset(published)
    files: list[CaseFile] = []
    problems: list[SourceError] = []
    names: dict[str, str] = {}
    for p in case_paths(cases_dir):
        rel = p.relative_to(cases_dir).as_posix()
        path = f"{display_dir}/{rel}"
        name = p.name
        m = FILE_NAME_RE.match(name)
        if not m:
            problems.append(SourceError(path, 1, f"文件名“{name}”不符合要求：应为“年份-英文名.md”，只用小写英文字母、数字和连字符，例如 2023-xinjing-tanta.md。"))
        if name in names:
            problems.append(SourceError(path, 1, f"文件名“{name}”与 {names[name]} 重复；不同目录下的案例也不能同名，请改一个文件名。"))
        else:
            names[name] = path
        try:
            text = decode_source(p.read_bytes(), path)
            cf = parse_case(text, path, vocab, today, rel=rel)
        except DataError as exc:
            problems.extend(exc.errors)
            continue
        if m and cf.case.year is not None and int(m.group(1)) != cf.case.year:
            problems.append(SourceError(path, cf.line_of("event", "date"), f"文件名以 {m.group(1)} 开头，但事故日期在 {cf.case.year} 年；请让文件名的年份与事故日期一致。"))
        files.append(cf)
    seen: dict[str, CaseFile] = {}
    for cf in files:
        other = seen.get(cf.case.id)
        if other:
            original, copy = original_and_copy(other, cf, cases_dir)
            problems.append(duplicate_id_problem(original, copy, cf.case.id in published))
            seen[cf.case.id] = original
        else:
            seen[cf.case.id] = cf
    return CaseSet(files=files, problems=problems)


# ---- 重复的案例编号：哪个是复制出来的（ID-2） -----------------------------------------------
#
# 两个案例用了同一个编号，几乎总是有人复制了已有的案例文件、改了内容却没改编号。报错要指向复制出来的新文件，
# 不能让编辑去改原来那个（它的编号可能已经发布，外部有人引用）。判断顺序：
#   1. 编号正是“case-加文件名”的那个是原件（make new-case 就这样起编号；复制件的文件名换了，编号没跟着换）；
#   2. 否则看 git：尚未提交的文件，或首次提交得晚的文件是复制件（不在 git 仓库中时跳过这一步）；
#   3. 仍分不出时，按文件路径排序靠后的是复制件（文件名以年份开头，新案例通常排在后面）。
# 编号已在 data/published-ids.txt 中时，消息写明它已发布、不能改动。


def _own_id(cf: CaseFile) -> bool:
    return cf.case.id == "case-" + posixpath.splitext(posixpath.basename(cf.rel))[0]


def _git_added(path: Path) -> float | None:
    """path 首次提交进 git 的时间（秒）；尚未提交时为正无穷；不在 git 仓库中或 git 不可用时为 None。"""
    try:
        proc = subprocess.run(
            ["git", "log", "--diff-filter=A", "--format=%ct", "--", path.name],
            cwd=path.parent, capture_output=True, text=True, timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    stamps = proc.stdout.split()
    return float(stamps[-1]) if stamps else float("inf")


def original_and_copy(first: CaseFile, second: CaseFile, cases_dir: Path) -> tuple[CaseFile, CaseFile]:
    """同一编号的两个案例：(原件, 复制件)。first 是按路径排序靠前的那个。规则见上。"""
    if _own_id(first) != _own_id(second):
        return (first, second) if _own_id(first) else (second, first)
    a, b = _git_added(cases_dir / first.rel), _git_added(cases_dir / second.rel)
    if a is not None and b is not None and a != b:
        return (first, second) if a < b else (second, first)
    return first, second


def duplicate_id_problem(original: CaseFile, copy: CaseFile, published: bool) -> SourceError:
    stem = posixpath.splitext(posixpath.basename(copy.rel))[0]
    status = "，这个编号已经发布（data/published-ids.txt），不能改动" if published else ""
    return SourceError(
        copy.path, copy.line_of("id"),
        ids_mod.tagged(
            f"案例编号“{copy.case.id}”已由 {original.path}:{original.line_of('id')} 使用{status}；"
            f"本文件看来是复制那个案例新建的，请把本文件的编号改为 case-{stem}（原来那个文件不要动）", "ID-2"),
    )


# ---- 引用检查（不构建站点） --------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PlannedRef:
    """案例页面将要写出的一处引用，以及报错时指向的位置。"""

    id: str
    src: str
    line: int


def implied_refs(cf: CaseFile, vocab: LoadedVocab) -> list[PlannedRef]:
    """类别对应的通知句子（词表中的 notice），报错时指向词表文件。"""
    out: list[PlannedRef] = []
    for label in cf.case.categories:
        i, cat = next((i, c) for i, c in enumerate(vocab.vocab.categories) if c.label == label)
        for j, nid in enumerate(cat.notice):
            out.append(PlannedRef(nid, vocab.src.path, vocab.line_of("categories", i, "notice", j)))
    return out


def explicit_refs(cf: CaseFile) -> list[PlannedRef]:
    return [PlannedRef(c, cf.path, cf.line_of("cites", i)) for i, c in enumerate(cf.case.cites)]


def body_refs(cf: CaseFile) -> list[PlannedRef]:
    return [
        PlannedRef(m.group("id").strip(), cf.path, cf.body_line - 1 + xref.line_of(cf.body, m.start()))
        for m in xref.scan(cf.body)
    ]


def known_index(notice_targets: Iterable[Any], doc_ids: Iterable[str], case_files: Iterable[CaseFile], aliases: Mapping[str, str] | None = None) -> xref.Index:
    """不构建站点时能确定的引用目标：通知各级编号、文件登记表、案例。"""
    index = xref.Index(aliases=dict(aliases or {}))
    for t in notice_targets:
        index.add(xref.Target(t.id, "notice/index.md", "notice/", t.label, t.text, "notice"))
    for d in doc_ids:
        index.add(xref.Target(d, "documents/index.md", "documents/", d, "", "doc"))
    for cf in case_files:
        index.add(xref.Target(cf.case.id, cf.src_uri, "", cf.case.short, cf.case.title, "case"))
    return index


def _checkable(ref_id: str) -> bool:
    bare = ref_id.split("#", 1)[-1]
    return bool(xref.NOTICE_ID_RE.match(bare)) or bare.startswith(("doc-", "case-"))


def reference_problems(caseset: CaseSet, vocab: LoadedVocab, index: xref.Index) -> list[SourceError]:
    """检查 cites、词表中的通知编号和正文里的 [[…]]（只查通知、文件、案例三类编号；其余在构建时检查）。

    报错文字与构建时交叉引用钩子的报错相同。
    """
    out: list[SourceError] = []
    seen: set[tuple[str, str, int]] = set()
    for cf in caseset.files:
        for ref in explicit_refs(cf) + implied_refs(cf, vocab) + [r for r in body_refs(cf) if _checkable(r.id)]:
            key = (ref.id, ref.src, ref.line)
            if key in seen:
                continue
            seen.add(key)
            _, problem = xref.resolve_one(xref.Ref(ref.id, None, ref.src, ref.line, cf.src_uri), index)
            if problem:
                out.append(SourceError(problem.src, problem.line, problem.message))
    for i, cat in enumerate(vocab.vocab.categories):
        for j, nid in enumerate(cat.notice):
            _, problem = xref.resolve_one(xref.Ref(nid, None, vocab.src.path, vocab.line_of("categories", i, "notice", j), ""), index)
            if problem and (problem.src, problem.line) not in {(p.path, p.line) for p in out}:
                out.append(SourceError(problem.src, problem.line, problem.message))
    return out


# ---- 显示用的格式 -------------------------------------------------------------------


def date_zh(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def time_zh(t: str, approx: bool = False) -> str:
    if not t:
        return ""
    h, m = (int(x) for x in t.split(":"))
    text = f"{h}时" + (f"{m}分" if m else "")
    return text + ("许" if approx else "")


def money_zh(wan: float | None) -> str:
    if wan is None:
        return ""
    text = f"{wan:.4f}".rstrip("0").rstrip(".")
    return f"{text}万元"


def place_zh(region: Region) -> str:
    return "".join([region.province, region.city, region.county, region.place])


def consequences_zh(c: Consequences, conflicts: Mapping[str, Conflict] | None = None) -> str:
    conflicts = conflicts or {}
    parts = []
    for field, label, value in (
        ("死亡人数", "死亡", None if c.deaths is None else f"{c.deaths}人"),
        ("受伤人数", "受伤", None if c.injuries is None else f"{c.injuries}人"),
        ("直接经济损失", "直接经济损失", money_zh(c.direct_loss) or None),
    ):
        if field in conflicts:
            parts.append(f"{label}人数说法不一" if "人数" in field else f"{label}说法不一")
        elif value:
            parts.append(label + value)
    return "，".join(parts)


# ---- 分类索引 -------------------------------------------------------------------------


def sort_cases(files: Iterable[CaseFile]) -> list[CaseFile]:
    """新的在前；同一天按编号。没有日期的（教学示例）排在最后。"""
    return sorted(files, key=lambda f: (-(f.case.event.date.toordinal() if f.case.event.date else 0), f.case.id))


def _day(case: Case) -> int:
    """日期的序数（相关案例按日期远近排序）；没有日期的教学示例记为 0。"""
    return case.event.date.toordinal() if case.event.date else 0


def real_cases(files: Iterable[CaseFile]) -> list[CaseFile]:
    """只要真实案例：按地区、按年份、最新案例和本地区案例的列表不收教学示例。"""
    return [f for f in files if not f.case.is_teaching]


@dataclasses.dataclass
class Group:
    key: str  # ASCII 锚点
    label: str
    files: list[CaseFile]
    parent: str = ""  # 上一级分组（矿山类型的大类）


def by_year(files: Iterable[CaseFile]) -> list[Group]:
    groups: dict[int, list[CaseFile]] = defaultdict(list)
    for f in real_cases(files):
        groups[f.case.year].append(f)  # type: ignore[index]
    return [Group(f"year-{y}", f"{y}年", sort_cases(groups[y])) for y in sorted(groups, reverse=True)]


def by_region(files: Iterable[CaseFile]) -> list[Group]:
    groups: dict[str, list[CaseFile]] = defaultdict(list)
    for f in real_cases(files):
        groups[f.case.region.province].append(f)
    return [Group(region_key(p), p, sort_cases(groups[p])) for p in PROVINCES if p in groups]


def region_key(province: str) -> str:
    return "region-" + PROVINCE_SLUGS[province]


UNCATEGORIZED = Group("cat-none", "调查结论未掌握", [])


def by_category(files: Iterable[CaseFile], vocab: Vocab) -> list[Group]:
    groups: dict[str, list[CaseFile]] = defaultdict(list)
    none: list[CaseFile] = []
    for f in files:
        cats = f.case.categories
        if not cats:
            none.append(f)
        for c in cats:
            groups[c].append(f)
    out = [Group(category_key(c.id), c.label, sort_cases(groups[c.label])) for c in vocab.categories if c.label in groups]
    if none:
        out.append(Group(UNCATEGORIZED.key, UNCATEGORIZED.label, sort_cases(none)))
    return out


def category_key(category_id: str) -> str:
    return "cat-" + category_id


def by_mine_type(files: Iterable[CaseFile], vocab: Vocab) -> list[Group]:
    groups: dict[str, list[CaseFile]] = defaultdict(list)
    for f in files:
        groups[f.case.mine_type].append(f)
    return [Group(mine_key(m.id), m.label, sort_cases(groups[m.label]), parent=m.group) for m in vocab.mine_types if m.label in groups]


def mine_key(mine_id: str) -> str:
    return "mine-" + mine_id


def mine_group_key(group: str, vocab: Vocab) -> str:
    """矿山类型大类的锚点：取该类第一个类型编号的前缀，如 煤矿 → group-coal。"""
    first = next(m for m in vocab.mine_types if m.group == group)
    return "group-" + first.id.split("-")[0]


@dataclasses.dataclass
class Counts:
    total: int
    real: int
    teaching: int
    pending: int
    verified: int
    deaths: int  # 真实案例中已知的死亡人数合计（不含说法不一的）
    provinces: int
    years: tuple[int, int] | None


def counts(files: Iterable[CaseFile]) -> Counts:
    fl = list(files)
    real = [f for f in fl if f.case.kind == REAL]
    years = [f.case.year for f in real if f.case.year is not None]
    return Counts(
        total=len(fl),
        real=len(real),
        teaching=len(fl) - len(real),
        pending=sum(1 for f in real if f.case.is_pending),
        verified=sum(1 for f in real if not f.case.is_pending),
        deaths=sum(f.case.consequences.deaths or 0 for f in real if not f.case.conflict("死亡人数")),
        provinces=len({f.case.region.province for f in real}),
        years=(min(years), max(years)) if years else None,
    )


# ---- 相关案例 ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Related:
    file: CaseFile
    reasons: tuple[str, ...]


_Entry = tuple[str, int, "CaseFile"]  # (案例编号, 发生日期的序数, 案例文件)


class RelatedFinder:
    """相关案例：同一来源（例如同一份通报）优先，其次同类违法违规行为，再次同一省份。

    用倒排表计算：每个案例只看与它有共同点的案例，每一组（同一来源、同类、同省）只看日期最近的 60 个，
    所以每个案例的计算量与案例总数无关。
    """

    def __init__(self, files: Iterable[CaseFile]):
        self.files = list(files)
        # 每个案例记成 (编号, 日期序数, 案例)：候选循环中不再逐个经过 pydantic 模型取 case.id、换算日期
        self._by_url: dict[str, list[_Entry]] = defaultdict(list)
        self._by_cat: dict[str, list[_Entry]] = defaultdict(list)
        self._by_province: dict[str, list[_Entry]] = defaultdict(list)
        for f in self.files:
            entry = (f.case.id, _day(f.case), f)
            for url in {s.url for s in f.case.sources if s.url}:
                self._by_url[url].append(entry)
            for c in f.case.categories:
                self._by_cat[c].append(entry)
            if not f.case.is_teaching:  # “同在示例省”不是相关的理由
                self._by_province[f.case.region.province].append(entry)
        # 每组按日期排好一次：取“日期最近的 pool 个”时二分查找后向两边取，不必每次整组排序
        self._sorted: dict[int, tuple[list[int], list[_Entry]]] = {}
        for group in (*self._by_url.values(), *self._by_cat.values(), *self._by_province.values()):
            ordered = sorted(group, key=lambda e: e[1])
            self._sorted[id(group)] = ([e[1] for e in ordered], ordered)

    def _nearest(self, group: list[_Entry], day: int, pool: int) -> list[_Entry]:
        """group 中日期离 day 最近的 pool 个案例（O(pool)，与组的大小无关）。"""
        days, ordered = self._sorted[id(group)]
        right = bisect.bisect_left(days, day)
        left = right - 1
        out: list[_Entry] = []
        while len(out) < pool and (left >= 0 or right < len(days)):
            if right >= len(days) or (left >= 0 and day - days[left] <= days[right] - day):
                out.append(ordered[left])
                left -= 1
            else:
                out.append(ordered[right])
                right += 1
        return out

    def related(self, cf: CaseFile, limit: int = 5, pool: int = 60) -> list[Related]:
        # 大站点上每个案例页要看一两百个候选：先只算得分和日期差（整数字典，几乎不新建要垃圾回收跟踪的对象），
        # 选出前 limit 个之后，才为它们列出理由
        day = _day(cf.case)
        groups: list[tuple[list[_Entry], int, str]] = [
            (self._by_url[url], 4, "同一来源") for url in {s.url for s in cf.case.sources if s.url}
        ]
        groups += [(self._by_cat[c], 2, c) for c in cf.case.categories]
        province = cf.case.region.province
        if not cf.case.is_teaching:
            groups.append((self._by_province[province], 1, f"同在{province}"))
        score: dict[str, int] = {}
        gap: dict[str, int] = {}
        files: dict[str, CaseFile] = {}
        members: list[set[str]] = []
        same_source: set[str] = set()  # 同一份来源只算一次
        for group, points, _ in groups:
            # 大的分组只看日期最近的一部分，保证规模大时仍然很快
            near = group if len(group) <= pool else self._nearest(group, day, pool)
            ids = {e[0] for e in near}
            members.append(ids)
            for cid, d, f in near:
                if points == 4:
                    if cid in same_source:
                        continue
                    same_source.add(cid)
                if cid in score:
                    score[cid] += points
                else:
                    score[cid] = points
                    gap[cid] = abs(d - day)
                    files[cid] = f
        score.pop(cf.case.id, None)
        # 只要前 limit 个：堆选择，不必把几百个候选全部排序
        ranked = heapq.nsmallest(limit, score, key=lambda cid: (-score[cid], gap[cid], cid))
        out = []
        for cid in ranked:
            reasons: list[str] = []
            for (_, _, reason), ids in zip(groups, members, strict=True):
                if cid in ids and reason not in reasons:
                    reasons.append(reason)
            out.append(Related(files[cid], tuple(reasons)))
        return out


def relative_link(from_src_uri: str, to_src_uri: str) -> str:
    """两个页面源文件之间的相对路径（写 Markdown 链接用，MkDocs 会转换成网址）。"""
    to_dir, _, to_name = to_src_uri.rpartition("/")
    if from_src_uri.rpartition("/")[0] == to_dir:
        return to_name  # 同一目录（案例页之间、索引页到案例页）：不必走 relpath，大站点上每页要调用十几次
    return posixpath.relpath(to_src_uri, posixpath.dirname(from_src_uri) or ".")


# ---- 页面内容（交给 overrides/partials/column/cases-*.md 模板） -----------------------------

INDEX_URIS = {
    "home": "cases/index.md",
    "region": "cases/by-region.md",
    "category": "cases/by-category.md",
    "mine": "cases/by-mine-type.md",
    "year": "cases/by-year.md",
}


def _cell(text: str) -> str:
    """Markdown 表格单元格里的文字：竖线转义，换行并成空格。"""
    return " ".join(str(text).split()).replace("|", "\\|")


def source_links(ids: Iterable[str]) -> str:
    return "、".join(f"[来源{sid[1:]}](#src-{sid})" for sid in ids)


def basis(item: Any) -> str:
    """“（单源；来源1、来源2）”：一项事实的可信度和来源。"""
    parts = [p for p in (getattr(item, "confidence", ""), source_links(getattr(item, "sources", []))) if p]
    return f"（{'；'.join(parts)}）" if parts else ""


def conflict_inline(conflict: Conflict) -> str:
    return "；".join(cv.value + (f"（{source_links([cv.source])}）" if cv.source else f"（{cv.note}）") for cv in conflict.values)


@dataclasses.dataclass
class Requirement:
    """案例页面“通知和《硬措施》的要求”中的一条通知引用。"""

    id: str
    ref: str  # [[id||src:文件:行]]
    label: str
    quote: str
    categories: list[str]
    explicit: bool


def requirements(cf: CaseFile, vocab: LoadedVocab, notice_targets: Mapping[str, Any]) -> tuple[list[Requirement], list[PlannedRef]]:
    """本案引用的通知编号（cites 中写明的，加上违法违规类别对应的），按通知顺序；以及其他引用（文件、案例）。"""
    order = {tid: i for i, tid in enumerate(notice_targets)}
    reqs: dict[str, Requirement] = {}
    others: list[PlannedRef] = []
    for ref in explicit_refs(cf):
        if xref.NOTICE_ID_RE.match(ref.id):
            t = notice_targets.get(ref.id)
            reqs[ref.id] = Requirement(ref.id, xref.markup(ref.id, None, ref.src, ref.line), t.label if t else ref.id,
                                       _quote(t), [], True)
        else:
            others.append(ref)
    for label in cf.case.categories:
        i, cat = next((i, c) for i, c in enumerate(vocab.vocab.categories) if c.label == label)
        for j, nid in enumerate(cat.notice):
            if nid not in reqs:
                t = notice_targets.get(nid)
                reqs[nid] = Requirement(nid, xref.markup(nid, None, vocab.src.path, vocab.line_of("categories", i, "notice", j)),
                                        t.label if t else nid, _quote(t), [], False)
            reqs[nid].categories.append(label)
    return sorted(reqs.values(), key=lambda r: order.get(r.id, len(order))), others


def _quote(target: Any) -> str:
    if target is None:
        return ""
    text = strip_marks(target.text)
    return text if getattr(target, "kind", "") == "sentence" else xref.shorten(text, 120)


def strip_marks(text: str) -> str:
    return re.sub(r"==(.+?)==", r"\1", text)


def case_context(cf: CaseFile, finder: RelatedFinder, vocab: LoadedVocab, notice_targets: Mapping[str, Any]) -> dict[str, Any]:
    """一个案例页面的模板上下文。链接都是相对本页源文件的 Markdown 路径。"""
    c = cf.case
    uri = cf.src_uri
    v = vocab.vocab

    def index_link(key: str, anchor: str) -> str:
        return f"{relative_link(uri, INDEX_URIS[key])}#{anchor}"

    conflicts = {x.field: x for x in c.conflicts}
    when = date_zh(c.event.date)
    if "发生日期" in conflicts:
        when += f"（日期说法不一：{conflict_inline(conflicts['发生日期'])}）"
    if "发生时间" in conflicts:
        when += f"，具体时间说法不一：{conflict_inline(conflicts['发生时间'])}"
    else:
        when += time_zh(c.event.time, c.event.approx)
    if c.is_teaching:  # 虚构的地点不链接按地区的索引（教学示例不在其中）
        province_link = c.region.province
        when = when or "虚构情节，不标日期"
    else:
        province_link = f"[{c.region.province}]({index_link('region', region_key(c.region.province))})"
    place = province_link + c.region.city + c.region.county + c.region.place
    mt = v.mine_type(c.mine_type)
    cons = consequences_zh(c.consequences, conflicts)
    cons_conflicts = [f"{f}：{conflict_inline(conflicts[f])}" for f in ("死亡人数", "受伤人数", "直接经济损失") if f in conflicts]
    if cons_conflicts:
        cons = "，".join(x for x in [cons, "说法不一——" + "；".join(cons_conflicts)] if x)
    if cons:
        cons += basis(c.consequences)
    if c.consequences.note:
        cons = (cons + "。" if cons else "") + c.consequences.note
    cats = [f"[{label}]({index_link('category', category_key(v.category(label).id))})" for label in c.categories]
    rows: list[tuple[str, str]] = [("发生时间", when), ("地点", place)]
    if c.company:
        rows.append(("企业", c.company))
    rows.append(("矿山类型", f"[{c.mine_type}]({index_link('mine', mine_key(mt.id))})"))
    if c.accident_type:
        rows.append(("事故类型", c.accident_type))
    rows.append(("后果", cons or "来源未载明"))
    rows.append(("违法违规类别", "、".join(cats) if cats else "调查结论未掌握"))
    rows.append(("性质", f"{c.kind}（{c.scope}）"))
    status = "不适用（教学示例是虚构的情节）" if c.is_teaching else (c.verification.status if c.verification else PENDING)
    if c.verification and c.verification.status == VERIFIED:
        status += f"（{c.verification.by}，{date_zh(c.verification.date)}）"
    rows.append(("核实状态", status))
    if c.year is not None:
        rows.append(("年份", f"[{c.year}年]({index_link('year', f'year-{c.year}')})"))

    reqs, others = requirements(cf, vocab, notice_targets)
    req_anchor = {r.id: f"req-{r.id}" for r in reqs}
    violations = []
    for label in c.categories:
        cat = v.category(label)
        items = [{"text": x.text, "basis": basis(x)} for x in c.violations if x.category == label]
        req_links = [f"[{r.label}](#{req_anchor[r.id]})" for r in reqs if label in r.categories]
        violations.append({"label": label, "key": "v-" + cat.id, "items": items, "requirements": req_links,
                           "measure": bool(cat.measure and v.measure(cat.measure) and _measures_published())})
    measures: list[dict[str, Any]] = []
    for label in c.categories:
        cat = v.category(label)
        m = v.measure(cat.measure) if cat.measure and _measures_published() else None
        if not m:
            continue
        existing = next((x for x in measures if x["measure"].id == m.id), None)
        if existing:
            existing["categories"].append(label)
        else:
            i = next(i for i, x in enumerate(v.measures) if x.id == m.id)
            measures.append({"measure": m, "categories": [label], "line": vocab.line_of("measures", i, "text")})
    yingcuoshi = xref.markup("doc-yingcuoshi", "《硬措施》", vocab.src.path, measures[0]["line"]) if measures else ""

    sources = []
    for s in c.sources:
        sources.append({"s": s, "date": date_zh(s.date), "origin_note": "" if s.origin == OFFICIAL_ORIGIN else s.origin})
    conflict_rows = []
    for cf_ in c.conflicts:
        for j, cv in enumerate(cf_.values):
            where = source_links([cv.source]) if cv.source else ""
            if cv.note:
                where = f"{where}：{cv.note}" if where else cv.note
            conflict_rows.append((_cell(cf_.field) if j == 0 else "", _cell(cv.value), _cell(where)))
    related = [
        {"title": r.file.case.title, "link": relative_link(uri, r.file.src_uri), "reasons": "；".join(_reason_text(r.reasons)),
         "teaching": r.file.case.is_teaching}
        for r in finder.related(cf)
    ]
    return {
        "case": c,
        "cf": cf,
        "rows": [(k, _cell(val)) for k, val in rows],
        "violations": violations,
        "requirements": reqs,
        "other_refs": [xref.markup(r.id, None, r.src, r.line) for r in others],
        "measures": measures,
        "yingcuoshi": yingcuoshi,
        "cause_basis": basis(c.cause) if c.cause else "",
        "sources": sources,
        "conflicts": c.conflicts,
        "conflict_rows": conflict_rows,
        "related": related,
        "verification_date": date_zh(c.verification.date) if c.verification else "",
        "home_link": relative_link(uri, INDEX_URIS["home"]),
        "guide_link": relative_link(uri, "guide/cases.md") if _editor_pages_published() else "",
    }


def _reason_text(reasons: Iterable[str]) -> list[str]:
    out, cats = [], []
    for r in reasons:
        if r == "同一来源" or r.startswith("同在"):
            out.append(r)
        else:
            cats.append(r)
    if cats:
        out.insert(1 if out and out[0] == "同一来源" else 0, "同类：" + "、".join(dict.fromkeys(cats)))
    return out


def list_item(cf: CaseFile, page_uri: str, show: Iterable[str] = ("date", "province")) -> dict[str, Any]:
    """索引列表中的一项：标题链接和简短的说明。"""
    c = cf.case
    meta = []
    for key in show:
        if key == "date" and c.event.date:
            meta.append(date_zh(c.event.date))
        elif key == "province" and not c.is_teaching:
            meta.append(c.region.province)
        elif key == "mine":
            meta.append(c.mine_type)
    if c.is_teaching:
        meta.append("教学示例")
    elif c.is_pending:
        meta.append("待核实")
    short = c.short if not c.is_teaching or "示例" in c.short else f"{c.short}（教学示例）"
    return {"title": c.title, "short": short, "link": relative_link(page_uri, cf.src_uri), "meta": "，".join(meta)}


MORE_PREFIX = "more-"


def more_file(group_key: str, n: int) -> str:
    """一组中第 n 批（从 1 起）“更多案例”的数据文件名，放在索引页旁边。"""
    return f"{MORE_PREFIX}{group_key}-{n}.js"


def group_view(
    group: Group,
    page_uri: str,
    show: Iterable[str],
    open_limit: int,
    chunk_size: int = 200,
    href: Callable[[CaseFile], str] | None = None,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """索引页上的一组，以及这一组按需加载的其余条目。

    页面上只列最新的 open_limit 起，其余按 chunk_size 起一批写成数据文件（见 more_file），读者点“显示更多”时
    由 cases-more.js 逐批加载。这样无论收录多少案例，每个索引页的大小都有上限（组数 × open_limit），
    每个数据文件也不超过 chunk_size 起。返回 (页面用的组, {文件名: 文件内容的数据})。
    href 给出数据文件中案例页面的网址（相对于索引页的网址；数据文件中的链接不经 MkDocs 转换）；
    钩子按 MkDocs 的实际网址计算（U 盘版是 .html 结尾），缺省按目录式网址推算。
    """
    href = href or (lambda f: _page_url(relative_link(page_uri, f.src_uri)))
    files = group.files  # 已按日期从新到旧排列
    view: dict[str, Any] = {
        "key": group.key, "label": group.label, "parent": group.parent, "count": len(files),
        "items": [list_item(f, page_uri, show) for f in files[:open_limit]], "more": None,
    }
    rest = files[open_limit:]
    if not rest:
        return view, {}
    batches = [rest[i : i + chunk_size] for i in range(0, len(rest), chunk_size)]
    chunks: dict[str, dict[str, Any]] = {}
    for n, batch in enumerate(batches, 1):
        chunks[more_file(group.key, n)] = {
            "group": group.key,
            "items": [[it["title"], href(f), it["meta"]] for f, it in ((f, list_item(f, page_uri, show)) for f in batch)],
            "next": more_file(group.key, n + 1) if n < len(batches) else None,
        }
    view["more"] = {"file": more_file(group.key, 1), "remaining": len(rest), "batch": min(chunk_size, len(rest))}
    return view, chunks


def _measures_published() -> bool:
    """词表中的《硬措施》措施都是转述、没有核实记录（待核实）：发布构建只在选择 publish_unverified 时显示。"""
    from . import release

    return release.current().publishes(release.PENDING)


def _editor_pages_published() -> bool:
    """这次构建有没有编辑页面（发布构建没有，见 studycol.release）：没有时案例页不链接案例编辑指南。"""
    from . import release

    return release.current().publishes_page("guide/cases.md")


def _page_url(md_link: str) -> str:
    """Markdown 源文件的相对链接（2023-x.md）→ 目录式网址（2023-x/）。数据文件中的链接不经 MkDocs 转换，要自己写对。

    索引页本身的网址是 cases/by-region/，比源文件 cases/by-region.md 深一层，所以前面加一个“../”。
    """
    target = md_link[: -len(".md")] + "/" if md_link.endswith(".md") else md_link
    if target.endswith("index/"):
        target = target[: -len("index/")]
    return "../" + target


def more_script(data: dict[str, Any]) -> str:
    """数据文件的内容：一次函数调用。用脚本而不用 JSON，是为了在 U 盘版（file://）中也能加载。"""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.columnCasesMore&&window.columnCasesMore({payload});\n"


# ---- 不构建站点的全量检查（make check-content） ------------------------------------------------


def check_repo(root: Path, today: dt.date) -> tuple[int, list[SourceError]]:
    """检查 root（仓库根）下的全部案例：词表、逐个文件的规则、重复、引用。返回 (案例数, 问题)。"""
    from . import documents as documents_mod  # noqa: PLC0415 - 避免循环导入的顾虑，只在检查时需要
    from . import notice as notice_mod  # noqa: PLC0415

    try:
        vocab = load_vocab(root / "data" / "case-vocab.yml")
        notice = notice_mod.load_notice(root / "data" / "notice.yml", "data/notice.yml")
        registry = documents_mod.load_documents(root / "data" / "documents.yml")
    except DataError as exc:
        return 0, list(exc.errors)
    try:
        aliases = ids_mod.load_aliases_file(root / "data" / "id-aliases.yml")
    except DataError as exc:
        return 0, list(exc.errors)
    except ValueError as exc:  # 循环别名
        return 0, [SourceError("data/id-aliases.yml", 1, str(exc))]
    caseset = load_cases(root / "docs" / "cases", "docs/cases", vocab.vocab, today, ids_mod.read_published(root))
    index = known_index(notice_mod.targets(notice), [d.id for d in registry.documents], caseset.files, aliases)
    problems = caseset.problems + reference_problems(caseset, vocab, index)
    return len(case_paths(root / "docs" / "cases")), problems
