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
