"""发布：部署单位把专栏以本单位名义放到网上之前要做的事。

- 官方域名（data/official-domains.yml）：公开页面只链接官方网站上的网址，转载、镜像等网址只留给编辑；
- 内容的核实状态（``inventory``）：每个案例、文件、术语、题目是“已核实”还是“待核实”，全部取自数据，不另作判断；
- 发布清单（``checklist``）：``make release`` 构建前打印，阻止发布的项目写明怎么改；
- 发布构建（RELEASE=1）：编辑用的页面和“编辑须知”段落不进站点，待核实的案例不发布（除非
  ``extra.column.publish_unverified: true``），每个公开页面再查一遍有没有非官方网址、占位文字和编辑用语。

本模块不依赖 MkDocs 运行：清单和检查都可以直接调用（tests/test_release.py）。构建中调用它的是 studycol/steps/column.py 和 studycol/steps/cases.py。
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from studycol import cases as cases_mod
from studycol.problems import Problem
from studycol.site import NATIONWIDE, Identity, ReportChannel, is_truthy, missing_for_release
from studycol.verification import Verification
from studycol.yamlsrc import DataError, load_yaml_file, validate

DOMAINS_FILE = "official-domains.yml"
VERIFIED, PENDING, TEACHING = "已核实", "待核实", "教学示例"
NOTICE_BASIS = "通知原文（构建时与收到的通知文本逐字核对）"

# 编辑用的页面（相对 docs/ 的路径前缀）：发布构建不含这些页面，导航中也去掉
EDITOR_PAGES: tuple[str, ...] = ("guide/", "coverage/", "translations/")

# 只给编辑看的段落：<!-- editors:begin --> …… <!-- editors:end -->，发布构建中删去
EDITORS_BLOCK_RE = re.compile(r"<!--[ \t]*editors:(begin|end)[ \t]*-->")

HARD_MEASURES_DOC = "doc-yingcuoshi"


# ---- 官方域名 --------------------------------------------------------------------


def _plain_domain(d: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", d):
        raise ValueError(f"“{d}”不是域名：只写小写的域名，如 gov.cn，不写 https:// 和路径")
    return d


class _DomainsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    domains: tuple[Annotated[str, AfterValidator(_plain_domain)], ...] = Field(min_length=1)


def load_domains(data_dir: Path) -> tuple[str, ...]:
    """读取官方域名表；没有这个文件时没有任何网址算官方的（公开页面就不链接外部网址）。"""
    path = Path(data_dir) / DOMAINS_FILE
    if not path.is_file():
        return ()
    model: _DomainsFile = validate(_DomainsFile, load_yaml_file(path, f"data/{DOMAINS_FILE}"))
    return model.domains


def host_of(url: str) -> str:
    """网址的主机名（小写，去掉末尾的点）；不是 http(s) 网址时为空。"""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https"):
        return ""
    return host.rstrip(".").lower()


def is_official(url: str, domains: Iterable[str]) -> bool:
    """url 是否在官方域名（或其子域名）上。只认 https：官方网站的网址也要写成 https://。"""
    if not url or not url.strip().lower().startswith("https://"):
        return False
    host = host_of(url)
    return bool(host) and any(host == d or host.endswith("." + d) for d in domains)


# ---- 核实状态 --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Item:
    """一项带来源的内容和它的核实状态。basis 说明状态的依据（谁、何时、对照什么，或为什么待核实）。"""

    kind: str  # 案例 / 文件 / 术语 / 题目 / 措施
    id: str
    title: str
    state: str  # 已核实 / 待核实 / 教学示例
    basis: str
    path: str = ""  # 源文件，供清单指向编辑要改的地方


KINDS: tuple[str, ...] = ("案例", "文件", "术语", "题目", "措施")
# 发布构建已经能按状态隐藏的种类；其余种类的待核实内容只能核实后发布，或整体选择连同提示一起发布
HIDEABLE: frozenset[str] = frozenset({"案例", "题目", "措施", "术语"})


def case_item(cf: cases_mod.CaseFile) -> Item:
    c = cf.case
    if c.is_teaching:
        return Item("案例", c.id, c.short, TEACHING, "虚构的教学情节，带“教学示例”标签发布", cf.path)
    v = c.verification
    if v is not None and v.status == cases_mod.VERIFIED:
        return Item("案例", c.id, c.short, VERIFIED, f"{v.by}，{v.date.isoformat() if v.date else ''}，对照官方发布的来源", cf.path)
    return Item("案例", c.id, c.short, PENDING, (v.note if v and v.note else "没有核实记录"), cf.path)


