"""敌意投稿（HTML、静态文件、符号链接、文件类型、片段引用）：每一种都被拒绝，指出文件和行号，说明是中文，
不出现 Python 回溯，并在时限内完成。

每个用例一个夹具（tests/fixtures/hostile/html/，内容虚构：示例省、示例局），放进临时目录中的一个仓库骨架，
再调用与 make check-content 和构建相同的核心函数（studycol.safety），不构建站点。
最后一个测试（slow）把几个夹具一起放进站点副本做一次严格构建，确认每条消息出现一次、site/ 中没有主动内容。

用例分组（编号见 GROUPS）：Markdown 中的原始 HTML、渲染结果、静态 .html/.svg/.css/.js、文件类型、
符号链接、片段引用；另有应当通过的对照夹具。
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import markdown as markdown_lib
import pytest

from helpers import REPO, build, copy_site
from studycol import htmlscreen, safety

FIXTURES = Path(__file__).parent / "fixtures" / "hostile" / "html"
TIME_LIMIT = 2.0  # 秒：每个用例的核心检查
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@dataclasses.dataclass(frozen=True)
class Hostile:
    fixture: str  # 夹具文件名（symlink 用例为 None 时由测试自己创建）
    dest: str  # 放进仓库骨架的位置
    rule: str
    line: int
    needle: str  # 说明中应出现的文字


PAGE = "docs/shili/page.md"

MARKDOWN = [
    Hostile("md-comment-bang.md", PAGE, "HTML-1", 10, "<script>"),
    Hostile("md-iframe-slash.md", PAGE, "HTML-1", 10, "<iframe>"),
    Hostile("md-img-slash-onerror.md", PAGE, "HTML-2", 8, "onerror"),
    Hostile("md-handler-upper.md", PAGE, "HTML-2", 10, "onmouseover"),
    Hostile("md-handler-no-space.md", PAGE, "HTML-2", 8, "onfocus"),
    Hostile("md-handler-multiline.md", PAGE, "HTML-2", 9, "onpointerenter"),
    Hostile("md-meta-refresh.md", PAGE, "HTML-1", 8, "<meta>"),
    Hostile("md-js-entity.md", PAGE, "HTML-4", 9, "javascript:"),
    Hostile("md-data-url.md", PAGE, "HTML-4", 8, "data:"),
    Hostile("md-base.md", PAGE, "HTML-1", 8, "<base>"),
    Hostile("md-form.md", PAGE, "HTML-1", 8, "<form>"),
    Hostile("md-object.md", PAGE, "HTML-1", 8, "<object>"),
    Hostile("md-embed.md", PAGE, "HTML-1", 8, "<embed>"),
    Hostile("md-srcdoc.md", PAGE, "HTML-3", 8, "srcdoc"),
    Hostile("md-svg-script.md", PAGE, "HTML-1", 8, "<svg>"),
    Hostile("md-svg-xlink.md", PAGE, "HTML-4", 8, "javascript:"),
    Hostile("md-style-url.md", PAGE, "HTML-5", 8, "style 属性"),
    Hostile("md-style-expression.md", PAGE, "HTML-5", 8, "expression"),
    Hostile("md-noscript-mxss.md", PAGE, "HTML-2", 8, "onerror"),
    Hostile("md-raw-block-codespan.md", PAGE, "HTML-2", 8, "onerror"),
    Hostile("md-attr-list-handler.md", PAGE, "HTML-2", 9, "onclick"),
]
STATIC = [
    Hostile("static-script.html", "docs/downloads/page.html", "HTML-1", 5, "<script>"),
    Hostile("static-meta-refresh.html", "docs/downloads/redirect.html", "HTML-1", 3, "<meta>"),
    Hostile("static-svg-script.svg", "docs/assets/images/a.svg", "HTML-6", 4, "<script>"),
    Hostile("static-svg-onload.svg", "docs/assets/images/b.svg", "HTML-6", 3, "onload"),
    Hostile("static-svg-foreign.svg", "docs/assets/images/c.svg", "HTML-6", 2, "foreignObject"),
    Hostile("static-svg-external.svg", "docs/assets/images/d.svg", "HTML-6", 3, "示例.example"),
    Hostile("static-svg-xlink-js.svg", "docs/assets/images/e.svg", "HTML-6", 2, "javascript:"),
    Hostile("static-css-import.css", "docs/assets/stylesheets/x.css", "HTML-5", 3, "本站以外"),
    Hostile("static-css-url.css", "docs/assets/stylesheets/y.css", "HTML-5", 3, "本站以外"),
    Hostile("static-js-outside.js", "docs/assets/evil.js", "FILE-13", 1, "docs/assets/javascripts/"),
]
FILE_TYPES = [
    Hostile("case-saved-as.markdown", "docs/cases/case-shili.markdown", "FILE-11", 1, ".md"),
    Hostile("case-saved-as.txt", "docs/cases/case-shili.txt", "FILE-11", 1, "不是案例"),
    Hostile("unknown-type.php", "docs/assets/x.php", "FILE-12", 1, "不认识的文件类型"),
    Hostile("page-empty.md", "docs/shili/empty.md", "FILE-14", 1, "页面没有正文"),
]
SNIPPETS = [
    Hostile("snippet-absolute.md", PAGE, "SNIP-1", 10, "绝对路径"),
    Hostile("snippet-dotdot.md", PAGE, "SNIP-1", 8, "跳出了片段目录"),
    Hostile("snippet-block.md", PAGE, "SNIP-1", 9, "跳出了片段目录"),
    Hostile("snippet-url.md", PAGE, "SNIP-1", 8, "网络地址"),
    Hostile("snippet-nested.md", PAGE, "SNIP-1", 8, "outer.md"),
    Hostile("snippet-single-quote.md", PAGE, "SNIP-1", 10, "绝对路径"),
    Hostile("snippet-short-marker.md", PAGE, "SNIP-1", 10, "跳出了片段目录"),
    Hostile("snippet-in-fence.md", PAGE, "SNIP-1", 11, "绝对路径"),  # 片段在代码块中照样展开
    Hostile("snippet-line-range.md", PAGE, "SNIP-1", 10, "跳出了片段目录"),
    Hostile("snippet-in-list.md", PAGE, "SNIP-1", 12, "绝对路径"),
]
GROUPS = {"markdown": MARKDOWN, "static": STATIC, "file-types": FILE_TYPES, "snippets": SNIPPETS}
ALL = [h for group in GROUPS.values() for h in group]


def skeleton(tmp: Path) -> Path:
    """一个最小的仓库骨架：docs/、data/、片段目录（含一个正常片段）。"""
    (tmp / "docs" / "_snippets").mkdir(parents=True)
    (tmp / "data").mkdir()
    (tmp / "docs" / "index.md").write_text("---\ntitle: 首页\n---\n\n# 首页\n\n正文。\n", encoding="utf-8")
    (tmp / "docs" / "_snippets" / "ok.md").write_text("示例局的说明。\n", encoding="utf-8")
    return tmp


def place(root: Path, fixture: str, dest: str) -> None:
    target = root / dest
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((FIXTURES / fixture).read_bytes())


def assert_refused(problems: list[safety.Problem], dest: str, rule: str, line: int, needle: str) -> None:
    mine = [p for p in problems if p.path == dest and p.rule == rule]
    assert mine, f"{dest} 没有以 {rule} 被拒绝：{[str(p) for p in problems]}"
    hit = [p for p in mine if p.line == line and needle in p.reason]
    assert hit, f"期望 {dest}:{line}（含“{needle}”），实际：{[str(p) for p in mine]}"
    for p in hit:
        assert CHINESE.search(p.reason), str(p)
        assert str(p).startswith(f"{dest}:{line}: ") and str(p).endswith(f"（{rule}）"), str(p)
        assert "Traceback" not in str(p)


def test_fixture_count_and_fictional_content():
    assert len(ALL) + 2 >= 30  # 另有两个符号链接用例（测试中创建）
    for f in FIXTURES.iterdir():
        text = f.read_text(encoding="utf-8")
        assert "示例" in text or f.suffix in (".js", ".php"), f"{f.name} 应使用虚构名称（示例省、示例局）"


@pytest.mark.parametrize("case", ALL, ids=[h.fixture for h in ALL])
def test_hostile_file_is_refused_by_the_core(tmp_path: Path, case: Hostile):
    root = skeleton(tmp_path)
    place(root, case.fixture, case.dest)
    if case.fixture == "snippet-nested.md":  # 页面引用的片段本身又引用 /etc/passwd：报告在页面的引用行上
        (root / "docs" / "_snippets" / "outer.md").write_text('--8<-- "/etc/passwd"\n', encoding="utf-8")
    t0 = time.perf_counter()
    _, problems = safety.screen_repo(root)
    assert time.perf_counter() - t0 < TIME_LIMIT
    assert_refused(problems, case.dest, case.rule, case.line, case.needle)
    # 只有这个文件出问题（骨架本身是干净的）
    others = {p.path for p in problems} - {case.dest, "docs/_snippets/outer.md"}
    assert not others, [str(p) for p in problems]  # 只有这个文件出问题（骨架本身是干净的）


@pytest.mark.parametrize(
    ("rel", "target_is_dir"), [("docs/assets/x.txt", False), ("data/extra.yml", False), ("docs/linked", True)]
)
def test_symlink_is_refused(tmp_path: Path, rel: str, target_is_dir: bool):
    root = skeleton(tmp_path / "repo")
    link = root / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    if target_is_dir:
        outside = tmp_path / "outside"
        outside.mkdir()
        (outside / "secret.md").write_text("示例局内部文件。\n", encoding="utf-8")
        os.symlink(outside, link)
    else:
        os.symlink("/etc/passwd", link)
    t0 = time.perf_counter()
    _, problems = safety.screen_repo(root)
    assert time.perf_counter() - t0 < TIME_LIMIT
    assert_refused(problems, rel, "FILE-10", 1, "符号链接")
    assert not any("root:" in str(p) for p in problems)  # 链接指向的内容不进消息
    if rel.startswith("data/"):
        assert safety.data_symlinks(root) == [rel]


# ---- 渲染结果（构建时 on_page_content 的兜底检查）：用 Python-Markdown 渲染夹具，再定位回源文件 -----------------

RENDERED = [
    ("rendered-attr-list.md", "HTML-2", 9, "onmouseover"),
    ("rendered-js-link.md", "HTML-4", 10, "javascript:"),
    ("rendered-comment-bang.md", "HTML-1", 10, "<script>"),
]


@pytest.mark.parametrize(("fixture", "rule", "line", "needle"), RENDERED, ids=[r[0] for r in RENDERED])
def test_rendered_html_is_screened_and_located_in_the_source(fixture, rule, line, needle):
    source = (FIXTURES / fixture).read_text(encoding="utf-8")
    body = source.split("---\n", 2)[2]
    html = markdown_lib.markdown(body, extensions=["attr_list", "md_in_html"])
    t0 = time.perf_counter()
    result = safety.screen_rendered(html)
    problems = safety.rendered_problems(result, source, PAGE)
    assert time.perf_counter() - t0 < TIME_LIMIT
    assert_refused(problems, PAGE, rule, line, needle)


def test_rendered_site_elements_are_allowed():
    """本站钩子在正文中生成的测验、任务筛选表单和外部链接标记都在白名单中。"""
    html = (
        '<form class="quiz" aria-label="测验" novalidate><fieldset><legend id="q1">题</legend>'
        '<label for="a"><input type="radio" name="q1" value="A" id="a">甲</label></fieldset>'
        '<button type="button" data-quiz-action="check" aria-pressed="false">提交</button>'
        '<select id="s" data-tasks-select><option value="">全部</option></select></form>'
        '<a href="https://www.gov.cn/" rel="noopener noreferrer" class="column-external">国务院</a>'
        '<th scope="col" style="text-align: left;">列</th>'
    )
    result = safety.screen_rendered(html)
    assert result.findings == [] and result.external_links


# ---- 应当通过的对照 -------------------------------------------------------------------------------------

ALLOWED = [
    ("ok-layout.md", PAGE),
    ("ok-image.svg", "docs/assets/images/ok.svg"),
    ("ok-style.css", "docs/assets/stylesheets/ok.css"),
    ("ok-page.html", "docs/downloads/ok.html"),
]


@pytest.mark.parametrize(("fixture", "dest"), ALLOWED, ids=[a[0] for a in ALLOWED])
def test_ordinary_files_pass(tmp_path: Path, fixture: str, dest: str):
    root = skeleton(tmp_path)
    place(root, fixture, dest)
    _, problems = safety.screen_repo(root)
    assert [str(p) for p in problems] == []


def test_good_snippet_and_escaped_snippet_pass(tmp_path: Path):
    root = skeleton(tmp_path)
    text = '# 页\n\n--8<-- "ok.md"\n\n;--8<-- "/etc/passwd"\n'
    assert safety.snippet_problems(text, PAGE, root) == []
    assert safety.without_lines("a\nb\nc", [9], line_offset=7) == "a\n\nc"


def test_the_real_repository_passes_the_screen():
    count, problems = safety.screen_repo(REPO)
    assert count > 50 and [str(p) for p in problems] == []


def test_oversized_page_is_refused_like_the_build(tmp_path: Path):
    root = skeleton(tmp_path)
    page = root / "docs" / "shili" / "huge.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: 示例\n---\n\n" + "示例局的很长的正文。" * 40_000 + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    _, problems = safety.screen_repo(root)
    assert time.perf_counter() - t0 < TIME_LIMIT
    assert_refused(problems, "docs/shili/huge.md", "FILE-15", 1, "页面过大")


def test_rule_ids_are_defined_once():
    used = {h.rule for h in ALL} | {"FILE-10"}
    assert used <= set(htmlscreen.RULES)
    with pytest.raises(AssertionError):
        htmlscreen.tagged("说明", "HTML-99")


def test_snippet_settings_in_mkdocs_yml_match_the_core():
    from mkdocs.config import load_config

    cfg = load_config(str(REPO / "mkdocs.yml"))
    snip = cfg.mdx_configs["pymdownx.snippets"]
    assert tuple(snip["base_path"]) == safety.SNIPPET_BASES
    assert snip["check_paths"] is True and snip["restrict_base_path"] is True


def test_many_problems_do_not_hang():
    text = "<span onclick=x>示例</span>\n" * 5000
    t0 = time.perf_counter()
    found = safety.scan_markdown(text, PAGE)
    assert time.perf_counter() - t0 < 5
    assert len(found) <= htmlscreen.MAX_LOCATED + 1 and "此后还有" in found[-1].reason


# ---- make check-content（和 make check）：同一套检查，不构建站点 ------------------------------------------------


def test_check_content_runs_the_same_screen(tmp_path: Path):
    root = skeleton(tmp_path)
    shutil.rmtree(root / "data")
    shutil.copytree(REPO / "data", root / "data")  # 案例检查要读词表
    place(root, "md-comment-bang.md", PAGE)
    place(root, "case-saved-as.markdown", "docs/cases/case-shili.markdown")
    place(root, "static-svg-script.svg", "docs/assets/images/a.svg")
    os.symlink("/etc/passwd", root / "docs" / "x.txt")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(REPO / "tools" / "check_content.py"), "--root", str(root)],
        capture_output=True, text=True, timeout=60,
    )
    assert time.perf_counter() - t0 < 30
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "Traceback" not in out, out
    for expected in (
        f"{PAGE}:10: ", "（HTML-1）", "docs/cases/case-shili.markdown:1: ", "（FILE-11）",
        "docs/assets/images/a.svg:4: ", "（HTML-6）", "docs/x.txt:1: ", "（FILE-10）",
    ):
        assert expected in out, out


def test_make_check_and_check_content_refuse_raw_html_without_building(tmp_path: Path):
    """make check 和 make check-content 本身（不是测试拼出的等价命令）：正文中的原始 HTML、片段引用和标题中
    看不见的字符都被拒绝，与构建的消息相同；不构建站点，几秒钟内结束。用本工作区已装好的 .venv。"""
    if shutil.which("make") is None:
        pytest.fail("需要 make")
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("Makefile", "pyproject.toml", "requirements.txt", "mkdocs.yml", "tools", "studycol", "docs", "data"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, copy / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if src.is_dir() else {}))
    place(copy, "md-comment-bang.md", "docs/shili-a.md")
    place(copy, "snippet-absolute.md", "docs/shili-b.md")
    (copy / "docs" / "shili-c.md").write_bytes((FIXTURES.parent / "text" / "page-heading-lre.md").read_bytes())
    venv = Path(sys.executable).parent
    # 新的标记文件比复制来的 requirements.txt 新：make 不重装依赖，也就不会把本工作区 .venv 的 studycol 路径改指到这份复制
    stamp = tmp_path / "installed-stamp"
    stamp.touch()
    for target in ("check-content", "check"):
        t0 = time.perf_counter()
        proc = subprocess.run(
            ["make", "--no-print-directory", target, f"BIN={venv}", f"STAMP={stamp}"],
            cwd=copy, capture_output=True, text=True, timeout=120,
            env={k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")},
        )
        assert time.perf_counter() - t0 < 60
        out = proc.stdout + proc.stderr
        assert proc.returncode != 0 and "Traceback" not in out, out
        assert not (copy / "site").exists()
        for expected in ("docs/shili-a.md:10: ", "（HTML-1）", "docs/shili-b.md:10: ", "（SNIP-1）", "docs/shili-c.md:6: ", "（TEXT-1）"):
            assert expected in out, (target, out)


# ---- 一次端到端的严格构建：几个夹具一起 ----------------------------------------------------------------------

E2E = [
    ("md-comment-bang.md", "docs/shili-a.md", "docs/shili-a.md:10: ", "HTML-1"),
    ("md-iframe-slash.md", "docs/shili-b.md", "docs/shili-b.md:10: ", "HTML-1"),
    ("md-handler-no-space.md", "docs/shili-c.md", "docs/shili-c.md:8: ", "HTML-2"),
    ("snippet-absolute.md", "docs/shili-d.md", "docs/shili-d.md:10: ", "SNIP-1"),
    ("static-script.html", "docs/downloads/page.html", "docs/downloads/page.html:5: ", "HTML-1"),
    ("static-svg-script.svg", "docs/assets/images/a.svg", "docs/assets/images/a.svg:4: ", "HTML-6"),
    ("static-css-import.css", "docs/assets/stylesheets/x.css", "docs/assets/stylesheets/x.css:3: ", "HTML-5"),
    ("case-saved-as.markdown", "docs/cases/case-shili.markdown", "docs/cases/case-shili.markdown:1: ", "FILE-11"),
]


@pytest.mark.slow
def test_strict_build_refuses_all_and_publishes_nothing_active(tmp_path: Path):
    root = copy_site(tmp_path / "src")
    cfg = root / "mkdocs.yml"
    nav = ""
    for fixture, dest, _, _ in E2E:
        place(root, fixture, dest)
        if dest.endswith(".md") and not dest.startswith("docs/cases/"):
            nav += f"  - 示例{len(nav)}: {dest.removeprefix('docs/')}\n"  # 进导航：失败的原因只有页面本身
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("\nnav:\n", "\nnav:\n" + nav, 1), encoding="utf-8")
    os.symlink("/etc/passwd", root / "docs" / "assets" / "x.txt")
    out = tmp_path / "site"
    t0 = time.perf_counter()
    proc = build(root, out)
    assert time.perf_counter() - t0 < 300
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0, log[-3000:]
    assert "Traceback" not in log and "SnippetMissingError" not in log, log[-3000:]
    warnings = [ln for ln in log.splitlines() if "WARNING" in ln]
    for _, _, prefix, rule in E2E + [(None, None, "docs/assets/x.txt:1: ", "FILE-10")]:
        hits = [ln for ln in warnings if prefix in ln and f"（{rule}）" in ln]
        assert len(hits) == 1, (prefix, rule, hits, warnings)
    # 没有主动内容被发布
    assert not (out / "assets" / "x.txt").exists()
    assert not (out / "downloads" / "page.html").exists()
    assert not (out / "assets" / "images" / "a.svg").exists()
    assert not (out / "assets" / "stylesheets" / "x.css").exists()
    for page in out.rglob("*.html") if out.exists() else []:
        assert "alert(1)" not in page.read_text(encoding="utf-8", errors="replace"), page
