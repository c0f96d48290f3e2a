"""问答（data/faq.yml）：结构和依据的核对，直接调用 studycol，不构建站点。"""

from __future__ import annotations

from pathlib import Path

import pytest

from studycol import faq, quiz
from studycol.content import Content
from studycol.yamlsrc import load_yaml_file, validate
from studycol import notice as notice_mod

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "faq"


@pytest.fixture(scope="module")
def sources() -> quiz.Sources:
    notice = validate(notice_mod.Notice, load_yaml_file(REPO / "data" / "notice.yml", "data/notice.yml"))
    return quiz.build_sources(notice)


def check(name: str, sources: quiz.Sources) -> list[str]:
    _, errors = faq.check(FIXTURES / name, sources, f"tests/fixtures/faq/{name}")
    return [str(e) for e in errors]


def test_good_fixture_passes(sources):
    assert check("good.yml", sources) == []


@pytest.mark.parametrize(
    ("name", "rule", "line", "words"),
    [
        ("bad-id.yml", "FAQ-1", 6, "questions[1].id"),
        ("duplicate.yml", "FAQ-1", 12, "重复"),
        ("unknown-ref.yml", "FAQ-2", 10, "n4-1-3"),
        ("bad-quote.yml", "FAQ-3", 11, "要开通举报热线"),
    ],
)
def test_each_rule_fails_its_fixture_once(sources, name, rule, line, words):
    found = check(name, sources)
    assert len(found) == 1, found
    assert found[0].startswith(f"tests/fixtures/faq/{name}:{line}: ") and found[0].endswith(f"（{rule}）") and words in found[0]


def test_shipped_faq_cites_only_what_the_sources_say():
    loaded, errors = Content(REPO).faq
    assert errors == [] and loaded is not None
    questions = [q for t in loaded.faq.topics for q in t.questions]
    assert len(questions) >= 10 and all(q.cites for q in questions)


def test_make_check_reports_a_broken_faq_quote(tmp_path, monkeypatch):
    import shutil
    import sys

    sys.path.insert(0, str(REPO / "tools"))
    import check_study

    shutil.copytree(REPO / "data", tmp_path / "data")
    shutil.copytree(REPO / "docs" / "jiedu", tmp_path / "docs" / "jiedu")
    shutil.copy(FIXTURES / "bad-quote.yml", tmp_path / "data" / "faq.yml")
    monkeypatch.setattr(check_study, "ROOT", tmp_path)
    found = [str(p) for p in check_study.problems()]
    assert len(found) == 1 and found[0].startswith("data/faq.yml:11: ") and "FAQ-3" in found[0]