def recorded_item(kind: str, item_id: str, title: str, v: Verification | None, domains: Iterable[str], path: str, no_record: str) -> Item:
    """带核实记录（studycol.verification）的条目：记录为“已核实”且对照的网址在官方域名上，才算已核实。"""
    if v is None or v.status != VERIFIED:
        return Item(kind, item_id, title, PENDING, (v.note if v and v.note else no_record), path)
    if not is_official(v.against, domains):
        return Item(kind, item_id, title, PENDING, f"核实记录所据的“{v.against}”不是官方网址（data/{DOMAINS_FILE}）", path)
    return Item(kind, item_id, title, VERIFIED, f"{v.by}，{v.date.isoformat() if v.date else ''}，对照 {v.against}", path)


def question_item(it: Any) -> Item:
    """一道题（studycol.quiz.Item）：出处是通知句子且与原文逐字核对过的，已核实；其他（据文件登记表、媒体转述）待核实。"""
    q = it.q
    if re.fullmatch(r"n\d+(?:-\d+){0,2}", q.source) and not q.not_verbatim_reason:
        return Item("题目", q.id, q.stem[:30], VERIFIED, NOTICE_BASIS, it.path)
    return Item("题目", q.id, q.stem[:30], PENDING, q.not_verbatim_reason or f"出处为{q.source}，不是通知原文", it.path)


def inventory(content: Any) -> list[Item]:
    """站点中全部带来源的内容及其状态（content 是 studycol.content.Content）。

    状态只从数据来：案例按 verification；术语和题目的出处全部是通知句子时为已核实（通知原文构建时逐字核对），
    有任何其他出处（文件登记表、事实底稿中的转载）即待核实；文件登记表和案例词表中的措施没有核实记录，待核实。
    """
    items: list[Item] = [case_item(cf) for cf in content.case_set().files]
    domains = load_domains(content.data)
    for d in content.documents.documents:
        items.append(recorded_item("文件", d.id, d.short, d.verification, domains, "data/documents.yml",
                                   "文件登记表没有核实记录（来源：" + "；".join(s.title for s in d.sources) + "）"))
    items += [term_item(t, domains) for t in content.glossary.glossary.terms]
    items += [question_item(it) for it in content.quiz[0].items]
    for m in content.vocab.vocab.measures:
        items.append(Item("措施", m.id, m.text[:30], PENDING, f"据{m.source_title}（{m.confidence}），尚未与官方原文核对", "data/case-vocab.yml"))
    return items


def counts(items: Iterable[Item]) -> dict[str, Counter[str]]:
    """按种类统计各状态的数目。"""
    out: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    for it in items:
        out.setdefault(it.kind, Counter())[it.state] += 1
    return out


# ---- 发布选项 --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Policy:
    """这次构建发布什么。release 为假（make build、make serve）时一切照旧显示，状态可见。"""

    release: bool = False
    publish_unverified: bool = False
    domains: tuple[str, ...] = ()
    own_hosts: tuple[str, ...] = ()  # 本站和部署单位自己填写的网址（页脚备案链接）所在的主机，不算外部网址
    hidden_terms: tuple[tuple[str, str, str], ...] = ()  # 不发布的术语：(编号, 中文名, 英文名)
    withheld_cases: tuple[str, ...] = ()  # 不发布的案例的编号：以它们为出处的题目也不发布

    def publishes(self, state: str) -> bool:
        return not self.release or self.publish_unverified or state != PENDING

    def publishes_page(self, src_uri: str) -> bool:
        return not (self.release and is_editor_page(src_uri))


def policy(extra: dict[str, Any], identity: Identity, data_dir: Path, site_url: str = "") -> Policy:
    own = (host_of(site_url), host_of(identity.police_beian_url), host_of(identity.report.url), identity.site_domain.lower())
    return Policy(
        release=is_truthy(extra.get("release", False)),
        publish_unverified=identity.publish_unverified,
        domains=load_domains(data_dir),
        own_hosts=tuple(h for h in own if h),
    )


class Blocked(ValueError):
    """发布构建不能开始：消息列出阻止发布的每一项和怎么改。"""


@dataclasses.dataclass(frozen=True)
class Excludes:
    """发布构建中不进站点的页面：exclude_docs 的模式（gitignore 写法）和要从导航中去掉的页面。"""

    patterns: tuple[str, ...] = ()
    nav_pages: tuple[str, ...] = ()


