"""浏览器检查：无障碍（axe-core）、外部请求、控制台错误、窄屏溢出、搜索、测验作答。

浏览器测试（tests/browser/test_a11y.py 等）和 `make audit`（bench/audit.py）共用这些函数，
因此两处对“合格”的定义一致。函数接收 Playwright 的 Page 对象；本模块不导入 Playwright，
构建站点时不需要它。

新页面类型自动纳入检查：检查对象是构建结果中的每一个 HTML 页面（site_pages）。
测验页面约定：正文中有 class 为 ``column-quiz`` 的元素（QUIZ_SELECTOR），选项是
``<input type="radio|checkbox">``，提交按钮是 ``<button type="submit">`` 或带 ``data-quiz-submit`` 属性；
answer_quizzes() 据此作答，随后再做一次无障碍检查（“作答后”状态）。
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.1 A/AA；另外显式开启不在这些标签里的 aria-dialog-name（对话框要有名称）。
# 触控目标（target-size，WCAG 2.2 的 2.5.8，≥ 24×24 px）在手机宽度下单独检查：PHONE_RULES。
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
AXE_EXTRA_RULES = ("aria-dialog-name",)
PHONE_RULES = ("target-size",)
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

QUIZ_SELECTOR = ".column-quiz"
TEXT_SIZES = ("100", "125", "150")

# 调色板：Material 按系统的深浅色偏好选择（mkdocs.yml 中 media 查询），浏览器里用 color_scheme 模拟
PALETTES = {"default": "light", "slate": "dark"}


@dataclasses.dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        shown = "；".join(self.targets[:3]) + ("……" if len(self.targets) > 3 else "")
        return f"{self.rule}（{self.impact}，{len(self.targets)} 处）：{self.help} —— {shown}"


def site_pages(site: Path) -> list[str]:
    """构建结果中每个 HTML 页面相对站点根的路径（不含各语言的 404 页：它们用 site_url 的绝对地址）。

    目录式地址（about/index.html）返回 “about/”，首页返回 “”。
    """
    paths = []
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        if rel == "404.html" or rel.endswith("/404.html"):
            continue
        paths.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return paths


class Watch:
    """记录一个页面的外部请求和控制台错误。base 之外、且不是 data:/blob: 的请求都算外部请求。"""

    def __init__(self, page: Any, base: str):
        self.base = base
        self.foreign: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._request)
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"脚本错误: {e}"))
        page.on("response", lambda r: self.errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)

    def _request(self, request: Any) -> None:
        url = request.url
        if not url.startswith(self.base) and not url.startswith(("data:", "blob:")):
            self.foreign.append(url)


_AXE_RUN = """async ([tags, extra]) => {
  const rules = {};
  for (const id of extra) rules[id] = {enabled: true};
  const runOnly = tags.length ? {type: 'tag', values: tags} : {type: 'rule', values: extra};
  const result = await axe.run(document, {runOnly, rules, resultTypes: ['violations']});
  return result.violations.map(v => ({rule: v.id, impact: v.impact || '', help: v.help,
                                      targets: v.nodes.map(n => n.target.join(' '))}));
}"""


def run_axe(page: Any, tags: Iterable[str] = AXE_TAGS, extra_rules: Iterable[str] = AXE_EXTRA_RULES) -> list[Violation]:
    """在页面当前状态下运行 axe-core（从 node_modules 注入），返回全部违规项。"""
    if not AXE_JS.is_file():
        raise FileNotFoundError(f"没有 {AXE_JS}；请先运行 make（npm ci 安装 axe-core）")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    raw = page.evaluate(_AXE_RUN, [list(tags), list(extra_rules)])
    return [Violation(v["rule"], v["impact"], v["help"], tuple(v["targets"])) for v in raw]


def blocking(violations: Iterable[Violation]) -> list[Violation]:
    """严重（serious）和致命（critical）的违规项：这些必须为零。"""
    return [v for v in violations if v.impact in BLOCKING_IMPACTS]


_OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const scrollsX = el => { const o = getComputedStyle(el).overflowX; return o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip'; };
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= width + 1) continue;
    if (getComputedStyle(el).position === 'fixed' && box.left >= width) continue;  // 屏幕外待滑入的面板
    // 在滚动框内的元素不算溢出；但绝对定位的元素只有当滚动框包含它的定位祖先时才被裁剪
    const positioned = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
    const anchor = positioned ? el.offsetParent : null;
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body && p !== root; p = p.parentElement) {
      if (scrollsX(p) && (!positioned || (anchor && (p === anchor || p.contains(anchor))))) { clipped = true; break; }
    }
    if (clipped) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.classList.length ? '.' + [...el.classList].join('.') : '');
    offenders.push(`${name}（右缘 ${Math.round(box.right)}px）`);
  }
  return {scroll: Math.max(root.scrollWidth, document.body.scrollWidth) - width, offenders: offenders.slice(0, 5)};
}"""


