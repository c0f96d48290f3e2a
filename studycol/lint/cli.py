"""命令行：python tools/lint.py [--fix] [文件……]

不给文件时检查整个仓库的 docs/ 和 data/。有问题时退出码为 1。
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .engine import fix_bytes, lint_repo, scope_files


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/lint.py", description="中文排版检查（公文写法）")
    parser.add_argument("--fix", action="store_true", help="自动修正能安全修正的问题，然后报告剩下的问题")
    parser.add_argument("paths", nargs="*", type=Path, help="要检查的文件（默认：docs/ 下的 Markdown 和 data/ 下的 YAML）")
    args = parser.parse_args(argv)
    root = (root or Path.cwd()).resolve()
    files = [p if p.is_absolute() else root / p for p in args.paths] or scope_files(root)
    missing = [p for p in files if not p.is_file()]
    if missing:
        print("找不到文件：" + "、".join(str(p) for p in missing), file=sys.stderr)
        return 2

    fixed_total = 0
    if args.fix:
        for p in files:
            rel = p.resolve().relative_to(root).as_posix() if p.resolve().is_relative_to(root) else str(p)
            raw = p.read_bytes()
            new, n, _ = fix_bytes(raw, rel)
            if new != raw:
                p.write_bytes(new)
                print(f"已修正 {rel}：{n} 处")
            fixed_total += n

    findings = lint_repo(root, files)
    for f in findings:
        print(f)
    if findings:
        fixable = sum(1 for f in findings if f.fixable)
        hint = f"，其中 {fixable} 处可用 make fix 自动修正" if fixable and not args.fix else ""
        print(f"排版检查：{len(files)} 个文件，{len(findings)} 处问题{hint}。停用某条规则的写法见编辑指南“排版检查”一节。")
        return 1
    done = f"，已自动修正 {fixed_total} 处" if args.fix else ""
    print(f"排版检查通过：{len(files)} 个文件，没有问题{done}。")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