def prepare(extra: dict[str, Any], site_url: str, config_name: str, identity: Identity, content: Any) -> tuple[Policy, Excludes]:
    """一次构建开始时（studycol/steps/column.py）：定下发布选项；发布构建先过清单，再算出不发布的页面。
    胶水层按返回的 Excludes 改引擎的配置（MkDocs：exclude_docs 和 nav）。"""
    try:
        p = use(policy(extra, identity, content.data, site_url))
        if not p.release:
            return p, Excludes()
        checks = checklist(identity, site_url, content, p, config_name)
    except DataError as exc:
        raise Blocked("发布选项或内容数据有误：\n" + str(exc)) from None
    if any(c.blocking for c in checks):
        raise Blocked(blocking_message(checks))
    files = content.case_set().files
    shown = {cf.case.id for cf in published_cases(files, p)}
    p = use(dataclasses.replace(
        p, hidden_terms=hidden_terms(content.glossary, p),
        withheld_cases=tuple(cf.case.id for cf in files if cf.case.id not in shown),
    ))
    pages = tuple(hidden_quiz_pages(content.quiz[0], p))
    return p, Excludes(tuple(release_excludes(p, files, pages)), pages)


_current = Policy()


def use(p: Policy) -> Policy:
    """这次构建的发布选项（studycol/steps/column.py 开始一遍构建时设置，模板过滤器和其他步骤读取）。"""
    global _current
    _current = p
    return p


def current() -> Policy:
    return _current


def is_editor_page(src_uri: str) -> bool:
    return src_uri.startswith(EDITOR_PAGES)


def unsupported_allegation(cf: cases_mod.CaseFile) -> bool:
    """真实案例指认了企业的违法违规行为，却没有一个官方发布的来源（调查报告、主管部门的通报）。"""
    c = cf.case
    return not c.is_teaching and bool(c.violations) and not any(s.origin == cases_mod.OFFICIAL_ORIGIN for s in c.sources)


def published_cases(files: Sequence[cases_mod.CaseFile], p: Policy) -> list[cases_mod.CaseFile]:
    """这次构建发布的案例：发布构建只含已核实的真实案例和教学示例。选择 publish_unverified 时也发布待核实的，
    但指认企业违法违规而没有官方来源的案例仍不发布。"""
    if not p.release:
        return list(files)
    return [cf for cf in files if p.publishes(case_item(cf).state) and not unsupported_allegation(cf)]


def published_bank(bank: Any, p: Policy) -> Any:
    """这次构建发布的题库（studycol.quiz.Bank）：发布构建只含已核实的题目，以不发布的案例为出处的题目也不发布；
    一道题也不剩的测验整套不发布。"""
    from studycol.quiz import Bank

    withheld = set(p.withheld_cases)
    items = [it for it in bank.items if p.publishes(question_item(it).state) and it.q.source not in withheld]
    if len(items) == len(bank.items):
        return bank
    kept = {it.set for it in items}
    return Bank(sets=[s for s in bank.sets if s.id in kept], items=items)


def term_item(t: Any, domains: Iterable[str]) -> Item:
    """一个术语（studycol.glossary.Term）：出处全是通知句子的已核实；其他看核实记录。"""
    if all(s.kind == "notice" for s in t.sources):
        return Item("术语", t.id, t.term, VERIFIED, NOTICE_BASIS, "data/glossary.yml")
    return recorded_item("术语", t.id, t.term, t.verification, domains, "data/glossary.yml", "出处含通知以外的来源，尚未与官方原文核对")


def hidden_terms(loaded: Any, p: Policy) -> tuple[tuple[str, str, str], ...]:
    """这次构建不发布的术语（studycol.glossary.LoadedGlossary 中待核实的）。"""
    return tuple((t.id, t.term, t.term_en or t.term) for t in loaded.glossary.terms if not p.publishes(term_item(t, p.domains).state))


def published_glossary(loaded: Any, p: Policy) -> Any:
    """这次构建发布的术语表：去掉不发布的术语，其余术语的“相关术语”中也去掉它们。行号仍指向原文件中的条目。"""
    from studycol.glossary import LoadedGlossary

    hidden = {h[0] for h in p.hidden_terms}
    if not hidden:
        return loaded
    positions = tuple(i for i, t in enumerate(loaded.glossary.terms) if t.id not in hidden)
    terms = [loaded.glossary.terms[i] for i in positions]
    terms = [t.model_copy(update={"related": tuple(r for r in t.related if r not in hidden)}) for t in terms]

    @dataclasses.dataclass(frozen=True)
    class Published(LoadedGlossary):
        def line(self, index: int, *field: str | int) -> int:
            return self.source.line_of(("terms", positions[index], *field))

    return Published(loaded.glossary.model_copy(update={"terms": terms}), loaded.source)


