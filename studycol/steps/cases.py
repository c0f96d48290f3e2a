"""典型案例的一步：案例页面按模板生成，其他页面展开 <!-- cases:名称 --> 标记，索引页“显示更多”的数据文件。

规则都在 studycol/cases/（make check-content 用的也是它）。案例引用的通知和文件写成带源文件行号的 [[编号]]，
由交叉引用一步解析、报错并生成反向链接。
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

from studycol import cases as cases_mod
from studycol import notice as notice_mod
from studycol import release, render, xref
from studycol import markers
from studycol.engine import Page, Pass, Stop, relative_url
from studycol.site import NATIONWIDE, PROVINCES
from studycol.yamlsrc import DataError

LOCAL_LIMIT = 20
LATEST_LIMIT = 10
OPEN_LIMIT = 12  # 索引页上每组直接列出的案例数；其余由读者点“显示更多”逐批加载
CHUNK_SIZE = 200  # “显示更多”每批加载的案例数（一个数据文件）


class CasesStep:
    def __init__(self, p: Pass, content: Any) -> None:
        self.p = p
        display = os.path.relpath(p.docs_dir / "cases", content.root).replace(os.sep, "/")
        try:
            self.vocab = content.vocab
            notice = content.notice
        except DataError as exc:
            raise Stop("典型案例的词表或通知数据有误：\n" + str(exc)) from None
        caseset = content.case_set(display)
        if caseset.problems:
            raise Stop(
                f"典型案例有 {len(caseset.problems)} 处问题，请逐条修改（make check-content 可以不构建站点快速复查）：\n"
                + "\n".join(str(p) for p in caseset.problems)
            )
        self.caseset = dataclasses.replace(caseset, files=release.published_cases(caseset.files, release.current()))
        self.by_uri = {cf.src_uri: cf for cf in self.caseset.files}
        self.finder = cases_mod.RelatedFinder(self.caseset.files)
        self.notice_targets = {t.id: t for t in notice_mod.targets(notice)}
        self.chunks: dict[str, dict[str, Any]] = {}  # 索引页 → 它的“显示更多”数据文件

    def markdown(self, markdown: str, page: Page) -> str:
        cf = self.by_uri.get(page.src_uri)
        if cf is not None:
            ctx = cases_mod.case_context(cf, self.finder, self.vocab, self.notice_targets)
            return self.p.env.get_template("partials/column/cases-page.md").render(body=render.page_body(markdown.strip()), **ctx)
        if "cases:" not in markdown:
            return markdown
        return markers.expand(
            markdown, "cases", lambda m: self.render(m.name, page), source=page.source, path=f"docs/{page.src_uri}",
        )

    def post_page(self, page: Page) -> None:
        """把索引页各组“显示更多”的数据文件写到页面旁边。"""
        chunks = self.chunks.pop(page.src_uri, None)
        if chunks and page.dest:
            folder = Path(page.dest).parent
            folder.mkdir(parents=True, exist_ok=True)
            for name, data in chunks.items():
                (folder / name).write_text(cases_mod.more_script(data), encoding="utf-8")

    def render(self, name: str, page: Page) -> str:
        env = self.p.env
        uri = page.src_uri
        files = self.caseset.files
        vocab = self.vocab

        def link(key: str) -> str:
            return str(cases_mod.relative_link(uri, cases_mod.INDEX_URIS[key]))

        def items(group_files: list[cases_mod.CaseFile], show: tuple[str, ...] = ("date", "province")) -> list[dict[str, Any]]:
            return [cases_mod.list_item(f, uri, show) for f in group_files]

        if name in ("local", "counts", "latest"):
            identity = self.p.extra.get("identity") or {}
            region = identity.get("region") or NATIONWIDE
            ordered = cases_mod.sort_cases(cases_mod.real_cases(files))  # 教学示例不进本地区、最新案例的列表
            local = [f for f in ordered if f.case.region.province == region]
            region_groups = cases_mod.by_region(files)
            browse = [
                {"title": "按地区", "link": link("region"), "groups": len(region_groups), "note": "省级行政区"},
                {"title": "按违法违规类别", "link": link("category"), "groups": len(cases_mod.by_category(files, vocab.vocab)), "note": "一个案例可属多个类别"},
                {"title": "按矿山类型", "link": link("mine"), "groups": len(cases_mod.by_mine_type(files, vocab.vocab)), "note": "煤矿、金属非金属矿山、尾矿库"},
                {"title": "按年份", "link": link("year"), "groups": len(cases_mod.by_year(files)), "note": "事故发生的年份"},
            ]
            return env.get_template("partials/column/cases-home.md").render(
                name=name,
                nationwide=region == NATIONWIDE,
                region=region,
                region_key=cases_mod.region_key(region) if region != NATIONWIDE else "",
                region_link=link("region"),
                region_groups=[{"key": g.key, "label": g.label, "items": g.files} for g in region_groups],
                local_items=items(local[:LOCAL_LIMIT], ("date", "mine")),
                local_count=len(local),
                latest_items=items(ordered[:LATEST_LIMIT]),
                counts=cases_mod.counts(files),
                browse=browse,
                guide_link=cases_mod.relative_link(uri, "guide/cases.md") if release.current().publishes_page("guide/cases.md") else "",
            )
        if name == "vocab":
            v = vocab.vocab
            category_refs = {
                c.id: [xref.markup(n, None, vocab.src.path, vocab.line_of("categories", i, "notice", j)) for j, n in enumerate(c.notice)]
                for i, c in enumerate(v.categories)
            }
            return env.get_template("partials/column/cases-vocab.md").render(
                vocab=v,
                category_refs=category_refs,
                measure_conf={m.id: m.confidence for m in v.measures},
                other_tables=[
                    ("kind", "性质", v.kinds), ("scope", "适用范围", v.scopes), ("verification.status", "核实状态", v.verification),
                    ("confidence", "可信度", v.confidence), ("sources[].origin", "来源类型", v.origins),
                ],
            )
        if name == "by-region":
            gs, show, empty = cases_mod.by_region(files), ("date", "mine"), empty_provinces(files)
        elif name == "by-category":
            gs, show, empty = cases_mod.by_category(files, vocab.vocab), ("date", "province"), ""
        elif name == "by-mine-type":
            gs, show, empty = cases_mod.by_mine_type(files, vocab.vocab), ("date", "province"), ""
        else:
            gs, show, empty = cases_mod.by_year(files), ("date", "province"), ""
        parent_keys = {g.parent: cases_mod.mine_group_key(g.parent, vocab.vocab) for g in gs if g.parent}
        def href(cf: cases_mod.CaseFile) -> str:
            url = self.p.file_url(cf.src_uri)
            return relative_url(url, page.url) if url is not None else cases_mod.relative_link(uri, cf.src_uri)

        views, chunks = [], {}
        for g in gs:
            view, more = cases_mod.group_view(g, uri, show, OPEN_LIMIT, CHUNK_SIZE, href)
            views.append(view)
            chunks.update(more)
        # 数据文件在 post_page 中写到本页旁边（那时 site_dir 已是当前语言的输出目录）
        self.chunks[uri] = chunks
        return env.get_template("partials/column/cases-groups.md").render(
            groups=views,
            empty_note=empty,
            parent_keys=parent_keys,
        )


def empty_provinces(files: list[cases_mod.CaseFile]) -> str:
    have = {f.case.region.province for f in files}
    missing = [p for p in PROVINCES if p not in have]
    return ("## 暂无案例的地区 { #region-none }\n\n" + "、".join(missing) + "。") if missing else ""
