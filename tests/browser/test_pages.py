"""浏览器测试：每个页面只向本站请求资源、无控制台错误；窄屏不横向滚动；通知打印成 A4 公文。"""

from __future__ import annotations

import io
from collections import Counter
import unicodedata
from pathlib import Path

import pytest

from helpers import html_pages, serve

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def site_url(built_site: Path):
    with serve(built_site) as url:
        yield url


def _visit(browser, url: str, path: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    foreign: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(url) and not r.url.startswith("data:") else None)
    page.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url + path, wait_until="networkidle")
    return page, foreign, errors


def test_every_page_local_only_and_no_console_errors(browser, built_site: Path, site_url: str):
    pages = html_pages(built_site)
    assert len(pages) >= 8
    problems = []
    for file in pages:
        path = file.relative_to(built_site).as_posix()
        page, foreign, errors = _visit(browser, site_url, path)
        if foreign:
            problems.append(f"{path}: 外部请求 {foreign}")
        if errors:
            problems.append(f"{path}: {errors}")
        page.close()
    assert problems == []


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("path", ["", "notice/", "about/", "guide/"])
def test_no_horizontal_scroll_on_phones(browser, site_url: str, path: str, width: int):
    page, _, _ = _visit(browser, site_url, path, width=width)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.close()
    assert overflow <= 0, f"{path or '首页'} 在 {width}px 宽度下横向溢出 {overflow}px"


def test_notice_prints_as_a4_official_document(browser, site_url: str, tmp_path: Path):
    from pypdf import PdfReader

    page, _, _ = _visit(browser, site_url, "notice/")
    page.emulate_media(media="print")
    styles = page.evaluate(
        """() => {
          const visible = s => { const e = document.querySelector(s); return !!e && getComputedStyle(e).display !== 'none'; };
          const mark = getComputedStyle(document.querySelector('.gw-mark'));
          const body = getComputedStyle(document.querySelector('.gw-p'));
          const rule = getComputedStyle(document.querySelector('.gw-redline'));
          return {header: visible('.md-header'), sidebar: visible('.md-sidebar--primary'),
                  toc: visible('.md-sidebar--secondary'), footer: visible('.md-footer'),
                  collation: visible('#collation'), markColor: mark.color, ruleColor: rule.borderTopColor,
                  bodyFont: body.fontFamily, bodySize: parseFloat(body.fontSize)};
        }"""
    )
    assert not styles["header"] and not styles["sidebar"] and not styles["toc"] and not styles["footer"]
    assert not styles["collation"]
    assert styles["markColor"] == "rgb(192, 0, 0)" and styles["ruleColor"] == "rgb(192, 0, 0)"
    assert "FangSong" in styles["bodyFont"]
    # 156 mm / 28 ≈ 21.06 px（约 15.8 pt，三号字）
    assert 20.5 < styles["bodySize"] < 21.5
    pdf_bytes = page.pdf(prefer_css_page_size=True, print_background=True)
    page.close()
    reader = PdfReader(io.BytesIO(pdf_bytes))
    box = reader.pages[0].mediabox
    width_mm, height_mm = float(box.width) / 72 * 25.4, float(box.height) / 72 * 25.4
    assert abs(width_mm - 210) < 1 and abs(height_mm - 297) < 1
    text = "".join(p.extract_text() for p in reader.pages)
    compact = unicodedata.normalize("NFKC", "".join(text.split()))  # PDF 中的康熙部首字形还原为常用字
    assert "国家矿山安全监察局文件" in compact and "矿安〔2024〕2号" in compact
    assert "确保《硬措施》刚性执行" in compact
    for chrome in ("搜索", "目录", "校勘记", "下一页", "编辑指南"):
        assert chrome not in compact, f"打印稿中出现了网站元素“{chrome}”"
    assert "—1—" in compact  # 页码
    # 版心网格：满页正文约 22 行、每行 28 字（GB/T 9704）
    page2 = [unicodedata.normalize("NFKC", ln.strip()) for ln in reader.pages[1].extract_text().split("\n") if ln.strip()]
    body = [ln for ln in page2 if not ln.startswith("—")]
    assert 21 <= len(body) <= 23, f"第2页正文 {len(body)} 行"
    lengths = Counter(len(ln) for ln in body)
    assert lengths.most_common(1)[0][0] in (27, 28, 29), lengths
    (tmp_path / "notice.pdf").write_bytes(pdf_bytes)


# ---- 通知页在手机上的版式 ------------------------------------------------------------------