def unlink_hidden_terms(markdown: str, lang: str = "zh") -> str:
    """页面中引用不发布的术语的 [[term-…]]，换成术语名本身（写了链接文字的用链接文字），不再链接到术语表。"""
    if not _current.hidden_terms or "[[term-" not in markdown:
        return markdown
    from studycol.xref import REF_RE

    names = {tid: (en if lang == "en" else zh) for tid, zh, en in _current.hidden_terms}

    def one(m: re.Match[str]) -> str:
        tid = m.group("id").strip()
        return (m.group("label") or names[tid]) if tid in names else m.group(0)

    return REF_RE.sub(one, markdown)


_BLOCK_SPLIT_RE = re.compile(r"(\n[ \t]*\n)")


def drop_withheld_case_paragraphs(markdown: str, p: Policy | None = None) -> str:
    """页面中引用不发布的案例（[[case-…]]）的段落不发布：整段换成同样多的空行，后面的行号不变。
    引用写在哪一段，就决定了删去多少；解读中以案例为例的句子因此单独成段。"""
    p = p or _current
    if not p.withheld_cases or "[[case-" not in markdown:
        return markdown
    from studycol.xref import REF_RE

    withheld = set(p.withheld_cases)
    pieces = _BLOCK_SPLIT_RE.split(markdown)
    for i in range(0, len(pieces), 2):
        if any(m.group("id").strip() in withheld for m in REF_RE.finditer(pieces[i])):
            pieces[i] = "\n" * pieces[i].count("\n")
    return "".join(pieces)


def hidden_quiz_pages(bank: Any, p: Policy) -> list[str]:
    """整套不发布的测验的页面（相对 docs/）。"""
    kept = {s.id for s in published_bank(bank, p).sets}
    return [f"quiz/{s.id}.md" for s in bank.sets if s.id not in kept]


def public_url(url: str, p: Policy | None = None) -> str:
    """公开页面上可以显示的网址：官方网址原样；其他网址只在编辑预览（非发布构建）中显示，发布构建中为空。"""
    p = p or _current
    if not url or is_official(url, p.domains):
        return url
    return "" if p.release else url


# ---- 编辑用的页面和段落 ------------------------------------------------------------


def filter_nav(nav: Any, hidden: Iterable[str] = ()) -> Any:
    """去掉导航中的编辑页面和 hidden 中的页面（相对 docs/ 的路径）；整节都去掉了的，整节去掉。"""
    hidden = frozenset(hidden)
    if isinstance(nav, list):
        kept = [x for x in (filter_nav(e, hidden) for e in nav) if x is not None]
        return kept or None
    if isinstance(nav, dict):
        out = {k: v for k, v in ((k, filter_nav(v, hidden)) for k, v in nav.items()) if v is not None}
        return out or None
    if isinstance(nav, str):
        return None if is_editor_page(nav) or nav in hidden else nav
    return nav


def release_excludes(p: Policy, case_files: Sequence[cases_mod.CaseFile], pages: Iterable[str] = ()) -> list[str]:
    """发布构建不收入的源文件（gitignore 写法，相对 docs/）：编辑页面、不发布的案例页面和 pages 中的页面。"""
    if not p.release:
        return []
    shown = published_cases(case_files, p)
    hidden = [cf.src_uri for cf in case_files if cf not in shown]
    return [f"/{prefix}" for prefix in EDITOR_PAGES] + [f"/{uri}" for uri in (*hidden, *pages)]


def apply_to_config(config: Any, excludes: Excludes) -> None:
    """MkDocs 的配置：导航中去掉编辑页面和不发布的测验页，exclude_docs 中加上它们和不发布的案例。"""
    if not excludes.patterns:
        return
    import pathspec

    spec = pathspec.gitignore.GitIgnoreSpec.from_lines(excludes.patterns)
    old = config["exclude_docs"]
    config["exclude_docs"] = spec if old is None else old + spec
    if config["nav"]:
        config["nav"] = filter_nav(config["nav"], excludes.nav_pages) or []


