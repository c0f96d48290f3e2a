"""坏输入：每一种损坏的投稿都必须让构建失败，并给出指明文件的清楚消息，不能出现 Python 回溯，
也不能“构建通过但悄悄丢掉或只渲染了一半的页面”。另有一项检查：源文件中的条目数等于发布出来的条目数。

用法（给其他数据类型加行）：在 BUILD_CASES 中加一行 Case(编号, 修改函数, 消息中应出现的文件名, 消息中应出现的中文)。
修改函数接收站点副本的根目录（tests/helpers.copy_site 复制出来的），在其中制造一处损坏。
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site, html_pages
from studycol import notice as notice_mod
from studycol.yamlsrc import DataError, decode_source, load_yaml_file, parse_yaml

NOTICE = "data/notice.yml"


# ---- 修改站点副本的小工具 --------------------------------------------------------------


def edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{rel} 中找不到要替换的“{old}”（夹具过时了？）"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return run


def write(rel: str, content: bytes | str, nav: str | None = None) -> Callable[[Path], None]:
    """写一个文件；nav 给出时把它加进导航（这样失败的原因只有文件本身）。"""

    def run(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        if nav:
            cfg = root / "mkdocs.yml"
            text = cfg.read_text(encoding="utf-8")
            anchor = "\nnav:\n"
            assert anchor in text
            text = text.replace(anchor, anchor + f"  - {nav}: {rel.removeprefix('docs/')!r}\n", 1)
            cfg.write_text(text, encoding="utf-8")

    return run


def transform(rel: str, fn: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        path = root / rel
        path.write_bytes(fn(path.read_bytes()))

    return run


def append(rel: str, text: str) -> Callable[[Path], None]:
    return transform(rel, lambda raw: raw + text.encode("utf-8"))


PAGE = "---\ntitle: 测试页面\n---\n\n# 测试页面 { #test-page }\n\n正文。\n"
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[Path], None]
    file: str  # 消息中应指明的文件
    message: str  # 消息中应出现的说明（中文，除非来自 MkDocs 本身）


BUILD_CASES: list[Case] = [
    # ---- 数据文件：data/notice.yml ----
    Case("yaml-syntax", edit(NOTICE, "  disclosure: 主动公开\n", "  disclosure: [主动公开\n"), NOTICE, "YAML 语法错误"),
    Case("yaml-bad-indent", edit(NOTICE, "  issuer: 国家矿山安全监察局\n", "   issuer: 国家矿山安全监察局\n"), NOTICE, "YAML 语法错误"),
    Case("wrong-type", edit(NOTICE, "    count: 13\n", "    count: 十三\n"), NOTICE, "应为整数"),
    Case("missing-field", edit(NOTICE, "  issuer: 国家矿山安全监察局\n", ""), NOTICE, "缺少必填字段"),
    Case("unknown-field", edit(NOTICE, "  disclosure: 主动公开\n", "  disclosure: 主动公开\n  disclosur: 主动公开\n"), NOTICE, "不认识的字段"),
    Case("impossible-date", edit(NOTICE, "  print_date: 2024-01-22\n", "  print_date: 2024-02-30\n"), NOTICE, "日期“2024-02-30”不存在"),
    Case("duplicate-id", edit(NOTICE, "    - id: n1-1-2\n", "    - id: n1-1-1\n"), NOTICE, "id“n1-1-1”重复"),
    Case("duplicate-key", edit(NOTICE, "  disclosure: 主动公开\n", "  disclosure: 主动公开\n  disclosure: 依申请公开\n"), NOTICE, "字段“disclosure”重复出现"),
    Case("data-bom", transform(NOTICE, lambda raw: b"\xef\xbb\xbf" + raw), NOTICE, "BOM"),
    Case("data-crlf", transform(NOTICE, lambda raw: raw.replace(b"\n", b"\r\n")), NOTICE, "CRLF"),
    Case("data-not-utf8", transform(NOTICE, lambda raw: raw.decode("utf-8").encode("gb18030")), NOTICE, "不是 UTF-8 编码"),
    Case("data-empty", write(NOTICE, b""), NOTICE, "数据文件是空的"),
    Case("data-huge", append(NOTICE, "# " + "很长的注释" * 300_000 + "\n"), NOTICE, "文件过大"),
    Case("data-alias-bomb", write("data/bomb.yml", ALIAS_BOMB), "data/bomb.yml", "锚点和别名"),
    Case("data-name-space", write("data/my data.yml", "a: 1\n"), "data/my data.yml", "含有空格"),
    Case("data-name-chinese", write("data/任务清单.yml", "a: 1\n"), "data/任务清单.yml", "含有汉字"),
    Case("data-script-in-text", write("data/extra.yml", "note: 说明<script>alert(1)</script>\n"), "data/extra.yml", "内联脚本"),
    Case("data-js-url", write("data/links.yml", "url: javascript:alert(1)\n"), "data/links.yml", "javascript:"),
    # ---- 部署单位信息：mkdocs.yml extra.column ----
    Case("unknown-province", edit("mkdocs.yml", "    region: 全国", "    region: 山西"), "mkdocs.yml", "不是省级行政区全称"),
    Case("config-unknown-key", edit("mkdocs.yml", "    region: 全国", "    regoin: 全国"), "mkdocs.yml", "不认识的配置项"),
    Case("config-wrong-type", edit("mkdocs.yml", "    region: 全国", "    region: [山西省]"), "mkdocs.yml", "应为文本"),
    # ---- 页面：编码、文件名、空页面、front matter、体积 ----
    Case("page-bom", write("docs/bom-page.md", b"\xef\xbb\xbf" + PAGE.encode(), nav="测试"), "docs/bom-page.md", "BOM"),
    Case("page-crlf", write("docs/crlf-page.md", PAGE.replace("\n", "\r\n"), nav="测试"), "docs/crlf-page.md", "CRLF"),
    Case("page-not-utf8", write("docs/gbk-page.md", PAGE.encode("gbk"), nav="测试"), "docs/gbk-page.md", "不是 UTF-8 编码"),
    Case("page-empty", write("docs/empty-page.md", b"", nav="测试"), "docs/empty-page.md", "页面没有正文"),
    Case("page-front-matter", write("docs/fm-page.md", PAGE.replace("title: 测试页面", "title: [测试页面"), nav="测试"), "docs/fm-page.md", "front matter 的 YAML 语法错误"),
    Case("page-name-space", write("docs/my page.md", PAGE, nav="测试"), "docs/my page.md", "含有空格"),
    Case("page-name-chinese", write("docs/典型案例.md", PAGE, nav="测试"), "docs/典型案例.md", "含有汉字"),
    Case("page-name-upper", write("docs/About-Us.md", PAGE, nav="测试"), "docs/About-Us.md", "含有大写字母"),
    Case("page-huge", write("docs/huge-page.md", PAGE + ("很长的正文。" * 70_000) + "\n", nav="测试"), "docs/huge-page.md", "页面过大"),
    Case("page-not-in-nav", write("docs/orphan.md", PAGE), "orphan.md", "not included in the \"nav\""),
    # ---- 页面：引用 ----
    Case("broken-link", append("docs/about.md", "\n见[不存在的页面](missing.md)。\n"), "about.md", "missing.md"),
    Case("broken-anchor", append("docs/about.md", "\n见[通知](notice/index.md#n9-9-9)。\n"), "about.md", "n9-9-9"),
    Case("broken-xref", append("docs/about.md", "\n见[[n9-9-9]]。\n"), "about.md", "找不到目标"),
    Case("ambiguous-xref", append("docs/about.md", "\n见[[identity]]。\n"), "about.md", "有歧义"),
    Case("duplicate-heading-id", append("docs/about.md", "\n## 甲 { #dup-x }\n\n甲。\n\n## 乙 { #dup-x }\n\n乙。\n"), "docs/about.md", "同一个 id“dup-x”"),
    Case("unknown-marker", append("docs/about.md", "\n<!-- column:nope -->\n"), "about.md", "未知的标记“column:nope”"),
    Case("unknown-lint-marker", append("docs/about.md", "\n<!-- lint:nope -->\n"), "about.md", "未知的标记“lint:nope”"),
    # ---- 页面：主动内容 ----
    Case("page-script", append("docs/about.md", "\n<script>alert(1)</script>\n"), "docs/about.md", "内联脚本"),
    Case("page-js-link", append("docs/about.md", "\n[点我](javascript:alert(1))\n"), "docs/about.md", "javascript:"),
    Case("page-hotlink", append("docs/about.md", "\n![图](https://example.com/a.png)\n"), "docs/about.md", "盗链"),
    Case("page-attr-handler", append("docs/about.md", "\n一段文字。\n{ onclick=\"alert(1)\" }\n"), "docs/about.md", "事件属性"),
]


@pytest.mark.slow
@pytest.mark.parametrize("case", BUILD_CASES, ids=lambda c: c.id)
def test_bad_input_fails_the_build_with_a_clear_message(case: Case, tmp_path: Path):
    src = copy_site(tmp_path / "src")
    case.mutate(src)
    result = build(src, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"{case.id}：构建居然通过了\n{output[-3000:]}"
    assert "Traceback" not in output, f"{case.id}：出现了 Python 回溯\n{output[-3000:]}"
    problems = [ln for ln in output.splitlines() if ln.startswith(("WARNING", "ERROR")) or "：" in ln]
    assert case.file in output, f"{case.id}：消息没有指明文件 {case.file}\n" + "\n".join(problems[-20:])
    assert case.message in output, f"{case.id}：消息中没有“{case.message}”\n" + "\n".join(problems[-20:])


def test_there_are_at_least_30_bad_inputs():
    assert len(BUILD_CASES) + len(LOADER_CASES) >= 30
    assert len({c.id for c in BUILD_CASES}) == len(BUILD_CASES)


# ---- 通用 YAML 读取器（studycol/yamlsrc.py）：不构建站点 ------------------------------------------

LOADER_CASES: list[tuple[str, bytes, int, str]] = [
    ("syntax", "a: [1, 2\nb: 3\n".encode(), 2, "YAML 语法错误"),
    ("tab-indent", "a:\n\t- 1\n".encode(), 2, "YAML 语法错误"),
    ("unclosed-quote", 'a: "未闭合\nb: 1\n'.encode(), 3, "YAML 语法错误"),
    ("duplicate-key", "a: 1\nb: 2\na: 3\n".encode(), 3, "字段“a”重复出现（第一次在第 1 行）"),
    ("nested-duplicate-key", "x:\n  a: 1\n  a: 2\n".encode(), 3, "字段“a”重复出现"),
    ("empty", b"", 1, "内容为空"),
    ("only-comments", "# 只有注释\n".encode(), 1, "内容为空"),
    ("not-utf8", "a: 中文\nb: 乱码\n".encode("gbk"), 1, "不是 UTF-8 编码"),
    ("not-utf8-line-2", "a: 1\nb: 乱码\n".encode("gbk"), 2, "不是 UTF-8 编码"),
    ("impossible-date", "a: 1\nd: 2024-02-30\n".encode(), 2, "日期“2024-02-30”不存在"),
]


@pytest.mark.parametrize(("name", "raw", "line", "message"), LOADER_CASES, ids=[c[0] for c in LOADER_CASES])
def test_loader_reports_file_line_and_reason(name: str, raw: bytes, line: int, message: str, tmp_path: Path):
    path = tmp_path / "data.yml"
    path.write_bytes(raw)
    with pytest.raises(DataError) as info:
        load_yaml_file(path, "data/tasks.yml")
    first = info.value.errors[0]
    assert first.path == "data/tasks.yml" and first.line == line, str(info.value)
    assert message in first.message, str(info.value)
    assert str(first).startswith(f"data/tasks.yml:{line}: ")


def test_loader_normalises_bom_and_crlf_without_shifting_lines():
    """读取器本身接受 BOM 和 CRLF（构建时由 studycol/steps/safety.py 另行拒绝，让编辑用 make fix 修正）。"""
    text = decode_source(b"\xef\xbb\xbfa: 1\r\nb: [1,\r\n", "data/x.yml")
    assert text == "a: 1\nb: [1,\n"
    with pytest.raises(DataError) as info:
        parse_yaml(text, "data/x.yml")
    assert info.value.errors[0].line == 3


# ---- 条目数：源文件 = 发布 --------------------------------------------------------------------


def _source_pages(docs: Path) -> set[str]:
    """docs/ 中每个 Markdown 页面（不含翻译后缀文件）应当发布到的地址。"""
    out: set[str] = set()
    for md in docs.rglob("*.md"):
        rel = md.relative_to(docs)
        if any(part.startswith((".", "_")) for part in rel.parts) or re.search(r"\.[a-z]{2}\.md$", md.name):
            continue
        stem = rel.with_suffix("")
        url = (stem.parent if stem.name == "index" else stem).as_posix()
        out.add("" if url == "." else url + "/")
    return out


def _published_pages(site: Path, prefix: str = "") -> set[str]:
    base = site / prefix if prefix else site
    out: set[str] = set()
    for page in html_pages(base):
        rel = page.relative_to(base).as_posix()
        if not prefix and rel.startswith("en/"):
            continue
        out.add(rel.removesuffix("index.html"))
    return out


def _notice_sentences_in_data() -> set[str]:
    n = notice_mod.load_notice(REPO / NOTICE)
    return {s.id for _, para in n.paragraphs() for s in para.sentences}


def _notice_sentences_on_page(site: Path) -> set[str]:
    html = (site / "notice" / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'\bid="(n\d+-\d+-\d+)"', html))


# 每一行：(名称, 源文件中的条目, 发布出来的条目)。新的数据类型（案例、题目、任务、术语）在这里加一行。
PUBLISHED_COUNTS: list[tuple[str, Callable[[], set[str]], Callable[[Path], set[str]]]] = [
    ("docs 页面（中文）", lambda: _source_pages(REPO / "docs"), lambda site: _published_pages(site)),
    ("docs 页面（英文版，含回退）", lambda: _source_pages(REPO / "docs"), lambda site: _published_pages(site, "en")),
    ("通知句子", _notice_sentences_in_data, _notice_sentences_on_page),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "source", "published"), PUBLISHED_COUNTS, ids=[r[0] for r in PUBLISHED_COUNTS])
def test_every_source_entry_is_published(name, source, published, built_site: Path):
    want, got = source(), published(built_site)
    assert want, f"{name}：源文件中一条都没有？"
    assert len(got) == len(want) and got == want, (
        f"{name}：源文件 {len(want)} 条，发布 {len(got)} 条；"
        f"未发布：{sorted(want - got)}；多出：{sorted(got - want)}"
    )
