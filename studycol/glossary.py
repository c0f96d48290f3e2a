"""术语表（data/glossary.yml）：数据模型、与通知原文的核对，以及页面上“术语首次出现处显示解释”。

文件结构（搜索词典也读它）：
    terms:
      - id: term-…          编号，一经发布不改不删
        term: 台账化管理     术语
        aliases: [台账]      别称、简称（可空）；页面上出现别称也视为出现了该术语
        category: 通知用语 / 相关工作用语
        explanation: …      用自己的话写的浅白解释（纯文字，不写 [[…]]）
        sources: [...]      出处：通知句子（notice）、登记的文件（doc）或事实底稿中的来源（title、url……）
        related: [term-…]   相关术语（可空）
        mark: true          是否在内容页面上首次出现时显示解释（默认是）
        term_en: …          英文术语（可空；英文版术语页和英文页面的首次出现处使用）
        explanation_en: …   英文解释（与 term_en 同时写或同时不写；纯文字，以英文句号结尾）
        explanation_en_from: …  写英文解释时所依据的中文解释的指纹（fingerprint()，8 位十六进制）。
                            中文解释改动后指纹对不上，英文版术语页和翻译状态页标出这条译文需要更新

本模块只有纯函数和数据类，不依赖 MkDocs。
"""

from __future__ import annotations

import dataclasses
import hashlib
import html as html_mod
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Literal

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import xref
from .notice import Notice, strip_marks
from .verification import Verification
from .yamlsrc import DataError, SourceError, Sourced, load_yaml_file, repeated, validate

CATEGORIES: tuple[str, ...] = ("通知用语", "相关工作用语")
CATEGORY_TITLES = {"通知用语": "通知中的用语", "相关工作用语": "《硬措施》和相关工作中的用语"}
CATEGORY_IDS = {"通知用语": "gl-notice", "相关工作用语": "gl-related"}
SOURCE_TYPES = ("官方网站", "政府网站镜像", "媒体转载", "媒体报道", "文档分享网站", "行业网站", "法规数据库")
CONFIDENCE = ("多个来源", "单一来源", "存疑")
# 英文版术语页用的说法
CATEGORY_TITLES_EN = {"通知用语": "Terms used in the notice", "相关工作用语": "Terms from the Hard Measures and related work"}
SOURCE_TYPES_EN = {
    "官方网站": "official website",
    "政府网站镜像": "mirror of a government website",
    "媒体转载": "reprint by a media outlet",
    "媒体报道": "media report",
    "文档分享网站": "document-sharing website",
    "行业网站": "industry website",
    "法规数据库": "legal database",
}
CONFIDENCE_EN = {"多个来源": "multiple sources", "单一来源": "single source", "存疑": "doubtful"}

