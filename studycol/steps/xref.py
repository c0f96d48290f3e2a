"""交叉引用的一步：页面中的 [[编号]] 换成占位元素，收集引用目标，全部页面转换完后统一解析、报告断链，
输出链接、反向链接和覆盖表，构建结束时写出机器可读的 JSON。纯函数在 studycol/xref.py 中。

顺序：markdown 记下原文、换成占位元素 → content_html 收集目标 → env 解析并报告 → context 输出 → post_build。
行号按编辑写的源文件计算（含 front matter）。
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from studycol import gongwen, markers, problems, release
from studycol import render as render_mod
from studycol import notice as notice_mod
from studycol import xref
from studycol.engine import Page, Pass, Stop, relative_url
from studycol.yamlsrc import DataError

BACKLINK_LIMIT = 8


class XrefStep:
    def __init__(self, p: Pass, content: Any) -> None:
        self.p = p
        try:
            self.documents = content.documents
            notice = content.notice
            aliases = content.aliases
        except DataError as exc:
            raise Stop("交叉引用数据有误：\n" + str(exc)) from None
        except ValueError as exc:
            raise Stop(f"data/id-aliases.yml：{exc}") from None
        self.notice_targets = {t.id: t for t in _notice_targets(content, "zh")}
        self.notice_targets_en = {t.id: t for t in _notice_targets(content, "en")}
        self.notice_paragraphs = [p.id for _, p in notice.paragraphs()]
        self.index = xref.Index(aliases=aliases)
        self.refs: list[xref.Ref] = []
        self.ref_anchor: dict[int, str | None] = {}  # 引用编号 → 引用处最近的 id
        self.pages: dict[str, Page] = {}
        self.results: list[xref.Target | None] = []
        self.citations: list[xref.Citation] = []
        self.texts: dict[tuple[str, str], str] = {}  # (页面, id) → 元素的纯文字（预览用）
        self.previews: dict[tuple[str, str], str] = {}
        self.link_html: dict[Any, str] = {}
        self.backlinks: dict[str, list[xref.Citation]] | None = None

    def markdown(self, markdown: str, page: Page) -> str:
        """在其他步骤展开各自的标记之后运行，这样生成内容里的引用也会被处理。

        行号按编辑写的源文件计算（含 front matter），所以报错指向文件中的真实行。
        """
        src_uri = page.src_uri
        self.pages[src_uri] = page
        source = page.source

        def expand(marker: markers.Marker) -> str:
            if marker.name == "documents":
                return self.p.env.get_template("partials/column/documents.md").render(documents=self.documents.documents)
            return marker.raw  # xref:coverage、xref:backlinks：所有页面解析完毕后，在 on_page_context 中填入

        markdown = markers.expand(markdown, "xref", expand, source=source, path=f"docs/{src_uri}")
        new, refs = xref.extract_refs(
            markdown,
            page=src_uri,
            src=f"docs/{src_uri}",
            original=source,
            start_index=len(self.refs),
        )
        self.refs.extend(refs)
        return new

    def content_html(self, html: str, page: Page, tree: Any = None) -> str:
        src_uri = page.src_uri
        index = self.index
        title = xref.shorten(page.title or src_uri, 40)
        anchors, ref_anchor = xref.page_anchors(html if tree is None else tree)
        notice_targets = self.notice_targets
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
            self.texts[(src_uri, a.id)] = a.text
        self.ref_anchor.update(ref_anchor)
        return html

    def _preview(self, target: xref.Target) -> str:
        if target.preview:
            return target.preview
        key = (target.page, target.id)
        cache = self.previews
        if key not in cache:
            # 被引用的位置里若也有引用，预览中显示那些引用的文字，而不是占位符
            text = xref.replace_placeholders(self.texts.get(key, ""), self.ref_text)
            cache[key] = xref.shorten(text)
        return cache[key]

    def ref_text(self, n: int) -> str:
        """第 n 处引用显示的文字：写明的标签，否则目标的标签，解析不了时写编号。"""
        ref = self.refs[n]
        target = self.results[n] if n < len(self.results) else None
        return ref.label or (target.label if target else ref.id)

    def fix_toc(self, items: Any) -> None:
        """标题里若有引用，目录中显示引用的文字而不是占位符（items：引擎的目录项，有 title 和 children）。"""
        for item in items or []:
            if xref.PH_OPEN in item.title:
                item.title = xref.replace_placeholders(item.title, self.ref_text)
            self.fix_toc(item.children)

    def env(self) -> None:
        """全部页面转换完：解析全部引用，报告断链和重复的编号，记下每处引用（反向链接和覆盖表用）。"""
        index, pages = self.index, self.pages

        def page_src(src_uri: str) -> str:
            return f"docs/{src_uri}"

        found = xref.duplicate_problems(index, page_src)
        results, ref_problems = xref.resolve(self.refs, index)
        for problem in found + ref_problems:
            problems.report(str(problem))
        self.results = results

        citations: list[xref.Citation] = []
        for n, (ref, target) in enumerate(zip(self.refs, results, strict=True)):
            if target is None:
                continue
            page = pages.get(ref.page)
            override = page.meta.get("xref_kind") if page else None
            citations.append(
                xref.Citation(
                    target=target.id,
                    page=ref.page,
                    page_title=page.title if page else ref.page,
                    page_url=page.url if page else "",
                    kind=xref.citing_kind(ref.page, override),
                    anchor=self.ref_anchor.get(n),
                )
            )
        self.citations = citations

    def context(self, page: Page, content: str, toc: Any) -> str:
        """页面输出前：占位元素换成链接，目录中的引用换成文字，填入覆盖表和反向链接；返回新的正文。"""
        env = self.p.env
        link_tpl = env.get_template("partials/column/xref-link.html")
        refs, results = self.refs, self.results
        locale = page.locale
        en_labels = self.notice_targets_en
        links = self.link_html

        def render(n: int) -> str:
            ref, target = refs[n], results[n]
            href = None
            if target is not None:
                href = relative_url(target.url, page.url) + "#" + target.id
                if href.startswith("#") is False and target.page == page.src_uri:
                    href = "#" + target.id
            if target is not None and target.kind == "notice" and locale == "en" and target.id in en_labels:
                # 英文页面上引用通知：用英文标签和译文预览（编号相同）
                t_en = en_labels[target.id]
                target = dataclasses.replace(target, label=t_en.label, preview=xref.shorten(t_en.text))
            if target is None:
                return link_tpl.render(n=n, ref=ref, target=None, href=None, preview="")
            preview = self._preview(target)
            # 案例页引用通知的句子之类：同一写法在成千上万个页面上重复，只渲染一次
            key = (ref.label, target.id, target.kind, target.label, href, preview)
            return render_mod.render_numbered(
                links, key, lambda mark: link_tpl.render(n=mark, ref=ref, target=target, href=href, preview=preview), n
            )

        content = xref.replace_placeholders(content, render)
        self.fix_toc(toc)

        def fill(marker: markers.Marker) -> str:
            if marker.name == "coverage":
                return self._coverage_html(page, env)
            if marker.name == "backlinks" and marker.arg:
                if self.backlinks is None:  # 全站的引用在 env 一步才齐，只分组一次
                    self.backlinks = xref.backlinks(self.citations)
                return self._backlinks_html(marker.arg, self.backlinks.get(marker.arg, []), page, env)
            return marker.raw

        return markers.fill(content, "xref", fill)

    def _backlinks_html(self, pid: str, items: list[xref.Citation], page: Page, env: Any) -> str:
        """通知段落 pid 之后的“引用”开关；没有引用时为空。"""
        if not items:
            return ""
        labels = self.notice_targets
        by_kind: dict[str, list[dict[str, str]]] = {}
        for c in items:
            href = relative_url(c.page_url, page.url) + (f"#{c.anchor}" if c.anchor else "")
            by_kind.setdefault(c.kind, []).append({"title": c.page_title, "href": href, "target": labels[c.target].label if c.target in labels else c.target})
        # 每类最多列出 BACKLINK_LIMIT 处，其余只计数：通知页的大小不随内容总量无限增长
        ordered = [
            (k, by_kind[k][:BACKLINK_LIMIT], len(by_kind[k]) - BACKLINK_LIMIT)
            for k in xref.CITING_KINDS
            if k in by_kind
        ]
        return str(env.get_template("partials/column/xref-backlinks.html").render(
            pid=pid, label=labels[pid].label, count=len(items), groups=ordered,
            coverage_href=relative_url(self._page_url("coverage/index.md", "coverage/"), page.url) if release.current().publishes_page("coverage/") else "",
        ))

    def _page_url(self, src_uri: str, default: str) -> str:
        """站内页面的实际地址（U 盘版不用目录式地址，而是 …/index.html）。"""
        pages = self.pages
        # 英文构建中，有译文的页面来自 *.en.md
        page = pages.get(src_uri.removesuffix(".md") + ".en.md") or pages.get(src_uri)
        return page.url if page is not None else default

    def coverage_rows(self) -> list[dict[str, Any]]:
        labels = self.notice_targets
        rows = xref.coverage(self.notice_paragraphs, self.citations)
        for row in rows:
            row["label"] = labels[row["id"]].label
            row["preview"] = xref.shorten(labels[row["id"]].text, 60)
        return rows

    def _coverage_html(self, page: Page, env: Any) -> str:
        rows = self.coverage_rows()
        notice_url = relative_url(self._page_url("notice/index.md", "notice/"), page.url)
        covered = sum(1 for r in rows if r["total"] > 0)
        return str(env.get_template("partials/column/xref-coverage.html").render(
            rows=rows, kinds=xref.CITING_KINDS, notice_url=notice_url, covered=covered, total=len(rows),
            json_url=relative_url("xref/coverage.json", page.url),
        ))

    def post_build(self) -> None:
        """机器可读的数据（中文那一遍写一次）：每段的引用覆盖和全部引用目标。"""
        out = self.p.site_dir / "xref"
        out.mkdir(parents=True, exist_ok=True)
        rows = self.coverage_rows()
        (out / "coverage.json").write_text(
            json.dumps({"paragraphs": rows, "kinds": list(xref.CITING_KINDS)}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        index = self.index
        targets = {
            i: {"page": ts[0].page, "url": ts[0].url, "label": ts[0].label, "kind": ts[0].kind}
            for i, ts in sorted(index.by_id.items())
            if ts
        }
        (out / "targets.json").write_text(json.dumps(targets, ensure_ascii=False, indent=1), encoding="utf-8")


def _notice_targets(content: Any, lang: str) -> list[Any]:
    """引用标签和预览随页面语言：英文页面用英文译本（编号相同）。导入的公文（没有译本）随后，供反向链接取标签。"""
    imported = [t for doc in content.gongwen.values() for t in gongwen.targets(doc)]
    if lang == "en" and (content.data / "notice.en.yml").exists():
        try:
            return notice_mod.targets_en(content.notice, content.notice_en) + imported
        except (DataError, KeyError):
            pass  # 译本的问题由 hooks/column.py 报告
    return notice_mod.targets(content.notice) + imported

