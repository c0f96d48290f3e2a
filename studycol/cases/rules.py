"""典型案例的规则：一个案例文件的跨字段规则和正文规则，全部案例的读取、重复检查和引用检查。

- parse_case()      读取并校验一个案例文件，问题以“文件:行: 中文说明”的形式返回；
- load_cases()      读取一个目录下的全部案例，另外检查文件名、编号是否重复（ID-2：指出哪个是复制件）；
- reference_problems()  不构建站点，检查案例引用的通知、文件、案例编号是否存在；
- check_repo()      make check-content 的全量检查。

构建（studycol/steps/cases.py）和快速检查命令（tools/check_content.py）都调用这里，规则只写一遍。
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import re
import subprocess
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .. import documents as documents_mod
from .. import ids as ids_mod
from .. import notice as notice_mod
from .. import textchars, xref
from ..yamlsrc import DataError, SourceError, Sourced, decode_source, parse_yaml, validate
from .model import (
    OFFICIAL_ORIGIN,
    REAL,
    TEACHING,
    TEACHING_PROVINCE,
    VERIFIED,
    Case,
    CaseFile,
    Consequences,
    LoadedVocab,
    Loc,
    Statement,
    Vocab,
    body_refs,
    explicit_refs,
    implied_refs,
    load_vocab,
    split_front_matter,
)

# docs/cases/ 顶层的这些文件是索引页，不是案例
INDEX_PAGES = ("index.md", "by-region.md", "by-category.md", "by-mine-type.md", "by-year.md")
FILE_NAME_RE = re.compile(r"^(\d{4})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
# conflicts 中这些事项说法不一时，对应的字段必须留空，不得自行选定一个值
CONFLICT_FIELDS: dict[str, tuple[str, ...]] = {
    "发生时间": ("event", "time"),
    "死亡人数": ("consequences", "deaths"),
    "受伤人数": ("consequences", "injuries"),
    "直接经济损失": ("consequences", "direct_loss"),
}

# ---- 一个案例文件 ---------------------------------------------------------------------

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

    def check(sid: str, loc: Loc) -> None:
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

    def err(loc: Loc, text: str) -> None:
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
        items: list[tuple[Loc, Consequences | Statement, str]] = []
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

    报错文字与构建时交叉引用一步的报错相同。
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


# ---- 不构建站点的全量检查（make check-content） ------------------------------------------------


def check_repo(root: Path, today: dt.date) -> tuple[int, list[SourceError]]:
    """检查 root（仓库根）下的全部案例：词表、逐个文件的规则、重复、引用。返回 (案例数, 问题)。"""
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
