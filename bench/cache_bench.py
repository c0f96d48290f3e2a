"""缓存和快捷路径值不值得留（make bench-caches）：同一次运行中，关掉其中一项与全部开着相比。

每一项缓存或快捷路径只有在真实规模下省下至少 10% 的构建 CPU 时才保留（开发者指南“Speed without clutter”）。
本脚本在临时目录中准备两个站点：仓库本身（真实站点）和加了 300 个合成案例的副本，对每个站点依次构建
“全部开着”和“关掉某一项”的版本，交替重复 --repeat 次，打印每一项的 CPU 时间之比（关掉 / 开着）。
比值 1.10 以上说明这一项省下了 10% 以上。

关掉某一项的办法是在站点副本的 mkdocs.yml 中加一个只供基准用的钩子，在导入时替换掉相应的函数；
仓库中的代码不为基准留开关。合成内容只写进临时目录。

用法：.venv/bin/python bench/cache_bench.py [--cases 300] [--repeat 2]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from helpers import copy_site  # noqa: E402
from scale_bench import _add_hook, add_synthetic, relax, run_build  # noqa: E402

# 名称 → (说明, 导入时执行的替换代码)
VARIANTS: dict[str, tuple[str, str]] = {
    "memo": (
        "按内容记住页面事件结果（英文版回退页复用中文页的结果：案例页生成、安全检查、引用目标扫描、术语标注）",
        "import studycol.memo as m\nm.ContentMemo.get = lambda self, parts, compute: compute()\n",
    ),
    "segment": (
        "搜索插件按汉字串记住 jieba 切分结果（search_index.memo_segmenter）",
        "import studycol.search_index as s\ns.memo_segmenter = lambda cut: (None, {})\n",
    ),
    "reuse": (
        "英文版回退页的搜索条目直接用中文页的（search_index.page_signature 比较输入）",
        "import itertools, studycol.search_index as s\n_n = itertools.count()\n"
        "s.page_signature = lambda *a, **k: next(_n).to_bytes(8, 'little')\n",
    ),
    "gc": (
        "整理搜索索引时暂停循环垃圾回收",
        "import gc\ngc.disable = lambda: None\n",
    ),
    "lru": (
        "函数级的 LRU 缓存（开标签检查、术语匹配、搜索索引中的几处）",
        "import functools, importlib\n"
        "for name in ('studycol.safety', 'studycol.glossary', 'studycol.search_index'):\n"
        "    mod = importlib.import_module(name)\n"
        "    for attr, value in list(vars(mod).items()):\n"
        "        if hasattr(value, 'cache_info') and hasattr(value, '__wrapped__') and not attr.startswith('_parse'):\n"
        "            setattr(mod, attr, value.__wrapped__)\n",
    ),
}


def prepare(work: Path, cases: int) -> dict[str, Path]:
    sites: dict[str, Path] = {}
    real = copy_site(work / "real")
    relax(real, False)
    sites["真实站点"] = real
    if cases:
        big = copy_site(work / f"cases-{cases}")
        add_synthetic(big, cases, random.Random(20240122))
        relax(big, False)
        sites[f"{cases} 个案例"] = big
    return sites


def variant_copy(site: Path, dest: Path, name: str) -> Path:
    shutil.copytree(site, dest)
    _add_hook(dest, f"zz_bench_off_{name}.py", '"""基准：关掉一项缓存。"""\n' + VARIANTS[name][1])
    return dest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--only", default=",".join(VARIANTS), help="只测这几项（逗号分隔）")
    args = ap.parse_args()
    names = [n for n in args.only.split(",") if n]
    work = Path(tempfile.mkdtemp(prefix="cache-bench-"))
    try:
        sites = prepare(work, args.cases)
        print(f"构建 CPU 时间之比（关掉这一项 / 全部开着），同一次运行，各重复 {args.repeat} 次取平均：")
        print()
        print("| 项目 | 说明 | " + " | ".join(sites) + " |")
        print("| --- | --- | " + " | ".join("---:" for _ in sites) + " |")
        copies = {(label, n): variant_copy(src, work / f"{label}-{n}", n) for label, src in sites.items() for n in names}
        ratios: dict[tuple[str, str], list[float]] = {}
        base_cpu: dict[str, list[float]] = {label: [] for label in sites}
        for _ in range(args.repeat):
            for label, src in sites.items():
                for n in names:  # 交替：开着、关掉一项、开着……机器的快慢漂移落在两边
                    on = run_build(src, work / "out")["cpu"]
                    off = run_build(copies[(label, n)], work / "out")["cpu"]
                    base_cpu[label].append(on)
                    ratios.setdefault((label, n), []).append(off / on)
        for n in names:
            cells = [f"{sum(r) / len(r):.2f}" for r in (ratios[(label, n)] for label in sites)]
            print(f"| {n} | {VARIANTS[n][0]} | " + " | ".join(cells) + " |")
        print()
        print("全部开着时的构建 CPU：" + "；".join(f"{label} {sum(v) / len(v):.1f} 秒" for label, v in base_cpu.items()))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
