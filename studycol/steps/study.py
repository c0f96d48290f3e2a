"""学习内容的一步：术语表、重点任务清单（页面、自查表、责任矩阵、下载文件）、解读要点检查和宣讲提纲，
以及内容页面上“术语首次出现处显示解释”。逻辑都在 studycol.glossary / tasks / study 中。

页面标记（本步独有的前缀，未知名称使构建失败）：
    <!-- glossary:list -->      术语表全文（docs/glossary/index.md）
    <!-- tasks:table -->        按责任主体分组的任务表，带筛选（docs/tasks/index.md）
    <!-- tasks:checklist -->    可打印的自查表（docs/tasks/checklist.md）
    <!-- tasks:matrix -->       责任矩阵：主体 × 通知各部分（docs/jiedu/matrix.md）
    <!-- tasks:part n4 -->      通知某一部分提出的任务一览（解读页面）
    <!-- tasks:downloads -->    CSV、XLSX 下载链接
    <!-- training:outline -->   由解读要点生成的宣讲提纲（docs/training/outline.md）
    <!-- jiedu:original n4 -->  解读页面顶部可展开的通知原文（纯文字和链接，不计为引用）
"""

from __future__ import annotations

from typing import Any

from studycol import glossary as glossary_mod
from studycol import notice as notice_mod
from studycol import render
from studycol import study as study_mod
from studycol import tasks as tasks_mod
from studycol import markers, problems, release, xref
from studycol.engine import Page, Pass, Stop, relative_url
from studycol.yamlsrc import DataError

TASKS_SRC = "data/tasks.yml"

# 在这些页面上，术语第一次出现时显示解释（通知原文页面不动：公文文本保持发布原样；测验页面不提示）
TERM_PAGES = ("jiedu/", "yingcuoshi/", "cases/", "tasks/", "training/")
GLOSSARY_PAGE = "glossary/index.md"
DOWNLOADS = ("downloads/tasks.csv", "downloads/tasks.xlsx")

PREFIXES = ("glossary", "tasks", "training", "jiedu")

TEMPLATES = {
    ("glossary", "list"): "partials/column/glossary-list.md",
    ("tasks", "table"): "partials/column/tasks-table.md",
    ("tasks", "checklist"): "partials/column/tasks-checklist.md",
    ("tasks", "matrix"): "partials/column/tasks-matrix.md",
    ("tasks", "part"): "partials/column/tasks-part.md",
    ("tasks", "downloads"): "partials/column/tasks-downloads.html",
    ("training", "outline"): "partials/column/training-outline.md",
    ("jiedu", "original"): "partials/column/jiedu-original.html",
}

LEDGER_NOTES = [
    "本表由“学习宣传贯彻《硬措施》专栏”的重点任务清单生成，逐条列出矿安〔2024〕2号通知提出的要求。",
    "“依据”一列是通知原文的位置（括号内为引用编号），可在专栏“通知原文”页按编号查找。",
    "“时间要求”照录通知原文的用词；通知没有提出时间要求的写“未明确”，本表不另设期限。",
    "“责任单位”“责任人”“完成时限”“完成情况”“备注”五列留空，由使用单位结合实际填写，作为本单位的工作台账。",
    "本单位不承担的任务可以删除相应行；需要增加的任务请另起行填写。",
]


