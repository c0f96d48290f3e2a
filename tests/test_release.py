"""发布（issue 20）：官方域名、核实状态、编辑页面和段落、公开页面检查、发布清单。不构建站点。

案例用 tests/fixtures/cases/good/ 中的虚构夹具：一个已核实的真实案例（山西省）、一个待核实的真实案例
（内蒙古自治区）、一个教学示例；文件、术语、题库用仓库本身的数据。
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from helpers import REPO
from studycol import cases as cm
from studycol import release
from studycol.content import Content
from studycol.site import parse_identity
from studycol.yamlsrc import DataError

FIX = REPO / "tests" / "fixtures" / "cases" / "good"
DOMAINS = release.load_domains(REPO / "data")
FULL_IDENTITY = {
    "name": "示例专栏",
    "operator": "示例局",
    "undertaker": "示例局办公室",
    "region": "山西省",
    "contact": "010-00000000",
    "site_id_code": "0000000000",
    "icp": "示例ICP备00000000号",
    "police_beian": "示例公网安备00000000000000号",
    "police_beian_url": "https://beian.example.invalid/",
    "site_domain": "www.example.invalid",
}


class FixtureContent:
    """仓库的内容，只是案例换成虚构夹具。"""

    def __init__(self) -> None:
        self._base = Content(REPO)
        vocab = self._base.vocab.vocab
        self._cases = cm.load_cases(FIX, "tests/fixtures/cases/good", vocab, dt.date(2024, 6, 30))
        assert self._cases.problems == []

    def case_set(self, display_dir: str = "docs/cases") -> cm.CaseSet:
        return self._cases

    def __getattr__(self, name: str):
        return getattr(self._base, name)


@pytest.fixture(scope="module")
def content() -> FixtureContent:
    return FixtureContent()


def _policy(**kw) -> release.Policy:
    return release.Policy(**{"release": True, "domains": DOMAINS, **kw})


# ---- 官方域名 ----------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "https://www.gov.cn/zhengce/content/x.htm",
    "https://www.chinamine-safety.gov.cn/hd/lyhf",
    "https://hun.chinamine-safety.gov.cn/aqxw/gzdt/202411/t20241121_512239.html",
    "https://www.news.cn/politics/x.htm",
    "https://WWW.GOV.CN./x",
])
def test_official_addresses(url):
    assert release.is_official(url, DOMAINS)


@pytest.mark.parametrize("url", [
    "https://saintpaulhem.com/ajj/ncajj/gkjdcl/202405/21613693ab0f48a08142c5c8e1c337e4.shtml",  # 看起来像政府网站路径的镜像
    "https://qntz.me/post/62f8485fa2b0e0888111cffacbff9b0f.html",
    "https://notgov.cn/x",  # 只是以 gov.cn 结尾的字符串，不是 gov.cn 的子域名
    "https://www.gov.cn.example.com/x",
    "https://www.gov.cn@evil.example/x",  # 用户名部分写成官方域名
    "http://www.gov.cn/x",  # 官方网址也要 https
    "",
    "javascript:alert(1)",
])
def test_unofficial_addresses(url):
    assert not release.is_official(url, DOMAINS)


def test_domain_file_rules(tmp_path: Path):
    assert release.load_domains(tmp_path) == ()
    (tmp_path / release.DOMAINS_FILE).write_text("domains:\n  - https://www.gov.cn/\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        release.load_domains(tmp_path)
    assert "不是域名" in str(exc.value) and "data/official-domains.yml:2" in str(exc.value)
    (tmp_path / release.DOMAINS_FILE).write_text("domains:\n  - gov.cn\n", encoding="utf-8")
    assert release.load_domains(tmp_path) == ("gov.cn",)


def test_public_url_keeps_seen_at_for_editors_only():
    mirror = "https://saintpaulhem.com/ajj/x.shtml"
    official = "https://www.mem.gov.cn/x.shtml"
    assert release.public_url(mirror, _policy()) == ""
    assert release.public_url(official, _policy()) == official
    assert release.public_url(mirror, _policy(release=False)) == mirror


# ---- 核实状态 ----------------------------------------------------------------------


def test_states_come_from_the_data(content):
    items = {it.id: it for it in release.inventory(content)}
    assert items["case-2023-good-real"].state == release.VERIFIED
    assert "测试编辑" in items["case-2023-good-real"].basis
    assert items["case-2023-good-minimal"].state == release.PENDING
    assert items["case-2024-good-teaching"].state == release.TEACHING
    # 出处全部是通知句子的术语已核实；有转载来源的待核实
    glossary = content.glossary.glossary.terms
    notice_only = next(t for t in glossary if all(s.kind == "notice" for s in t.sources))
    with_fact = next(t for t in glossary if any(s.kind == "fact" for s in t.sources))
    assert items[notice_only.id].state == release.VERIFIED
    assert items[with_fact.id].state == release.PENDING
    # 不能与原文逐字核对的题目待核实
    bank = content.quiz[0]
    not_verbatim = next(i.q for i in bank.items if i.q.not_verbatim_reason)
    assert items[not_verbatim.id].state == release.PENDING
    assert items[not_verbatim.id].basis == not_verbatim.not_verbatim_reason
    # 文件登记表没有核实记录
    assert all(it.state == release.PENDING for it in items.values() if it.kind == "文件")


def test_release_publishes_verified_cases_and_teaching_examples(content):
    files = content.case_set().files
    shown = lambda p: sorted(cf.case.id for cf in release.published_cases(files, p))  # noqa: E731
    assert shown(_policy()) == ["case-2023-good-real", "case-2024-good-teaching"]
    assert len(shown(_policy(publish_unverified=True))) == 3
    assert len(shown(_policy(release=False))) == 3
    assert release.release_excludes(_policy(), files) == ["/guide/", "/coverage/", "/translations/", "/cases/local/2023-good-minimal.md"]
    assert release.release_excludes(_policy(release=False), files) == []
    assert release.release_excludes(_policy(), files, ["quiz/facts.md"])[-1] == "/quiz/facts.md"


def test_release_publishes_verified_questions_only(content):
    bank = content.quiz[0]
    states = {it.id: it.state for it in release.inventory(content) if it.kind == "题目"}
    published = release.published_bank(bank, _policy())
    assert published.items and all(states[i.q.id] == release.VERIFIED for i in published.items)
    assert len(published.items) == sum(1 for v in states.values() if v == release.VERIFIED)
    assert release.published_bank(bank, _policy(publish_unverified=True)) is bank
    assert release.published_bank(bank, _policy(release=False)) is bank
    # 一道已核实的题也没有的测验整套不发布，页面和导航项随之去掉
    only_pending = dataclasses.replace(bank, items=[i for i in bank.items if states[i.q.id] == release.PENDING])
    sets = {i.set for i in only_pending.items}
    assert release.published_bank(only_pending, _policy()).sets == []
    assert release.hidden_quiz_pages(only_pending, _policy()) == [f"quiz/{s.id}.md" for s in bank.sets]
    assert sets and release.hidden_quiz_pages(bank, _policy()) == []
    nav = [{"学习测验": ["quiz/index.md", {"基本情况": "quiz/facts.md"}]}]
    assert release.filter_nav(nav, ["quiz/facts.md"]) == [{"学习测验": ["quiz/index.md"]}]


# ---- 编辑页面和“编辑须知”段落 --------------------------------------------------------


def test_editor_pages_leave_the_nav():
    nav = [
        {"首页": "index.md"},
        {"典型案例": ["cases/index.md", {"按地区": "cases/by-region.md"}]},
        {"编辑指南": ["guide/index.md", {"题库编写": "guide/quiz.md"}, {"引用覆盖": "coverage/index.md"}]},
        {"关于本栏目": "about.md"},
    ]
    assert release.filter_nav(nav) == [
        {"首页": "index.md"},
        {"典型案例": ["cases/index.md", {"按地区": "cases/by-region.md"}]},
        {"关于本栏目": "about.md"},
    ]


PAGE = "# 页\n\n公开的话。\n\n<!-- editors:begin -->\n编辑的话，见 `data/x.yml`。\n<!-- editors:end -->\n\n又一句公开的话。\n"


def test_editor_blocks_are_removed_from_the_release_only():
    out, problems = release.editor_blocks(PAGE, _policy(), "docs/x.md")
    assert problems == [] and "编辑的话" not in out and "公开的话" in out and "又一句公开的话" in out
    out, problems = release.editor_blocks(PAGE, _policy(release=False), "docs/x.md")
    assert problems == [] and "编辑的话" in out and "editors:" not in out


def test_editor_markers_in_code_are_examples():
    text = "写成 `<!-- editors:begin -->` 和 `<!-- editors:end -->`。\n"
    assert release.editor_blocks(text, _policy(), "docs/guide/x.md") == (text, [])
    assert release.editor_blocks(text, _policy(release=False), "docs/guide/x.md") == (text, [])


@pytest.mark.parametrize("text, line", [
    ("a\n<!-- editors:begin -->\nb\n", 2),
    ("a\n<!-- editors:end -->\n", 2),
    ("<!-- editors:begin -->\n<!-- editors:begin -->\n<!-- editors:end -->\n", 2),
])
def test_unbalanced_editor_blocks_are_reported_and_kept(text, line):
    source = "---\ntitle: x\n---\n" + text
    out, problems = release.editor_blocks(text, _policy(), "docs/x.md", source)
    assert out == text
    assert [(p.path, p.line, p.rule) for p in problems] == [("docs/x.md", line + 3, "REL-5")]


# ---- 公开页面的检查 ------------------------------------------------------------------


def _rules(html: str, **kw) -> list[tuple[str, str]]:
    return [(f.rule, f.text) for f in release.html_findings(html, _policy(**kw), ["www.example.invalid"])]


def test_clean_public_page_passes():
    html = (
        '<html><body><p>据国家矿山安全监察局网站 2024年11月21日的报道。</p>'
        '<a href="https://hun.chinamine-safety.gov.cn/aqxw/x.html">原文</a>'
        '<a href="https://www.example.invalid/about/">本站</a><a href="../cases/">案例</a>'
        '<script>var u = "https://cdn.example.com/x.js"; // mkdocs</script></body></html>'
    )
    assert _rules(html) == []


def test_public_page_findings():
    html = (
        '<html><body><p>来源：<code>https://qntz.me/post/1.html</code>；另见转载页qntz.me。</p>'
        '<a href="https://saintpaulhem.com/ajj/x.shtml">南昌</a>'
        '<p>在 <code>extra.column.region</code> 中填写，修改 data/notice.yml 后通过合并请求提交。</p>'
        '<table><tr><td>索引号</td><td>（待编辑填写）</td></tr></table>'
        '<p>事实待核实。</p><a href="../../guide/cases/#verification">案例编辑指南</a></body></html>'
    )
    found = _rules(html)
    assert ("REL-2", "../../guide/cases/#verification") in found
    assert ("REL-1", "https://saintpaulhem.com/ajj/x.shtml") in found
    assert ("REL-1", "https://qntz.me/post/1.html") in found
    assert ("REL-1", "qntz.me") in found
    assert {("REL-2", "extra.column"), ("REL-2", "data/"), ("REL-2", ".yml"), ("REL-2", "合并请求")} <= set(found)
    assert ("REL-3", "待编辑填写") in found
    assert ("REL-4", "待核实") in found
    assert ("REL-4", "待核实") not in _rules(html, publish_unverified=True)
    # 说明标签的话（引号中的标签名）不是待核实的内容
    assert _rules('<html><body><p>尚未核对的案例标有“事实待核实”，其他内容标明“待核实”。</p></body></html>') == []


def test_page_problems_point_at_the_source_line():
    source = "---\ntitle: x\n---\n\n第一段。\n\n见 https://qntz.me/post/1.html 。\n"
    html = "<html><body><p>见 https://qntz.me/post/1.html 。</p><p>（待编辑填写）</p></body></html>"
    got = [str(p) for p in release.page_problems(html, "x.md", source, _policy())]
    assert got[0].startswith("docs/x.md:7: 页面文字中有非官方网址“https://qntz.me/post/1.html”") and got[0].endswith("（REL-1）")
    assert got[-1].startswith("docs/x.md:1: 页面上有占位文字") and got[-1].endswith("（REL-3）")


# ---- 发布清单 --------------------------------------------------------------------


def _identity(**changes):
    values = {**FULL_IDENTITY, "report": {"phone": "010-00000000"}, "release_waivers": {"hard_measures": True}, "publish_unverified": True}
    values.update(changes)
    return parse_identity({"column": {k: v for k, v in values.items() if v is not None}})


def _blocking(identity, content, site_url="https://www.example.invalid.gov.cn/column/", **kw) -> dict[str, str]:
    checks = release.checklist(identity, site_url, content, _policy(publish_unverified=identity.publish_unverified, **kw))
    return {c.title: c.detail + "｜" + c.fix for c in checks if c.blocking}


def test_complete_release_has_no_blocking_item(content):
    checks = release.checklist(_identity(), "https://www.example.gov.cn/column/", content, _policy(publish_unverified=True))
    assert [c.title for c in checks if c.blocking] == []
    text = release.format_checklist(checks)
    assert "没有阻止发布的项目" in text
    assert "案例：已核实1，待核实1，教学示例1" in text
    assert "本地区案例：发布山西省的案例1起" in text  # 山西省的已核实夹具
    assert "最新案例：发布的真实案例中最新的发生于2023-" in text


@pytest.mark.parametrize("change, title, words", [
    ({"icp": None}, "页脚信息", "ICP备案号"),
    ({"release_waivers": None}, "《硬措施》正文", "release_waivers: {hard_measures: true}"),
    ({"report": None}, "举报渠道", "report 中至少填写一项"),
    ({"publish_unverified": None}, "待核实内容", "publish_unverified: true"),
])
def test_each_blocking_item_says_how_to_fix_it(content, change, title, words):
    blocking = _blocking(_identity(**change), content)
    assert list(blocking) == [title]
    assert words in blocking[title]


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/", "", "http://www.example.gov.cn/", "https://localhost/"])
def test_site_url_must_be_the_bureaus_https_address(content, url):
    blocking = _blocking(_identity(), content, site_url=url)
    assert list(blocking) == ["网站地址"] and "SITE_URL=" in blocking["网站地址"]


def test_checklist_warns_when_the_region_has_no_published_case(content):
    checks = release.checklist(_identity(region="河北省", publish_unverified=False, release_waivers={"hard_measures": True}),
                               "https://www.example.gov.cn/", content, _policy())
    local = next(c for c in checks if c.title == "本地区案例")
    assert local.level == "注意" and "没有河北省的案例" in local.detail  # 河北省只有教学示例
    hidden = next(c for c in checks if c.title == "不发布的内容")
    minimal = next(cf.case.short for cf in content.case_set().files if cf.case.id == "case-2023-good-minimal")
    assert hidden.detail.startswith("待核实的案例1项、术语") and hidden.detail.endswith("；其中案例：" + minimal)


def test_report_channel_url_must_be_https():
    with pytest.raises(ValueError) as exc:
        parse_identity({"column": {**FULL_IDENTITY, "report": {"url": "http://jubao.example.invalid/"}}})
    assert "extra.column.report.url" in str(exc.value)


def test_repository_checklist_counts(capsys):
    """真实站点：每一项都从数据统计；阻止发布的项目使命令退出码为 1。"""
    assert release.main(["-f", str(REPO / "mkdocs.yml")]) == 1
    out = capsys.readouterr().out
    items = release.inventory(Content(REPO))
    by_kind = release.counts(items)
    assert f"案例：已核实{by_kind['案例'][release.VERIFIED]}，待核实{by_kind['案例'][release.PENDING]}" in out
    for title in ("页脚信息", "《硬措施》正文", "举报渠道", "网站地址"):
        assert f"[阻止] {title}" in out
    assert dataclasses.is_dataclass(items[0])


def test_allegation_without_official_source_is_never_published(content):
    """指认企业违法违规的待核实案例，即使选择 publish_unverified，没有官方来源也不发布。"""
    minimal = next(cf for cf in content.case_set().files if cf.case.id == "case-2023-good-minimal")
    assert not release.unsupported_allegation(minimal)  # 没有写违法违规行为
    accused_case = minimal.case.model_copy(update={"violations": [cm.Violation.model_validate({"category": "谎报瞒报事故", "text": "测试用的指认。", "sources": ["s1"]}, context={"vocab": content.vocab.vocab})]})
    accused = dataclasses.replace(minimal, case=accused_case)
    assert release.unsupported_allegation(accused)
    assert release.published_cases([accused], _policy(publish_unverified=True)) == []
    assert release.published_cases([accused], _policy(release=False)) == [accused]
    official = accused_case.model_copy(update={"sources": [accused_case.sources[0].model_copy(update={"origin": cm.OFFICIAL_ORIGIN})]})
    assert release.published_cases([dataclasses.replace(minimal, case=official)], _policy(publish_unverified=True))


def test_recorded_verification_needs_an_official_address():
    from studycol.verification import Verification

    ok = Verification(status="已核实", by="示例编辑", date=dt.date(2026, 12, 1), against="https://www.mem.gov.cn/x.shtml")
    mirror = ok.model_copy(update={"against": "https://saintpaulhem.com/x.shtml"})
    item = lambda v: release.recorded_item("文件", "doc-x", "示例文件", v, DOMAINS, "data/documents.yml", "没有记录")  # noqa: E731
    assert item(ok).state == release.VERIFIED and "示例编辑" in item(ok).basis
    assert item(mirror).state == release.PENDING and "不是官方网址" in item(mirror).basis
    assert item(None).state == release.PENDING and item(None).basis == "没有记录"
    with pytest.raises(ValueError) as exc:
        Verification(status="已核实", by="示例编辑")
    assert "核对日期（date）" in str(exc.value) and "官方原文的网址（against）" in str(exc.value)
    with pytest.raises(ValueError):
        Verification(status="已核实", by="示例编辑", date=dt.date(2026, 12, 1), against="http://www.mem.gov.cn/")


def test_root_404_keeps_the_default_language(tmp_path: Path):
    from studycol import render

    shared: dict = {}
    assert render.keep_default_404("<p>中文</p>", "404.html", "zh", tmp_path, shared, True) == "<p>中文</p>"
    assert render.keep_default_404("<p>English</p>", "404.html", "en", tmp_path, shared, False) == "<p>中文</p>"
    assert (tmp_path / "en" / "404.html").read_text(encoding="utf-8") == "<p>English</p>"
    assert render.keep_default_404("<p>x</p>", "sitemap.xml", "en", tmp_path, shared, False) == "<p>x</p>"


def test_release_leaves_pending_terms_out(content):
    loaded = content.glossary
    p = _policy()
    hidden = release.hidden_terms(loaded, p)
    states = {it.id: it.state for it in release.inventory(content) if it.kind == "术语"}
    assert {h[0] for h in hidden} == {tid for tid, s in states.items() if s == release.PENDING}
    assert release.hidden_terms(loaded, _policy(publish_unverified=True)) == ()
    p = dataclasses.replace(p, hidden_terms=hidden)
    published = release.published_glossary(loaded, p)
    ids = [t.id for t in published.glossary.terms]
    assert ids and all(states[i] == release.VERIFIED for i in ids)
    assert all(r in ids for t in published.glossary.terms for r in t.related)  # 相关术语不指向不发布的术语
    # 行号仍指向原文件中的条目
    first = ids[0]
    original = next(i for i, t in enumerate(loaded.glossary.terms) if t.id == first)
    assert published.line(0, "term") == loaded.line(original, "term")
    assert release.published_glossary(loaded, _policy()) is loaded  # 没有要隐藏的术语时原样返回


def test_references_to_hidden_terms_become_plain_text():
    p = _policy(hidden_terms=(("term-shili", "示例术语", "Sample term"),))
    release.use(p)
    try:
        text = "见[[term-shili]]和[[term-shili|这个词]]，另见[[term-other]]、[[n4-1-1]]。"
        assert release.unlink_hidden_terms(text) == "见示例术语和这个词，另见[[term-other]]、[[n4-1-1]]。"
        assert release.unlink_hidden_terms("See [[term-shili]].", "en") == "See Sample term."
    finally:
        release.use(release.Policy())


def test_questions_on_withheld_cases_are_not_published(content):
    """publish_unverified 也不发布的案例（指认企业而没有官方来源），以它为出处的题目随之不发布，不留断链。"""
    bank = content.quiz[0]
    on_cases = [i for i in bank.items if i.q.source.startswith("case-")]
    assert on_cases
    withheld = on_cases[0].q.source
    p = dataclasses.replace(_policy(publish_unverified=True), withheld_cases=(withheld,))
    published = release.published_bank(bank, p)
    assert all(i.q.source != withheld for i in published.items)
    assert len(published.items) == len(bank.items) - sum(1 for i in bank.items if i.q.source == withheld)


def test_paragraphs_citing_withheld_cases_are_dropped_keeping_lines():
    md = "第一段，引用[[n1-1-2]]。\n\n示例省甲煤矿的事故（[[case-demo-x]]）。\n第二行。\n\n末段（[[case-demo-y]]）。\n"
    p = dataclasses.replace(_policy(), withheld_cases=("case-demo-x",))
    out = release.drop_withheld_case_paragraphs(md, p)
    assert "case-demo-x" not in out and "甲煤矿" not in out
    assert "[[n1-1-2]]" in out and "[[case-demo-y]]" in out
    assert out.count("\n") == md.count("\n")
    assert out.splitlines().index("末段（[[case-demo-y]]）。") == md.splitlines().index("末段（[[case-demo-y]]）。")
    assert release.drop_withheld_case_paragraphs(md, _policy()) == md


def test_an_imported_hard_measures_text_needs_no_waiver(content):
    """《硬措施》正式文本导入到保留的编号（doc-yingcuoshi）后，清单不再要求 release_waivers。"""
    class Imported(FixtureContent):
        gongwen = {release.HARD_MEASURES_DOC: object()}

    imported = Imported()
    assert _blocking(_identity(release_waivers=None), imported) == {}
    item = next(c for c in release.checklist(_identity(release_waivers=None), "https://www.example.gov.cn/", imported, _policy(publish_unverified=True))
                if c.title == "《硬措施》正文")
    assert item.level == "信息" and "已导入正式文本" in item.detail
    assert "《硬措施》正文" in _blocking(_identity(release_waivers=None), content)
