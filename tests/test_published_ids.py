"""已发布的编号是对外契约：每个都必须仍然存在，或有别名指向现行编号。"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import REPO
from studycol import ids as ids_mod
from studycol import xref
from studycol.yamlsrc import load_yaml_file

pytestmark = pytest.mark.slow


def test_every_published_id_still_resolves(built_site: Path):
    targets = json.loads((built_site / "xref" / "targets.json").read_text(encoding="utf-8"))
    published = ids_mod.parse_published((REPO / "data" / "published-ids.txt").read_text(encoding="utf-8"))
    aliases = xref.load_aliases(load_yaml_file(REPO / "data" / "id-aliases.yml").data.get("aliases") or {})
    missing = ids_mod.missing_published(published, set(targets), aliases)
    assert missing == [], (
        "这些已发布的编号不见了：" + "、".join(missing)
        + "。已发布的编号不能删除；如确需改名，请在 data/id-aliases.yml 中登记“旧编号: 新编号”。"
    )


def test_notice_ids_are_all_published(built_site: Path):
    targets = json.loads((built_site / "xref" / "targets.json").read_text(encoding="utf-8"))
    published = set(ids_mod.parse_published((REPO / "data" / "published-ids.txt").read_text(encoding="utf-8")))
    notice_ids = {i for i, t in targets.items() if t["kind"] == "notice"}
    assert notice_ids <= published, "有新的通知编号尚未登记：请运行 make ids"