class StudyStep:
    def __init__(self, p: Pass, content: Any) -> None:
        self.p = p
        try:
            self.notice: notice_mod.Notice = content.notice
            content.documents
        except DataError as exc:
            raise Stop("通知或文件登记表有误：\n" + str(exc)) from None
        try:
            self.tasks: tasks_mod.LoadedTasks = content.tasks
        except DataError as exc:
            raise Stop("重点任务清单 data/tasks.yml 有误（改正后重新构建）：\n" + str(exc)) from None
        try:
            self.glossary = release.published_glossary(content.glossary, release.current())  # 发布构建不含待核实的术语
        except DataError as exc:
            raise Stop("术语表 data/glossary.yml 有误（改正后重新构建）：\n" + str(exc)) from None
        terms = self.glossary.glossary.terms
        self.matchers = {"zh": glossary_mod.matcher(terms), "en": glossary_mod.matcher_en(terms)}
        self.labels = {t.id: t.label for t in notice_mod.targets(self.notice)}
        self.term_html: dict[Any, str] = {}

    def markdown(self, markdown: str, page: Page) -> str:
        src_uri = page.src_uri
        lang = page.locale
        is_jiedu = src_uri.startswith("jiedu/")
        if not is_jiedu and "<!--" not in markdown:
            return markdown  # 没有标记、也不是解读的页面（大多数）：不必再读源文件
        source = page.source
        if is_jiedu:
            for problem in study_mod.check_page(source, f"docs/{src_uri}"):
                problems.report(str(problem))

        def expand(marker: markers.Marker) -> str:
            prefix, name, arg = marker.prefix, marker.name, marker.arg
            template = render.localized_template(self.p.env, TEMPLATES[(prefix, name)], lang)
            if prefix == "glossary":
                return str(template.render(**self._glossary_context(lang, page)))
            if prefix == "training":
                return str(template.render(**self._outline_context()))
            if prefix == "jiedu":
                return str(template.render(**self._original_context(arg, page)))
            ctx = self._task_context(page)
            if name == "part":
                if not arg or arg not in ctx["part_labels"]:
                    raise markers.MarkerError(
                        "后面要写通知部分的编号，例如 <!-- tasks:part n4 -->；"
                        f"可用的编号：{'、'.join(ctx['part_ids'])}"
                    )
                ctx["part"] = arg
                ctx["part_tasks"] = [(i, t) for i, t in enumerate(ctx["tasks"]) if t.part == arg]
            return str(template.render(**ctx))

        for prefix in PREFIXES:
            markdown = markers.expand(markdown, prefix, expand, source=source, path=f"docs/{src_uri}")
        return markdown

    def content_html(self, html: str, page: Page) -> str:
        """术语首次出现处的解释。在交叉引用收集完目标之后运行：加入的提示框不会成为引用目标。"""
        if not page.src_uri.startswith(TERM_PAGES):
            return html
        glossary_url = self.p.lookup(GLOSSARY_PAGE)
        if glossary_url is None:
            return html
        base = relative_url(glossary_url, page.url)
        lang = page.locale
        template = render.localized_template(self.p.env, "partials/column/glossary-term.html", lang)

        def one(term: glossary_mod.Term, word: str, k: int) -> str:
            return render.render_numbered(
                self.term_html, (lang, term.id, word, base),
                lambda mark: str(template.render(term=term, word=word, k=mark, href=f"{base}#{term.id}")), k,
            )

        # 英文页面按英文术语匹配、显示英文解释；英文版中回退显示的中文页面仍按中文匹配
        pattern, lookup = self.matchers["en" if lang == "en" else "zh"]
        return str(glossary_mod.mark_first_uses(html, pattern, lookup, one)[0])

    def post_build(self) -> None:
        """下载文件只写一份（中文那一遍），英文页面的链接也指向它。"""
        rows = tasks_mod.ledger_rows(self.tasks.tasks.tasks, self.labels)
        out = self.p.site_dir / "downloads"
        out.mkdir(parents=True, exist_ok=True)
        (out / "tasks.csv").write_bytes(tasks_mod.to_csv(rows))
        (out / "tasks.xlsx").write_bytes(tasks_mod.to_xlsx(rows, title="重点任务清单（台账）填写说明", notes=LEDGER_NOTES))

    def _task_context(self, page: Page) -> dict[str, Any]:
        loaded: tasks_mod.LoadedTasks = self.tasks
        items = loaded.tasks.tasks

        def cites(index: int) -> list[str]:
            return [
                xref.markup(c, None, src=TASKS_SRC, line=loaded.cite_line(index, j))
                for j, c in enumerate(items[index].cites)
            ]

        def short_cites(index: int) -> list[str]:
            """自查表用的较短标签（去掉“通知”二字），打印时少占一栏宽度。"""
            labels = self.labels
            return [
                xref.markup(c, labels.get(c, c).removeprefix("通知"), src=TASKS_SRC, line=loaded.cite_line(index, j))
                for j, c in enumerate(items[index].cites)
            ]

        def task_ref(index: int) -> str:
            t = items[index]
            return xref.markup(t.id, t.title, src=TASKS_SRC, line=loaded.line(index, "id"))

        notice: notice_mod.Notice = self.notice
        part_ids = [p.id for p in notice.parts if any(t.part == p.id for t in items)]
        part_labels = {p.id: (p.label if not p.title else f"{p.no}、{p.title}") for p in notice.parts}
        part_short = {p.id: (p.label if not p.title else f"第{p.no}部分") for p in notice.parts}
        return {
            "tasks": items,
            "groups": tasks_mod.group_by_actor(items),
            "actors": tasks_mod.ACTORS,
            "cites": cites,
            "task_ref": task_ref,
            "short_cites": short_cites,
            "labels": self.labels,
            "part_ids": part_ids,
            "part_labels": part_labels,
            "part_short": part_short,
            "matrix": tasks_mod.matrix(items, part_ids),
            "ledger_columns": tasks_mod.LEDGER_COLUMNS,
            "downloads": [relative_url(d, page.url) for d in DOWNLOADS],
        }


    def _glossary_context(self, lang: str, page: Page) -> dict[str, Any]:
        # 英文页面说明“各来源支持哪项事实”见中文版
        return glossary_mod.list_context(self.glossary, lang, render.zh_href(page.url) if lang == "en" else "")


    def _outline_context(self) -> dict[str, Any]:
        docs = self.p.docs_dir
        jiedu = docs / "jiedu"
        files = sorted(jiedu.glob("*.md"), key=lambda p: (p.name != "index.md", p.name)) if jiedu.is_dir() else []
        pages = []
        for f in files:
            if f.name.endswith((".en.md",)):
                continue
            text = study_mod.blank_front_matter(f.read_text(encoding="utf-8").replace("\r\n", "\n"))
            pages.append((f"jiedu/{f.name}", text, 0))
        notice: notice_mod.Notice = self.notice
        groups, _ = study_mod.outline_groups(pages, [p.id for p in notice.parts])
        titles = {p.id: (p.label if not p.title else f"{p.no}、{p.title}") for p in notice.parts}
        items = []
        for pid, entries in groups:
            items.append(
                (
                    pid,
                    titles[pid],
                    [
                        (uri, p, study_mod.with_source(p.summary, f"docs/{uri}", p.summary_line))
                        for uri, p in entries
                    ],
                )
            )
        return {"groups": items}


    def _original_context(self, part_id: str | None, page: Page) -> dict[str, Any]:
        notice: notice_mod.Notice = self.notice
        parts = {p.id: p for p in notice.parts}
        if part_id not in parts:
            raise markers.MarkerError(
                f"后面要写通知部分的编号，例如 <!-- jiedu:original n4 -->；可用的编号：{'、'.join(parts)}"
            )
        part = parts[part_id]
        notice_file = self.p.lookup("notice/index.md")
        notice_url = relative_url(notice_file, page.url) if notice_file else "../notice/"
        return {
            "part": part,
            "heading": part.label if not part.title else f"{part.no}、{part.title}",
            "paragraphs": [(para.id, notice_mod.paragraph_text(para)) for para in part.paragraphs],
            "count": sum(len(para.sentences) for para in part.paragraphs),
            "notice_url": notice_url,
        }
