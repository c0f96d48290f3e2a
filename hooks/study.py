"""学习内容钩子：术语表、重点任务清单（页面、自查表、责任矩阵、下载文件）、解读要点检查和宣讲提纲，
以及内容页面上“术语首次出现处显示解释”。逻辑都在 studycol.glossary / tasks / study 中，这里只接事件。

页面标记（本钩子独有的前缀，未知名称使构建失败）：
    <!-- glossary:list -->      术语表全文（docs/glossary/index.md）
    <!-- tasks:table -->        按责任主体分组的任务表，带筛选（docs/tasks/index.md）
    <!-- tasks:checklist -->    可打印的自查表（docs/tasks/checklist.md）
    <!-- tasks:matrix -->       责任矩阵：主体 × 通知各部分（docs/jiedu/matrix.md）
    <!-- tasks:part n4 -->      通知某一部分提出的任务一览（解读页面）
    <!-- tasks:downloads -->    CSV、XLSX 下载链接
    <!-- training:outline -->   由解读要点生成的宣讲提纲（docs/training/outline.md）
    <!-- jiedu:original n4 -->  解读页面顶部可展开的通知原文（纯文字和链接，不计为引用）

i18n 插件会为每种语言各跑一遍全部事件；下载文件只在中文构建中写出，问题只报告一次。
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from studycol.languages import theme_language
from studycol import glossary as glossary_mod
from studycol import notice as notice_mod
from studycol import render as render_mod
from studycol import study as study_mod
from studycol import tasks as tasks_mod
from studycol import markers, build, problems, release, xref
from studycol.yamlsrc import DataError

log = logging.getLogger("mkdocs.hooks.study")

TASKS_SRC = "data/tasks.yml"

# 在这些页面上，术语第一次出现时显示解释（通知原文页面不动：公文文本保持发布原样；测验页面不提示）
TERM_PAGES = ("jiedu/", "yingcuoshi/", "cases/", "tasks/", "training/")
GLOSSARY_PAGE = "glossary/index.md"
DOWNLOADS = ("downloads/tasks.csv", "downloads/tasks.xlsx")

PREFIXES = ("glossary", "tasks", "training", "jiedu")

_state: dict = {}


@event_priority(80)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    content = build.begin_for(config).content
    _state.clear()
    try:
        notice = content.notice
        content.documents
    except DataError as exc:
        raise PluginError("通知或文件登记表有误：\n" + str(exc)) from None
    try:
        loaded_tasks = content.tasks
    except DataError as exc:
        raise PluginError("重点任务清单 data/tasks.yml 有误（改正后重新构建）：\n" + str(exc)) from None
    try:
        loaded_glossary = release.published_glossary(content.glossary, release.current())  # 发布构建不含待核实的术语
    except DataError as exc:
        raise PluginError("术语表 data/glossary.yml 有误（改正后重新构建）：\n" + str(exc)) from None
    pattern, lookup = glossary_mod.matcher(loaded_glossary.glossary.terms)
    pattern_en, lookup_en = glossary_mod.matcher_en(loaded_glossary.glossary.terms)
    _state.update(
        term_pattern_en=pattern_en,
        term_lookup_en=lookup_en,
        notice=notice,
        labels={t.id: t.label for t in notice_mod.targets(notice)},
        tasks=loaded_tasks,
        glossary=loaded_glossary,
        term_pattern=pattern,
        term_lookup=lookup,
    )
    return config


def _env(config: MkDocsConfig):
    return render_mod.theme_env(config, _state)


# ---- 页面标记 ----------------------------------------------------------------------


def _task_context(config: MkDocsConfig, page: Page) -> dict:
    loaded: tasks_mod.LoadedTasks = _state["tasks"]
    items = loaded.tasks.tasks

    def cites(index: int) -> list[str]:
        return [
            xref.markup(c, None, src=TASKS_SRC, line=loaded.cite_line(index, j))
            for j, c in enumerate(items[index].cites)
        ]

    def short_cites(index: int) -> list[str]:
        """自查表用的较短标签（去掉“通知”二字），打印时少占一栏宽度。"""
        labels = _state["labels"]
        return [
            xref.markup(c, labels.get(c, c).removeprefix("通知"), src=TASKS_SRC, line=loaded.cite_line(index, j))
            for j, c in enumerate(items[index].cites)
        ]

    def task_ref(index: int) -> str:
        t = items[index]
        return xref.markup(t.id, t.title, src=TASKS_SRC, line=loaded.line(index, "id"))

    notice: notice_mod.Notice = _state["notice"]
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
        "labels": _state["labels"],
        "part_ids": part_ids,
        "part_labels": part_labels,
        "part_short": part_short,
        "matrix": tasks_mod.matrix(items, part_ids),
        "ledger_columns": tasks_mod.LEDGER_COLUMNS,
        "downloads": [get_relative_url(d, page.url) for d in DOWNLOADS],
    }


def _glossary_context(lang: str, page: Page) -> dict:
    # 英文页面说明“各来源支持哪项事实”见中文版
    return glossary_mod.list_context(_state["glossary"], lang, render_mod.zh_href(page.url) if lang == "en" else "")


def _outline_context(config: MkDocsConfig) -> dict:
    docs = Path(config.docs_dir)
    jiedu = docs / "jiedu"
    files = sorted(jiedu.glob("*.md"), key=lambda p: (p.name != "index.md", p.name)) if jiedu.is_dir() else []
    pages = []
    for f in files:
        if f.name.endswith((".en.md",)):
            continue
        text = study_mod.blank_front_matter(f.read_text(encoding="utf-8").replace("\r\n", "\n"))
        pages.append((f"jiedu/{f.name}", text, 0))
    notice: notice_mod.Notice = _state["notice"]
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


def _original_context(part_id: str | None, page: Page, files: Files, src_uri: str, line: int) -> dict:
    notice: notice_mod.Notice = _state["notice"]
    parts = {p.id: p for p in notice.parts}
    if part_id not in parts:
        raise markers.MarkerError(
            f"后面要写通知部分的编号，例如 <!-- jiedu:original n4 -->；可用的编号：{'、'.join(parts)}"
        )
    part = parts[part_id]
    notice_file = files.get_file_from_path("notice/index.md")
    notice_url = get_relative_url(notice_file.url, page.url) if notice_file else "../notice/"
    return {
        "part": part,
        "heading": part.label if not part.title else f"{part.no}、{part.title}",
        "paragraphs": [(para.id, notice_mod.paragraph_text(para)) for para in part.paragraphs],
        "count": sum(len(para.sentences) for para in part.paragraphs),
        "notice_url": notice_url,
    }


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


def _page_lang(page: Page, config: MkDocsConfig) -> str:
    """页面的语言：英文页（*.en.md）是 en；英文版中回退显示的中文页仍是 zh（由 mkdocs-static-i18n 标注）。"""
    return getattr(page.file, "locale", None) or theme_language(config)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    src_uri = page.file.src_uri
    lang = _page_lang(page, config)
    is_jiedu = src_uri.startswith("jiedu/")
    if not is_jiedu and "<!--" not in markdown:
        return markdown  # 没有标记、也不是解读的页面（大多数）：不必再读源文件
    source = render_mod.page_source(page)
    if is_jiedu:
        for problem in study_mod.check_page(source, f"docs/{src_uri}"):
            problems.report(str(problem))

    def expand(marker: markers.Marker) -> str:
        prefix, name, arg, line = marker.prefix, marker.name, marker.arg, marker.line
        env = _env(config)
        template = render_mod.localized_template(env, TEMPLATES[(prefix, name)], lang)
        if prefix == "glossary":
            return template.render(**_glossary_context(lang, page))
        if prefix == "training":
            return template.render(**_outline_context(config))
        if prefix == "jiedu":
            return template.render(**_original_context(arg, page, files, src_uri, line))
        ctx = _task_context(config, page)
        if name == "part":
            if not arg or arg not in ctx["part_labels"]:
                raise markers.MarkerError(
                    "后面要写通知部分的编号，例如 <!-- tasks:part n4 -->；"
                    f"可用的编号：{'、'.join(ctx['part_ids'])}"
                )
            ctx["part"] = arg
            ctx["part_tasks"] = [(i, t) for i, t in enumerate(ctx["tasks"]) if t.part == arg]
        return template.render(**ctx)

    for prefix in PREFIXES:
        markdown = markers.expand(markdown, prefix, expand, source=source, path=f"docs/{src_uri}")
    return markdown


# ---- 术语首次出现处的解释 -----------------------------------------------------------


@event_priority(-10)
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """在交叉引用收集完目标之后运行：加入的提示框不会成为引用目标。"""
    if not page.file.src_uri.startswith(TERM_PAGES):
        return html
    # 术语表页面在一种语言的构建中不变：每种语言查一次（i18n 的查找每次都要构造几个路径对象）
    cached = _state.get("glossary_file")
    if cached is None or cached[0] is not files:
        cached = _state["glossary_file"] = (files, files.get_file_from_path(GLOSSARY_PAGE))
    glossary_file = cached[1]
    if glossary_file is None:
        return html
    base = get_relative_url(glossary_file.url, page.url)
    lang = _page_lang(page, config)
    template = render_mod.localized_template(_env(config), "partials/column/glossary-term.html", lang)

    rendered: dict[tuple, str] = _state.setdefault("term_html", {})

    def render(term: glossary_mod.Term, word: str, k: int) -> str:
        return render_mod.render_numbered(
            rendered, (lang, term.id, word, base),
            lambda mark: template.render(term=term, word=word, k=mark, href=f"{base}#{term.id}"), k,
        )

    # 英文页面按英文术语匹配、显示英文解释；英文版中回退显示的中文页面仍按中文匹配
    suffix = "_en" if lang == "en" else ""
    return glossary_mod.mark_first_uses(html, _state["term_pattern" + suffix], _state["term_lookup" + suffix], render)[0]


# ---- 下载文件 ----------------------------------------------------------------------


def on_post_build(config: MkDocsConfig) -> None:
    if theme_language(config) != "zh":
        return  # 英文构建与中文共用站点目录；下载文件只写一份，英文页面的链接也指向它
    loaded: tasks_mod.LoadedTasks = _state["tasks"]
    rows = tasks_mod.ledger_rows(loaded.tasks.tasks, _state["labels"])
    out = Path(config.site_dir) / "downloads"
    out.mkdir(parents=True, exist_ok=True)
    (out / "tasks.csv").write_bytes(tasks_mod.to_csv(rows))
    notes = [
        "本表由“学习宣传贯彻《硬措施》专栏”的重点任务清单生成，逐条列出矿安〔2024〕2号通知提出的要求。",
        "“依据”一列是通知原文的位置（括号内为引用编号），可在专栏“通知原文”页按编号查找。",
        "“时间要求”照录通知原文的用词；通知没有提出时间要求的写“未明确”，本表不另设期限。",
        "“责任单位”“责任人”“完成时限”“完成情况”“备注”五列留空，由使用单位结合实际填写，作为本单位的工作台账。",
        "本单位不承担的任务可以删除相应行；需要增加的任务请另起行填写。",
    ]
    (out / "tasks.xlsx").write_bytes(tasks_mod.to_xlsx(rows, title="重点任务清单（台账）填写说明", notes=notes))
