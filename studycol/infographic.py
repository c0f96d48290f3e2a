"""一图读懂：由通知（data/notice.yml）和重点任务清单（data/tasks.yml）在构建时生成的 SVG 海报及其文字版。

海报的内容全部来自结构化数据，数据改了图就跟着改：
- 通知的五个部分：标题和每部分中标出的关键词（notice.yml 中用 ==…== 标出的短语）；
- 谁要做什么：重点任务按责任主体分组，每项任务附通知原文的时间词；
- 时间要求：通知用到的时间词各有几项任务，没有提出时间要求的有几项。

``build_poster`` 只整理数据，``layout`` 算出每个元素的位置（海报宽 1000，高度随内容而定，打印时缩放到一张 A4），
``render_svg`` 用自动转义的模板输出 SVG（overrides/partials/column/infographic.svg）。文字版用同一份 ``Poster``。
"""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .notice import Notice, marked_phrases, strip_marks
from .tasks import ACTOR_NAMES, UNSPECIFIED, TIMING_WORDS, Task

FILE_NAME = "yitu-dudong.svg"
WIDTH = 1000
MARGIN = 48
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "overrides" / "partials" / "column"


# ---- 内容 ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PartBox:
    no: str
    id: str
    title: str
    keywords: tuple[str, ...]
    task_count: int


@dataclasses.dataclass(frozen=True)
class TaskItem:
    id: str
    title: str
    timing: tuple[str, ...]  # 通知原文的时间词；没有时为空

    @property
    def label(self) -> str:
        return f"{self.title}（{'、'.join(self.timing)}）" if self.timing else self.title


@dataclasses.dataclass(frozen=True)
class ActorBox:
    name: str
    tasks: tuple[TaskItem, ...]


@dataclasses.dataclass(frozen=True)
class Poster:
    title: str
    doc_number: str
    issuer: str
    print_date: str
    preamble: str
    parts: tuple[PartBox, ...]
    actors: tuple[ActorBox, ...]
    timings: tuple[tuple[str, int], ...]  # (时间词, 任务数)，按通知时间词的顺序
    unspecified: int  # 没有提出时间要求的任务数
    task_total: int


def _part_of(task: Task) -> str:
    return task.cites[0].split("-")[0]


def build_poster(notice: Notice, tasks: list[Task] | tuple[Task, ...]) -> Poster:
    m = notice.meta
    parts = []
    for part in notice.parts:
        if not part.title:  # 导语和结尾没有标题，不单列
            continue
        words: list[str] = []
        for para in part.paragraphs:
            for s in para.sentences:
                words += [w for w in marked_phrases(s.text) if w not in words]
        parts.append(PartBox(part.no, part.id, part.title, tuple(words), sum(1 for t in tasks if _part_of(t) == part.id)))
    preamble = next((strip_marks(s.text) for p in notice.parts if not p.title for para in p.paragraphs for s in para.sentences), "")
    actors = []
    for name in ACTOR_NAMES:
        items = tuple(
            TaskItem(t.id, t.title, tuple(w for w in t.timing if w != UNSPECIFIED)) for t in tasks if name in t.actor
        )
        if items:
            actors.append(ActorBox(name, items))
    timings = tuple((w, n) for w in TIMING_WORDS if (n := sum(1 for t in tasks if w in t.timing)))
    return Poster(
        title=m.short_title,
        doc_number=m.doc_number,
        issuer=m.issuer,
        print_date=f"{m.print_date.year}年{m.print_date.month}月{m.print_date.day}日",
        preamble=preamble,
        parts=tuple(parts),
        actors=tuple(actors),
        timings=timings,
        unspecified=sum(1 for t in tasks if UNSPECIFIED in t.timing),
        task_total=len(tasks),
    )


# ---- 排版 ---------------------------------------------------------------------------


def text_width(text: str, size: float) -> float:
    """文字的大致宽度：汉字和全角符号一个字号宽，其他字符半个多。"""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.58 for c in text)


def wrap(text: str, size: float, width: float) -> list[str]:
    """按宽度折行（中文逐字折行；行首不放逗号、句号等标点）。"""
    lines: list[str] = []
    line = ""
    for c in text:
        if line and text_width(line + c, size) > width and c not in "，。、；：）》”":
            carry = ""
            while line and line[-1] in "（《“":  # 开括号、开引号不留在行末
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line)
            line = carry
        line += c
    if line:
        lines.append(line)
    return lines


@dataclasses.dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    size: float
    cls: str = ""
    anchor: str = "start"


