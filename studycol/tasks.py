"""重点任务清单（data/tasks.yml）：数据模型、与通知原文的核对、分组和下载文件（CSV、XLSX）。

通知第五部分要求“建立重点任务清单……逐项落实责任单位、责任人员”（n5-1-1）。本清单把通知中的每一项要求
拆成一条任务：谁来做（actor，只能取通知中点名的主体）、做什么（action）、时间要求（timing，只能是
通知自己用的时间词或“未明确”）、预期成果（output）、依据（cites，通知的句子编号）。

校验分两层：
1. 模型自身的规则（validate_tasks）：编号格式、主体取值、时间词、全角标点、编号和简称不重复；
2. 与通知原文核对（check_against_notice）：依据编号存在；主体确实在所引句子中被点名；时间词确实出现在
   所引句子中；通知中每一句提出要求的句子都至少有一条任务引用。
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .notice import Notice, strip_marks
from .yamlsrc import DataError, SourceError, Sourced, load_yaml_file, repeated, validate

# ---- 受控词表 ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Actor:
    """通知中点名的责任主体。names 是它在通知句子中可能出现的写法（用于核对）。"""

    name: str
    slug: str
    names: tuple[str, ...]


# 顺序即页面上分组的顺序
ACTORS: tuple[Actor, ...] = (
    Actor("各级矿山安全监管监察部门", "jgjc", ("各级矿山安全监管监察部门",)),
    Actor("各矿山企业", "qiye", ("各矿山企业", "矿山企业")),
    Actor("国家矿山安全监察局各省级局", "shengjiju", ("国家矿山安全监察局各省级局",)),
    Actor("国家矿山安全监察局", "guojiaju", ("国家矿山安全监察局",)),
    Actor("各省级矿山安全监管部门", "shengjianguan", ("各省级矿山安全监管部门",)),
)
ACTOR_NAMES: tuple[str, ...] = tuple(a.name for a in ACTORS)
_ACTOR_BY_NAME = {a.name: a for a in ACTORS}

# 通知使用的时间词（逐字）。timing 只能取这些词，或者“未明确”。
TIMING_WORDS: tuple[str, ...] = ("迅速", "立即", "尽快", "及时", "抓紧", "加快", "持续", "定期")
UNSPECIFIED = "未明确"

# 台账用的空白列：下载文件中附在任务信息之后，由使用单位填写
LEDGER_COLUMNS: tuple[str, ...] = ("责任单位", "责任人", "完成时限", "完成情况", "备注")

_HALF_WIDTH_PUNCT = re.compile(r"[\u4e00-\u9fff》）][,;:?!()]|[,;:?!()][\u4e00-\u9fff《（]")
_CITE_RE = r"^n\d+-\d+(?:-\d+)?$"


def _check_punct(value: str, what: str) -> str:
    m = _HALF_WIDTH_PUNCT.search(value)
    if m:
        raise ValueError(f"{what}中有半角标点“{m.group(0)}”；中文句子请用全角标点（，；：？！（））")
    if re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff0-9A-Za-z]|[0-9A-Za-z] +[\u4e00-\u9fff]", value):
        raise ValueError(f"{what}中汉字与数字、字母之间有空格；按公文写法不加空格")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Task(_Strict):
    id: str = Field(pattern=r"^task-[a-z0-9]+(?:-[a-z0-9]+)*$")
    title: str = Field(min_length=2, max_length=16)
    actor: tuple[str, ...] = Field(min_length=1)
    actor_from: str | None = Field(default=None, pattern=r"^n\d+-\d+-\d+$")
    action: str = Field(min_length=6)
    timing: tuple[str, ...] = Field(min_length=1)
    output: str = Field(min_length=2)
    cites: tuple[str, ...] = Field(min_length=1)
    note: str = ""

    @field_validator("actor", mode="before")
    @classmethod
    def _actor_list(cls, v):
        return [v] if isinstance(v, str) else v

    @field_validator("actor")
    @classmethod
    def _known_actor(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for name in v:
            if name not in _ACTOR_BY_NAME:
                raise ValueError(
                    f"责任主体“{name}”不在通知点名的主体之中；只能写：{'、'.join(ACTOR_NAMES)}"
                )
        if len(set(v)) != len(v):
            raise ValueError("责任主体重复列出")
        return tuple(sorted(v, key=ACTOR_NAMES.index))

    @field_validator("timing", mode="before")
    @classmethod
    def _timing_list(cls, v):
        return [v] if isinstance(v, str) else v

    @field_validator("timing")
    @classmethod
    def _timing_words(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if UNSPECIFIED in v and len(v) > 1:
            raise ValueError(f"“{UNSPECIFIED}”不能与其他时间词并列")
        for word in v:
            if word != UNSPECIFIED and word not in TIMING_WORDS:
                raise ValueError(
                    f"时间要求“{word}”不是通知使用的时间词；只能写 {'、'.join(TIMING_WORDS)}，"
                    f"通知没有提时间要求时写“{UNSPECIFIED}”，不要自行规定期限"
                )
        return v

    @field_validator("cites")
    @classmethod
    def _cite_format(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for c in v:
            if not re.match(_CITE_RE, c):
                raise ValueError(f"依据“{c}”不是通知的段落或句子编号（形如 n4-1 或 n4-1-2）")
        return v

    @field_validator("title", "action", "output", "note")
    @classmethod
    def _punct(cls, v: str, info) -> str:
        names = {"title": "简称", "action": "工作任务", "output": "预期成果", "note": "说明"}
        if "[[" in v:
            raise ValueError(f"{names[info.field_name]}中不要写 [[…]] 引用；依据请写在 cites 中")
        return _check_punct(v, names[info.field_name])

    @property
    def part(self) -> str:
        """任务所属的通知部分（取第一条依据），例如 n4。"""
        return self.cites[0].split("-", 1)[0]

    @property
    def actor_label(self) -> str:
        return "和".join(self.actor)


class TaskList(_Strict):
    tasks: list[Task] = Field(min_length=1)


@dataclasses.dataclass(frozen=True)
class LoadedTasks:
    """校验通过的任务清单和它在 YAML 中的行号（用于报错和引用定位）。"""

    tasks: TaskList
    source: Sourced

    def line(self, index: int, *field: str | int) -> int:
        return self.source.line_of(("tasks", index, *field))

    def cite_line(self, index: int, cite_index: int) -> int:
        return self.line(index, "cites", cite_index)


def parse_tasks(src: Sourced) -> LoadedTasks:
    """校验任务清单；编号和简称重复时报出重复出现的那一行。"""
    loaded = LoadedTasks(validate(TaskList, src), src)
    tasks = loaded.tasks.tasks
    problems = repeated(
        src.path, [(t.id, loaded.line(i, "id")) for i, t in enumerate(tasks)],
        lambda v, first: f"任务编号“{v}”与第 {first} 行的任务重复；每条任务的编号必须唯一",
    ) + repeated(
        src.path, [(t.title, loaded.line(i, "title")) for i, t in enumerate(tasks)],
        lambda v, first: f"任务简称“{v}”与第 {first} 行重复；请换一个能区分的简称",
    )
    if problems:
        raise DataError(problems)
    return loaded


def load_tasks(path: Path, display: str = "data/tasks.yml") -> LoadedTasks:
    return parse_tasks(load_yaml_file(path, display))


# ---- 与通知原文核对 --------------------------------------------------------------

# 提出要求的句子：含情态的“要”（不含“重要”“要求”“要害”“要点”），或“将……”“请……”
_REQUIREMENT_RE = re.compile(r"(?<!重)要(?![求害点])|将|请")


def requirement_sentences(notice: Notice) -> list[str]:
    """通知中提出要求的句子编号（任务清单必须覆盖它们）。"""
    out = []
    for part in notice.parts:
        for para in part.paragraphs:
            for s in para.sentences:
                if _REQUIREMENT_RE.search(strip_marks(s.text)):
                    out.append(s.id)
    return out


def _sentence_texts(notice: Notice) -> dict[str, str]:
    texts: dict[str, str] = {}
    for part in notice.parts:
        for para in part.paragraphs:
            texts[para.id] = "".join(strip_marks(s.text) for s in para.sentences)
            for s in para.sentences:
                texts[s.id] = strip_marks(s.text)
    return texts


def actor_named_in(actor: str, text: str) -> bool:
    """主体是否在 text 中被点名；较长的主体名先遮去（“国家矿山安全监察局各省级局”不算点名“国家矿山安全监察局”）。"""
    longer = sorted((a for a in ACTOR_NAMES if a != actor and actor in a), key=len, reverse=True)
    for name in longer:
        text = text.replace(name, "□")
    return any(n in text for n in _ACTOR_BY_NAME[actor].names)


def check_against_notice(loaded: LoadedTasks, notice: Notice, *, coverage: bool = True) -> list[SourceError]:
    """与通知原文核对；返回全部问题（空列表表示通过）。

    coverage 为真时还检查通知中每一句提出要求的句子都有任务引用（整份清单才需要，单条测试数据不需要）。
    """
    texts = _sentence_texts(notice)
    path = loaded.source.path
    problems: list[SourceError] = []
    cited: set[str] = set()
    for i, t in enumerate(loaded.tasks.tasks):
        for j, c in enumerate(t.cites):
            if c not in texts:
                problems.append(SourceError(path, loaded.cite_line(i, j), f"任务 {t.id} 的依据“{c}”在通知中不存在；请核对编号"))
            cited.add(c)
        where = t.actor_from or t.cites[0]
        if where not in texts:
            problems.append(SourceError(path, loaded.line(i, "actor_from"), f"任务 {t.id} 的 actor_from“{where}”在通知中不存在"))
        else:
            for name in t.actor:
                if not actor_named_in(name, texts[where]):
                    problems.append(
                        SourceError(
                            path, loaded.line(i, "actor"),
                            f"任务 {t.id} 的责任主体“{name}”在 {where} 中没有被点名；"
                            "句子没有主语时，用 actor_from 写明点名该主体的句子编号",
                        )
                    )
        cited_text = "".join(texts.get(c, "") for c in t.cites)
        for word in t.timing:
            if word != UNSPECIFIED and word not in cited_text:
                problems.append(
                    SourceError(
                        path, loaded.line(i, "timing"),
                        f"任务 {t.id} 的时间要求“{word}”没有出现在所引的通知句子中；时间词必须照录原文，否则写“{UNSPECIFIED}”",
                    )
                )
    for sid in requirement_sentences(notice) if coverage else []:
        if sid not in cited and sid.rsplit("-", 1)[0] not in cited:
            problems.append(
                SourceError(
                    path, 1,
                    f"通知句子 {sid}（{texts[sid][:24]}……）提出了要求，但没有任何任务引用它；请补充任务",
                )
            )
    return problems


def load_and_check(path: Path, notice: Notice, display: str = "data/tasks.yml") -> LoadedTasks:
    loaded = load_tasks(path, display)
    problems = check_against_notice(loaded, notice)
    if problems:
        raise DataError(problems)
    return loaded


# ---- 分组 ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Group:
    actors: tuple[str, ...]
    items: tuple[tuple[int, Task], ...]  # (在文件中的序号, 任务)

    @property
    def label(self) -> str:
        return "和".join(self.actors)

    @property
    def slug(self) -> str:
        return "tasks-" + "-".join(_ACTOR_BY_NAME[a].slug for a in self.actors)


def group_by_actor(tasks: Sequence[Task]) -> list[Group]:
    """按责任主体（组合）分组；组的顺序按主体在 ACTORS 中的顺序，组内保持文件顺序。"""
    groups: dict[tuple[str, ...], list[tuple[int, Task]]] = {}
    for i, t in enumerate(tasks):
        groups.setdefault(t.actor, []).append((i, t))
    order = sorted(groups, key=lambda k: [ACTOR_NAMES.index(a) for a in k])
    return [Group(k, tuple(groups[k])) for k in order]


def matrix(tasks: Sequence[Task], part_ids: Sequence[str]) -> list[tuple[str, list[list[tuple[int, Task]]]]]:
    """责任矩阵：每个主体一行，每个部分一列，格内是该主体在该部分承担的任务。"""
    rows = []
    for actor in ACTOR_NAMES:
        cells: list[list[tuple[int, Task]]] = [[] for _ in part_ids]
        for i, t in enumerate(tasks):
            if actor in t.actor and t.part in part_ids:
                cells[part_ids.index(t.part)].append((i, t))
        rows.append((actor, cells))
    return rows


# ---- 下载文件 --------------------------------------------------------------------

HEADER: tuple[str, ...] = ("序号", "编号", "责任主体", "任务", "工作要求", "时间要求", "预期成果", "依据") + LEDGER_COLUMNS


def ledger_rows(tasks: Sequence[Task], labels: dict[str, str]) -> list[list[str]]:
    """台账的行（含表头）。labels：通知编号 → 人读标签（如 通知第四部分第1段第2句）。"""
    rows = [list(HEADER)]
    for n, t in enumerate(tasks, 1):
        basis = "；".join(f"{labels.get(c, c)}（{c}）" for c in t.cites)
        rows.append(
            [str(n), t.id, "、".join(t.actor), t.title, t.action, "、".join(t.timing), t.output, basis]
            + [""] * len(LEDGER_COLUMNS)
        )
    return rows


def to_csv(rows: Iterable[Sequence[str]]) -> bytes:
    """CSV：UTF-8 带 BOM（Excel 据此识别编码），逗号分隔，CRLF 换行。"""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


_WIDTHS = {"序号": 6, "编号": 20, "责任主体": 22, "任务": 18, "工作要求": 50, "时间要求": 10, "预期成果": 30, "依据": 34}


def to_xlsx(rows: Sequence[Sequence[str]], *, title: str, notes: Sequence[str]) -> bytes:
    """XLSX：第一张表是台账（表头加粗、冻结首行、自动换行），第二张表是填写说明。"""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "重点任务清单"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=int(value) if (r > 1 and c == 1) else value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = border
            if r == 1:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="EFEFEF")
    for c, name in enumerate(rows[0], 1):
        ws.column_dimensions[get_column_letter(c)].width = _WIDTHS.get(name, 16)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    info = wb.create_sheet("填写说明")
    info.column_dimensions["A"].width = 100
    info.cell(row=1, column=1, value=title).font = Font(bold=True)
    for i, line in enumerate(notes, 2):
        info.cell(row=i, column=1, value=line).alignment = Alignment(wrap_text=True, vertical="top")

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
