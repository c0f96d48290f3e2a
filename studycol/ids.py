"""已发布编号的契约：清单只增不减，消失的编号必须有别名指向现行编号。"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import visible

if TYPE_CHECKING:
    from .yamlsrc import SourceError

# 这些类别的编号一经发布即对外承诺（通知、文件、术语、案例、任务、题目）
PUBLISHED_KINDS = ("notice", "doc", "term", "case", "task", "q")

PUBLISHED_FILE = "data/published-ids.txt"
ALIASES_FILE = "data/id-aliases.yml"

RULES: dict[str, str] = {
    "ID-1": "编号中有看不见的字符（零宽字符、方向控制字符、BOM）：消息中转义显示（如 \\u200d）并写出名称",
    "ID-2": "两个案例用了同一个编号：指出复制出来的那个文件（编号与文件名不对应、排序靠后的），不建议改动已发布的编号",
    "ID-3": f"已发布的编号（{PUBLISHED_FILE}）从数据中消失：须在 {ALIASES_FILE} 登记别名",
}


def tagged(message: str, rule: str) -> str:
    """给中文说明加上规则编号：“……（ID-1）”。"""
    assert rule in RULES, rule
    return f"{message}（{rule}）"

HEADER = (
    "# 已发布的引用编号（每行一个）。只增不减：删除或改名须在 data/id-aliases.yml 登记别名。\n"
    "# 由 `make ids` 追加；tests/test_published_ids.py 检查这里的每个编号都仍然有效。\n"
)


def read_published(root: Path) -> list[str]:
    """root（仓库根）下 data/published-ids.txt 中的编号；没有这个文件时为空。"""
    path = root / PUBLISHED_FILE
    return parse_published(path.read_text(encoding="utf-8")) if path.is_file() else []


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


# ---- 别名表（data/id-aliases.yml） ---------------------------------------------------------------


def load_aliases_file(path: Path, display: str = ALIASES_FILE) -> dict[str, str]:
    """读取别名表（旧编号 → 新编号，链式别名已展开）；结构不对时抛出带行号的 DataError，出现循环时抛出 ValueError。"""
    from . import xref, yamlsrc  # noqa: PLC0415 - yamlsrc 也用到本模块的规则表

    if not path.is_file():
        return {}
    src = yamlsrc.load_yaml_file(path, display)
    data = src.data
    if data is None:
        return {}
    if not isinstance(data, dict) or set(data) - {"aliases"}:
        raise yamlsrc.DataError([yamlsrc.SourceError(display, src.line_of(()), "别名表应写成“aliases:”下面逐行“旧编号: 新编号”；不要写其他字段。")])
    table = data.get("aliases") or {}
    if not isinstance(table, dict):
        raise yamlsrc.DataError([yamlsrc.SourceError(
            display, src.line_of(("aliases",)),
            "aliases 应为“旧编号: 新编号”的结构（每行一对，冒号后空一格），不是列表；例如“n4-1-9: n4-1-8”。")])
    errors = []
    for old, new in table.items():
        if not isinstance(old, str) or not isinstance(new, str) or not xref.ID_RE.match(old) or not xref.ID_RE.match(new):
            line = src.line_of(("aliases", old))
            shown = visible.shown(f"{old}: {new}")
            extra = "；其中有看不见的字符 " + visible.describe_invisible(f"{old}{new}") if visible.invisible_in(f"{old}{new}") else ""
            message = f"别名“{shown}”格式不对：旧编号和新编号都只能由英文字母、数字、连字符组成{extra}"
            errors.append(yamlsrc.SourceError(display, line, tagged(message, "ID-1") if extra else message + "。"))
    if errors:
        raise yamlsrc.DataError(errors)
    return xref.load_aliases(table)


# ---- 已发布、却从数据中消失的通知编号（ID-3） ----------------------------------------------------


def _parent_ids(notice_id: str) -> list[str]:
    """n4-1-9 → [n4-1, n4]。"""
    parts = notice_id.split("-")
    return ["-".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


def _find_id(data: object, wanted: str, loc: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """数据中 id 为 wanted 的映射所在的位置（路径）。"""
    items: Iterable[tuple[Any, object]]
    if isinstance(data, dict):
        if data.get("id") == wanted:
            return loc + ("id",)
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return None
    for key, value in items:
        found = _find_id(value, wanted, loc + (key,))
        if found is not None:
            return found
    return None


def removed_notice_problems(root: Path, live: Iterable[str], aliases: Mapping[str, str],
                            notice_display: str = "data/notice.yml") -> list[SourceError]:
    """已发布的通知编号（部分、段落、句子）不在现行通知中、也没有有效别名：每个一条问题。

    问题指向原来所在的段落（或部分）在 data/notice.yml 中的行；连上级也没有了，就指向已发布清单中的那一行。
    """
    from . import xref, yamlsrc  # noqa: PLC0415

    published = [i for i in read_published(root) if xref.NOTICE_ID_RE.match(i)]
    live_set = set(live)
    missing = missing_published(published, live_set, aliases)
    if not missing:
        return []
    try:
        src = yamlsrc.load_yaml_file(root / notice_display, notice_display)
    except (yamlsrc.DataError, OSError):
        src = None
    registry = (root / PUBLISHED_FILE).read_text(encoding="utf-8").splitlines()
    out = []
    for pid in missing:
        path, line, where = PUBLISHED_FILE, next((n for n, ln in enumerate(registry, 1) if ln.strip() == pid), 1), ""
        for parent in _parent_ids(pid):
            loc = _find_id(src.data, parent) if src is not None and parent in live_set else None
            if loc is not None and src is not None:
                path, line, where = notice_display, src.line_of(loc), f"（原来在 {parent} 中）"
                break
        target = aliases.get(pid)
        broken = f"别名指向的“{target}”也不存在；" if target else ""
        out.append(yamlsrc.SourceError(path, line, tagged(
            f"已发布的通知编号“{pid}”{where}不见了：{broken}它已对外公开（{PUBLISHED_FILE}），别的页面和站点可能引用着它。"
            f"请在 {ALIASES_FILE} 的 aliases 下登记“{pid}: 现在的编号”（改写或合并后的那一句，整句删除时写所在段落）",
            "ID-3")))
    return out


def removed_from_content(content: Any) -> list[SourceError]:
    """构建用：content（studycol.content.Content）中已发布、却消失的通知编号。别名表有误时由交叉引用一步报告，这里不重复。"""
    from . import notice as notice_mod  # noqa: PLC0415
    from . import yamlsrc  # noqa: PLC0415

    try:
        aliases = content.aliases
    except (yamlsrc.DataError, ValueError):
        return []
    return removed_notice_problems(content.root, [t.id for t in notice_mod.targets(content.notice)], aliases)


def check_repo(root: Path, today: object = None) -> tuple[int, list[SourceError]]:
    """tools/check_content.py 的登记项：已发布的通知编号都还在，或有别名。返回 (读取的文件数, 问题)。"""
    from . import notice as notice_mod  # noqa: PLC0415
    from . import yamlsrc  # noqa: PLC0415

    try:
        notice = notice_mod.load_notice(root / "data" / "notice.yml", "data/notice.yml")
        aliases = load_aliases_file(root / ALIASES_FILE)
    except yamlsrc.DataError as exc:
        return 0, list(exc.errors)
    except ValueError as exc:
        return 0, [yamlsrc.SourceError(ALIASES_FILE, 1, str(exc))]
    count = sum(1 for rel in ("data/notice.yml", ALIASES_FILE, PUBLISHED_FILE) if (root / rel).is_file())
    return count, removed_notice_problems(root, [t.id for t in notice_mod.targets(notice)], aliases)
