"""站点体检（make audit）：逐页在浏览器中检查，打印一张表。

对构建结果中的每一个页面（新页面类型自动包括在内）：
- 外部请求：向本站以外的地址发出的请求数（内网要求为 0）；
- 控制台错误：脚本错误、控制台 error、HTTP ≥ 400 的响应；
- axe：axe-core 在 WCAG 2.1 A/AA 下的严重（serious）和致命（critical）违规数，浅色/深色两种配色；
  测验页面（有 .column-quiz）作答后再查一次，计入同一格；
- 溢出：320 px 宽的手机上页面横向溢出的像素（宽表格在自己的框内滚动，不计）；
- 触控：320 px 宽时小于 24×24 px 的触控目标（axe target-size）。
另加一行“搜索打开”：首页打开搜索并显示“偷采”的结果时的 axe 检查。

用法：.venv/bin/python bench/audit.py [--no-build] [--site DIR] [--only 前缀] [--pages 路径 …]
默认先严格构建到 site/（同 make build）。有任何问题时退出码为 1，并在表后列出明细。
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import CHROMIUM, CHROMIUM_ARGS, build, serve  # noqa: E402

import pagecheck  # noqa: E402


@dataclasses.dataclass
class Row:
    page: str
    foreign: list[str] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)
    axe: dict[str, list[pagecheck.Violation]] = dataclasses.field(default_factory=dict)
    overflow: int = 0
    overflow_detail: list[str] = dataclasses.field(default_factory=list)
    small_targets: list[pagecheck.Violation] = dataclasses.field(default_factory=list)
    quiz: bool = False

    @property
    def ok(self) -> bool:
        return not (self.foreign or self.errors or any(self.axe.values()) or self.overflow or self.small_targets)


def _axe_cell(row: Row) -> str:
    return " / ".join(str(sum(len(v.targets) for v in row.axe.get(p, []))) for p in pagecheck.PALETTES)


def audit(site: Path, only: str = "", pages: list[str] | None = None) -> list[Row]:
    from playwright.sync_api import sync_playwright

    paths = [p for p in pagecheck.site_pages(site) if p.startswith(only) and (pages is None or p in pages)]
    rows = {p: Row(p or "（首页）") for p in paths}
    with serve(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        # 桌面宽度，两种配色：外部请求、控制台错误（只在浅色时记录一次）、axe（测验页作答前后）
        for palette, scheme in pagecheck.PALETTES.items():
            ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
            for path in paths:
                row = rows[path]
                page = ctx.new_page()
                watch = pagecheck.Watch(page, url)
                page.goto(url + path, wait_until="networkidle")
                found = pagecheck.blocking(pagecheck.run_axe(page))
                if pagecheck.is_quiz(page):
                    row.quiz = True
                    pagecheck.answer_quizzes(page)
                    found += [dataclasses.replace(v, rule=v.rule + "（作答后）")
                              for v in pagecheck.blocking(pagecheck.run_axe(page))]
                row.axe[palette] = found
                if palette == "default":
                    row.foreign, row.errors = watch.foreign, watch.errors
                page.close()
            ctx.close()

        # 手机宽度：溢出和触控目标
        ctx = browser.new_context(viewport={"width": 320, "height": 640})
        page = ctx.new_page()
        for path in paths:
            row = rows[path]
            page.goto(url + path, wait_until="load")
            result = pagecheck.horizontal_overflow(page)
            if pagecheck.overflows(result):
                row.overflow = max(result["scroll"], 1)
                row.overflow_detail = result["offenders"]
            row.small_targets = pagecheck.run_axe(page, tags=(), extra_rules=pagecheck.PHONE_RULES)
        ctx.close()

        # 搜索打开（桌面和手机，两种配色）
        search = Row("（搜索打开）")
        for palette, scheme in pagecheck.PALETTES.items():
            search.axe[palette] = []
            for width in (1280, 375):
                ctx = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
                page = ctx.new_page()
                watch = pagecheck.Watch(page, url)
                page.goto(url, wait_until="networkidle")
                if pagecheck.open_search(page, "偷采") == 0:
                    search.errors.append(f"{width}px：搜索“偷采”没有结果")
                search.axe[palette] += pagecheck.blocking(pagecheck.run_axe(page))
                search.foreign += watch.foreign
                ctx.close()
        browser.close()
    return [*rows.values(), search]


def print_table(rows: list[Row]) -> None:
    head = ("页面", "外部请求", "控制台错误", "axe 严重+致命（浅/深）", "320px 溢出", "触控目标<24px", "结论")
    body = [(r.page + ("〔测验〕" if r.quiz else ""), str(len(r.foreign)), str(len(r.errors)), _axe_cell(r),
             f"{r.overflow}px" if r.overflow else "0", str(sum(len(v.targets) for v in r.small_targets)),
             "通过" if r.ok else "有问题") for r in rows]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(" --- " for _ in head) + "|")
    for line in body:
        print("| " + " | ".join(line) + " |")


def print_details(rows: list[Row]) -> None:
    for r in rows:
        if r.ok:
            continue
        print(f"\n## {r.page}")
        for u in r.foreign:
            print(f"- 外部请求：{u}")
        for e in r.errors:
            print(f"- 错误：{e}")
        for palette, found in r.axe.items():
            for v in found:
                print(f"- axe（{palette}）：{v}")
        if r.overflow:
            print(f"- 320px 横向溢出 {r.overflow}px：{'、'.join(r.overflow_detail) or '（见 scrollWidth）'}")
        for v in r.small_targets:
            print(f"- 触控目标：{v}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="站点目录（默认 site/）")
    parser.add_argument("--no-build", action="store_true", help="不构建，直接检查 --site 中已有的站点")
    parser.add_argument("--only", default="", help="只检查路径以此开头的页面，例如 quiz/")
    parser.add_argument("--pages", nargs="+", help="只检查这些页面（站内路径，如 notice/；首页写空字符串）")
    args = parser.parse_args()

    if not args.no_build:
        started = time.perf_counter()
        result = build(ROOT, args.site)
        if result.returncode != 0:
            print(result.stdout + result.stderr, file=sys.stderr)
            print("严格构建失败，无法体检。", file=sys.stderr)
            return 2
        print(f"已严格构建到 {args.site}（{time.perf_counter() - started:.1f} 秒）")
    if not (args.site / "index.html").is_file():
        print(f"{args.site} 中没有站点；去掉 --no-build 先构建。", file=sys.stderr)
        return 2
    if not pagecheck.AXE_JS.is_file():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=True)

    started = time.perf_counter()
    rows = audit(args.site, args.only, args.pages)
    print_table(rows)
    bad = [r for r in rows if not r.ok]
    print(f"\n共 {len(rows) - 1} 个页面 + 搜索打开，{len(rows) - len(bad)} 项通过，{len(bad)} 项有问题"
          f"（用时 {time.perf_counter() - started:.0f} 秒）。")
    print_details(rows)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
