"""端到端：构建修改过的站点副本，确认每类引用错误都让严格构建失败，并给出文件、行号和建议。"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site

pytestmark = pytest.mark.slow


def _append(page: Path, text: str) -> int:
    """在页面末尾追加文字，返回追加内容第一行的行号。"""
    body = page.read_text(encoding="utf-8")
    if not body.endswith("\n"):
        body += "\n"
    line = body.count("\n") + 2
    page.write_text(body + "\n" + text + "\n", encoding="utf-8")
    return line


def _fails(tmp_path: Path, src: Path) -> str:
    result = build(src, tmp_path / "out")
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out
    return out


def test_broken_reference(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    line = _append(src / "docs" / "about.md", "见[[n4-1-9]]。")
    out = _fails(tmp_path, src)
    assert f"docs/about.md:{line}: 引用 [[n4-1-9]] 找不到目标" in out
    assert re.search(r"最接近的有效编号：n4-1-\d", out)


def test_ambiguous_reference(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    line = _append(src / "docs" / "index.md", "参见[[identity]]。")
    out = _fails(tmp_path, src)
    assert f"docs/index.md:{line}: 引用 [[identity]] 有歧义" in out
    assert "[[about.md#identity]]" in out and "[[guide/index.md#identity]]" in out


def test_qualified_reference_resolves(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    _append(src / "docs" / "index.md", "参见[[about.md#identity|本单位信息]]。")
    result = build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="about/#identity"' in html and ">本单位信息</a>" in html


def test_duplicate_global_id(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    _append(src / "docs" / "about.md", "## 重复 { #doc-yingcuoshi }\n\n文字。")
    out = _fails(tmp_path, src)
    assert "doc-yingcuoshi" in out and "全站唯一" in out and "docs/about.md" in out


def test_duplicate_id_on_one_page(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    _append(src / "docs" / "about.md", "## 又一个依据 { #basis }\n\n文字。")
    out = _fails(tmp_path, src)
    # 安全检查钩子或交叉引用钩子（先运行的那个）报告重复的 id：都要指明文件和 id
    assert "docs/about.md" in out and "basis" in out


def test_bad_reference_format(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    line = _append(src / "docs" / "about.md", "见[[第四部分]]。")
    out = _fails(tmp_path, src)
    assert f"docs/about.md:{line}: 引用 [[第四部分]] 的编号格式不对" in out


def test_unknown_xref_marker(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    line = _append(src / "docs" / "about.md", "<!-- xref:nothing -->")
    out = _fails(tmp_path, src)
    assert f"docs/about.md:{line}: 未知的标记“xref:nothing”" in out


def test_bad_document_registry(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    data = src / "data" / "documents.yml"
    text = data.read_text(encoding="utf-8").replace("doc_number: 安委〔2024〕1号", "doc_number: 安委[2024]1号", 1)
    data.write_text(text, encoding="utf-8")
    out = _fails(tmp_path, src)
    assert re.search(r"data/documents\.yml:\d+: 字段 documents\[2\]\.doc_number：文号“安委\[2024\]1号”格式不对", out)


def test_links_previews_backlinks_and_coverage(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    (src / "docs" / "jiedu").mkdir(exist_ok=True)
    (src / "docs" / "jiedu" / "xref-demo.md").write_text(
        "# 演示 { #demo }\n\n## 要点一 { #demo-1 }\n\n台账化管理见[[n4-1-2]]，文件见[[doc-yingcuoshi]]。\n", encoding="utf-8"
    )
    text = (src / "mkdocs.yml").read_text(encoding="utf-8").replace("  - 关于本栏目: about.md", "  - 关于本栏目: about.md\n  - 演示: jiedu/xref-demo.md")
    (src / "mkdocs.yml").write_text(text, encoding="utf-8")
    result = build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    demo = (out / "jiedu" / "xref-demo" / "index.html").read_text(encoding="utf-8")
    assert '<a class="xref xref--notice" href="../../notice/#n4-1-2"' in demo
    assert ">通知第四部分第1段第2句</a>" in demo and "要紧盯重大隐患，实行台账化管理" in demo
    assert ">安委〔2024〕1号</a>" in demo
    notice = (out / "notice" / "index.html").read_text(encoding="utf-8")
    backlinks = re.search(r'<details class="xref-backlinks[^"]*" id="n4-1-cited">(.*?)</details>', notice, re.S)
    assert backlinks and re.search(r"被引用\d+处", backlinks.group(1)) and "解读" in backlinks.group(1)
    # 每类最多列出 8 处；演示页或者列在其中，或者计入“另有 N 处”
    assert "../jiedu/xref-demo/#demo-1" in backlinks.group(1) or "另有" in backlinks.group(1)
    cov = json.loads((out / "xref" / "coverage.json").read_text(encoding="utf-8"))
    row = next(r for r in cov["paragraphs"] if r["id"] == "n4-1")
    assert row["解读"] >= 1
    # 英文版（回退到中文内容）中的链接指向英文版的通知页
    en = (out / "en" / "jiedu" / "xref-demo" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../notice/#n4-1-2"' in en


def test_state_is_reset_between_builds_in_one_process(tmp_path: Path):
    """mkdocs serve 在同一进程中反复构建；钩子状态必须每次重置（引用不累积、报错不丢失）。"""
    script = f"""
import sys
from mkdocs.config import load_config
from mkdocs.commands.build import build
for i in range(2):
    cfg = load_config(r"{REPO / 'mkdocs.yml'}", site_dir=r"{tmp_path}/out" + str(i))
    if i == 0:  # 与 mkdocs serve 一样：插件的 on_startup 只在进程开始时调用一次
        cfg.plugins.on_startup(command="serve", dirty=False)
    build(cfg)
a = open(r"{tmp_path}/out0/notice/index.html", encoding="utf-8").read()
b = open(r"{tmp_path}/out1/notice/index.html", encoding="utf-8").read()
print("SAME" if a == b else "DIFF")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "SAME" in result.stdout