def editor_blocks(markdown: str, p: Policy, path: str, source: str = "") -> tuple[str, list[Problem]]:
    """处理“编辑须知”段落：发布构建删去 <!-- editors:begin --> 与 <!-- editors:end --> 之间的全部内容，
    其他构建只去掉这两个标记、保留内容。不成对的标记报告为问题（REL-5），内容原样保留。"""
    if "editors:" not in markdown:
        return markdown, []
    from studycol.xref import code_spans

    masked = code_spans(markdown)  # 代码中的写法是给读者看的示例，不是标记
    found = [m for m in EDITORS_BLOCK_RE.finditer(markdown) if not any(a <= m.start() < b for a, b in masked)]
    if not found:
        return markdown, []
    offset = source.count("\n", 0, len(source) - len(markdown)) if source.endswith(markdown) else 0

    def line(m: re.Match[str]) -> int:
        return offset + markdown.count("\n", 0, m.start()) + 1

    depth, problems = 0, []
    for m in found:
        depth += 1 if m.group(1) == "begin" else -1
        if depth not in (0, 1):
            problems.append(Problem(path, line(m), "“编辑须知”段落的标记不成对：editors:begin 之后要先有 editors:end，才能再开始下一段", "REL-5"))
            return markdown, problems
    if depth:
        problems.append(Problem(path, line(found[-1]), "“编辑须知”段落只有 editors:begin，缺少结尾的 editors:end", "REL-5"))
        return markdown, problems
    pieces, pos = [], 0
    for begin, end in zip(found[::2], found[1::2]):
        if p.release:  # 发布构建删去整段
            pieces.append(markdown[pos:begin.start()])
        else:  # 编辑预览只去掉标记
            pieces += [markdown[pos:begin.start()], markdown[begin.end():end.start()]]
        pos = end.end()
    pieces.append(markdown[pos:])
    return "".join(pieces), []


def editors_in_page(markdown: str, src_uri: str, source: str = "") -> str:
    """页面 Markdown 中的“编辑须知”段落按这次构建的发布选项处理；标记不成对时报告问题。"""
    from studycol.problems import report

    out, problems = editor_blocks(markdown, _current, f"docs/{src_uri}", source)
    for problem in problems:
        report(problem)
    return out


# ---- 公开页面的检查 ----------------------------------------------------------------

# 文字中的网址：带 http(s):// 的，和只写域名的（如 qntz.me/post/…）
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'，。；）]+|(?<![A-Za-z0-9.@/-])(?:[a-z0-9-]+\.)+(?:com|cn|net|org|top|me|info|io|cc|xyz|site|vip)(?![A-Za-z0-9-])(?:/[^\s<>\"'，。；）]*)?")
# 只该给编辑看的写法：配置项、文件路径、命令、版本管理
_EDITOR_TERMS = re.compile(
    r"extra\.column|site_url|mkdocs|\.ya?ml\b|\b(?:docs|data|hooks|overrides|studycol)/|合并请求|pull request|\bgit\b"
    r"|\bmake\s+(?:serve|build|release|check|fix|offline|test|install|ids|new-case|check-content|check-quiz)\b",
    re.I,
)
_PLACEHOLDERS = re.compile(r"待编辑填写|尚未填写|待填写|not yet filled in|to be filled in|TODO|XXXX")
_EDITOR_LINK = re.compile(r"(?:^|/)(?:" + "|".join(re.escape(p.rstrip("/")) for p in EDITOR_PAGES) + r")(?:/|\.md$|$)")
# 说明标签本身的话（如“尚待核实的内容标明‘待核实’”）不是待核实的内容：引号里的标签名不算
_LABEL_MENTION = re.compile(r"“[^“”]{0,4}" + PENDING + "”")
_SKIP_TEXT_IN = frozenset({"script", "style", "template", "noscript"})


@dataclasses.dataclass(frozen=True)
class Finding:
    rule: str
    text: str  # 出问题的那段文字或网址
    message: str


