"""敌意或损坏的 YAML（数据文件、案例和页面的 front matter、题库、术语表、别名表）和编号消息：
每一种都被拒绝，指出文件、行号和规则编号，说明是中文，不出现 Python 回溯，并在时限内完成。

夹具在 tests/fixtures/hostile/yaml/，每个用例一个文件（内容虚构：示例省、示例矿），放进临时目录后调用与
构建、make check 和 make check-content 相同的核心函数，不构建站点：
- 读取器：案例用 studycol.cases.load_cases，题库 studycol.quiz.load_file，术语表 studycol.glossary.load_glossary，
  别名表 studycol.ids.load_aliases_file，其他数据文件 studycol.yamlsrc.load_yaml_file，页面 safety.front_matter_problems；
- make check：studycol.lint.lint_text（YAML 读不了时报 FILE-5，说明中带 YAML-n 规则编号）；
- make check-content 的安全检查：studycol.safety.screen_repo。
最后一个测试（slow）把多个数据文件夹具一起放进站点副本做一次严格构建，确认每条消息只出现一次。

规则（编号见 studycol/yamlsrc.RULES、studycol/ids.RULES）：YAML-1 语法，YAML-2 锚点和别名，YAML-3 层数，
YAML-4 标签，YAML-5 复杂的键和合并键，YAML-6 体积和节点数，YAML-7 日期加时刻；ID-1 看不见的字符，
ID-2 复制的案例保留了旧编号，ID-3 已发布的通知编号被删除。
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import REPO, build, copy_site
from studycol import cases as cm
from studycol import glossary, ids, problems, quiz, safety, xref, yamlsrc
from studycol.lint import lint_text

FIXTURES = Path(__file__).parent / "fixtures" / "hostile" / "yaml"
TIME_LIMIT = 2.0  # CPU 秒：每个用例的核心检查（按进程 CPU 时间量，机器忙时也不误报）
CHINESE = re.compile(r"[\u4e00-\u9fff]")
TODAY = dt.date(2024, 6, 30)


@dataclasses.dataclass(frozen=True)
class Hostile:
    fixture: str
    dest: str  # 放进仓库骨架的位置
    rule: str
    line: int
    needle: str  # 说明中应出现的文字


def _case(slug: str) -> str:
    return f"docs/cases/2024-shili-{slug}.md"


CASES = [
    Hostile("case-anchor-bomb.md", _case("anchor-bomb"), "YAML-2", 19, "锚点和别名（&l0）"),
    Hostile("case-deep-nesting.md", _case("deep-nesting"), "YAML-3", 18, "嵌套超过 32 层"),
    Hostile("case-python-tag.md", _case("python-tag"), "YAML-4", 18, "!!python/object/apply:os.system"),
    Hostile("case-complex-key.md", _case("complex-key"), "YAML-5", 18, "字段名必须是简单的文字"),
    Hostile("case-merge-key.md", _case("merge-key"), "YAML-5", 19, "合并键“<<”"),
    Hostile("case-syntax.md", _case("syntax"), "YAML-1", 18, "第 12 列：这里不能出现“键: 值”"),
]
DATA = [
    Hostile("quiz-anchor-bomb.yml", "data/quiz/shili.yml", "YAML-2", 4, "锚点和别名（&s）"),
    Hostile("quiz-complex-key.yml", "data/quiz/shili.yml", "YAML-5", 4, "字段名必须是简单的文字"),
    Hostile("glossary-complex-key.yml", "data/glossary.yml", "YAML-5", 5, "字段名必须是简单的文字"),
    Hostile("data-custom-tag.yml", "data/shili.yml", "YAML-4", 4, "“!shili”"),
    Hostile("data-deep-mapping.yml", "data/shili.yml", "YAML-3", 34, "嵌套超过 32 层"),
    Hostile("data-long-number.yml", "data/shili.yml", "YAML-6", 2, "数字有 5000 位"),
    Hostile("data-many-nodes.yml", "data/shili.yml", "YAML-6", 2, "超过 50,000 项"),
    Hostile("data-tab-indent.yml", "data/shili.yml", "YAML-1", 3, "第 1 列：用了 Tab 缩进"),
    Hostile("data-two-documents.yml", "data/shili.yml", "YAML-1", 3, "第二份"),
]
PAGES = [
    Hostile("page-anchor-bomb.md", "docs/shili/page.md", "YAML-2", 2, "锚点和别名（&t）"),
    Hostile("page-merge-key.md", "docs/shili/page.md", "YAML-5", 3, "合并键“<<”"),
]
LIMITS = CASES + DATA + PAGES  # 超出 YAML 限制：三条路径（读取器、make check、make check-content）都拒绝
# 结构合法、但内容不对的（只有读取器能发现）
SCHEMA = [
    Hostile("case-datetime.md", _case("datetime"), "YAML-7", 8, "写成了日期加时刻"),
    Hostile("case-zwj-id.md", _case("zwj-id"), "ID-1", 2, "\\u200d（零宽连字）"),
    Hostile("glossary-aliases-mapping.yml", "data/glossary.yml", "", 5, "aliases：应为列表"),
    Hostile("aliases-as-list.yml", "data/id-aliases.yml", "", 2, "不是列表"),
]
ALL = LIMITS + SCHEMA


def place(root: Path, fixture: str, dest: str) -> Path:
    target = root / dest
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((FIXTURES / fixture).read_bytes())
    return target


def read_with_the_reader(root: Path, dest: str) -> list[str]:
    """用构建中读取这个文件的那个读取器读它，返回全部问题（字符串）。"""
    path = root / dest
    try:
        if dest.startswith("docs/cases/"):
            vocab = cm.load_vocab(REPO / "data" / "case-vocab.yml").vocab
            return [str(p) for p in cm.load_cases(root / "docs" / "cases", "docs/cases", vocab, TODAY).problems]
        if dest.startswith("docs/"):
            return [str(p) for p in safety.front_matter_problems(path.read_text(encoding="utf-8"), dest)]
        if dest.startswith("data/quiz/"):
            return [str(e) for e in quiz.load_file(path, dest)[2]]
        if dest == "data/glossary.yml":
            glossary.load_glossary(path, dest)
        elif dest == "data/id-aliases.yml":
            ids.load_aliases_file(path, dest)
        else:
            yamlsrc.load_yaml_file(path, dest)
    except yamlsrc.DataError as exc:
        return [str(e) for e in exc.errors]
    return []


def assert_one_message(found: list[str], case: Hostile) -> None:
    prefix = f"{case.dest}:{case.line}: "
    assert len(found) == 1, f"{case.fixture}：应只有一条消息，实际：{found}"
    (msg,) = found
    assert msg.startswith(prefix), f"期望 {prefix}…，实际：{msg}"
    assert case.needle in msg, f"消息中没有“{case.needle}”：{msg}"
    if case.rule:
        assert msg.endswith(f"（{case.rule}）"), msg
    assert CHINESE.search(msg) and "Traceback" not in msg and "Error" not in msg, msg


def test_fixture_count_and_fictional_content():
    assert len(ALL) >= 20 and len({h.fixture for h in ALL}) == len(ALL)
    named = {h.fixture for h in ALL} | {"case-copied-id.md", "case-yuanjian.md", "ok-data.yml", "ok-page.md"}
    assert named == {f.name for f in FIXTURES.iterdir()}, "每个夹具都要登记在本文件的用例表中"
    for f in FIXTURES.iterdir():
        assert "示例" in f.read_text(encoding="utf-8"), f"{f.name} 应使用虚构名称（示例省、示例矿）"


def test_rules_cover_every_rule_id():
    used = {h.rule for h in ALL if h.rule} | {"YAML-6", "ID-2", "ID-3"}  # 超大文件、复制的案例、删除的编号另有测试
    assert used == set(yamlsrc.RULES) | set(ids.RULES)
    with pytest.raises(AssertionError):
        yamlsrc.tagged("说明", "YAML-99")


# ---- 读取器（构建时读取这个文件的那段代码） ------------------------------------------------------------


@pytest.mark.parametrize("case", ALL, ids=[h.fixture for h in ALL])
def test_reader_refuses_with_file_line_and_chinese(tmp_path: Path, case: Hostile):
    place(tmp_path, case.fixture, case.dest)
    t0 = time.process_time()
    found = read_with_the_reader(tmp_path, case.dest)
    assert time.process_time() - t0 < TIME_LIMIT
    assert_one_message(found, case)


# ---- make check（排版检查）：读不了的 YAML 是一条 FILE-5，带上 YAML 规则编号，不展开、不卡住 ---------------------


@pytest.mark.parametrize("case", LIMITS, ids=[h.fixture for h in LIMITS])
def test_make_check_reports_instead_of_hanging(case: Hostile):
    text = (FIXTURES / case.fixture).read_text(encoding="utf-8")
    t0 = time.process_time()
    found = lint_text(text, case.dest)
    assert time.process_time() - t0 < TIME_LIMIT
    (f,) = [f for f in found if f.rule == "FILE-5"]
    assert f.line == case.line and f"（{case.rule}）" in f.detail and case.needle in f.detail, str(f)
    assert "Traceback" not in str(f)


# ---- make check-content 的安全检查（与构建开始时的数据检查相同） ---------------------------------------------


@pytest.mark.parametrize("case", LIMITS, ids=[h.fixture for h in LIMITS])
def test_check_content_screen_refuses(tmp_path: Path, case: Hostile):
    (tmp_path / "docs").mkdir()
    (tmp_path / "data").mkdir()
    place(tmp_path, case.fixture, case.dest)
    t0 = time.process_time()
    _, found = safety.screen_repo(tmp_path)
    assert time.process_time() - t0 < TIME_LIMIT
    assert_one_message([str(p) for p in found], case)


def test_build_data_screen_uses_the_same_loader():
    """构建开始时（studycol/steps/safety.py 的 config）对每个数据文件调用的检查。"""
    text = (FIXTURES / "quiz-anchor-bomb.yml").read_text(encoding="utf-8")
    p = safety.yaml_limit_problem(text, "data/quiz/shili.yml")
    assert p is not None and (p.line, p.rule) == (4, "YAML-2")
    assert safety.refuses_page([p]) and not safety.refuses_page([safety.Problem("docs/x.md", 2, "说明", "YAML-1")])


def test_file_over_2_mib_is_refused_before_parsing(tmp_path: Path):
    text = "# 示例\nitems:\n" + "  - 示例示例示例示例示例示例示例\n" * 80_000  # 约 3 MiB
    t0 = time.process_time()
    with pytest.raises(yamlsrc.DataError) as exc:
        yamlsrc.compose(text, "data/shili.yml")
    assert time.process_time() - t0 < TIME_LIMIT
    (e,) = exc.value.errors
    assert e.line == 1 and "上限 2 MB" in e.message and e.message.endswith("（YAML-6）")
    (tmp_path / "docs").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "shili.yml").write_text(text, encoding="utf-8")
    _, found = safety.screen_repo(tmp_path)
    assert [str(p) for p in found] == [f"data/shili.yml:1: 文件过大（{len(text.encode()) / 1048576:.1f} MB，上限 2 MB）；"
                                       "请拆分成几个文件，或检查是否误粘贴了大段内容（YAML-6）"]


# ---- 应当通过的对照：看起来像特殊写法、其实是普通文字 -------------------------------------------------------


def test_ordinary_yaml_passes_every_path(tmp_path: Path):
    data = (FIXTURES / "ok-data.yml").read_text(encoding="utf-8")
    src = yamlsrc.parse_yaml(data, "data/shili.yml")
    item = src.data["items"][0]
    assert item == {"title": "示例 & 符号", "note": "*号开头的示例", "tag": "!重要 示例", "key": "<<", "date": TODAY}
    assert [f for f in lint_text(data, "data/shili.yml") if f.rule == "FILE-5"] == []
    page = (FIXTURES / "ok-page.md").read_text(encoding="utf-8")
    assert safety.front_matter_problems(page, "docs/shili/page.md") == []
    (tmp_path / "docs").mkdir()
    place(tmp_path, "ok-data.yml", "data/shili.yml")
    place(tmp_path, "ok-page.md", "docs/shili/page.md")
    assert [str(p) for p in safety.screen_repo(tmp_path)[1]] == []


def test_depth_limit_is_exactly_32():
    def nested(n: int) -> str:
        return "a: " + "[" * (n - 1) + "示例" + "]" * (n - 1) + "\n"  # 根映射算一层

    assert yamlsrc.parse_yaml(nested(yamlsrc.MAX_DEPTH), "data/x.yml").data
    with pytest.raises(yamlsrc.DataError, match=r"（YAML-3）"):
        yamlsrc.parse_yaml(nested(yamlsrc.MAX_DEPTH + 1), "data/x.yml")


def test_the_real_data_fits_the_limits():
    for path in sorted((REPO / "data").rglob("*.yml")):
        rel = path.relative_to(REPO).as_posix()
        assert yamlsrc.limit_problem(path.read_text(encoding="utf-8"), rel) is None, rel


# ---- 7 层锚点炸弹：三条命令都在几秒内、200 MB 以内给出中文消息 ------------------------------------------------


def _bomb_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copytree(REPO / "data", root / "data")
    (root / "docs" / "cases").mkdir(parents=True)
    place(root, "case-anchor-bomb.md", _case("anchor-bomb"))
    place(root, "quiz-anchor-bomb.yml", "data/quiz/shili.yml")
    return root


@pytest.mark.parametrize("tool", ["check_content.py", "lint.py"])
def test_commands_refuse_the_bomb_quickly_and_small(tmp_path: Path, tool: str):
    root = _bomb_repo(tmp_path)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    bombs = [root / _case("anchor-bomb"), root / "data" / "quiz" / "shili.yml"]
    args = ["--root", str(root)] if tool == "check_content.py" else [str(p) for p in bombs]
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(REPO / "tools" / tool), *args], cwd=root,
                          capture_output=True, text=True, timeout=60)
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "Traceback" not in out, out[-3000:]
    assert elapsed < 15, elapsed
    if before < 200 * 1024:  # 之前的子进程没有超过 200 MB 时，这个数才是本命令的峰值
        assert peak_mb < 200, peak_mb
    for where in (f"{_case('anchor-bomb')}:19", "data/quiz/shili.yml:4"):
        hits = [ln for ln in out.splitlines() if where in ln and "YAML-2" in ln]
        assert len(hits) == 1, (where, out[-3000:])


# ---- ID-1：看不见的字符在消息中转义显示 --------------------------------------------------------------------


def test_invisible_characters_are_escaped_and_named():
    assert yamlsrc.shown("n4\u200d-1") == "n4\\u200d-1"
    assert yamlsrc.describe_invisible("a\u202eb\ufeff") == "\\u202e（从右到左覆盖）、\\ufeff（零宽不换行空格（BOM））"
    ref = xref.Ref(id="n4-1\u200d-1", label=None, src="docs/shili.md", line=7, page="shili.md")
    target, problem = xref.resolve_one(ref, xref.Index())
    assert target is None and str(problem) == (
        "docs/shili.md:7: 引用 [[n4-1\\u200d-1]] 的编号中有看不见的字符 \\u200d（零宽连字），多半是复制粘贴时带进来的；"
        "请删除这个引用，重新输入编号（ID-1）"
    )
    seen: list[str] = []
    problems.Reporter(seen.append).report("docs/shili.md:1: 标题“示例\u202e矿”")
    assert seen == ["docs/shili.md:1: 标题“示例\\u202e矿”"]


# ---- ID-2：复制的案例保留了原来的编号：指向复制出来的文件 ----------------------------------------------------


def _copied(tmp_path: Path, copy_name: str) -> tuple[Path, cm.Vocab]:
    cases_dir = tmp_path / "cases"
    place(cases_dir, "case-yuanjian.md", "2024-shili-yuanjian.md")
    place(cases_dir, "case-copied-id.md", copy_name)
    return cases_dir, cm.load_vocab(REPO / "data" / "case-vocab.yml").vocab


def test_copied_case_blames_the_copy_even_when_it_sorts_first(tmp_path: Path):
    cases_dir, vocab = _copied(tmp_path, "2024-a-fuzhi.md")  # 复制件按文件名排在前面
    caseset = cm.load_cases(cases_dir, "docs/cases", vocab, TODAY, published=["case-2024-shili-yuanjian"])
    assert [str(p) for p in caseset.problems] == [
        "docs/cases/2024-a-fuzhi.md:2: 案例编号“case-2024-shili-yuanjian”已由 docs/cases/2024-shili-yuanjian.md:2 使用，"
        "这个编号已经发布（data/published-ids.txt），不能改动；本文件看来是复制那个案例新建的，"
        "请把本文件的编号改为 case-2024-a-fuzhi（原来那个文件不要动）（ID-2）"
    ]


def test_copied_case_without_a_name_match_falls_back_to_path_order(tmp_path: Path):
    cases_dir, vocab = _copied(tmp_path, "2024-z-fuzhi.md")
    (cases_dir / "2024-shili-yuanjian.md").rename(cases_dir / "2024-b-yuanjian.md")  # 两个文件名都与编号不对应
    (problem,) = cm.load_cases(cases_dir, "docs/cases", vocab, TODAY).problems
    assert str(problem).startswith("docs/cases/2024-z-fuzhi.md:2: ") and "已经发布" not in str(problem)
    assert "docs/cases/2024-b-yuanjian.md:2 使用" in str(problem) and str(problem).endswith("（ID-2）")


# ---- ID-3：已发布的通知句子被删除：说明要登记别名、登记在哪里 ------------------------------------------------


def _without_sentence(tmp_path: Path, sentence: str) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "data", root / "data")
    path = root / "data" / "notice.yml"
    text = path.read_text(encoding="utf-8")
    m = re.search(rf"\n( +)- id: {sentence}\n(?:\1  .*\n)+", text)
    assert m, sentence
    path.write_text(text.replace(m.group(0), "\n", 1), encoding="utf-8")
    return root


def test_removed_published_sentence_asks_for_an_alias(tmp_path: Path):
    root = _without_sentence(tmp_path, "n4-1-2")
    line = next(n for n, ln in enumerate((root / "data" / "notice.yml").read_text(encoding="utf-8").splitlines(), 1)
                if ln.strip() == "- id: n4-1")
    _, found = ids.check_repo(root)
    assert [str(p) for p in found] == [
        f"data/notice.yml:{line}: 已发布的通知编号“n4-1-2”（原来在 n4-1 中）不见了：它已对外公开（data/published-ids.txt），"
        "别的页面和站点可能引用着它。请在 data/id-aliases.yml 的 aliases 下登记“n4-1-2: 现在的编号”"
        "（改写或合并后的那一句，整句删除时写所在段落）（ID-3）"
    ]
    (root / "data" / "id-aliases.yml").write_text("aliases:\n  n4-1-2: n4-1-1\n", encoding="utf-8")
    assert ids.check_repo(root)[1] == []


def test_alias_file_with_invisible_characters_is_refused(tmp_path: Path):
    path = tmp_path / "id-aliases.yml"
    path.write_text("aliases:\n  n4-1-2: n4-1\u200b-1\n", encoding="utf-8")
    with pytest.raises(yamlsrc.DataError) as exc:
        ids.load_aliases_file(path)
    (e,) = exc.value.errors
    assert str(e) == ("data/id-aliases.yml:2: 别名“n4-1-2: n4-1\\u200b-1”格式不对：旧编号和新编号都只能由英文字母、数字、连字符组成；"
                      "其中有看不见的字符 \\u200b（零宽空格）（ID-1）")


# ---- 一次端到端的严格构建：多个数据文件夹具一起，每条消息只出现一次 ------------------------------------------------

E2E = [
    ("quiz-anchor-bomb.yml", "data/quiz/shili-a.yml", 4, "YAML-2"),
    ("quiz-complex-key.yml", "data/quiz/shili-b.yml", 4, "YAML-5"),
    ("glossary-complex-key.yml", "data/glossary.yml", 5, "YAML-5"),
    ("data-custom-tag.yml", "data/shili-c.yml", 4, "YAML-4"),
    ("data-deep-mapping.yml", "data/shili-d.yml", 34, "YAML-3"),
    ("data-long-number.yml", "data/shili-e.yml", 2, "YAML-6"),
    ("data-many-nodes.yml", "data/shili-f.yml", 2, "YAML-6"),
    ("data-tab-indent.yml", "data/shili-g.yml", 3, "YAML-1"),
    ("data-two-documents.yml", "data/shili-h.yml", 3, "YAML-1"),
]


@pytest.mark.slow
def test_strict_build_refuses_each_data_file_once(tmp_path: Path):
    root = copy_site(tmp_path / "src")
    for fixture, dest, _, _ in E2E:
        place(root, fixture, dest)
    t0 = time.perf_counter()
    proc = build(root, tmp_path / "site")
    assert time.perf_counter() - t0 < 120
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0, log[-3000:]
    assert "Traceback" not in log and "RecursionError" not in log and "unhashable" not in log, log[-3000:]
    for fixture, dest, line, rule in E2E:
        hits = [ln for ln in log.splitlines() if f"{dest}:{line}: " in ln]
        assert len(hits) == 1 and hits[0].endswith(f"（{rule}）"), (fixture, hits, log[-3000:])


def test_length_limits_say_how_long_the_text_must_be():
    """字数不够或太长时说明限度和现有字数；只有真正留空时才说“不能为空”。"""
    from pydantic import BaseModel, Field

    from studycol.yamlsrc import DataError, parse_yaml, validate

    class Entry(BaseModel):
        summary: str = Field(min_length=10, max_length=20)

    def message(text: str) -> str:
        with pytest.raises(DataError) as caught:
            validate(Entry, parse_yaml(f"summary: {text}\n", "data/shili.yml"))
        return str(caught.value)

    assert "data/shili.yml:1: 字段 summary：太短：至少10个字，现在是8个字" in message("测试用的虚构摘要")
    assert "太长：最多20个字，现在是21个字" in message("测" * 21)
    assert "字段 summary：不能为空" in message('""')