def horizontal_overflow(page: Any) -> dict[str, Any]:
    """页面的横向溢出：scroll 为页面可横向滚动的像素数，offenders 为伸出视口右缘且不在滚动框内的元素。

    Material 给 <html> 设了 overflow-x: hidden，伸出的内容不会出现滚动条而是被截掉，
    所以除了 scrollWidth 还要逐个元素检查。宽表格在自己的滚动框内，不算溢出。
    """
    return page.evaluate(_OVERFLOW)


def overflows(result: dict[str, Any]) -> bool:
    return result["scroll"] > 0 or bool(result["offenders"])


def set_palette_check(page: Any) -> str:
    """页面实际使用的配色方案（body 的 data-md-color-scheme）。"""
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def open_search(page: Any, query: str, timeout_ms: int = 10000) -> int:
    """打开搜索框、输入 query，等待结果，返回结果条数（没有结果时为 0）。

    Material 在 keyup 时读取输入框；中文经输入法以 insertText 输入，没有 keyup，所以补按一次 End 键。
    """
    page.locator("label.md-header__button[for='__search'], .md-search__input").first.evaluate(
        "el => el.tagName === 'LABEL' ? el.click() : el.focus()"
    )
    field = page.locator("input.md-search__input")
    field.focus()
    field.fill("")
    page.keyboard.type(query)
    # 搜索索引在后台线程中建立；建好之前的按键不会出结果，所以每隔一段时间再按一次 End
    step = 1500
    for _ in range(max(1, timeout_ms // step)):
        page.keyboard.press("End")
        try:
            page.wait_for_selector(".md-search-result__item", timeout=step)
        except Exception:  # noqa: BLE001 — 超时：索引可能还没建好，再试
            continue
        # 搜索框展开、结果区淡入都有 CSS 过渡（.md-search__output 的不透明度约 0.4 秒）；过渡中途检查对比度，
        # 半透明的文字会被算成对比度不足，所以等全部过渡结束
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')", timeout=5000)
        return page.locator(".md-search-result__item").count()
    return 0


def is_quiz(page: Any) -> bool:
    return page.locator(QUIZ_SELECTOR).count() > 0


_ANSWER = """(selector) => {
  let answered = 0;
  for (const quiz of document.querySelectorAll(selector)) {
    const names = new Set();
    for (const input of quiz.querySelectorAll('input[type=radio], input[type=checkbox]')) {
      const key = input.name || input.id;
      if (input.disabled || names.has(key)) continue;
      names.add(key); input.click(); answered++;
    }
    for (const input of quiz.querySelectorAll('input[type=text], textarea')) {
      if (input.disabled) continue;
      input.value = '1'; input.dispatchEvent(new Event('input', {bubbles: true})); answered++;
    }
    for (const button of quiz.querySelectorAll('button[type=submit], [data-quiz-submit]')) {
      if (!button.disabled) button.click();
    }
  }
  return answered;
}"""


def answer_quizzes(page: Any) -> int:
    """按测验页面约定作答（每题选第一个选项）并提交，返回作答的题目数。"""
    answered = page.evaluate(_ANSWER, QUIZ_SELECTOR)
    page.wait_for_timeout(300)
    return answered


def set_text_size(page: Any, size: str) -> None:
    """点字号按钮（与读者的操作相同）。"""
    page.locator(f"button[data-column-textsize='{size}']").first.click()
