"""专栏的基础一步：环境检查、部署单位信息、发布选项、通知和导入公文的核对、<!-- column:… --> 与
<!-- lint:… --> 标记、栏目标签、一图读懂、订阅文件和 404 页的整理。"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from studycol import ids, importer, markers, portal, problems, release, render, site
from studycol import notice as notice_mod
from studycol.engine import Page, Pass, Stop
from studycol.lint.rules import RULES
from studycol.yamlsrc import DataError

SHIM = "assets/vendor/iframe-worker-shim.js"
LINT_TEMPLATE = "partials/column/lint-rules.md"
EN_PERMALINK_TITLE = "Link to this section"


def offline() -> bool:
    """U 盘版构建（OFFLINE=1）。"""
    return site.is_truthy(os.environ.get("OFFLINE", ""))


class ColumnStep:
    def __init__(self, p: Pass, shared: dict[str, Any], content: Any) -> None:
        self.p = p
        self.content = content
        # render 和 portal 的上下文函数读这个字典：通知、译本、导入的公文、部署单位、当前页面的语言
        self.state: dict[str, Any] = {"shared": shared}
        self.shared = shared  # 一次构建内各语言共用（翻译状态表、默认语言的 404 页）
        self.excludes = release.Excludes()  # 发布构建中不进站点的页面（胶水层据此改引擎的配置）

    def config(self) -> None:
        try:
            import jieba  # noqa: F401
        except ImportError:
            raise Stop(
                "未安装 jieba：没有它，中文搜索会悄无声息地失效（搜“监控”“偷采”都搜不到）。"
                "请运行 make install（或 pip install -r requirements.txt）后重新构建。"
            ) from None
        p, content, state = self.p, self.content, self.state
        try:
            identity = site.parse_identity(p.extra)
        except ValueError as exc:
            raise Stop(str(exc)) from None
        state["identity"] = identity
        p.extra["identity"] = identity.model_dump()
        p.extra["identity"]["is_nationwide"] = identity.is_nationwide
        try:  # 发布构建（RELEASE=1）：清单中有阻止发布的项目时停止；编辑页面和不发布的案例不进站点
            _, self.excludes = release.prepare(p.extra, p.site_url, p.config_name, identity, content)
        except release.Blocked as exc:
            raise Stop(str(exc)) from None
        if offline():  # U 盘版：使用仓库自带的 iframe-worker 垫片，离线插件就不会去加载 unpkg.com
            polyfills = p.extra.get("polyfills") or []
            if not (p.docs_dir / SHIM).is_file():
                raise Stop(f"U 盘版需要 {SHIM}；请用 make offline 构建（它会从 npm 取得该文件）。")
            if SHIM not in polyfills:
                p.extra["polyfills"] = [*polyfills, SHIM]
        state["notice"] = self._load("通知数据有误：\n", lambda: content.notice)
        # 已发布的通知编号不见了、也没有别名（ID-3）：在译文结构和原文核对（二者都会中止构建）之前报告
        for problem in ids.removed_from_content(content):
            problems.report(str(problem))
        state["notice_en"] = self._load("通知英文译本数据有误：\n", lambda: content.notice_en)
        mismatches = notice_mod.translation_problems(state["notice"], state["notice_en"])
        if mismatches:
            raise Stop("data/notice.en.yml 与 data/notice.yml 的结构不一致：" + "；".join(mismatches) + "。请逐句对应翻译，保留原文的编号。")
        state["docs_dir"] = str(p.docs_dir)
        report = notice_mod.check_fidelity(state["notice"], content.received_text)
        if not report.ok:
            raise Stop("data/notice.yml 与收到的通知原文不一致：\n" + "\n".join(report.problems))
        state["fidelity_instances"] = report.differences
        # 导入的公文（data/gongwen/）：读取，并与 data/source/ 中的底本逐字核对（IMP-13）
        state["gongwen"] = self._load("导入的公文数据有误：\n", lambda: content.gongwen)
        state["gongwen_received"] = importer.received_texts(content.root, state["gongwen"])
        for imported in importer.build_problems(content.root, state["gongwen"], state["gongwen_received"]):
            problems.report(str(imported))

    @staticmethod
    def _load(what: str, get: Any) -> Any:
        try:
            return get()
        except DataError as exc:
            raise Stop(what + str(exc)) from None

    def markdown(self, markdown: str, page: Page) -> str:
        self.state["lang"] = page.locale
        markdown = release.editors_in_page(markdown, page.src_uri, page.source)
        markdown = release.drop_withheld_case_paragraphs(release.unlink_hidden_terms(markdown, page.locale))
        if "lint:" in markdown:  # 编辑指南中的排版规则表：来自 studycol/lint/rules.py，文档与检查程序不会脱节
            markdown = markers.expand(
                markdown, "lint",
                lambda m: self.p.make_env().get_template(LINT_TEMPLATE).render(rules=[r for r in RULES if not r.retired]),
                source=page.source, path=f"docs/{page.src_uri}",
            )
        if "column:" not in markdown:
            return markdown
        return markers.expand(
            markdown, "column", lambda m: render.marker(m.name, self.p.env, self.state, page, m.arg),
            source=page.source, path=f"docs/{page.src_uri}",
        )

    def content_html(self, html: str) -> str:
        """英文版（含回退显示的中文页）中，标题旁的链接符号的提示改用英文：toc 扩展的 permalink_title 只能设一种语言。"""
        if self.p.language != "en":
            return html
        title = str((self.p.mdx_configs.get("toc") or {}).get("permalink_title") or "")
        return html.replace(f'title="{title}"', f'title="{EN_PERMALINK_TITLE}"') if title else html

    def post_page(self, output: str, page: Page) -> str:
        release.screen_page(output, page.src_uri, page.source)
        return render.strip_page_alternates(output, feeds=offline())

    def post_template(self, output: str, template_name: str) -> str:
        return render.keep_default_404(output, template_name, self.p.language, self.p.site_dir, self.shared, self.p.first)

    def post_build(self) -> None:
        portal.write_generated(self.state, self.p.site_dir)  # 一图读懂的 SVG（studycol/portal.py）
        portal.tidy_feeds(self.p.site_dir)
