"""端到端：虚构公文（示例市示例局）从 .txt、.docx、.pdf 各导入一份，在测试站点中构建成页面。

一次构建检查：每份公文的页面有版头、各级编号（段落、句子带 id 和引用标签）、署名和版记、元数据和校勘记；
另一页用 [[编号]] 引用导入的句子，链接落在句子上；相关文件登记表链接到导入的页面。测试站点在临时目录中，
虚构文件不进入仓库的 docs/ 和 data/。
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from studycol import importer
from tests import gongwen_fixtures as F
from tests.helpers import build, copy_site

pytestmark = [pytest.mark.slow, pytest.mark.browser]

DOCS = {"doc-shili-txt": "shilit", "doc-shili-docx": "shilid", "doc-shili-pdf": "shilip"}
PDF_RADICALS = """  - received: "\\u2eec"
    published: 齐
    kind: 部首字
    why: 测试数据：PDF 文字层中的部首补充字符，按字形恢复为“齐”。
  - received: "\\u2eda"
    published: 页
    kind: 部首字
    why: 测试数据：PDF 文字层中的部首补充字符，按字形恢复为“页”。
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site(tmp_path_factory.mktemp("gongwen-site") / "src")
    work = root.parent
    sources = {"doc-shili-txt": F.TXT, "doc-shili-docx": F.make_docx(work / "来件.docx"), "doc-shili-pdf": F.make_pdf(work / "来件.pdf")}
    hints_text = F.HINTS.read_text(encoding="utf-8")
    for doc_id, prefix in DOCS.items():
        # PDF 另有两个部首补充字符要登记修复（见 test_importer.py 的 PDF_RADICALS）
        hints = hints_text.replace("repairs:\n", "repairs:\n" + PDF_RADICALS, 1) if doc_id.endswith("pdf") else hints_text
        (root / "data" / "gongwen" / "hints").mkdir(parents=True, exist_ok=True)
        (root / "data" / "gongwen" / "hints" / f"{doc_id}.yml").write_text(hints, encoding="utf-8")
        assert importer.main([str(sources[doc_id]), "--id", doc_id, "--prefix", prefix, "--root", str(root)]) == 0
        page = root / "docs" / "gongwen" / f"{doc_id}.md"
        page.parent.mkdir(exist_ok=True)
        page.write_text(f"---\ntitle: 示例通知（{doc_id[-4:].strip('-')}）\n---\n\n<!-- column:gongwen {doc_id} -->\n", encoding="utf-8")
    # 为《硬措施》保留的编号：导入（这里用虚构文件代替）后，《硬措施》页显示全文
    (root / "data" / "gongwen" / "hints" / "doc-yingcuoshi.yml").write_text(hints_text, encoding="utf-8")
    assert importer.main([str(F.TXT), "--id", "doc-yingcuoshi", "--prefix", "shiliy", "--root", str(root)]) == 0
    # 登记表：导入的文件链接到它的页面
    registry = root / "data" / "documents.yml"
    registry.write_text(registry.read_text(encoding="utf-8") + """
  - id: doc-shili-txt
    short: 示例通知（测试数据）
    title: 示例市示例局关于开展示例工作的通知（测试用虚构文件）
    issuer: 示例市示例局
    doc_number: 示例〔2099〕1号
    page: gongwen/doc-shili-txt.md
    confidence: 单源
    sources:
      - title: 测试用虚构文件
""", encoding="utf-8")
    (root / "docs" / "gongwen" / "cite.md").write_text(
        "---\ntitle: 引用示例\n---\n\n# 引用示例\n\n依据[[shilit2-3-2]]，见[[shilid1-2|基本原则]]和[[shilip2]]。\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("not_in_nav: |\n  /cases/**\n", "not_in_nav: |\n  /cases/**\n  /gongwen/**\n", 1), encoding="utf-8")
    out = work / "site"
    result = build(root, out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stderr, result.stderr[-3000:]
    return out


def _page(site: Path, doc_id: str) -> LexborHTMLParser:
    return LexborHTMLParser((site / "gongwen" / doc_id / "index.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("doc_id", list(DOCS))
def test_each_format_builds_into_a_page(site: Path, doc_id: str) -> None:
    prefix = DOCS[doc_id]
    tree = _page(site, doc_id)
    assert tree.css_first(".gw-mark").text() == "示例市示例局文件"
    assert tree.css_first(".gw-docno").text(deep=True).endswith("示例〔2099〕1号")
    assert tree.css_first("h1.gw-title").text(deep=True).rstrip("¶") == "示例市示例局关于开展示例工作的通知（测试用虚构文件）"
    sent = tree.css_first(f"#{prefix}2-3-2")
    assert sent is not None and sent.text() == "要检查标题、正文层次和版记是否齐全，对换页处被拆开的段落进行合并。"
    assert sent.attributes["data-xref-label"] == "示例〔2099〕1号第二部分第3段第2句"
    para = tree.css_first(f"#{prefix}2-4")
    assert "gw-lv4" in (para.attributes.get("class") or "") and para.css_first(".gw-no").text() == "（1）"
    assert tree.css_first(f"h2#{prefix}1").text(deep=True).startswith("一、总体要求")
    assert [p.text() for p in tree.css(".gw-attachment")] == ["附件：1．示例工作安排表", "2．示例联系人名单"]
    assert tree.css_first(".gw-signature").text() == "示例市示例局" and tree.css_first(".gw-date").text() == "2099年1月5日"
    assert tree.css_first(".gw-disclosure").text() == "（信息公开形式：主动公开）"
    assert tree.css_first(".gw-cc").text() == "抄送：示例市示例办公室，示例市另一局。"
    assert tree.css_first(".gw-print-date").text() == "2099年1月6日印发"
    collation = tree.css_first(f"#{prefix}-collation + .gw-screen-only")
    assert collation is not None and "断段" in collation.text() and "外文误入" in collation.text()
    if doc_id.endswith("pdf"):
        assert "部首字" in collation.text()
    # 公文打印样式在这页加载（与通知原文页相同的 gongwen.css）
    assert any("gongwen" in (link.attributes.get("href") or "") for link in tree.css("link[rel=stylesheet]"))


def test_citations_land_on_imported_sentences(site: Path) -> None:
    html = (site / "gongwen" / "cite" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]*#(?:shilit2-3-2|shilid1-2|shilip2))"', html)
    assert sorted(h.rsplit("#", 1)[1] for h in hrefs) == ["shilid1-2", "shilip2", "shilit2-3-2"], hrefs
    assert "示例〔2099〕1号第二部分第3段第2句" in html


def test_cited_paragraph_shows_backlinks(site: Path) -> None:
    tree = _page(site, "doc-shili-txt")
    html = tree.html or ""
    after = html[html.index('id="shilit2-3"'):]
    after = after[: after.index('id="shilit2-4"')]
    assert "cite/" in after, after[:1500]  # 被 cite.md 引用的段落后面有“引用”开关，指回引用的页面
    uncited = html[html.index('id="shilit2-4"'):]
    assert "cite/" not in uncited[: uncited.index('id="shilit2-5"')]


def test_register_links_the_imported_page(site: Path) -> None:
    html = (site / "documents" / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="doc-shili-txt"'):]
    assert re.search(r'href="\.\./gongwen/doc-shili-txt/"', section[:4000]), section[:2000]


def test_search_entries_land_on_sentences(site: Path) -> None:
    parts = "".join(p.read_text(encoding="utf-8") for p in sorted((site / "search").glob("part-*.js")))
    # 句子是搜索条目本身（地址带句子编号），或是段落条目中的锚点：点开结果都落在句子上
    for sid in ("shilit2-3-2", "shilid1-2-2", "shilip3-1-1"):
        assert f"#{sid}\"" in parts or f"\"{sid}\"" in parts, sid


def test_english_fallback_page_exists(site: Path) -> None:
    # 导入的公文没有英文译本：英文版回退显示中文原文，编号相同，引用照样落在句子上
    html = (site / "en" / "gongwen" / "doc-shili-txt" / "index.html").read_text(encoding="utf-8")
    assert 'id="shilit2-3-2"' in html


def test_the_reserved_hard_measures_id_shows_its_text_on_its_page(site: Path) -> None:
    page = LexborHTMLParser((site / "yingcuoshi" / "index.html").read_text(encoding="utf-8"))
    text = page.body.text() if page.body else ""
    assert "正式文本尚未收入本栏目" not in text
    assert page.css_first("#yc-text") is not None and page.css_first('[id="shiliy2-1-1"]') is not None
    # 没有导入的站点（仓库本身）仍如实说明正式文本尚未收入
    from studycol import render

    assert render._hard_measures_context({"gongwen": {}}) == {"imported": False}
