"""题库核对的每一条规则（tests/fixtures/quiz/ 中一好一坏的夹具）、原文填空的生成和组卷。

不构建网站：直接调用 studycol.quiz 和 studycol.quiz_papers 的函数，用真实的通知和文件登记表作出处。
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import REPO
from studycol import documents as documents_mod
from studycol import notice as notice_mod
from studycol import quiz, quiz_papers
from studycol.yamlsrc import DataError, load_yaml_file, parse_yaml, validate

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quiz"
NOTICE = REPO / "data" / "notice.yml"


@pytest.fixture(scope="module")
def notice_src():
    return load_yaml_file(NOTICE, "data/notice.yml")


@pytest.fixture(scope="module")
def notice(notice_src):
    return validate(notice_mod.Notice, notice_src)


@pytest.fixture(scope="module")
def sources(notice):
    return quiz.build_sources(notice, documents_mod.load_documents(REPO / "data" / "documents.yml"))


def _check_file(path: Path, sources: quiz.Sources) -> quiz.Report:
    display = f"fixtures/quiz/{path.parent.name}/{path.name}"
    try:
        qset, items, errors = quiz.load_file(path, display)
    except DataError as exc:
        return quiz.Report(exc.errors, [])
    report = quiz.verify(quiz.Bank([qset], items), sources)
    report.errors[:0] = errors
    return report


def _expectations(path: Path) -> list[tuple[bool, int, str]]:
    """夹具开头的“# 期望N：文字”，以及带“# ←N”标记的行号。"""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    out = []
    for m in re.finditer(r"^# 期望(（警告）)?(\d+)：(.+)$", text, re.M):
        n = m.group(2)
        line = next(i for i, ln in enumerate(lines, 1) if re.search(rf"# ←{n}\s*$", ln))
        out.append((bool(m.group(1)), line, m.group(3)))
    return out


GOOD = sorted((FIXTURES / "good").glob("*.yml"))
BAD = sorted((FIXTURES / "bad").glob("*.yml"))


def test_fixture_sets_are_complete():
    assert len(GOOD) >= 6 and len(BAD) >= 30
    for path in BAD:
        assert _expectations(path), f"{path.name} 没有写“# 期望N：”"


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_good_fixture_passes(path: Path, sources):
    report = _check_file(path, sources)
    assert report.errors == [] and report.warnings == [], [str(e) for e in report.errors + report.warnings]


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_fixture_is_reported_with_file_line_and_id(path: Path, sources):
    report = _check_file(path, sources)
    display = f"fixtures/quiz/bad/{path.name}"
    for is_warning, line, text in _expectations(path):
        pool = report.warnings if is_warning else report.errors
        found = [str(e) for e in pool if e.path == display and e.line == line and text in e.message]
        assert found, f"期望在 {display}:{line} 报告“{text}”，实际：\n" + "\n".join(map(str, report.errors + report.warnings))
    if not any(w for w, _, _ in _expectations(path)):
        assert report.errors, "坏夹具必须产生错误"


def test_messages_are_chinese_and_name_the_question(sources):
    for path in BAD:
        for e in _check_file(path, sources).errors:
            assert re.search(r"[\u4e00-\u9fff]", e.message)
            if path.name != "yaml-syntax.yml":
                assert e.message.startswith("题目 "), str(e)


# ---- 原文填空 ------------------------------------------------------------------------


def _marked_notice(notice_src, extra: dict[str, str]):
    """在通知数据中替换某几句的文字（用于测试生成规则），返回 (通知, 带行号的源)。"""
    text = NOTICE.read_text(encoding="utf-8")
    for old, new in extra.items():
        assert old in text
        text = text.replace(old, new, 1)
    src = parse_yaml(text, "data/notice.yml")
    return validate(notice_mod.Notice, src), src


