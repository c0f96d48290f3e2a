"""已发布编号的契约：清单只增不减，消失的编号必须有别名指向现行编号。"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# 这些类别的编号一经发布即对外承诺（通知、文件、术语、案例、任务、题目）
PUBLISHED_KINDS = ("notice", "doc", "term", "case", "task", "q")

HEADER = (
    "# 已发布的引用编号（每行一个）。只增不减：删除或改名须在 data/id-aliases.yml 登记别名。\n"
    "# 由 `make ids` 追加；tests/test_published_ids.py 检查这里的每个编号都仍然有效。\n"
)


def parse_published(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def merge_published(old_text: str, current: Iterable[str]) -> tuple[str, set[str]]:
    """把 current 中的新编号追加到清单；返回新文本和新增的编号。已有的行不动。"""
    existing = parse_published(old_text)
    added = set(current) - set(existing)
    body = existing + sorted(added)
    return HEADER + "".join(i + "\n" for i in body), added


def missing_published(published: Iterable[str], live: set[str], aliases: Mapping[str, str]) -> list[str]:
    """已发布但现在既不存在、也没有有效别名的编号。"""
    out = []
    for pid in published:
        if pid in live:
            continue
        target = aliases.get(pid)
        if target is None or target not in live:
            out.append(pid)
    return out
