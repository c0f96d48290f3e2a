"""浏览器：案例很多时，分类索引页每组只列最新的几起，其余由“显示更多”按需加载（网页版和 U 盘版 file:// 都要能用）。

站点副本中加入 40 个合成案例（测试数据，全部放在山西省），山西一组因此超过页面上直接列出的数量。
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site, serve

sys.path.insert(0, str(REPO / "bench"))
from cases_bench import synthetic_case  # noqa: E402

from studycol import cases as cases_mod  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

EXTRA = 40


def _with_cases(dest: Path) -> Path:
    src = copy_site(dest)
    vocab = cases_mod.load_vocab(src / "data" / "case-vocab.yml").vocab
    rng = random.Random(7)
    for i in range(1, EXTRA + 1):
        name, text = synthetic_case(i, rng, vocab)
        text = re.sub(r"(?m)^  province: .*$", "  province: 山西省", text)
        (src / "docs" / "cases" / name).write_text(text, encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("cases-more")
    src = _with_cases(base / "src")
    web, usb = base / "web", base / "usb"
    for out, env in ((web, None), (usb, {"OFFLINE": "true"})):
        result = build(src, out, env=env)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return web, usb


def _check_more(page, expected_total: int) -> None:
    items = page.locator("#list-region-shanxi li")
    assert items.count() == 12  # 页面上只列最新的 12 起
    button = page.locator("#list-region-shanxi ~ p.cases-more button")
    assert button.is_visible() and f"{expected_total - 12}起" in button.inner_text()
    assert not page.locator(".cases-more__nojs").first.is_visible()  # 有脚本时不显示无脚本提示
    # 只用键盘：Tab 到按钮，焦点看得见（有焦点框），按 Enter
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#list-region-shanxi ~ p.cases-more button')"):
            break
    else:
        pytest.fail("按 Tab 到不了“显示更多”按钮")
    ring = page.evaluate("(s => s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)(getComputedStyle(document.activeElement))")
    assert ring, "“显示更多”按钮得到键盘焦点时没有焦点框"
    page.keyboard.press("Enter")
    # 在测试一侧轮询：wait_for_function 在页面里用 eval 反复求值，U 盘版的内容安全策略不允许（偶发失败）
    for _ in range(100):
        if items.count() > 12:
            break
        page.wait_for_timeout(100)
    assert items.count() == expected_total
    status = page.locator("#list-region-shanxi ~ p.cases-more [role=status]")
    assert f"全部{expected_total}起" in status.inner_text()
    # 焦点移到新加载的第一起，键盘读者可以接着读
    assert page.evaluate("document.activeElement.closest('li') === document.querySelectorAll('#list-region-shanxi li')[12]")
    # 新加载的链接指向真实存在的案例页
    href = page.locator("#list-region-shanxi li").nth(12).locator("a").get_attribute("href")
    page.locator("#list-region-shanxi li").nth(12).locator("a").click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text().startswith("测试数据"), href


def test_more_cases_load_on_demand_on_the_web(browser, many):
    web, _ = many
    requests: list[str] = []
    with serve(web) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url + "cases/by-region/", wait_until="networkidle")
        assert not any("/more-" in r for r in requests), "读者没点之前不应加载更多案例的数据"
        _check_more(page, EXTRA + 2)  # 山西原有 2 个真实案例
        assert all(r.startswith(url) for r in requests)
        page.close()


def test_more_cases_load_from_the_usb_copy(browser, many):
    _, usb = many
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((usb / "cases" / "by-region.html").as_uri())
    _check_more(page, EXTRA + 2)
    assert errors == []
    page.close()


def test_index_pages_stay_bounded(many):
    web, _ = many
    html = (web / "cases" / "by-region" / "index.html").read_text(encoding="utf-8")
    shanxi = html[html.index('id="list-region-shanxi"') :]
    shanxi = shanxi[: shanxi.index("</div>")]
    assert shanxi.count("<li>") == 12
    batch = (web / "cases" / "by-region" / "more-region-shanxi-1.js").read_text(encoding="utf-8")
    assert batch.count('"../') == EXTRA + 2 - 12
