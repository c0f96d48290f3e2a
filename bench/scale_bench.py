"""规模基准（make bench）：内容增长时构建和页面的表现。

在临时目录的站点副本中生成 N 个合成案例（另带 M = N/10 道合成题目和 K 处交叉引用），N 取
0、100、1000、5000，对每个 N：
- 严格构建一次，报告墙钟时间、CPU 时间、峰值内存、输出大小、搜索索引大小（原始/gzip）、最大页面；
- 再构建一次“去掉本项目全部钩子”的同一站点，报告两次 CPU 时间之比（钩子的开销，同一次运行内比较）；
- N 最大时，另报 --dirty 增量构建（改动一个案例后）与完整构建的时间之比；
最后在 Chromium 中打开首页、通知页、一个案例页和一个测验页，统计首次加载的传输量（gzip 后）。

合成内容全部是测试数据（标题、来源和核实说明以“测试数据”开头，状态“待核实”，按真实案例的写法生成，
以便进入按地区、按年份的列表），只写进临时目录，从不写入 docs/。
结果打印为表格；加 --write 时连同机器和日期写入 BENCHMARKS.md。

用法：.venv/bin/python bench/scale_bench.py [--sizes 0,100,1000,5000] [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
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

from cases_bench import synthetic_case  # noqa: E402
from helpers import CHROMIUM, CHROMIUM_ARGS, copy_site, serve  # noqa: E402

from studycol import cases as cases_mod  # noqa: E402

NOTICE_SENTENCES = [
    "n0-1-1", "n1-1-3", "n2-1-1", "n2-1-5", "n2-1-7", "n3-1-1", "n3-1-3", "n3-1-4",
    "n4-1-1", "n4-1-2", "n4-1-3", "n4-1-4", "n4-1-5", "n5-1-1", "n5-1-2", "n9-1-1",
]
FILLER = "矿山安全监管执法检查隐患排查台账销号举报核查警示教育培训宣讲责任落实考核巡查联合执法信息共享"

# 运行一次构建并报告子进程的峰值内存（KB）和 CPU 时间：在一个独立的小进程里启动构建，
# 这样 RUSAGE_CHILDREN 只包含这一次构建。
_RUNNER = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": r.returncode, "wall": wall, "cpu": u.ru_utime + u.ru_stime, "rss_kb": u.ru_maxrss,
                  "tail": (r.stdout + r.stderr)[-2500:]}))
"""


