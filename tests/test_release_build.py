"""发布构建（issue 20）端到端：真实站点的一份副本，身份信息写在临时配置里（虚构的示例局），
《硬措施》正文用 release_waivers 豁免，举报渠道写在 extra.column.report。

- 选择 publish_unverified：构建通过；没有编辑页面，任何输出文件中都没有数据里记录的非官方网址，
  没有占位文字和配置项；待核实的案例连同提示发布，指认企业而没有官方来源的案例不发布。
- 不选择：文件登记表的待核实条目还不能单独隐藏，构建被清单阻止；给它们补上（虚构的）核实记录后，
  发布稿中没有“待核实”的内容，待核实的术语不在术语表中。
- 清单中阻止发布的各项，各以自己的说明停止构建。
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site
from studycol import release
from studycol.content import Content

pytestmark = pytest.mark.slow

SITE_URL = "https://www.example.gov.cn/column/"
RELEASE_YML = """\
INHERIT: mkdocs.yml
extra:
  column:
    operator: 示例局
    undertaker: 示例局办公室
    region: 山西省
    contact: "010-00000000"
    site_id_code: "0000000000"
    icp: 示例ICP备00000000号
    police_beian: 示例公网安备00000000000000号
    police_beian_url: https://beian.mps.gov.cn/
    site_domain: www.example.gov.cn
    report:
      phone: "010-00000000"
    release_waivers:
      hard_measures: true
