"""构建核心不经过 MkDocs 也能跑：用 Python-Markdown 代替引擎，把几个真实页面走完整条流水线（studycol.pipeline），
再做构建结束时的工作（导出文件、机器可读的数据、内容安全策略）。换引擎时只需另写胶水，这个测试证明核心不依赖 MkDocs。"""

from __future__ import annotations

import json
from pathlib import Path

import markdown as md_lib
import pytest

from helpers import REPO, CorePage, core_pass
from studycol.engine import SourceFile, Stop, relative_url
from studycol.pipeline import Pipeline

PAGES = ["notice/index.md", "jiedu/part-4.md", "quiz/part-1.md", "tasks/index.md"]
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc"]


def _url(src_uri: str) -> str:
    return CorePage(src_uri, "").url


def _run(tmp_path: Path, pages: list[str], reported: list[str], extra: dict[str, str] | None = None) -> dict[str, str]:
    """一遍中文构建：返回每个页面写出前的 HTML 正文。"""
    docs = REPO / "docs"
    listed = [
        SourceFile(p.relative_to(docs).as_posix(), str(p), p.suffix == ".md")
        for p in sorted(docs.rglob("*")) if p.is_file() and not p.relative_to(docs).as_posix().startswith("assets/vendor/")
    ]
    site = tmp_path / "site"
    pipe = Pipeline(emit=reported.append)
    pipe.config(core_pass(site_dir=site, extra={"column": {"name": "学习宣传贯彻《硬措施》专栏", "region": "全国"}}))
    refused = pipe.files(listed)
    urls = {f.src_uri: _url(f.src_uri) for f in listed if f.is_page and f not in refused}
    pipe.now.p.file_url = pipe.now.p.lookup = urls.get
    objs = {u: CorePage(u, (docs / u).read_text(encoding="utf-8"), dest=str(site / _url(u) / "index.html")) for u in pages}
    for uri, text in (extra or {}).items():  # 不在 docs/ 中的测试页面
        objs[uri] = CorePage(uri, text, dest=str(site / _url(uri) / "index.html"))
    pipe.files_listed()
    converted: dict[str, tuple[str, object]] = {}
    for uri, page in objs.items():
        body = page.source.split("\n---\n", 1)[1] if page.source.startswith("---\n") else page.source
        text = pipe.markdown_refs(pipe.markdown_markers(pipe.markdown(body, page), page), page)
        converter = md_lib.Markdown(extensions=EXTENSIONS)
        html = pipe.content_html(converter.convert(text), page)
        converted[uri] = (html, converter.toc_tokens)  # type: ignore[attr-defined]
    pipe.env()
    out = {}
    for uri, page in objs.items():
        content, extra = pipe.context(page, converted[uri][0], [])
        assert "column_dates" in extra and "column_assets" in extra
        html = pipe.post_page(f"<html><head></head><body>{content}</body></html>", page)
        Path(page.dest).parent.mkdir(parents=True, exist_ok=True)
        Path(page.dest).write_text(pipe.post_page_last(html, page, content), encoding="utf-8")
        out[uri] = content
    pipe.post_build()
    pipe.site_done()
    return out


def test_pages_run_through_the_core_without_mkdocs(tmp_path: Path):
    reported: list[str] = []
    out = _run(tmp_path, PAGES, reported)
    # 通知：逐句的 id；解读页上的 [[n4-1-2]] 成了指向通知那一句的链接；通知那一段后有“引用”开关
    assert 'id="n4-1-2"' in out["notice/index.md"]
    assert 'href="../../notice/#n4-1-2"' in out["jiedu/part-4.md"]
    assert "jiedu/part-4/" in out["notice/index.md"]
    # 测验题和任务表由各自的一步生成
    assert out["quiz/part-1.md"].count("data-answer=") >= 10 and 'class="quiz-q' in out["quiz/part-1.md"]
    assert 'class="tasks-filter' in out["tasks/index.md"] and 'class="tasks-no' in out["tasks/index.md"]
    # 构建结束时的文件：题库和任务的导出、引用目标、内容安全策略
    site = tmp_path / "site"
    for name in ("downloads/quiz-bank.csv", "downloads/tasks.xlsx", "xref/targets.json", "xref/coverage.json"):
        assert (site / name).is_file(), name
    targets = json.loads((site / "xref" / "targets.json").read_text(encoding="utf-8"))
    assert targets["n4-1-2"]["page"] == "notice/index.md"
    assert "Content-Security-Policy" in (tmp_path / "site-headers.conf").read_text(encoding="utf-8")
    # 只用了几个页面：指向其他页面的引用报为断链，此外没有别的问题
    assert all("找不到" in r or "没有" in r for r in reported), reported


def test_a_broken_citation_is_reported_once_with_the_source_line(tmp_path: Path):
    """断链：docs/路径:行（按含 front matter 的源文件计），只报告一次。"""
    reported: list[str] = []
    text = "---\ntitle: 示例\n---\n\n# 示例页面\n\n见[[n4-1-2]]，又见[[n9-9-9]]。\n"
    _run(tmp_path, ["notice/index.md"], reported, {"shili.md": text})
    assert reported == [reported[0]] and reported[0].startswith("docs/shili.md:7: 引用 [[n9-9-9]] 找不到目标"), reported


def test_relative_url_matches_mkdocs():
    from mkdocs.utils import get_relative_url

    cases = ["notice/", "notice/index.html", "cases/x/", "a/b/c.html", "", ".", "../x/", "a/../b/", "/abs/x/"]
    for url in cases:
        for other in cases:
            assert relative_url(url, other) == get_relative_url(url, other), (url, other)


def test_stop_is_a_plain_exception_the_glue_converts():
    """核心用 Stop 中止（不认识引擎的异常类型）；hooks/column.py 把它换成 PluginError。"""
    text = (REPO / "hooks" / "column.py").read_text(encoding="utf-8")
    assert "except Stop as exc:" in text and "raise PluginError(str(exc))" in text
    assert len(text.splitlines()) < 150
    assert not issubclass(Stop, (KeyError, ValueError))
    with pytest.raises(Stop) as exc:  # 部署单位信息缺少必填的栏目名称：中文说明，不是回溯
        Pipeline().config(core_pass(extra={"column": {}}))
    assert "extra.column.name" in str(exc.value)