def html_findings(html: str, p: Policy, own_hosts: Iterable[str] = ()) -> list[Finding]:
    """一个发布页面中不该出现的东西：非官方的链接和网址、编辑用语和配置项、占位文字、（不发布待核实内容时）待核实内容。"""
    from selectolax.lexbor import LexborHTMLParser

    own = {h.lower() for h in own_hosts if h}
    tree = LexborHTMLParser(html)
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()

    def add(rule: str, text: str, message: str) -> None:
        if (rule, text) not in seen:
            seen.add((rule, text))
            out.append(Finding(rule, text, message))

    def unofficial(url: str) -> bool:
        host = host_of(url if "://" in url else "https://" + url)
        return bool(host) and host not in own and not is_official(url if "://" in url else "https://" + url, p.domains)

    for node in tree.css("[href], [src], [action], [cite], [data]"):
        for attr in ("href", "src", "action", "cite", "data"):
            value = (node.attributes.get(attr) or "").strip()
            if value.lower().startswith(("http://", "https://", "//")) and unofficial(value if "://" in value[:8] else "https:" + value):
                add("REL-1", value, f"链接到非官方网站“{value}”；公开页面只链接官方网址（data/{DOMAINS_FILE}），转载和镜像的网址只留在数据中给编辑")
            elif attr == "href" and "://" not in value and _EDITOR_LINK.search(value.split("#")[0]):
                add("REL-2", value, f"链接到编辑页面“{value}”；发布构建没有编辑页面，请去掉链接，或放进“编辑须知”段落（editors:begin/end）")
    root = tree.body
    if root is None:
        return out
    for node in root.traverse(include_text=True):
        if node.tag != "-text":
            continue
        parent, skip = node.parent, False
        while parent is not None:
            if parent.tag in _SKIP_TEXT_IN:
                skip = True
                break
            parent = parent.parent
        text = node.text(deep=False) or ""
        if skip or not text.strip():
            continue
        for m in _URL_IN_TEXT.finditer(text):
            if unofficial(m.group(0)):
                add("REL-1", m.group(0), f"页面文字中有非官方网址“{m.group(0)}”；公开页面写来源的原发布单位、标题和日期，不写转载或镜像的网址")
        for m in _EDITOR_TERMS.finditer(text):
            add("REL-2", m.group(0), f"页面文字中有只该给编辑看的“{m.group(0)}”（配置项、文件路径、命令或版本管理）；请改写，或放进“编辑须知”段落（editors:begin/end）")
        for m in _PLACEHOLDERS.finditer(text):
            add("REL-3", m.group(0), f"页面上有占位文字“{m.group(0)}”；没有内容的项目不显示")
        if not p.publish_unverified and PENDING in _LABEL_MENTION.sub("", text):
            add("REL-4", PENDING, "发布构建中有“待核实”的内容；核实后再发布，或在配置中选择 publish_unverified: true 连同提示一起发布")
    return out


def page_problems(html: str, src_uri: str, source: str, p: Policy, own_hosts: Iterable[str] = ()) -> list[Problem]:
    """html_findings 写成问题：指向源文件中第一次出现那段文字的行（生成的内容找不到时是第 1 行）。"""
    out = []
    for f in html_findings(html, p, own_hosts):
        at = source.find(f.text)
        line = source.count("\n", 0, at) + 1 if at >= 0 else 1
        out.append(Problem(f"docs/{src_uri}", line, f.message, f.rule))
    return out


def screen_page(html: str, src_uri: str, source: str) -> None:
    """发布构建中检查一个输出页面，问题交给报告口（严格模式下构建因此失败）。非发布构建什么也不做。"""
    if not _current.release:
        return
    from studycol.problems import report

    if is_editor_page(src_uri):
        report(Problem(f"docs/{src_uri}", 1, "编辑页面进入了发布构建；它应当只在编辑预览中出现", "REL-2"))
    for problem in page_problems(html, src_uri, source, _current, _current.own_hosts):
        report(problem)


# ---- 发布清单 --------------------------------------------------------------------

Level = Literal["阻止", "注意", "信息"]


@dataclasses.dataclass(frozen=True)
class Check:
    level: Level
    title: str
    detail: str
    fix: str = ""

    @property
    def blocking(self) -> bool:
        return self.level == "阻止"


def _local_site_url(url: str) -> bool:
    host = host_of(url)
    return not host or host in ("127.0.0.1", "localhost", "0.0.0.0") or host.endswith((".invalid", ".example", ".test", ".localhost"))


def report_check(r: ReportChannel, key: str) -> Check:
    """举报渠道：读者能用的渠道一项也没有时阻止发布（通知要求畅通举报渠道，n4-1-3）。"""
    if r.has_channel:
        channels = "；".join(x for x in (r.office, r.phone and f"电话 {r.phone}", r.email and f"邮箱 {r.email}",
                                        r.url and f"网址 {r.url}", r.address and f"地址 {r.address}") if x)
        return Check("信息", "举报渠道", channels)
    detail = "只写了受理机构，没有电话、邮箱、网址或来信地址" if r.office else "没有填写举报电话、邮箱、网址或来信地址"
    return Check("阻止", "举报渠道", detail + "；通知要求畅通举报渠道、重奖举报有功人员",
                 f"在{key}.report 中至少填写一项本单位实际公布的渠道（phone、email、url、address）")


