"""一次构建的页面流水线：引擎的每个事件按固定顺序交给各步（studycol/steps/）。

一次构建可以有几遍：mkdocs-static-i18n 为每种语言把全部事件重跑一遍（默认语言在先，其他语言在默认语言的
post_build 中作为内部构建运行）。什么时候是新的一次构建、哪些状态跨语言保留，只在这里决定：

- 默认语言那一遍（Pass.first）开始一次新构建：新的内容模型和报告口（studycol.build），新的共用状态；
- 每一遍新建全部步骤（步骤的状态只属于这一遍）；跨语言共用的只有 Shared 中的几项；
- 只需对整个站点做一次的（导出文件、机器可读的数据）在默认语言那一遍做；要在全部语言写完之后做的
  （整理合并后的搜索索引、内容安全策略）在默认语言那一遍的最后做（site_done）。

页面在一遍中依次经过：markdown（源文件检查 → 案例页面 → 标记展开 → 交叉引用占位）→ 引擎转换成 HTML →
content_html（收集引用目标 → 术语解释 → 安全检查）→ 全部页面转换完：env（中止或解析引用）→
context（链接、反向链接、日期）→ 引擎套主题模板 → post_page（发布检查、去掉备用链接、搜索引擎、CSP 哈希）。
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from studycol import assets, build, htmlscreen, pagedates
from studycol.engine import Page, Pass, SourceFile
from studycol.problems import Emit
from studycol.steps.cases import CasesStep
from studycol.steps.column import ColumnStep
from studycol.steps.dates import DatesStep
from studycol.steps.quiz import QuizStep
from studycol.steps.safety import SafetyBuild, SafetyStep
from studycol.steps.search import SearchStep
from studycol.steps.study import StudyStep
from studycol.steps.xref import XrefStep


@dataclasses.dataclass
class Shared:
    """一次构建中各语言共用的状态。"""

    safety: SafetyBuild = dataclasses.field(default_factory=SafetyBuild)
    column: dict[str, Any] = dataclasses.field(default_factory=dict)  # 翻译状态表、默认语言的 404 页
    git: dict[str, dict[str, pagedates.GitDates]] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Steps:
    """一遍构建的全部步骤（按 config 的顺序）。"""

    p: Pass
    safety: SafetyStep
    column: ColumnStep
    xref: XrefStep
    quiz: QuizStep
    cases: CasesStep
    study: StudyStep
    search: SearchStep
    dates: DatesStep


class Pipeline:
    def __init__(self, emit: Emit | None = None) -> None:
        """emit：每条问题交给谁（缺省为日志的 warning；测试传入列表的 append）。"""
        self.emit = emit
        self.shared = Shared()
        self.passes: list[Steps] = []
        self.dict_path: Path | None = None  # 交给搜索插件的分词词典（None：不改插件的设置）

    @property
    def now(self) -> Steps:
        """正在进行的这一遍。"""
        return self.passes[-1]

    def config(self, p: Pass, search_dict: str = "") -> Steps:
        """一遍构建开始：读取并核对全部内容（studycol.content，每次构建只读一次）。
        search_dict：搜索插件现在的 jieba 用户词典设置；核心写出的词典路径留在 dict_path 中交给胶水层。"""
        new_build = p.first or not self.passes
        if new_build:
            self.shared = Shared()
            self.passes = []
        content = build.begin(p, new_build, p.root, p.docs_dir, self.emit).content
        safety = SafetyStep(p, self.shared.safety)
        safety.config()
        column = ColumnStep(p, self.shared.column, content)
        column.config()
        xref = XrefStep(p, content)
        quiz, cases, study = QuizStep(p, content), CasesStep(p, content), StudyStep(p, content)
        search = SearchStep(p)
        self.dict_path = search.config(search_dict)
        steps = Steps(p, safety, column, xref, quiz, cases, study, search, DatesStep(p, self.shared.git))
        self.passes.append(steps)
        return steps

    def files(self, files: list[SourceFile]) -> list[SourceFile]:
        """源文件的安全检查；返回不发布的文件（胶水层从引擎的文件列表中去掉它们，再填入 Pass.urls）。"""
        return self.now.safety.files(files)

    def files_listed(self) -> None:
        """引擎的文件列表定下之后：每套测验、每份试卷都要有页面。"""
        self.now.quiz.files()

    def markdown(self, markdown: str, page: Page) -> str:
        """页面转换前，在引擎自己的处理之前（安全检查、案例页面）。"""
        s = self.now
        return s.cases.markdown(s.safety.markdown(markdown, page), page)

    def markdown_markers(self, markdown: str, page: Page) -> str:
        """页面转换前：展开各前缀的标记。"""
        s = self.now
        for step in (s.column, s.quiz, s.study):
            markdown = step.markdown(markdown, page)
        return markdown

    def markdown_refs(self, markdown: str, page: Page) -> str:
        """页面转换前，最后：[[编号]] 换成占位元素（生成内容里的引用也在内）。"""
        return self.now.xref.markdown(markdown, page)

    def content_html(self, html: str, page: Page) -> str:
        s = self.now
        tree = htmlscreen.parse_fragment(html)  # 每页只解析一次：引用目标和安全检查共用
        html = s.xref.content_html(html, page, tree)  # 先收集目标：随后加入的提示框不会成为引用目标
        html = s.study.content_html(html, page)
        html = s.safety.content_html(html, page, tree)
        return s.column.content_html(html)

    def env(self) -> None:
        """全部页面转换完：有安全问题的严格构建在此中止；否则解析全部引用。"""
        s = self.now
        s.safety.env()
        s.xref.env()

    def context(self, page: Page, content: str, toc: Any) -> tuple[str, dict[str, Any]]:
        """页面套模板之前：返回新的正文和给模板的变量。"""
        s = self.now
        content = s.xref.context(page, content, toc)
        extra = {"column_assets": assets.page_assets(content), **s.dates.context(page)}
        return content, extra

    def post_page(self, output: str, page: Page) -> str:
        s = self.now
        output = s.column.post_page(output, page)
        s.cases.post_page(page)
        return s.search.post_page(output)

    def post_page_last(self, output: str, page: Page, content: str) -> str:
        """页面写出之前，在其他插件改完之后：内容安全策略的哈希。"""
        return self.now.safety.post_page(output, page, content)

    def post_template(self, output: str, template_name: str) -> str:
        """不经过 post_page 的模板页面（404）：本站的搜索引擎。"""
        return self.now.search.post_page(output) if template_name.endswith(".html") else output

    def post_template_last(self, output: str, template_name: str) -> str:
        return self.now.column.post_template(output, template_name)

    def post_build(self) -> None:
        """这一遍写完页面：只写一次的文件在默认语言那一遍写（英文版与中文共用站点目录）。"""
        s = self.now
        if s.p.first:
            s.quiz.post_build()
            s.xref.post_build()
            s.study.post_build()

    def post_build_generated(self) -> None:
        """这一遍生成的文件（一图读懂）和订阅文件的整理：晚于订阅插件。"""
        self.now.column.post_build()

    def site_search(self) -> None:
        """全部语言都写完、i18n 合并了各语言的索引之后（默认语言那一遍的最后）：整理搜索索引。"""
        self.passes[0].search.post_build()

    def site_done(self) -> None:
        """全部语言都写完、其他插件也改完之后：查遍站点的内联事件属性，写出内容安全策略。"""
        self.passes[0].safety.post_build()
