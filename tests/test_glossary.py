"""术语表（studycol.glossary）：模型规则、出处核对、页面上术语首次出现处的标注。每条规则有合规和违规的样例。"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import REPO
from studycol import documents as documents_mod
from studycol import glossary
from studycol import notice as notice_mod
from studycol.yamlsrc import DataError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "glossary"


@pytest.fixture(scope="module")
def notice() -> notice_mod.Notice:
    return notice_mod.load_notice(REPO / "data" / "notice.yml", "data/notice.yml")


@pytest.fixture(scope="module")
def doc_ids() -> list[str]:
    return [d.id for d in documents_mod.load_documents(REPO / "data" / "documents.yml").documents]


def _load(name: str) -> glossary.LoadedGlossary:
    return glossary.load_glossary(FIXTURES / name, f"fixtures/{name}")


def _errors(name: str) -> list[str]:
    with pytest.raises(DataError) as exc:
        _load(name)
    return [str(e) for e in exc.value.errors]


def test_good_fixture_passes(notice, doc_ids):
    loaded = _load("good.yml")
    assert [t.id for t in loaded.glossary.terms] == ["term-demo-taizhang", "term-demo-yuejie"]
    assert glossary.check_sources(loaded, notice, doc_ids) == []
    fact = loaded.glossary.terms[1].sources[0]
    assert fact.kind == "fact" and fact.confidence == "单一来源"
    # 英文字段可以不写（英文页面回退显示中文）；写了就两项都有
    taizhang, yuejie = loaded.glossary.terms
    assert taizhang.has_en and taizhang.term_en == "ledger-based management" and taizhang.explanation_en.endswith(".")
    assert not yuejie.has_en and yuejie.explanation_en is None
    assert not taizhang.en_outdated and not yuejie.en_outdated


def test_changed_chinese_explanation_marks_translation_outdated():
    """英文解释注明了译自哪一版中文解释；中文改动后指纹对不上，这条译文标为需要更新。"""
    taizhang = _load("good.yml").glossary.terms[0]
    assert taizhang.explanation_en_from == glossary.fingerprint(taizhang.explanation)
    # 只改空白不算改动
    assert glossary.fingerprint("逐项登记成账，\n  写明责任人。") == glossary.fingerprint("逐项登记成账， 写明责任人。")
    changed = taizhang.model_copy(update={"explanation": taizhang.explanation + "已销号的事项留档备查。"})
    assert changed.en_outdated
    assert glossary.fingerprint(changed.explanation) != taizhang.explanation_en_from


@pytest.mark.parametrize(
    ("fixture", "line", "message"),
    [
        ("fact-source-incomplete.yml", 7, "事实底稿中的来源要写齐 title、url、type"),
        ("two-kinds-in-one-source.yml", 7, "每条出处只写一种"),
        ("http-url.yml", 8, "来源网址要写完整，以 https:// 开头"),
        ("bad-confidence.yml", 10, "字段 terms[1].sources[1].confidence：取值不在允许范围内"),
        ("explanation-with-ref.yml", 5, "解释要写成纯文字，不要写 [[…]] 引用"),
        ("explanation-not-a-sentence.yml", 5, "解释应是完整的句子，以句号结尾"),
        ("short-alias.yml", 4, "别称“账”太短"),
        ("bad-category.yml", 4, "字段 terms[1].category：取值不在允许范围内"),
        ("duplicate-name.yml", 10, "“台账”已经属于术语 term-demo-a"),
        ("related-missing.yml", 8, "相关术语“term-demo-meiyou”不存在"),
        ("en-term-without-explanation.yml", 3, "term_en（英文术语）和 explanation_en（英文解释）要同时填写"),
        ("en-explanation-with-ref.yml", 10, "英文解释 explanation_en 要写成纯文字"),
        ("en-explanation-not-a-sentence.yml", 10, "以句号“.”结尾"),
        ("en-explanation-full-width.yml", 10, "英文解释 explanation_en 中有全角标点“，”"),
        ("en-term-with-han.yml", 9, "英文术语 term_en 只写英文"),
        ("en-duplicate-term.yml", 18, "英文术语“Ledger-based management”已经属于术语 term-demo-a"),
        ("en-explanation-without-from.yml", 3, '加一行 explanation_en_from: "3a5f0a04"（当前中文解释的指纹，带引号）'),
        ("en-from-without-explanation.yml", 3, "没有英文解释时不要写 explanation_en_from"),
        ("en-from-malformed.yml", 11, "explanation_en_from 应是带引号的 8 位十六进制指纹"),
    ],
)
def test_schema_rules_report_file_line_and_fix(fixture: str, line: int, message: str):
    errors = _errors(fixture)
    assert any(e.startswith(f"fixtures/{fixture}:{line}: ") and message in e for e in errors), errors


@pytest.mark.parametrize(
    ("fixture", "line", "message"),
    [
        ("notice-source-without-term.yml", 7, "术语“台账化管理”（及其别称）没有出现在通知 n4-1-3 中"),
        ("unknown-notice-id.yml", 7, "出处“n4-1-9”在通知中不存在"),
        ("unknown-doc.yml", 7, "出处“doc-meiyou”没有在 data/documents.yml 中登记"),
    ],
)
def test_sources_are_checked_against_notice_and_registry(notice, doc_ids, fixture: str, line: int, message: str):
    problems = [str(p) for p in glossary.check_sources(_load(fixture), notice, doc_ids)]
    assert any(p.startswith(f"fixtures/{fixture}:{line}: ") and message in p for p in problems), problems


def test_repository_glossary_is_valid_and_simple_for_other_readers(notice, doc_ids):
    loaded = glossary.load_and_check(REPO / "data" / "glossary.yml", notice, doc_ids)
    terms = loaded.glossary.terms
    assert len(terms) >= 30
    # 搜索词典读取的结构：顶层 terms 列表，每条有 term 和 aliases
    assert isinstance(loaded.source.data, dict) and list(loaded.source.data) == ["terms"]
    names = {t.term for t in terms} | {a for t in terms for a in t.aliases}
    for needed in ("隐蔽工作面作业", "整合技改期间偷采", "安全监控系统造假", "违规分包转包", "谎报瞒报", "台账化管理",
                   "动态销号清零", "属地责任", "联合执法", "漏管失控", "重大事故隐患", "越界开采", "五职"):
        assert needed in names, needed
    # 每个术语都有英文名称和英文解释（英文版术语页、英文页面上的首次出现处使用）
    assert [t.id for t in terms if not t.has_en] == []
    # 事实底稿中的来源都写明了类型和可信程度
    for t in terms:
        for s in t.sources:
            if s.kind == "fact":
                assert s.url.startswith("https://") and s.confidence in glossary.CONFIDENCE


# ---- 术语首次出现处的标注 ----------------------------------------------------------------


@pytest.fixture(scope="module")
def terms():
    return _load("good.yml").glossary.terms


def _mark(html: str, terms) -> tuple[str, list[str]]:
    pattern, lookup = glossary.matcher(terms)
    return glossary.mark_first_uses(html, pattern, lookup, lambda t, w, k: f"<T{k}:{t.id}:{w}>")


def test_only_the_first_use_on_a_page_is_marked(terms):
    html, order = _mark("<p>实行台账化管理。</p><p>台账化管理要动态更新，台账要清零。</p>", terms)
    assert html == "<p>实行<T1:term-demo-taizhang:台账化管理>。</p><p>台账化管理要动态更新，台账要清零。</p>"
    assert order == ["term-demo-taizhang"]


def test_alias_counts_as_the_term_and_longest_match_wins(terms):
    html, _ = _mark("<p>建立台账，实行台账化管理。</p>", terms)
    assert html == "<p>建立<T1:term-demo-taizhang:台账>，实行台账化管理。</p>"
    html, _ = _mark("<p>实行台账化管理。</p>", terms)
    assert "<T1:term-demo-taizhang:台账化管理>" in html


def test_headings_links_code_and_opted_out_blocks_are_left_alone(terms):
    source = (
        '<h2 id="x">台账化管理</h2><p><a href="#">台账化管理</a><code>台账</code></p>'
        '<details class="jd-original" data-no-terms><summary>原文</summary><p>实行台账化管理</p></details>'
        "<p>最后才是正文中的台账化管理。</p>"
    )
    html, order = _mark(source, terms)
    assert html.count("<T") == 1 and html.endswith("<p>最后才是正文中的<T1:term-demo-taizhang:台账化管理>。</p>")
    assert order == ["term-demo-taizhang"]


def test_once_every_term_on_the_page_is_marked_the_rest_is_copied_unchanged(terms):
    # 术语都已标注后不再逐段处理：后面未闭合的标签、重复的术语原样保留
    tail = "<p>台账化管理<b>台账</b></p><div><p>台账化管理" * 3
    html, order = _mark("<p>实行台账化管理。</p>" + tail, terms)
    assert html == "<p>实行<T1:term-demo-taizhang:台账化管理>。</p>" + tail and order == ["term-demo-taizhang"]
    # 第一次出现在标题里（不标注）时，仍要往后找到正文中的那一处
    html, order = _mark("<h2>台账化管理</h2>" + "<p>正文</p>" * 50 + "<p>台账</p>", terms)
    assert html.endswith("<p><T1:term-demo-taizhang:台账></p>") and order == ["term-demo-taizhang"]


def test_void_elements_and_attributes_do_not_confuse_the_walker(terms):
    html, _ = _mark('<p title="台账化管理">前<br>后<img alt="台账">台账化管理</p>', terms)
    assert html == '<p title="台账化管理">前<br>后<img alt="台账"><T1:term-demo-taizhang:台账化管理></p>'


def test_terms_with_mark_false_are_not_marked(terms):
    html, order = _mark("<p>越界开采要移交处理。</p>", terms)
    assert order == [] and "<T" not in html


def test_english_pages_match_english_terms_as_whole_words(terms):
    pattern, lookup = glossary.matcher_en(terms)
    html, order = glossary.mark_first_uses(
        "<p>Ledger-based management is used. Items under ledger-based management and ledger-based managements.</p>",
        pattern, lookup, lambda t, w, k: f"<T{k}:{t.id}:{w}>",
    )
    # 句首大写也算；只标第一次；“managements”不是整词，不算
    assert html.startswith("<p><T1:term-demo-taizhang:Ledger-based management> is used.")
    assert html.count("<T") == 1 and order == ["term-demo-taizhang"]
    # 没有英文的术语不参与英文页面的匹配；中文词不会在英文页面上被标注
    assert all(t.has_en for t in lookup.values())
    html, order = glossary.mark_first_uses("<p>台账化管理</p>", pattern, lookup, lambda t, w, k: "X")
    assert order == []


def test_english_labels_cover_every_category_source_type_and_confidence():
    assert set(glossary.CATEGORY_TITLES_EN) == set(glossary.CATEGORIES)
    assert set(glossary.SOURCE_TYPES_EN) == set(glossary.SOURCE_TYPES)
    assert set(glossary.CONFIDENCE_EN) == set(glossary.CONFIDENCE)


def _render_list(lang: str) -> str:
    from jinja2 import Environment, FileSystemLoader

    from studycol.render import content_env

    env = content_env(Environment(loader=FileSystemLoader(REPO / "overrides")))  # 与构建时一样自动转义
    name = "partials/column/en/glossary-list.md" if lang == "en" else "partials/column/glossary-list.md"
    return env.get_template(name).render(**glossary.list_context(_load("good.yml"), lang, "../../glossary/"))


def test_english_list_shows_english_with_chinese_and_marks_untranslated_terms():
    en, zh = _render_list("en"), _render_list("zh")
    # 有英文的术语：英文（首字母大写）在前，中文术语在后并标明语言；解释用英文
    assert '### Ledger-based management (<span lang="zh">台账化管理</span>) { #gl-demo-taizhang }' in en
    assert 'data-xref-label="ledger-based management"' in en
    assert "Recording each item to be followed up in a ledger" in en and "把需要跟踪的事项" not in en
    # 没有英文的术语：显示中文，并有看得见的说明；页首提示有几条未翻译
    assert '### <span lang="zh">越界开采</span> { #gl-demo-yuejie }' in en
    assert '<span lang="zh">超出采矿许可证划定的范围开采矿产资源。</span>' in en
    assert "*Not yet translated: this term has no English version" in en
    assert "Terms without an English version yet: 1." in en
    # 英文的类别名、来源类型和可信程度；文件出处的标签标为中文
    assert "## Terms used in the notice { #gl-notice }" in en and "(reprint by a media outlet; single source)" in en
    assert '<span lang="zh">[[doc-yingcuoshi||src:fixtures/good.yml:' in en
    # 两种语言的条目编号和标题编号相同
    ids = sorted(re.findall(r'id="(term-[a-z-]+)"|\{ #(gl-[a-z-]+) \}', zh))
    assert len(ids) == 6 and ids == sorted(re.findall(r'id="(term-[a-z-]+)"|\{ #(gl-[a-z-]+) \}', en))


def _reference_mark(page_html: str, pattern, lookup, render):
    """逐段的朴素写法：把页面切成标签和文字，维护元素栈，在不跳过的文字段里替换第一次出现的术语。"""
    done: set[str] = set()
    order: list[str] = []
    stack: list[tuple[str, bool]] = []
    out = []
    for token in re.split(r"(<!--.*?-->|<[^>]*>)", page_html, flags=re.S):
        if token.startswith("<") and token.endswith(">"):
            out.append(token)
            m = re.match(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)", token)
            if token.startswith("<!--") or not m:
                continue
            name = m.group(2).lower()
            if m.group(1):
                idx = [k for k, (n, _) in enumerate(stack) if n == name]
                if idx:
                    del stack[idx[-1] :]
            elif name not in glossary.VOID_TAGS and not token.endswith("/>"):
                stack.append((name, name in glossary.SKIP_TAGS or "data-no-terms" in token))
            continue
        if any(skip for _, skip in stack):
            out.append(token)
            continue

        def repl(m):
            term = lookup[m.group(0)]
            if term.id in done:
                return m.group(0)
            done.add(term.id)
            order.append(term.id)
            return render(term, m.group(0), len(order))

        out.append(pattern.sub(repl, token))
    return "".join(out), order


def test_marking_matches_the_token_by_token_walk_on_random_pages(terms):
    import random

    render = lambda t, w, k: f"<T{k}:{t.id}:{w}>"  # noqa: E731
    matchers = [glossary.matcher(terms), glossary.matcher_en(terms)]
    words = [w for _, lookup in matchers for w in lookup]
    pieces = [
        "<p>", "</p>", "<a href='#'>", "</a>", "<h2 id='x'>", "</h2>", "<div data-no-terms>", "</div>", "<div>", "<br>",
        "<img alt='台账'/>", "<!-- 台账 -->", "<code>", "</code>", "<span title='台账化管理'>", "</span>", "文字", " ", "-",
        "<b>", "</b>", "<P class='x'>", "</P>", "<A href=1>", "</A>", ">", "<x/>", "<!---->", "Item",
    ]
    rnd = random.Random(7)
    for _ in range(3000):
        page = "".join(rnd.choice(pieces + words) for _ in range(rnd.randint(0, 30)))
        for pattern, lookup in matchers:
            assert glossary.mark_first_uses(page, pattern, lookup, render) == _reference_mark(page, pattern, lookup, render), page
