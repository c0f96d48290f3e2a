"""浏览器测试（issue 18，“漏过去的”第 5 项）：注入的脚本在任何一种副本中都不执行。

三种副本各拿一份测试专用的拷贝，在一个页面的正文中写入几种恶意写法（内联脚本、事件属性、javascript: 链接、
srcdoc、data: 脚本、object），然后用 dialog 监听器确认没有一处弹出对话框：
- 网站版：按构建生成的 site-headers.conf 发送响应头；
- 服务器不能设置响应头时（CSP_META=1 构建）：不发送响应头，靠页面中的 <meta> 策略；
- U 盘版（OFFLINE=true）：从 file:// 打开，靠页面中的 <meta> 策略，并且同一个页面上的搜索照常工作。
对照：同一份拷贝不带任何策略时，注入的脚本确实会执行（测试本身能失败）。
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import REPO, build, handler_with_headers, serve
from studycol import csp

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

# 每一种写法执行时都会弹出带自己名字的对话框
PAYLOAD = """
<div id="hostile">
<script>alert("inline-script")</script>
<img src="no-such-image.png" onerror="alert('img-onerror')" alt="">
<svg><g onload="alert('svg-onload')"></g></svg>
<iframe srcdoc="<script>parent.alert('srcdoc')</script>"></iframe>
<script src="data:text/javascript,alert('data-script')"></script>
<object data="data:text/html,&lt;script&gt;alert('object')&lt;/script&gt;"></object>
<a id="hostile-link" href="javascript:alert('javascript-link')">示例链接</a>
<details open ontoggle="alert('ontoggle')"><summary>示例</summary></details>
</div>
"""
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));
"""
SEARCH_READY = """() => {
  const meta = document.querySelector('.md-search-result__meta');
  const words = JSON.parse(document.getElementById('__config').textContent).translations;
  return meta !== null && meta.textContent === words['search.result.placeholder'];
}"""


def _inject(site: Path, page: str, dest: Path) -> Path:
    """站点的测试专用拷贝，page 的正文中写入 PAYLOAD。"""
    shutil.copytree(site, dest)
    target = dest / page
    html = target.read_text(encoding="utf-8")
    assert "</article>" in html
    target.write_text(html.replace("</article>", PAYLOAD + "</article>", 1), encoding="utf-8")
    return dest


def _visit(browser, url: str) -> tuple[list[str], list[str], object, object]:
    """打开页面、点一下 javascript: 链接，返回 (弹出的对话框, 记录的策略违规, context, page)。"""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(d) -> None:
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(url, wait_until="load")
    page.locator("#hostile-link").click()
    page.wait_for_timeout(800)
    return dialogs, page.evaluate("window.__csp || []"), context, page


@pytest.fixture(scope="module")
def headers_site(built_site: Path) -> dict[str, str]:
    return csp.parse_nginx_snippet(csp.headers_path(built_site).read_text(encoding="utf-8"))


def test_control_without_a_policy_the_payload_runs(browser, built_site: Path, tmp_path: Path):
    copy = _inject(built_site, "about/index.html", tmp_path / "site")
    with serve(copy) as url:
        dialogs, _, context, _ = _visit(browser, url + "about/")
        context.close()
    # 没有策略时至少这几种会执行：说明下面的测试能失败
    assert {"inline-script", "img-onerror", "javascript-link"} <= set(dialogs), dialogs


def test_production_headers_block_every_injected_script(browser, built_site: Path, headers_site, tmp_path: Path):
    assert "unsafe-inline" not in headers_site["Content-Security-Policy"]
    copy = _inject(built_site, "about/index.html", tmp_path / "site")
    with serve(copy, handler_with_headers(headers_site)) as url:
        dialogs, violations, context, page = _visit(browser, url + "about/")
        assert page.evaluate("typeof __md_scope") != "undefined"  # 主题自己的内联脚本照常执行
        context.close()
    assert dialogs == []
    assert "script-src-elem" in violations or "script-src" in violations, violations


@pytest.fixture(scope="module")
def meta_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csp-meta") / "site"
    result = build(REPO, out, env={"CSP_META": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_meta_policy_without_headers_blocks_every_injected_script(browser, meta_site: Path, tmp_path: Path):
    """服务器不能设置响应头时：CSP_META=1 构建的每个页面都带 <meta> 策略，不发送任何响应头也拦得住。"""
    pages = sorted(meta_site.rglob("*.html"))
    assert pages and all('http-equiv="Content-Security-Policy"' in p.read_text(encoding="utf-8") for p in pages)
    copy = _inject(meta_site, "about/index.html", tmp_path / "site")
    with serve(copy) as url:
        dialogs, violations, context, page = _visit(browser, url + "about/")
        assert page.evaluate("typeof __md_scope") != "undefined"
        context.close()
    assert dialogs == [] and violations, violations


@pytest.fixture(scope="module")
def usb_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (REPO / "docs" / csp.SHIM).is_file():
        pytest.fail(f"没有 docs/{csp.SHIM}；请用 make test 运行（它从 npm 包 iframe-worker 复制该文件）")
    out = tmp_path_factory.mktemp("usb") / "site"
    result = build(REPO, out, env={"OFFLINE": "true"})
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_every_usb_page_carries_the_policy_before_any_script(usb_site: Path):
    pages = sorted(usb_site.rglob("*.html"))
    assert len(pages) >= 50
    for p in pages:
        html = p.read_text(encoding="utf-8")
        meta = html.find('<meta http-equiv="Content-Security-Policy"')
        assert meta >= 0, p
        first_script = html.find("<script")
        assert first_script < 0 or meta < first_script, p
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
        assert "unsafe-inline" not in policy and "frame-ancestors" not in policy, p


def test_usb_copy_blocks_injected_scripts_and_search_still_works(browser, usb_site: Path, tmp_path: Path):
    copy = _inject(usb_site, "about.html", tmp_path / "usb")
    dialogs, violations, context, page = _visit(browser, (copy / "about.html").as_uri())
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    assert dialogs == [] and violations, (dialogs, violations)
    # 同一个（被注入过的）页面上，搜索在隐藏的 iframe 中照常运行：垫片写入的那段脚本按哈希放行
    box = page.locator("input.md-search__input")
    box.click()
    page.wait_for_function(SEARCH_READY, timeout=60000)
    box.fill("硬措施")
    box.press("End")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=60000)
    assert results.count() >= 1
    assert dialogs == []
    assert not [c for c in console if "Content Security Policy" in c], console
    context.close()


def test_usb_search_fails_without_the_shim_hash(browser, usb_site: Path, tmp_path: Path):
    """对照：去掉垫片那段脚本的哈希，U 盘版的搜索就不工作——说明上面的哈希确实是必需的、也确实起作用。"""
    copy = tmp_path / "usb"
    shutil.copytree(usb_site, copy)
    index = copy / "index.html"
    html = index.read_text(encoding="utf-8")
    url = csp.worker_url(html)
    shim_js = (copy / csp.SHIM).read_text(encoding="utf-8")
    shim_hash = csp.script_hash(csp.shim_inline_script(shim_js, url))
    assert shim_hash in html
    index.write_text(html.replace(" " + shim_hash, ""), encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.goto(index.as_uri(), wait_until="load")
    page.locator("input.md-search__input").click()
    page.wait_for_timeout(3000)
    assert any("Content Security Policy" in c for c in console), console
    assert page.locator(".md-search-result__item").count() == 0
    context.close()
