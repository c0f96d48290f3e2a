"""典型案例的内容模型：受控词表、案例的结构（front matter 的字段）和读取时的拆分。

- 常量：案例的性质（真实案例、教学示例）、核实状态、编号和简称的格式；
- Vocab 等：受控词表 data/case-vocab.yml 的结构，load_vocab() 读取并检查词表本身；
- Case 等：一个案例 front matter 的结构，逐字段的取值规则写在字段的校验函数中；
- CaseFile：一个通过校验的案例文件（数据、正文、行号），split_front_matter() 把文件拆成 front matter 和正文；
- PlannedRef 等：案例页面将要写出的引用（cites、类别对应的通知、正文中的 [[…]]），检查和生成页面都用它。

跨字段的规则在 rules.py，分类索引在 indexes.py，页面内容在 pages.py；它们都只依赖本模块。
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from .. import xref
from ..site import PROVINCES
from ..yamlsrc import DataError, SourceError, Sourced, load_yaml_file, validate

# ---- 常量 ---------------------------------------------------------------------

KINDS = ("真实案例", "教学示例")
REAL, TEACHING = KINDS
STATUSES = ("待核实", "已核实")
PENDING, VERIFIED = STATUSES
OFFICIAL_ORIGIN = "官方发布"
# 教学示例是虚构的情节：不写真实的省份（写“示例省”）、地点和日期，不进按地区、按年份和最新案例的列表
TEACHING_PROVINCE = "示例省"

CASE_ID_PATTERN = r"^case-[a-z0-9]+(?:-[a-z0-9]+)*$"
CITE_PATTERN = r"^(?:n\d+(?:-\d+){0,2}|doc-[a-z0-9]+(?:-[a-z0-9]+)*|case-[a-z0-9]+(?:-[a-z0-9]+)*)$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SHORT_MAX = 24

Loc = tuple[str | int, ...]  # 字段在 YAML 中的位置，如 ("sources", 0, "url")，用来查行号


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

    def err(loc: Loc, text: str) -> None:
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
    context: dict[str, Vocab] = info.context or {}  # parse_case 校验时传入词表
    return context["vocab"]


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


class _Sourced(_Strict):
    """有来源和可信度的一项事实（可信度的取值在词表中）。"""

    sources: list[str] = []
    confidence: str = ""

    @field_validator("confidence")
    @classmethod
    def _confidence(cls, v: str, info: ValidationInfo) -> str:
        return _one_of(v, _vocab(info).confidence, "可信度") if v else v


class Statement(_Sourced):
    """一项有来源的事实陈述（直接原因、违法违规行为）。"""

    text: str = Field(min_length=1)


class Violation(Statement):
    category: str

    @field_validator("category")
    @classmethod
    def _category(cls, v: str, info: ValidationInfo) -> str:
        return _one_of(v, [c.label for c in _vocab(info).categories], "违法违规类别")


class Consequences(_Sourced):
    deaths: int | None = Field(default=None, ge=0)
    injuries: int | None = Field(default=None, ge=0)
    direct_loss: float | None = Field(default=None, ge=0)  # 万元
    note: str = ""

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

    def conflict(self, field: str) -> Conflict | None:
        return next((c for c in self.conflicts if c.field == field), None)


# ---- 案例文件 -------------------------------------------------------------------


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


# ---- 案例页面将要写出的引用 ----------------------------------------------------------


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

