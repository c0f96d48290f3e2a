"""内容安全策略的核心函数（不构建站点）：只为模板和主题的脚本计算哈希；页面内的 <meta> 策略；
U 盘版中 iframe-worker 垫片写进 iframe 的那段脚本。浏览器中的效果见 tests/browser/test_csp_injection.py。"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPO
from studycol import csp, htmlscreen

THEME = '<script>var __md_scope=1</script>'
PAGE = (
    '<!doctype html>\n<html lang="zh"><head>\n<meta charset="utf-8">\n<title>示例</title>\n'
    '<script src="assets/vendor/iframe-worker-shim.js"></script>\n' + THEME + '\n</head><body>'
    '<article>{content}</article>'
    '<script id="__config" type="application/json">{{"base": ".", "search": "./assets/javascripts/search-worker.js?lang=zh"}}</script>'
    '</body></html>'
)
# 与 npm 包 iframe-worker 的写法相同的一个小垫片（函数名、地址变量名都可以不同）
SHIM_JS = (
    '"use strict";(()=>{function a(x,y){parent.postMessage(x,y||"*")}function b(...s){return s.map(u=>{'
    'let t=document.createElement("script");t.src=u})}var W=class{constructor(u){this.w.document.write('
    '`<html><body><script>postMessage=${a};importScripts=${b};addEventListener("error",()=>{parent.x("${u}")})<\\/script>'
    '<script src=${u}><\\/script></body></html>`)}};window.IFrameWorker=W;})();'
)


def test_scripts_in_the_page_body_are_not_hashed():
    content = '<p>示例</p><script>alert(1)</script>'
    html = PAGE.format(content=content)
    scan = csp.scan_output(html, content)
    assert csp.script_hash("var __md_scope=1") in scan.hashes
    assert csp.script_hash("alert(1)") not in scan.hashes
    assert scan.content_scripts == ("alert(1)",)
    assert csp.scan_output(PAGE.format(content="<p>正文</p>"), "<p>正文</p>").content_scripts == ()


def test_content_script_problem_names_file_line_and_rule():
    p = csp.content_script_problem("docs/shili.md", "---\ntitle: 示例\n---\n\n正文\n<script>alert(1)</script>\n")
    assert str(p).startswith("docs/shili.md:6: ") and str(p).endswith("（CSP-1）")
    assert "CSP-1" in htmlscreen.RULES


def test_meta_policy_drops_header_only_directives():
    header = csp.policy(["'sha256-abc='"])
    meta = csp.meta_policy({"'sha256-abc='"})
    assert "frame-ancestors" in header and "frame-ancestors" not in meta
    assert meta == header.replace("; frame-ancestors 'self'", "")
    assert "unsafe-inline" not in meta and "script-src 'self' 'sha256-abc='" in meta


def test_meta_goes_after_charset_and_before_every_script():
    html = csp.with_meta(PAGE.format(content=""), "default-src 'none'")
    meta = html.index('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">')
    assert html.index('<meta charset="utf-8">') < meta < html.index("<script")
    assert csp.with_meta(html, "other") == html  # 已有策略时不重复
    bare = csp.with_meta("<!doctype html>\n<p>示例</p>", "x")
    assert bare.startswith('<!doctype html>\n<meta http-equiv="Content-Security-Policy" content="x">')
    assert csp.meta_tag('a"b<c').endswith('content="a&quot;b&lt;c">')


def test_shim_inline_script_is_reconstructed_from_the_shim_file():
    text = csp.shim_inline_script(SHIM_JS, "../assets/javascripts/search-worker.js?lang=en")
    assert text == (
        'postMessage=function a(x,y){parent.postMessage(x,y||"*")};importScripts=function b(...s){return s.map(u=>{'
        'let t=document.createElement("script");t.src=u})};addEventListener("error",()=>{parent.x("'
        '../assets/javascripts/search-worker.js?lang=en")})'
    )
    with pytest.raises(csp.CspError, match="认不出"):
        csp.shim_inline_script("window.x = 1;", "./w.js")


def test_the_pinned_shim_is_recognised():
    shim = REPO / "docs" / csp.SHIM
    if not shim.is_file():
        pytest.skip("没有 npm 安装的垫片（make docs/assets/vendor/iframe-worker-shim.js）；浏览器测试中必需")
    text = csp.shim_inline_script(shim.read_text(encoding="utf-8"), "./assets/javascripts/search-worker.js?lang=zh")
    assert text.startswith("postMessage=function ") and '"./assets/javascripts/search-worker.js?lang=zh"' in text


def test_finish_page_adds_the_shim_hash_only_in_the_usb_copy():
    content = "<p>正文</p>"
    html = PAGE.format(content=content)
    shim_hash = csp.script_hash(csp.shim_inline_script(SHIM_JS, "./assets/javascripts/search-worker.js?lang=zh"))
    usb, scan = csp.finish_page(html, content, csp.MetaOptions(meta=True, shim_js=SHIM_JS))
    assert shim_hash in usb and csp.script_hash("var __md_scope=1") in usb
    assert shim_hash not in scan.hashes  # 响应头（网站版）不需要它
    served, _ = csp.finish_page(html, content, csp.MetaOptions(meta=True))
    assert "Content-Security-Policy" in served and shim_hash not in served
    plain, _ = csp.finish_page(html, content, csp.MetaOptions())
    assert plain == html


def test_options_from_config(tmp_path: Path):
    (tmp_path / "assets" / "vendor").mkdir(parents=True)
    (tmp_path / csp.SHIM).write_text(SHIM_JS, encoding="utf-8")
    usb = csp.MetaOptions.from_config({"polyfills": [csp.SHIM]}, tmp_path)
    assert usb.meta and usb.shim_js == SHIM_JS
    assert csp.MetaOptions.from_config({"csp_meta": "1"}, tmp_path) == csp.MetaOptions(meta=True)
    assert csp.MetaOptions.from_config({"csp_meta": False}, tmp_path) == csp.MetaOptions()


def test_finish_file_writes_the_policy_into_pages_built_outside_the_page_events(tmp_path: Path):
    page = tmp_path / "404.html"
    page.write_text(PAGE.format(content="<p>找不到页面</p>"), encoding="utf-8")
    handlers, hashes = csp.finish_file(page, csp.MetaOptions(meta=True))
    assert handlers == [] and csp.script_hash("var __md_scope=1") in hashes
    assert 'http-equiv="Content-Security-Policy"' in page.read_text(encoding="utf-8")


def test_mkdocs_yml_offers_the_option():
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "csp_meta: !ENV [CSP_META, false]" in text


# 只在测试中使用的钩子：在筛查之后往一个页面的正文里塞一段脚本，模拟筛查漏掉的情形
GAP_HOOK = '''
from mkdocs.plugins import event_priority


@event_priority(-100)  # 晚于 studycol/steps/safety.py 的渲染结果检查（-50）
def on_page_content(html, page, config, files):
    if page.file.src_uri == "about.md":
        return html + "<script>window.__gap = 1</script>"
    return html
'''


@pytest.mark.slow
def test_a_script_that_slips_into_a_page_body_is_reported_and_not_hashed(tmp_path: Path):
    from helpers import build, copy_site

    root = copy_site(tmp_path / "src")
    (root / "hooks" / "test_gap.py").write_text(GAP_HOOK, encoding="utf-8")
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("\nhooks:\n", "\nhooks:\n  - hooks/test_gap.py\n", 1), encoding="utf-8")
    out = tmp_path / "site"
    proc = build(root, out, env={"CSP_META": "1"})
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Traceback" not in log, log[-3000:]
    assert any("docs/about.md:1: " in ln and "（CSP-1）" in ln for ln in log.splitlines()), log[-3000:]
    gap = csp.script_hash("window.__gap = 1")
    headers = csp.headers_path(out)  # 严格模式下构建中止，可能根本没写出响应头；写了也不含它
    assert not headers.exists() or gap not in headers.read_text(encoding="utf-8")
    page = (out / "about" / "index.html").read_text(encoding="utf-8")
    assert "window.__gap = 1" in page and gap not in page  # 脚本在页面里，但页面自己的策略也不放行它
