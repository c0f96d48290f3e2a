"""英文版：译本与原文结构一致、英文标签、回退提示、语言切换停留在同一页面、翻译状态页。"""

from __future__ import annotations

import datetime as dt
import html as html_mod
import re
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site
from studycol import notice as nm
from studycol import translations


@pytest.fixture(scope="module")
def zh() -> nm.Notice:
    return nm.load_notice(REPO / "data" / "notice.yml")


@pytest.fixture(scope="module")
def en() -> nm.EnNotice:
    return nm.load_notice_en(REPO / "data" / "notice.en.yml")


def test_translation_matches_structure(zh, en):
    assert nm.translation_problems(zh, en) == []


def test_translation_problems_detected(zh, en):
    data = en.model_dump()
    part = data["parts"][4]
    part["sentences"].pop("n4-1-3")
    part["sentences"]["n4-1-9"] = "Extra."
    data["parts"][1]["title"] = None
    problems = nm.translation_problems(zh, nm.EnNotice.model_validate(data))
    text = "；".join(problems)
    assert "缺少 n4-1-3" in text and "多出 n4-1-9" in text and "部分 n1 有标题" in text


def test_english_labels(zh, en):
    labels = {t.id: t for t in nm.targets_en(zh, en)}
    assert labels["n4-1-2"].label == "Notice, Part IV, para. 1, sentence 2"
    assert labels["n4-1-2"].text.startswith("Major hidden hazards shall be closely watched")
    assert labels["n0-1"].label == "Notice, Preamble"


def test_no_chinese_left_in_translation(en):
    for part in en.parts:
        for sid, text in part.sentences.items():
            assert not re.search(r"[\u4e00-\u9fff]", text), sid


def test_translation_status_states():
    import datetime as dt

    pages = {
        "a.md": ("甲", {}),
        "a.en.md": ("A", {"translated_from": dt.date(2026, 1, 1)}),
        "b.md": ("乙", {}),
        "c.md": ("丙", {}),
        "c.en.md": ("C", {}),
    }
    dates = {"a.md": dt.date(2026, 2, 1), "b.md": dt.date(2026, 1, 1), "c.md": dt.date(2026, 1, 1), "c.en.md": dt.date(2026, 3, 1)}
    rows = {r.source: r.state for r in translations.statuses(pages, dates.get)}
    assert rows == {"a.md": "outdated", "b.md": "untranslated", "c.md": "current"}