"""
# 测试夹具中的核实记录：虚构的核对人和地址，只用于这份副本，不发布
FICTIONAL_RECORD = '    verification: {status: 已核实, by: 示例编辑, date: 2026-12-01, against: "https://www.example.gov.cn/shili"}\n'
TEXT_SUFFIXES = {".html", ".js", ".json", ".xml", ".csv", ".txt", ".svg", ".css"}


def _release(src: Path, out: Path, extra: str = ""):
    (src / "release.yml").write_text(RELEASE_YML + extra, encoding="utf-8")
    return build(src, out, env={"RELEASE": "1", "SITE_URL": SITE_URL}, extra_args=["-f", "release.yml"])


def _unofficial_hosts() -> set[str]:
    """数据和页面源文件中记录的、不在官方域名上的网站（转载、镜像、题库等）。"""
    domains = release.load_domains(REPO / "data")
    text = "\n".join(p.read_text(encoding="utf-8") for d in ("data", "docs") for p in (REPO / d).rglob("*") if p.suffix in {".yml", ".md"})
    hosts = {release.host_of(u) for u in re.findall(r"https://[^\s\"'<>）)`，]+", text)}
    own = {"www.example.gov.cn", "beian.mps.gov.cn"}
    return {h for h in hosts if re.fullmatch(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", h) and h not in own and not release.is_official("https://" + h + "/", domains) and not h.endswith((".invalid", "example.org"))}


def _texts(site: Path):
    for p in site.rglob("*"):
        if p.is_file() and p.suffix in TEXT_SUFFIXES:
            yield p, p.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = copy_site(tmp_path_factory.mktemp("release") / "src")
    out = src.parent / "site"
    result = _release(src, out, "    publish_unverified: true\n")
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def test_no_editors_page_in_the_release(published: Path):
    for folder in ("guide", "coverage", "translations", "en/guide", "en/coverage", "en/translations"):
        assert not (published / folder).exists(), folder
    home = (published / "index.html").read_text(encoding="utf-8")
    assert "编辑指南" not in home and "翻译状态" not in home and "引用覆盖" not in home
    sitemap = (published / "sitemap.xml").read_text(encoding="utf-8")
    assert "/guide/" not in sitemap and "/coverage/" not in sitemap and "/translations/" not in sitemap
    yc = (published / "yingcuoshi" / "index.html").read_text(encoding="utf-8")
    assert "yc-editors" not in yc and "编辑须知" not in yc


def test_no_unofficial_address_anywhere(published: Path):
    hosts = _unofficial_hosts()
    assert {"saintpaulhem.com", "qntz.me", "m.yzwku.com", "so.kaoshibao.com", "m.jiusongjiankang.com"} <= hosts
    found = {(p.relative_to(published).as_posix(), h) for p, text in _texts(published) for h in hosts if h in text}
    assert found == set()


def test_no_placeholder_or_configuration_key(published: Path):
    bad = re.compile(r"待编辑填写|to be filled in|extra\.column|合并请求|data/[a-z-]+\.yml")
    found = {(p.relative_to(published).as_posix(), m.group(0)) for p, text in _texts(published) if p.suffix == ".html" for m in bad.finditer(text)}
    assert found == set()
    about = (published / "about" / "index.html").read_text(encoding="utf-8")
    assert "<td>举报渠道</td>\n<td>举报电话：010-00000000</td>" in about and "尚未填写" not in about
    notice = (published / "notice" / "index.html").read_text(encoding="utf-8")
    assert "索引号" not in notice and "发文机关" in notice


def test_pending_cases_with_notice_and_accusations_without_official_source(published: Path):
    files = Content(REPO).case_set().files
    for cf in files:
        page = published / cf.src_uri.removesuffix(".md") / "index.html"
        if release.unsupported_allegation(cf):
            assert not page.exists(), cf.src_uri
        else:
            html = page.read_text(encoding="utf-8")
            if not cf.case.is_teaching:
                assert "待核实" in html, cf.src_uri
    landing = (published / "cases" / "index.html").read_text(encoding="utf-8")
    assert "本地区案例（山西省）" in landing and "本栏目尚未收录山西省的案例。" in landing
    assert "案例编辑指南" not in landing


def test_without_publish_unverified_the_checklist_blocks_until_records_exist(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    result = _release(src, tmp_path / "out")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "待核实内容：以下内容待核实，发布构建还不能单独隐藏：文件" in result.stderr and "publish_unverified: true" in result.stderr

    # 文件登记表和术语表的待核实条目补上核实记录（虚构）后：只发布已核实的内容
    content = Content(src)
    pending_terms = {it.id: it.title for it in release.inventory(content) if it.kind == "术语" and it.state == release.PENDING}
    for name, ids in (("documents.yml", {d.id for d in content.documents.documents}),):
        path = src / "data" / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        out = []
        for line in lines:
            out.append(line)
            m = re.fullmatch(r"  - id: ((?:doc|term)-[a-z0-9-]+)\n", line)
            if m and m.group(1) in ids:
                out.append(FICTIONAL_RECORD)
        path.write_text("".join(out), encoding="utf-8")
    # 核实了的文件，说明也随之改写：这一条原来说正式标题和日期待核实
    documents = src / "data" / "documents.yml"
    documents.write_text(documents.read_text(encoding="utf-8").replace("；正式标题和日期待核实。", "。"), encoding="utf-8")
    result = _release(src, tmp_path / "out")
    assert result.returncode == 0, result.stderr[-4000:]
    site = tmp_path / "out"
    # 说明标签的话（关于本栏目、案例首页：“标明‘待核实’”）不算；其余任何地方都不应有“待核实”
    found = {p.relative_to(site).as_posix() for p, text in _texts(site) if p.suffix == ".html" and "待核实" in re.sub(r"“[^“”]{0,4}待核实”", "", text)}
    assert found == set()
    assert not any((site / "cases").glob("2023-*"))  # 真实案例都待核实，都不发布
    # 待核实的术语不在术语表中；解读页面引用它们的地方只写术语名，不链接
    glossary = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert pending_terms and not any(f'id="{tid}"' in glossary for tid in pending_terms)
    part4 = (site / "jiedu" / "part-4" / "index.html").read_text(encoding="utf-8")
    assert "term-yinbi-gongzuomian" in pending_terms and "#term-yinbi-gongzuomian" not in part4
    assert pending_terms["term-yinbi-gongzuomian"] in part4
    assert (site / "cases" / "2024-jiaoxue-jiankong" / "index.html").is_file()  # 教学示例带标签发布
    landing = (site / "cases" / "index.html").read_text(encoding="utf-8")
    assert "本栏目尚未收录经过核实的真实案例，现有教学示例1起。" in landing and "本栏目尚未收录山西省的案例。" in landing


def test_each_blocking_item_stops_the_build_with_its_message(tmp_path: Path):
    src = copy_site(tmp_path / "src")
    (src / "release.yml").write_text("INHERIT: mkdocs.yml\n", encoding="utf-8")
    result = build(src, tmp_path / "out", env={"RELEASE": "1"}, extra_args=["-f", "release.yml"])
    assert result.returncode != 0 and "Traceback" not in result.stderr
    for words in ("页脚信息：以下项目仍为空：主办单位", "《硬措施》正文：", "release_waivers: {hard_measures: true}",
                  "举报渠道：", "report 中至少填写一项", "网站地址：site_url 是“http://127.0.0.1:8000/”", "SITE_URL="):
        assert words in result.stderr, words


def test_404_pages_in_their_language(published: Path):
    zh = (published / "404.html").read_text(encoding="utf-8")
    en = (published / "en" / "404.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in zh and "<h1>页面不存在</h1>" in zh and f'href="{SITE_URL}"' in zh
    assert '<html lang="en"' in en and "<h1>Page not found</h1>" in en and f'href="{SITE_URL}en/"' in en
    assert "404 - Not found" not in zh + en
