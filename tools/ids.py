"""已发布编号清单的维护：把一次构建中出现的新编号追加到 data/published-ids.txt。

用法：python tools/ids.py SITE_DIR   （make ids 会先构建再调用）
清单只增不减：编号一经发布就是对外的引用地址，删除或改名必须在 data/id-aliases.yml 中登记别名。
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from studycol.ids import PUBLISHED_KINDS, merge_published

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "data" / "published-ids.txt"


def main(argv: list[str]) -> int:
    site = Path(argv[1]) if len(argv) > 1 else ROOT / "site"
    targets = json.loads((site / "xref" / "targets.json").read_text(encoding="utf-8"))
    current = {i for i, t in targets.items() if t["kind"] in PUBLISHED_KINDS}
    old = REGISTRY.read_text(encoding="utf-8") if REGISTRY.exists() else ""
    new_text, added = merge_published(old, current)
    REGISTRY.write_text(new_text, encoding="utf-8")
    print(f"已发布编号清单：新增 {len(added)} 个" + (f"（{'、'.join(sorted(added))}）" if added else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
