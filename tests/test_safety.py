"""投稿内容安全与内容安全策略：纯函数的单元测试（不构建站点），以及一次真实构建的产物检查。"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studycol import csp, safety

# ---- 页面 Markdown 中的主动内容：每一类都被拒绝，并指出行号 ---------------------------------

REFUSED = [
    ("script", "正文。\n\n<script>alert(1)</script>\n", 3, "内联脚本"),
    ("script-upper", "<SCRIPT SRC=x.js></SCRIPT>\n", 1, "内联脚本"),
    ("iframe", "<iframe src=\"https://example.com/\"></iframe>\n", 1, "<iframe>"),
    ("object", "<object data=\"movie.swf\"></object>\n", 1, "<object>"),
    ("embed", "<embed src=\"movie.swf\">\n", 1, "<embed>"),
    ("form", "<form action=\"https://example.com/\">\n<input name=\"q\">\n</form>\n", 1, "<form>"),
    ("style-element", "<style>body{display:none}</style>\n", 1, "<style>"),
    ("stylesheet", "<link rel=\"stylesheet\" href=\"https://cdn.example.com/a.css\">\n", 1, "<link>"),
    ("meta-refresh", "<meta http-equiv=\"refresh\" content=\"0;url=https://example.com\">\n", 1, "<meta>"),
    ("svg", "<svg onload=\"alert(1)\"></svg>\n", 1, "<svg>"),
    ("unknown-tag", "<marquee>滚动</marquee>\n", 1, "不允许的 HTML 标签 <marquee>"),
    ("onclick", "<span onclick=\"alert(1)\">点我</span>\n", 1, "事件属性“onclick=”"),
    ("onerror-img", "<img src=\"a.png\" onerror=\"alert(1)\">\n", 1, "事件属性“onerror=”"),
    ("attr-list-handler", "一段文字。\n{ onmouseover=\"alert(1)\" }\n", 2, "属性列表"),
    ("js-link", "[点我](javascript:alert(1))\n", 1, "javascript:"),
    ("js-link-entity", "<a href=\"jav&#x61;script:alert(1)\">点我</a>\n", 1, "javascript:"),
    ("js-link-tab", "<a href=\"java\tscript:alert(1)\">点我</a>\n", 1, "javascript:"),
    ("vbscript", "[点我](vbscript:msgbox)\n", 1, "vbscript:"),
    ("data-link", "[点我](data:text/html;base64,PHNjcmlwdD4=)\n", 1, "data:"),
    ("data-image", "![图](data:image/png;base64,iVBORw0KGgo=)\n", 1, "data:"),
    ("hotlinked-image", "![图](https://example.com/a.png)\n", 1, "盗链"),
    ("hotlinked-image-ref", "![图][logo]\n\n[logo]: https://example.com/logo.png\n", 3, "盗链"),
    ("hotlinked-img-tag", "<img src=\"//example.com/a.png\">\n", 1, "盗链"),
    ("style-url", "<span style=\"background:url(https://example.com/t.gif)\">字</span>\n", 1, "style 属性"),
    ("http-link", "见[外部网站](http://example.com/)。\n", 1, "只能用 https"),
    ("http-autolink", "见 <http://example.com/>。\n", 1, "只能用 https"),
    ("file-link", "[文件](file:///C:/a.doc)\n", 1, "file:"),
    ("srcdoc", "<div srcdoc=\"x\">字</div>\n", 1, "srcdoc"),
]


@pytest.mark.parametrize(("name", "text", "line", "needle"), REFUSED, ids=[r[0] for r in REFUSED])
def test_active_content_is_refused_with_line(name, text, line, needle):
    found = safety.scan_markdown(text, "docs/x.md")
    assert found, f"{name} 没有被拒绝"
    assert any(p.line == line and needle in p.reason for p in found), [str(p) for p in found]
    assert all(str(p).startswith(f"docs/x.md:{p.line}: ") for p in found)


ALLOWED = [
    ("plain", "正文，含**强调**和[站内链接](../notice/index.md#n4-1-2)。\n"),
    ("https-link", "见[国务院网站](https://www.gov.cn/)。\n"),
    ("mailto", "联系：<mailto:editor@example.gov.cn>\n"),
    ("local-image", "![示意图](assets/figure-1.png)\n"),
    ("layout-html", "<div class=\"grid cards\" markdown=\"1\">\n\n- 卡片\n\n</div>\n\n<details><summary>展开</summary>内容</details>\n"),
    ("code-fence", "```html\n<script>alert(1)</script>\n```\n"),
    ("code-tilde-in-list", "- 示例：\n\n    ~~~html\n    <iframe src=\"https://x\"></iframe>\n    ~~~\n"),
    ("inline-code", "不要写 `<script>` 或 `javascript:`。\n"),
    ("comment", "<!-- <script>alert(1)</script> -->\n<!-- column:notice-body -->\n"),
    ("attr-list", "## 标题 { #title .gw-screen-only }\n"),
    ("cross-ref", "见 [[n4-1-2]] 和 [[doc-yingcuoshi|《硬措施》]]。\n"),
]


@pytest.mark.parametrize(("name", "text"), ALLOWED, ids=[a[0] for a in ALLOWED])
def test_ordinary_content_is_allowed(name, text):
    assert [str(p) for p in safety.scan_markdown(text, "docs/x.md")] == []


def test_line_offset_for_front_matter():
    (p,) = safety.scan_markdown("<script></script>\n", "docs/x.md", line_offset=4)
    assert p.line == 5


def test_rendered_html_backstop_and_duplicate_ids():
    problems, dups = safety.scan_html('<p id="a"><a href="javascript:x">x</a><span id="a" onmouseover="x">y</span></p>')
    assert any("javascript:" in p for p in problems)
    assert any("onmouseover" in p for p in problems)
    assert dups == ["a"]
    assert safety.scan_html('<p id="a"><a href="https://www.gov.cn/">x</a><img src="a.png"></p>') == ([], [])


def test_rendered_html_repeated_tags_count_every_id_and_quoted_angle_brackets_stay_inside():
    # 同一个开始标签在页面中、在不同页面上重复出现：每一次的 id 都要计数（检查结果按标签文字缓存）
    tag = '<h2 id="facts" class="x">经过</h2>'
    assert safety.scan_html(tag) == ([], [])
    assert safety.scan_html(tag + tag) == ([], ["facts"])
    assert safety.scan_html(tag) == ([], [])
    # 引号里的“>”不结束标签：后面的事件属性仍被查出
    problems, _ = safety.scan_html('<a title="a>b" onclick="x" href="#">x</a>')
    assert any("onclick" in p for p in problems)
    # 没有结束的引号：按浏览器的读法（HTML5 解析器），后面的文字成了属性值，多出来的怪属性名被拒绝
    problems, dups = safety.scan_html('<p title="x>甲<span id="b">乙</span><span id="b">丙</span>')
    assert any("HTML-3" in p for p in problems) and dups == []


def test_source_line_locates_a_rendered_problem():
    assert safety.source_line("第一行\n第二行 onclick=\n", "onclick") == 2
    assert safety.source_line("无\n", "onclick") == 1


# ---- 外部链接标记 -------------------------------------------------------------------


def test_external_links_get_rel_class_and_screen_reader_text():
    html = (
        '<p><a href="https://www.gov.cn/zhengce/">国务院</a> <a href="../notice/">通知</a> '
        '<a class="md-button" rel="nofollow" href="https://www.mem.gov.cn/">应急管理部</a> '
        '<a href="https://column.example.gov.cn/about/">本站</a></p>'
    )
    out = safety.mark_external_links(html, {"column.example.gov.cn"})
    a1, a2, a3, a4 = re.findall(r"<a [^>]*>.*?</a>", out)
    assert 'rel="noopener noreferrer"' in a1 and 'class="column-external"' in a1
    assert a1.endswith('国务院<span class="gw-visually-hidden">（外部链接）</span></a>')
    assert a2 == '<a href="../notice/">通知</a>'
    assert 'rel="nofollow noopener noreferrer"' in a3 and 'class="md-button column-external"' in a3
    assert "column-external" not in a4
    assert safety.mark_external_links(out, {"column.example.gov.cn"}) == out  # 重复处理不叠加


# ---- 文件层面 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle", "line"),
    [
        ("---\ntitle: [未闭合\n---\n\n正文。\n", "YAML 语法错误", 3),
        ("---\ntitle: 标题\ndescription: 说明: 含冒号\n---\n\n正文。\n", "YAML 语法错误", 3),
        ("---\ntitle: 标题\n\n正文。\n", "没有找到结束", 1),
        ("---\ntitle: [一, 二]\n---\n\n正文。\n", "title 应为文本", 2),
        ("---\nhide: navigation\n---\n\n正文。\n", "hide 应为列表", 2),
        ("---\nhide:\n  - sidebar\n---\n\n正文。\n", "hide 应为列表", 2),
    ],
)
def test_front_matter_problems(text, needle, line):
    (p,) = safety.front_matter_problems(text, "docs/x.md")
    assert needle in p.reason and p.line == line


def test_good_front_matter_and_empty_bodies():
    assert safety.front_matter_problems("---\ntitle: 标题\nhide:\n  - toc\n---\n\n正文。\n", "docs/x.md") == []
    assert safety.body_is_empty("")
    assert safety.body_is_empty("---\ntitle: 标题\n---\n\n  \n")
    assert not safety.body_is_empty("---\ntitle: 标题\n---\n\n<!-- column:identity -->\n")


def test_yaml_aliases_are_found():
    p = safety.yaml_limit_problem("a: &x [1, 2]\nb: *x\n", "data/x.yml")
    assert p is not None and (p.line, p.rule) == (1, "YAML-2") and "锚点和别名" in p.reason
    assert safety.yaml_limit_problem("a: [1, 2]\nb: 文字 & 符号\n", "data/x.yml") is None


def test_yaml_text_fields_and_url_fields_are_scanned():
    text = (
        "items:\n"
        "  - title: 正文<script>alert(1)</script>\n"
        "    url: javascript:alert(1)\n"
        "    source_url: http://example.com/\n"
        "    body: |\n"
        "      第一行\n"
        "      ![图](https://example.com/a.png)\n"
        "  - title: 普通标题\n"
        "    url: https://www.gov.cn/\n"
    )
    found = [(p.line, p.reason) for p in safety.scan_yaml_text(text, "data/x.yml")]
    assert [line for line, _ in found] == [2, 3, 4, 7]
    assert "javascript:" in found[1][1] and "只能用 https" in found[2][1] and "盗链" in found[3][1]


# ---- 内容安全策略 -------------------------------------------------------------------


def test_inline_script_hashes():
    html = (
        '<script>var a=1</script><script src="x.js"></script>'
        '<script id="__config" type="application/json">{"a":1}</script>'
        '<script type="module">import "./m.js"</script>'
    )
    assert csp.inline_scripts(html) == ["var a=1", 'import "./m.js"']
    # 与 openssl 算出的一致：printf 'var a=1' | openssl dgst -sha256 -binary | base64
    assert csp.script_hash("var a=1") == "'sha256-WazVQOu5lmXfSreSrMJd1CsaQ4c00fUQpJfBYCuMSIw='"


def test_policy_is_strict():
    p = csp.policy(["'sha256-abc='"])
    assert "'unsafe-inline'" not in p and "'unsafe-eval'" not in p
    assert "default-src 'none'" in p and "script-src 'self' 'sha256-abc='" in p
    assert "object-src 'none'" in p and "style-src 'self'" in p


def test_nginx_snippet_round_trip(tmp_path: Path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("<script>var a=1</script>", encoding="utf-8")
    (site / "a" / "index.html").write_text("<script>var b=2</script><script>var a=1</script>", encoding="utf-8")
    path, hdrs = csp.write_headers(site)
    assert path == tmp_path / "site-headers.conf"
    text = path.read_text(encoding="utf-8")
    assert text.count("add_header ") == len(hdrs) and 'always;' in text
    assert csp.parse_nginx_snippet(text) == hdrs
    assert hdrs["Content-Security-Policy"].count("'sha256-") == 2


def test_inline_handlers_are_detected():
    assert csp.inline_handlers('<body onload="x()"><a href="#" onclick="y()">') == ["onclick", "onload"]
    assert csp.inline_handlers('<div data-onclick="x" class="one">') == []
    # 粗筛以字面量“on”开头：前面紧挨着字母的（json=、icon=）不算，后面的真事件属性仍要找到
    assert csp.inline_handlers('<i data-json="1" icon="x">') == []
    assert csp.inline_handlers('<i data-json="1"\n  onmouseover="x()">') == ["onmouseover"]
    assert csp.inline_handlers('onload="x()"') == []  # 不在标签里


def test_scan_page_returns_handlers_and_hashes():
    handlers, hashes = csp.scan_page('<script>var a=1</script><p onclick="x()">')
    assert handlers == ["onclick"] and hashes == {csp.script_hash("var a=1")}
    assert csp.scan_page("<p>没有脚本</p>") == ([], set())


@pytest.mark.slow
def test_built_site_headers_and_external_marker(built_site: Path):
    """真实构建：响应头片段在站点目录旁边（不发布），内联脚本的哈希覆盖全部页面。"""
    path = csp.headers_path(built_site)
    assert path.is_file() and path.parent == built_site.parent
    hdrs = csp.parse_nginx_snippet(path.read_text(encoding="utf-8"))
    policy = hdrs["Content-Security-Policy"]
    for page in built_site.rglob("*.html"):
        for body in csp.inline_scripts(page.read_text(encoding="utf-8")):
            assert csp.script_hash(body) in policy, f"{page} 的内联脚本没有登记哈希"
        assert csp.inline_handlers(page.read_text(encoding="utf-8")) == [], page


@pytest.mark.slow
def test_every_external_link_in_content_is_marked(built_site: Path):
    marked = 0
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        article = html.split("<article", 1)[-1].split("</article>", 1)[0]
        for a in re.findall(r"<a\s[^>]*>", article):
            href = re.search(r'href="([^"]*)"', a)
            if href and href.group(1).startswith(("http://", "https://")) and "127.0.0.1" not in href.group(1):
                assert 'rel="noopener noreferrer"' in a and "column-external" in a, f"{page}: {a}"
                marked += 1
    assert marked >= 1


def test_external_link_with_upper_case_attribute_name_is_still_marked():
    # 粗筛在转成小写的页面上进行：大写的 HREF 不会被漏掉
    out = safety.mark_external_links('<p><a HREF="https://www.gov.cn/">国务院</a></p>', {"column.example.gov.cn"})
    assert 'rel="noopener noreferrer"' in out and "column-external" in out and safety.SR_TEXT in out
    assert safety.mark_external_links('<p><a href="../notice/">通知</a></p>', set()) == '<p><a href="../notice/">通知</a></p>'
