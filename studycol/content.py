"""站点内容：一次构建读一次、校验一次。

``Content`` 按需读取 data/ 和 docs/cases/ 中的全部内容（通知及其英文译本、文件登记表、编号别名、
重点任务、术语表、题库和试卷、案例词表和案例），每样只读一次；构建的各个步骤和不构建站点的快速命令
（make check、make check-content）都从这里取。读不了或不合规时抛出 ``DataError``（全部问题，带文件和行号）。

一次构建（含 i18n 为英文发起的内部构建）共用一个 ``Content``（见 studycol.build）。
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import Any

from studycol import cases as cases_mod
from studycol import documents as documents_mod
from studycol import glossary as glossary_mod
from studycol import faq as faq_mod
from studycol import gongwen as gongwen_mod
from studycol import ids as ids_mod
from studycol import news as news_mod
from studycol import notice as notice_mod
from studycol import quiz, quiz_papers
from studycol import tasks as tasks_mod
from studycol.yamlsrc import DataError


def today() -> dt.date:
    """今天的日期；测试可用环境变量 STUDYCOL_TODAY=YYYY-MM-DD 固定。"""
    fixed = os.environ.get("STUDYCOL_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


class Content:
    """一个站点目录（含 mkdocs.yml、data/、docs/）中的内容。属性第一次取用时读取并校验，之后直接复用。"""

    def __init__(self, root: Path, docs_dir: Path | None = None) -> None:
        self.root = Path(root)
        self.data = self.root / "data"
        self.docs = Path(docs_dir) if docs_dir is not None else self.root / "docs"

    # ---- 通知 ----------------------------------------------------------------------

    @functools.cached_property
    def notice(self) -> notice_mod.Notice:
        return notice_mod.load_notice(self.data / "notice.yml", "data/notice.yml")

    @functools.cached_property
    def notice_en(self) -> notice_mod.EnNotice:
        return notice_mod.load_notice_en(self.data / "notice.en.yml", "data/notice.en.yml")

    @functools.cached_property
    def received_text(self) -> str:
        return (self.data / "source" / "notice-received.txt").read_text(encoding="utf-8")

    # ---- 文件、编号 -----------------------------------------------------------------

    @functools.cached_property
    def gongwen(self) -> dict[str, gongwen_mod.Gongwen]:
        """导入的公文（data/gongwen/*.yml，make import 写出），按文件编号索引。

        发布检查（如《硬措施》安委〔2024〕1号是否已导入）从这里查：``"doc-编号" in content.gongwen``。"""
        return gongwen_mod.load_directory(self.data / "gongwen")

    @functools.cached_property
    def documents(self) -> documents_mod.Registry:
        return documents_mod.load_documents(self.data / "documents.yml")

    @functools.cached_property
    def aliases(self) -> dict[str, str]:
        """data/id-aliases.yml 中的编号别名（旧编号 → 新编号）；文件不合规时抛出 DataError 或 ValueError。"""
        return ids_mod.load_aliases_file(self.data / "id-aliases.yml")

    # ---- 任务、术语 -----------------------------------------------------------------

    @functools.cached_property
    def tasks(self) -> tasks_mod.LoadedTasks:
        return tasks_mod.load_and_check(self.data / "tasks.yml", self.notice, "data/tasks.yml")

    @functools.cached_property
    def glossary_file(self) -> glossary_mod.LoadedGlossary:
        """术语表本身（不核对出处）：翻译状态页读不了出处时也要用它。"""
        return glossary_mod.load_glossary(self.data / "glossary.yml", "data/glossary.yml")

    @functools.cached_property
    def glossary(self) -> glossary_mod.LoadedGlossary:
        """术语表，出处已与通知和文件登记表核对。"""
        loaded = self.glossary_file
        problems = glossary_mod.check_sources(loaded, self.notice, [d.id for d in self.documents.documents])
        if problems:
            raise DataError(problems)
        return loaded

    # ---- 题库 -----------------------------------------------------------------------

    @functools.cached_property
    def quiz(self) -> tuple[quiz.Bank, Any, Any]:
        """(题库, 出处原文, 核对报告)。"""
        names = [t.names for t in self.glossary_file.glossary.terms]
        return quiz.check_directory(self.data / "quiz", self.data / "notice.yml", self.data / "documents.yml", synonyms=names,
                                    imported=self.gongwen)

    @functools.cached_property
    def papers(self) -> tuple[quiz_papers.PapersFile, Any]:
        return quiz_papers.load_papers(self.data / "quiz" / quiz.PAPERS_FILE)

    # ---- 工作动态 -------------------------------------------------------------------

    @functools.cached_property
    def news(self) -> news_mod.NewsSet:
        """docs/news/ 中的全部动态，从新到旧（问题在 NewsSet.problems 中，不抛出）。"""
        return news_mod.load_news(self.docs, today())

    @functools.cached_property
    def faq(self) -> tuple[faq_mod.LoadedFaq | None, list[Any]]:
        """(问答, 问题)：data/faq.yml，依据已与通知和文件登记表逐字核对（问题不抛出，由调用方报告）。"""
        sources = quiz.build_sources(self.notice, self.documents, self.gongwen)
        return faq_mod.check(self.data / "faq.yml", sources)

    # ---- 案例 -----------------------------------------------------------------------

    @functools.cached_property
    def vocab(self) -> cases_mod.LoadedVocab:
        return cases_mod.load_vocab(self.data / "case-vocab.yml")

    def case_set(self, display_dir: str = "docs/cases") -> cases_mod.CaseSet:
        """全部案例（问题在 CaseSet.problems 中，不抛出）。同一次构建只读一次。"""
        cached: dict[str, cases_mod.CaseSet] = self.__dict__.setdefault("_case_sets", {})
        if display_dir not in cached:
            cached[display_dir] = cases_mod.load_cases(self.docs / "cases", display_dir, self.vocab.vocab, today(),
                                                       ids_mod.read_published(self.root))
        return cached[display_dir]
