"""片段引用（pymdownx.snippets）：只能引用 docs/_snippets 中的文件；越界的引用给出中文消息（文件、行号、SNIP-1），
不出现 SnippetMissingError 回溯——构建、make serve 首次构建和 make serve 改文件后的重新构建都一样。

第一个测试走与构建相同的代码路径（不启动 MkDocs）：夹具交给 pymdownx.snippets 本身（mkdocs.yml 中的设置）时
确实会中止或读出目录以外的文件；先经过 studycol.safety 的检查、去掉有问题的引用行后就不会。
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import markdown as markdown_lib
import pytest
from pymdownx.snippets import SnippetMissingError

from helpers import ENGINE, REPO, copy_site
from studycol import safety

FIXTURES = Path(__file__).parent / "fixtures" / "hostile" / "html"
SNIPPET_FIXTURES = sorted(p.name for p in FIXTURES.glob("snippet-*.md") if p.name != "snippet-nested.md")


def _snippets_md(root: Path) -> markdown_lib.Markdown:
    """与 mkdocs.yml 相同设置的 pymdownx.snippets（base_path 相对于 root）。"""
    from mkdocs.config import load_config

    cfg = load_config(str(REPO / "mkdocs.yml")).mdx_configs["pymdownx.snippets"]
    conf = {**cfg, "base_path": [str(root / b) for b in cfg["base_path"]]}
    return markdown_lib.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": conf})


@pytest.mark.parametrize("fixture", SNIPPET_FIXTURES)
def test_the_screen_keeps_pymdownx_from_failing(tmp_path: Path, fixture: str):
    assert len(SNIPPET_FIXTURES) >= 8
    (tmp_path / "docs" / "_snippets").mkdir(parents=True)
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    offset = safety.body_offset(text)
    body = text.split("\n", offset)[-1]
    # 不经检查：pymdownx.snippets 以 SnippetMissingError 中止（没有文件和行号）
    with pytest.raises(SnippetMissingError):
        _snippets_md(tmp_path).convert(body)
    t0 = time.perf_counter()
    problems = safety.source_problems(body, "docs/shili.md", tmp_path, offset)
    assert time.perf_counter() - t0 < 2
    snip = [p for p in problems if p.rule == "SNIP-1"]
    assert snip and all(re.search(r"[\u4e00-\u9fff]", p.reason) for p in snip)
    cleaned = safety.without_lines(body, [p.line for p in snip], offset)
    html = _snippets_md(tmp_path).convert(cleaned)  # 不再抛出异常
    assert "root:" not in html and "8&lt;" not in html


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(proc: subprocess.Popen, log: Path, pattern: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        if re.search(pattern, text):
            return text
        if proc.poll() is not None:
            return log.read_text(encoding="utf-8", errors="replace")
        time.sleep(0.5)
    return log.read_text(encoding="utf-8", errors="replace")


@pytest.mark.slow
def test_mkdocs_serve_reports_a_bad_snippet_in_chinese(tmp_path: Path):
    """make serve：启动时页面正常；改成引用 /etc/passwd 后，重新构建给出中文消息，服务器不退出；改正后恢复。"""
    root = copy_site(tmp_path / "src")
    about = root / "docs" / "about.md"
    original = about.read_text(encoding="utf-8")
    log = tmp_path / "serve.log"
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [*ENGINE, "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        text = _wait_for(proc, log, r"Serving on", 120)
        assert "Serving on" in text, text[-3000:]
        about.write_text(original + '\n--8<-- "/etc/passwd"\n\n--8<-- "../../x"\n', encoding="utf-8")
        line = original.count("\n") + 2
        text = _wait_for(proc, log, r"An error happened during the rebuild|Traceback", 120)
        assert proc.poll() is None, "服务器不应退出"
        # 改正之后服务器恢复：重新构建成功，页面中没有目录以外的文件内容
        built = text.count("Documentation built")
        about.write_text(original, encoding="utf-8")
        deadline = time.monotonic() + 120
        while log.read_text(encoding="utf-8").count("Documentation built") <= built and time.monotonic() < deadline:
            time.sleep(0.5)
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/about/", timeout=30) as resp:  # noqa: S310 - 本机
            assert resp.status == 200 and "root:" not in resp.read().decode("utf-8", errors="replace")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    assert "Traceback" not in text and "SnippetMissingError" not in text, text[-3000:]
    assert f"docs/about.md:{line}: 片段引用“/etc/passwd”是绝对路径" in text and "（SNIP-1）" in text, text[-3000:]
    assert f"docs/about.md:{line + 2}: 片段引用“../../x”跳出了片段目录" in text, text[-3000:]
