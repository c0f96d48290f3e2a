"""重点任务清单（studycol.tasks）：模型规则、与通知原文的核对、分组、责任矩阵。每条规则有合规和违规的样例。"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPO
from studycol import notice as notice_mod
from studycol import tasks
from studycol.yamlsrc import DataError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tasks"


@pytest.fixture(scope="module")
def notice() -> notice_mod.Notice:
    return notice_mod.load_notice(REPO / "data" / "notice.yml", "data/notice.yml")


def _load(name: str) -> tasks.LoadedTasks:
    return tasks.load_tasks(FIXTURES / name, f"fixtures/{name}")


def _errors(name: str) -> list[str]:
    with pytest.raises(DataError) as exc:
        _load(name)
    return [str(e) for e in exc.value.errors]


def _checks(name: str, notice) -> list[str]:
    return [str(p) for p in tasks.check_against_notice(_load(name), notice, coverage=False)]


def test_good_fixture_passes_every_rule(notice):
    loaded = _load("good.yml")
    assert [t.id for t in loaded.tasks.tasks] == ["task-demo-fengong", "task-demo-taizhang", "task-demo-zicha"]
    assert tasks.check_against_notice(loaded, notice, coverage=False) == []
    # 单个主体写成字符串也可以；多个主体按通知点名的顺序排列
    assert loaded.tasks.tasks[0].actor == ("各级矿山安全监管监察部门",)
    assert loaded.tasks.tasks[2].actor == ("各级矿山安全监管监察部门", "各矿山企业")
    assert loaded.tasks.tasks[2].timing == ("迅速", "立即")


@pytest.mark.parametrize(
    ("fixture", "line", "message"),
    [
        ("bad-actor.yml", 4, "责任主体“各市县应急管理局”不在通知点名的主体之中"),
        ("bad-timing-word.yml", 6, "时间要求“一个月内”不是通知使用的时间词"),
        ("unspecified-with-word.yml", 6, "“未明确”不能与其他时间词并列"),
        ("bad-cite-format.yml", 8, "依据“第四部分第3句”不是通知的段落或句子编号"),
        ("half-width-punct.yml", 5, "工作任务中有半角标点“案,”"),
        ("unknown-field.yml", 7, "字段 tasks[1].deadline：不认识的字段"),
        ("ref-in-action.yml", 5, "工作任务中不要写 [[…]] 引用"),
        ("bad-id.yml", 2, "字段 tasks[1].id：格式不对"),
        ("duplicate-id.yml", 9, "任务编号“task-demo-a”与第 2 行的任务重复"),
    ],
)
def test_schema_rules_report_file_line_and_fix(fixture: str, line: int, message: str):
    errors = _errors(fixture)
    assert any(e.startswith(f"fixtures/{fixture}:{line}: ") and message in e for e in errors), errors


@pytest.mark.parametrize(
    ("fixture", "line", "message"),
    [
        ("timing-not-in-cited.yml", 6, "时间要求“立即”没有出现在所引的通知句子中"),
        ("actor-not-named.yml", 4, "责任主体“国家矿山安全监察局”在 n4-1-5 中没有被点名"),
        ("implied-subject-without-actor-from.yml", 4, "用 actor_from 写明点名该主体的句子编号"),
        ("unknown-cite.yml", 9, "依据“n4-1-9”在通知中不存在"),
    ],
)
def test_checks_against_the_notice(notice, fixture: str, line: int, message: str):
    problems = _checks(fixture, notice)
    assert any(p.startswith(f"fixtures/{fixture}:{line}: ") and message in p for p in problems), problems


def test_actor_from_resolves_an_implied_subject(notice):
    # 同一句话（n4-1-3）没有主语；写明 actor_from 后通过
    assert _checks("unknown-cite.yml", notice) == [
        "fixtures/unknown-cite.yml:9: 任务 task-demo-a 的依据“n4-1-9”在通知中不存在；请核对编号"
    ]


def test_longer_actor_name_is_not_a_mention_of_the_shorter():
    text = "国家矿山安全监察局各省级局要强化责任担当"
    assert tasks.actor_named_in("国家矿山安全监察局各省级局", text)
    assert not tasks.actor_named_in("国家矿山安全监察局", text)
    assert tasks.actor_named_in("国家矿山安全监察局", "国家矿山安全监察局将定期开展抽查和评估")
    assert tasks.actor_named_in("各矿山企业", "组织矿山企业立即逐条对照《硬措施》开展自查")


def test_requirement_sentences_are_exactly_the_ones_that_ask_for_action(notice):
    found = tasks.requirement_sentences(notice)
    # 导语和第一部分前两句只叙述，不提要求（“重要”“要求”“要害”“要点”中的“要”不算）
    for sid in ("n0-1-1", "n0-1-2", "n1-1-1", "n1-1-2"):
        assert sid not in found
    assert found[0] == "n1-1-3" and "n5-1-2" in found and found[-1] == "n9-1-1"
    assert len(found) == 20


def test_partial_list_is_reported_as_not_covering_the_notice(notice):
    problems = [str(p) for p in tasks.check_against_notice(_load("good.yml"), notice)]
    uncovered = [p for p in problems if "没有任何任务引用它" in p]
    assert any("n9-1-1" in p for p in uncovered)
    assert not any("n3-1-1" in p for p in uncovered)  # good.yml 引用了它


def test_repository_task_list_is_complete_and_valid(notice):
    loaded = tasks.load_and_check(REPO / "data" / "tasks.yml", notice)
    items = loaded.tasks.tasks
    assert len(items) >= 20
    cited = {c for t in items for c in t.cites}
    assert set(tasks.requirement_sentences(notice)) <= cited
    assert {a for t in items for a in t.actor} == set(tasks.ACTOR_NAMES)
    for t in items:
        for word in t.timing:
            assert word == tasks.UNSPECIFIED or word in tasks.TIMING_WORDS


def test_groups_follow_actor_order_and_keep_file_order():
    items = _load("good.yml").tasks.tasks
    groups = tasks.group_by_actor(items)
    assert [g.label for g in groups] == ["各级矿山安全监管监察部门", "各级矿山安全监管监察部门和各矿山企业"]
    assert [g.slug for g in groups] == ["tasks-jgjc", "tasks-jgjc-qiye"]
    assert [i for i, _ in groups[0].items] == [0, 1]


def test_matrix_puts_shared_tasks_in_every_actor_row():
    items = _load("good.yml").tasks.tasks
    rows = dict(tasks.matrix(items, ["n3", "n4"]))
    assert [t.id for _, t in rows["各级矿山安全监管监察部门"][1]] == ["task-demo-taizhang", "task-demo-zicha"]
    assert [t.id for _, t in rows["各矿山企业"][1]] == ["task-demo-zicha"]
    assert rows["国家矿山安全监察局"] == [[], []]