def news_check(newest: dt.date | None, today: dt.date, limit: int, key: str) -> Check:
    """工作动态多久没有更新：长期不更新的栏目会被视为“空白栏目”，只提醒，不阻止发布。"""
    fix = "发布本单位的工作动态（docs/news/ 中每条一个文件，可用 make new-post 新建）"
    if newest is None:
        return Check("注意", "工作动态", "工作动态中还没有任何一条；专栏长期不更新会被视为“空白栏目”", fix)
    when = f"{newest.year}年{newest.month}月{newest.day}日"
    if (today - newest).days > limit:
        return Check("注意", "工作动态", f"最新一条发布于{when}，已超过{limit}天（{key}.news_max_age_days）", fix)
    return Check("信息", "工作动态", f"最新一条发布于{when}")


def checklist(identity: Identity, site_url: str, content: Any, p: Policy, config_name: str = "mkdocs.yml",
              today: dt.date | None = None) -> list[Check]:
    """发布前的清单。content 是 studycol.content.Content；p 是发布选项（release 为真）。"""
    key = f"配置文件 {config_name} 的 extra.column"
    checks: list[Check] = []

    missing = missing_for_release(identity)
    if missing:
        checks.append(Check("阻止", "页脚信息", "以下项目仍为空：" + "、".join(missing),
                            f"在{key} 中填写本单位的真实信息；不知道的项目请向本单位网站主管部门核实，不要填写占位内容"))
    else:
        checks.append(Check("信息", "页脚信息", f"主办单位：{identity.operator}；承办单位：{identity.undertaker}；ICP备案号：{identity.icp}"))

    doc = next((d for d in content.documents.documents if d.id == HARD_MEASURES_DOC), None)
    if HARD_MEASURES_DOC in content.gongwen:
        checks.append(Check("信息", "《硬措施》正文", "已导入正式文本（data/gongwen/" + HARD_MEASURES_DOC + ".yml），《硬措施》页显示全文"))
    elif doc is not None and (bool(doc.page) or is_official(doc.url, p.domains)):
        checks.append(Check("信息", "《硬措施》正文", "已收入正式文本或登记了官方网址"))
    elif identity.release_waivers.hard_measures:
        checks.append(Check("注意", "《硬措施》正文", "本栏目还没有收入《硬措施》的正式文本，也没有登记官方网址；本单位已选择先行发布（release_waivers.hard_measures）"))
    else:
        checks.append(Check("阻止", "《硬措施》正文", "本栏目还没有收入《硬措施》的正式文本，文件登记表中也没有它的官方网址",
                            f"取得正式文本后收入本栏目，并在 data/documents.yml 的 {HARD_MEASURES_DOC} 中登记官方网址；如决定先行发布，在{key} 中写 release_waivers: {{hard_measures: true}}"))

    checks.append(report_check(identity.report, key))
    from studycol.content import today as content_today  # content 导入本模块的依赖，在这里取今天的日期

    checks.append(news_check(content.news.newest, today or content_today(), identity.news_max_age_days, key))

    if _local_site_url(site_url) or not site_url.startswith("https://"):
        checks.append(Check("阻止", "网站地址", f"site_url 是“{site_url or '（空）'}”，不是本单位网站的 https 地址",
                            "构建时设置环境变量 SITE_URL=https://本单位网站的栏目地址/，或在配置文件中写 site_url"))
    else:
        checks.append(Check("信息", "网站地址", site_url))

    items = inventory(content)
    by_kind = counts(items)
    summary = "；".join(f"{k}：已核实{c[VERIFIED]}，待核实{c[PENDING]}" + (f"，教学示例{c[TEACHING]}" if c[TEACHING] else "") for k, c in by_kind.items())
    checks.append(Check("信息", "核实状态", summary))
    pending = [it for it in items if it.state == PENDING]
    if p.publish_unverified:
        accused = [case_item(cf).title for cf in content.case_set().files if unsupported_allegation(cf)]
        shown = Counter(it.kind for it in pending) - Counter({"案例": len(accused)})
        if shown:
            checks.append(Check("注意", "待核实内容", "选择了 publish_unverified：待核实的" + "、".join(f"{k}{n}项" for k, n in shown.items()) + "连同“待核实”提示一起发布"))
        if accused:
            checks.append(Check("信息", "不发布的内容", f"{len(accused)} 个案例指认企业违法违规而没有官方来源，仍不发布：" + "、".join(accused)))
    else:
        hidden = Counter(it.kind for it in pending if it.kind in HIDEABLE)
        if hidden:
            cases_hidden = [it.title for it in pending if it.kind == "案例"]
            checks.append(Check("信息", "不发布的内容", "待核实的" + "、".join(f"{k}{n}项" for k, n in hidden.items()) + "不发布"
                                + ("；其中案例：" + "、".join(cases_hidden) if cases_hidden else "")))
        stuck = Counter(it.kind for it in pending if it.kind not in HIDEABLE)
        if stuck:
            checks.append(Check("阻止", "待核实内容", "以下内容待核实，发布构建还不能单独隐藏：" + "、".join(f"{k}{n}项" for k, n in stuck.items()),
                                "逐项与官方原文核对，在条目中写 verification: {status: 已核实, by: 核对人, date: 核对日期, against: 官方原文的网址}（"
                                + "、".join(sorted({it.path for it in pending if it.kind not in HIDEABLE})) + "）；或在" + key + " 中写 publish_unverified: true，连同“待核实”提示一起发布"))

    published = published_cases(content.case_set().files, p)
    real = [cf for cf in published if not cf.case.is_teaching]
    if identity.region == NATIONWIDE:
        checks.append(Check("信息", "本地区案例", "全国性部署，不区分本地区"))
    else:
        local = [cf for cf in real if cf.case.region.province == identity.region]
        if local:
            checks.append(Check("信息", "本地区案例", f"发布{identity.region}的案例{len(local)}起"))
        else:
            checks.append(Check("注意", "本地区案例", f"发布稿中没有{identity.region}的案例；案例首页会写明本地区案例尚未收录",
                                "补充本地区、本企业的典型案例，核实后发布"))
    newest = max((d for cf in real if (d := cf.case.event.date) is not None), default=None)
    checks.append(Check("信息", "最新案例", f"发布的真实案例中最新的发生于{newest.isoformat()}" if newest else "发布稿中没有真实案例"))

    checks.append(Check("信息", "编辑页面", "不发布编辑指南、引用覆盖、翻译状态等编辑页面（" + "、".join(EDITOR_PAGES) + "），以及各页中的“编辑须知”段落"))
    return checks


