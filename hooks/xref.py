"""交叉引用钩子：把 studycol.xref 的纯函数接到 MkDocs 的构建事件上。

事件顺序：on_config 重置状态 → on_page_markdown 记下原文、换成占位元素 → on_page_content 收集目标
→ on_env 统一解析并报告问题 → on_page_context 输出链接、反向链接和覆盖表 → on_post_build 写出 JSON。
i18n 插件会为每种语言各跑一遍全部事件；同一问题只在第一种语言的构建中报告一次。
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from studycol import markers, build, problems, release
from studycol import notice as notice_mod
from studycol import render as render_mod
from studycol import xref
from studycol.memo import ContentMemo, first_language_pass
from studycol.yamlsrc import DataError

log = logging.getLogger("mkdocs.hooks.xref")


BACKLINK_LIMIT = 8
_state: dict = {}
# 英文版中回退显示的中文页面，收集目标时的 HTML 与中文版相同：扫描结果直接复用（见 studycol/memo.py）
_memo: ContentMemo = ContentMemo()
NOTICE_PARA_RE = re.compile(r'(<p class="gw-p"[^>]*?\sid="(n\d+-\d+)"[^>]*>.*?</p>)', re.S)


def _lang(config: MkDocsConfig) -> str:
    return str(config.theme.get("language") or "zh")


@event_priority(90)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    content = build.begin_for(config).content
    if first_language_pass(config):  # 不能看主题语言：i18n 在它自己的 on_config 里才改，晚于这里
        _memo.clear()
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
        html={},  # src_uri → 页面 HTML（用于按需取预览文字）
        positions={},  # (src_uri, id) → 开标签位置
        previews={},
    )
    return config


def _notice_targets(content, lang: str):
    """引用标签和预览随页面语言：英文页面用英文译本（编号相同）。"""
    if lang == "en" and (content.data / "notice.en.yml").exists():
        try:
            return notice_mod.targets_en(content.notice, content.notice_en)
        except (DataError, KeyError):
            pass  # 译本的问题由 hooks/column.py 报告
    return notice_mod.targets(content.notice)


def _report(message: str) -> None:
    problems.report(message)


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
        return marker.raw  # xref:coverage：所有页面解析完毕后，在 on_page_context 中填入

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
    _state["html"][src_uri] = html
    anchors, ref_anchor = _memo.get(("anchors", title, html), lambda: _scan_page(html, title))
    for anchor_id, label, preview, kind, line, pos in anchors:
        index.add(xref.Target(anchor_id, src_uri, page.url, label, preview, kind, line))
        _state["positions"][(src_uri, anchor_id)] = pos
    _state["ref_anchor"].update(ref_anchor)
    return html


def _scan_page(html: str, title: str) -> tuple[list[tuple[str, str, str, str, int, int]], dict[int, str | None]]:
    """页面中的引用目标 (id, 标签, 预览, 类别, 行号, 位置)，以及每个引用占位元素之前最近的 id。"""
    notice_targets = _state["notice_targets"]
    anchors = []
    line, counted = 1, 0  # 行号逐段累计，不必每个目标都从页首数起
    for anchor_id, tag, label_attr, pos in xref.find_anchors(html):
        if not xref.ID_RE.match(anchor_id):
            continue
        kind = xref.kind_of(anchor_id, tag)
        preview = ""  # 需要时（被引用）再从页面 HTML 中取
        if anchor_id in notice_targets and kind == "notice":
            t = notice_targets[anchor_id]
            label, preview = t.label, t.text
        elif label_attr:
            label = label_attr
        elif kind == "heading":
            text = xref.heading_text(html, pos)
            label, preview = (text if tag == "h1" else f"{title}·{text}"), text
        else:
            label = title
        line += html.count("\n", counted, pos)
        counted = pos
        anchors.append((anchor_id, xref.shorten(label, 60), xref.shorten(preview), kind, line, pos))
    # 每个占位元素之前最近的 id：反向链接直接跳到引用所在的段落或条目
    ref_anchor: dict[int, str | None] = {}
    last_id = None
    for m in _ID_OR_PLACEHOLDER_RE.finditer(html):
        if m.group(1):
            if html[m.start() - 1 : m.start()].isspace():  # 属性 id（不是 data-id 之类）
                last_id = m.group(1)
        else:
            ref_anchor[int(m.group(2))] = last_id
    return anchors, ref_anchor


# 以字面量开头：比以 \s 开头的写法扫描得快；前一个字符是否为空白在循环中判断
_ID_OR_PLACEHOLDER_RE = re.compile(r'id="([^"]+)"|' + xref.PH_OPEN + r"xref(\d+)" + xref.PH_CLOSE)


def _preview(target: xref.Target) -> str:
    if target.preview:
        return target.preview
    key = (target.page, target.id)
    cache = _state["previews"]
    if key not in cache:
        page_html = _state["html"].get(target.page, "")
        pos = _state["positions"].get(key)
        text = xref.element_text(page_html, pos) if pos is not None else ""
        # 被引用的位置里若也有引用，预览中显示那些引用的文字，而不是占位符
        refs, results = _state["refs"], _state["results"]
        text = xref.replace_placeholders(
            text, lambda n: refs[n].label or (results[n].label if n < len(results) and results[n] else refs[n].id)
        )
        cache[key] = xref.shorten(text)
    return cache[key]


# ---- 全部页面就绪：解析 -------------------------------------------------------------


def on_env(env, config: MkDocsConfig, files: Files):
    index: xref.Index = _state["index"]
    pages: dict[str, Page] = _state["pages"]

    def page_src(src_uri: str) -> str:
        return f"docs/{src_uri}"

    problems = xref.duplicate_problems(index, page_src)
    results, ref_problems = xref.resolve(_state["refs"], index)
    problems += ref_problems
    for problem in problems:
        _report(str(problem))
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
    locale = getattr(page.file, "locale", None) or _lang(config)
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

    if page.file.src_uri == "notice/index.md":
        content = _inject_backlinks(content, page, env)
    if "xref:coverage" in content:
        content = re.sub(r"<!--\s*xref:coverage\s*-->", lambda m: _coverage_html(page, env), content)
    page.content = content
    return context


def _fix_toc(items, refs, results) -> None:
    """标题里若有引用，目录中显示引用的文字而不是占位符。"""
    for item in items or []:
        if xref.PH_OPEN in item.title:
            item.title = xref.replace_placeholders(
                item.title, lambda n: refs[n].label or (results[n].label if results[n] else refs[n].id)
            )
        _fix_toc(item.children, refs, results)


def _inject_backlinks(content: str, page: Page, env) -> str:
    groups = xref.backlinks(_state["citations"])
    tpl = env.get_template("partials/column/xref-backlinks.html")
    labels = _state["notice_targets"]

    def add(match: re.Match[str]) -> str:
        pid = match.group(2)
        items = groups.get(pid, [])
        if not items:
            return match.group(1)
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
        return match.group(1) + tpl.render(
            pid=pid, label=labels[pid].label, count=len(items), groups=ordered,
            coverage_href=get_relative_url(_page_url("coverage/index.md", "coverage/"), page.url) if release.current().publishes_page("coverage/") else "",
        )

    return NOTICE_PARA_RE.sub(add, content)


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
    if _lang(config) != "zh":
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