_NOTICE_LAYOUT = """() => {
  const range = document.createRange();
  const lineTops = el => {
    const tops = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      for (let i = 0; i < node.length; i++) {
        if (!node.data[i].trim()) continue;
        range.setStart(node, i); range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        if (box.width > 0) tops.push(Math.round(box.top));
      }
    }
    return tops;
  };
  const lines = el => new Set(lineTops(el)).size;
  const box = s => document.querySelector(s).getBoundingClientRect();
  const mark = document.querySelector('.gw-mark');
  const title = lineTops(document.querySelector('.gw-title'));
  const last = Math.max(...title);
  const office = box('.gw-printing-office'), date = box('.gw-print-date');
  const dates = Array.from(document.querySelectorAll('.column-dates__item'), e => Math.round(e.getBoundingClientRect().left));
  return {
    markLines: lines(mark), markOverflow: mark.scrollWidth - mark.clientWidth,
    titleLastLine: title.filter(t => t === last).length,
    officeDateOverlap: !(office.bottom <= date.top + 1 || office.right <= date.left + 1),
    dateLines: lines(document.querySelector('.gw-print-date')),
    datesStacked: dates.length === 2 && box('.column-dates__item:last-child').top > box('.column-dates__item').top,
    datesLeft: dates,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}"""


@pytest.mark.parametrize("size", ["100", "150"])
@pytest.mark.parametrize("width", [320, 375, 414])
def test_notice_head_and_banji_keep_units_whole_on_phones(browser, site_url: str, width: int, size: str):
    """版头“国家矿山安全监察局文件”在一行（“文件”不单独成行），标题末行不止一个字，
    版记的印发机关和印发日期互不穿插，发布日期和更新日期换行时左端对齐：320–414 px、标准和特大字号。"""
    import pagecheck

    page, _, _ = _visit(browser, site_url, "notice/", width=width)
    if size != "100":
        pagecheck.set_text_size(page, size)
    got = page.evaluate(_NOTICE_LAYOUT)
    page.close()
    where = f"{width}px 字号{size}%"
    assert got["markLines"] == 1 and got["markOverflow"] <= 0, f"{where}: 发文机关标志 {got}"
    assert got["titleLastLine"] >= 3, f"{where}: 标题末行只有 {got['titleLastLine']} 个字"
    assert not got["officeDateOverlap"] and got["dateLines"] == 1, f"{where}: 版记 {got}"
    if got["datesStacked"]:
        assert got["datesLeft"][0] == got["datesLeft"][1], f"{where}: 发布日期和更新日期没有对齐 {got['datesLeft']}"
    assert got["overflow"] <= 0, f"{where}: 横向溢出 {got['overflow']}px"


_COLLATION = """() => {
  const area = document.querySelector('#collation + .gw-screen-only');
  const tables = Array.from(area.querySelectorAll('table'));
  const main = tables[0];
  const rows = Array.from(main.querySelectorAll('tbody tr'));
  const width = main.getBoundingClientRect().width;
  const scrolls = Array.from(area.querySelectorAll('.column-table, .md-typeset__scrollwrap'))
    .map(e => e.scrollWidth - e.clientWidth);
  const why = rows.map(r => r.cells[r.cells.length - 1].getBoundingClientRect().width / width);
  // 一行中最高的单元格与这一行的高度之比：表格版式下，被挤窄的长单元格把整行撑高，别的格子下面全是空白
  const heights = rows.map(r => r.getBoundingClientRect().height);
  // 项目名由样式表写在值的前面（::before / ::after），不在 innerText 中
  const gen = (c, which) => { const v = getComputedStyle(c, which).content; return v && v !== 'none' && v !== 'normal' ? v.replace(/^"|"$/g, '') : ''; };
  const text = Array.from(rows[0].cells, c => gen(c, '::before') + c.innerText.trim() + gen(c, '::after')).join(' ');
  return {display: getComputedStyle(main).display, scrolls, minWhy: Math.min(...why), maxRow: Math.max(...heights),
          head: getComputedStyle(main.querySelector('thead')).position, firstRow: text, rows: rows.length};
}"""


@pytest.mark.parametrize("width", [320, 375])
def test_collation_reads_as_stacked_rows_on_phones(browser, site_url: str, width: int):
    page, _, _ = _visit(browser, site_url, "notice/", width=width)
    got = page.evaluate(_COLLATION)
    page.close()
    assert got["rows"] >= 10
    assert got["display"] == "block" and got["head"] == "absolute"
    assert max(got["scrolls"]) <= 0, f"校勘记在 {width}px 下左右滚动：{got['scrolls']}"
    assert got["minWhy"] > 0.9, "理由应占满一行"
    assert got["maxRow"] < 400, f"最高的一条 {got['maxRow']}px"
    assert "底本：" in got["firstRow"] and "发布稿：" in got["firstRow"] and "共3处" in got["firstRow"]


def test_collation_is_a_table_on_wide_screens(browser, site_url: str):
    page, _, _ = _visit(browser, site_url, "notice/", width=1366)
    got = page.evaluate(_COLLATION)
    page.close()
    assert got["display"] != "block" and got["head"] == "static"
    assert "底本：" not in got["firstRow"]
