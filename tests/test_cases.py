"""典型案例：每条校验规则各有一个合格和一个不合格的夹具；索引、相关案例、新建和检查命令。

不构建站点（构建测试在 test_cases_build.py）。夹具在 tests/fixtures/cases/：
good/ 是合格的案例，bad/ 中每个文件只违反一条规则，其余目录用于跨文件的规则。
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO
from studycol import cases as cm
from studycol import documents as documents_mod
from studycol import notice as notice_mod
from studycol.site import PROVINCES
from studycol.yamlsrc import DataError

FIX = REPO / "tests" / "fixtures" / "cases"
TODAY = dt.date(2024, 6, 30)


@pytest.fixture(scope="module")
def vocab() -> cm.LoadedVocab:
    return cm.load_vocab(REPO / "data" / "case-vocab.yml")


def _index(files):
    notice = notice_mod.load_notice(REPO / "data" / "notice.yml")
    docs = [d.id for d in documents_mod.load_documents(REPO / "data" / "documents.yml").documents]
    return cm.known_index(notice_mod.targets(notice), docs, files)


def _errors(path: Path, vocab: cm.LoadedVocab) -> list[str]:
    try:
        cm.parse_case(path.read_text(encoding="utf-8"), f"bad/{path.name}", vocab.vocab, TODAY)
    except DataError as exc:
        return [str(e) for e in exc.errors]
    return []


# ---- 合格的夹具 -----------------------------------------------------------------------


def test_good_fixtures_pass_every_rule(vocab):
    caseset = cm.load_cases(FIX / "good", "good", vocab.vocab, TODAY)
    assert caseset.problems == []
    assert sorted(f.rel for f in caseset.files) == ["2023-good-real.md", "2024-good-teaching.md", "local/2023-good-minimal.md"]
    assert cm.reference_problems(caseset, vocab, _index(caseset.files)) == []


def test_good_fixture_boundaries(vocab):
    """合格夹具正好压在规则的边界上：日期等于今天、https 网址、没有网址但有说明、说法不一时不选定时间。"""
    files = {f.case.id: f.case for f in cm.load_cases(FIX / "good", "good", vocab.vocab, TODAY).files}
    real = files["case-2023-good-real"]
    assert real.sources[0].date == TODAY and real.verification.date == TODAY
    assert real.sources[0].url.startswith("https://") and real.sources[1].url == "" and real.sources[1].note
    assert real.event.time == "" and real.conflict("发生时间") is not None
    assert real.verification.status == "已核实" and any(s.origin == "官方发布" for s in real.sources)
    teaching = files["case-2024-good-teaching"]
    assert teaching.is_teaching and teaching.sources == [] and teaching.verification is None
    assert teaching.event.date is None and teaching.region.province == cm.TEACHING_PROVINCE
    assert len("测试用甲煤矿事故测试用甲煤矿事故测试用甲煤矿事故") == cm.SHORT_MAX  # 不合格夹具多一个字


# ---- 不合格的夹具：每条规则一个，报错写明文件、行号和中文说明 ----------------------------------

BAD: dict[str, list[str]] = {
    "missing-title": ["bad/missing-title.md:2: 字段 title：缺少必填字段"],
    "future-date": ["bad/future-date.md:8: 事故日期 2024-07-01 晚于今天（2024-06-30）；请写真实发生的日期。"],
    "invalid-date": ["bad/invalid-date.md:8: 日期“2023-02-30”不存在；请核对年、月、日，写真实的日期（YYYY-MM-DD）。"],
    "unknown-province": [
        "bad/unknown-province.md:10: 字段 region.province：“山西”不是省级行政区的全称，是不是“山西省”？"
        "应写 34 个省级行政区之一的全称，如“山西省”“内蒙古自治区”"
    ],
    "http-url": [
        "bad/http-url.md:37: 字段 sources[1].url：来源网址“http://example.org/report”必须以 https:// 开头；"
        "不知道网址就留空，并在 note 中说明"
    ],
    "real-without-sources": ["bad/real-without-sources.md:15: 真实案例至少要有一个来源（标题、发布者、网址）；没有来源的事实不能发布。"],
    "unknown-mine-type": [
        "bad/unknown-mine-type.md:12: 字段 mine_type：矿山类型“煤矿”不在词表 data/case-vocab.yml 中；可用的有：井工煤矿、露天煤矿、"
        "煤矿（开采方式未注明）、金属非金属地下矿山、金属非金属露天矿山、金属非金属矿山（开采方式未注明）、尾矿库、类型待核实"
    ],
    "unknown-category": [
        "bad/unknown-category.md:25: 字段 violations[1].category：违法违规类别“偷采”不在词表 data/case-vocab.yml 中；"
        "可用的有：隐蔽工作面作业、整合技改期间偷采、安全监控系统造假、违规分包转包、谎报瞒报事故、迟报事故、越界开采、"
        "超设计布置采掘工作面、重大灾害防治措施不落实、地面设施违规建设和使用、企业安全管理缺失、监管责任不落实"
    ],
    "conflict-picked": [
        "bad/conflict-picked.md:9: 各来源对“发生时间”说法不一（见 conflicts 第 1 项），这里不要选定其中一个；"
        "请把 event.time 留空，页面会并列各种说法。"
    ],
    "conflict-no-source": ["bad/conflict-no-source.md:51: 说法“约11时”没有出处：请写来源编号 source，或在 note 中说明是谁的说法。"],
    "unknown-source-id": ["bad/unknown-source-id.md:27: 来源编号“s3”在 sources 中不存在；已有的来源编号：s1、s2。"],
    "source-without-url-or-note": [
        "bad/source-without-url-or-note.md:40: 这个来源没有网址：请在 note 中说明原因（例如“摘录未附网址”），读者才知道去哪里核对。"
    ],
    "fact-without-source": ["bad/fact-without-source.md:20: 直接原因没有注明来源：请在 sources 中写上来源编号（如 [s1]）。"],
    "fact-without-confidence": [
        "bad/fact-without-confidence.md:25: 违法违规行为“隐蔽工作面作业”没有注明可信度：请写 confidence: 多源、单源或存疑。"
    ],
    "no-violations": ["bad/no-violations.md:2: 没有列出违法违规行为：如果调查结论尚未掌握，请在 violations_note 中如实说明。"],
    "verified-without-by": ["bad/verified-without-by.md:53: 标为“已核实”时必须写明核对人（by）。"],
    "verified-without-official": [
        "bad/verified-without-official.md:54: 标为“已核实”时至少要有一个“官方发布”的来源（调查报告或通报原文）；"
        "只有转载和媒体报道时请保持“待核实”。"
    ],
    "verified-date-future": ["bad/verified-date-future.md:56: 核实日期 2025-01-01 晚于今天（2024-06-30）；请写实际核对的日期。"],
    "teaching-dated": ["bad/teaching-dated.md:8: 教学示例是虚构的情节，不写具体日期（会被当成真实事件，并排进最新案例和按年份的列表）；请删去 event.date。"],
    "teaching-real-province": ["bad/teaching-real-province.md:9: 教学示例是虚构的情节，不写真实的省份；请把 province 写成“示例省”，地点写“某矿”一类的泛称。"],
    "real-without-date": ["bad/real-without-date.md:7: 真实案例必须写明事故日期 event.date（YYYY-MM-DD）。"],
    "real-teaching-province": ["bad/real-teaching-province.md:10: “示例省”只用于教学示例；真实案例请写事故所在省级行政区的全称。"],
    "teaching-verified": ["bad/teaching-verified.md:15: 教学示例是虚构的情节，不能标为“已核实”；请删去 verification。"],
    "real-without-verification": ["bad/real-without-verification.md:2: 真实案例必须写明核实状态：verification: {status: 待核实}。"],
    "bad-cite-format": [
        "bad/bad-cite-format.md:29: 字段 cites：引用编号“[[doc-yingcuoshi]]”格式不对：cites 只能写通知编号（如 n4-1-1）、"
        "文件编号（doc-…）或案例编号（case-…），不加方括号"
    ],
    "duplicate-cite": ["bad/duplicate-cite.md:29: 引用编号“n4-1-4”重复；每个编号写一次即可。"],
    "title-full-stop": ["bad/title-full-stop.md:3: 标题末尾不加句号。"],
    "empty-body": ["bad/empty-body.md:16: 正文为空：请在 front matter 的“---”之后用自己的话写事故经过。"],
    "body-h2": [
        "bad/body-h2.md:62: 正文中不要用二级标题：页面标题由 title 生成，各节标题由模板生成；正文中的小标题请用三级标题（###）。"
    ],
    "heading-without-id": ["bad/heading-without-id.md:62: 小标题要写明英文编号，例如“### 救援经过 { #rescue }”；否则链接不稳定。"],
    "unknown-field": ["bad/unknown-field.md:7: 字段 scop：不认识的字段（可能拼错了）"],
    "bad-time": ["bad/bad-time.md:8: 字段 event.time：时间“25:00”格式不对：请写成 24 小时制的 时:分，例如 \"13:12\"（加英文引号）"],
    "short-too-long": ["bad/short-too-long.md:4: 字段 short：简称有 25 个字，超过了 24 个字；简称用作链接文字，请压缩"],
    "bad-id": [
        "bad/bad-id.md:2: 字段 id：案例编号“2023-good-real”格式不对：应以 case- 开头，只用小写英文字母、数字和连字符，"
        "建议写成 case-加文件名，如 case-2023-xinjing-tanta"
    ],
    "no-front-matter": [
        "bad/no-front-matter.md:1: 文件第一行必须是“---”，后面是 front matter（案例的结构化信息），再以“---”结束；请用 make new-case 生成文件。"
    ],
    "yaml-syntax": ["bad/yaml-syntax.md:5: front matter 的 YAML 语法错误：第 5 列：方括号列表“[…]”没有闭合，或列表项之间缺少逗号（YAML-1）"],
    "duplicate-key": ["bad/duplicate-key.md:7: 字段“scope”重复出现（第一次在第 6 行）；请删除其中一个。"],
}


def test_every_bad_fixture_is_listed():
    assert sorted(p.stem for p in (FIX / "bad").glob("*.md")) == sorted(BAD)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_fixture_rejected_with_exact_message(name, vocab):
    assert _errors(FIX / "bad" / f"{name}.md", vocab) == BAD[name]


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        ("dup-id", "dup-id/2023-second.md:2: 案例编号“case-2023-good-real”已由 dup-id/2023-first.md:2 使用；"
                   "本文件看来是复制那个案例新建的，请把本文件的编号改为 case-2023-second（原来那个文件不要动）（ID-2）"),
        ("dup-name", "dup-name/local/2023-good-real.md:1: 文件名“2023-good-real.md”与 dup-name/2023-good-real.md 重复；"
                     "不同目录下的案例也不能同名，请改一个文件名。"),
        ("bad-name", "bad-name/2023_Good_Real.md:1: 文件名“2023_Good_Real.md”不符合要求：应为“年份-英文名.md”，"
                     "只用小写英文字母、数字和连字符，例如 2023-xinjing-tanta.md。"),
        ("year-mismatch", "year-mismatch/2022-good-real.md:8: 文件名以 2022 开头，但事故日期在 2023 年；请让文件名的年份与事故日期一致。"),
    ],
)
def test_cross_file_rules(folder, expected, vocab):
    caseset = cm.load_cases(FIX / folder, folder, vocab.vocab, TODAY)
    assert [str(p) for p in caseset.problems] == [expected]


def test_unresolvable_references_reported_with_case_file_lines(vocab):
    caseset = cm.load_cases(FIX / "broken-refs", "docs/cases", vocab.vocab, TODAY)
    assert caseset.problems == []
    problems = [str(p) for p in cm.reference_problems(caseset, vocab, _index(caseset.files))]
    assert len(problems) == 2
    assert problems[0].startswith("docs/cases/2023-good-real.md:29: 引用 [[n4-1-9]] 找不到目标：没有编号“n4-1-9”。最接近的有效编号：n4-1-")
    assert problems[1].startswith("docs/cases/2023-good-real.md:60: 引用 [[doc-nothing]] 找不到目标：没有编号“doc-nothing”。")


# ---- 词表 -------------------------------------------------------------------------------


def test_vocab_is_consistent_with_code(vocab):
    v = vocab.vocab
    assert tuple(v.kinds) == cm.KINDS and tuple(v.verification) == cm.STATUSES
    assert set(cm.PROVINCE_SLUGS) == set(PROVINCES) and len(set(cm.PROVINCE_SLUGS.values())) == len(PROVINCES)
    # 通知原文的五种说法排在前面，并标明出处
    notice_words = [c.label for c in v.categories if c.from_notice]
    assert notice_words == ["隐蔽工作面作业", "整合技改期间偷采", "安全监控系统造假", "违规分包转包", "谎报瞒报事故"]
    notice = notice_mod.load_notice(REPO / "data" / "notice.yml")
    text = {t.id: t.text for t in notice_mod.targets(notice)}
    for c in v.categories:
        for nid in c.notice:
            assert nid in text
        if c.from_notice:
            assert any(c.label in text[n] for n in c.notice), c.label


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    measure: reporting\n", "    measure: nothing\n", "类别“谎报瞒报事故”的 measure“nothing”在 measures 中不存在"),
        ("  真实案例: ", "  实际案例: ", "kinds 的取值与程序绑定，必须依次是：真实案例、教学示例"),
        ("    notice: [n4-1-3]\n", "    notice: [doc-notice]\n", "类别“谎报瞒报事故”的 notice 只能写通知的编号"),
        ("source_url: https://aqsczx", "source_url: http://aqsczx", "来源网址必须以 https:// 开头"),
    ],
)
def test_vocab_rules(tmp_path, old, new, expected):
    text = (REPO / "data" / "case-vocab.yml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    bad = tmp_path / "case-vocab.yml"
    bad.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        cm.load_vocab(bad, "data/case-vocab.yml")
    assert any(expected in str(e) and str(e).startswith("data/case-vocab.yml:") for e in exc.value.errors), str(exc.value)


# ---- 仓库中的案例 -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def repo_cases(vocab) -> list[cm.CaseFile]:
    caseset = cm.load_cases(REPO / "docs" / "cases", "docs/cases", vocab.vocab, dt.date.today())
    assert caseset.problems == []
    return caseset.files


def test_repository_content_passes_fast_check():
    count, problems = cm.check_repo(REPO, dt.date.today())
    assert problems == [] and count >= 12


def test_real_cases_are_pending_and_sourced(repo_cases):
    real = [f.case for f in repo_cases if f.case.kind == "真实案例"]
    assert len(real) >= 11
    for c in real:
        assert c.verification.status == "待核实", c.id  # 来源都是转载，不能标为已核实
        assert c.sources and all(s.url.startswith("https://") or s.note for s in c.sources), c.id
        assert all(s.origin != "官方发布" for s in c.sources), c.id
    assert any(f.case.is_teaching for f in repo_cases)


def test_known_time_conflicts_are_recorded(repo_cases):
    by_id = {f.case.id: f.case for f in repo_cases}
    expected = {
        "case-2023-xintai-baozha": ["20时31分", "20时26分", "约22时"],
        "case-2023-yongju-huozai": ["6时30分许", "约6时50分", "7时许"],
        "case-2023-shuangyang-shigu": ["14时40分", "约15时"],
        "case-2024-pingmei-tuchu": ["14时49分", "约14时55分"],
    }
    for cid, values in expected.items():
        conflict = by_id[cid].conflict("发生时间")
        assert conflict is not None and [v.value for v in conflict.values] == values, cid
        assert by_id[cid].event.time == ""


def _ids(group: cm.Group) -> list[str]:
    return [f.case.id for f in group.files]


def test_indexes_of_the_real_cases(repo_cases, vocab):
    real = [f for f in repo_cases if not f.case.id.startswith("case-test-")]
    years = {g.label: _ids(g) for g in cm.by_year(real)}
    assert list(years) == ["2024年", "2023年", "2022年"]
    assert years["2022年"] == ["case-2022-jingcheng-manbao"]
    assert years["2024年"] == ["case-2024-pingmei-tuchu"]  # 教学示例没有日期，不进按年份的列表
    assert len(years["2023年"]) == 9
    regions = {g.label: _ids(g) for g in cm.by_region(real)}
    assert list(regions)[:2] == ["山西省", "内蒙古自治区"]  # 按 PROVINCES 的顺序；教学示例（示例省）不在其中
    assert "示例省" not in regions and "河北省" not in regions
    assert regions["山西省"] == ["case-2023-yongju-huozai", "case-2022-jingcheng-manbao"]
    assert regions["河南省"] == ["case-2024-pingmei-tuchu", "case-2023-gengcun-huozai"]
    assert regions["内蒙古自治区"] == ["case-2023-xinjing-tanta"]
    cats = {g.label: _ids(g) for g in cm.by_category(real, vocab.vocab)}
    assert cats["谎报瞒报事故"] == ["case-2023-wuchangping-tanta", "case-2023-jikun-baoran", "case-2022-jingcheng-manbao"]
    assert cats["隐蔽工作面作业"] == ["case-2024-pingmei-tuchu", "case-2023-xintai-baozha", "case-2023-jikun-baoran", "case-2024-jiaoxue-jiankong"]  # 没有日期的教学示例在最后
    assert cats["迟报事故"] == ["case-2023-xintai-baozha", "case-2023-gengcun-huozai"]
    assert cats["调查结论未掌握"] == ["case-2023-shuangyang-shigu", "case-2023-julong-zhuiluo"]
    mines = {g.label: _ids(g) for g in cm.by_mine_type(real, vocab.vocab)}
    assert mines["露天煤矿"] == ["case-2023-xinjing-tanta"]
    assert set(mines["金属非金属矿山（开采方式未注明）"]) == {
        "case-2023-julong-zhuiluo", "case-2023-wuchangping-tanta", "case-2022-jingcheng-manbao"}
    counts = cm.counts(real)
    assert (counts.total, counts.real, counts.teaching, counts.pending, counts.verified) == (12, 11, 1, 11, 0)
    assert counts.provinces == len(regions)  # 只数真实案例的省份
    assert counts.years == (2022, 2024)


def test_related_cases_prefer_the_same_bulletin(repo_cases):
    by_id = {f.case.id: f for f in repo_cases}
    finder = cm.RelatedFinder(repo_cases)
    related = finder.related(by_id["case-2023-jikun-baoran"])
    first3 = {r.file.case.id for r in related[:3]}
    assert first3 == {"case-2023-wuchangping-tanta", "case-2023-gengcun-huozai", "case-2023-julong-zhuiluo"}
    assert "同一来源" in related[0].reasons
    assert all(r.file.case.id != "case-2023-jikun-baoran" for r in related)
    # 同类违法违规行为：两起迟报
    assert "case-2023-gengcun-huozai" in {r.file.case.id for r in finder.related(by_id["case-2023-xintai-baozha"])}


# ---- 显示格式和索引的紧凑形式 ---------------------------------------------------------------


def test_display_formats():
    assert cm.money_zh(20430.25) == "20430.25万元" and cm.money_zh(500.0) == "500万元" and cm.money_zh(None) == ""
    assert cm.time_zh("08:10", True) == "8时10分许" and cm.time_zh("14:00") == "14时" and cm.time_zh("") == ""
    assert cm.date_zh(dt.date(2023, 2, 22)) == "2023年2月22日"
    assert cm.relative_link("cases/by-region.md", "cases/local/2024-x.md") == "local/2024-x.md"
    assert cm.relative_link("cases/2024-a.md", "cases/2023-b.md") == "2023-b.md"  # 同一目录
    assert cm.relative_link("index.md", "about.md") == "about.md"
    assert cm.relative_link("about.md", "cases/2023-b.md") == "cases/2023-b.md"
    assert cm.relative_link("cases/local/2024-x.md", "guide/cases.md") == "../../guide/cases.md"


def test_large_groups_list_the_latest_and_load_the_rest_in_bounded_batches(vocab):
    files = cm.load_cases(FIX / "good", "good", vocab.vocab, TODAY).files
    group = cm.Group("year-2023", "2023年", cm.sort_cases(files))  # 没有日期的教学示例排在最后
    full, chunks = cm.group_view(group, "cases/by-year.md", ("date",), open_limit=3)
    assert full["more"] is None and chunks == {} and full["count"] == 3
    assert [i["link"] for i in full["items"]] == ["local/2023-good-minimal.md", "2023-good-real.md", "2024-good-teaching.md"]  # 新的在前
    # 页面上只列 1 起，其余 2 起每批 1 起：两个数据文件，前一个指向后一个
    view, chunks = cm.group_view(group, "cases/by-year.md", ("date",), open_limit=1, chunk_size=1)
    assert len(view["items"]) == 1 and view["count"] == 3
    assert view["more"] == {"file": "more-year-2023-1.js", "remaining": 2, "batch": 1}
    assert list(chunks) == ["more-year-2023-1.js", "more-year-2023-2.js"]
    first, second = chunks.values()
    assert first["next"] == "more-year-2023-2.js" and second["next"] is None
    # 每起案例恰好出现一次：页面上或某个数据文件中
    listed = [view["items"][0]["title"]] + [it[0] for c in chunks.values() for it in c["items"]]
    assert sorted(listed) == sorted(f.case.title for f in files)
    # 数据文件中的链接是网址（目录式），相对于索引页的网址 cases/by-year/
    assert first["items"][0][1].startswith("../") and first["items"][0][1].endswith("/")
    assert ".md" not in first["items"][0][1]
    # 钩子可给出实际网址（U 盘版以 .html 结尾）
    _, chunks = cm.group_view(group, "cases/by-year.md", ("date",), 1, 5, href=lambda f: f.src_uri + ".html")
    assert all(it[1].endswith(".html") for c in chunks.values() for it in c["items"])


def test_batch_script_is_a_single_safe_call():
    text = cm.more_script({"group": "g", "items": [["标题</script><script>alert(1)", "../x/", ""]], "next": None})
    assert text.startswith("window.columnCasesMore&&window.columnCasesMore({") and text.count("\n") == 1
    assert "</script>" not in text  # 标题中的结束标签不会提前结束脚本


# ---- make new-case 和 make check-content -----------------------------------------------------

FLAGS = [
    "--kind", "真实案例", "--scope", "本地区", "--date", "2024-05-06", "--province", "山西", "--slug", "demo-mine",
    "--title", "测试用丙煤矿“5·6”事故", "--short", "测试用丙煤矿事故", "--mine-type", "井工煤矿",
    "--narrative", "测试用的事故经过：含有冒号和“引号”。", "--lesson", "测试用的启示。", "--deaths", "2",
    "--violation", "迟报事故=测试用：迟报两小时。",
    "--source-title", "测试用的报道", "--source-issuer", "测试用的媒体", "--source-url", "https://example.org/a",
    "--source-origin", "媒体报道", "--source-holds", "测试用的基本事实。",
]


def _new_case(tmp_path, argv, **kw):
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import new_case
    finally:
        sys.path.pop(0)
    return new_case.main(argv, cases_dir=tmp_path, today=TODAY, **kw)


def test_new_case_from_flags_writes_a_valid_file(tmp_path, vocab, capsys):
    assert _new_case(tmp_path, FLAGS, interactive=False) == 0
    path = tmp_path / "2024-demo-mine.md"
    case = cm.parse_case(path.read_text(encoding="utf-8"), "x.md", vocab.vocab, TODAY).case
    assert case.id == "case-2024-demo-mine" and case.region.province == "山西省"
    assert case.verification.status == "待核实" and case.sources[0].url == "https://example.org/a"
    assert case.violations[0].sources == ["s1"] and case.consequences.deaths == 2
    assert "已新建 docs/cases/2024-demo-mine.md" in capsys.readouterr().out
    # 不覆盖已有文件
    assert _new_case(tmp_path, FLAGS, interactive=False) == 1
    assert "已经存在" in capsys.readouterr().err


def test_new_case_without_terminal_lists_missing_flags(tmp_path, capsys):
    assert _new_case(tmp_path, ["--kind", "真实案例"], interactive=False) == 2
    err = capsys.readouterr().err
    assert err.startswith("缺少必填项：--scope --date --province --slug --title --short --mine-type --narrative")
    assert "--source-title" in err and "--lesson" in err
    assert list(tmp_path.iterdir()) == []


def test_new_case_asks_in_a_terminal(tmp_path, vocab, capsys):
    answers = iter(["2", "2", "Bad Name", "jiaoxue-demo", "测试用的教学示例标题",
                    "测试用的简称", "9", "1", "测试用的虚构情节。", "测试用的启示。"])
    assert _new_case(tmp_path, [], interactive=True, read=lambda prompt: next(answers)) == 0
    out = capsys.readouterr().out
    assert "只能用小写英文字母" in out and "请从以下选项中选择" in out
    assert "事故日期" not in out  # 教学示例不问日期和省份
    case = cm.parse_case((tmp_path / "2024-jiaoxue-demo.md").read_text(encoding="utf-8"), "x.md", vocab.vocab, TODAY).case
    assert case.kind == "教学示例" and case.scope == "本地区" and case.mine_type == "井工煤矿" and case.region.province == "示例省"
    assert case.event.date is None
    # 教学示例不接受日期和省份；真实案例的日期格式不对时说明怎么写
    assert _new_case(tmp_path, ["--kind", "教学示例", "--date", "2024-03-01"], interactive=False) == 2
    assert "不写日期和省份" in capsys.readouterr().err
    assert _new_case(tmp_path, ["--kind", "真实案例", "--date", "2024-02-30"], interactive=False) == 2
    assert "日期“2024-02-30”格式不对" in capsys.readouterr().err


def test_check_content_command(tmp_path):
    ok = subprocess.run([sys.executable, str(REPO / "tools" / "check_content.py")], capture_output=True, text=True, cwd=REPO)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "典型案例：" in ok.stdout and "没有问题" in ok.stdout
    # 坏的副本：只复制检查需要的目录
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    import shutil

    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(FIX / "good", root / "docs" / "cases")
    shutil.copy(FIX / "bad" / "unknown-province.md", root / "docs" / "cases" / "2023-bad.md")
    bad = subprocess.run([sys.executable, str(REPO / "tools" / "check_content.py"), "--root", str(root), "--today", "2024-06-30"],
                         capture_output=True, text=True)
    assert bad.returncode == 1
    assert "docs/cases/2023-bad.md:10: 字段 region.province：“山西”不是省级行政区的全称" in bad.stdout
    assert "典型案例：4 个文件，1 处问题" in bad.stdout
