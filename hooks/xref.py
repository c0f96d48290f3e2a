"""交叉引用钩子：把 studycol.xref 的纯函数接到 MkDocs 的构建事件上。

事件顺序：on_config 重置状态 → on_page_markdown 记下原文、换成占位元素 → on_page_content 收集目标
→ on_env 统一解析并报告问题 → on_page_context 输出链接、反向链接和覆盖表 → on_post_build 写出 JSON。
i18n 插件会为每种语言各跑一遍全部事件；同一问题只在第一种语言的构建中报告一次。
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from studycol.languages import theme_language
from studycol import markers, build, gongwen, problems, release
from studycol import notice as notice_mod
from studycol import render as render_mod
from studycol import xref
from studycol.yamlsrc import DataError

log = logging.getLogger("mkdocs.hooks.xref")


BACKLINK_LIMIT = 8
_state: dict = {}


@event_priority(90)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    content = build.begin_for(config).content
    _state.clear()
    try:
        registry = content.documents
        notice = content.notice
        aliases = content.aliases
    except DataError as exc:
        raise PluginError("交叉引用数据有误：\n" + str(exc)) from None
    except ValueError as exc:
        raise PluginError(f"data/id-aliases.yml：{exc}") from None
    _state.update(
        documents=registry,
        notice_targets={t.id: t for t in _notice_targets(content, "zh")},
        notice_targets_en={t.id: t for t in _notice_targets(content, "en")},
        notice_paragraphs=[p.id for _, p in notice.paragraphs()],
        index=xref.Index(aliases=aliases),
        refs=[],
        ref_anchor={},  # 引用编号 → 引用处最近的 id
        pages={},  # src_uri → Page
        results=[],
        citations=[],
        texts={},  # (src_uri, id) → 元素的纯文字（预览用）
        previews={},
    )
    return config


def _notice_targets(content, lang: str):
    """引用标签和预览随页面语言：英文页面用英文译本（编号相同）。导入的公文（没有译本）随后，供反向链接取标签。"""
    imported = [t for doc in content.gongwen.values() for t in gongwen.targets(doc)]
    if lang == "en" and (content.data / "notice.en.yml").exists():
        try:
            return notice_mod.targets_en(content.notice, content.notice_en) + imported
        except (DataError, KeyError):
            pass  # 译本的问题由 hooks/column.py 报告
    return notice_mod.targets(content.notice) + imported


def _env(config: MkDocsConfig):
    return render_mod.theme_env(config, _state)


# ---- 页面转换前 ----------------------------------------------------------------


@event_priority(-50)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """在其他钩子展开各自的标记之后运行，这样生成内容里的引用也会被处理。

    行号按编辑写的源文件计算（含 front matter），所以报错指向文件中的真实行。
    """
    src_uri = page.file.src_uri
    _state["pages"][src_uri] = page
    source = render_mod.page_source(page)

    def expand(marker: markers.Marker) -> str:
        if marker.name == "documents":
            return _env(config).get_template("partials/column/documents.md").render(
                documents=_state["documents"].documents
            )
        return marker.raw  # xref:coverage、xref:backlinks：所有页面解析完毕后，在 on_page_context 中填入

    markdown = markers.expand(markdown, "xref", expand, source=source, path=f"docs/{src_uri}")
    new, refs = xref.extract_refs(
        markdown,
        page=src_uri,
        src=f"docs/{src_uri}",
        original=source,
        start_index=len(_state["refs"]),
    )
    _state["refs"].extend(refs)
    return new


# ---- 页面转换后：收集目标 ---------------------------------------------------------


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    src_uri = page.file.src_uri
    index: xref.Index = _state["index"]
    title = xref.shorten(str(page.title or src_uri), 40)
    anchors, ref_anchor = xref.page_anchors(html)
    notice_targets = _state["notice_targets"]
    for a in anchors:
        if not xref.ID_RE.match(a.id):
            continue
        kind = xref.kind_of(a.id, a.tag)
        preview = ""  # 被引用时再取（见 _preview）：多数目标从不被引用
        if a.id in notice_targets and kind == "notice":
            label, preview = notice_targets[a.id].label, notice_targets[a.id].text
        elif a.label:
            label = a.label
        elif kind == "heading":
            label, preview = (a.text if a.tag == "h1" else f"{title}·{a.text}"), a.text
        else:
            label = title
        index.add(xref.Target(a.id, src_uri, page.url, xref.shorten(label, 60), xref.shorten(preview), kind))
        _state["texts"][(src_uri, a.id)] = a.text
    _state["ref_anchor"].update(ref_anchor)
    return html


def _preview(target: xref.Target) -> str:
    if target.preview:
        return target.preview
    key = (target.page, target.id)
    cache = _state["previews"]
    if key not in cache:
        # 被引用的位置里若也有引用，预览中显示那些引用的文字，而不是占位符
        refs, results = _state["refs"], _state["results"]
        text = xref.replace_placeholders(
            _state["texts"].get(key, ""),
            lambda n: refs[n].label or (results[n].label if n < len(results) and results[n] else refs[n].id),
        )
        cache[key] = xref.shorten(text)
    return cache[key]


# ---- 全部页面就绪：解析 -------------------------------------------------------------


def on_env(env, config: MkDocsConfig, files: Files):
    index: xref.Index = _state["index"]
    pages: dict[str, Page] = _state["pages"]

    def page_src(src_uri: str) -> str:
        return f"docs/{src_uri}"

    found = xref.duplicate_problems(index, page_src)
    results, ref_problems = xref.resolve(_state["refs"], index)
    for problem in found + ref_problems:
        problems.report(str(problem))
    _state["results"] = results

    citations: list[xref.Citation] = []
    for n, (ref, target) in enumerate(zip(_state["refs"], results, strict=True)):
        if target is None:
            continue
        page = pages.get(ref.page)
        override = page.meta.get("xref_kind") if page else None
        citations.append(
            xref.Citation(
                target=target.id,
                page=ref.page,
                page_title=str(page.title) if page else ref.page,
                page_url=page.url if page else "",
                kind=xref.citing_kind(ref.page, override),
                anchor=_state["ref_anchor"].get(n),
            )
        )
    _state["citations"] = citations
    return env


# ---- 页面输出：链接、反向链接、覆盖表 ----------------------------------------------


@event_priority(50)
def on_page_context(context, page: Page, config: MkDocsConfig, nav: Navigation):
    env = _env(config)
    link_tpl = env.get_template("partials/column/xref-link.html")
    refs: list[xref.Ref] = _state["refs"]
    results = _state["results"]
    locale = getattr(page.file, "locale", None) or theme_language(config)
    en_labels = _state["notice_targets_en"]
    links: dict[tuple, str] = _state.setdefault("link_html", {})

    def render(n: int) -> str:
        ref, target = refs[n], results[n]
        href = None
        if target is not None:
            href = get_relative_url(target.url, page.url) + "#" + target.id
            if href.startswith("#") is False and target.page == page.file.src_uri:
                href = "#" + target.id
        if target is not None and target.kind == "notice" and locale == "en" and target.id in en_labels:
            # 英文页面上引用通知：用英文标签和译文预览（编号相同）
            t_en = en_labels[target.id]
            target = dataclasses.replace(target, label=t_en.label, preview=xref.shorten(t_en.text))
        if target is None:
            return link_tpl.render(n=n, ref=ref, target=None, href=None, preview="")
        preview = _preview(target)
        # 案例页引用通知的句子之类：同一写法在成千上万个页面上重复，只渲染一次
        key = (ref.label, target.id, target.kind, target.label, href, preview)
        return render_mod.render_numbered(
            links, key, lambda mark: link_tpl.render(n=mark, ref=ref, target=target, href=href, preview=preview), n
        )

    content = xref.replace_placeholders(page.content or "", render)
    _fix_toc(page.toc, refs, results)

    def fill(marker: markers.Marker) -> str:
        if marker.name == "coverage":
            return _coverage_html(page, env)
        if marker.name == "backlinks" and marker.arg:
            if "backlinks" not in _state:  # 全站的引用在 on_env 中才齐，只分组一次
                _state["backlinks"] = xref.backlinks(_state["citations"])
            return _backlinks_html(marker.arg, _state["backlinks"].get(marker.arg, []), page, env)
        return marker.raw

    page.content = markers.fill(content, "xref", fill)
    return context


def _fix_toc(items, refs, results) -> None:
    """标题里若有引用，目录中显示引用的文字而不是占位符。"""
    for item in items or []:
        if xref.PH_OPEN in item.title:
            item.title = xref.replace_placeholders(
                item.title, lambda n: refs[n].label or (results[n].label if results[n] else refs[n].id)
            )
        _fix_toc(item.children, refs, results)


def _backlinks_html(pid: str, items: list[xref.Citation], page: Page, env) -> str:
    """通知段落 pid 之后的“引用”开关；没有引用时为空。"""
    if not items:
        return ""
    labels = _state["notice_targets"]
    by_kind: dict[str, list] = {}
    for c in items:
        href = get_relative_url(c.page_url, page.url) + (f"#{c.anchor}" if c.anchor else "")
        by_kind.setdefault(c.kind, []).append({"title": c.page_title, "href": href, "target": labels[c.target].label if c.target in labels else c.target})
    # 每类最多列出 BACKLINK_LIMIT 处，其余只计数：通知页的大小不随内容总量无限增长
    ordered = [
        (k, by_kind[k][:BACKLINK_LIMIT], len(by_kind[k]) - BACKLINK_LIMIT)
        for k in xref.CITING_KINDS
        if k in by_kind
    ]
    return env.get_template("partials/column/xref-backlinks.html").render(
        pid=pid, label=labels[pid].label, count=len(items), groups=ordered,
        coverage_href=get_relative_url(_page_url("coverage/index.md", "coverage/"), page.url) if release.current().publishes_page("coverage/") else "",
    )


def _page_url(src_uri: str, default: str) -> str:
    """站内页面的实际地址（U 盘版不用目录式地址，而是 …/index.html）。"""
    pages = _state["pages"]
    # 英文构建中，有译文的页面来自 *.en.md
    page = pages.get(src_uri.removesuffix(".md") + ".en.md") or pages.get(src_uri)
    return page.url if page is not None else default


def _coverage_rows():
    labels = _state["notice_targets"]
    rows = xref.coverage(_state["notice_paragraphs"], _state["citations"])
    for row in rows:
        row["label"] = labels[row["id"]].label
        row["preview"] = xref.shorten(labels[row["id"]].text, 60)
    return rows


def _coverage_html(page: Page, env) -> str:
    rows = _coverage_rows()
    notice_url = get_relative_url(_page_url("notice/index.md", "notice/"), page.url)
    covered = sum(1 for r in rows if r["total"] > 0)
    return env.get_template("partials/column/xref-coverage.html").render(
        rows=rows, kinds=xref.CITING_KINDS, notice_url=notice_url, covered=covered, total=len(rows),
        json_url=get_relative_url("xref/coverage.json", page.url),
    )


# ---- 构建结束：机器可读的数据 -------------------------------------------------------


def on_post_build(config: MkDocsConfig) -> None:
    if theme_language(config) != "zh":
        return  # 英文构建与中文共用站点目录，数据以中文构建为准
    out = Path(config.site_dir) / "xref"
    out.mkdir(parents=True, exist_ok=True)
    rows = _coverage_rows()
    (out / "coverage.json").write_text(
        json.dumps({"paragraphs": rows, "kinds": list(xref.CITING_KINDS)}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    index: xref.Index = _state["index"]
    targets = {
        i: {"page": ts[0].page, "url": ts[0].url, "label": ts[0].label, "kind": ts[0].kind}
        for i, ts in sorted(index.by_id.items())
        if ts
    }
    (out / "targets.json").write_text(json.dumps(targets, ensure_ascii=False, indent=1), encoding="utf-8")
