"""典型案例钩子：校验 docs/cases/ 下的案例文件，生成案例页面和分类索引。

规则都在 studycol/cases.py（make check-content 用的也是它）；这里只接到 MkDocs 的事件上：
- on_config：读取词表和全部案例，校验不通过就用 PluginError 停止构建，一次列出全部问题（文件:行: 说明）；
- on_page_markdown（在交叉引用钩子之前）：案例页面按模板生成；其他页面展开 <!-- cases:名称 --> 标记。
  案例引用的通知和文件写成带源文件行号的 [[编号]]，由交叉引用钩子解析、报错并生成反向链接。
i18n 插件会为每种语言各跑一遍；状态在 on_config 中重置。
"""

from __future__ import annotations

import dataclasses
import logging
import os
import posixpath
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from studycol import cases as cases_mod
from studycol import markers, build, release
from studycol import notice as notice_mod
from studycol import render as render_mod
from studycol import xref
from studycol.site import NATIONWIDE, PROVINCES
from studycol.yamlsrc import DataError

log = logging.getLogger("mkdocs.hooks.cases")

LOCAL_LIMIT = 20
LATEST_LIMIT = 10
OPEN_LIMIT = 12  # 索引页上每组直接列出的案例数；其余由读者点“显示更多”逐批加载
CHUNK_SIZE = 200  # “显示更多”每批加载的案例数（一个数据文件）

_state: dict = {}


@event_priority(80)  # 在 hooks/column.py（100，写入 extra.identity）之后
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    content = build.begin_for(config).content
    _state.clear()
    # 数据对每种语言都一样：同一次构建只读一次、校验一次（studycol.content）
    _state.update(_load(content, config))
    return config


def _load(content, config: MkDocsConfig) -> dict:
    display = os.path.relpath(Path(config.docs_dir) / "cases", content.root).replace(os.sep, "/")
    try:
        vocab = content.vocab
        notice = content.notice
    except DataError as exc:
        raise PluginError("典型案例的词表或通知数据有误：\n" + str(exc)) from None
    caseset = content.case_set(display)
    if caseset.problems:
        raise PluginError(
            f"典型案例有 {len(caseset.problems)} 处问题，请逐条修改（make check-content 可以不构建站点快速复查）：\n"
            + "\n".join(str(p) for p in caseset.problems)
        )
    caseset = dataclasses.replace(caseset, files=release.published_cases(caseset.files, release.current()))
    return dict(
        vocab=vocab,
        caseset=caseset,
        by_uri={cf.src_uri: cf for cf in caseset.files},
        finder=cases_mod.RelatedFinder(caseset.files),
        notice_targets={t.id: t for t in notice_mod.targets(notice)},
    )


def _env(config: MkDocsConfig):
    return render_mod.theme_env(config, _state)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    uri = page.file.src_uri
    cf = _state["by_uri"].get(uri)
    if cf is not None:
        def render() -> str:
            ctx = cases_mod.case_context(cf, _state["finder"], _state["vocab"], _state["notice_targets"])
            return _env(config).get_template("partials/column/cases-page.md").render(body=render_mod.page_body(markdown.strip()), **ctx)

        return render()
    if "cases:" not in markdown:
        return markdown
    return markers.expand(
        markdown, "cases", lambda m: _render_marker(m.name, page, config),
        source=render_mod.page_source(page), path=f"docs/{uri}",
    )


def _render_marker(name: str, page: Page, config: MkDocsConfig) -> str:
    env = _env(config)
    uri = page.file.src_uri
    files = _state["caseset"].files
    vocab = _state["vocab"]
    link = lambda key: cases_mod.relative_link(uri, cases_mod.INDEX_URIS[key])  # noqa: E731

    def items(group_files, show=("date", "province")):
        return [cases_mod.list_item(f, uri, show) for f in group_files]


    if name in ("local", "counts", "latest"):
        identity = config.extra.get("identity") or {}
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
        gs, show, empty = cases_mod.by_region(files), ("date", "mine"), _empty_provinces(files)
    elif name == "by-category":
        gs, show, empty = cases_mod.by_category(files, vocab.vocab), ("date", "province"), ""
    elif name == "by-mine-type":
        gs, show, empty = cases_mod.by_mine_type(files, vocab.vocab), ("date", "province"), ""
    else:
        gs, show, empty = cases_mod.by_year(files), ("date", "province"), ""
    parent_keys = {g.parent: cases_mod.mine_group_key(g.parent, vocab.vocab) for g in gs if g.parent}
    files_by_uri = _state["files_by_uri"]

    def href(cf) -> str:
        f = files_by_uri.get(cf.src_uri)
        return get_relative_url(f.url, page.url) if f is not None else cases_mod.relative_link(uri, cf.src_uri)

    views, chunks = [], {}
    for g in gs:
        view, more = cases_mod.group_view(g, uri, show, OPEN_LIMIT, CHUNK_SIZE, href)
        views.append(view)
        chunks.update(more)
    # 数据文件在 on_post_page 中写到本页旁边（那时 site_dir 已是当前语言的输出目录）
    _state.setdefault("chunks", {})[uri] = chunks
    return env.get_template("partials/column/cases-groups.md").render(
        groups=views,
        empty_note=empty,
        parent_keys=parent_keys,
    )


def on_files(files: Files, config: MkDocsConfig) -> Files:
    _state["files_by_uri"] = {f.src_uri: f for f in files if f.src_uri.startswith("cases/")}
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """把索引页各组“显示更多”的数据文件写到页面旁边。"""
    chunks = _state.get("chunks", {}).pop(page.file.src_uri, None)
    if chunks:
        folder = Path(config.site_dir) / posixpath.dirname(page.file.dest_uri)
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in chunks.items():
            (folder / name).write_text(cases_mod.more_script(data), encoding="utf-8")
    return output


def _empty_provinces(files) -> str:
    have = {f.case.region.province for f in files}
    missing = [p for p in PROVINCES if p not in have]
    return ("## 暂无案例的地区 { #region-none }\n\n" + "、".join(missing) + "。") if missing else ""
