"""不构建网站，只核对题库：python -m studycol.quiz_check（make check、make check-quiz 调用）；加 -v 列出每套测验的题数。

输出与构建时相同的“文件:行: 题目 编号：说明”；有错误或警告时退出码为 1。
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import glossary as glossary_mod
from . import quiz, quiz_papers
from .yamlsrc import DataError

ROOT = Path(__file__).resolve().parent.parent


def main(root: Path = ROOT, argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data = root / "data"
    try:
        names = [t.names for t in glossary_mod.load_glossary(data / "glossary.yml", "data/glossary.yml").glossary.terms]
        bank, _, report = quiz.check_directory(data / "quiz", data / "notice.yml", data / "documents.yml", synonyms=names)
        papers, papers_src = quiz_papers.load_papers(data / "quiz" / quiz.PAPERS_FILE)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    errors = report.errors + quiz_papers.check_papers(bank, papers, papers_src)
    for e in errors:
        print(f"[错误] {e}", file=sys.stderr)
    for w in report.warnings:
        print(f"[警告] {w}", file=sys.stderr)
    counts = quiz.counts_by_type(bank.items)
    generated = sum(1 for i in bank.items if i.generated)
    summary = "、".join(f"{t}{n}" for t, n in counts.items())
    status = "通过" if not errors and not report.warnings else f"未通过：{len(errors)} 个错误，{len(report.warnings)} 个警告"
    print(f"题库核对{status}。共 {len(bank.items)} 题（{summary}；其中原文填空 {generated} 题），{len(bank.sets)} 套测验。")
    if "-v" in argv:
        for qset in bank.sets:
            items = bank.by_set(qset.id)
            by_type = "、".join(f"{t}{n}" for t, n in quiz.counts_by_type(items).items())
            eligible = sum(1 for i in items if quiz.paper_eligible(i))
            print(f"  {qset.title}：{len(items)} 题（{by_type}；可进入试卷 {eligible} 题）")
    return 1 if errors or report.warnings else 0


if __name__ == "__main__":
    sys.exit(main())