@dataclasses.dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    cls: str = ""
    r: float = 6


@dataclasses.dataclass
class Layout:
    width: int
    height: int
    boxes: list[Box]
    texts: list[Text]
    desc: str


def _chips(labels: tuple[str, ...] | list[str], x0: float, y: float, right: float, size: float, cls: str,
           boxes: list[Box], texts: list[Text]) -> float:
    """一行行排放小标签；返回排完之后的 y。"""
    pad, gap, h = size * 0.6, 10.0, size * 1.9
    x = x0
    for label in labels:
        w = text_width(label, size) + 2 * pad
        if x > x0 and x + w > right:
            x, y = x0, y + h + gap
        boxes.append(Box(x, y, w, h, cls, h / 2))
        texts.append(Text(x + pad, y + h * 0.68, label, size, cls + "-t"))
        x += w + gap
    return y + h


def layout(p: Poster) -> Layout:
    boxes: list[Box] = []
    texts: list[Text] = []
    inner = WIDTH - 2 * MARGIN
    right = WIDTH - MARGIN

    # 版头
    boxes.append(Box(0, 0, WIDTH, 170, "band", 0))
    texts.append(Text(MARGIN, 74, "一图读懂", 50, "title"))
    y: float = 116
    for line in wrap(p.title, 26, inner):
        texts.append(Text(MARGIN, y, line, 26, "subtitle"))
        y += 34
    texts.append(Text(right, 150, f"{p.issuer}　{p.doc_number}　{p.print_date}印发", 17, "meta", "end"))
    y = max(y, 170) + 40

    # 导语
    for line in wrap(p.preamble, 19, inner):
        texts.append(Text(MARGIN, y, line, 19, "body"))
        y += 30
    y += 24

    # 五个部分
    texts.append(Text(MARGIN, y, f"通知的{len(p.parts)}个部分和关键词", 28, "h"))
    y += 22
    for part in p.parts:
        y += 16
        top = y
        texts.append(Text(MARGIN + 26, y + 35, part.no, 26, "no", "middle"))
        x_text = MARGIN + 66
        texts.append(Text(x_text, y + 34, part.title, 22, "part"))
        texts.append(Text(right - 16, y + 34, f"{part.task_count}项任务", 16, "count", "end"))
        start = len(boxes)
        bottom = _chips(part.keywords, x_text, y + 50, right - 16, 16, "kw", boxes, texts) if part.keywords else y + 50
        boxes[start:start] = [Box(MARGIN, top, inner, bottom - top + 14, "card"), Box(MARGIN + 8, top + 10, 36, 36, "disc", 18)]
        y = bottom + 14
    y += 40

    # 谁要做什么
    texts.append(Text(MARGIN, y, f"谁要做什么（{p.task_total}项重点任务）", 28, "h"))
    y += 22
    for actor in p.actors:
        y += 16
        top = y
        texts.append(Text(MARGIN + 16, y + 32, f"{actor.name}（{len(actor.tasks)}项）", 21, "actor"))
        start = len(boxes)
        bottom = _chips([t.label for t in actor.tasks], MARGIN + 16, y + 46, right - 16, 15, "task", boxes, texts)
        boxes.insert(start, Box(MARGIN, top, inner, bottom - top + 14, "card"))
        y = bottom + 14
    y += 40

    # 时间要求
    texts.append(Text(MARGIN, y, "时间要求（照录通知原文的用词）", 28, "h"))
    y += 22
    labels = [f"{w}：{n}项" for w, n in p.timings]
    if p.unspecified:
        labels.append(f"未提出时间要求：{p.unspecified}项")
    y = _chips(labels, MARGIN, y + 14, right, 18, "time", boxes, texts) + 36

    texts.append(Text(MARGIN, y, "本图由专栏根据通知原文和重点任务清单自动生成；以通知原文为准。", 15, "foot"))
    height = int(y + 32)
    desc = (
        f"一图读懂{p.title}（{p.doc_number}）：通知的{len(p.parts)}个部分及关键词，"
        f"{p.task_total}项重点任务按责任主体分组，以及通知提出的时间要求。文字版见页面正文。"
    )
    return Layout(WIDTH, height, boxes, texts, desc)


# ---- 输出 ---------------------------------------------------------------------------


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = lambda v: f"{v:.1f}".rstrip("0").rstrip(".")
    return env


def render_svg(p: Poster) -> str:
    lay = layout(p)
    return _env().get_template("infographic.svg").render(layout=lay, poster=p)
