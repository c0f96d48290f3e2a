"""已发布的编号是对外契约：每个都必须仍然存在，或有别名指向现行编号。"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import REPO
from studycol import ids as ids_mod

pytestmark = pytest.mark.slow


def test_every_published_id_still_resolves(built_site: Path):
    targets = json.loads((built_site / "xref" / "targets.json").read_text(encoding="utf-8"))
    published = ids_mod.parse_published((REPO / "data" / "published-ids.txt").read_text(encoding="utf-8"))
    aliases = ids_mod.load_aliases_file(REPO / "data" / "id-aliases.yml")
    missing = ids_mod.missing_published(published, set(targets), aliases)
    assert missing == [], (
        "这些已发布的编号不见了：" + "、".join(missing)
        + "。已发布的编号不能删除；如确需改名，请在 data/id-aliases.yml 中登记“旧编号: 新编号”。"
    )


def test_no_published_notice_id_is_missing_from_the_data():
    """构建和 make check-content 用的同一检查（ID-3）：真实数据中没有消失的已发布通知编号。"""
    assert ids_mod.check_repo(REPO)[1] == []


def test_notice_ids_are_all_published(built_site: Path):
    targets = json.loads((built_site / "xref" / "targets.json").read_text(encoding="utf-8"))
    published = set(ids_mod.parse_published((REPO / "data" / "published-ids.txt").read_text(encoding="utf-8")))
    notice_ids = {i for i, t in targets.items() if t["kind"] == "notice"}
    assert notice_ids <= published, "有新的通知编号尚未登记：请运行 make ids"
