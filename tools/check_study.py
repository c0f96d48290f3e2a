"""学习内容的快速检查（不构建站点，一两秒）：重点任务清单、术语表、解读要点、问答和工作动态。

用法：python tools/check_study.py   （make check 会运行它）
检查的规则与构建时相同（studycol/tasks.py、glossary.py、study.py），问题按“文件:行: 说明”列出。
"""

from __future__ import annotations

import sys
from pathlib import Path

from studycol import documents, faq, glossary, news, notice, quiz, study, tasks
from studycol.content import today
from studycol.yamlsrc import DataError, SourceError

ROOT = Path(__file__).resolve().parent.parent


def problems() -> list[SourceError]:
    found: list[SourceError] = []
    try:
        n = notice.load_notice(ROOT / "data" / "notice.yml", "data/notice.yml")
        docs = documents.load_documents(ROOT / "data" / "documents.yml")
    except DataError as exc:
        return exc.errors
    try:
        tasks.load_and_check(ROOT / "data" / "tasks.yml", n)
    except DataError as exc:
        found += exc.errors
    try:
        glossary.load_and_check(ROOT / "data" / "glossary.yml", n, [d.id for d in docs.documents])
    except DataError as exc:
        found += exc.errors
    for page in sorted((ROOT / "docs" / "jiedu").glob("*.md")):
        rel = page.relative_to(ROOT).as_posix()
        found += study.check_page(page.read_text(encoding="utf-8"), rel)
    found += faq.check(ROOT / "data" / "faq.yml", quiz.build_sources(n, docs))[1]  # 问答的依据（FAQ-1…3）
    found += news.load_news(ROOT / "docs", today()).problems  # 工作动态（NEWS-1…3）
    return found


def main() -> int:
    found = problems()
    for p in found:
        print(p)
    if found:
        print(f"学习内容检查：{len(found)} 处问题。规则见编辑指南“术语表和重点任务清单”一节。")
        return 1
    print("学习内容检查：重点任务清单、术语表、解读要点、问答和工作动态均符合规则。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
