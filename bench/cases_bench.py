"""基准：2,000 个案例时的构建时间和最大页面。

在临时目录里复制一份站点（tests/helpers.copy_site，不动 docs/），生成 N 个合成案例
（明确标为测试数据：标题、来源和核实说明都以“测试数据”开头，状态“待核实”；按真实案例的写法生成，
这样它们和真实案例一样进入按地区、按年份和最新案例的列表——教学示例不写日期和省份，不进这些列表），严格构建，然后打印：
- 不加合成案例的基线构建时间、加了以后的构建时间，以及二者之比（同一次运行内比较）；
- make check-content 同样内容的校验时间（不构建站点）；
- 最大的页面及其大小，索引页、通知原文页的大小。

用法：.venv/bin/python bench/cases_bench.py [--cases 2000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import datetime as dt
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import ENGINE, copy_site  # noqa: E402

from studycol import cases as cases_mod  # noqa: E402
from studycol.site import PROVINCES  # noqa: E402

PLACES = ("甲", "乙", "丙", "丁", "戊", "己", "庚", "辛")
KINDS_OF_ACCIDENT = ("坍塌", "瓦斯爆炸", "火灾", "透水", "冒顶片帮", "煤与瓦斯突出")


def synthetic_case(i: int, rng: random.Random, vocab: cases_mod.Vocab) -> tuple[str, str]:
    """第 i 个合成案例：(文件名, 内容)。内容合法，能通过全部校验。"""
    year = rng.randint(2000, 2024)
    date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    province = rng.choice(PROVINCES)
    mine = rng.choice(vocab.mine_types).label
    cats = rng.sample([c.label for c in vocab.categories], rng.randint(1, 3))
    accident = rng.choice(KINDS_OF_ACCIDENT)
    place = rng.choice(PLACES)
    slug = f"test-{i:04d}"
    violations = "".join(
        f"  - category: {c}\n    text: 测试数据：{place}矿的第{k + 1}项违法违规行为，用于测量大量案例时的构建时间和页面大小。\n"
        f"    sources: [s1]\n    confidence: 单源\n"
        for k, c in enumerate(cats)
    )
    text = f"""---
id: case-{slug}
title: 测试数据{i:04d}号：{place}矿{accident}事故（合成的基准测试案例）
short: 测试{i:04d}号{place}矿{accident}事故
kind: 真实案例
scope: 全国
event:
  date: {date.isoformat()}
region:
  province: {province}
mine_type: {mine}
accident_type: {accident}
violations:
{violations}lessons:
  - 测试数据：这一条启示由基准脚本生成，只用于测量构建性能。
  - 测试数据：第二条启示，长度与真实案例相近，便于估计页面大小。
sources:
  - id: s1
    title: 测试数据（基准脚本生成）
    issuer: 测试数据
    origin: 媒体报道
    holds: 测试数据：全部情节。
    note: 测试数据，没有网址。
verification:
  status: 待核实
  note: 测试数据，只写进临时目录，从不发布。
---

本页是基准脚本 bench/cases_bench.py 生成的测试数据，不是真实案例。{place}矿于{date.year}年{date.month}月{date.day}日发生{accident}事故，以下文字只用于让页面长度接近真实案例。检查组调取了人员定位、用电和产量数据逐项比对，发现了问题。

第二段同样是测试数据，用来估计正文在页面中所占的大小。
"""
    return f"{date.year}-{slug}.md", text


def sizes(site: Path) -> list[tuple[int, str]]:
    return sorted(((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")), reverse=True)


def child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_build(src: Path, out: Path) -> tuple[float, float]:
    """构建一次，返回 (墙钟秒数, 子进程 CPU 秒数)。机器被多人共用时，CPU 时间更可比。"""
    t0, c0 = time.perf_counter(), child_cpu()
    # 与 tests/helpers.build 相同的命令（--strict，不加 -q），但不设超时：机器繁忙时 2,000 个案例可能要几十分钟
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("RELEASE", None)
    result = subprocess.run([*ENGINE, "build", "--strict", "-d", str(out)],
                            cwd=src, env=env, capture_output=True, text=True)
    elapsed, cpu = time.perf_counter() - t0, child_cpu() - c0
    if result.returncode != 0:
        sys.exit("构建失败：\n" + result.stdout[-3000:] + result.stderr[-3000:])
    return elapsed, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="把站点副本和输出留在这个目录（默认用完即删）")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="cases-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        src = copy_site(work / "src")
        vocab = cases_mod.load_vocab(src / "data" / "case-vocab.yml").vocab
        base, base_cpu = timed_build(src, work / "out-base")
        base_pages = len(list((work / "out-base").rglob("*.html")))

        rng = random.Random(20240122)
        cases_dir = src / "docs" / "cases"
        for i in range(1, args.cases + 1):
            name, text = synthetic_case(i, rng, vocab)
            (cases_dir / name).write_text(text, encoding="utf-8")

        t0, c0 = time.perf_counter(), child_cpu()
        check = subprocess.run(
            [sys.executable, str(ROOT / "tools" / "check_content.py"), "--root", str(src)],
            capture_output=True, text=True,
        )
        check_time, check_cpu = time.perf_counter() - t0, child_cpu() - c0
        if check.returncode != 0:
            sys.exit("check_content 失败：\n" + check.stdout[-3000:] + check.stderr[-3000:])

        full, full_cpu = timed_build(src, work / "out")
        site = work / "out"
        pages = sizes(site)
        print(f"合成案例：{args.cases} 个（另有仓库中的真实案例和教学示例）")
        print(f"基线构建（不加合成案例）：墙钟 {base:.1f} 秒，CPU {base_cpu:.1f} 秒，{base_pages} 个 HTML 页面")
        print(f"加入合成案例后的构建：墙钟 {full:.1f} 秒，CPU {full_cpu:.1f} 秒，{len(pages)} 个 HTML 页面（中英文两种语言）")
        print(f"CPU 时间之比：{full_cpu / base_cpu:.1f} 倍；每个合成案例约 {(full_cpu - base_cpu) / args.cases * 1000:.0f} 毫秒 CPU（两种语言合计）")
        print(f"make check-content（不构建站点，{args.cases} 个以上案例）：墙钟 {check_time:.1f} 秒，CPU {check_cpu:.1f} 秒")
        print("最大的 5 个页面：")
        for size, path in pages[:5]:
            print(f"  {size / 1024:8.1f} KB  {path}")
        print("案例索引页：")
        for name in ("index", "by-region", "by-category", "by-mine-type", "by-year"):
            p = site / "cases" / ("index.html" if name == "index" else f"{name}/index.html")
            print(f"  {p.stat().st_size / 1024:8.1f} KB  cases/{name}")
        notice = site / "notice" / "index.html"
        print(f"通知原文页（含反向链接）：{notice.stat().st_size / 1024:.1f} KB")
        folder = site / "search"
        main = folder / "part-000.js"  # 主索引；search_index.json 只是几百字节的引子
        parts = sorted(p for p in folder.glob("part-*.js") if p != main)
        if main.exists():
            print(
                f"搜索索引：主索引 {main.stat().st_size / 1024 / 1024:.2f} MB；案例 {len(parts)} 个部分，"
                f"共 {sum(p.stat().st_size for p in parts) / 1024 / 1024:.2f} MB，"
                f"最大 {max((p.stat().st_size for p in parts), default=0) / 1024:.0f} KB（均为未压缩大小）"
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