def run_build(src: Path, out: Path, *extra: str, pythonpath: Path | None = None) -> dict:
    """在 src 中构建一次。pythonpath：从这个目录导入 studycol（前后对比时用旧版本的代码，排在 .venv 的 .pth 之前）。"""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("RELEASE", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    cmd = [sys.executable, "-c", _RUNNER, sys.executable, "-m", "mkdocs", "build", "-d", str(out), *extra]
    res = subprocess.run(cmd, cwd=src, env=env, capture_output=True, text=True, timeout=7200)
    data = json.loads(res.stdout.strip().splitlines()[-1])
    if data["rc"] != 0:
        raise SystemExit(f"构建失败（{src}）：\n{data['tail']}")
    return data


def add_synthetic(src: Path, n: int, rng: random.Random) -> tuple[int, int]:
    """写入 n 个合成案例和 n/10 道合成题目；返回 (题目数, 交叉引用数)。"""
    vocab = cases_mod.load_vocab(src / "data" / "case-vocab.yml").vocab
    cases_dir = src / "docs" / "cases"
    refs = 0
    for i in range(1, n + 1):
        name, text = synthetic_case(i, rng, vocab)
        cites = rng.sample(NOTICE_SENTENCES, 3)
        text = text.replace(
            "第二段同样是测试数据",
            "测试数据中的引用：" + "、".join(f"[[{c}]]" for c in cites) + "。\n\n第二段同样是测试数据",
        )
        refs += len(cites)
        (cases_dir / name).write_text(text, encoding="utf-8")
    m = n // 10
    per_set = 50  # 合成题目按每套 50 道分成几套测验（一套最多 studycol.quiz.MAX_SET_QUESTIONS 道），各配一个页面
    sample = (src / "docs" / "quiz" / "part-1.md").read_text(encoding="utf-8")
    for k, first in enumerate(range(0, m, per_set), 1):
        name = f"bench-{k:03d}"
        lines = [
            "# 测试数据：基准脚本生成的合成题目，不会发布。",
            f"title: 测试数据题库{k}",
            "description: 基准测试生成。",
            f"order: {98 + k}",
            "questions:",
        ]
        for j in range(first, min(first + per_set, m)):
            words = "".join(rng.choice(FILLER) for _ in range(24))
            sid = rng.choice(NOTICE_SENTENCES)
            lines += [
                f"  - id: q-bench-{j:05d}",
                "    type: 判断",
                f"    stem: 测试数据第{j}题{words}。",
                "    answer: 正确",
                "    explain: 测试数据，用于测量题目很多时的构建性能。",
                f"    source: {sid}",
                "    not_verbatim_reason: 合成的测试题目，不对应原文。",
            ]
        (src / "data" / "quiz" / f"{name}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (src / "docs" / "quiz" / f"{name}.md").write_text(sample.replace("part-1", name), encoding="utf-8")
    return m, refs


def relax(src: Path, without_hooks: bool) -> None:
    """基准站点：不因“页面未列入导航”而失败；可选去掉本项目的全部钩子。"""
    cfg = (src / "mkdocs.yml").read_text(encoding="utf-8")
    cfg = cfg.replace("strict: true", "strict: false")
    cfg = re.sub(r"(omitted_files|not_found): warn", r"\1: info", cfg)
    if without_hooks:
        cfg = re.sub(r"\nhooks:\n(?:  - [^\n]+\n)+", "\nhooks: []\n", cfg)
        # 模板需要的部署单位信息平时由 hooks/column.py 提供；没有钩子时直接写进配置
        ident = ", ".join(f'{k}: ""' for k in ("operator", "undertaker", "contact", "site_id_code", "icp",
                                                 "police_beian", "police_beian_url", "site_domain"))
        cfg = cfg.replace("extra:\n", "extra:\n  identity: {name: 专栏, region: 全国, is_nationwide: true, " + ident + "}\n", 1)
    (src / "mkdocs.yml").write_text(cfg, encoding="utf-8")


# 只在基准的临时副本中加入的钩子：记下每个页面经过本项目全部钩子之后的 Markdown（含 front matter），
# 用来构建“页面内容相同、但没有钩子”的对照站点。它排在钩子列表最后、优先级最低，只加在单独一次不计时的构建中（capture_markdown）。
_CAPTURE_HOOK = """
from pathlib import Path
import yaml
from mkdocs.plugins import event_priority
OUT = Path(__OUT__)

@event_priority(-1000)
def on_page_markdown(markdown, page, config, files):
    dest = OUT / page.file.src_uri
    if not dest.exists():  # i18n 为英文再跑一遍时，未翻译的页面已经记过
        dest.parent.mkdir(parents=True, exist_ok=True)
        meta = dict(page.meta or {})
        head = "---\\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\\n\\n" if meta else ""
        dest.write_text(head + markdown, encoding="utf-8")
    return markdown
"""


# 只在基准的临时副本中加入的钩子：构建开始时（on_startup，此时全部事件已登记）把本项目每个钩子的每个事件函数
# 包上计时（进程 CPU 时间），构建结束时（on_shutdown）把合计写进文件。这样在同一次构建中直接量出
# “钩子代码本身用了多少 CPU 时间”，不依赖对照站点。计时本身每次调用约几微秒。
_TIMER_HOOK = """
import functools, json, sys, time
from pathlib import Path
OUT = Path(__OUT__)
_total = [0.0]
_calls = [0]

def _collection():
    frame = sys._getframe(1)
    while frame is not None:
        obj = frame.f_locals.get("self")
        if obj is not None and hasattr(obj, "events") and hasattr(obj, "_event_origins"):
            return obj
        frame = frame.f_back
    return None

def _timed(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        t = time.process_time()
        try:
            return method(*args, **kwargs)
        finally:
            _total[0] += time.process_time() - t
            _calls[0] += 1
    return wrapper

def on_startup(command, dirty):
    plugins = _collection()
    for name, methods in plugins.events.items():
        for i, method in enumerate(methods):
            origin = plugins._event_origins.get(method, "")
            if origin.startswith("hooks/") and "zz_bench" not in origin:
                wrapped = _timed(method)
                plugins._event_origins[wrapped] = origin
                methods[i] = wrapped

def on_shutdown():
    OUT.write_text(json.dumps({"hooks_cpu": _total[0], "calls": _calls[0]}), encoding="utf-8")
"""


def _add_hook(src: Path, name: str, code: str) -> None:
    (src / "hooks" / name).write_text(code, encoding="utf-8")
    cfg = (src / "mkdocs.yml").read_text(encoding="utf-8")
    cfg = re.sub(r"(\nhooks:\n(?:  - [^\n]+\n)+)", lambda m: m.group(1) + f"  - hooks/{name}\n", cfg, count=1)
    (src / "mkdocs.yml").write_text(cfg, encoding="utf-8")


def add_timer(src: Path, timer: Path) -> None:
    """计时钩子：加在计时的那次构建中（每次事件调用只多几微秒）。"""
    _add_hook(src, "zz_bench_timer.py", _TIMER_HOOK.replace("__OUT__", repr(str(timer))))


def capture_markdown(src: Path, work: Path, out: Path) -> None:
    """在一份副本上另做一次（不计时的）构建，记下每个页面经过钩子之后的 Markdown。

    记录要写几千个文件，不能放在计时的那次构建里，否则这部分时间会算到本项目的钩子头上。"""
    copy = work / "capture-src"
    shutil.copytree(src, copy)
    _add_hook(copy, "zz_bench_capture.py", _CAPTURE_HOOK.replace("__OUT__", repr(str(out))))
    run_build(copy, work / "capture-site")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.rmtree(work / "capture-site", ignore_errors=True)


def freeze(nohook: Path, captured: Path, dest: Path) -> Path:
    """对照站点：没有钩子的副本，docs/ 中的 Markdown 换成钩子处理后的样子。"""
    shutil.copytree(nohook, dest)
    for f in captured.rglob("*.md"):
        target = dest / "docs" / f.relative_to(captured)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
    return dest


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def search_sizes(site: Path) -> dict[str, int]:
    """搜索索引：引子（search/search_index.json，每个页面打开时加载）、主索引（search/part-000.js，读者第一次
    搜索时先加载）和案例各部分（search/part-001.js …，随后加载）。"""
    stub = site / "search" / "search_index.json"
    main = site / "search" / "part-000.js"
    parts = sorted(p for p in (site / "search").glob("part-*.js") if p != main)
    part_gz = [gz(p) for p in parts]
    return {"stub_raw": stub.stat().st_size, "stub_gz": gz(stub), "raw": main.stat().st_size, "gz": gz(main),
            "parts": len(parts), "parts_raw": sum(p.stat().st_size for p in parts), "parts_gz": sum(part_gz),
            "part_max_gz": max(part_gz, default=0)}


def largest_pages(site: Path, k: int = 3) -> list[tuple[int, str]]:
    return sorted(((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")), reverse=True)[:k]


def first_load(site: Path, paths: list[str]) -> dict[str, tuple[int, int]]:
    """在 Chromium 中打开页面，统计加载完成（网络空闲）前的全部请求：(请求数, gzip 后字节数)。"""
    from playwright.sync_api import sync_playwright

    out: dict[str, tuple[int, int]] = {}
    with serve(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in paths:
            page = browser.new_page()
            seen: list[str] = []
            page.on("requestfinished", lambda r: seen.append(r.url))
            page.goto(url + path, wait_until="networkidle")
            page.wait_for_timeout(500)
            total = 0
            for u in seen:
                rel = u[len(url):].split("#")[0].split("?")[0]
                f = site / rel
                if f.is_dir() or rel.endswith("/") or rel == "":
                    f = f / "index.html"
                if f.is_file():
                    total += gz(f)
            out[path] = (len(seen), total)
            page.close()
        browser.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0,100,1000,5000")
    ap.add_argument("--write", action="store_true", help="把结果写入 BENCHMARKS.md")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    rows = []
    report: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        report.append(line)

    work = Path(tempfile.mkdtemp(prefix="scale-bench-"))
    try:
        for n in sizes:
            rng = random.Random(20240122 + n)
            src = copy_site(work / f"n{n}" / "src")
            m, k = add_synthetic(src, n, rng)
            nohook = copy_site(work / f"n{n}" / "nohook")
            random_copy = random.Random(20240122 + n)
            add_synthetic(nohook, n, random_copy)
            relax(src, False)
            relax(nohook, True)
            captured = work / f"n{n}" / "captured"
            timer = work / f"n{n}" / "hook-time.json"
            capture_markdown(src, work / f"n{n}", captured)
            add_timer(src, timer)
            out = work / f"n{n}" / "site"
            a = run_build(src, out)
            b = run_build(nohook, work / f"n{n}" / "site-nohook")
            frozen = freeze(nohook, captured, work / f"n{n}" / "frozen")
            c = run_build(frozen, work / f"n{n}" / "site-frozen")
            idx = search_sizes(out)
            big = largest_pages(out, 1)[0]
            notice = (out / "notice" / "index.html").stat().st_size
            case_index = max((p.stat().st_size for p in (out / "cases").rglob("index.html") if p.parent.name in ("cases", "by-region", "by-category", "by-mine-type", "by-year")), default=0)
            row = dict(n=n, m=m, k=k, wall=a["wall"], cpu=a["cpu"], rss=a["rss_kb"] / 1024, out=dir_size(out) / 1e6,
                       s_raw=idx["raw"] / 1e6, s_gz=idx["gz"] / 1e3, parts=idx["parts"], parts_gz=idx["parts_gz"] / 1e3,
                       part_max=idx["part_max_gz"] / 1e3, stub_gz=idx["stub_gz"] / 1e3, big=big, notice=notice / 1e3, case_index=case_index / 1e3,
                       ratio=a["cpu"] / b["cpu"], own=a["cpu"] / c["cpu"], raw_cpu=b["cpu"], frozen_cpu=c["cpu"],
                       hook_cpu=json.loads(timer.read_text(encoding="utf-8"))["hooks_cpu"])
            row["inside"] = row["hook_cpu"] / max(row["cpu"] - row["hook_cpu"], 1e-9)
            rows.append(row)
            print(f"N={n} 完成：{row['wall']:.0f} 秒", flush=True)
            if n == max(sizes) and n > 0:
                # 增量构建：改动一个案例后 --dirty 构建
                one = sorted((src / "docs" / "cases").glob("*test-0001.md"))[0]
                one.write_text(one.read_text(encoding="utf-8").replace("第二段同样是测试数据", "第二段（已修改）同样是测试数据"), encoding="utf-8")
                d = run_build(src, out, "--dirty")
                rows[-1]["dirty"] = d["wall"] / a["wall"]
                rows[-1]["dirty_cpu"] = d["cpu"]
            if n != max(sizes):
                shutil.rmtree(work / f"n{n}", ignore_errors=True)

        # 首次加载传输量：用最大 N 的站点
        site = work / f"n{max(sizes)}" / "site"
        case_page = sorted(p for p in (site / "cases").rglob("index.html") if "test" not in p.as_posix() and p.parent.parent.name == "cases")
        case_path = case_page[0].parent.relative_to(site).as_posix() + "/" if case_page else "cases/"
        loads = first_load(site, ["", "notice/", case_path, "quiz/part-1/"])

        say(f"## 规模基准（{dt.date.today().isoformat()}，{platform.node() or '本机'}，{os.cpu_count()} 核，Python {platform.python_version()}）")
        say("")
        say("合成内容：N 个案例、M = N/10 道题（每 50 道一套测验）、K 处交叉引用（每个案例 3 处），中文和英文两种语言各构建一次。")
        say("钩子开销用三种方法衡量，都是同一次运行内的 CPU 时间之比：")
        say("- “对原文”：同一站点去掉本项目全部钩子。案例页、通知页等由钩子按数据生成，去掉钩子后只剩原始的短文件，")
        say("  所以这个比值包含了“生成的内容本身要经过 Markdown、主题模板和搜索插件处理”的开销；")
        say("- “对同样页面”：另做一次不计时的构建，把钩子处理后的 Markdown 原样存成文件，再不带钩子构建。Markdown 相同，")
        say("  比值反映钩子代码本身（校验、交叉引用、术语标注、安全检查、搜索索引整理等），加上钩子在 Markdown 转换之后才加入的")
        say("  内容（带预览的交叉引用、术语解释、反向链接）在主题模板和搜索插件中的处理：对照站点中交叉引用还是占位符；")
        say("  反过来，钩子替搜索插件省下的工作（英文版回退页面直接复用中文的搜索条目，同一个汉字串只切分一次）也算在内，对照构建仍要全做；")
        say("- “钩子函数内”：同一次构建中，本项目钩子的事件函数里花掉的 CPU 时间（逐次计时）与其余时间之比，")
        say("  即钩子代码直接增加了百分之几。它不含钩子生成的内容在 Markdown、模板、搜索插件中的处理时间。")
        say("")
        say("| N 案例 | M 题目 | K 引用 | 构建（墙钟） | CPU | 峰值内存 | 输出 | 搜索主索引（原始/gzip） | 最大页面 | 通知页 | 最大案例索引页 | 钩子开销：对原文 | 钩子开销：对同样页面 | 钩子函数内 |")
        say("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
        for r in rows:
            say(f"| {r['n']} | {r['m']} | {r['k']} | {r['wall']:.1f} 秒 | {r['cpu']:.1f} 秒 | {r['rss']:.0f} MB | {r['out']:.1f} MB | "
                f"{r['s_raw']:.2f} MB / {r['s_gz']:.0f} KB | {r['big'][0] / 1e3:.0f} KB（{r['big'][1]}） | {r['notice']:.0f} KB | "
                f"{r['case_index']:.0f} KB | {r['ratio']:.2f} | {r['own']:.2f} | {r['hook_cpu']:.1f} 秒，+{r['inside'] * 100:.0f}% |")
        if len(rows) >= 2:
            xs = [r["n"] for r in rows]
            ys = [r["cpu"] for r in rows]
            mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
            slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
            per = [(b["cpu"] - a["cpu"]) / (b["n"] - a["n"]) for a, b in zip(rows, rows[1:]) if b["n"] > a["n"]]
            say("")
            say(f"线性拟合：每增加 1,000 个案例，CPU 时间增加 {slope * 1000:.1f} 秒；相邻两档之间每千个案例的增量："
                + "、".join(f"{p * 1000:.1f} 秒" for p in per) + "（数值相近即为线性）。")
            if max(xs):
                big_n = rows[-1]
                per_k = big_n["parts_gz"] / (big_n["n"] / 1000)
                say(f"搜索索引：每个页面打开时只加载引子 search_index.json（gzip 后 N = {rows[0]['n']} 时 "
                    f"{rows[0]['stub_gz']:.2f} KB，N = {big_n['n']} 时 {big_n['stub_gz']:.2f} KB）；读者第一次搜索时先加载主索引"
                    f"（案例以外的全部页面）N = {rows[0]['n']} 时 gzip 后 {rows[0]['s_gz']:.0f} KB，"
                    f"N = {big_n['n']} 时 {big_n['s_gz']:.0f} KB，再加载案例页面的 {big_n['parts']} 个部分，"
                    f"共 {big_n['parts_gz']:.0f} KB（gzip，约每千个案例 {per_k:.0f} KB），最大的一个 {big_n['part_max']:.0f} KB。")
            if "dirty" in rows[-1]:
                say(f"增量构建（改动一个案例后 mkdocs build --dirty）：墙钟时间为完整构建的 {rows[-1]['dirty']:.2f} 倍。")
        say("")
        say("首次加载传输量（Chromium 打开页面到网络空闲，所有请求按 gzip 压缩后计）：")
        say("")
        say("| 页面 | 请求数 | 传输量（gzip） |")
        say("| --- | ---: | ---: |")
        for path, (count, size) in loads.items():
            say(f"| /{path} | {count} | {size / 1024:.0f} KB |")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if args.write:
        bench_md = ROOT / "BENCHMARKS.md"
        head = "# 基准测试结果\n\n由 `make bench`（bench/scale_bench.py）生成；数字来自一次运行，机器上同时有其他任务时墙钟时间噪声较大，比值更可靠。\n\n"
        old = bench_md.read_text(encoding="utf-8") if bench_md.exists() else head
        if not old.startswith("# "):
            old = head + old
        bench_md.write_text(old.rstrip("\n") + "\n\n" + "\n".join(report) + "\n", encoding="utf-8")
        print(f"已写入 {bench_md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