def format_checklist(checks: Sequence[Check]) -> str:
    lines = ["发布清单", "========"]
    for c in checks:
        lines.append(f"[{c.level}] {c.title}：{c.detail}")
        if c.fix:
            lines.append(f"        怎么改：{c.fix}")
    blocking = sum(1 for c in checks if c.blocking)
    lines.append("")
    lines.append(f"有 {blocking} 项阻止发布，请按“怎么改”处理后重新运行 make release。" if blocking else "没有阻止发布的项目，开始构建。")
    return "\n".join(lines)


def blocking_message(checks: Sequence[Check]) -> str:
    """构建中（RELEASE=1）发现阻止发布的项目时给出的说明。"""
    return "发布构建被阻止：\n" + "\n".join(f"- {c.title}：{c.detail}。怎么改：{c.fix}" for c in checks if c.blocking)


def main(argv: Sequence[str] | None = None) -> int:
    """make release 在构建前运行：打印清单；有阻止发布的项目时退出码为 1。"""
    parser = argparse.ArgumentParser(description="打印发布清单")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    args = parser.parse_args(argv)
    import logging

    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    from studycol.content import Content
    from studycol.site import parse_identity

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    try:
        config = load_config(args.config_file)
        extra = dict(config.extra)
        identity = parse_identity(extra)
        root = Path(config.config_file_path).resolve().parent
        content = Content(root, Path(config.docs_dir))
        p = dataclasses.replace(policy(extra, identity, root / "data", str(config.site_url or "")), release=True)
        checks = checklist(identity, str(config.site_url or ""), content, p, Path(args.config_file).name)
    except (ValueError, DataError, ConfigurationError) as exc:  # 配置或数据本身有误：说明后退出，不打印半张清单
        print(f"发布清单无法生成：{exc}", file=sys.stderr)
        return 1
    print(format_checklist(checks))
    return 1 if any(c.blocking for c in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