def test_generated_blanks_from_marked_phrases(notice, notice_src):
    items = quiz.generate(notice, notice_src, {p.id: "all" for p in notice.parts})
    phrases = sum(len(set(notice_mod.marked_phrases(s.text))) for _, p in notice.paragraphs() for s in p.sentences)
    assert len(items) == phrases >= 5
    by_answer = {i.q.answer: i for i in items}
    ledger = by_answer["台账化管理"]
    assert ledger.q.type == "填空" and ledger.q.source == "n4-1-2" and ledger.generated
    assert ledger.q.stem == "要紧盯重大隐患，实行____，将责任落实到人头，确保动态销号清零。"
    assert "==" not in "".join(i.q.stem for i in items)
    # 行号指向 data/notice.yml 中这句话的 text 行
    line = NOTICE.read_text(encoding="utf-8").splitlines()[ledger.line - 1]
    assert ledger.path == "data/notice.yml" and "==台账化管理==" in line
    # 短语在句中出现两次时，两处都留空，不泄露答案
    changed, src = _marked_notice(notice_src, {"组织编写《硬措施》解读要点": "组织编写《硬措施》==解读要点==", "==典型案例==": "典型案例"})
    jiedu = {i.q.answer: i for i in quiz.generate(changed, src, {p.id: "all" for p in changed.parts})}["解读要点"]
    assert jiedu.q.stem.count("____") == 2 and "解读要点" not in jiedu.q.stem


def test_generated_ids_are_stable(notice, notice_src):
    before = {i.q.answer: i.q.id for i in quiz.generate(notice, notice_src, {p.id: "all" for p in notice.parts})}
    # 在同一句前面、以及另一部分，各加一个新标记
    changed, src = _marked_notice(
        notice_src,
        {
            "要紧盯重大隐患，实行==台账化管理==": "要紧盯==重大隐患==，实行==台账化管理==",
            "国家矿山安全监察局将定期开展": "国家矿山安全监察局将==定期==开展",
        },
    )
    after = {i.q.answer: i.q.id for i in quiz.generate(changed, src, {p.id: "all" for p in changed.parts})}
    assert set(after) == set(before) | {"重大隐患", "定期"}
    assert all(after[k] == v for k, v in before.items())
    assert re.fullmatch(r"q-gen-n4-1-2-[0-9a-f]{6}", after["台账化管理"])


def test_generated_questions_pass_verification(notice, notice_src, sources):
    items = quiz.generate(notice, notice_src, {p.id: "all" for p in notice.parts})
    report = quiz.verify(quiz.Bank([], items), sources)
    assert report.errors == [] and report.warnings == []


def _bank_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    d = tmp_path / "quiz"
    d.mkdir()
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def test_every_part_must_belong_to_one_set(tmp_path: Path, notice, notice_src):
    d = _bank_dir(
        tmp_path,
        {
            "a.yml": "title: 甲\nparts: [n0, n1, n2, n3, n4]\nquestions: []\n",
            "b.yml": "title: 乙\nparts: [n4, n7]\nquestions: []\n",
        },
    )
    _, errors = quiz.load_bank(d, notice, notice_src, "data/quiz")
    text = "\n".join(map(str, errors))
    assert "data/quiz/b.yml:1: parts 中的“n7”不是通知的部分编号" in text
    assert "data/quiz/b.yml:1: 通知部分 n4 已归入测验“a”" in text
    assert "通知部分 n5 没有归入任何一套测验" in text and "通知部分 n9 没有归入任何一套测验" in text


def test_generated_questions_join_their_set(tmp_path: Path, notice, notice_src):
    parts = [p.id for p in notice.parts]
    d = _bank_dir(tmp_path, {"all.yml": f"title: 全部\nparts: [{', '.join(parts)}]\nquestions: []\n"})
    bank, errors = quiz.load_bank(d, notice, notice_src)
    assert errors == []
    assert bank.items and all(i.set == "all" and i.generated for i in bank.items)


def test_duplicate_ids_across_files(tmp_path: Path, notice, notice_src, sources):
    q = "  - id: q-same\n    type: 填空\n    stem: 确保每项工作有人抓、____。\n    answer: 有人管\n    explain: 见原文。\n    source: n5-1-1\n"
    d = _bank_dir(
        tmp_path,
        {
            "a.yml": "title: 甲\nparts: [n0, n1, n2, n3, n4, n5, n9]\nquestions:\n" + q,
            "b.yml": "title: 乙\nquestions:\n" + q.replace("有人抓、____", "____、有人管").replace("answer: 有人管", "answer: 有人抓"),
        },
    )
    bank, errors = quiz.load_bank(d, notice, notice_src)
    assert errors == []
    report = quiz.verify(bank, sources)
    assert any(e.path == "data/quiz/b.yml" and e.line == 3 and "题目 q-same：编号与 data/quiz/a.yml:4 的题目重复" in e.message for e in report.errors), report.errors


