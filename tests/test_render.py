"""studycol/render.py 中不依赖构建的函数。"""

from __future__ import annotations


def test_strip_page_alternates_matches_the_plain_regex():
    import random
    import re

    from studycol.render import strip_page_alternates

    old = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')

    def reference(html: str) -> str:
        end = html.find("</head>")
        return html if end < 0 else old.sub("", html[:end]) + html[end:]

    pieces = ['<link rel="alternate" href="/a/" hreflang="zh">', '<link rel="alternate" href="../en/" hreflang="en">',
              " ", "\n  ", "\u3000", "x", '<link rel="icon" href="i.png">', "</head>", "<body>"]
    rng = random.Random(3)
    for _ in range(2000):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert strip_page_alternates(html) == reference(html), html
    page = '<head>\n  <title>t</title>\n  <link rel="alternate" href="/a/" hreflang="zh">\n</head><body><link rel="alternate" href="/b/" hreflang="en"></body>'
    assert strip_page_alternates(page) == '<head>\n  <title>t</title>\n</head><body><link rel="alternate" href="/b/" hreflang="en"></body>'


# ---- 模板转义（issue 18） ------------------------------------------------------------------

import re as _re
from pathlib import Path as _Path
from types import SimpleNamespace as _NS

_REPO = _Path(__file__).resolve().parent.parent
_HOSTILE = '<script>alert(1)</script>示例矿业公司 & "引号" \'撇号\''


def _theme():
    from mkdocs.theme import Theme

    return Theme(name="material", custom_dir=str(_REPO / "overrides"), language="zh")


def test_content_env_escapes_every_value_and_keeps_project_markup():
    from markupsafe import Markup

    from studycol import render

    env = render.content_env(_theme().get_env())
    assert env.autoescape is True
    out = env.from_string("<td>{{ v }}</td><p title=\"{{ v }}\">{{ m }}</p>").render(v=_HOSTILE, m=Markup("<b>程序写的</b>"))
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;示例矿业公司 &amp; &#34;引号&#34; '撇号'"
    assert out == f'<td>{escaped}</td><p title="{escaped}"><b>程序写的</b></p>'
    # 每遍构建只建一次（Pass.env）；MkDocs 自己渲染主题页面用的环境不受影响
    from helpers import core_pass

    p = core_pass(make_env=_theme().get_env)
    assert p.env is p.env and p.env.autoescape is True
    assert _theme().get_env().autoescape is False


def test_case_page_template_escapes_front_matter_fields():
    """案例页面模板：企业名称、后果、违法违规行为、启示中的标记都成为文字；正文（page_body）原样进入 Markdown。"""
    from studycol import render

    env = render.content_env(_theme().get_env())
    case = _NS(title="示例", id="case-2024-shili", short='短"名', is_teaching=True, is_pending=False, cause=None,
               violations_note="", lessons=[_HOSTILE], verification=None)
    md = env.get_template("partials/column/cases-page.md").render(
        case=case, rows=[("企业", _HOSTILE)], body=render.page_body("正文 <span>允许的标记</span>"),
        violations=[], requirements=[], measures=[], other_refs=[], conflict_rows=[], sources=[], related=[],
        guide_link="../guide/cases.md",
    )
    assert "<script>" not in md
    assert "| 企业 | &lt;script&gt;alert(1)&lt;/script&gt;示例矿业公司 &amp; &#34;引号&#34; '撇号' |" in md
    assert "1. &lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "正文 <span>允许的标记</span>" in md
    assert 'data-xref-label="短&#34;名"' in md


def test_code_filter_keeps_markdown_code_spans_intact():
    from studycol.render import code_span

    assert code_span("https://example.org/?a=1&b=<2>") == "`https://example.org/?a=1&b=<2>`"  # Markdown 自己转义代码中的 & < >
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x`") == "`` `x` ``"


def test_theme_page_templates_escape_identity_and_front_matter():
    """overrides/main.html 与页脚由 MkDocs 的环境渲染（不自动转义）：其中的数据在 autoescape 块中输出。"""
    env = _theme().get_env()
    ident = {k: _HOSTILE for k in ("name", "operator", "undertaker", "contact", "site_id_code", "icp", "police_beian")}
    ident["police_beian_url"] = 'https://example.org/"><script>alert(2)</script>'
    ident["report"] = {k: _HOSTILE for k in ("office", "phone", "email", "address")}
    html = env.get_template("partials/copyright.html").render(config={"extra": {"identity": ident}, "theme": {"language": "zh"}})
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="https://example.org/&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in html
    source = (_REPO / "overrides" / "main.html").read_text(encoding="utf-8")
    block = source[source.index("{%- autoescape true %}") : source.index("{%- endautoescape %}")]
    for field in ("id.name", "article_title", "pub", "source"):
        assert "{{ " + field in block or field in block


def test_templates_mark_no_data_value_safe_and_quote_attributes_with_double_quotes():
    """模板里不用 |safe 放行数据值；属性一律用双引号写（escape_value 不转义单引号）。"""
    problems = []
    for path in sorted((_REPO / "overrides").rglob("*")):
        if path.suffix not in (".html", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(_REPO).as_posix()
        if _re.search(r"\|\s*safe\b", text):
            problems.append(f"{rel}: |safe")
        if _re.search(r"=\s*'[^']*\{\{", text):
            problems.append(f"{rel}: 单引号属性中有 {{{{ }}}}")
    assert problems == []


def test_strip_page_alternates_drops_feed_links_only_when_asked():
    from studycol.render import strip_page_alternates

    feed = '<link rel="alternate" type="application/rss+xml" title="RSS 订阅" href="../feed_rss_created.xml">'
    page = f'<head>\n  <title>t</title>\n  {feed}\n  <link rel="alternate" href="../en/" hreflang="en">\n</head><body>{feed}</body>'
    assert strip_page_alternates(page) == f'<head>\n  <title>t</title>\n  {feed}\n</head><body>{feed}</body>'
    assert strip_page_alternates(page, feeds=True) == f'<head>\n  <title>t</title>\n</head><body>{feed}</body>'
