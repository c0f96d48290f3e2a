"""搜索质量测试集（data/search/queries.yml）的格式、命中规则和指标计算。不构建站点。"""

from __future__ import annotations

import pytest

from helpers import REPO
import search_eval as se
from studycol.yamlsrc import DataError, parse_yaml, validate

SUITE = REPO / "data" / "search" / "queries.yml"


def test_repo_suite_has_enough_queries_of_every_kind():
    suite = se.load_suite(SUITE, "data/search/queries.yml")
    assert len(suite.queries) >= 40
    kinds = {q.kind for q in suite.queries}
    assert kinds == set(suite.kinds), "每一类查询至少要有一条"
    assert sum(1 for q in suite.queries if q.lang == "en") >= 3
    texts = [(q.q, q.lang) for q in suite.queries]
    assert len(texts) == len(set(texts)), "查询重复"


@pytest.mark.parametrize(
    "yaml_text, line, fragment",
    [
        ("kinds: {a: 甲}\nqueries:\n  - {q: 监控, expect: [notice/n4-1-1], kind: a}\n", 3, "格式不对"),
        ("kinds: {a: 甲}\nqueries:\n  - {q: 监控, expect: [en/notice/#n4-1-1], kind: a}\n", 3, "不应在 en/ 下"),
        ("kinds: {a: 甲}\nqueries:\n  - {q: 监控, expect: [], kind: a}\n", 3, "条目太少"),
        ("kinds: {a: 甲}\nqueries:\n  - {q: 监控, expect: [notice/#n4-1-1], kind: a, from: fr}\n", 3, "取值不在允许范围内"),
    ],
)
def test_bad_suite_entries_are_reported_with_line(yaml_text, line, fragment):
    with pytest.raises(DataError) as exc:
        validate(se.Suite, parse_yaml(yaml_text, "data/search/queries.yml"))
    err = exc.value.errors[0]
    assert err.line == line and fragment in err.message


def test_unknown_kind_is_reported_at_its_query(tmp_path):
    path = tmp_path / "queries.yml"
    path.write_text("kinds: {a: 甲}\nqueries:\n  - {q: 监控, expect: [notice/], kind: a}\n  - {q: 查处, expect: [notice/], kind: b}\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        se.load_suite(path, "data/search/queries.yml")
    err = exc.value.errors[0]
    assert (err.path, err.line) == ("data/search/queries.yml", 4) and "kind“b”不在 kinds 中" in err.message


@pytest.mark.parametrize(
    "href, base, want",
    [
        ("http://h:1/notice/?h=%E7%9B%91%E6%8E%A7#n4-1-1", "http://h:1/", "notice/#n4-1-1"),
        ("http://h:1/sub/en/notice/#collation", "http://h:1/sub/", "en/notice/#collation"),
        ("http://h:1/", "http://h:1/", ""),
        ("http://h:1/#principles", "http://h:1/", "#principles"),
        ("file:///m/usb/notice/index.html?h=x#n4-1-1", "file:///m/usb/", "notice/#n4-1-1"),
        ("file:///m/usb/about.html#basis", "file:///m/usb/", "about/#basis"),
        ("file:///m/usb/index.html", "file:///m/usb/", ""),
    ],
)
def test_normalize_location(href, base, want):
    assert se.normalize_location(href, base) == want


def test_hit_rule_accepts_sentences_inside_an_expected_paragraph_only():
    assert se.is_hit("notice/#n4-1-2", ["notice/#n4-1"])
    assert se.is_hit("notice/#n4-1", ["notice/#n4-1"])
    assert not se.is_hit("notice/#n4-1", ["notice/#n4-1-2"])  # 落到段首不算落到句子
    assert not se.is_hit("notice/#n4-10", ["notice/#n4-1"])
    assert not se.is_hit("jiedu/#n4-1-2", ["notice/#n4-1"])
    assert se.is_hit("notice/", ["notice/", "notice/#notice-meta"])
    assert not se.is_hit("notice/#n1", ["notice/"])
    assert se.rank_of(["a/", "notice/#x", "notice/#n4-1-1"], ["notice/#n4-1-1"]) == 3
    assert se.rank_of(["a/"], ["b/"]) is None


def test_metrics():
    def q(kind: str) -> se.Query:
        return se.Query(q="x", expect=["a/"], kind=kind)

    outcomes = [
        se.Outcome(q("s"), [], 1, 10.0),
        se.Outcome(q("s"), [], 2, 20.0),
        se.Outcome(q("p"), [], 4, 30.0),
        se.Outcome(q("p"), [], None, 40.0),
    ]
    m = se.metrics(outcomes)
    assert m.n == 4
    assert m.recall_at_3 == pytest.approx(0.5)
    assert m.recall_at_1 == pytest.approx(0.25)
    assert m.mrr == pytest.approx((1 + 0.5 + 0.25) / 4)
    assert m.by_kind == {"s": (2, 2), "p": (0, 2)}
    assert m.median_ms == pytest.approx(25.0)
    text = se.report(m, outcomes, "测试：")
    assert "recall@3 = 0.500" in text and "MRR = 0.438" in text and text.count("未命中") == 2
