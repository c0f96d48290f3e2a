"""问答（data/faq.yml）：模型、按主题分组、每个回答的依据与通知和文件登记表逐字核对。

每个回答至少有一条依据（cites）：依据是通知的句子、段落或部分编号，或文件登记表中的文件编号（doc-…），
并逐字摘录（quote）所引原文中支持回答的文字。核对方法与题库相同（studycol.quiz 的出处文字和归一化）。

规则（构建时检查，违反时构建失败并指出行号）：
- FAQ-1：文件不合规（缺项、编号格式、重复编号）；
- FAQ-2：依据的编号在通知和文件登记表中都找不到；
- FAQ-3：摘录不在所引原文中。
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import quiz
from .xref import suggest
from .yamlsrc import DataError, SourceError, Sourced, load_yaml_file, validate

ID_PATTERN = r"^faq-[a-z0-9]+(?:-[a-z0-9]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cite(_Strict):
    ref: str = Field(min_length=2)  # 通知编号（n2-1-5）或文件编号（doc-…）
    quote: str = Field(min_length=2)  # 所引原文中的文字，逐字摘录


class Question(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    q: str = Field(min_length=4, max_length=80)
    a: str = Field(min_length=4)
    cites: tuple[Cite, ...]

    @field_validator("q")
    @classmethod
    def _question_mark(cls, v: str) -> str:
        if not v.endswith("？"):
            raise ValueError("问题以全角问号“？”结尾")
        return v

    @field_validator("cites")
    @classmethod
    def _some(cls, v: tuple[Cite, ...]) -> tuple[Cite, ...]:
        if not v:
            raise ValueError("每个回答至少写一条依据（通知或文件的编号和逐字摘录）")
        return v


class Topic(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=2, max_length=30)
    questions: tuple[Question, ...]

    @field_validator("questions")
    @classmethod
    def _some(cls, v: tuple[Question, ...]) -> tuple[Question, ...]:
        if not v:
            raise ValueError("每个主题至少有一个问题")
        return v


class FaqFile(_Strict):
    # 不用 min_length：某一项不合规时 pydantic 会连带报告“条目太少”，同一处问题报两次
    topics: tuple[Topic, ...]

    @field_validator("topics")
    @classmethod
    def _some(cls, v: tuple[Topic, ...]) -> tuple[Topic, ...]:
        if not v:
            raise ValueError("至少有一个主题")
        return v


@dataclasses.dataclass(frozen=True)
class LoadedFaq:
    faq: FaqFile
    src: Sourced

    def line_of(self, *loc: str | int) -> int:
        return self.src.line_of(("topics", *loc))


def _with_rule(errors: list[SourceError], rule: str) -> list[SourceError]:
    return [SourceError(e.path, e.line, f"{e.message}（{rule}）") for e in errors]


def load_faq(path: Path, display: str = "data/faq.yml") -> LoadedFaq:
    """读取并校验问答文件的结构；不合规时抛出 DataError（FAQ-1）。"""
    try:
        src = load_yaml_file(path, display)
        faq = validate(FaqFile, src)
    except DataError as exc:
        raise DataError(_with_rule(exc.errors, "FAQ-1")) from None
    loaded = LoadedFaq(faq, src)
    seen: dict[str, None] = {}
    dupes: list[SourceError] = []
    for ti, topic in enumerate(faq.topics):
        for key, loc in [(topic.id, (ti, "id"))] + [(q.id, (ti, "questions", qi, "id")) for qi, q in enumerate(topic.questions)]:
            if key in seen:
                dupes.append(SourceError(display, loaded.line_of(*loc), f"编号 {key} 重复：主题和问题的编号在页面上是锚点，必须各不相同（FAQ-1）"))
            seen[key] = None
    if dupes:
        raise DataError(dupes)
    return loaded


def citation_problems(loaded: LoadedFaq, sources: quiz.Sources) -> list[SourceError]:
    """每条依据：编号存在（FAQ-2），摘录逐字出现在所引原文中（FAQ-3）。"""
    out: list[SourceError] = []
    path = loaded.src.path
    for ti, topic in enumerate(loaded.faq.topics):
        for qi, question in enumerate(topic.questions):
            for ci, cite in enumerate(question.cites):
                text = sources.texts.get(cite.ref)
                if text is None:
                    hint = suggest(cite.ref, sources.known())
                    tail = f"最接近的有效编号：{'、'.join(hint)}。" if hint else "请检查拼写。"
                    line = loaded.line_of(ti, "questions", qi, "cites", ci, "ref")
                    out.append(SourceError(path, line, f"问题 {question.id} 的依据“{cite.ref}”在通知和文件登记表中都找不到；{tail}（FAQ-2）"))
                elif not quiz.contains(text, cite.quote):
                    label = sources.labels.get(cite.ref, cite.ref)
                    line = loaded.line_of(ti, "questions", qi, "cites", ci, "quote")
                    out.append(SourceError(path, line, f"问题 {question.id} 的摘录“{cite.quote}”不在所引原文（{label}）中；请逐字摘录，或改正依据的编号（FAQ-3）"))
    return out


def check(path: Path, sources: quiz.Sources, display: str = "data/faq.yml") -> tuple[LoadedFaq | None, list[SourceError]]:
    """读取并核对问答文件：(问答, 全部问题)。结构不合规时问答为 None。"""
    try:
        loaded = load_faq(path, display)
    except DataError as exc:
        return None, exc.errors
    return loaded, citation_problems(loaded, sources)
