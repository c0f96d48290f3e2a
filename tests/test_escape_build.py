"""issue 18，“漏过去的”第 1 项：front matter 和数据文件中的值一律由模板转义，显示为文字，不会变成页面上的元素。

一次构建带两份恶意的案例文件（虚构内容，只在测试中使用）：企业名称里写 <script>，另一份写 <meta http-equiv="refresh">；
事故后果、违法违规行为和启示里也写了标记。构建应当成功（这些是文字，不是 HTML），生成的页面把它们显示为文字，
响应头里也没有为它们计算哈希。
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site
from studycol import csp

pytestmark = [pytest.mark.slow]

FIX = REPO / "tests" / "fixtures" / "hostile"


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hostile")
    src = copy_site(root / "src")
    for name in ("2024-shili-jiaoben.md", "2024-shili-tiaozhuan.md"):
        shutil.copy(FIX / name, src / "docs" / "cases" / name)
    out = root / "site"
    return out, build(src, out)


@pytest.fixture()
def hostile_site(hostile_build) -> Path:
    out, result = hostile_build
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return out


def _page(site: Path, slug: str) -> str:
    return (site / "cases" / slug / "index.html").read_text(encoding="utf-8")


def test_script_in_company_is_text(hostile_site: Path):
    html = _page(hostile_site, "2024-shili-jiaoben")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;示例矿业公司" in html
    assert "window.__injected" not in re.sub(r"&lt;script&gt;window.__injected = 3&lt;/script&gt;", "", html)
    assert "&lt;img src=&#34;x.png&#34; alt=&#34;示例&#34;&gt;" in html
    assert '<img src="x.png"' not in html and '<b class="x">' not in html
    assert "&lt;b class=&#34;x&#34;&gt;只能显示为文字&lt;/b&gt;" in html


def test_meta_refresh_in_company_is_text(hostile_site: Path):
    html = _page(hostile_site, "2024-shili-tiaozhuan")
    assert '<meta http-equiv="refresh"' not in html
    assert "&lt;meta http-equiv=&#34;refresh&#34; content=&#34;0;url=https://example.org&#34;&gt;示例矿业公司" in html


def test_english_fallback_copies_are_escaped_too(hostile_site: Path):
    html = (hostile_site / "en" / "cases" / "2024-shili-jiaoben" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_injected_scripts_are_not_hashed_into_the_policy(hostile_site: Path):
    policy = csp.parse_nginx_snippet(csp.headers_path(hostile_site).read_text(encoding="utf-8"))["Content-Security-Policy"]
    for body in ("alert(1)", "window.__injected = 3"):
        assert csp.script_hash(body) not in policy