def test_coverage_warning_names_the_paragraph(tmp_path: Path, notice, notice_src, sources):
    d = _bank_dir(tmp_path, {"a.yml": "title: 甲\nquestions: []\n"})
    bank, _ = quiz.load_bank(d, notice, notice_src)
    warnings = quiz.coverage_problems(bank, notice, notice_src)
    assert len(warnings) == len(notice.paragraphs())
    w = next(w for w in warnings if "n4-1" in w.message)
    assert w.path == "data/notice.yml" and "id: n4-1" in NOTICE.read_text(encoding="utf-8").splitlines()[w.line - 1]
    assert "通知第四部分第1段（n4-1）还没有任何题目" in w.message


def test_real_bank_passes_and_covers_every_paragraph():
    bank, _, report = quiz.check_directory(REPO / "data" / "quiz", NOTICE, REPO / "data" / "documents.yml")
    assert report.errors == [] and report.warnings == [], [str(e) for e in report.errors + report.warnings]
    hand = [i for i in bank.items if not i.generated]
    assert len(bank.items) >= 80 and len(hand) >= 50
    counts = quiz.counts_by_type(hand)
    assert all(counts[t] >= 5 for t in quiz.TYPES), counts
    assert {i.q.difficulty for i in hand} == {"易", "中", "难"}
    # 依据外部来源的题目都写明了来源
    for i in hand:
        if not i.q.source.startswith("n"):
            assert i.q.provenance, i.q.id


def test_normalize_ignores_width_and_spaces():
    assert quiz.contains("中共中央办公厅 国务院办公厅（以下简称《意见》）", "国务院办公厅(以下简称《意见》)")
    assert not quiz.contains("台账化管理", "清单化管理")


# ---- 组卷 --------------------------------------------------------------------------


def _glossary_names():
    from studycol import glossary as glossary_mod

    return [t.names for t in glossary_mod.load_glossary(REPO / "data" / "glossary.yml", "data/glossary.yml").glossary.terms]


@pytest.fixture(scope="module")
def real_bank():
    bank, _, _ = quiz.check_directory(REPO / "data" / "quiz", NOTICE, REPO / "data" / "documents.yml", synonyms=_glossary_names())
    papers, src = quiz_papers.load_papers(REPO / "data" / "quiz" / "papers.yml")
    return bank, papers, src


def _fingerprint(paper: quiz_papers.Paper) -> list[tuple[str, tuple[str, ...], str]]:
    return [(v.q.id, v.options, v.answer) for v in paper.views]


def test_same_seed_same_paper(real_bank):
    bank, papers, _ = real_bank
    a1 = quiz_papers.build_paper(bank, papers.papers, "a")
    a2 = quiz_papers.build_paper(bank, papers.papers, "a")
    assert _fingerprint(a1) == _fingerprint(a2) and a1.code == a2.code


def test_a_and_b_share_questions_in_different_order(real_bank):
    bank, papers, _ = real_bank
    a = quiz_papers.build_paper(bank, papers.papers, "a")
    b = quiz_papers.build_paper(bank, papers.papers, "b")
    assert sorted(v.q.id for v in a.views) == sorted(v.q.id for v in b.views)
    assert [v.q.id for v in a.views] != [v.q.id for v in b.views]
    assert [v.options for v in a.views if v.options] != [v.options for v in b.views if v.options]
    assert a.code != b.code and a.code.startswith("A-") and b.code.startswith("B-")
    assert a.total == 100 and a.count == sum(s.count for s in papers.papers.sections)


def test_changing_the_seed_changes_the_paper(real_bank):
    bank, papers, _ = real_bank
    other = papers.papers.model_copy(update={"selection_seed": papers.papers.selection_seed + 1})
    a = quiz_papers.build_paper(bank, papers.papers, "a")
    c = quiz_papers.build_paper(bank, other, "a")
    assert sorted(v.q.id for v in a.views) != sorted(v.q.id for v in c.views)


def test_shuffled_answer_letters_point_to_the_correct_options(real_bank):
    bank, papers, _ = real_bank
    for variant in ("a", "b"):
        for v in quiz_papers.build_paper(bank, papers.papers, variant).views:
            if v.q.type in ("单选", "多选"):
                shown = sorted(v.options[quiz.LETTERS.index(x)] for x in v.answer)
                assert shown == sorted(v.q.correct_options()), v.q.id
            else:
                assert v.answer == v.q.answer


def test_fixed_order_keeps_options(real_bank):
    bank, papers, _ = real_bank
    item = bank.items[0]
    fixed = quiz.Item(item.q.model_copy(update={"fixed_order": True}), item.set, item.path, item.line)
    import random

    v = quiz_papers.view(fixed, 1, "x", random.Random(3))
    assert list(v.options) == list(item.q.options)


