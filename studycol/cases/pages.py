"""典型案例的页面内容：中文的日期、时间、金额和后果，页面之间的链接，以及交给模板的上下文。

- case_context()    一个案例页面的上下文（overrides/partials/column/cases-page.md）；
- list_item()、group_view()  索引页上的条目和分组，其余条目写成按需加载的数据文件（more_script()）；
- relative_link()   两个页面源文件之间的相对链接。
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import posixpath
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .. import xref
from ..gongwen import strip_marks
from .indexes import Group, RelatedFinder, category_key, mine_key, region_key
from .model import OFFICIAL_ORIGIN, PENDING, VERIFIED, CaseFile, Conflict, Consequences, LoadedVocab, PlannedRef, explicit_refs


# ---- 显示用的格式 -------------------------------------------------------------------


def date_zh(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def time_zh(t: str, approx: bool = False) -> str:
    if not t:
        return ""
    h, m = (int(x) for x in t.split(":"))
    text = f"{h}时" + (f"{m}分" if m else "")
    return text + ("许" if approx else "")


def money_zh(wan: float | None) -> str:
    if wan is None:
        return ""
    text = f"{wan:.4f}".rstrip("0").rstrip(".")
    return f"{text}万元"


def consequences_zh(c: Consequences, conflicts: Mapping[str, Conflict] | None = None) -> str:
    conflicts = conflicts or {}
    parts = []
    for field, label, value in (
        ("死亡人数", "死亡", None if c.deaths is None else f"{c.deaths}人"),
        ("受伤人数", "受伤", None if c.injuries is None else f"{c.injuries}人"),
        ("直接经济损失", "直接经济损失", money_zh(c.direct_loss) or None),
    ):
        if field in conflicts:
            parts.append(f"{label}人数说法不一" if "人数" in field else f"{label}说法不一")
        elif value:
            parts.append(label + value)
    return "，".join(parts)


def relative_link(from_src_uri: str, to_src_uri: str) -> str:
    """两个页面源文件之间的相对路径（写 Markdown 链接用，MkDocs 会转换成网址）。"""
    to_dir, _, to_name = to_src_uri.rpartition("/")
    if from_src_uri.rpartition("/")[0] == to_dir:
        return to_name  # 同一目录（案例页之间、索引页到案例页）：不必走 relpath，大站点上每页要调用十几次
    return posixpath.relpath(to_src_uri, posixpath.dirname(from_src_uri) or ".")


# ---- 页面内容（交给 overrides/partials/column/cases-*.md 模板） -----------------------------

INDEX_URIS = {
    "home": "cases/index.md",
    "region": "cases/by-region.md",
    "category": "cases/by-category.md",
    "mine": "cases/by-mine-type.md",
    "year": "cases/by-year.md",
}


def _cell(text: str) -> str:
    """Markdown 表格单元格里的文字：竖线转义，换行并成空格。"""
    return " ".join(str(text).split()).replace("|", "\\|")


def source_links(ids: Iterable[str]) -> str:
    return "、".join(f"[来源{sid[1:]}](#src-{sid})" for sid in ids)


def basis(item: Any) -> str:
    """“（单源；来源1、来源2）”：一项事实的可信度和来源。"""
    parts = [p for p in (getattr(item, "confidence", ""), source_links(getattr(item, "sources", []))) if p]
    return f"（{'；'.join(parts)}）" if parts else ""


def conflict_inline(conflict: Conflict) -> str:
    return "；".join(cv.value + (f"（{source_links([cv.source])}）" if cv.source else f"（{cv.note}）") for cv in conflict.values)


@dataclasses.dataclass
class Requirement:
    """案例页面“通知和《硬措施》的要求”中的一条通知引用。"""

    id: str
    ref: str  # [[id||src:文件:行]]
    label: str
    quote: str
    categories: list[str]
    explicit: bool


def requirements(cf: CaseFile, vocab: LoadedVocab, notice_targets: Mapping[str, Any]) -> tuple[list[Requirement], list[PlannedRef]]:
    """本案引用的通知编号（cites 中写明的，加上违法违规类别对应的），按通知顺序；以及其他引用（文件、案例）。"""
    order = {tid: i for i, tid in enumerate(notice_targets)}
    reqs: dict[str, Requirement] = {}
    others: list[PlannedRef] = []
    for ref in explicit_refs(cf):
        if xref.NOTICE_ID_RE.match(ref.id):
            t = notice_targets.get(ref.id)
            reqs[ref.id] = Requirement(ref.id, xref.markup(ref.id, None, ref.src, ref.line), t.label if t else ref.id,
                                       _quote(t), [], True)
        else:
            others.append(ref)
    for label in cf.case.categories:
        i, cat = next((i, c) for i, c in enumerate(vocab.vocab.categories) if c.label == label)
        for j, nid in enumerate(cat.notice):
            if nid not in reqs:
                t = notice_targets.get(nid)
                reqs[nid] = Requirement(nid, xref.markup(nid, None, vocab.src.path, vocab.line_of("categories", i, "notice", j)),
                                        t.label if t else nid, _quote(t), [], False)
            reqs[nid].categories.append(label)
    return sorted(reqs.values(), key=lambda r: order.get(r.id, len(order))), others


def _quote(target: Any) -> str:
    if target is None:
        return ""
    text = strip_marks(target.text)
    return text if getattr(target, "kind", "") == "sentence" else xref.shorten(text, 120)


def case_context(cf: CaseFile, finder: RelatedFinder, vocab: LoadedVocab, notice_targets: Mapping[str, Any]) -> dict[str, Any]:
    """一个案例页面的模板上下文。链接都是相对本页源文件的 Markdown 路径。"""
    c = cf.case
    uri = cf.src_uri
    v = vocab.vocab

    def index_link(key: str, anchor: str) -> str:
        return f"{relative_link(uri, INDEX_URIS[key])}#{anchor}"

    conflicts = {x.field: x for x in c.conflicts}
    when = date_zh(c.event.date)
    if "发生日期" in conflicts:
        when += f"（日期说法不一：{conflict_inline(conflicts['发生日期'])}）"
    if "发生时间" in conflicts:
        when += f"，具体时间说法不一：{conflict_inline(conflicts['发生时间'])}"
    else:
        when += time_zh(c.event.time, c.event.approx)
    if c.is_teaching:  # 虚构的地点不链接按地区的索引（教学示例不在其中）
        province_link = c.region.province
        when = when or "虚构情节，不标日期"
    else:
        province_link = f"[{c.region.province}]({index_link('region', region_key(c.region.province))})"
    place = province_link + c.region.city + c.region.county + c.region.place
    mt = v.mine_type(c.mine_type)
    cons = consequences_zh(c.consequences, conflicts)
    cons_conflicts = [f"{f}：{conflict_inline(conflicts[f])}" for f in ("死亡人数", "受伤人数", "直接经济损失") if f in conflicts]
    if cons_conflicts:
        cons = "，".join(x for x in [cons, "说法不一——" + "；".join(cons_conflicts)] if x)
    if cons:
        cons += basis(c.consequences)
    if c.consequences.note:
        cons = (cons + "。" if cons else "") + c.consequences.note
    cats = [f"[{label}]({index_link('category', category_key(v.category(label).id))})" for label in c.categories]
    rows: list[tuple[str, str]] = [("发生时间", when), ("地点", place)]
    if c.company:
        rows.append(("企业", c.company))
    rows.append(("矿山类型", f"[{c.mine_type}]({index_link('mine', mine_key(mt.id))})"))
    if c.accident_type:
        rows.append(("事故类型", c.accident_type))
    rows.append(("后果", cons or "来源未载明"))
    rows.append(("违法违规类别", "、".join(cats) if cats else "调查结论未掌握"))
    rows.append(("性质", f"{c.kind}（{c.scope}）"))
    status = "不适用（教学示例是虚构的情节）" if c.is_teaching else (c.verification.status if c.verification else PENDING)
    if c.verification and c.verification.status == VERIFIED:
        status += f"（{c.verification.by}，{date_zh(c.verification.date)}）"
    rows.append(("核实状态", status))
    if c.year is not None:
        rows.append(("年份", f"[{c.year}年]({index_link('year', f'year-{c.year}')})"))

    reqs, others = requirements(cf, vocab, notice_targets)
    req_anchor = {r.id: f"req-{r.id}" for r in reqs}
    violations = []
    for label in c.categories:
        cat = v.category(label)
        items = [{"text": x.text, "basis": basis(x)} for x in c.violations if x.category == label]
        req_links = [f"[{r.label}](#{req_anchor[r.id]})" for r in reqs if label in r.categories]
        violations.append({"label": label, "key": "v-" + cat.id, "items": items, "requirements": req_links,
                           "measure": bool(cat.measure and v.measure(cat.measure) and _measures_published())})
    measures: list[dict[str, Any]] = []
    for label in c.categories:
        cat = v.category(label)
        m = v.measure(cat.measure) if cat.measure and _measures_published() else None
        if not m:
            continue
        existing = next((x for x in measures if x["measure"].id == m.id), None)
        if existing:
            existing["categories"].append(label)
        else:
            i = next(i for i, x in enumerate(v.measures) if x.id == m.id)
            measures.append({"measure": m, "categories": [label], "line": vocab.line_of("measures", i, "text")})
    yingcuoshi = xref.markup("doc-yingcuoshi", "《硬措施》", vocab.src.path, measures[0]["line"]) if measures else ""

    sources = []
    for s in c.sources:
        sources.append({"s": s, "date": date_zh(s.date), "origin_note": "" if s.origin == OFFICIAL_ORIGIN else s.origin})
    conflict_rows = []
    for cf_ in c.conflicts:
        for j, cv in enumerate(cf_.values):
            where = source_links([cv.source]) if cv.source else ""
            if cv.note:
                where = f"{where}：{cv.note}" if where else cv.note
            conflict_rows.append((_cell(cf_.field) if j == 0 else "", _cell(cv.value), _cell(where)))
    related = [
        {"title": r.file.case.title, "link": relative_link(uri, r.file.src_uri), "reasons": "；".join(_reason_text(r.reasons)),
         "teaching": r.file.case.is_teaching}
        for r in finder.related(cf)
    ]
    return {
        "case": c,
        "cf": cf,
        "rows": [(k, _cell(val)) for k, val in rows],
        "violations": violations,
        "requirements": reqs,
        "other_refs": [xref.markup(r.id, None, r.src, r.line) for r in others],
        "measures": measures,
        "yingcuoshi": yingcuoshi,
        "cause_basis": basis(c.cause) if c.cause else "",
        "sources": sources,
        "conflicts": c.conflicts,
        "conflict_rows": conflict_rows,
        "related": related,
        "verification_date": date_zh(c.verification.date) if c.verification else "",
        "home_link": relative_link(uri, INDEX_URIS["home"]),
        "guide_link": relative_link(uri, "guide/cases.md") if _editor_pages_published() else "",
    }


def _reason_text(reasons: Iterable[str]) -> list[str]:
    out, cats = [], []
    for r in reasons:
        if r == "同一来源" or r.startswith("同在"):
            out.append(r)
        else:
            cats.append(r)
    if cats:
        out.insert(1 if out and out[0] == "同一来源" else 0, "同类：" + "、".join(dict.fromkeys(cats)))
    return out


def list_item(cf: CaseFile, page_uri: str, show: Iterable[str] = ("date", "province")) -> dict[str, Any]:
    """索引列表中的一项：标题链接和简短的说明。"""
    c = cf.case
    meta = []
    for key in show:
        if key == "date" and c.event.date:
            meta.append(date_zh(c.event.date))
        elif key == "province" and not c.is_teaching:
            meta.append(c.region.province)
        elif key == "mine":
            meta.append(c.mine_type)
    if c.is_teaching:
        meta.append("教学示例")
    elif c.is_pending:
        meta.append("待核实")
    short = c.short if not c.is_teaching or "示例" in c.short else f"{c.short}（教学示例）"
    return {"title": c.title, "short": short, "link": relative_link(page_uri, cf.src_uri), "meta": "，".join(meta)}


MORE_PREFIX = "more-"


def more_file(group_key: str, n: int) -> str:
    """一组中第 n 批（从 1 起）“更多案例”的数据文件名，放在索引页旁边。"""
    return f"{MORE_PREFIX}{group_key}-{n}.js"


def group_view(
    group: Group,
    page_uri: str,
    show: Iterable[str],
    open_limit: int,
    chunk_size: int = 200,
    href: Callable[[CaseFile], str] | None = None,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """索引页上的一组，以及这一组按需加载的其余条目。

    页面上只列最新的 open_limit 起，其余按 chunk_size 起一批写成数据文件（见 more_file），读者点“显示更多”时
    由 cases-more.js 逐批加载。这样无论收录多少案例，每个索引页的大小都有上限（组数 × open_limit），
    每个数据文件也不超过 chunk_size 起。返回 (页面用的组, {文件名: 文件内容的数据})。
    href 给出数据文件中案例页面的网址（相对于索引页的网址；数据文件中的链接不经 MkDocs 转换）；
    构建时按引擎的实际网址计算（U 盘版是 .html 结尾），缺省按目录式网址推算。
    """
    href = href or (lambda f: _page_url(relative_link(page_uri, f.src_uri)))
    files = group.files  # 已按日期从新到旧排列
    view: dict[str, Any] = {
        "key": group.key, "label": group.label, "parent": group.parent, "count": len(files),
        "items": [list_item(f, page_uri, show) for f in files[:open_limit]], "more": None,
    }
    rest = files[open_limit:]
    if not rest:
        return view, {}
    batches = [rest[i : i + chunk_size] for i in range(0, len(rest), chunk_size)]
    chunks: dict[str, dict[str, Any]] = {}
    for n, batch in enumerate(batches, 1):
        chunks[more_file(group.key, n)] = {
            "group": group.key,
            "items": [[it["title"], href(f), it["meta"]] for f, it in ((f, list_item(f, page_uri, show)) for f in batch)],
            "next": more_file(group.key, n + 1) if n < len(batches) else None,
        }
    view["more"] = {"file": more_file(group.key, 1), "remaining": len(rest), "batch": min(chunk_size, len(rest))}
    return view, chunks


def _measures_published() -> bool:
    """词表中的《硬措施》措施都是转述、没有核实记录（待核实）：发布构建只在选择 publish_unverified 时显示。"""
    from .. import release  # noqa: PLC0415 - studycol.release 在导入时就要用本包（CaseFile 等），这里只能在调用时导入

    return release.current().publishes(release.PENDING)


def _editor_pages_published() -> bool:
    """这次构建有没有编辑页面（发布构建没有，见 studycol.release）：没有时案例页不链接案例编辑指南。"""
    from .. import release  # noqa: PLC0415 - studycol.release 在导入时就要用本包（CaseFile 等），这里只能在调用时导入

    return release.current().publishes_page("guide/cases.md")


def _page_url(md_link: str) -> str:
    """Markdown 源文件的相对链接（2023-x.md）→ 目录式网址（2023-x/）。数据文件中的链接不经 MkDocs 转换，要自己写对。

    索引页本身的网址是 cases/by-region/，比源文件 cases/by-region.md 深一层，所以前面加一个“../”。
    """
    target = md_link[: -len(".md")] + "/" if md_link.endswith(".md") else md_link
    if target.endswith("index/"):
        target = target[: -len("index/")]
    return "../" + target


def more_script(data: dict[str, Any]) -> str:
    """数据文件的内容：一次函数调用。用脚本而不用 JSON，是为了在 U 盘版（file://）中也能加载。"""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.columnCasesMore&&window.columnCasesMore({payload});\n"


