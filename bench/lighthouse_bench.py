"""Lighthouse 基准（手机模式）：首页、通知原文、一个案例页、一个测验页、重点任务清单的四项得分和首次加载
传输量，同一次运行里再测一个不加定制的 Material 页面作对照（“Material 原版”一行）。

目标：性能 ≥ 0.98，无障碍 1.0，最佳实践 ≥ 0.95，SEO ≥ 0.95，首次加载传输量 ≤ 64 KiB（gzip 后，含响应头）。

对照页：data/notice.yml 中通知的标题、主送机关、各部分标题和段落写成一页 Markdown，用 Material 的默认主题
和它自带的搜索插件构建，只关掉网络字体（font: false，本机不能联网，本站也关掉了它）。

- Lighthouse（npm，12.x，支持 Node 20）装在 bench/node_modules，由 make bench-lighthouse 安装；
  浏览器用 Debian 的 /usr/bin/chromium（CHROME_PATH），不下载任何浏览器。
- 站点先严格构建（SITE_URL 设为本机地址，使 canonical 链接与被测地址一致），再用本脚本内的
  小服务器提供：按 README 中 nginx 示例的做法对文本类文件 gzip 压缩、assets/ 缓存 30 天。
- Lighthouse 默认的手机模式：模拟中端手机、慢速 4G 网络节流（simulated throttling），
  所以得分不受本机网络影响；但这台机器同时在做别的事，性能分会有几分的波动，--runs 可多跑取中位数。

用法：.venv/bin/python bench/lighthouse_bench.py [--runs 1] [--keep DIR] [--strict]

退出码：测量完成就是 0，未达目标的项目列在表下（这是测量结果，不是命令出错）；加 --strict 时未达目标为 1。
构建失败或 Lighthouse 运行失败为 2。
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import CHROMIUM, build  # noqa: E402

import pagecheck  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 0.98, "accessibility": 1.0, "best-practices": 0.95, "seo": 0.95}
BUDGET_BYTES = 64 * 1024
VANILLA = "Material 原版（通知）"
QUIZ_RE = re.compile(r'class="[^"]*\bcolumn-quiz\b')
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """静态文件服务器：文本类文件 gzip 压缩，assets/ 下的文件允许缓存 30 天（与 README 的 nginx 示例一致）。"""

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        if self.path.startswith("/assets/"):
            self.send_header("Cache-Control", "public, max-age=2592000")
        super().end_headers()

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if (path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")
                and ctype.startswith(GZIP_TYPES) and path.stat().st_size >= 1024):
            body = gzip.compress(path.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _serve(directory: Path, port: int) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_GzipHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


def pick_pages(site: Path) -> dict[str, str]:
    """要测的页面：首页、通知、第一个案例页、第一个测验页（按构建结果查找，没有时跳过）。"""
    paths = [p for p in pagecheck.site_pages(site) if not p.startswith("en/")]
    chosen = {"首页": "", "通知原文": "notice/", "任务清单": "tasks/"}
    cases = [p for p in paths if p.startswith("cases/") and p != "cases/"]
    if cases:
        chosen["案例"] = cases[0]
    for p in paths:
        if QUIZ_RE.search((site / p / "index.html").read_text(encoding="utf-8")):
            chosen["测验"] = p
            break
    return chosen


def vanilla_source(dest: Path) -> Path:
    """对照站点的源码：一页通知正文，Material 默认主题和默认搜索插件。"""
    from studycol.notice import load_notice, paragraph_text

    notice = load_notice(ROOT / "data" / "notice.yml")
    lines = [f"# {notice.meta.title}", "", notice.meta.doc_number, "", notice.meta.addressees, ""]
    for part in notice.parts:
        if part.title:
            lines += [f"## {part.no}、{part.title}" if part.no else f"## {part.title}", ""]
        lines += [line for para in part.paragraphs for line in (paragraph_text(para), "")]
    (dest / "docs").mkdir(parents=True, exist_ok=True)
    (dest / "docs" / "index.md").write_text("\n".join(lines), encoding="utf-8")
    (dest / "mkdocs.yml").write_text(
        "site_name: 对照\nsite_url: http://127.0.0.1/\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search\n", encoding="utf-8")
    return dest


def run_lighthouse(url: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    cmd = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
           "--only-categories=" + ",".join(CATEGORIES),
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"]
    subprocess.run(cmd, env=env, check=True, timeout=300)
    return json.loads(out.read_text(encoding="utf-8"))


def summarise(report: dict) -> dict:
    audits = report["audits"]
    failing = []
    for cat in CATEGORIES[1:]:
        for ref in report["categories"][cat]["auditRefs"]:
            a = audits[ref["id"]]
            if ref["weight"] > 0 and a.get("score") is not None and a["score"] < 1:
                failing.append(f"{cat}:{ref['id']}")
    return {
        **{c: report["categories"][c]["score"] for c in CATEGORIES},
        "bytes": audits["total-byte-weight"]["numericValue"],
        "requests": len(audits["network-requests"]["details"]["items"]),
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "failing": failing,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="每页运行次数，取中位数（默认 1）")
    parser.add_argument("--keep", type=Path, help="把 Lighthouse 的 JSON 报告留在这个目录")
    parser.add_argument("--site", type=Path, help="不构建，测这个已构建的站点（应以 SITE_URL=http://127.0.0.1:PORT/ 构建）")
    parser.add_argument("--port", type=int, help="与 --site 配合：站点构建时用的端口")
    parser.add_argument("--strict", action="store_true", help="有页面未达目标时退出码为 1（默认只列出，退出码 0）")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        print("没有安装 Lighthouse；请运行 make bench-lighthouse（在 bench/ 中 npm ci）。", file=sys.stderr)
        return 2

    port = args.port or _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if not args.site:
            result = build(ROOT, site, env={"SITE_URL": f"http://127.0.0.1:{port}/"})
            if result.returncode != 0:
                print(result.stdout + result.stderr, file=sys.stderr)
                return 2
        vanilla = Path(tmp) / "vanilla-site"
        result = build(vanilla_source(Path(tmp) / "vanilla"), vanilla)
        if result.returncode != 0:
            print("对照站点（Material 原版）构建失败：\n" + result.stdout + result.stderr, file=sys.stderr)
            return 2
        pages = pick_pages(site)
        reports = Path(args.keep) if args.keep else Path(tmp) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        rows = {}
        with _serve(site, port) as url:
            for name, path in pages.items():
                try:
                    runs = [summarise(run_lighthouse(url + path, reports / f"{name}-{i}.json")) for i in range(args.runs)]
                except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, ValueError, KeyError) as exc:
                    print(f"Lighthouse 测 {name}（/{path}）时出错：{exc}", file=sys.stderr)
                    return 2
                best = sorted(runs, key=lambda r: r["performance"])[len(runs) // 2]
                best["performance_all"] = [r["performance"] for r in runs]
                rows[name] = (path, best)
        with _serve(vanilla, _free_port()) as url:
            try:
                runs = [summarise(run_lighthouse(url, reports / f"vanilla-{i}.json")) for i in range(args.runs)]
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, ValueError, KeyError) as exc:
                print(f"Lighthouse 测对照页时出错：{exc}", file=sys.stderr)
                return 2
            best = sorted(runs, key=lambda r: r["performance"])[len(runs) // 2]
            best["performance_all"] = [r["performance"] for r in runs]
            rows[VANILLA] = ("（对照站点）/", best)

    print("| 页面 | 地址 | 性能 | 无障碍 | 最佳实践 | SEO | 首次加载传输量 | 请求数 | LCP | TBT | CLS |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, (path, r) in rows.items():
        print(f"| {name} | {path if name == VANILLA else '/' + path} | {r['performance']:.2f} | {r['accessibility']:.2f} | {r['best-practices']:.2f} | "
              f"{r['seo']:.2f} | {r['bytes'] / 1024:.0f} KiB | {r['requests']} | {r['lcp'] / 1000:.2f} s | "
              f"{r['tbt']:.0f} ms | {r['cls']:.3f} |")
    misses = []
    for name, (_, r) in rows.items():
        if name != VANILLA:
            for cat, target in TARGETS.items():
                if r[cat] < target:
                    misses.append(f"{name} {cat} {r[cat]:.2f} < {target}")
            if r["bytes"] > BUDGET_BYTES:
                misses.append(f"{name} 首次加载 {r['bytes'] / 1024:.0f} KiB > {BUDGET_BYTES // 1024} KiB")
        if r["failing"]:
            print(f"{name}：未满分的审核项 {', '.join(r['failing'])}")
        if len(r["performance_all"]) > 1:
            print(f"{name}：各次性能分 {r['performance_all']}，中位数 {statistics.median(r['performance_all']):.2f}")
    print("全部达到目标。" if not misses else "未达目标：" + "；".join(misses))
    return 1 if misses and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
