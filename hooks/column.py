"""专栏的基础钩子：环境检查、部署单位信息、通知原文页面的生成。

逻辑都在 studycol 包里；这里只把它接到 MkDocs 的事件上。
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from studycol import notice as notice_mod
from studycol import assets, build, ids, importer, markers, portal, problems, release, render, site
from studycol.languages import first_language_pass
from studycol.yamlsrc import DataError

log = logging.getLogger("mkdocs.hooks.column")


_state: dict = {}
# 一次构建内各语言共用的结果（如翻译状态表）：只在默认语言的 on_config 中清空
_shared: dict = {}


@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    content = build.begin_for(config).content
    portal.feed_for_language_pass(config.plugins, first_language_pass(config))  # 订阅只有中文一份
    _state.clear()
    if first_language_pass(config):
        _shared.clear()
    _state["shared"] = _shared
    try:
        import jieba  # noqa: F401
    except ImportError:
        raise PluginError(
            "未安装 jieba：没有它，中文搜索会悄无声息地失效（搜“监控”“偷采”都搜不到）。"
            "请运行 make install（或 pip install -r requirements.txt）后重新构建。"
        ) from None

    try:
        identity = site.parse_identity(config.extra)
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    _state["identity"] = identity
    config.extra["identity"] = identity.model_dump()
    config.extra["identity"]["is_nationwide"] = identity.is_nationwide

    try:  # 发布构建（RELEASE=1）：清单中有阻止发布的项目时停止；编辑页面和不发布的案例不进站点
        release.prepare(config, identity, content)
    except release.Blocked as exc:
        raise PluginError(str(exc)) from None

    # U 盘版：使用仓库自带的 iframe-worker 垫片，离线插件就不会去加载 unpkg.com
    if site.is_truthy(os.environ.get("OFFLINE", "")):
        polyfills = config.extra.get("polyfills") or []
        shim = "assets/vendor/iframe-worker-shim.js"
        if not (Path(config.docs_dir) / shim).is_file():
            raise PluginError(f"U 盘版需要 {shim}；请用 make offline 构建（它会从 npm 取得该文件）。")
        if shim not in polyfills:
            config.extra["polyfills"] = [*polyfills, shim]

    try:
        _state["notice"] = content.notice
    except DataError as exc:
        raise PluginError("通知数据有误：\n" + str(exc)) from None
    # 已发布的通知编号不见了、也没有别名（ID-3）：在译文结构和原文核对（二者都会中止构建）之前报告
    for problem in ids.removed_from_content(content):
        problems.report(str(problem))
    try:
        _state["notice_en"] = content.notice_en
    except DataError as exc:
        raise PluginError("通知英文译本数据有误：\n" + str(exc)) from None
    mismatches = notice_mod.translation_problems(_state["notice"], _state["notice_en"])
    if mismatches:
        raise PluginError("data/notice.en.yml 与 data/notice.yml 的结构不一致：" + "；".join(mismatches) + "。请逐句对应翻译，保留原文的编号。")
    _state["docs_dir"] = config.docs_dir
    report = notice_mod.check_fidelity(_state["notice"], content.received_text)
    if not report.ok:
        raise PluginError(
            "data/notice.yml 与收到的通知原文不一致：\n" + "\n".join(report.problems)
        )
    _state["fidelity_instances"] = report.differences
    # 导入的公文（data/gongwen/）：读取，并与 data/source/ 中的底本逐字核对（IMP-13）
    try:
        _state["gongwen"] = content.gongwen
    except DataError as exc:
        raise PluginError("导入的公文数据有误：\n" + str(exc)) from None
    _state["gongwen_received"] = importer.received_texts(content.root, _state["gongwen"])
    for problem in importer.build_problems(content.root, _state["gongwen"], _state["gongwen_received"]):
        problems.report(problem)
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # 页面的语言：英文页（*.en.md）是 en；英文版中回退显示的中文页仍是 zh（由 mkdocs-static-i18n 标注）
    _state["lang"] = getattr(page.file, "locale", None) or str(config.theme.get("language") or "zh")
    markdown = release.editors_in_page(markdown, page.file.src_uri, render.page_source(page))
    markdown = release.drop_withheld_case_paragraphs(release.unlink_hidden_terms(markdown, _state["lang"]))
    if "column:" not in markdown:
        return markdown
    return markers.expand(
        markdown, "column",
        lambda m: render.marker(m.name, render.theme_env(config, _state), _state, page, m.arg),
        source=render.page_source(page), path=f"docs/{page.file.src_uri}",
    )


@event_priority(-20)  # 晚于订阅插件（0）写出订阅文件
def on_post_build(config: MkDocsConfig) -> None:
    portal.write_generated(_state, config.site_dir)  # 一图读懂的 SVG（studycol/portal.py）
    portal.tidy_feeds(config.site_dir)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    section = _state.pop("active_section", None)
    if section is not None:  # 只在本页渲染时标为当前栏目
        section.active = False
    release.screen_page(output, page.file.src_uri, render.page_source(page), config)
    return render.strip_page_alternates(output, feeds=site.is_truthy(os.environ.get("OFFLINE", "")))


def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    """只在用到的页面上加载测验、任务筛选、“显示更多”的样式和脚本（studycol/assets.py，overrides/main.html）。"""
    context["column_assets"] = assets.page_assets(page.content or "")
    # 不列入导航的页面（案例、动态）：页眉的栏目标签和侧栏标出它所属的栏目
    pages = {p.file.src_uri: p for p in nav.pages}
    index = portal.section_index(page.file.src_uri, pages)
    if index is not None:
        pages[index].active = True
        _state["active_section"] = pages[index]
    return context


@event_priority(-200)  # 晚于 hooks/search.py（把 404 页的搜索换成本站引擎）
def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    return render.keep_default_404(output, template_name, config, _shared, first_language_pass(config))


EN_PERMALINK_TITLE = "Link to this section"


@event_priority(-90)
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """英文版（含回退显示的中文页）中，标题旁的链接符号的提示改用英文：toc 扩展的 permalink_title 只能设一种语言。"""
    if str(config.theme.get("language") or "zh") != "en":
        return html
    title = str((config.mdx_configs.get("toc") or {}).get("permalink_title") or "")
    return html.replace(f'title="{title}"', f'title="{EN_PERMALINK_TITLE}"') if title else html

