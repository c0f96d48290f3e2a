"""通知（矿安〔2024〕2号）的数据模型、引用目标和忠实性核对。

data/notice.yml 是通知正文的唯一来源。本模块只做三件事：
1. 读取并校验它（load_notice）；
2. 列出可引用的目标——部分、段落、句子——及其人类可读的标签（targets）；
3. 把发布稿与收到的原始文本逐字比对，确认每一处差异都登记在校勘记中（check_fidelity）。
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from pathlib import Path

from pydantic import Field, model_validator

from .gongwen import MARK_RE, CollationEntry, Difference, Kept, Omitted, Target, _Strict, layout_differences, strip_marks
from .yamlsrc import DataError, load_yaml_file, validate

ID_PART = r"n\d+"
SENTENCE_ID_RE = re.compile(r"^n\d+-\d+-\d+$")


class Sentence(_Strict):
    id: str = Field(pattern=r"^n\d+-\d+-\d+$")
    text: str = Field(min_length=1)


class Paragraph(_Strict):
    id: str = Field(pattern=r"^n\d+-\d+$")
    sentences: list[Sentence] = Field(min_length=1)


class Part(_Strict):
    id: str = Field(pattern=r"^n\d+$")
    no: str
    label: str
    title: str | None
    paragraphs: list[Paragraph] = Field(min_length=1)


class Meta(_Strict):
    issuer_mark: str
    doc_number: str = Field(pattern=r"^[\u4e00-\u9fa5]+〔\d{4}〕[1-9]\d*号$")
    issuer: str
    title: str
    short_title: str
    addressees: str
    disclosure: str
    printing_office: str
    print_date: dt.date
    index_number: str = ""
    subject_category: str = ""


class Notice(_Strict):
    received_file: str
    meta: Meta
    collation: list[CollationEntry]
    kept: list[Kept] = []
    omitted: list[Omitted] = []
    parts: list[Part] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_unique_and_nested(self) -> "Notice":
        seen: set[str] = set()
        for part in self.parts:
            for pid in [part.id] + [p.id for p in part.paragraphs] + [
                s.id for p in part.paragraphs for s in p.sentences
            ]:
                if pid in seen:
                    raise ValueError(f"id“{pid}”重复；每个部分、段落、句子的 id 必须唯一")
                seen.add(pid)
            for para in part.paragraphs:
                if not para.id.startswith(part.id + "-"):
                    raise ValueError(f"段落 {para.id} 不属于部分 {part.id}；段落 id 应以“{part.id}-”开头")
                for s in para.sentences:
                    if not s.id.startswith(para.id + "-"):
                        raise ValueError(f"句子 {s.id} 不属于段落 {para.id}；句子 id 应以“{para.id}-”开头")
        return self

    # ---- 便捷访问 -------------------------------------------------------
    def paragraphs(self) -> list[tuple[Part, Paragraph]]:
        return [(part, para) for part in self.parts for para in part.paragraphs]


def load_notice(path: Path, display: str | None = None) -> Notice:
    """读取并校验通知数据。"""
    return validate(Notice, load_yaml_file(path, display))


def marked_phrases(text: str) -> list[str]:
    return MARK_RE.findall(text)


def paragraph_text(para: Paragraph) -> str:
    return "".join(strip_marks(s.text) for s in para.sentences)


# ---- 英文译本 --------------------------------------------------------------------


class EnMeta(_Strict):
    issuer_mark: str
    doc_number: str
    issuer: str
    title: str
    addressees: str
    disclosure: str
    printing_office: str


class EnPart(_Strict):
    id: str
    label: str
    title: str | None = None
    sentences: dict[str, str] = Field(min_length=1)


class EnNotice(_Strict):
    """本栏目的非官方英文译本：句子 id 与中文原文一一对应。"""

    meta: EnMeta
    parts: list[EnPart]

    def sentence(self, sid: str) -> str:
        for part in self.parts:
            if sid in part.sentences:
                return " ".join(part.sentences[sid].split())
        raise KeyError(sid)

    def part(self, pid: str) -> EnPart:
        for part in self.parts:
            if part.id == pid:
                return part
        raise KeyError(pid)


def load_notice_en(path: Path, display: str | None = None) -> EnNotice:
    return validate(EnNotice, load_yaml_file(path, display))


def translation_problems(zh: Notice, en: EnNotice) -> list[str]:
    """译本与原文的结构必须一致：同样的部分、同样的句子 id，有标题的部分译出标题。"""
    problems: list[str] = []
    zh_parts = {p.id: p for p in zh.parts}
    en_parts = {p.id: p for p in en.parts}
    for pid in zh_parts.keys() - en_parts.keys():
        problems.append(f"译本缺少部分 {pid}")
    for pid in en_parts.keys() - zh_parts.keys():
        problems.append(f"译本多出原文没有的部分 {pid}")
    for pid in zh_parts.keys() & en_parts.keys():
        zp, ep = zh_parts[pid], en_parts[pid]
        zh_ids = [s.id for para in zp.paragraphs for s in para.sentences]
        en_ids = list(ep.sentences)
        if zh_ids != en_ids:
            missing = [i for i in zh_ids if i not in en_ids]
            extra = [i for i in en_ids if i not in zh_ids]
            detail = "；".join(x for x in (f"缺少 {'、'.join(missing)}" if missing else "", f"多出 {'、'.join(extra)}" if extra else "") if x)
            problems.append(f"部分 {pid} 的句子与原文不一致（{detail or '顺序不同'}）")
        if zp.title and not ep.title:
            problems.append(f"部分 {pid} 有标题，译本缺少标题译文")
    return problems


_EN_ORDINAL = {1: "1st", 2: "2nd", 3: "3rd"}


def targets_en(zh: Notice, en: EnNotice) -> list[Target]:
    """英文页面上的引用标签和预览：与 targets() 同样的 id，英文标签和译文。"""
    out: list[Target] = []
    for part in zh.parts:
        ep = en.part(part.id)
        plabel = f"Notice, {ep.label}"
        out.append(Target(part.id, plabel, ep.title or plabel, "part"))
        for i, para in enumerate(part.paragraphs, 1):
            para_label = f"{plabel}, para. {i}" if len(part.paragraphs) > 1 or part.title else plabel
            text = " ".join(en.sentence(s.id) for s in para.sentences)
            out.append(Target(para.id, para_label, text, "paragraph"))
            for j, s in enumerate(para.sentences, 1):
                out.append(Target(s.id, f"{para_label}, sentence {j}", en.sentence(s.id), "sentence"))
    return out


# ---- 引用目标（Target 与导入的公文共用，见 studycol/gongwen.py） ---------------------


def _part_label(part: Part) -> str:
    return part.label


def targets(notice: Notice) -> list[Target]:
    """通知中所有可引用的目标，按原文顺序。"""
    out: list[Target] = []
    for part in notice.parts:
        plabel = "通知" + _part_label(part)
        heading = f"{part.no}、{part.title}" if part.title else plabel
        first = paragraph_text(part.paragraphs[0])
        out.append(Target(part.id, plabel, heading if part.title else first, "part"))
        for i, para in enumerate(part.paragraphs, 1):
            para_label = f"{plabel}第{i}段" if len(part.paragraphs) > 1 or part.title else plabel
            out.append(Target(para.id, para_label, paragraph_text(para), "paragraph"))
            for j, s in enumerate(para.sentences, 1):
                out.append(Target(s.id, f"{para_label}第{j}句", strip_marks(s.text), "sentence"))
    return out


# ---- 忠实性核对 ------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FidelityReport:
    differences: list[Difference]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def print_date_text(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def disclosure_line(notice: Notice) -> str:
    return f"（信息公开形式：{notice.meta.disclosure}）"


def published_layout(notice: Notice) -> tuple[str, list[tuple[int, int, str, str | None]]]:
    """按收到文本的版式把发布稿拼成一个字符串，并返回每一段文字所属区域。

    区域表的元素是 (起, 止, 区域名, 句子 id)。
    """
    chunks: list[tuple[str, str, str | None]] = [
        (notice.meta.issuer_mark, "issuer_mark", None),
        (notice.meta.doc_number, "doc_number", None),
        (notice.meta.title, "title", None),
        (notice.meta.addressees, "addressees", None),
    ]
    for part in notice.parts:
        if part.title:
            chunks.append((f"{part.no}、{part.title}", part.id, None))
        for para in part.paragraphs:
            for k, s in enumerate(para.sentences):
                chunks.append((strip_marks(s.text), para.id, s.id))
    chunks += [
        (disclosure_line(notice), "colophon", None),
        (notice.meta.printing_office, "colophon", None),
        (print_date_text(notice.meta.print_date) + "印发", "colophon", None),
    ]
    text = ""
    spans: list[tuple[int, int, str, str | None]] = []
    prev_where: str | None = None
    for chunk, where, sid in chunks:
        if text:
            # 同一段落内的句子直接相连，其余元素之间空一行（与收到文本一致）
            sep = "" if (sid is not None and where == prev_where) else "\n\n"
            text += sep
        spans.append((len(text), len(text) + len(chunk), where, sid))
        text += chunk
        prev_where = where
    return text, spans


def received_scope(received: str, notice: Notice) -> str:
    """收到文本中与发布稿对应的部分：从发文机关标志到印发日期，空行归一。"""
    start = received.index(notice.meta.issuer_mark)
    end_marker = print_date_text(notice.meta.print_date) + "印发"
    end = received.index(end_marker) + len(end_marker)
    scope = received[start:end]
    return re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n\n", scope)


def check_fidelity(notice: Notice, received: str) -> FidelityReport:
    """逐字比对发布稿与收到文本，确认每处差异都由校勘记登记且次数相符。"""
    pub, spans = published_layout(notice)
    diffs = layout_differences(received_scope(received, notice), pub, spans)

    problems: list[str] = []
    tally: Counter[str] = Counter()
    for d in diffs:
        match = [
            c
            for c in notice.collation
            if c.received == d.received and c.published == d.published and (c.where == d.where)
        ]
        if not match:
            problems.append(
                f"未登记的差异：在 {d.sentence or d.where}，收到文本为“{d.received}”，发布稿为“{d.published}”"
                f"（上下文：{d.context}）。若这是有意的修复，请在 data/notice.yml 的 collation 中登记；否则请改回原文。"
            )
            continue
        tally[match[0].id] += 1
    for c in notice.collation:
        if tally[c.id] != c.count:
            problems.append(
                f"校勘记 {c.id}（{c.where}，“{c.received}”→“{c.published}”）登记了 {c.count} 处，实际比对出 {tally[c.id]} 处。"
            )
    return FidelityReport(diffs, problems)


def received_sentences(received: str, notice: Notice) -> list[str]:
    """收到文本正文（主送机关之后、版记之前）中的句子，已按校勘记修复标点和误入的外文。

    页面换页造成的断段（上一块不以句末标点结束）会先接回去，部分标题单独成块。
    """
    scope = received_scope(received, notice)
    start = scope.index(notice.meta.addressees.rstrip("：")) + len(notice.meta.addressees)
    end = scope.index("(信息公开形式") if "(信息公开形式" in scope else scope.index("（信息公开形式")
    body = scope[start:end].strip()
    for c in notice.collation:
        if c.where not in ("title", "colophon") and c.received != "\n\n":
            body = body.replace(c.received, c.published)
    blocks: list[str] = []
    for block in (b.strip() for b in body.split("\n\n")):
        if not block:
            continue
        heading = re.match(r"^[一二三四五六七八九十]+、", block)
        if blocks and not heading and not re.search(r"[。：]$", blocks[-1]) and not re.match(r"^[一二三四五六七八九十]+、", blocks[-1]):
            blocks[-1] += block
        else:
            blocks.append(block)
    sentences: list[str] = []
    for block in blocks:
        if re.match(r"^[一二三四五六七八九十]+、", block):
            continue
        sentences += re.findall(r"[^。：]+[。：]", block)
    return sentences


__all__ = [
    "EnNotice",
    "load_notice_en",
    "targets_en",
    "translation_problems",
    "DataError",
    "Difference",
    "FidelityReport",
    "Notice",
    "Target",
    "check_fidelity",
    "load_notice",
    "marked_phrases",
    "paragraph_text",
    "published_layout",
    "received_sentences",
    "strip_marks",
    "targets",
]
