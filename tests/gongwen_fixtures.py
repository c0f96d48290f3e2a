"""导入公文测试用的 .docx、.pdf 和坏文件：由虚构的 tests/fixtures/gongwen/shili-tongzhi.txt 生成到临时目录。

- .docx 用 python-docx 写：标题中用软回车换行（提取为行内换行），换页处把一段拆成两个段落，版记写成一个两列表格
  之外的普通段落；
- .pdf 用无头 Chromium 打印（Playwright 的 page.pdf）：正文仿 GB/T 9704 的版式（首行缩进两字），页脚印页码
  “— 1 —”，换页处一段的后半在新的一页顶格开始；Chromium 嵌入的字体让 PDF 文字层中的部分汉字成为康熙部首字符，这是真实 PDF 常见的损坏；
- 加密 PDF 用 pypdf 加密上面的 PDF；扫描件是只有图形、没有文字层的 PDF。
"""

from __future__ import annotations

import html
from pathlib import Path

from tests.helpers import CHROMIUM, CHROMIUM_ARGS, REPO

FIXTURES = REPO / "tests" / "fixtures" / "gongwen"
TXT = FIXTURES / "shili-tongzhi.txt"
HINTS = FIXTURES / "shili-tongzhi.hints.yml"


def blocks() -> list[str]:
    text = TXT.read_text(encoding="utf-8")
    return [b.strip() for b in text.split("\n\n") if b.strip()]


def make_docx(path: Path) -> Path:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for b in blocks():
        if b.startswith("示例市示例局关于"):
            para = document.add_paragraph()
            first, rest = b.split(" ", 1)
            para.add_run(first)
            para.add_run().add_break(WD_BREAK.LINE)
            para.add_run(rest.replace(" ", ""))
        elif b.startswith("落进行合并"):
            para = document.add_paragraph()
            para.add_run().add_break(WD_BREAK.PAGE)
            para.add_run(b)
        else:
            document.add_paragraph(b.replace("\n", ""))
    document.save(str(path))
    return path


_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 28pt; margin: 0; }
p { margin: 0; text-indent: 2em; }
.c { text-align: center; text-indent: 0; }
.mark { font-size: 30pt; line-height: 44pt; color: #c00; }
h1 { font-size: 22pt; line-height: 36pt; text-align: center; font-weight: normal; margin: 0 0 28pt; }
.flush { text-indent: 0; }
.next { break-before: page; text-indent: 0; }
.right { text-align: right; }
"""


def pdf_html() -> str:
    out = []
    for b in blocks():
        t = html.escape(b.replace("\n", ""))
        if b.endswith("文件") and not out:
            out.append(f'<p class="c mark">{t}</p>')
        elif "〔2099〕" in b:
            out.append(f'<p class="c">{t}</p>')
        elif b.startswith("示例市示例局关于"):
            first, rest = html.escape(b).split(" ", 1)
            out.append(f"<h1>{first}<br>{rest.replace(' ', '')}</h1>")
        elif b.endswith("：") and not out[-1].startswith("<p>"):
            out.append(f'<p class="flush">{t}</p>')
        elif b.startswith("落进行合并"):
            out.append(f'<p class="next">{t}</p>')
        elif b == "示例市示例局" or b.startswith("2099年1月5日"):
            out.append(f'<p class="right">{t}</p>')
        else:
            out.append(f"<p>{t}</p>")
    return f'<!doctype html><html lang="zh"><meta charset="utf-8"><style>{_CSS}</style><body>{"".join(out)}</body></html>'


# 页脚的页码仿 GB/T 9704 写成“— 1 —”：导入时它不算正文
FOOTER = '<div style="width:100%;text-align:center;font-size:10pt">— <span class="pageNumber"></span> —</div>'


_PRINT_SCRIPT = """
import json, sys
from playwright.sync_api import sync_playwright
src, out, numbers, chromium, args, footer = json.loads(sys.argv[1])
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium, args=args)
    page = browser.new_page()
    page.goto(src)
    if numbers:
        page.pdf(path=out, prefer_css_page_size=True, display_header_footer=True,
                 header_template="<span></span>", footer_template=footer)
    else:
        page.pdf(path=out, prefer_css_page_size=True)
    browser.close()
"""


def print_pdf(page_html: str, path: Path, page_numbers: bool = False) -> Path:
    """用无头 Chromium 把页面打印成 PDF。在子进程中进行：测试进程里可能已经开着 Playwright 的同步会话
    （浏览器测试的 browser 夹具），同一进程中不能再开第二个。"""
    import json
    import subprocess
    import sys

    src = path.with_suffix(".html")
    src.write_text(page_html, encoding="utf-8")
    payload = json.dumps([src.as_uri(), str(path), page_numbers, CHROMIUM, CHROMIUM_ARGS, FOOTER])
    done = subprocess.run([sys.executable, "-c", _PRINT_SCRIPT, payload], capture_output=True, text=True, timeout=120)
    src.unlink()
    if done.returncode != 0:
        raise RuntimeError("打印 PDF 夹具失败：\n" + done.stderr[-2000:])
    return path


def make_pdf(path: Path) -> Path:
    return print_pdf(pdf_html(), path, page_numbers=True)


def make_scanned_pdf(path: Path) -> Path:
    """没有文字层的 PDF：页面上只有图形（代替扫描的图像）。"""
    svg = '<svg width="400" height="300"><rect x="10" y="10" width="380" height="280" fill="#888"/></svg>'
    return print_pdf(f"<!doctype html><html><body>{svg}</body></html>", path)


def make_encrypted_pdf(source: Path, path: Path) -> Path:
    import pypdf

    reader = pypdf.PdfReader(str(source))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="shili", algorithm="RC4-128")
    with path.open("wb") as f:
        writer.write(f)
    return path
