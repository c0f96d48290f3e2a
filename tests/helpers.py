"""测试共用的小工具：构建站点、复制站点源码、启动本地 HTTP 服务。"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SITE_SOURCES = ("mkdocs.yml", "docs", "overrides", "hooks", "data")
# 构建引擎（与 Makefile 的 ENGINE 相同）：ProperDocs，命令行与 MkDocs 1.x 相同
ENGINE = (sys.executable, "-m", "properdocs")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def build(src: Path, out: Path, env: dict[str, str] | None = None, extra_args: list[str] | None = None) -> subprocess.CompletedProcess:
    """在 src 中运行 properdocs build --strict，输出到 out；返回进程结果（不抛异常）。"""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    full_env.pop("RELEASE", None) if "RELEASE" not in (env or {}) else None
    # 注意：不要加 -q。-q 把日志级别调到 ERROR，警告在计数之前就被丢弃，--strict 因而失效。
    cmd = [*ENGINE, "build", "--strict", "-d", str(out), *(extra_args or [])]
    return subprocess.run(cmd, cwd=src, env=full_env, capture_output=True, text=True, timeout=600)


def copy_site(dest: Path) -> Path:
    """把站点源码复制到 dest，供修改后构建（测试坏输入时不动仓库本身）。"""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_SOURCES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


def handler_with_headers(headers: dict[str, str]) -> type[http.server.SimpleHTTPRequestHandler]:
    """一个在每个响应中附加 headers 的静态文件处理器（例如用构建生成的内容安全策略响应头）。"""

    class _HeaderHandler(_QuietHandler):
        def end_headers(self) -> None:
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

    return _HeaderHandler


@contextlib.contextmanager
def serve(directory: Path, handler: type[http.server.SimpleHTTPRequestHandler] = _QuietHandler) -> Iterator[str]:
    """在 127.0.0.1 的随机端口上提供 directory，产出根地址（以 / 结尾）。"""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def html_pages(site: Path) -> list[Path]:
    """站点中所有 HTML 页面（不含 404 页）。"""
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


# ---- 不经过 MkDocs 调用构建核心（studycol.pipeline、studycol/steps/） ----------------------------


@dataclasses.dataclass
class CorePage:
    """测试用的页面：studycol.engine.Page 要的几项。"""

    src_uri: str
    source: str
    url: str = ""
    title: str = ""
    meta: dict = dataclasses.field(default_factory=dict)
    locale: str = "zh"
    dest: str | None = None

    def __post_init__(self) -> None:
        self.url = self.url or self.src_uri.removesuffix("index.md").removesuffix(".md") + ("/" if not self.src_uri.endswith("index.md") else "")


def core_pass(root: Path = REPO, **changes):
    """一遍构建的参数（默认是本仓库、中文、严格模式），模板从 overrides/ 和 Material 的模板目录读。"""
    import material
    from jinja2 import Environment, FileSystemLoader

    from studycol.engine import Pass

    loader = FileSystemLoader([str(root / "overrides"), str(Path(material.__file__).parent / "templates")])
    fields = dict(
        root=root, docs_dir=root / "docs", site_dir=root / "site", language="zh", first=True, strict=True, site_url="",
        extra={}, mdx_configs={}, make_env=lambda: Environment(loader=loader),
    )
    fields.update(changes)
    return Pass(**fields)
