"""U 盘版（OFFLINE=true，make offline）：从 file:// 打开即可导航、搜索、做测验、下载附件，不向任何主机发请求。"""

from __future__ import annotations

import html.parser
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from helpers import REPO, build
import pagecheck

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.slow]

SHIM = REPO / "docs" / "assets" / "vendor" / "iframe-worker-shim.js"


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SHIM.is_file():
        pytest.fail(f"没有 {SHIM.relative_to(REPO)}；请用 make test 运行（它从 npm 包 iframe-worker 复制该文件）")
    out = tmp_path_factory.mktemp("offline") / "site"
    result = build(REPO, out, env={"OFFLINE": "true"})
    assert result.returncode == 0, f"U 盘版严格构建失败：\n{result.stdout}\n{result.stderr}"
    return out


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src"}
        for key, value in attrs:
            if key == names.get(tag) and value:
                self.refs.append(value)


def test_search_index_is_inline_and_holds_chinese(offline_site: Path):
    """offline 插件在 i18n 之后运行时，索引含中文页面（顺序反了只剩英文）。search_index.js 是引子，
    主索引在它指向的第 0 批（search/part-000.js）中，第一次搜索时读入。"""
    stub = (offline_site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert stub.startswith("var __index =") and '"main":"search/part-000.js"' in stub
    text = (offline_site / "search" / "part-000.js").read_text(encoding="utf-8")
    locations = re.findall(r'"location":\s*"([^"]*)"', text)
    assert any(not loc.startswith("en/") for loc in locations), "搜索索引中没有中文页面"
    assert "偷采" in text or "\\u5077\\u91c7" in text, "搜索索引中没有“偷采”"
    html = (offline_site / "index.html").read_text(encoding="utf-8")
    assert "iframe-worker-shim.js" in html and "unpkg.com" not in html


def test_every_local_link_resolves_on_disk(offline_site: Path):
    """从 file:// 打开时没有服务器补全 index.html：每个站内链接、脚本、样式和下载附件都必须是磁盘上的文件。"""
    missing: list[str] = []
    # 404 页只在网站服务器上出现，它的链接按 site_url 写成绝对路径；U 盘版中用不到
    pages = sorted(p for p in offline_site.rglob("*.html") if p.name != "404.html")
    assert len(pages) >= 8
    for page in pages:
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for ref in parser.refs:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith(("#", "//", "mailto:", "tel:", "javascript:")):
                continue
            if not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                missing.append(f"{page.relative_to(offline_site).as_posix()} → {ref}")
    assert missing == [], "\n".join(missing[:20])


def test_offline_zip_round_trip(offline_site: Path, tmp_path: Path):
    """make offline 用 python -m zipfile 打包；解压后的首页和搜索索引完好。"""
    import subprocess
    import sys

    archive = tmp_path / "column-offline.zip"
    subprocess.run([sys.executable, "-m", "zipfile", "-c", str(archive), "."], cwd=offline_site, check=True)
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        assert {"index.html", "search/search_index.js", "search/part-000.js"} <= names
        assert zf.testzip() is None


def test_file_url_navigation_search_quiz_no_requests(browser, offline_site: Path):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    home = (offline_site / "index.html").as_uri()
    page.goto(home, wait_until="load")
    assert page.title()

    # 导航：从首页的导航栏进入通知原文
    page.locator("a[href$='notice/index.html']:visible").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/notice/index.html")
    assert "矿安〔2024〕2号" in page.inner_text(".md-content")

    # 字号选择在 file:// 下同样跨页保持
    page.locator("button[data-column-textsize='125']").click()
    page.go_back(wait_until="load")
    assert page.evaluate("document.documentElement.getAttribute('data-column-textsize')") == "125"

    # 搜索：结果指向本地文件，点开后是中文页面
    assert pagecheck.open_search(page, "偷采") > 0, "file:// 下搜索“偷采”没有结果"
    first = page.locator(".md-search-result__item a").first
    href = first.get_attribute("href")
    assert href.startswith("file://") and not re.search(r"/en/", href), href
    first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://")
    assert "偷采" in page.inner_text(".md-content")

    # 测验（若本站有测验页）：作答、交卷，无脚本错误
    quiz_pages = [p for p in sorted(offline_site.rglob("*.html"))
                  if re.search(r'class="[^"]*\bcolumn-quiz\b', p.read_text(encoding="utf-8"))
                  and "/en/" not in p.as_posix()]
    for quiz in quiz_pages[:2]:
        page.goto(quiz.as_uri(), wait_until="load")
        if pagecheck.is_quiz(page):
            assert pagecheck.answer_quizzes(page) > 0

    ctx.close()
    foreign = [u for u in requests if not u.startswith(("file://", "data:", "blob:"))]
    assert foreign == [], f"U 盘版向外部发出请求：{foreign}"
    assert errors == [], f"控制台错误：{errors}"
