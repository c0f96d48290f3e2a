"""学习测验的一步：核对题库，展开 <!-- quiz:… --> 标记，构建结束时导出 CSV 和 XLSX。

逻辑在 studycol.quiz（题库、核对）、studycol.quiz_papers（组卷）和 studycol.quiz_export（导出）中；
这里用 overrides/partials/column/quiz-*.html 模板输出 HTML。题目的出处写成 [[编号||src:data/quiz/文件.yml:行]]，
由交叉引用一步解析成链接，断链时报告题库文件和行号。
"""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape

from studycol import markers, problems, quiz, quiz_export, quiz_papers, release, xref
from studycol.engine import Page, Pass, Stop, relative_url
from studycol.markers import MarkerError
from studycol.yamlsrc import DataError

DOWNLOADS = "downloads"
EXPORT_STEM = "quiz-bank"

def _stem_html(stem: str) -> Markup:
    """题干转义后，把 ____ 换成带读屏说明的空白。"""
    parts = quiz.BLANK_RE.split(stem)
    blank = Markup('<span class="quiz-blank"><span class="gw-visually-hidden">（填空处）</span></span>')
    return blank.join(escape(p) for p in parts)


def compact(html: str) -> str:
    """去掉空行和缩进：整段 HTML 留在一个原始 HTML 块里，Markdown 不会再去处理它。"""
    return "\n".join(line.strip() for line in html.splitlines() if line.strip())


