"""站内搜索在 U 盘版（OFFLINE=true 构建、从 file:// 打开）中与网站版一样工作。

U 盘版里搜索引擎由 iframe-worker 垫片在隐藏的 iframe 中运行，索引的引子来自 search/search_index.js，
主索引和案例各批（search/part-NNN.js）在第一次搜索时用 <script> 读入；
本测试用同一份测试集检查命中率，并检查落点、中英文页面和不向任何主机发请求。
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import REPO, build
import search_eval as se
from studycol import search_index as si

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

SUITE = REPO / "data" / "search" / "queries.yml"
MIN_RECALL_AT_3 = 0.9
MIN_MRR = 0.75


@pytest.fixture(scope="module")
def usb_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shim = REPO / "docs" / "assets" / "vendor" / "iframe-worker-shim.js"
    if not shim.is_file():
        pytest.fail("缺少 docs/assets/vendor/iframe-worker-shim.js；请用 make test 运行（它会从 npm 取得该文件）。")
    out = tmp_path_factory.mktemp("usb") / "site"
    result = build(REPO, out, env={"OFFLINE": "true"})
    assert result.returncode == 0, f"U 盘版严格构建失败：\n{result.stdout}\n{result.stderr}"
    return out


def test_usb_index_script_holds_the_stub_and_the_main_part_the_index(usb_site: Path):
    js = (usb_site / "search" / "search_index.js").read_text(encoding="utf-8")
    data = json.loads(js.removeprefix("var __index = "))
    assert data == json.loads((usb_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert data["docs"] == [] and data["config"]["studycol"]["main"] == "search/part-000.js"  # 引子
    main, _ = se.read_parts(usb_site)
    locations = {d["location"] for d in main["docs"]}
    assert "notice/index.html#n4-1-1" in locations  # U 盘版的地址带 index.html


def test_usb_search_quality_and_no_requests(browser, usb_site: Path, record_property):
    base = usb_site.as_uri() + "/"
    suite = se.load_suite(SUITE, "data/search/queries.yml")
    requests: list[str] = []
    context = browser.new_context()
    context.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:", "about:")) else None)
    try:
        outcomes = se.run_suite(context, base, suite, index_page="index.html")
    finally:
        context.close()
    m = se.metrics(outcomes)
    text = se.report(m, outcomes, "站内搜索质量（U 盘版，file://）：")
    record_property("figures", text)
    assert requests == []
    assert m.recall_at_3 >= MIN_RECALL_AT_3, text
    assert m.mrr >= MIN_MRR, text


def test_usb_result_click_lands_on_the_sentence(browser, usb_site: Path):
    base = usb_site.as_uri() + "/"
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    se.open_search(page, base + "en/index.html")  # 从英文页面搜索
    results, _ = se.run_query(page, "舉報線索", base)
    assert "notice/#n4-1-3" in results[:3] or "en/notice/#n4-1-3" in results[:3], results
    page.locator('a.md-search-result__link[href$="#n4-1-3"]').first.click()
    page.wait_for_url("**#n4-1-3")
    page.wait_for_function("() => document.querySelector(':target') && document.querySelector(':target').id === 'n4-1-3'")
    assert page.url.startswith("file://")
    page.close()
    assert errors == []


def test_usb_case_pages_load_in_parts_from_file(browser, usb_site: Path):
    """U 盘版：主索引和分批索引由隐藏 iframe 中的引擎用 <script> 读入（file:// 下不能 fetch）。
    第一次搜索读入主索引后作答，案例各批读完后只在案例页面中出现的文字也能搜到；不向任何主机发请求。"""
    main, _ = se.read_parts(usb_site)
    parts = [{"url": si.PART_URL.format(si.MAIN_PART)}, *main["config"]["studycol"]["parts"]]
    assert parts and all((usb_site / p["url"]).is_file() for p in parts)
    assert not any(d["location"].startswith("cases/20") for d in main["docs"])  # 案例页面不在主索引中
    phrase, case_page = se.deferred_only_phrase(usb_site)
    base = usb_site.as_uri() + "/"
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        se.open_search(page, base + "index.html")
        assert se.parts_state(page) == "idle"
        assert not [r for r in requests if "/search/part-" in r]  # 还没有搜索：不读入
        results, _ = se.run_query(page, "安全监控系统造假", base)  # 第一次搜索：读入主索引后作答，不先显示空结果
        assert "notice/#n4-1-1" in results[:3], results
        results, _ = se.run_query(page, phrase, base)
        if case_page not in {r.split("#")[0] for r in results}:
            page.wait_for_function(
                "page => [...document.querySelectorAll('a.md-search-result__link')].some(a => a.href.includes(page))",
                arg=case_page.removesuffix("index.html"), timeout=15000,
            )
        assert se.parts_state(page) == "complete"
    finally:
        context.close()
    assert sorted(r.removeprefix(base) for r in requests if "/search/part-" in r) == [p["url"] for p in parts]
    assert [r for r in requests if not r.startswith(("file:", "data:", "about:"))] == []
    assert errors == []
