"""题库（data/quiz/*.yml）：数据模型、读取、由通知原文生成填空题，以及逐题核对出处。

一道题不论怎样写，都必须能对上它的出处：
- 出处编号存在（通知的部分、段落、句子，或文件登记表中的文件；其他页面锚点由交叉引用在构建时解析）；
- 填空题的答案、从原文出题（from_text）的选择题的正确选项、以及 quote 中摘录的原文，都必须逐字出现在出处文字中；
- 做不到逐字核对时，题目要用 not_verbatim_reason 写明原因（例如依据的是尚未收入本栏目的外部来源）。

本模块只有纯函数和数据类，不依赖 MkDocs；studycol/steps/quiz.py 在构建时调用，tests/test_quiz.py 直接调用。
每条问题都写明文件、行号和题目编号，例如：
    data/quiz/part-4.yml:12: 题目 q-n4-ledger：单选题的答案“E”超出了选项范围（共 4 个选项，A—D）。
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
import typing
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import documents as documents_mod
from . import gongwen as gongwen_mod
from . import notice as notice_mod
from .xref import ID_RE, suggest
from .yamlsrc import DataError, SourceError, Sourced, load_yaml_file, validate, validation_errors

QType = Literal["单选", "多选", "判断", "填空"]
# 依据通知以外来源的题目的可信程度（全站统一的写法，与典型案例、术语表相同的三个说法）
Confidence = Literal["多个来源", "单一来源", "已核实"]
# 能进入综合测试和打印试卷的可信程度：通知原文的题目总是可以；外部来源的题目要有多个来源，或已经核实
PAPER_CONFIDENCE: tuple[str, ...] = ("多个来源", "已核实")
Difficulty = Literal["易", "中", "难"]
TYPES: tuple[str, ...] = ("单选", "多选", "判断", "填空")
TYPE_NAMES = {"单选": "单项选择题", "多选": "多项选择题", "判断": "判断题", "填空": "填空题"}
TYPE_CODES = {"单选": "single", "多选": "multi", "判断": "judge", "填空": "blank"}
LETTERS = "ABCDEF"
JUDGE_ANSWERS = ("正确", "错误")
BLANK_RE = re.compile(r"_{4,}")
BLANK = "____"
QID_RE = r"^q-[a-z0-9]+(?:-[a-z0-9]+)*$"
GEN_PREFIX = "q-gen-"
PAPERS_FILE = "papers.yml"

# 近似题干的判定阈值（difflib 相似度，0—1）
NEAR_DUPLICATE = 0.85

# ---- 规则编号（题库规则中带编号的，登记在这里） ---------------------------------------
RULES: dict[str, str] = {
    "QUIZ-1": "同一套测验（页面）或同一份试卷中，一道题的答案出现在另一道题的题干或选项中",
    "QUIZ-2": "通知的一句话中最多标一个 ==关键短语==（每句最多生成一道原文填空题）",
}

# 答案归一化后不足这个长度（如“五”“8”）时不查泄露：单字、单个数字在别的题中出现并不等于给出答案
LEAK_MIN_CHARS = 2

# 通知中承担任务的机关和单位的名称。题干提到某个机关，并不说明某项任务由它承担，所以这些名称作答案时，
# 只在出处相同（同一句、同一段或同一部分）的别的题中出现才算泄露：那样的题干多半就是答案所在的原句
BODIES: tuple[str, ...] = (
    "国务院安全生产委员会",
    "国务院安委会",
    "国家矿山安全监察局",
    "国家矿山安全监察局各省级局",
    "各级矿山安全监管监察部门",
    "各省级矿山安全监管部门",
    "各矿山企业",
    "矿山企业",
    "领导班子成员",
)


def tagged(message: str, rule: str) -> str:
    """给说明加上规则编号：“……（QUIZ-1）”。"""
    assert rule in RULES, rule
    return f"{message}（{rule}）"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Question(_Strict):
    """一道题。字段说明见 docs/guide/quiz.md。"""

    id: str = Field(pattern=QID_RE)
    type: QType
    stem: str = Field(min_length=1)
    options: list[str] = []
    answer: str = Field(min_length=1)
    accept: list[str] = []
    explain: str = Field(min_length=1)
    source: str = Field(min_length=1)
    provenance: str = ""
    confidence: Confidence | None = None
    difficulty: Difficulty = "中"
    tags: list[str] = []
    from_text: bool = False
    quote: list[str] = []
    not_verbatim_reason: str = ""
    fixed_order: bool = False
    distinct_from: list[str] = []

    @field_validator("quote", "accept", "tags", "distinct_from", mode="before")
    @classmethod
    def _one_or_many(cls, v: object) -> object:
        # 只有一项时可以直接写成文本，不必写成列表
        return [v] if isinstance(v, str) else v

    @property
    def answer_letters(self) -> list[str]:
        """选择题的正确选项字母（按字母顺序）。"""
        return sorted(set(self.answer.replace("、", "").replace(",", "").replace(" ", "")))

    def correct_options(self) -> list[str]:
        return [self.options[LETTERS.index(x)] for x in self.answer_letters if x in LETTERS[: len(self.options)]]


# 一套测验最多的题数：一次学习做得完；测验页面的大小因此有上限（题库再大，也是分成多套、多个页面）
MAX_SET_QUESTIONS = 100


class BankFile(_Strict):
    """一个题库文件 = 一套分部分测验（页面 docs/quiz/<文件名>.md）。"""

    title: str = Field(min_length=1)
    description: str = ""
    order: int = 0  # 在测验列表中的次序（小的在前）
    parts: list[str] = []  # 这些通知部分的关键短语生成的填空题归入本套测验
    questions: list[dict] = []


@dataclasses.dataclass(frozen=True)
class Item:
    """题库中的一道题及其位置。"""

    q: Question
    set: str  # 所属测验（题库文件名，不含扩展名）
    path: str  # 显示用的源文件路径（相对仓库根）
    line: int  # 题目起始行（id 所在行）
    generated: bool = False

    def at(self, message: str) -> SourceError:
        return SourceError(self.path, self.line, f"题目 {self.q.id}：{message}")


@dataclasses.dataclass(frozen=True)
class QuizSet:
    id: str
    title: str
    description: str
    parts: tuple[str, ...]
    path: str
    order: int = 0


@dataclasses.dataclass
class Bank:
    sets: list[QuizSet]
    items: list[Item]

    def by_set(self, set_id: str) -> list[Item]:
        return [i for i in self.items if i.set == set_id]

    def get(self, qid: str) -> Item | None:
        return next((i for i in self.items if i.q.id == qid), None)


@dataclasses.dataclass
class Report:
    errors: list[SourceError]
    warnings: list[SourceError]

    @property
    def ok(self) -> bool:
        return not self.errors


# ---- 出处文字 ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Sources:
    """可供逐字核对的出处文字（只有本栏目存有原文的通知）：编号 → 纯文本；文件登记表中的文件编号；编号的人读标签。

    文件登记表（data/documents.yml）中的说明是本栏目自己写的记录，不是来源原文，所以不拿来核对答案和摘录。
    """

    texts: dict[str, str]
    labels: dict[str, str]
    documents: frozenset[str] = frozenset()

    def known(self) -> list[str]:
        return sorted([*self.texts, *self.documents])


def _date_text(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def document_text(doc: documents_mod.Document) -> str:
    parts = [doc.short, doc.title, doc.issuer, doc.doc_number, doc.note]
    parts += [f"{_date_text(x.date)}（{x.kind}，据{x.source}）" for x in doc.dates]
    parts += [s.title for s in doc.sources]
    return "\n".join(p for p in parts if p)


def build_sources(notice: notice_mod.Notice, registry: documents_mod.Registry | None = None,
                  imported: Mapping[str, gongwen_mod.Gongwen] | None = None) -> Sources:
    """通知和导入的公文（data/gongwen/，make import 写出）的原文都可供逐字核对。"""
    texts: dict[str, str] = {}
    labels: dict[str, str] = {}
    for t in notice_mod.targets(notice):
        labels[t.id] = t.label
        texts[t.id] = t.text
    for part in notice.parts:  # 部分的文字取全部段落，而不是标题
        texts[part.id] = "".join(notice_mod.paragraph_text(p) for p in part.paragraphs)
    for gw in (imported or {}).values():
        for g in gongwen_mod.targets(gw):
            labels[g.id] = g.label
            texts[g.id] = g.text
        for gpart in gw.parts:
            texts[gpart.id] = "".join(gongwen_mod.paragraph_text(p) for p in gpart.paragraphs)
    docs: set[str] = set()
    for doc in registry.documents if registry else []:
        docs.add(doc.id)
        labels[doc.id] = doc.doc_number or doc.short
    return Sources(texts, labels, frozenset(docs))


def normalize(text: str) -> str:
    """逐字核对前的归一化：全角/半角统一（NFKC），去掉空白。"""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def contains(haystack: str, needle: str) -> bool:
    return normalize(needle) in normalize(haystack)


# ---- 读取 -------------------------------------------------------------------


def bank_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yml") if p.name != PAPERS_FILE)


def _question_errors(raw: object, src: Sourced, i: int) -> tuple[Question | None, list[SourceError]]:
    loc = ("questions", i)
    qid = raw.get("id") if isinstance(raw, dict) else None
    who = f"题目 {qid}" if isinstance(qid, str) and qid else f"第 {i + 1} 道题（缺少 id）"
    try:
        return Question.model_validate(raw), []
    except ValidationError as exc:
        errs = validation_errors(exc, src, loc)
        return None, [SourceError(e.path, e.line, f"{who}：{e.message}") for e in errs]


def load_file(path: Path, display: str) -> tuple[QuizSet, list[Item], list[SourceError]]:
    """读取一个题库文件；逐题校验字段，能读的题都读出来，问题一并返回。"""
    src = load_yaml_file(path, display)
    head = validate(BankFile, src)
    qset = QuizSet(path.stem, head.title, head.description, tuple(head.parts), display, head.order)
    items: list[Item] = []
    errors: list[SourceError] = []
    for i, raw in enumerate(head.questions):
        q, errs = _question_errors(raw, src, i)
        errors += errs
        if q is not None:
            line = src.line_of(("questions", i, "id"))
            items.append(Item(q, qset.id, display, line))
    return qset, items, errors


# ---- 由通知原文生成填空题 -----------------------------------------------------


def generated_id(sentence_id: str, phrase: str) -> str:
    """生成题的编号：句子编号 + 短语的摘要。

    只取决于句子和短语本身，所以在别处（甚至同一句中）增删标记，已有题目的编号都不变。
    """
    digest = hashlib.sha1(phrase.encode("utf-8")).hexdigest()[:6]
    return f"{GEN_PREFIX}{sentence_id}-{digest}"


def blank_out(text: str, phrase: str) -> str:
    """把句中短语的每一次出现都换成空白，免得题干中别处的同一短语泄露答案。"""
    return text.replace(phrase, BLANK)


def generate(notice: notice_mod.Notice, notice_src: Sourced, set_of_part: dict[str, str]) -> list[Item]:
    """通知中每个 ==关键短语== 生成一道填空题：题干是去掉该短语的原句，答案是短语，出处是句子。"""
    labels = {t.id: t.label for t in notice_mod.targets(notice)}
    out: list[Item] = []
    for pi, part in enumerate(notice.parts):
        qset = set_of_part.get(part.id)
        if qset is None:
            continue
        for gi, para in enumerate(part.paragraphs):
            for si, s in enumerate(para.sentences):
                plain = notice_mod.strip_marks(s.text)
                seen: set[str] = set()
                for phrase in notice_mod.marked_phrases(s.text):
                    if phrase in seen:
                        continue
                    seen.add(phrase)
                    q = Question(
                        id=generated_id(s.id, phrase),
                        type="填空",
                        stem=blank_out(plain, phrase),
                        answer=phrase,
                        explain=f"{labels[s.id]}原文：“{plain}”",
                        source=s.id,
                        difficulty="易",
                        tags=["原文填空"],
                    )
                    line = notice_src.line_of(("parts", pi, "paragraphs", gi, "sentences", si, "text"))
                    out.append(Item(q, qset, notice_src.path, line, generated=True))
    return out


# ---- 填空题的等价写法 ------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"
# 日期中的月、日和文号中的序号不换：“1月17日”“〔2024〕1号”
_SMALL_ARABIC = re.compile(r"(?<![0-9.年月〕])([1-9][0-9]?)(?![0-9.月日号])")
_SMALL_CHINESE = re.compile(r"(?<![零一二三四五六七八九十百千万亿两])([一二三四五六七八九十]{1,3})(?![零一二三四五六七八九十百千万亿])")


def _to_chinese(n: int) -> str:
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "") if n >= 10 else _CN_DIGITS[n]


def _from_chinese(text: str) -> int | None:
    for n in range(1, 100):
        if _to_chinese(n) == text:
            return n
    return None


def numeral_variants(text: str) -> list[str]:
    """“8个方面”↔“八个方面”：一两位的阿拉伯数字和中文数字互换（年份、带小数的数不换）。"""
    out = []
    arabic = _SMALL_ARABIC.sub(lambda m: _to_chinese(int(m.group(1))), text)
    if arabic != text:
        out.append(arabic)
    chinese = _SMALL_CHINESE.sub(lambda m: str(_from_chinese(m.group(1)) or m.group(1)), text)
    if chinese != text:
        out.append(chinese)
    return out


def with_equivalents(item: Item, synonyms: Iterable[tuple[str, ...]] = ()) -> Item:
    """给填空题补上等价写法：中文数字和阿拉伯数字互换，以及术语表中同一术语的别称（答案恰好是某个术语或别称时）。

    补上的写法和编辑写的 accept 一样参加核对：也不能出现在别的题里（QUIZ-1）。
    """
    q = item.q
    if q.type != "填空":
        return item
    have = [q.answer, *q.accept]
    extra: list[str] = []
    for a in have:
        extra += numeral_variants(a)
        for names in synonyms:
            if normalize(a) in {normalize(n) for n in names}:
                extra += names
    seen = {normalize(a) for a in have}
    added = []
    for a in extra:
        if normalize(a) not in seen:
            seen.add(normalize(a))
            added.append(a)
    if not added:
        return item
    return dataclasses.replace(item, q=q.model_copy(update={"accept": [*q.accept, *added]}))


# ---- 整个题库 -----------------------------------------------------------------


def load_bank(
    directory: Path,
    notice: notice_mod.Notice,
    notice_src: Sourced,
    display_dir: str = "data/quiz",
    synonyms: Iterable[tuple[str, ...]] = (),
) -> tuple[Bank, list[SourceError]]:
    """读取目录中的全部题库文件，并加入由通知生成的填空题；填空题补上等价写法（with_equivalents）。
    返回题库和读取时发现的问题。"""
    sets: list[QuizSet] = []
    items: list[Item] = []
    errors: list[SourceError] = []
    for path in bank_files(directory):
        try:
            qset, file_items, errs = load_file(path, f"{display_dir}/{path.name}")
        except DataError as exc:
            errors += exc.errors
            continue
        sets.append(qset)
        items += file_items
        errors += errs
    part_ids = [p.id for p in notice.parts]
    set_of_part: dict[str, str] = {}
    for qset in sets:
        for pid in qset.parts:
            if pid not in part_ids:
                errors.append(SourceError(qset.path, 1, f"parts 中的“{pid}”不是通知的部分编号；可用的有：{'、'.join(part_ids)}。"))
            elif pid in set_of_part:
                errors.append(
                    SourceError(qset.path, 1, f"通知部分 {pid} 已归入测验“{set_of_part[pid]}”；每个部分只能归入一套测验。")
                )
            else:
                set_of_part[pid] = qset.id
    if sets:
        for pid in part_ids:
            if pid not in set_of_part:
                errors.append(
                    SourceError(
                        f"{display_dir}/", 1,
                        f"通知部分 {pid} 没有归入任何一套测验：请在某个题库文件的 parts 中加上“{pid}”，"
                        "否则该部分关键短语生成的填空题无处显示。",
                    )
                )
    items += generate(notice, notice_src, set_of_part)
    groups = [tuple(g) for g in synonyms]
    items = [with_equivalents(i, groups) for i in items]
    counts = Counter(i.set for i in items)
    for qset in sets:
        if counts[qset.id] > MAX_SET_QUESTIONS:
            errors.append(
                SourceError(
                    qset.path, 1,
                    f"这套测验有 {counts[qset.id]} 道题（含由通知关键短语生成的填空题），超过 {MAX_SET_QUESTIONS} 道："
                    "一次学习做不完，页面也会过大。请按内容拆成几个题库文件（每个文件是一套测验，各配一个页面）。",
                )
            )
    sets.sort(key=lambda s: (s.order, s.id))
    rank = {s.id: k for k, s in enumerate(sets)}
    items.sort(key=lambda i: (rank.get(i.set, len(rank)), i.generated))  # 稳定排序：同一套内保持文件中的次序
    return Bank(sets, items), errors


# ---- 逐题核对 -------------------------------------------------------------------


def _check_options(item: Item) -> list[SourceError]:
    q = item.q
    errs: list[SourceError] = []
    if q.type in ("单选", "多选"):
        n = len(q.options)
        if not 2 <= n <= 6:
            errs.append(item.at(f"{q.type}题要有 2—6 个选项，现有 {n} 个。"))
        seen: dict[str, int] = {}
        for k, opt in enumerate(q.options):
            key = normalize(opt)
            if not key:
                errs.append(item.at(f"选项 {LETTERS[k] if k < 6 else k + 1} 是空的。"))
            elif key in seen:
                errs.append(item.at(f"选项 {LETTERS[seen[key]]} 和选项 {LETTERS[k] if k < 6 else k + 1} 相同；选项不能重复。"))
            else:
                seen[key] = k
    elif q.options:
        errs.append(item.at(f"{q.type}题不设选项；请删除 options。"))
    return errs


def _check_answer(item: Item) -> list[SourceError]:
    q = item.q
    errs: list[SourceError] = []
    if q.type in ("单选", "多选"):
        raw = re.sub(r"[、,，\s]", "", q.answer)
        n = min(len(q.options), 6)
        valid = LETTERS[:n]
        bad = [c for c in raw if c not in valid]
        if bad or not raw:
            rng = f"A—{valid[-1]}" if valid else "无"
            errs.append(item.at(f"{q.type}题的答案“{q.answer}”超出了选项范围（共 {n} 个选项，{rng}）；答案写选项字母，如 B 或 ACD。"))
            return errs
        if len(set(raw)) != len(raw):
            errs.append(item.at(f"答案“{q.answer}”中有重复的字母。"))
        if q.type == "单选" and len(set(raw)) != 1:
            errs.append(item.at(f"单选题只能有一个正确答案，现为“{q.answer}”；若有多个正确选项，请把题型改为多选。"))
        if q.type == "多选" and len(set(raw)) < 2:
            errs.append(item.at(f"多选题至少要有 2 个正确答案，现为“{q.answer}”；只有一个正确选项时请改为单选。"))
    elif q.type == "判断":
        if q.answer not in JUDGE_ANSWERS:
            errs.append(item.at(f"判断题的答案只能是“正确”或“错误”，现为“{q.answer}”。"))
    elif q.type == "填空":
        if not BLANK_RE.search(q.stem):
            errs.append(item.at(f"填空题的题干中没有空白；请在要填的位置写 {BLANK}（至少 4 个下划线）。"))
        for ans in [q.answer, *q.accept]:
            if contains(BLANK_RE.sub("", q.stem), ans):
                errs.append(item.at(f"答案“{ans}”已经出现在题干中，等于把答案告诉了答题人；请改写题干。"))
    if re.search(r"[（(][ \t]*[）)]|\([\u3000]*\)", q.stem):
        errs.append(item.at("题干中的括号空位请写成全角括号加两个全角空格“（　　）”，屏幕和打印稿上宽度才一致。"))
    if q.type != "填空" and BLANK_RE.search(q.stem):
        errs.append(item.at(f"题干中的 {BLANK} 只用于填空题；选择题和判断题请用“（　　）”或直接提问。"))
    return errs


def _check_fields(item: Item) -> list[SourceError]:
    q = item.q
    errs: list[SourceError] = []
    if q.accept and q.type != "填空":
        errs.append(item.at("accept（其他可接受的答案）只用于填空题。"))
    if q.from_text and q.type not in ("单选", "多选"):
        errs.append(item.at("from_text 只用于单选题和多选题（填空题总是核对原文）；判断题请用 quote 摘录依据。"))
    if q.fixed_order and q.type not in ("单选", "多选"):
        errs.append(item.at("fixed_order（保持选项顺序）只用于选择题。"))
    return errs


def _check_external(item: Item) -> list[SourceError]:
    """依据通知以外来源的题目：写明来源（provenance）和可信程度（confidence）。"""
    errs: list[SourceError] = []
    if not item.q.provenance.strip():
        errs.append(item.at("出处不是通知原文，要在 provenance 中写明依据的来源（原发布机关或媒体、标题、日期）。"))
    if item.q.confidence is None:
        errs.append(item.at(f"出处不是通知原文，要写 confidence（可信程度）：{'、'.join(typing.get_args(Confidence))}之一。"))
    for host in _HOST_RE.findall(item.q.provenance):
        if not host.lower().endswith(".gov.cn"):
            errs.append(
                item.at(
                    f"provenance 会显示在测验页面上，其中的“{host}”不是官方网站的域名：公开页面只写原发布机关或媒体、标题和日期，"
                    "转载页、镜像页的网址留在事实底稿中。"
                )
            )
    return errs


# provenance 中的网址或域名（如 qntz.me、www.example.com/…）
_HOST_RE = re.compile(r"(?<![A-Za-z0-9.-])((?:[a-z0-9-]+\.)+(?:com|cn|net|org|me|top|asia|info))(?![A-Za-z0-9-])", re.I)


def paper_eligible(item: Item) -> bool:
    """能否进入综合测试和打印试卷：通知原文的题目可以；外部来源的题目要“多个来源”或“已核实”。"""
    if _source_kind(item.q.source) == "notice":
        return True
    return item.q.confidence in PAPER_CONFIDENCE


def _source_kind(ref: str) -> str:
    if notice_mod.SENTENCE_ID_RE.match(ref) or re.fullmatch(r"n\d+(?:-\d+)?", ref):
        return "notice"
    if ref.startswith("doc-"):
        return "doc"
    return "anchor"


def _check_source(item: Item, sources: Sources) -> list[SourceError]:
    """出处存在，答案能在出处文字中逐字找到（或写明了为什么不能）。"""
    q = item.q
    errs: list[SourceError] = []
    kind = _source_kind(q.source)
    if kind == "anchor" and q.source in sources.texts:
        kind = "imported"  # 导入的公文中的句子、段落或部分：与通知一样逐字核对
    if kind == "anchor" and not ID_RE.match(q.source):
        return [item.at(f"出处“{q.source}”的编号格式不对：只能由英文字母、数字、连字符组成（可写成 页面.md#编号）。")]
    if kind == "doc" and q.source in sources.documents:
        errs += _check_external(item)
        if q.quote:
            errs.append(
                item.at(
                    f"摘录（quote）不能拿文件登记表核对：登记表中的说明是本栏目自己写的记录，不是“{sources.labels.get(q.source, q.source)}”的原文。"
                    "请删去 quote，用 not_verbatim_reason 写明依据，并在 provenance 中写明来源。"
                )
            )
            return errs
    elif kind in ("notice", "doc") and q.source not in sources.texts:
        hint = suggest(q.source, sources.known())
        tail = f"最接近的有效编号：{'、'.join(hint)}。" if hint else "请检查拼写。"
        what = "通知中没有" if kind == "notice" else "文件登记表（data/documents.yml）中没有"
        return [item.at(f"出处“{q.source}”找不到：{what}这个编号。{tail}")]
    text = sources.texts.get(q.source)
    label = sources.labels.get(q.source, q.source)
    reason = q.not_verbatim_reason.strip()

    needs: list[tuple[str, str]] = []  # (说明, 要在出处中找到的文字)
    if q.type == "填空":
        needs.append(("答案", q.answer))
    if q.from_text and q.type in ("单选", "多选"):
        for letter, opt in zip(q.answer_letters, q.correct_options(), strict=False):
            needs.append((f"正确选项 {letter}", opt))
    quote_needs = [("摘录（quote）", s) for s in q.quote]

    # quote 是编辑主动摘录的原文：无论有没有写 not_verbatim_reason，都必须能找到
    if quote_needs and text is None:
        pool = "\n".join(sources.texts.values())
        for what, s in quote_needs:
            if not contains(pool, s):
                errs.append(item.at(f"{what}“{s}”在通知和文件登记表中都找不到；请逐字摘录，或删去 quote 并写明 not_verbatim_reason。"))
    else:
        for what, s in quote_needs:
            if not contains(text or "", s):
                errs.append(item.at(f"{what}“{s}”不在出处（{label}）的文字中；请逐字摘录原文，或改正出处。"))

    if reason:
        return errs
    if needs and text is None:
        errs.append(
            item.at(
                f"出处“{q.source}”是页面锚点，无法逐字核对{needs[0][0]}；请改用通知或文件编号作出处，"
                "或用 not_verbatim_reason 说明依据。"
            )
        )
        return errs
    for what, s in needs:
        if not contains(text or "", s):
            errs.append(
                item.at(
                    f"{what}“{s}”不在出处（{label}）的文字中。请核对答案和出处；"
                    "确实不能逐字对应时，用 not_verbatim_reason 写明原因。"
                )
            )
    if not needs and not q.quote and not q.from_text:
        if kind != "notice":
            errs.append(
                item.at(
                    f"出处“{q.source}”不是通知原文，题目必须说明依据：用 quote 逐字摘录出处中的文字，"
                    "或用 not_verbatim_reason 写明依据的来源和不能逐字核对的原因。"
                )
            )
        else:
            errs.append(
                item.at(
                    "这道题没有可以核对的依据：请用 quote 摘录出处中支持答案的原文"
                    "（选项取自原文的选择题也可写 from_text: true）。"
                )
            )
    return errs


def _stem_key(item: Item) -> str:
    return normalize(re.sub(r"[^\w]", "", BLANK_RE.sub("□", item.q.stem)))


def duplicate_problems(items: list[Item], threshold: float = NEAR_DUPLICATE) -> tuple[list[SourceError], list[SourceError]]:
    """题干相同（错误）或相近（警告）。填空题只在答案也相同时才算重复：同一句原文挖不同的空是不同的题。"""
    errors: list[SourceError] = []
    warnings: list[SourceError] = []
    keys = [_stem_key(i) for i in items]
    counts = [Counter(k) for k in keys]
    sets = [frozenset(k) for k in keys]
    repeats = [len(k) - len(ks) for k, ks in zip(keys, sets, strict=True)]
    # 两两比较的题目对数随题量平方增长。SequenceMatcher 的相似度不超过 2×较短长度÷两者长度之和
    # （real_quick_ratio）：按题干长度排序后，每道题只需与长度相近的题比较，其余的题对不可能相同或相似。
    # 再用字符计数的上界（quick_ratio）筛一遍，只有通过的才算精确的相似度。题对按原来的顺序处理，
    # 结果（包括顺序）与逐对计算相同
    by_len = sorted(range(len(items)), key=lambda i: len(keys[i]))
    pairs: list[tuple[int, int]] = []
    for pos, i in enumerate(by_len):
        li = len(keys[i])
        for j in by_len[pos + 1 :]:
            lj = len(keys[j])
            if lj != li and 2.0 * li / (li + lj) < threshold:
                break  # 后面的题干更长，更不可能相似
            pairs.append((i, j) if i < j else (j, i))
    pairs.sort()
    for a, b in pairs:
        ia, ib = items[a], items[b]
        if ia.q.type == "填空" and ib.q.type == "填空" and normalize(ia.q.answer) != normalize(ib.q.answer):
            continue
        if ib.q.id in ia.q.distinct_from or ia.q.id in ib.q.distinct_from:
            continue
        ka, kb = keys[a], keys[b]
        if ka == kb:
            errors.append(ib.at(f"题干与 {ia.q.id}（{ia.path}:{ia.line}）相同；请删除其中一道，或改写题干。"))
            continue
        total = len(ka) + len(kb)
        # quick_ratio 的更粗的上界，只用集合运算（C 实现）：共有字符数不超过共有的字种数加上较少的重复字数
        if 2.0 * (len(sets[a] & sets[b]) + min(repeats[a], repeats[b])) / total < threshold:
            continue
        if 2.0 * sum((counts[a] & counts[b]).values()) / total < threshold:
            continue  # quick_ratio
        ratio = difflib.SequenceMatcher(None, ka, kb, autojunk=False).ratio()
        if ratio >= threshold:
            warnings.append(
                ib.at(
                    f"题干与 {ia.q.id}（{ia.path}:{ia.line}）高度相似（相似度 {ratio:.0%}）。"
                    f"若确是不同的题，请在其中一道题写 distinct_from: [{ia.q.id}]。"
                )
            )
    return errors, warnings


# ---- 答案泄露（QUIZ-1）和每句一空（QUIZ-2） -------------------------------------------------


def answer_texts(q: Question) -> list[str]:
    """答题人要自己想出来的文字：填空题的答案和其他可接受的写法，选择题的正确选项。判断题没有这样的文字。"""
    if q.type == "填空":
        return [q.answer, *q.accept]
    if q.type in ("单选", "多选"):
        return q.correct_options()
    return []


def _shown_texts(q: Question) -> list[tuple[str, str]]:
    """一道题在页面上给答题人看到的文字：(哪里, 文字)。"""
    out = [("题干", BLANK_RE.sub("", q.stem))]
    out += [(f"选项 {LETTERS[k]}", opt) for k, opt in enumerate(q.options[: len(LETTERS)])]
    return out


def _same_basis(a: str, b: str) -> bool:
    """两个出处编号是否指向通知的同一处：相同，或一个包含另一个（部分 n4 包含段 n4-1 和句 n4-1-2）。"""
    return a == b or b.startswith(a + "-") or a.startswith(b + "-")


def leak_problems(items: list[Item], where: str) -> list[SourceError]:
    """同一组题（一套测验、一份试卷）中，一道题的答案出现在另一道题的题干或选项中（QUIZ-1）。

    填空题的答案出现在别的题的题干或选项中都算泄露；选择题的正确选项只在别的题的题干中出现才算
    （别的题把它列为选项，并不说明它是对的）。问题记在答案被泄露的题目上，写明另一道题的编号、文件和行号。
    """
    out: list[SourceError] = []
    shown = [[(w, normalize(t)) for w, t in _shown_texts(i.q)] for i in items]
    bodies = {normalize(b) for b in BODIES}
    for a, x in enumerate(items):
        for ans in dict.fromkeys(answer_texts(x.q)):
            key = normalize(ans)
            if len(key) < LEAK_MIN_CHARS:
                continue
            for b, y in enumerate(items):
                if b == a or (key in bodies and not _same_basis(x.q.source, y.q.source)):
                    continue
                hits = [w for w, t in shown[b] if key in t and (x.q.type == "填空" or w == "题干")]
                if hits:
                    out.append(
                        x.at(
                            tagged(
                                f"答案“{ans}”出现在{where}中另一道题 {y.q.id}（{y.path}:{y.line}）的{'、'.join(hits)}里，"
                                "答题人看了那道题就知道答案；请改写其中一道题，或把两道题分到不同的测验中",
                                "QUIZ-1",
                            )
                        )
                    )
    return out


def set_leak_problems(bank: Bank) -> list[SourceError]:
    """每一套测验（一个测验页面显示整套题，含由通知生成的填空题）中的答案泄露。"""
    out: list[SourceError] = []
    for qset in bank.sets:
        out += leak_problems(bank.by_set(qset.id), f"测验“{qset.title}”")
    return out


def mark_problems(notice: notice_mod.Notice, notice_src: Sourced) -> list[SourceError]:
    """一句话中标了不止一个关键短语（QUIZ-2）：同一句原文会成为好几道题的题干，互相泄露答案。"""
    out: list[SourceError] = []
    for pi, part in enumerate(notice.parts):
        for gi, para in enumerate(part.paragraphs):
            for si, s in enumerate(para.sentences):
                phrases = list(dict.fromkeys(notice_mod.marked_phrases(s.text)))
                if len(phrases) > 1:
                    line = notice_src.line_of(("parts", pi, "paragraphs", gi, "sentences", si, "text"))
                    out.append(
                        SourceError(
                            notice_src.path, line,
                            tagged(
                                f"句子 {s.id} 标了 {len(phrases)} 个关键短语（{'、'.join(phrases)}），"
                                "会生成题干相同的几道填空题；每句只留一个 ==关键短语==，其余要点请另写题目",
                                "QUIZ-2",
                            ),
                        )
                    )
    return out


def coverage_problems(bank: Bank, notice: notice_mod.Notice, notice_src: Sourced) -> list[SourceError]:
    """通知的每一段都应至少有一道题（引用该段或其中的句子）。"""
    cited = set()
    for item in bank.items:
        m = re.match(r"^(n\d+-\d+)", item.q.source)
        if m:
            cited.add(m.group(1))
        elif re.fullmatch(r"n\d+", item.q.source):
            cited.update(p.id for part in notice.parts if part.id == item.q.source for p in part.paragraphs)
    labels = {t.id: t.label for t in notice_mod.targets(notice)}
    out = []
    for pi, part in enumerate(notice.parts):
        for gi, para in enumerate(part.paragraphs):
            if para.id not in cited:
                line = notice_src.line_of(("parts", pi, "paragraphs", gi, "id"))
                out.append(
                    SourceError(notice_src.path, line, f"{labels[para.id]}（{para.id}）还没有任何题目；请在题库中为它出题。")
                )
    return out


def verify(bank: Bank, sources: Sources, *, coverage_of: tuple[notice_mod.Notice, Sourced] | None = None) -> Report:
    """核对整个题库；返回错误（构建失败）和警告（严格模式下同样失败）。"""
    errors: list[SourceError] = []
    warnings: list[SourceError] = []
    first: dict[str, Item] = {}
    for item in bank.items:
        q = item.q
        if q.id in first:
            other = first[q.id]
            errors.append(item.at(f"编号与 {other.path}:{other.line} 的题目重复；题目编号全站唯一，请换一个新编号。"))
        else:
            first[q.id] = item
        if not item.generated and q.id.startswith(GEN_PREFIX):
            errors.append(item.at(f"编号前缀“{GEN_PREFIX}”留给由通知原文自动生成的题目；请换一个编号。"))
        errors += _check_options(item)
        errors += _check_answer(item)
        errors += _check_fields(item)
        errors += _check_source(item, sources)
        for other_id in q.distinct_from:
            if other_id not in {i.q.id for i in bank.items}:
                errors.append(item.at(f"distinct_from 中的“{other_id}”不是题库中的题目编号。"))
    dup_errors, dup_warnings = duplicate_problems(bank.items)
    errors += set_leak_problems(bank)
    errors += dup_errors
    warnings += dup_warnings
    if coverage_of is not None:
        warnings += coverage_problems(bank, *coverage_of)
    return Report(errors, warnings)


def check_directory(
    directory: Path,
    notice_path: Path,
    documents_path: Path,
    *,
    display_dir: str = "data/quiz",
    notice_display: str = "data/notice.yml",
    documents_display: str = "data/documents.yml",
    synonyms: Iterable[tuple[str, ...]] = (),
    imported: Mapping[str, gongwen_mod.Gongwen] | None = None,
) -> tuple[Bank, Sources, Report]:
    """读取并核对一个题库目录（构建和 make check 共用的入口）。synonyms：术语表中每个术语的全部名称。"""
    notice_src = load_yaml_file(notice_path, notice_display)
    notice = validate(notice_mod.Notice, notice_src)
    registry = documents_mod.load_documents(documents_path, documents_display)
    sources = build_sources(notice, registry, imported)
    bank, load_errors = load_bank(directory, notice, notice_src, display_dir, synonyms)
    report = verify(bank, sources, coverage_of=(notice, notice_src))
    report.errors[:0] = load_errors + mark_problems(notice, notice_src)
    return bank, sources, report


def set_title(bank: Bank, set_id: str) -> str:
    """题目所属测验的标题（测验结果按部分汇总时显示）。"""
    return next((s.title for s in bank.sets if s.id == set_id), set_id)


def counts_by_type(items: Iterable[Item]) -> dict[str, int]:
    out = {t: 0 for t in TYPES}
    for i in items:
        out[i.q.type] += 1
    return out


__all__ = [
    "Bank",
    "BankFile",
    "Item",
    "Question",
    "QuizSet",
    "Report",
    "Sources",
    "build_sources",
    "check_directory",
    "contains",
    "counts_by_type",
    "duplicate_problems",
    "generate",
    "generated_id",
    "leak_problems",
    "load_bank",
    "mark_problems",
    "normalize",
    "numeral_variants",
    "paper_eligible",
    "set_title",
    "verify",
    "with_equivalents",
]