def test_selection_spreads_over_sets(real_bank):
    bank, papers, _ = real_bank
    picked = quiz_papers.select(bank, papers.papers.sections, papers.papers.selection_seed)
    sets = {i.set for _, items in picked for i in items}
    assert sets == {s.id for s in bank.sets}
    comp = quiz_papers.build_comprehensive(bank, papers.comprehensive)
    assert [len(s.views) for s in comp] == [s.count for s in papers.comprehensive.sections]


def test_set_pages_shuffle_options_by_question_id(real_bank):
    bank, _, _ = real_bank
    letters = [v.answer for s in bank.sets for sec in quiz_papers.set_views(bank, s.id) for v in sec.views if v.q.type == "单选"]
    assert len(set(letters)) >= 3, "分部分测验中单选题的答案不应集中在同一个字母"
    again = [v.answer for s in bank.sets for sec in quiz_papers.set_views(bank, s.id) for v in sec.views if v.q.type == "单选"]
    assert letters == again


def test_paper_total_must_be_100():
    text = (REPO / "data" / "quiz" / "papers.yml").read_text(encoding="utf-8")
    bad = re.sub(r"(- type: 多选\n\s+count: )10", r"\g<1>11", text, count=1)
    with pytest.raises(DataError) as exc:
        validate(quiz_papers.PapersFile, parse_yaml(bad, "data/quiz/papers.yml"))
    line = bad.splitlines().index("papers:") + 1
    assert f"data/quiz/papers.yml:{line}: 字段 papers：各题型“题数×每题分值”之和应为100分，现为103分" in str(exc.value)


def test_paper_shortage_is_reported_with_line(real_bank):
    bank, _, _ = real_bank
    text = (REPO / "data" / "quiz" / "papers.yml").read_text(encoding="utf-8")
    bad = re.sub(r"(- type: 多选\n\s+count: )10", r"\g<1>99", text, count=1)
    src = parse_yaml(bad, "data/quiz/papers.yml")
    sections = [quiz_papers.Section.model_validate(s) for s in src.data["papers"]["sections"]]
    problems = quiz_papers.shortage_problems(bank, sections, src, ("papers", "sections"))
    line = next(i for i, ln in enumerate(bad.splitlines(), 1) if "count: 99" in ln)
    assert [(p.path, p.line) for p in problems] == [("data/quiz/papers.yml", line)]
    assert "要抽 99 道多选题，题库中能进入试卷的只有" in problems[0].message


def test_question_model_rejects_bad_values():
    with pytest.raises(Exception):
        quiz.Question.model_validate({"id": "q-x", "type": "单选", "stem": "题", "answer": "A", "explain": "e", "source": "n1", "difficulty": "很难"})
    q = quiz.Question.model_validate({"id": "q-x", "type": "多选", "stem": "题", "options": ["a", "b", "c"], "answer": "C、A", "explain": "e", "source": "n1"})
    assert q.answer_letters == ["A", "C"] and q.correct_options() == ["a", "c"]


def test_fixture_copy_runs_through_load_bank(tmp_path: Path, notice, notice_src, sources):
    """坏夹具放进题库目录，经 load_bank + verify（构建使用的路径）同样报告出来。"""
    d = tmp_path / "quiz"
    d.mkdir()
    shutil.copy(FIXTURES / "bad" / "answer-range.yml", d / "x.yml")
    (d / "all.yml").write_text("title: 全部\nparts: [n0, n1, n2, n3, n4, n5, n9]\nquestions: []\n", encoding="utf-8")
    bank, errors = quiz.load_bank(d, notice, notice_src)
    report = quiz.verify(bank, sources)
    assert any(str(e).startswith("data/quiz/x.yml:") and "题目 q-bad-range：单选题的答案“E”超出了选项范围" in str(e) for e in report.errors)


def _judgement_questions(n: int, start: int = 0) -> str:
    return "".join(
        f"  - id: q-size-{k:04d}\n    type: 判断\n    stem: 第{k}题。\n    answer: 正确\n    explain: 说明。\n    source: n4-1-2\n"
        for k in range(start, start + n)
    )


