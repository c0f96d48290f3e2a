"""规模基准（make bench）：真实站点、300 个案例、编辑循环，以及 1,000 和 5,000 个案例（只看是否线性）。

在临时目录的站点副本中生成 N 个合成案例（另带 N/10 道合成题目和每个案例 3 处交叉引用），N 取 0（真实站点）、
300、1000、5000，对每个 N 构建一次，报告墙钟时间、CPU 时间、其中钩子函数内的 CPU 时间、峰值内存、输出大小、
搜索索引大小和最大页面；N = 0 和 300 时紧接着构建两个对照站点（同样的页面去掉本项目的钩子和 overrides/：
编辑写的原文，以及钩子处理后交给 Markdown 的文字），得出只用引擎和主题时的下限和本项目与它之比（见 floor_site）；
N = 300 时再量编辑循环（serve 下改动一个案例，到拿到新页面的时间，并核对页面是否正确，见 bench/editor_loop.py）；
最后在 Chromium 中打开首页、通知页、一个案例页和一个测验页，统计首次加载的传输量（gzip 后）。

合成内容全部是测试数据（标题、来源和核实说明以“测试数据”开头，状态“待核实”，按真实案例的写法生成，
以便进入按地区、按年份的列表），只写进临时目录，从不写入 docs/。
结果打印为表格；加 --write 时连同机器和日期写入 BENCHMARKS.md。

用法：.venv/bin/python bench/scale_bench.py [--sizes 0,300,1000,5000] [--loop-at 300] [--floor-at 0,300] [--write]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from cases_bench import synthetic_case  # noqa: E402
from helpers import CHROMIUM, CHROMIUM_ARGS, ENGINE, copy_site, serve  # noqa: E402

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
    cmd = [sys.executable, "-c", _RUNNER, *ENGINE, "build", "-d", str(out), *extra]
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
    """基准站点：不因“页面未列入导航”而失败；可选去掉本项目的全部钩子和主题扩展（overrides/），
    得到只有构建引擎、Material 主题和插件的对照站点（见 floor_site）。"""
    cfg = (src / "mkdocs.yml").read_text(encoding="utf-8")
    cfg = cfg.replace("strict: true", "strict: false")
    cfg = re.sub(r"(omitted_files|not_found): warn", r"\1: info", cfg)
    if without_hooks:
        cfg = re.sub(r"\nhooks:\n(?:  - [^\n]+\n)+", "\nhooks: []\n", cfg)
        # overrides/ 的模板要用钩子提供的变量和过滤器（如 chinese_date），没有钩子时整个去掉，用 Material 原样的模板
        cfg = re.sub(r"\n  custom_dir: [^\n]+", "", cfg, count=1)
        # 模板需要的部署单位信息平时由 hooks/column.py 提供；没有钩子时直接写进配置
        ident = ", ".join(f'{k}: ""' for k in ("operator", "undertaker", "contact", "site_id_code", "icp",
                                                 "police_beian", "police_beian_url", "site_domain"))
        cfg = cfg.replace("extra:\n", "extra:\n  identity: {name: 专栏, region: 全国, is_nationwide: true, " + ident + "}\n", 1)
        for page in (src / "docs").rglob("*.md"):  # 页面指定的模板（如工作动态的 news-post.html）在 overrides/ 中
            text = page.read_text(encoding="utf-8")
            if text.startswith("---") and "\ntemplate:" in text:
                page.write_text(re.sub(r"\ntemplate: [^\n]*", "", text, count=1), encoding="utf-8")
    (src / "mkdocs.yml").write_text(cfg, encoding="utf-8")


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


# 只在基准的临时副本中加入的钩子：在全部钩子之后（优先级最低）记下每个页面交给 Markdown 转换的文字，
# 每个源文件只记第一次（默认语言一遍在前；只有英文一遍才构建的译文页记英文的）。floor_site 用它搭对照站点。
_DUMP_HOOK = """
from pathlib import Path
from mkdocs.plugins import event_priority
OUT = Path(__OUT__)

@event_priority(-1000)
def on_page_markdown(markdown, page, config, files):
    path = OUT / page.file.src_uri
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown, encoding="utf-8")
    return markdown
