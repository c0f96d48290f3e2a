"""前后对比：同一份合成内容，分别用两个版本的代码构建，在同一次运行中比较（make bench-compare）。

性能改进的“之前/之后”数字由本脚本得出：在临时目录中检出旧版本（git worktree），给两个版本的站点
加入同样的 N 个合成案例（bench/scale_bench.py 的 add_synthetic，同一随机种子），依次构建，
打印 CPU 时间、峰值内存、搜索索引和最大页面，以及两者之比。合成内容只写进临时目录。

用法：.venv/bin/python bench/compare_commits.py --base <旧版本> [--head HEAD] [--cases 500] [--diff]

--diff 另外逐个文件比较两个版本构建出的站点（重构前后“输出不变”的证明），列出不同的文件；
xlsx 文件内含生成时间，只比较其中的表格数据；订阅文件（feed_*）写入构建时间，所以两次构建用同一个
SOURCE_DATE_EPOCH（MkDocs 和订阅插件都按它取构建时间），比较时另外不看构建当天的时间（频道的发布和构建时间、
没有更新日期的动态的“更新时间”）。
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from helpers import SITE_SOURCES  # noqa: E402
from scale_bench import add_synthetic, add_timer, relax, run_build  # noqa: E402

VENDOR = "docs/assets/vendor"  # 由 make 从 node_modules 复制、不进版本库的文件


def checkout(rev: str, dest: Path) -> Path:
    subprocess.run(["git", "worktree", "add", "--detach", "-f", str(dest), rev], cwd=ROOT, check=True,
                   capture_output=True, text=True)
    vendor = ROOT / VENDOR
    if vendor.is_dir():
        shutil.copytree(vendor, dest / VENDOR, dirs_exist_ok=True)
    return dest


def site_copy(tree: Path, dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in SITE_SOURCES:
        src = tree / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, dest / name)
    return dest


def search_bytes(out: Path) -> tuple[int, int, int]:
    """(搜索文件总字节, 其中 gzip 后的总字节, 打开页面时就加载的 search_index.json 的 gzip 字节)。"""
    files = [p for p in (out / "search").glob("*") if p.suffix in (".json", ".js")]
    gz = lambda p: len(gzip.compress(p.read_bytes(), 6))  # noqa: E731
    return sum(p.stat().st_size for p in files), sum(gz(p) for p in files), gz(out / "search" / "search_index.json")


def _xlsx_cells(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]


# 订阅文件中的时间：RSS 的 RFC 822 写法（Thu, 03 Dec 2026 17:53:29 -0000）和 JSON Feed 的 ISO 8601 写法
_FEED_TIME_RE = re.compile(
    r"\w{3}, (?P<d>\d{2}) (?P<m>\w{3}) (?P<y>\d{4}) \d{2}:\d{2}:\d{2} [+-]\d{4}"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2}|Z)"
)


def _feed_text(path: Path, today: dt.date) -> str:
    """订阅文件的文字，其中日期为 today 的时间（构建时刻）换成同一个占位符。"""
    def mask(m: re.Match[str]) -> str:
        if m.group("iso"):
            day = m.group("iso")
        else:
            day = dt.datetime.strptime(f"{m.group('d')} {m.group('m')} {m.group('y')}", "%d %b %Y").date().isoformat()
        return "<构建时刻>" if day == today.isoformat() else m.group(0)

    return _FEED_TIME_RE.sub(mask, path.read_text(encoding="utf-8"))


def diff_trees(a: Path, b: Path) -> list[str]:
    """两个站点目录中内容不同、或只有一方有的文件（相对路径）。"""
    names_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    names_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    out = [f"只在之前：{n}" for n in sorted(names_a - names_b)] + [f"只在之后：{n}" for n in sorted(names_b - names_a)]
    today = dt.datetime.now(dt.timezone.utc).date()
    for name in sorted(names_a & names_b):
        pa, pb = a / name, b / name
        if name.endswith(".xlsx"):
            same = _xlsx_cells(pa) == _xlsx_cells(pb)
        elif name.startswith("feed_"):
            same = _feed_text(pa, today) == _feed_text(pb, today)
        else:
            same = pa.read_bytes() == pb.read_bytes()
        if not same:
            out.append(f"内容不同：{name}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True, help="旧版本（提交号、标签或分支）")
    ap.add_argument("--head", default="HEAD")
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--diff", action="store_true", help="逐个文件比较两个版本的构建结果")
    args = ap.parse_args()
    if args.diff:  # 两个版本的订阅文件写同一个构建时间（取本次运行开始的时刻）
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))
    work = Path(tempfile.mkdtemp(prefix="compare-"))
    trees: list[Path] = []
    try:
        rows = []
        for label, rev in (("之前", args.base), ("之后", args.head)):
            tree = checkout(rev, work / f"tree-{label}")
            trees.append(tree)
            site = site_copy(tree, work / f"site-{label}")
            add_synthetic(site, args.cases, random.Random(20240122))
            relax(site, False)
            timer = work / f"hook-time-{label}.json"
            add_timer(site, timer)  # 同一个计时钩子：两个版本的钩子函数内 CPU 时间
            out = work / f"out-{label}"
            data = run_build(site, out, pythonpath=tree)
            data["hooks"] = json.loads(timer.read_text(encoding="utf-8"))["hooks_cpu"]
            raw, gz_all, gz_first = search_bytes(out)
            pages = sorted(((p.stat().st_size, p.relative_to(out).as_posix()) for p in out.rglob("*.html")), reverse=True)
            commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True).stdout.strip()
            rows.append((label, commit, data, raw, gz_all, gz_first, pages[0]))
            print(f"{label}（{commit}）构建完成：CPU {data['cpu']:.1f} 秒", flush=True)
        print()
        print(f"同一份内容（{args.cases} 个合成案例，中英两种语言），两个版本依次构建：")
        print()
        print("| 版本 | 提交 | CPU | 钩子函数内 | 峰值内存 | 搜索文件（原始 / gzip） | 打开页面时加载的索引（gzip） | 最大页面 |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for label, commit, data, raw, gz_all, gz_first, (size, path) in rows:
            share = data["hooks"] / max(data["cpu"] - data["hooks"], 1e-9)
            print(f"| {label} | {commit} | {data['cpu']:.1f} 秒 | {data['hooks']:.1f} 秒，+{share * 100:.0f}% | "
                  f"{data['rss_kb'] / 1024:.0f} MB | {raw / 1e6:.2f} MB / {gz_all / 1e3:.0f} KB | "
                  f"{gz_first / 1e3:.1f} KB | {size / 1e3:.0f} KB（{path}） |")
        before, after = rows[0][2], rows[1][2]
        print()
        print(f"CPU 时间之比（之后 / 之前）：{after['cpu'] / before['cpu']:.2f}；"
              f"钩子函数内 CPU 时间之比：{after['hooks'] / max(before['hooks'], 1e-9):.2f}")
        if args.diff:
            print()
            differ = diff_trees(work / "out-之前", work / "out-之后")
            print(f"逐个文件比较：{len(differ)} 个文件不同" + ("：" if differ else "。"))
            for line in differ:
                print("  " + line)
    finally:
        for tree in trees:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
