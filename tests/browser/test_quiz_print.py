"""浏览器：试卷打印成 PDF——先是不带答案的试题，参考答案和解析另起一页；没有网站的导航和按钮。"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest

from helpers import serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHROME = ("试卷(A卷)", "搜索", "编辑指南", "关于本栏目", "题库编写", "交卷", "打印试卷", "字号", "跳转至")


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve(built_site) as url:
        yield url


def _pdf_pages(page) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) / 72 * 25.4 - 210) < 1 and abs(float(box.height) / 72 * 25.4 - 297) < 1, "应为 A4 纸"
    # PDF 中的康熙部首字形还原为常用字，去掉空白后比较
    return [unicodedata.normalize("NFKC", "".join(p.extract_text().split())) for p in reader.pages]


def _open(browser, site_url: str, variant: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site_url}quiz/paper-{variant}/", wait_until="networkidle")
    return page


def test_paper_and_key_print_on_separate_pages(browser, site_url: str, tmp_path: Path):
    page = _open(browser, site_url, "a")
    code = page.locator(".quiz-paper .quiz-paper__meta").inner_text().split("：")[1].split()[0]
    page.emulate_media(media="print")
    pages = _pdf_pages(page)
    (tmp_path / "paper-a.pdf").write_bytes(page.pdf(prefer_css_page_size=True))
    page.close()

    assert len(pages) >= 3
    first = pages[0]
    assert "学习宣传贯彻《硬措施》知识测试" in first and "(A卷)" in first and f"试卷识别码:{code}" in first, first[:200]
    assert "一、单项选择题" in first
    key_start = next(i for i, t in enumerate(pages) if "参考答案和解析" in t)
    assert key_start >= 1
    paper, key = pages[:key_start], pages[key_start:]
    for text in paper:
        assert "答案:" not in text and "解析:" not in text, "试题页中出现了答案或解析"
    # 答案另起一页：前一页没有答案标题，答案页上标题在第一条答案之前
    assert "参考答案" not in pages[key_start - 1]
    assert 0 <= key[0].find("学习宣传贯彻《硬措施》知识测试(A卷)参考答案和解析") < key[0].find("答案:")
    assert f"试卷识别码:{code}" in key[0]
    assert "四、填空题" in "".join(paper) and "四、填空题" in "".join(key)
    assert sum(t.count("答案:") for t in key) == 45
    for text in pages:
        for chrome in CHROME:
            assert chrome not in text, f"打印稿中出现了网站元素“{chrome}”"


def test_print_paper_only_button(browser, site_url: str):
    page = _open(browser, site_url, "a")
    page.evaluate("window.print = () => { window.__printed = document.documentElement.classList.contains('quiz-print-paper-only'); }")
    page.get_by_role("button", name="打印试卷（不含答案）").click()
    assert page.evaluate("window.__printed") is True
    page.emulate_media(media="print")
    paper_only = _pdf_pages(page)
    assert paper_only and not any("参考答案和解析" in t for t in paper_only)
    page.emulate_media(media="screen")
    page.get_by_role("button", name="打印试卷和参考答案").click()
    assert page.evaluate("window.__printed") is False
    page.emulate_media(media="print")
    everything = _pdf_pages(page)
    assert len(everything) > len(paper_only)
    page.close()


def test_a_and_b_have_the_same_questions_in_another_order(browser, site_url: str):
    orders = {}
    for variant in ("a", "b"):
        page = _open(browser, site_url, variant)
        orders[variant] = page.eval_on_selector_all(".quiz-paper li.quiz-paper__q", "els => els.map(e => e.dataset.q)")
        page.close()
    assert len(orders["a"]) == 45
    assert sorted(orders["a"]) == sorted(orders["b"]) and orders["a"] != orders["b"]
