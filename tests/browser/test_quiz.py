"""浏览器：只用键盘做一套测验，检查得分、错题回顾、重做错题和错题本；从 file:// 打开同样可用。"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import REPO, build, serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

QUIZ = "quiz/part-5/"


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve(built_site) as url:
        yield url


_ACTIVE = """() => {
  const el = document.activeElement;
  const li = el && el.closest ? el.closest('li.quiz-q') : null;
  if (!li) return {tag: el ? el.tagName : null, type: el ? el.type : null, text: el ? el.textContent.trim() : ''};
  const inputs = Array.from(li.querySelectorAll('input'));
  return {tag: el.tagName, type: el.type, q: li.dataset.q, kind: li.dataset.type, answer: li.dataset.answer,
          values: inputs.map(i => i.value), index: inputs.indexOf(el)};
}"""


def _active(page) -> dict:
    return page.evaluate(_ACTIVE)


def _tab_until(page, predicate, limit: int = 120) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = _active(page)
        if predicate(info):
            return info
    raise AssertionError(f"按 Tab {limit} 次也没有到达目标；焦点停在 {_active(page)}")


def _answer_by_keyboard(page, plan: dict[str, str]) -> None:
    """焦点在第一道题的第一个控件上；按 plan（题目编号 → right / wrong / skip）逐题作答，只用键盘。"""
    info = _active(page)
    while info.get("q"):
        qid, kind, want = info["q"], info["kind"], plan[info["q"]]
        if kind in ("single", "judge"):
            values = info["values"]
            target = info["answer"] if want == "right" else next(v for v in values if v != info["answer"])
            if want != "skip":
                steps = values.index(target)
                if steps == 0:
                    page.keyboard.press("Space")
                for _ in range(steps):
                    page.keyboard.press("ArrowDown")  # 方向键在同组单选按钮间移动并选中
            page.keyboard.press("Tab")
        elif kind == "multi":
            values = info["values"]
            wanted = set(info["answer"]) if want == "right" else {values[0]} ^ set(info["answer"])
            for k, value in enumerate(values):
                if want != "skip" and value in wanted:
                    page.keyboard.press("Space")
                page.keyboard.press("Tab")
        else:
            accepted = json.loads(info["answer"])
            if want == "right":
                page.keyboard.type(accepted[0])
            elif want == "wrong":
                page.keyboard.type("不知道")
            page.keyboard.press("Tab")
        nxt = _active(page)
        assert nxt.get("q") != qid or kind == "multi", f"焦点没有离开题目 {qid}"
        info = nxt


def _book(page) -> dict:
    return page.evaluate("JSON.parse(localStorage.getItem('studycol:quiz:wrongbook') || '{\"items\":{}}').items")


def test_take_quiz_by_keyboard_score_review_and_retry(browser, site_url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + QUIZ, wait_until="networkidle")

    qids = page.eval_on_selector_all("li.quiz-q", "els => els.map(e => e.dataset.q)")
    assert len(qids) >= 8
    # 交卷前：答案和解析不显示；交卷按钮可见
    assert page.locator("details.quiz-q__key").first.is_hidden()
    assert page.get_by_role("button", name="交卷并查看得分").is_visible()

    wrong, skipped = qids[1], qids[3]
    plan = {q: "right" for q in qids} | {wrong: "wrong", skipped: "skip"}
    page.locator("body").focus()
    _tab_until(page, lambda i: bool(i.get("q")))
    _answer_by_keyboard(page, plan)
    info = _active(page)
    assert info["tag"] == "BUTTON" and info["text"] == "交卷并查看得分", info
    page.keyboard.press("Enter")

    # 有未答的题：先提示，焦点在“返回作答”上；返回后焦点在未答的题上
    confirm = page.locator(".quiz__confirm")
    assert confirm.is_visible() and "还有1道题未作答" in confirm.inner_text()
    assert page.locator(".quiz__result").is_hidden()
    assert _active(page)["text"] == "返回作答"
    page.keyboard.press("Enter")
    assert _active(page).get("q") == skipped and confirm.is_hidden()
    _tab_until(page, lambda i: i["tag"] == "BUTTON" and i["text"] == "交卷并查看得分")
    page.keyboard.press("Enter")
    assert _active(page)["text"] == "返回作答"
    page.keyboard.press("Shift+Tab")
    assert _active(page)["text"] == "仍然交卷"
    page.keyboard.press("Enter")

    result = page.locator(".quiz__result")
    assert result.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('quiz__result')"), "交卷后焦点应移到测验结果"
    box = page.locator(".quiz__score").bounding_box()
    assert box and 0 <= box["y"] < 300, f"得分应在屏幕上方可见：{box}"
    n = len(qids)
    expected = f"共{n}题，答对{n - 2}题，答错1题，未答1题，得分{round(100 * (n - 2) / n)}分（百分制）。"
    assert page.locator(".quiz__score").inner_text() == expected
    assert page.locator("[data-quiz-live]").inner_text() == expected  # 读屏软件朗读的提示区域
    review = page.locator(".quiz__review-list a")
    assert review.count() == 2
    assert [review.nth(k).get_attribute("href") for k in range(2)] == [f"#{wrong}", f"#{skipped}"]
    # 每道题用文字标明对错；答错的题展开解析，出处链接到通知原文
    wrong_li = page.locator(f"li[data-q='{wrong}']")
    assert "回答错误" in wrong_li.locator(".quiz-q__verdict").inner_text()
    assert "未作答" in page.locator(f"li[data-q='{skipped}'] .quiz-q__verdict").inner_text()
    assert page.locator(f"li[data-q='{qids[0]}'] .quiz-q__verdict").inner_text() == "✓ 回答正确。"
    key = wrong_li.locator("details.quiz-q__key")
    assert key.is_visible() and key.get_attribute("open") is not None
    assert "notice/#n5-" in key.locator("a.xref").get_attribute("href")
    # 一套分部分测验只有一个部分：按题型汇总，每种题型一行
    sections = page.locator(".quiz__section").count()
    assert "按题型汇总" in page.locator(".quiz__summary h3").inner_text()
    assert page.locator(".quiz__summary-list li").count() == sections
    book = _book(page)
    assert set(book) == {wrong, skipped}
    assert book[skipped]["last"] == "skip" and book[skipped]["skipped"] == 1 and book[skipped]["times"] == 0
    assert book[wrong]["last"] == "wrong" and book[wrong]["times"] == 1

    # 错题本页面列出这两道题，链接回原题；答错和未作答分开计数
    other = context.new_page()
    other.goto(site_url + "quiz/", wait_until="networkidle")
    assert "最近一次答错1道、未作答1道" in other.locator("[data-quiz-wrongbook-status]").inner_text()
    links = other.locator(".quiz-wrongbook__list a")
    assert links.count() == 2
    assert {links.nth(k).get_attribute("href").split("#")[1] for k in range(2)} == {wrong, skipped}
    other.close()

    # 重做错题：从结果区用 Tab 到“重做错题”按钮，回车
    _tab_until(page, lambda i: i["tag"] == "BUTTON" and i["text"] == "重做错题")
    page.keyboard.press("Enter")
    visible = page.eval_on_selector_all("li.quiz-q", "els => els.filter(e => !e.hidden).map(e => e.dataset.q)")
    assert visible == [wrong, skipped]
    assert _active(page).get("q") == wrong, "重做时焦点应在第一道错题上"
    assert "只显示答错的2道题" in page.locator("[data-quiz-live]").inner_text()
    _answer_by_keyboard(page, {wrong: "right", skipped: "right"})
    assert _active(page)["text"] == "交卷并查看得分"
    page.keyboard.press("Enter")
    assert page.locator(".quiz__score").inner_text() == "本轮重做2题，答对2题，仍有0题未答对。"
    assert page.locator(".quiz__review").is_hidden()
    assert _book(page) == {}, "答对后应从错题本中移出"
    assert errors == []
    context.close()


def test_comprehensive_test_links_wrong_answers_to_their_home_page(browser, site_url: str):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + "quiz/comprehensive/", wait_until="networkidle")
    assert page.locator("li.quiz-q").count() == 25
    page.get_by_role("button", name="交卷并查看得分").click()  # 全部未答：先提示
    assert "还有25道题未作答" in page.locator(".quiz__confirm").inner_text()
    page.get_by_role("button", name="仍然交卷").click()
    assert "共25题，答对0题，答错0题，未答25题" in page.locator(".quiz__score").inner_text()
    # 综合测试的题目来自各套测验：按部分汇总
    assert "按部分汇总" in page.locator(".quiz__summary h3").inner_text()
    assert page.locator(".quiz__summary-list li").count() >= 5
    book = _book(page)
    assert len(book) == 25
    # 错题本中的链接指向题目所在的分部分测验页面
    assert all(f"/quiz/" in v["href"] and v["href"].endswith("#" + k) for k, v in book.items())
    assert not any("/comprehensive/" in v["href"] for v in book.values())
    context.close()


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """U 盘版（make offline 的构建方式）：页面地址是 .html 文件，直接从 file:// 打开。"""
    out = tmp_path_factory.mktemp("offline") / "site"
    result = build(REPO, out, env={"OFFLINE": "true"})
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_quiz_works_from_file_url(browser, offline_site: Path):
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((offline_site / "quiz" / "part-1.html").as_uri(), wait_until="load")
    first = page.locator("li.quiz-q").first
    answer = first.get_attribute("data-answer")
    first.locator(f"input[value='{answer}']").check()
    page.get_by_role("button", name="交卷并查看得分").click()
    page.get_by_role("button", name="仍然交卷").click()
    assert page.locator(".quiz__result").is_visible()
    assert "答对1题" in page.locator(".quiz__score").inner_text()
    assert "已记入本浏览器的错题本" in page.locator(".quiz__saved").inner_text()
    assert all(u.startswith("file://") or u.startswith("data:") for u in requests), [u for u in requests if not u.startswith("file://")]
    assert errors == []
    # 错题本页面（另一个 file:// 页面）读到同一份错题本
    page.goto((offline_site / "quiz" / "index.html").as_uri(), wait_until="load")
    assert "错题本" in page.locator("[data-quiz-wrongbook-status]").inner_text()
    context.close()


def test_readable_without_javascript(browser, site_url: str):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + QUIZ)
    assert page.locator("legend").first.is_visible()
    key = page.locator("details.quiz-q__key").first
    assert key.is_visible() and key.locator("summary").inner_text() == "参考答案和解析"
    assert page.locator(".quiz__actions").is_hidden()  # 没有脚本时不显示无法使用的交卷按钮
    context.close()