@pytest.mark.parametrize("extra, ok", [(0, True), (1, False)])
def test_a_set_holds_at_most_the_maximum_number_of_questions(tmp_path: Path, notice, notice_src, extra: int, ok: bool):
    """一套测验的题数有上限（含生成的填空题），测验页面因此不随题库增长；超过时指出文件，说明怎样拆分。"""
    parts = [p.id for p in notice.parts]
    generated = len(quiz.generate(notice, notice_src, {p: "big" for p in parts}))
    own = quiz.MAX_SET_QUESTIONS - generated + extra
    text = f"title: 大题库\nparts: [{', '.join(parts)}]\nquestions:\n" + _judgement_questions(own)
    d = _bank_dir(tmp_path, {"big.yml": text})
    _, errors = quiz.load_bank(d, notice, notice_src, "data/quiz")
    too_big = [e for e in errors if "超过" in str(e)]
    assert (too_big == []) is ok
    if not ok:
        assert str(too_big[0]).startswith("data/quiz/big.yml:1: 这套测验有") and "拆成几个题库文件" in str(too_big[0])


def _pairwise_reference(items: list[quiz.Item], threshold: float) -> tuple[list[str], list[str]]:
    """查重的朴素写法：逐对计算相似度。duplicate_problems 的筛选只为省时间，结果必须与它相同。"""
    import difflib

    errors: list[str] = []
    warnings: list[str] = []
    keys = [quiz._stem_key(i) for i in items]
    for a in range(len(items)):
        for b in range(a + 1, len(items)):
            ia, ib = items[a], items[b]
            if ia.q.type == "填空" and ib.q.type == "填空" and quiz.normalize(ia.q.answer) != quiz.normalize(ib.q.answer):
                continue
            if ib.q.id in ia.q.distinct_from or ia.q.id in ib.q.distinct_from:
                continue
            if keys[a] == keys[b]:
                errors.append(f"{ib.q.id}={ia.q.id}")
                continue
            ratio = difflib.SequenceMatcher(None, keys[a], keys[b], autojunk=False).ratio()
            if ratio >= threshold:
                warnings.append(f"{ib.q.id}~{ia.q.id} {ratio:.0%}")
    return errors, warnings


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7, quiz.NEAR_DUPLICATE])
def test_duplicate_screening_finds_the_same_pairs_as_comparing_every_pair(notice, notice_src, threshold):
    bank, errors = quiz.load_bank(REPO / "data" / "quiz", notice, notice_src)
    assert errors == []
    # 真实题库再加几道改写过的题：有完全相同的、长短不一而相近的、只差几个字的
    items = list(bank.items)
    for n, i in enumerate(items[:12]):
        stem = i.q.stem if n % 3 == 0 else (i.q.stem + "（补充说明）" * (n % 3)) if n % 2 else i.q.stem[2:]
        items.append(quiz.Item(i.q.model_copy(update={"id": f"{i.q.id}-x{n}", "stem": stem, "distinct_from": []}), i.set, i.path, i.line, i.generated))
    want_errors, want_warnings = _pairwise_reference(items, threshold)
    got_errors, got_warnings = quiz.duplicate_problems(items, threshold)
    got = [re.search(r"题目 ([\w-]+)：题干与 ([\w-]+)（", e.message).groups() for e in got_errors]
    assert [f"{b}={a}" for b, a in got] == want_errors
    got_w = [re.search(r"题目 ([\w-]+)：题干与 ([\w-]+)（.*相似度 (\d+%)", w.message).groups() for w in got_warnings]
    assert [f"{b}~{a} {r}" for b, a, r in got_w] == want_warnings
    assert want_errors and (want_warnings or threshold == quiz.NEAR_DUPLICATE)


# ---- 答案泄露（QUIZ-1）和每句一空（QUIZ-2） ------------------------------------------------


def test_leak_rule_names_both_questions_and_the_rule(sources):
    report = _check_file(FIXTURES / "bad" / "answer-leak.yml", sources)
    leaks = [e for e in report.errors if e.message.endswith("（QUIZ-1）")]
    assert len(leaks) == 5, [str(e) for e in report.errors]
    first = leaks[0]
    assert first.line == 9 and "q-bad-leak-blank" in first.message and "q-bad-leak-options（fixtures/quiz/bad/answer-leak.yml:23）" in first.message
    assert "QUIZ-1" in quiz.RULES and "QUIZ-2" in quiz.RULES