_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_FULL_WIDTH_PUNCT = re.compile(r"[，。；：？！（）、《》〔〕【】]")  # 弯引号英文也用，不算
_HALF_WIDTH_PUNCT = re.compile(r"[\u4e00-\u9fff》）”][,;:?!()]|[,;:?!()][\u4e00-\u9fff《（“]")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """一条出处：通知句子、登记的文件，或事实底稿中的一个来源（四项必填）。"""

    notice: str | None = Field(default=None, pattern=r"^n\d+-\d+(?:-\d+)?$")
    doc: str | None = Field(default=None, pattern=r"^doc-[a-z0-9-]+$")
    title: str | None = None
    url: str | None = None
    type: Literal[SOURCE_TYPES] | None = None  # type: ignore[valid-type]
    confidence: Literal[CONFIDENCE] | None = None  # type: ignore[valid-type]
    supports: str | None = None

    @field_validator("url")
    @classmethod
    def _https(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith("https://"):
            raise ValueError("来源网址要写完整，以 https:// 开头")
        return v

    @model_validator(mode="after")
    def _one_kind(self) -> "Source":
        fact_fields = (self.title, self.url, self.type, self.confidence, self.supports)
        kinds = [self.notice is not None, self.doc is not None, any(f is not None for f in fact_fields)]
        if sum(kinds) != 1:
            raise ValueError("每条出处只写一种：notice（通知句子编号）、doc（文件编号），或事实底稿中的来源（title、url、type、confidence、supports）")
        if kinds[2] and not all(f for f in fact_fields):
            raise ValueError("事实底稿中的来源要写齐 title、url、type（来源类型）、confidence（可信度）和 supports（该来源支持的事实）")
        return self

    @property
    def kind(self) -> str:
        return "notice" if self.notice else "doc" if self.doc else "fact"


def fingerprint(text: str) -> str:
    """一段中文解释的指纹：空白归并后取 SHA-256 的前 8 位十六进制。只用来发现“中文改过、译文没跟上”。"""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


class Term(_Strict):
    id: str = Field(pattern=r"^term-[a-z0-9]+(?:-[a-z0-9]+)*$")
    term: str = Field(min_length=2, max_length=24)
    aliases: tuple[str, ...] = ()
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    explanation: str = Field(min_length=10, max_length=400)
    sources: tuple[Source, ...] = Field(min_length=1)
    related: tuple[str, ...] = ()
    mark: bool = True
    term_en: str | None = Field(default=None, min_length=2, max_length=60)
    explanation_en: str | None = Field(default=None, min_length=20, max_length=700)
    explanation_en_from: str | None = None
    verification: Verification | None = None  # 与官方原文核对的记录；出处全是通知句子的术语不需要

    @field_validator("explanation_en_from", mode="before")
    @classmethod
    def _fingerprint_form(cls, v: object) -> object:
        if v is not None and not (isinstance(v, str) and re.fullmatch(r"[0-9a-f]{8}", v)):
            raise ValueError(
                "explanation_en_from 应是带引号的 8 位十六进制指纹（如 \"3a5f0a04\"）；不知道该写什么时先删去这一行，构建报错时会给出应写的值"
            )
        return v

    @field_validator("term_en")
    @classmethod
    def _latin_term(cls, v: str | None) -> str | None:
        if v is not None and (_HAN_RE.search(v) or _FULL_WIDTH_PUNCT.search(v)):
            raise ValueError("英文术语 term_en 只写英文，不要写汉字或全角标点；页面会自动在它后面附上中文术语")
        return v

    @field_validator("explanation_en")
    @classmethod
    def _plain_en(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if "[[" in v or "<" in v:
            raise ValueError("英文解释 explanation_en 要写成纯文字，不要写 [[…]] 引用或 HTML 标签")
        m = _FULL_WIDTH_PUNCT.search(v)
        if m:
            raise ValueError(f"英文解释 explanation_en 中有全角标点“{m.group(0)}”；英文句子请用半角标点")
        if not v.rstrip("\"'”’)").endswith("."):
            raise ValueError("英文解释 explanation_en 应是完整的英文句子，以句号“.”结尾")
        return v

    @model_validator(mode="after")
    def _en_pair(self) -> "Term":
        if (self.term_en is None) != (self.explanation_en is None):
            raise ValueError("term_en（英文术语）和 explanation_en（英文解释）要同时填写；只有其中一项时，英文页面无法显示")
        if self.explanation_en is not None and self.explanation_en_from is None:
            raise ValueError(
                f'写了英文解释，还要注明它译自哪一版中文解释：加一行 explanation_en_from: "{fingerprint(self.explanation)}"'
                "（当前中文解释的指纹，带引号）。以后中文解释改动，英文版会标出这条译文需要更新"
            )
        if self.explanation_en is None and self.explanation_en_from is not None:
            raise ValueError("没有英文解释时不要写 explanation_en_from；请删去这一行")
        return self

    @property
    def has_en(self) -> bool:
        return self.term_en is not None

    @property
    def en_outdated(self) -> bool:
        """英文解释写成之后，中文解释又改过（指纹对不上）。"""
        return self.explanation_en is not None and self.explanation_en_from != fingerprint(self.explanation)

    @field_validator("explanation")
    @classmethod
    def _plain(cls, v: str) -> str:
        if "[[" in v:
            raise ValueError("解释要写成纯文字，不要写 [[…]] 引用；出处请写在 sources 中")
        m = _HALF_WIDTH_PUNCT.search(v)
        if m:
            raise ValueError(f"解释中有半角标点“{m.group(0)}”；中文句子请用全角标点")
        if not v.endswith(("。", "”", "）")):
            raise ValueError("解释应是完整的句子，以句号结尾")
        return v

    @field_validator("aliases")
    @classmethod
    def _short_aliases(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for a in v:
            if len(a) < 2:
                raise ValueError(f"别称“{a}”太短；一个字的别称会在页面上误配")
        return v

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


class Glossary(_Strict):
    terms: list[Term] = Field(min_length=1)

    def by_id(self) -> dict[str, Term]:
        return {t.id: t for t in self.terms}


@dataclasses.dataclass(frozen=True)
class LoadedGlossary:
    glossary: Glossary
    source: Sourced

    def line(self, index: int, *field: str | int) -> int:
        return self.source.line_of(("terms", index, *field))


def parse_glossary(src: Sourced) -> LoadedGlossary:
    """校验术语表；编号重复、同一个词属于两个术语、相关术语不存在时，报出所在行。"""
    loaded = LoadedGlossary(validate(Glossary, src), src)
    problems = repeated(
        src.path, [(t.id, loaded.line(i, "id")) for i, t in enumerate(loaded.glossary.terms)],
        lambda v, first: f"术语编号“{v}”与第 {first} 行重复",
    )
    names: dict[str, str] = {}
    for i, t in enumerate(loaded.glossary.terms):
        for name in t.names:
            if name in names and names[name] != t.id:
                problems.append(
                    SourceError(src.path, loaded.line(i, "term"), f"“{name}”已经属于术语 {names[name]}；一个词只能属于一个术语")
                )
            names.setdefault(name, t.id)
    en_names: dict[str, str] = {}
    for i, t in enumerate(loaded.glossary.terms):
        if t.term_en is None:
            continue
        key = t.term_en.casefold()
        if key in en_names:
            problems.append(
                SourceError(src.path, loaded.line(i, "term_en"), f"英文术语“{t.term_en}”已经属于术语 {en_names[key]}；每个术语的英文名称要不同")
            )
        en_names.setdefault(key, t.id)
    ids = {t.id for t in loaded.glossary.terms}
    for i, t in enumerate(loaded.glossary.terms):
        for j, r in enumerate(t.related):
            line = loaded.line(i, "related", j)
            if r == t.id:
                problems.append(SourceError(src.path, line, f"{t.id} 的相关术语不能是它自己"))
            elif r not in ids:
                problems.append(SourceError(src.path, line, f"{t.id} 的相关术语“{r}”不存在；请检查编号"))
    if problems:
        raise DataError(problems)
    return loaded


def load_glossary(path: Path, display: str = "data/glossary.yml") -> LoadedGlossary:
    """读取并校验术语表。"""
    return parse_glossary(load_yaml_file(Path(path), display))


def check_sources(loaded: LoadedGlossary, notice: Notice, doc_ids: Iterable[str]) -> list[SourceError]:
    """出处核对：通知编号存在且该句确实用到了这个术语（或其别称）；文件编号已登记。"""
    texts: dict[str, str] = {}
    for part in notice.parts:
        for para in part.paragraphs:
            texts[para.id] = "".join(strip_marks(s.text) for s in para.sentences)
            for s in para.sentences:
                texts[s.id] = strip_marks(s.text)
    docs = set(doc_ids)
    path = loaded.source.path
    problems: list[SourceError] = []
    for i, t in enumerate(loaded.glossary.terms):
        for j, src in enumerate(t.sources):
            line = loaded.line(i, "sources", j)
            if src.notice:
                if src.notice not in texts:
                    problems.append(SourceError(path, line, f"术语 {t.id} 的出处“{src.notice}”在通知中不存在"))
                elif not any(n in texts[src.notice] for n in t.names):
                    problems.append(
                        SourceError(
                            path, line,
                            f"术语“{t.term}”（及其别称）没有出现在通知 {src.notice} 中；出处应指向实际使用这个词的句子",
                        )
                    )
            elif src.doc and src.doc not in docs:
                problems.append(SourceError(path, line, f"术语 {t.id} 的出处“{src.doc}”没有在 data/documents.yml 中登记"))
    return problems


def load_and_check(path: Path, notice: Notice, doc_ids: Iterable[str], display: str = "data/glossary.yml") -> LoadedGlossary:
    loaded = load_glossary(path, display)
    problems = check_sources(loaded, notice, doc_ids)
    if problems:
        raise DataError(problems)
    return loaded


# ---- 术语表页面 -------------------------------------------------------------------


def list_context(loaded: LoadedGlossary, lang: str = "zh", zh_href: str = "") -> dict:
    """术语表页面（<!-- glossary:list -->）的模板上下文。

    出处写成 [[编号|…|src:文件:行]]，由交叉引用一步解析；事实底稿中的来源由模板逐条列出。
    英文页面（lang == "en"）用英文类别名、来源类型和可信程度；文件出处的登记名称只有中文，标上 lang="zh"；
    zh_href 是同一页面的中文版地址（英文页面说明“各来源支持哪项事实”见中文版）。
    """
    terms = loaded.glossary.terms
    display = loaded.source.path

    def source_refs(index: int) -> list[str | Markup]:
        refs = []
        for j, s in enumerate(terms[index].sources):
            if s.kind == "fact":
                continue
            ref = xref.markup(s.notice or s.doc or "", None, src=display, line=loaded.line(index, "sources", j))
            if lang == "en" and s.kind == "doc":
                ref = Markup('<span lang="zh">{}</span>').format(ref)  # 模板自动转义：程序写的标签用 Markup
            refs.append(ref)
        return refs

    titles = CATEGORY_TITLES_EN if lang == "en" else CATEGORY_TITLES
    categories = [
        (c, titles[c], CATEGORY_IDS[c], [(i, t) for i, t in enumerate(terms) if t.category == c]) for c in CATEGORIES
    ]
    ctx: dict = {"categories": categories, "source_refs": source_refs, "heading_id": lambda t: "gl-" + t.id[len("term-") :]}
    if lang == "en":
        ctx.update(
            source_types=SOURCE_TYPES_EN,
            confidence=CONFIDENCE_EN,
            missing=[t for t in terms if not t.has_en],
            outdated=[t for t in terms if t.en_outdated],
            zh_href=zh_href,
        )
    return ctx


# ---- 术语首次出现处的解释 -----------------------------------------------------------

# 在这些元素里不加解释：链接、标题、代码、已有的缩写或定义、按钮和表单、提示框
SKIP_TAGS = frozenset(
    {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "samp", "script", "style", "abbr", "dfn",
     "button", "label", "select", "option", "textarea", "summary", "svg", "math", "title"}
)
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
_TOKEN_RE = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")


def matcher(terms: Sequence[Term]) -> tuple[re.Pattern[str] | None, dict[str, Term]]:
    """所有要标注的术语及别称组成的正则（长的优先），以及“词 → 术语”的对照。"""
    lookup: dict[str, Term] = {}
    for t in terms:
        if t.mark:
            for name in t.names:
                lookup[name] = t
    if not lookup:
        return None, lookup
    words = sorted(lookup, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)), lookup


def matcher_en(terms: Sequence[Term]) -> tuple[re.Pattern[str] | None, dict[str, Term]]:
    """英文页面用的正则：英文术语按整词匹配，首字母大小写都算（句首和句中），长的优先。"""
    lookup: dict[str, Term] = {}
    for t in terms:
        if t.mark and t.term_en:
            w = t.term_en
            for variant in (w, w[:1].upper() + w[1:], w[:1].lower() + w[1:]):
                lookup[variant] = t
    if not lookup:
        return None, lookup
    words = sorted(lookup, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])"), lookup


def mark_first_uses(
    page_html: str,
    pattern: re.Pattern[str] | None,
    lookup: dict[str, Term],
    render: Callable[[Term, str, int], str],
) -> tuple[str, list[str]]:
    """把页面中每个术语第一次出现的地方换成 render(术语, 原文, 序号) 的结果。

    只处理正文文字：链接、标题、代码等元素里的文字不动（SKIP_TAGS），带 data-no-terms 属性的元素
    （如引用的通知原文）整块跳过，标签和注释内部（属性值）也不动。返回新 HTML 和标注过的术语编号（按出现顺序）。
    """
    if pattern is None:
        return page_html, []
    # 先在整页上找出全部匹配（一次 C 层扫描）。术语里没有尖括号，匹配不会跨越标签，所以整页的匹配与逐段
    # 文字匹配的结果相同。然后按位置依次看每个匹配：只把它之前的标签走一遍（维护“是否在跳过的元素中”），
    # 文字段本身不必切开、拼回；还没标注的术语后面都不再出现时就停下，其余部分原样照抄
    hits = [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(page_html)]
    if not hits:
        return page_html, []
    last: dict[str, int] = {}  # 术语 → 最后一次出现的位置
    for start, _, word in hits:
        last[lookup[word].id] = start
    bound = max(last.values())
    done: set[str] = set()
    order: list[str] = []
    stack: list[tuple[str, bool]] = []  # (标签名, 这一层是否跳过)
    skipping = 0
    tags = _TOKEN_RE.finditer(page_html)
    tag = next(tags, None)
    out: list[str] = []
    copied = 0  # page_html[:copied] 已写入 out
    for start, end, word in hits:
        if start > bound:
            break  # 后面只剩已标注的术语
        term = lookup[word]
        if term.id in done:
            continue
        while tag is not None and tag.end() <= start:
            skipping = _enter_tag(tag.group(0), stack, skipping)
            tag = next(tags, None)
        if skipping or (tag is not None and tag.start() < start):
            continue  # 在跳过的元素中，或在标签、注释内部
        done.add(term.id)
        order.append(term.id)
        out.append(page_html[copied:start])
        out.append(render(term, word, len(order)))
        copied = end
        if len(done) == len(last):
            break
        bound = max(pos for tid, pos in last.items() if tid not in done)
    if not out:
        return page_html, order
    out.append(page_html[copied:])
    return "".join(out), order


def _enter_tag(token: str, stack: list[tuple[str, bool]], skipping: int) -> int:
    """经过一个标签（或注释）后的元素栈；返回新的“跳过层数”。结束标签关闭最近的同名元素及其内层。"""
    kind, name, skip = _tag_info(token)
    if kind == _CLOSE:
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == name:
                skipping -= sum(1 for _, s in stack[k:] if s)
                del stack[k:]
                break
    elif kind == _OPEN:
        stack.append((name, skip))
        skipping += skip
    return skipping


_OTHER, _OPEN, _CLOSE = 0, 1, 2


def _tag_info(token: str) -> tuple[int, str, bool]:
    """一个标签的种类（开始、结束、其他：注释、空元素等）、小写标签名、是否要跳过其中的文字。"""
    if token.startswith("<!--"):
        return _OTHER, "", False
    m = _TAG_NAME_RE.match(token)
    if not m:
        return _OTHER, "", False
    name = m.group(2).lower()
    if m.group(1) == "/":
        return _CLOSE, name, False
    if name in VOID_TAGS or token.endswith("/>"):
        return _OTHER, name, False
    return _OPEN, name, name in SKIP_TAGS or "data-no-terms" in token


def plain(text: str) -> str:
    """给属性或提示框用的纯文字（转义）。"""
    return html_mod.escape(" ".join(text.split()), quote=True)