class QuizStep:
    def __init__(self, p: Pass, content: Any) -> None:
        self.p = p
        # 题库对每种语言都一样：同一次构建只读一次、核对一次（studycol.content）
        try:
            bank, self.sources, report = content.quiz
            self.bank: quiz.Bank = release.published_bank(bank, release.current())  # 发布构建只发布已核实的题目
            papers, papers_src = content.papers
        except DataError as exc:
            raise Stop("题库数据有误：\n" + str(exc)) from None
        self.papers: quiz_papers.PapersFile = papers
        errors = report.errors + quiz_papers.check_papers(self.bank, papers, papers_src)
        if errors:
            raise Stop(f"题库核对未通过（{len(errors)} 处）：\n" + "\n".join(str(e) for e in errors))
        for w in report.warnings:
            problems.report(str(w))

    def files(self) -> None:
        """每套测验、每份试卷都要有自己的页面：docs/quiz/<测验>.md、docs/quiz/paper-<卷>.md。"""
        found = [
            f"{qset.path}:1: 测验“{qset.id}”没有页面：请新建 docs/quiz/{qset.id}.md，并在其中写上 <!-- quiz:set {qset.id} -->。"
            for qset in self.bank.sets if self.p.file_url(f"quiz/{qset.id}.md") is None
        ] + [
            f"data/quiz/papers.yml:1: 试卷“{v.name}”没有页面：请新建 docs/quiz/paper-{v.id}.md，并在其中写上 <!-- quiz:paper {v.id} -->。"
            for v in self.papers.papers.variants if self.p.file_url(f"quiz/paper-{v.id}.md") is None
        ]
        if found:
            raise Stop("\n".join(found))

    def _url(self, src_uri: str) -> str:
        return self.p.file_url(src_uri) or ""  # files() 已核对每套测验、每份试卷都有页面

    def markdown(self, markdown: str, page: Page) -> str:
        if "quiz:" not in markdown:
            return markdown
        return markers.expand(
            markdown, "quiz", lambda m: self.render(m.name, m.arg, page), source=page.source, path=f"docs/{page.src_uri}",
        )

    def post_build(self) -> None:
        """导出文件只写一次（中文那一遍）：英文版与中文共用站点目录。"""
        quiz_export.write_exports(self.bank, self.sources, self.p.site_dir / DOWNLOADS, EXPORT_STEM)


    def _question(self, v: quiz_papers.View, home: str | None = None) -> dict[str, Any]:
        q = v.q
        if q.type in ("单选", "多选"):
            data_answer = v.answer
        elif q.type == "判断":
            data_answer = q.answer
        else:
            data_answer = json.dumps([q.answer, *q.accept], ensure_ascii=False)
        return {
            "v": v,
            "q": q,
            "key": v.key,
            "number": v.number,
            "code": quiz.TYPE_CODES[q.type],
            "stem_html": _stem_html(q.stem),
            "has_paren": re.search(r"（\s*）", q.stem) is not None,
            "options": list(zip(quiz.LETTERS, v.options, strict=False)),
            "data_answer": data_answer,
            "answer_text": v.answer_text,
            "label": "测验题：" + xref.shorten(quiz.BLANK_RE.sub("＿", q.stem), 28),
            # 出处交给交叉引用一步：断链时报告题库文件和行号
            "source": Markup(xref.markup(q.source, src=v.item.path, line=v.item.line)),
            "home": home,
            "part": quiz.set_title(self.bank, v.item.set),
        }


    def _sections(self, sections: list[quiz_papers.PaperSection], homes: dict[str, str] | None = None) -> list[dict[str, Any]]:
        out = []
        for sec in sections:
            out.append(
                {
                    "no": sec.no,
                    "name": sec.name,
                    "type": sec.type,
                    "points": sec.points,
                    "total": sec.total,
                    "count": len(sec.views),
                    "start": sec.views[0].number if sec.views else 1,
                    "questions": [self._question(v, (homes or {}).get(v.q.id)) for v in sec.views],
                }
            )
        return out


    def _home_links(self, page: Page) -> dict[str, str]:
        """综合测试中每道题在其所属测验页面上的地址（错题本链接到那里）。"""
        return {item.q.id: relative_url(self._url(f"quiz/{item.set}.md"), page.url) + "#" + item.q.id for item in self.bank.items}


    def render(self, name: str, arg: str | None, page: Page) -> str:
        env = self.p.env
        bank, papers = self.bank, self.papers
        if name == "set":
            qset = next((s for s in bank.sets if s.id == arg), None)
            if qset is None:
                raise MarkerError(f"没有名为“{arg}”的测验；可用的有：{'、'.join(s.id for s in bank.sets)}。")
            if page.src_uri != f"quiz/{qset.id}.md":
                raise MarkerError(
                    f"测验“{qset.id}”只能放在 docs/quiz/{qset.id}.md 中（题目编号全站唯一，同一套题不能出现在两个页面）。"
                )
            sections = self._sections(quiz_papers.set_views(bank, qset.id))
            html = env.get_template("partials/column/quiz-form.html").render(
                quiz_id=qset.id, title=qset.title, description=qset.description, sections=sections,
                count=sum(s["count"] for s in sections), comprehensive=False,
            )
        elif name == "comprehensive":
            cfg = papers.comprehensive
            sections = self._sections(quiz_papers.build_comprehensive(bank, cfg), self._home_links(page))
            html = env.get_template("partials/column/quiz-form.html").render(
                quiz_id="comprehensive", title=cfg.title, description="", sections=sections,
                count=sum(s["count"] for s in sections), comprehensive=True,
            )
        elif name == "paper":
            ids = [v.id for v in papers.papers.variants]
            if arg not in ids:
                raise MarkerError(f"没有编号为“{arg}”的试卷；data/quiz/papers.yml 中有：{'、'.join(ids)}。")
            if page.src_uri != f"quiz/paper-{arg}.md":
                raise MarkerError(f"试卷“{arg}”只能放在 docs/quiz/paper-{arg}.md 中。")
            paper = quiz_papers.build_paper(bank, papers.papers, arg)
            html = env.get_template("partials/column/quiz-paper.html").render(
                paper=paper, sections=self._sections(paper.sections)
            )
        elif name == "papers":
            rows = []
            for v in papers.papers.variants:
                paper = quiz_papers.build_paper(bank, papers.papers, v.id)
                rows.append({"paper": paper, "href": relative_url(self._url(f"quiz/paper-{v.id}.md"), page.url)})
            html = env.get_template("partials/column/quiz-papers.html").render(rows=rows, config=papers.papers)
        elif name == "sets":
            rows = []
            for s in bank.sets:
                items = bank.by_set(s.id)
                rows.append(
                    {
                        "set": s,
                        "href": relative_url(self._url(f"quiz/{s.id}.md"), page.url),
                        "counts": quiz.counts_by_type(items),
                        "total": len(items),
                        "generated": sum(1 for i in items if i.generated),
                    }
                )
            html = env.get_template("partials/column/quiz-sets.html").render(
                rows=rows, types=quiz.TYPES, totals=quiz.counts_by_type(bank.items), total=len(bank.items),
                generated=sum(1 for i in bank.items if i.generated),
            )
        elif name == "downloads":
            html = env.get_template("partials/column/quiz-downloads.html").render(
                csv=relative_url(f"{DOWNLOADS}/{EXPORT_STEM}.csv", page.url),
                xlsx=relative_url(f"{DOWNLOADS}/{EXPORT_STEM}.xlsx", page.url),
                header=quiz_export.HEADER, total=len(bank.items),
            )
        else:  # wrongbook（名称已由 studycol.markers 核对）
            html = env.get_template("partials/column/quiz-wrongbook.html").render()
        return compact(html)
