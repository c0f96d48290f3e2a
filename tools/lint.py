#!/usr/bin/env python3
"""中文排版检查（公文写法）：make check 调用它检查，make fix 调用它自动修正。

用法：python tools/lint.py [--fix] [文件……]；规则说明见编辑指南“排版检查”一节。
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studycol.lint.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(root=Path(__file__).resolve().parent.parent))