def test_leak_in_a_paper_is_reported_with_the_paper_name(sources):
    qset, items, errors = quiz.load_file(FIXTURES / "bad" / "answer-leak.yml", "data/quiz/x.yml")
    assert errors == []
    found = quiz.leak_problems(items[:3], "试卷A卷、B卷")
    assert [e.line for e in found] == [9], [str(e) for e in found]
    assert "出现在试卷A卷、B卷中另一道题 q-bad-leak-options" in found[0].message


def test_one_marked_phrase_per_sentence(notice, notice_src):
    assert quiz.mark_problems(notice, notice_src) == []
    changed, src = _marked_notice(notice_src, {"要紧盯重大隐患，实行": "要紧盯==重大隐患==，实行"})
    problems = quiz.mark_problems(changed, src)
    assert len(problems) == 1 and problems[0].message.endswith("（QUIZ-2）")
    assert problems[0].path == "data/notice.yml" and problems[0].line == next(
        i for i, ln in enumerate(NOTICE.read_text(encoding="utf-8").splitlines(), 1) if "==台账化管理==" in ln
    )
    assert "n4-1-2" in problems[0].message and "重大隐患、台账化管理" in problems[0].message


def test_real_bank_has_no_leak_in_sets_pages_or_papers(real_bank):
    bank, papers, src = real_bank
    assert quiz.set_leak_problems(bank) == []
    assert quiz_papers.paper_leak_problems(bank, papers) == []
    assert quiz_papers.check_papers(bank, papers, src) == []


# ---- 填空题的等价写法 --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, variants",
    [("8个方面", ["八个方面"]), ("八个方面", ["8个方面"]), ("3个月", ["三个月"]), ("十二个", ["12个"]), ("2024年1月", []), ("有人管", [])],
)
def test_numeral_variants(text: str, variants: list[str]):
    assert quiz.numeral_variants(text) == variants


def test_fill_in_accepts_numerals_and_glossary_aliases():
    q = quiz.Question.model_validate({"id": "q-x", "type": "填空", "stem": "提出了____的硬措施。", "answer": "8个方面", "explain": "e", "source": "n0-1-1"})
    item = quiz.with_equivalents(quiz.Item(q, "s", "data/quiz/x.yml", 1), [("台账化管理", "台账")])
    assert item.q.accept == ["八个方面"]
    q2 = q.model_copy(update={"answer": "台账", "stem": "实行____。"})
    item2 = quiz.with_equivalents(quiz.Item(q2, "s", "data/quiz/x.yml", 1), [("台账化管理", "台账")])
    assert item2.q.accept == ["台账化管理"]


def test_real_bank_fill_ins_accept_equivalent_numerals(real_bank):
    bank, _, _ = real_bank
    eight = bank.get("q-n0-eight")
    assert eight is not None and "八个方面" in eight.q.accept


def test_questions_can_cite_an_imported_document(tmp_path: Path, notice, notice_src):
    """导入的公文（虚构的示例市示例局文件）的句子可以作题目出处，答案与它逐字核对，和通知一样。"""
    from studycol import documents as documents_mod
    from studycol import importer
    from tests import gongwen_fixtures as F

    ex = importer.read_source(F.TXT, F.TXT.name)
    doc = importer.build(ex, F.TXT.name, "shiliq", importer.load_hints(F.HINTS), F.TXT.name, None, ()).document
    sentence = doc.parts[1].paragraphs[0].sentences[0]
    text = sentence.text.replace("==", "")
    word = text[2:6]
    registry = documents_mod.load_documents(REPO / "data" / "documents.yml")
    sources = quiz.build_sources(notice, registry, {"doc-shili-quiz": doc})
    assert sources.texts[sentence.id] == text and sources.labels[sentence.id].startswith(doc.meta.doc_number)

    def errors(answer: str) -> list[str]:
        stem = text.replace(word, "____", 1)
        q = (f"  - id: q-shili-imported\n    type: 填空\n    stem: {stem}\n    answer: {answer}\n"
             f"    explain: 见示例文件（测试数据）。\n    source: {sentence.id}\n")
        (tmp_path / str(len(answer))).mkdir()
        d = _bank_dir(tmp_path / str(len(answer)), {"a.yml": "title: 甲\nparts: [n0, n1, n2, n3, n4, n5, n9]\nquestions:\n" + q})
        bank, load_errors = quiz.load_bank(d, notice, notice_src)
        assert load_errors == []
        return [e.message for e in quiz.verify(bank, sources).errors]

    assert errors(word) == []
    assert any("q-shili-imported" in m for m in errors("示例不符的答案"))
