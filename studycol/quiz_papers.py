"""组卷：综合测试和 A/B 卷的抽题、排序和选项乱序（data/quiz/papers.yml）。

全部由种子决定：同一题库、同一种子，得到同一份试卷（题目、题序、选项顺序完全相同）。
A、B 卷用同一个抽题种子（selection_seed），所以两卷的题目相同；各卷自己的种子只决定题序和选项顺序。
题库增删题目后再组卷，试卷会随之变化；试卷和答案上印有“试卷识别码”，便于核对两者是否配套。
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .quiz import LETTERS, TYPE_NAMES, TYPES, Bank, Item, QType, leak_problems, paper_eligible
from .yamlsrc import SourceError, Sourced, load_yaml_file, validate

CN_NUMS = "一二三四五六七八九十"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Section(_Strict):
    type: QType
    count: int = Field(ge=1, le=100)
    points: int = Field(default=0, ge=0, le=100)


class Variant(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+$")
    name: str = Field(min_length=1)
    seed: int


class PaperConfig(_Strict):
    title: str = Field(min_length=1)
    minutes: int | None = Field(default=None, ge=1)
    selection_seed: int
    sections: list[Section] = Field(min_length=1)
    variants: list[Variant] = Field(min_length=1)

    @model_validator(mode="after")
    def _checks(self) -> "PaperConfig":
        types = [s.type for s in self.sections]
        if len(set(types)) != len(types):
            raise ValueError("同一题型只能有一节；请合并重复的题型")
        ids = [v.id for v in self.variants]
        if len(set(ids)) != len(ids):
            raise ValueError("试卷编号（variants 的 id）重复")
        total = sum(s.count * s.points for s in self.sections)
        if total != 100:
            raise ValueError(f"各题型“题数×每题分值”之和应为100分，现为{total}分；请调整 count 或 points")
        return self


class ComprehensiveConfig(_Strict):
    title: str = Field(min_length=1)
    seed: int
    sections: list[Section] = Field(min_length=1)


class PapersFile(_Strict):
    comprehensive: ComprehensiveConfig
    papers: PaperConfig


def load_papers(path: Path, display: str = "data/quiz/papers.yml") -> tuple[PapersFile, Sourced]:
    src = load_yaml_file(path, display)
    return validate(PapersFile, src), src


# ---- 题目在某一页面或某一份试卷中的样子 ----------------------------------------------


@dataclasses.dataclass(frozen=True)
class View:
    item: Item
    number: int  # 本页（本卷）中的题号
    key: str  # 本页中的锚点 id
    options: tuple[str, ...]  # 显示顺序的选项
    order: tuple[int, ...]  # 显示顺序对应的原选项序号
    answer: str  # 按显示顺序的答案：B、ACD、正确、填空答案

    @property
    def q(self):
        return self.item.q

    @property
    def answer_text(self) -> str:
        """给人看的答案：选择题带上选项内容。"""
        q = self.q
        if q.type in ("单选", "多选"):
            return "；".join(f"{x}．{self.options[LETTERS.index(x)]}" for x in self.answer)
        if q.type == "填空" and q.accept:
            return "；".join([q.answer, *q.accept]) + "（均可）"
        return self.answer


def option_rng(item: Item) -> random.Random:
    """题目自己的选项顺序：以题目编号为种子打乱，页面之间、每次构建之间都相同。

    编辑通常把正确答案写在前面；不打乱的话，网页上和导出文件中单选题的答案会几乎都是 A。
    """
    return random.Random("options:" + item.q.id)


def view(item: Item, number: int, key: str, rng: random.Random | None = None) -> View:
    q = item.q
    order = list(range(len(q.options)))
    if rng is not None and q.type in ("单选", "多选") and not q.fixed_order:
        rng.shuffle(order)
    options = tuple(q.options[i] for i in order)
    if q.type in ("单选", "多选"):
        correct = {LETTERS.index(x) for x in q.answer_letters}
        answer = "".join(LETTERS[k] for k, i in enumerate(order) if i in correct)
    else:
        answer = q.answer
    return View(item, number, key, options, tuple(order), answer)


# ---- 抽题 --------------------------------------------------------------------------


def select(bank: Bank, sections: list[Section], seed: int) -> list[tuple[Section, list[Item]]]:
    """按题型抽题：先用种子打乱，再在各套测验之间轮流取题，使每一部分都有题目入选。

    只从能进入试卷的题目中抽（paper_eligible）：外部来源只有一个的题目留在分部分测验中，不进综合测试和试卷。
    """
    rng = random.Random(seed)
    set_order = [s.id for s in bank.sets]
    out: list[tuple[Section, list[Item]]] = []
    for sec in sections:
        pool = sorted((i for i in bank.items if i.q.type == sec.type and paper_eligible(i)), key=lambda i: i.q.id)
        rng.shuffle(pool)
        buckets: dict[str, list[Item]] = {s: [] for s in set_order}
        for i in pool:
            buckets.setdefault(i.set, []).append(i)
        picked: list[Item] = []
        while len(picked) < min(sec.count, len(pool)):
            for s in buckets:
                if buckets[s] and len(picked) < sec.count:
                    picked.append(buckets[s].pop(0))
        out.append((sec, picked))
    return out


def shortage_problems(bank: Bank, sections: list[Section], src: Sourced, loc: tuple) -> list[SourceError]:
    """组卷要求的题数超过题库中该题型的题数。"""
    have = {t: sum(1 for i in bank.items if i.q.type == t and paper_eligible(i)) for t in TYPES}
    out = []
    for k, sec in enumerate(sections):
        if sec.count > have[sec.type]:
            out.append(
                SourceError(
                    src.path, src.line_of((*loc, k, "count")),
                    f"要抽 {sec.count} 道{sec.type}题，题库中能进入试卷的只有 {have[sec.type]} 道（单一来源的题目不进试卷）；请减少题数或先补充题目。",
                )
            )
    return out


# ---- 试卷 --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PaperSection:
    no: str  # 一、二、……
    type: str
    name: str  # 单项选择题
    points: int
    views: list[View]

    @property
    def total(self) -> int:
        return self.points * len(self.views)


@dataclasses.dataclass(frozen=True)
class Paper:
    id: str
    name: str  # A卷
    title: str
    minutes: int | None
    sections: list[PaperSection]
    code: str  # 试卷识别码

    @property
    def count(self) -> int:
        return sum(len(s.views) for s in self.sections)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sections)

    @property
    def views(self) -> list[View]:
        return [v for s in self.sections for v in s.views]


def fingerprint(prefix: str, views: list[View]) -> str:
    raw = "|".join(f"{v.q.id}:{''.join(map(str, v.order))}" for v in views)
    return f"{prefix.upper()}-{hashlib.sha1(raw.encode('utf-8')).hexdigest()[:8].upper()}"


def _arrange(picked: list[tuple[Section, list[Item]]], rng: random.Random, key_prefix: str, shuffle_questions: bool) -> list[PaperSection]:
    sections: list[PaperSection] = []
    number = 0
    for k, (sec, items) in enumerate(picked):
        items = list(items)
        if shuffle_questions:
            rng.shuffle(items)
        views = []
        for it in items:
            number += 1
            views.append(view(it, number, f"{key_prefix}{number}", rng))
        sections.append(PaperSection(CN_NUMS[k], sec.type, TYPE_NAMES[sec.type], sec.points, views))
    return sections


def build_paper(bank: Bank, config: PaperConfig, variant_id: str) -> Paper:
    variant = next(v for v in config.variants if v.id == variant_id)
    picked = select(bank, config.sections, config.selection_seed)
    rng = random.Random(variant.seed)
    sections = _arrange(picked, rng, f"p{variant.id}-", shuffle_questions=True)
    views = [v for s in sections for v in s.views]
    return Paper(variant.id, variant.name, config.title, config.minutes, sections, fingerprint(variant.id, views))


def build_comprehensive(bank: Bank, config: ComprehensiveConfig) -> list[PaperSection]:
    picked = select(bank, config.sections, config.seed)
    return _arrange(picked, random.Random(config.seed), "ct-", shuffle_questions=False)


def set_views(bank: Bank, set_id: str) -> list[PaperSection]:
    """分部分测验：本套的全部题目，按题型分节，选项按题目自己的顺序（option_rng）；锚点就是题目编号。"""
    items = bank.by_set(set_id)
    sections: list[PaperSection] = []
    number = 0
    for t in TYPES:
        group = [i for i in items if i.q.type == t]
        if not group:
            continue
        views = []
        for it in group:
            number += 1
            views.append(view(it, number, it.q.id, option_rng(it)))
        sections.append(PaperSection(CN_NUMS[len(sections)], t, TYPE_NAMES[t], 0, views))
    return sections


def paper_leak_problems(bank: Bank, config: PapersFile) -> list[SourceError]:
    """综合测试和每份试卷中的答案泄露（QUIZ-1）。各卷题目相同时只查一次，说明中列出这几份试卷。"""
    out = leak_problems([v.item for s in build_comprehensive(bank, config.comprehensive) for v in s.views], f"“{config.comprehensive.title}”")
    groups: dict[tuple[str, ...], tuple[list[str], list[Item]]] = {}
    for variant in config.papers.variants:
        items = [v.item for v in build_paper(bank, config.papers, variant.id).views]
        key = tuple(sorted(i.q.id for i in items))
        groups.setdefault(key, ([], items))[0].append(variant.name)
    for names, items in groups.values():
        out += leak_problems(items, "试卷" + "、".join(names))
    return out


def check_papers(bank: Bank, config: PapersFile, src: Sourced) -> list[SourceError]:
    short = shortage_problems(bank, config.papers.sections, src, ("papers", "sections")) + shortage_problems(
        bank, config.comprehensive.sections, src, ("comprehensive", "sections")
    )
    return short or paper_leak_problems(bank, config)
