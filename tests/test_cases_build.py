"""端到端：典型案例页面、分类索引、反向链接，以及坏案例让严格构建失败并指出文件和行号。"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site

pytestmark = pytest.mark.slow

FIX = REPO / "tests" / "fixtures" / "cases"
CASES = sorted(p.stem for p in (REPO / "docs" / "cases").glob("*.md") if p.name[:4].isdigit())


def _read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def _section(html: str, anchor: str) -> str:
    """从 id 为 anchor 的标题到下一个同级标题之间的 HTML。"""
    m = re.search(rf'<h([23])[^>]*id="{anchor}"', html)
    assert m, anchor
    end = re.search(rf"<h[1-{m.group(1)}][ >]", html[m.end():])
    return html[m.start(): m.end() + (end.start() if end else len(html))]


# ---- 仓库中的案例（整个测试会话共用一次构建） ---------------------------------------------------


def test_every_case_has_a_page_in_both_languages(built_site: Path):
    assert len(CASES) >= 12
    for stem in CASES:
        html = _read(built_site, f"cases/{stem}/index.html")
        assert f'id="case-{stem}"' in html, stem
        assert (built_site / "en" / "cases" / stem / "index.html").exists()


def test_case_page_shows_facts_conflicts_sources_and_pending_notice(built_site: Path):
    html = _read(built_site, "cases/2023-xintai-baozha/index.html")
    assert 'data-xref-label="新泰煤矿“8·21”瓦斯爆炸事故"' in html
    assert "事实待核实" in html and "教学示例" not in _section(html, "facts")
    facts = _section(html, "facts")
    assert "2023年8月21日，具体时间说法不一：20时31分" in facts and "20时26分" in facts and "约22时" in facts
    assert 'href="../by-region/#region-shaanxi"' in facts and 'href="../by-category/#cat-hidden-workface"' in facts
    conflicts = _section(html, "conflicts")
    for value, src in (("20时31分", "s1"), ("20时26分", "s3"), ("约22时", "s4")):
        assert re.search(rf"<td>{value}</td>\s*<td><a href=\"#src-{src}\">", conflicts), value
    sources = _section(html, "sources")
    assert 'id="src-s3"' in sources and "https://china5e.com/news/news-1157011-1.html" in sources
    assert 'href="https://' not in html  # 来源网址只显示为文字，页面不链接外部主机
    assert "不是官方原件" in sources
    violations = _section(html, "violations")
    assert 'id="v-hidden-workface"' in violations and 'href="#req-n4-1-1"' in violations
    req = _section(html, "requirements")
    assert 'id="req-n4-1-1"' in req and 'href="../../notice/#n4-1-1"' in req and "深挖细究隐蔽工作面作业" in req
    assert "《硬措施》的相关内容" in req and "八项数据逐一比对" in req
    related = _section(html, "related")
    assert 'href="../2023-gengcun-huozai/"' in related and "同类：迟报事故" in related


def test_teaching_example_is_labelled(built_site: Path):
    html = _read(built_site, "cases/2024-jiaoxue-jiankong/index.html")
    assert 'class="admonition example"' in html and "情节、单位和人物均属虚构" in html
    assert "事实待核实" not in html
    assert "教学示例无需核实" in html
    # 教学示例是虚构的：不写日期和真实省份，不进按地区、按年份和最新案例的列表，按类别的列表中带标签
    assert "2024年" not in _section(html, "facts") and "示例省" in html
    for index in ("cases/by-region/index.html", "cases/by-year/index.html"):
        assert "2024-jiaoxue-jiankong" not in _read(built_site, index), index
    assert "2024-jiaoxue-jiankong" not in _section(_read(built_site, "cases/index.html"), "latest")
    by_category = _read(built_site, "cases/by-category/index.html")
    assert re.search(r'2024-jiaoxue-jiankong/">[^<]*</a><span class="cases-meta">教学示例</span>', by_category)


def test_case_without_findings_says_so(built_site: Path):
    html = _read(built_site, "cases/2023-shuangyang-shigu/index.html")
    assert "事故调查报告本栏目尚未找到，违法违规情况不详" in html
    assert "调查结论未掌握" in _section(html, "facts")


def test_index_pages_group_the_real_cases(built_site: Path):
    region = _read(built_site, "cases/by-region/index.html")
    shanxi = _section(region, "region-shanxi")
    assert "山西省（2起）" in shanxi
    assert shanxi.index("2023-yongju-huozai/") < shanxi.index("2022-jingcheng-manbao/")  # 新的在前
    assert 'id="region-none"' in region and "北京市" in _section(region, "region-none")
    category = _read(built_site, "cases/by-category/index.html")
    concealment = _section(category, "cat-concealment")
    assert "谎报瞒报事故（3起）" in concealment
    assert all(f"{s}/" in concealment for s in ("2023-wuchangping-tanta", "2023-jikun-baoran", "2022-jingcheng-manbao"))
    assert "调查结论未掌握（2起）" in _section(category, "cat-none")
    year = _read(built_site, "cases/by-year/index.html")
    assert "2022年（1起）" in _section(year, "year-2022") and "2024年（1起）" in _section(year, "year-2024")
    mine = _read(built_site, "cases/by-mine-type/index.html")
    assert 'id="group-coal"' in mine and "露天煤矿（1起）" in _section(mine, "mine-coal-open-pit")
    home = _read(built_site, "cases/index.html")
    assert "全国案例" in home and "共收录案例12起：真实案例11起（待核实11起，已核实0起），教学示例1起" in home
    latest = _section(home, "latest")
    assert "2024-jiaoxue-jiankong/" not in latest
    assert latest.index("2024-pingmei-tuchu/") < latest.index("2023-shuangyang-shigu/")


def test_notice_links_back_to_cases_and_coverage_counts_them(built_site: Path):
    notice = _read(built_site, "notice/index.html")
    block = re.search(r'<details class="xref-backlinks[^"]*" id="n4-1-cited">(.*?)</details>', notice, re.S).group(1)
    assert '<span class="xref-backlinks__kind">案例</span>' in block
    assert re.search(r'href="\.\./cases/20\d\d-[a-z-]+/#req-n4-1-\d"', block)
    cov = json.loads(_read(built_site, "xref/coverage.json"))
    row = next(r for r in cov["paragraphs"] if r["id"] == "n4-1")
    assert row["案例"] >= 11
    targets = json.loads(_read(built_site, "xref/targets.json"))
    for stem in CASES:
        assert targets[f"case-{stem}"]["kind"] == "case"


def test_editor_guide_lists_the_vocabulary(built_site: Path):
    html = _read(built_site, "guide/cases/index.html")
    assert "隐蔽工作面作业（通知原文用语）" in html and "监管责任不落实" in html
    assert 'href="../../notice/#n4-1-3"' in html
    assert "金属非金属矿山（开采方式未注明）" in html


# ---- 修改过的副本 -------------------------------------------------------------------------


def _fails(tmp_path: Path, src: Path, env: dict[str, str] | None = None) -> str:
    result = build(src, tmp_path / "out", env=env)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out
    return out


def test_bad_cases_stop_the_build_with_file_line_and_chinese_message(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    for name in ("unknown-province", "http-url", "future-date", "conflict-picked"):
        shutil.copy(FIX / "bad" / f"{name}.md", src / "docs" / "cases" / f"2023-{name}.md")
    out = _fails(tmp_path, src, env={"STUDYCOL_TODAY": "2024-06-30"})
    assert "典型案例有 4 处问题" in out
    assert "docs/cases/2023-unknown-province.md:10: 字段 region.province：“山西”不是省级行政区的全称，是不是“山西省”？" in out
    assert "docs/cases/2023-http-url.md:37: 字段 sources[1].url：来源网址“http://example.org/report”必须以 https:// 开头" in out
    assert "docs/cases/2023-future-date.md:8: 事故日期 2024-07-01 晚于今天（2024-06-30）；请写真实发生的日期。" in out
    assert "docs/cases/2023-conflict-picked.md:9: 各来源对“发生时间”说法不一" in out


def test_unresolvable_case_reference_fails_through_the_xref_resolver(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    shutil.copy(FIX / "broken-refs" / "2023-good-real.md", src / "docs" / "cases" / "2023-good-real.md")
    out = _fails(tmp_path, src)
    assert "docs/cases/2023-good-real.md:29: 引用 [[n4-1-9]] 找不到目标：没有编号“n4-1-9”。最接近的有效编号：n4-1-" in out
    assert "docs/cases/2023-good-real.md:60: 引用 [[doc-nothing]] 找不到目标" in out


def test_local_region_first_and_cases_in_subfolders(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    yml = src / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8")
    assert text.count("    region: 全国") == 1
    yml.write_text(text.replace("    region: 全国", "    region: 山西省"), encoding="utf-8")
    (src / "docs" / "cases" / "local").mkdir()
    shutil.copy(FIX / "good" / "local" / "2023-good-minimal.md", src / "docs" / "cases" / "local" / "2023-good-minimal.md")
    result = build(src, tmp_path / "out", env={"STUDYCOL_TODAY": "2024-06-30"})
    assert result.returncode == 0, result.stdout + result.stderr
    home = _read(tmp_path / "out", "cases/index.html")
    local = _section(home, "local")
    assert "本地区案例（山西省）" in local and "本栏目收录山西省的案例2起" in local
    assert re.findall(r'href="(\.\./)?(20\d\d-[a-z-]+)/"', local) == [("", "2023-yongju-huozai"), ("", "2022-jingcheng-manbao")]
    assert home.index('id="local"') < home.index('id="latest"') < home.index('id="counts"')
    assert "全国案例" not in home
    sub = _read(tmp_path / "out", "cases/local/2023-good-minimal/index.html")
    assert 'id="case-2023-good-minimal"' in sub and 'href="../../by-region/#region-neimenggu"' in sub
    assert "local/2023-good-minimal/" in _section(_read(tmp_path / "out", "cases/by-region/index.html"), "region-neimenggu")


def test_unknown_cases_marker_is_rejected():
    """未知的 <!-- cases:… --> 标记：案例一步报出页面文件和行号（直接调用构建核心，不经过 MkDocs）。"""
    from helpers import CorePage, core_pass
    from studycol import problems
    from studycol.content import Content
    from studycol.steps.cases import CasesStep

    text = "# 标题\n\n文字。\n\n<!-- cases:nothing -->\n"
    out: list[str] = []
    problems.use(problems.Reporter(out.append))
    step = CasesStep(core_pass(), Content(REPO, REPO / "docs"))
    step.markdown(text, CorePage("cases/index.md", text))
    assert len(out) == 1 and out[0].startswith("docs/cases/index.md:5: 未知的标记“cases:nothing”；可用的有：cases:local、")
