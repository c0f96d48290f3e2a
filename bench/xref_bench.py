"""交叉引用钩子的开销：在同一次运行中构建同一个站点两次（有/无 xref 钩子），报告时间之比。

用法：.venv/bin/python bench/xref_bench.py [--pages 1000] [--refs-per-page 5]

生成的页面是测试数据，写在临时目录里的站点副本中，从不写入 docs/。
"""

from __future__ import annotations

import argparse
import random
import resource
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from helpers import build, copy_site  # noqa: E402

NOTICE_IDS = [
    "n0-1-1", "n0-1-2", "n1-1-1", "n1-1-2", "n1-1-3", "n2-1-1", "n2-1-3", "n2-1-5", "n2-1-7",
    "n3-1-1", "n3-1-3", "n4-1-1", "n4-1-2", "n4-1-3", "n4-1-4", "n4-1-5", "n5-1-1", "n5-1-2", "n9-1-1",
]


def make_site(root: Path, pages: int, refs_per_page: int, with_hook: bool) -> Path:
    src = copy_site(root)
    rng = random.Random(20240122)
    bench = src / "docs" / "benchdata"
    bench.mkdir()
    for i in range(pages):
        lines = [f"# 测试数据页面 {i} {{ #bm-{i} }}", "", "本页是基准测试生成的测试数据，不会发布。", ""]
        for j in range(refs_per_page):
            if j % 2 == 0:
                ref = f"[[{rng.choice(NOTICE_IDS)}]]"
            else:
                ref = f"[[bm-{rng.randrange(pages)}]]"
            lines += [f"## 要点 {j} {{ #bm-{i}-{j} }}", "", f"测试文字，引用{ref}。", ""]
        (bench / f"p{i}.md").write_text("\n".join(lines), encoding="utf-8")
    cfg = (src / "mkdocs.yml").read_text(encoding="utf-8")
    cfg = cfg.replace("strict: true", "strict: false")
    cfg = re.sub(r"(omitted_files|not_found): warn", r"\1: info", cfg)
    if not with_hook:
        cfg = cfg.replace("  - hooks/xref.py\n", "")
    (src / "mkdocs.yml").write_text(cfg, encoding="utf-8")
    return src


def timed_build(src: Path) -> float:
    """构建一次，返回子进程消耗的 CPU 时间（用户态 + 内核态）。

    用 CPU 时间而不是墙钟时间：这台机器上同时运行着别的任务，墙钟时间噪声很大，
    而进程自己消耗的 CPU 时间基本不受影响。
    """
    out = src.parent / "out"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = build(src, out)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    elapsed = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        print(result.stderr[-3000:])
        raise SystemExit("构建失败")
    shutil.rmtree(out, ignore_errors=True)
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--refs-per-page", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        with_hook = make_site(tmp_path / "with" / "src", args.pages, args.refs_per_page, True)
        without = make_site(tmp_path / "without" / "src", args.pages, args.refs_per_page, False)
        # 交替测两轮，取各自的较小值，减少机器噪声的影响
        t_with, t_without = [], []
        for _ in range(2):
            t_without.append(timed_build(without))
            t_with.append(timed_build(with_hook))
        a, b = min(t_with), min(t_without)
        refs = args.pages * args.refs_per_page
        print(f"页面数 {args.pages}，引用数 {refs}（中文、英文两种语言各构建一次）")
        print(f"{'构建':<12}{'CPU 时间/秒（两轮取小）':>12}")
        print(f"{'无 xref 钩子':<12}{b:>12.2f}")
        print(f"{'有 xref 钩子':<12}{a:>12.2f}")
        print(f"钩子占比：有/无 = {a / b:.3f}（钩子约占构建时间的 {(a - b) / a:.1%}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