@pytest.mark.slow
def test_english_pages_built(built_site: Path):
    notice = (built_site / "en" / "notice" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in notice
    assert "Unofficial translation" in notice and "The Chinese original prevails" in notice
    zh = nm.load_notice(REPO / "data" / "notice.yml")
    for target in nm.targets(zh):
        assert f'id="{target.id}"' in notice, target.id
    assert "Major hidden hazards shall be closely watched" in notice
    # 英文首页上的引用用英文标签
    home = (built_site / "en" / "index.html").read_text(encoding="utf-8")
    assert ">Notice, Part II, para. 1, sentence 5</a>" in home
    # 未翻译的页面：显示中文原文，并有英文提示
    guide = (built_site / "en" / "guide" / "index.html").read_text(encoding="utf-8")
    assert "has not been translated into English yet" in guide and "编辑指南" in guide
    assert "has not been translated" not in notice
    # 语言菜单指向同一页面的另一语言版本
    assert re.search(r'href="\.\./\.\./notice/"[^>]*hreflang="zh"|hreflang="zh"[^>]*href="\.\./\.\./notice/"', notice)
    zh_notice = (built_site / "notice" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./en/notice/"[^>]*hreflang="en"|hreflang="en"[^>]*href="\.\./en/notice/"', zh_notice)


@pytest.mark.slow
def test_translation_status_page(built_site: Path):
    html = (built_site / "translations" / "index.html").read_text(encoding="utf-8")
    assert "notice/index.en.md" in html and "已翻译" in html and "未翻译" in html


@pytest.mark.slow
def test_broken_translation_fails_build(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    data = src / "data" / "notice.en.yml"
    text = data.read_text(encoding="utf-8").replace("      n4-1-2: >-", "      n4-1-7: >-", 1)
    data.write_text(text, encoding="utf-8")
    result = build(src, tmp_path / "out")
    assert result.returncode != 0
    assert "data/notice.en.yml 与 data/notice.yml 的结构不一致" in result.stderr and "缺少 n4-1-2" in result.stderr


# ---- 译出的页面：《硬措施》、解读要点、术语 ------------------------------------------------

TRANSLATED = ("yingcuoshi", "jiedu", "glossary")
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_RE = re.compile(r"[A-Za-z]")
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Prose:
    """页面正文（<article>）中给读者看的文字：不含标为中文（lang="zh"）的元素、引用和术语的悬停预览、代码和脚本。"""

    def __init__(self, html: str) -> None:
        from html.parser import HTMLParser

        outer = self
        self.parts: list[str] = []

        class Parser(HTMLParser):
            def __init__(self) -> None:
                super().__init__(convert_charrefs=True)
                self.stack: list[tuple[str, bool]] = []
                self.skip = 0
                self.article = 0

            def handle_starttag(self, tag, attrs):
                if tag in VOID_TAGS:
                    return
                a = dict(attrs)
                classes = (a.get("class") or "").split()
                skip = (
                    (a.get("lang") or "").startswith("zh")
                    or "xref-tip" in classes
                    or "headerlink" in classes
                    or tag in ("code", "script", "style", "svg")
                )
                self.article += tag == "article"
                self.stack.append((tag, skip))
                self.skip += skip

            def handle_endtag(self, tag):
                for k in range(len(self.stack) - 1, -1, -1):
                    if self.stack[k][0] == tag:
                        self.skip -= sum(s for _, s in self.stack[k:])
                        self.article -= sum(t == "article" for t, _ in self.stack[k:])
                        del self.stack[k:]
                        break

            def handle_data(self, data):
                if self.article and not self.skip:
                    outer.parts.append(data)

        # <html lang="en"> 本身不算；只看正文里的元素
        Parser().feed(re.sub(r"<html\b[^>]*>", "<html>", html, count=1))

    @property
    def text(self) -> str:
        return "".join(self.parts)


def han_share(html: str) -> float:
    """正文中未标为中文的汉字占全部字母（汉字加拉丁字母）的比例。"""
    text = _Prose(html).text
    han, latin = len(HAN_RE.findall(text)), len(LATIN_RE.findall(text))
    return han / max(han + latin, 1)


def test_han_share_counts_only_unmarked_chinese_prose():
    page = (
        '<html lang="en"><body><p>outside 中文</p><article><h1>Title<a class="headerlink">¶</a></h1>'
        '<p>Hard Measures (<span lang="zh">《硬措施》</span>) and <code>安委</code>'
        '<span class="xref-tip"><span>通知第四部分</span></span></p></article></body></html>'
    )
    assert han_share(page) == 0
    assert han_share(page.replace("and <code>", "and 一二三四 <code>")) == pytest.approx(4 / (4 + 20))  # Title、Hard Measures、and 共 20 个字母


def _ids(html: str) -> set[str]:
    """正文中的标题编号和带编号的元素（引用目标）。"""
    article = re.search(r"<article\b.*?</article>", html, re.S).group(0)
    return set(re.findall(r'<(?:h[1-6]|li|div|p|span)\b[^>]*\sid="([^"]+)"', article)) - {
        i for i in re.findall(r'id="((?:xref|gl)-tip-\d+)"', article)
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", TRANSLATED)
def test_translated_pages_are_english_with_the_chinese_ids(built_site: Path, name: str):
    en = (built_site / "en" / name / "index.html").read_text(encoding="utf-8")
    zh = (built_site / name / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in en
    # 标明是非官方译文、以中文为准，不是“尚未翻译”的回退页面
    assert "Unofficial translation" in en and "prevails" in en
    assert "has not been translated into English yet" not in en
    # 标题和引用目标的编号与中文页面相同：链接和引用在两种语言中指向同一处
    zh_ids, en_ids = _ids(zh), _ids(en)
    assert len(zh_ids) > 5 and zh_ids - en_ids == set(), sorted(zh_ids - en_ids)
    # 没有留下未译的中文：正文里未标为中文的汉字不到字母总数的 1%（回退显示中文的页面远高于此）
    assert han_share(en) < 0.01, _Prose(en).text[:500]
    assert han_share((built_site / "en" / "tasks" / "index.html").read_text(encoding="utf-8")) > 0.5
    # 标为中文的只是引用的术语和标题：不超过字母总数的 5%
    assert han_share(en.replace(' lang="zh"', "")) < 0.05
    # 语言菜单指向另一语言的同一页面
    assert re.search(rf'<a href="\.\./\.\./{name}/"[^>]*hreflang="zh"', en), name
    assert re.search(rf'<a href="\.\./en/{name}/"[^>]*hreflang="en"', zh), name


@pytest.mark.slow
def test_english_glossary_lists_every_term_in_english(built_site: Path):
    from studycol import glossary

    html = (built_site / "en" / "glossary" / "index.html").read_text(encoding="utf-8")
    terms = glossary.load_glossary(REPO / "data" / "glossary.yml").glossary.terms
    for t in terms:
        heading = t.term_en[:1].upper() + t.term_en[1:]
        entry = re.search(rf'<div class="glossary-def"[^>]*\sid="{t.id}"[^>]*>(.*?)</div>', html, re.S)
        assert entry and f'data-xref-label="{t.term_en}"' in entry.group(0), t.id
        assert re.match(
            rf'\s*<h3 id="gl-{t.id[5:]}">{re.escape(heading)} \(<span lang="zh">{re.escape(t.term)}</span>\)', entry.group(1)
        ), (t.id, entry.group(1)[:200])
        assert t.explanation_en in html_mod.unescape(entry.group(1)), t.id
    assert "Not yet translated" not in html and "Terms used in the notice" in html
    # 每条英文解释都依据当前的中文解释：没有“可能过时”的标注
    assert "may be out of date" not in html


@pytest.mark.slow
def test_changed_chinese_explanation_is_flagged_in_the_english_glossary(tmp_path: Path):
    """中文解释改动、英文没跟上：英文术语页在这一条下标出并附上当前中文，页首提示；翻译状态页列出新旧指纹。"""
    from studycol import glossary

    src = copy_site(tmp_path / "src")
    data = src / "data" / "glossary.yml"
    term = glossary.load_glossary(data).glossary.terms[3]
    old = term.explanation
    new = old[:-1] + "，并按要求逐项整改落实。"
    text = data.read_text(encoding="utf-8")
    assert text.count(old) == 1
    data.write_text(text.replace(old, new), encoding="utf-8")
    result = build(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr[-2000:]
    html = (tmp_path / "out" / "en" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert html.count("Translation may be out of date") == 1 and "Some translations may be out of date" in html
    entry = re.search(rf'<div class="glossary-def"[^>]*\sid="{term.id}"[^>]*>(.*?)</div>', html, re.S)
    assert entry and "Translation may be out of date" in entry.group(1) and new in html_mod.unescape(entry.group(1))
    status = (tmp_path / "out" / "translations" / "index.html").read_text(encoding="utf-8")
    assert term.id in status and glossary.fingerprint(new) in status and term.explanation_en_from in status
    assert "以下1条的中文解释在写英文之后改过" in status


@pytest.mark.slow
def test_first_use_tooltips_on_english_pages_are_english(built_site: Path):
    from studycol import glossary

    terms = {t.id: t for t in glossary.load_glossary(REPO / "data" / "glossary.yml").glossary.terms}
    html = (built_site / "en" / "yingcuoshi" / "index.html").read_text(encoding="utf-8")
    tips = re.findall(r'<a class="xref xref--term term-first" href="\.\./glossary/#(term-[a-z-]+)"', html)
    assert len(tips) >= 5, tips
    text = html_mod.unescape(html)
    for tid in tips:
        assert terms[tid].explanation_en in text, tid
    assert "术语：" not in html and "Term: " in html
    # 英文版中回退显示中文的页面仍显示中文解释
    assert "术语：" in (built_site / "en" / "tasks" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_translation_status_lists_the_new_translations(built_site: Path):
    html = (built_site / "en" / "translations" / "index.html").read_text(encoding="utf-8")
    for name in TRANSLATED:
        row = re.search(rf"<tr>(?:(?!</tr>).)*<code>{name}/index\.en\.md</code>.*?</tr>", html, re.S)
        assert row, name
        cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
        assert cells[-1] in ("current", "<strong>outdated</strong>") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", cells[-2]), cells


def test_translations_declare_their_source_date():
    """每个英文页面都在 front matter 写明 translated_from（所依据的中文版日期），翻译状态页据此判断是否过时。"""
    import datetime as dt

    from mkdocs.utils.meta import get_data

    for path in sorted((REPO / "docs").rglob("*.en.md")):
        _, meta = get_data(path.read_text(encoding="utf-8"))
        assert isinstance(meta.get("translated_from"), dt.date), path
        assert meta.get("title") and meta.get("description"), path
        assert path.with_name(path.name.replace(".en.md", ".md")).exists(), path


def test_status_table_does_not_grow_with_untranslated_cases():
    day = dt.date(2026, 1, 1)
    rows = [translations.Status("about.md", "关于", "about.en.md", day, day, day)]
    rows += [translations.Status(f"cases/2023-c{i:04d}.md", f"案例{i}", None, day, None, None) for i in range(5000)]
    rows.append(translations.Status("cases/index.md", "典型案例", "cases/index.en.md", day, day, day))
    rows += [translations.Status(f"quiz/p{i}.md", f"测验{i}", None, day, None, None) for i in range(3)]
    out = translations.collapse(sorted(rows, key=lambda r: r.source), limit=10)
    folders = [r for r in out if r.summary]
    assert [(f.folder, f.count) for f in folders] == [("cases/", 5000)]
    # 已翻译的页面和小目录中的未翻译页面照常逐行列出；总行数与案例数无关
    assert any(getattr(r, "source", "") == "cases/index.md" for r in out)
    assert sum(1 for r in out if getattr(r, "source", "").startswith("quiz/")) == 3
    assert len(out) == 1 + 1 + 1 + 3


@pytest.mark.slow
def test_english_chrome_has_no_untranslated_navigation_or_link_titles(built_site: Path):
    page = (built_site / "en" / "jiedu" / "index.html").read_text(encoding="utf-8")
    assert 'title="本节链接"' not in page and 'title="Link to this section"' in page
    start = page.index('<nav class="md-nav md-nav--primary')  # 有栏目标签栏时还带 md-nav--lifted
    nav = page[start : page.index('md-sidebar--secondary', start)]  # 主导航（含各级子菜单）
    labels = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, re.S)
    assert labels and "I. Recognizing the significance" in labels and "Quiz: Part I" in labels
    untranslated = [x for x in labels if re.search(r"[\u4e00-\u9fff]", html_mod.unescape(re.sub(r"<[^>]+>", "", x)))]
    assert untranslated == [], f"英文版导航中还有中文标签：{untranslated}"
    # 中文版不受影响
    assert 'title="本节链接"' in (built_site / "jiedu" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_footer_speaks_the_page_language(lang: str):
    """页脚的政府网站信息：英文页面用英文标签和英文栏目名（单位名称、备案号是专名，照录）；中文页面不变。"""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(REPO / "overrides")))
    identity = {"name": "学习宣传贯彻《硬措施》专栏", "operator": "示例局", "undertaker": "示例局办公室",
                "contact": "010-00000000", "site_id_code": "0000000000", "icp": "示例ICP备00000000号",
                "police_beian": "示例公网安备00000000000000号", "police_beian_url": "https://beian.example.invalid/"}
    config = {"site_name": "Study Column on the Hard Measures for Mine Safety" if lang == "en" else identity["name"],
              "theme": {"language": lang}, "extra": {"identity": identity}}
    html = env.get_template("partials/copyright.html").render(config=config)
    labels = re.findall(r"<dt>(.*?)</dt>", html)
    name = re.search(r'<p class="column-footer__name">(.*?)</p>', html).group(1)
    assert len(labels) == 6
    if lang == "en":
        assert not any(re.search(r"[\u4e00-\u9fff]", x) for x in labels), labels
        assert name == "Study Column on the Hard Measures for Mine Safety"
        assert "Sponsor" in labels and "ICP filing number" in labels
    else:
        assert labels[0] == "主办单位" and "公安机关备案号" in labels
        assert name == "学习宣传贯彻《硬措施》专栏"
    assert "示例局办公室" in html
