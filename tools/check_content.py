#!/usr/bin/env python3
"""内容检查（不构建站点，几秒钟）：make check-content 调用它。

检查项登记在 CHECKS 中，目前有“典型案例”（docs/cases/：字段、日期、省份、来源网址、重复、引用）和
“页面与文件安全”（与构建相同的原始 HTML、静态文件、符号链接、片段引用检查，studycol/safety.py）。
题库、任务清单等的检查可以按同样的方式加进来：写一个返回 (条目数, 问题列表) 的函数，登记到 CHECKS。
与构建时的检查是同一套规则（studycol/cases/），报错格式相同：文件:行: 中文说明。

用法：python tools/check_content.py [--root 仓库目录] [--today YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studycol import cases as cases_mod  # noqa: E402
from studycol import ids, importer, safety  # noqa: E402
from studycol.yamlsrc import SourceError  # noqa: E402

Check = Callable[[Path, dt.date], tuple[int, list[SourceError]]]
CHECKS: list[tuple[str, Check]] = [
    ("典型案例", cases_mod.check_repo),
    ("页面与文件安全（原始 HTML、静态文件、符号链接、片段引用）", safety.check_repo),
    ("已发布的通知编号（删除或改名须登记别名）", ids.check_repo),
    ("导入的公文（data/gongwen/，与 data/source/ 中的底本逐字核对）", importer.check_repo),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/check_content.py", description="不构建站点，检查内容文件")
    parser.add_argument("--root", type=Path, default=ROOT, help="仓库目录（默认：本仓库）")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="按这一天判断日期是否在将来（默认：今天）")
    args = parser.parse_args(argv)
    today = args.today or dt.date.today()
    total = 0
    seen: set[str] = set()  # 同一处问题（如 front matter 不合 YAML 限制）可能被两项检查都发现，只报一次
    for name, check in CHECKS:
        t0 = time.perf_counter()
        count, found = check(args.root.resolve(), today)
        problems = [p for p in found if str(p) not in seen]
        seen.update(str(p) for p in problems)
        for p in problems:
            print(p)
        elapsed = time.perf_counter() - t0
        if problems:
            print(f"{name}：{count} 个文件，{len(problems)} 处问题（{elapsed:.1f} 秒）。请按提示修改后重新运行 make check-content。")
        else:
            print(f"{name}：{count} 个文件，没有问题（{elapsed:.1f} 秒）。")
        total += len(problems)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
