"""编辑的等待时间：在 mkdocs serve 下改动一个案例，到浏览器能拿到改过的页面要多久。

在站点副本中启动 `properdocs serve`（与 make serve 相同）（只监听 127.0.0.1），等首次构建完成后，改动一个案例的一句话，
每 0.1 秒请求一次该案例页，直到页面中出现新文字；记下从保存文件到拿到新页面的墙钟时间。
重复几次（每次改成不同的文字），报告每次的时间。只访问本机的回环地址；每次等待最多 --timeout 秒。

同时核对拿到的页面是否正确：去掉新文字后应与改动前（首次完整构建）提供的页面逐字相同。只重建改动页面的
方式（serve --dirty）若漏掉了别的页面提供的信息（例如交叉引用的目标都在其他页面上），这里就会报告页面不对。

用法：.venv/bin/python bench/editor_loop.py SITE_DIR [--edits 3] [--port 8765]
（SITE_DIR 是一份站点副本，例如 scale_bench 生成的；也可以由 scale_bench 调用 measure()。）
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from helpers import ENGINE  # noqa: E402

MARK = "第二段同样是测试数据"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 — 只访问本机回环地址
            return str(r.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


# serve 在每个页面末尾注入的实时刷新脚本带着构建序号（每次重建都变），比较页面时去掉
_LIVERELOAD_RE = re.compile(r"livereload\(\d+, \d+\);")


def _comparable(page: str) -> str:
    return _LIVERELOAD_RE.sub("livereload();", page)


def _wait_for(url: str, needle: str, deadline: float) -> float | None:
    while time.perf_counter() < deadline:
        page = _get(url)
        if page is not None and needle in page:
            return time.perf_counter()
        time.sleep(0.1)
    return None


def measure(site: Path, case: Path, edits: int = 3, port: int | None = None, timeout: float = 600,
            dirty: bool = False) -> list[tuple[float, bool]]:
    """在 site 中启动 mkdocs serve，改动 case（docs/cases/ 下的一个文件）edits 次；返回每次的
    (等待秒数, 页面是否正确)：正确指去掉新文字后与改动前提供的页面逐字相同。"""
    port = port or _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("RELEASE", None)
    proc = subprocess.Popen(
        [*ENGINE, "serve", "--dev-addr", f"127.0.0.1:{port}", *(["--dirty"] if dirty else [])],
        cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/cases/{case.stem}/"
    original = case.read_text(encoding="utf-8")
    times: list[tuple[float, bool]] = []
    try:
        if _wait_for(url, "</html>", time.perf_counter() + timeout) is None:
            raise SystemExit(f"mkdocs serve 在 {timeout:.0f} 秒内没有提供 {url}")
        time.sleep(1.0)  # 让文件监视器安顿下来
        before = _comparable(_get(url) or "")
        for k in range(1, edits + 1):
            marker = f"（第{k}次修改）"
            case.write_text(original.replace(MARK, MARK + marker, 1), encoding="utf-8")
            start = time.perf_counter()
            done = _wait_for(url, marker, start + timeout)
            if done is None:
                raise SystemExit(f"改动后 {timeout:.0f} 秒内没有看到新页面（{url}）")
            page = _get(url) or ""
            times.append((done - start, _comparable(page.replace(marker, "")) == before))
            time.sleep(1.0)
    finally:
        case.write_text(original, encoding="utf-8")
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--edits", type=int, default=3)
    ap.add_argument("--port", type=int, default=None)
    ap.add_argument("--dirty", action="store_true", help="serve --dirty：只重建改动过的页面")
    args = ap.parse_args()
    cases = sorted((args.site / "docs" / "cases").glob("*.md"))
    case = next((c for c in cases if MARK in c.read_text(encoding="utf-8")), None)
    if case is None:
        raise SystemExit(f"{args.site}/docs/cases/ 中没有含“{MARK}”的合成案例；请用 scale_bench 生成的站点副本。")
    results = measure(args.site, case, args.edits, args.port, dirty=args.dirty)
    print("每次改动后拿到新页面的时间：" + "、".join(f"{t:.1f} 秒{'' if ok else '（页面不对）'}" for t, ok in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