"""


def _add_hook(src: Path, name: str, code: str) -> None:
    (src / "hooks" / name).write_text(code, encoding="utf-8")
    cfg = (src / "mkdocs.yml").read_text(encoding="utf-8")
    cfg = re.sub(r"(\nhooks:\n(?:  - [^\n]+\n)+)", lambda m: m.group(1) + f"  - hooks/{name}\n", cfg, count=1)
    (src / "mkdocs.yml").write_text(cfg, encoding="utf-8")


def add_timer(src: Path, timer: Path) -> None:
    """计时钩子：加在计时的那次构建中（每次事件调用只多几微秒）。"""
    _add_hook(src, "zz_bench_timer.py", _TIMER_HOOK.replace("__OUT__", repr(str(timer))))


def add_dump(src: Path, dump: Path) -> None:
    _add_hook(src, "zz_bench_dump.py", _DUMP_HOOK.replace("__OUT__", repr(str(dump))))


def floor_site(src: Path, dest: Path, rendered: Path | None) -> Path:
    """对照站点：src（已加合成内容的站点副本）去掉钩子和 overrides/，只剩构建引擎、主题和插件，页面数量相同。
    rendered 为 None 时页面是编辑写的原文（“原样页面”）；否则换成 add_dump 记下的、钩子处理后交给 Markdown 的文字
    （“钩子生成的页面”：同样多的正文交给引擎和主题，构建 CPU 即本项目代码之外的下限）。"""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "zz_bench_*.py"))
    if rendered is not None:
        shutil.copytree(rendered, dest / "docs", dirs_exist_ok=True)
    relax(dest, True)
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


def editor_loop(src: Path) -> dict[str, tuple[float, int]]:
    """在 src 中改动一个合成案例，量 serve 重建后拿到新页面的时间（完整重建和 --dirty 各 3 次）：
    每种方式返回 (中位数秒数, 3 次中拿到的页面不对的次数)。"""
    import statistics

    from editor_loop import MARK, measure

    case = next(c for c in sorted((src / "docs" / "cases").glob("*.md")) if MARK in c.read_text(encoding="utf-8"))
    out: dict[str, tuple[float, int]] = {}
    for name, dirty in (("full", False), ("dirty", True)):
        results = measure(src, case, 3, dirty=dirty)
        out[name] = (statistics.median(t for t, _ in results), sum(not ok for _, ok in results))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0,300,1000,5000")
    ap.add_argument("--loop-at", type=int, default=300, help="在这一档上量编辑循环（0 表示不量）")
    ap.add_argument("--floor-at", default="0,300", help="在这几档上另建两个不带钩子的对照站点（空串表示不建）")
    ap.add_argument("--write", action="store_true", help="把结果写入 BENCHMARKS.md")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    floor_at = {int(x) for x in args.floor_at.split(",") if x.strip()}
    rows = []
    floors: list[dict] = []
    report: list[str] = []
    loop: dict[str, tuple[float, int]] = {}

    def say(line: str = "") -> None:
        print(line, flush=True)
        report.append(line)

    work = Path(tempfile.mkdtemp(prefix="scale-bench-"))
    try:
        for n in sizes:
            src = copy_site(work / f"n{n}" / "src")
            m, k = add_synthetic(src, n, random.Random(20240122 + n))
            relax(src, False)
            timer = work / f"n{n}" / "hook-time.json"
            add_timer(src, timer)
            rendered = work / f"n{n}" / "rendered"
            if n in floor_at:
                add_dump(src, rendered)
            out = work / f"n{n}" / "site"
            a = run_build(src, out)
            if a["rc"] != 0:
                raise SystemExit(f"N={n} 构建失败：\n{a['tail']}")
            idx = search_sizes(out)
            big = largest_pages(out, 1)[0]
            hook_cpu = json.loads(timer.read_text(encoding="utf-8"))["hooks_cpu"]
            rows.append(dict(n=n, m=m, k=k, wall=a["wall"], cpu=a["cpu"], rss=a["rss_kb"] / 1024, out=dir_size(out) / 1e6,
                             s_gz=idx["gz"] / 1e3, parts=idx["parts"], parts_gz=idx["parts_gz"] / 1e3,
                             stub_gz=idx["stub_gz"] / 1e3, big=big, hook_cpu=hook_cpu))
            print(f"N={n} 完成：CPU {a['cpu']:.1f} 秒", flush=True)
            if n in floor_at:
                # 紧接着在同一次运行中构建两个对照站点（同样的页面，没有钩子和 overrides/），比值才可比
                raw = run_build(floor_site(src, work / f"n{n}" / "floor-raw", None), work / f"n{n}" / "floor-raw-site")
                gen = run_build(floor_site(src, work / f"n{n}" / "floor-gen", rendered), work / f"n{n}" / "floor-gen-site")
                floors.append(dict(n=n, cpu=a["cpu"], hook_cpu=hook_cpu, raw=raw["cpu"], gen=gen["cpu"]))
                print(f"N={n} 对照：原样页面 {raw['cpu']:.1f} 秒，钩子生成的页面 {gen['cpu']:.1f} 秒", flush=True)
            if n == args.loop_at and n > 0:
                loop = editor_loop(src)
            if n != max(sizes):
                shutil.rmtree(work / f"n{n}", ignore_errors=True)

        site = work / f"n{max(sizes)}" / "site"
        case_page = sorted(p for p in (site / "cases").rglob("index.html") if "test" not in p.as_posix() and p.parent.parent.name == "cases")
        case_path = case_page[0].parent.relative_to(site).as_posix() + "/" if case_page else "cases/"
        loads = first_load(site, ["", "notice/", case_path, "quiz/part-1/"])

        say(f"## 规模基准（{dt.date.today().isoformat()}，{platform.node() or '本机'}，{os.cpu_count()} 核，Python {platform.python_version()}）")
        say("")
        say("N = 0 是真实站点；其余在它上面加 N 个合成案例、N/10 道合成题目（每 50 道一套测验）和每个案例 3 处交叉引用，"
            "中英两种语言各构建一次（ProperDocs，严格模式的规则，未列入导航的页面只记为提示）。CPU 为构建进程的用户加系统时间；"
            "“钩子函数内”是同一次构建中本项目钩子的事件函数花掉的 CPU 时间。")
        say("")
        say("| N 案例 | M 题目 | K 引用 | 墙钟 | CPU | 钩子函数内 | 峰值内存 | 输出 | 搜索主索引（gzip） | 案例部分（个数 / gzip） | 最大页面 |")
        say("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for r in rows:
            say(f"| {r['n']} | {r['m']} | {r['k']} | {r['wall']:.1f} 秒 | {r['cpu']:.1f} 秒 | {r['hook_cpu']:.1f} 秒 | {r['rss']:.0f} MB | "
                f"{r['out']:.1f} MB | {r['s_gz']:.0f} KB | {r['parts']} / {r['parts_gz']:.0f} KB | {r['big'][0] / 1e3:.0f} KB（{r['big'][1]}） |")
        grown = [r for r in rows if r["n"] > 0]
        if len(grown) >= 2:
            per = [(b["cpu"] - a["cpu"]) / (b["n"] - a["n"]) * 1000 for a, b in zip(grown, grown[1:])]
            say("")
            say("线性：相邻两档之间每千个案例增加的 CPU 时间 " + "、".join(f"{p:.1f} 秒" for p in per) + "（数值相近即为线性）。")
        at = next((r for r in rows if r["n"] == 300), None)
        if at is not None:
            say(f"目标“300 个案例的构建 CPU 少于 15 秒”：{at['cpu']:.1f} 秒，{'达到' if at['cpu'] < 15 else '未达到'}。")
        if floors:
            say("")
            say("下限（同一次运行，紧接在各档构建之后）：同样的页面去掉本项目的钩子和 overrides/，只用构建引擎、Material 主题和插件构建。"
                "“原样页面”用编辑写的原文（案例页只剩 front matter 和几段正文）；“钩子生成的页面”用本项目钩子处理后交给 Markdown 的文字，"
                "即引擎和主题要处理的正文与真实构建相同（钩子在 HTML 阶段加的内容，如交叉引用的提示框，不在其中），它的 CPU 是本项目代码之外的下限。")
            say("")
            say("| N 案例 | 本项目构建 CPU | 其中钩子函数外 | 对照：钩子生成的页面 | 对照：原样页面 | 本项目 / 钩子生成的页面 | 本项目 / 原样页面 |")
            say("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
            for f in floors:
                say(f"| {f['n']} | {f['cpu']:.1f} 秒 | {f['cpu'] - f['hook_cpu']:.1f} 秒 | {f['gen']:.1f} 秒 | {f['raw']:.1f} 秒 | "
                    f"{f['cpu'] / f['gen']:.2f} | {f['cpu'] / f['raw']:.2f} |")
            at_floor = next((f for f in floors if f["n"] == 300), None)
            if at_floor is not None:
                say(f"300 个案例时，钩子生成的页面只用引擎和主题构建就要 {at_floor['gen']:.1f} 秒 CPU，是目标 15 秒的 "
                    f"{at_floor['gen'] / 15:.2f} 倍；本项目的钩子、模板扩展和它们在 HTML 阶段加的内容合计占 "
                    f"{at_floor['cpu'] - at_floor['gen']:.1f} 秒。")
        if loop:
            def loop_text(name: str, label: str) -> str:
                secs, wrong = loop[name]
                return f"{label} {secs:.1f} 秒" + (f"（3 次中 {wrong} 次拿到的页面不对）" if wrong else "（页面正确）")

            correct = [loop[k][0] for k in loop if loop[k][1] == 0]
            say(f"编辑循环（N = {args.loop_at}，serve 下改动一个案例到拿到新页面，3 次的中位数；页面正确指去掉改动的文字后与改动前逐字相同）："
                f"{loop_text('full', '完整重建')}，{loop_text('dirty', '--dirty')}；"
                f"目标“3 秒内拿到正确的页面”{'达到' if correct and min(correct) < 3 else '未达到'}。")
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
