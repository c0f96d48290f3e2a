"""中文排版检查：每条规则一个通过夹具和一个失败夹具，停用标记，自动修正，命令行，以及仓库本身必须通过。"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import autocorrect_py
import pytest

from helpers import REPO
from studycol.lint import RULES, fix_bytes, lint_bytes, lint_repo, lint_text, name_problem
from studycol.lint.checks import AUTOCORRECT_RULES, autocorrect_config
from studycol.lint.cli import main as cli_main

FIXTURES = Path(__file__).parent / "fixtures" / "lint"

# 已发布的规则编号：只增不减，永不改号（新增规则时把编号追加到这里）
PUBLISHED_IDS = (
    "ZH-PUNC-1", "ZH-PUNC-2", "ZH-SPACE-1", "ZH-SPACE-2", "ZH-SPACE-3", "ZH-WIDTH-1",
    "ZH-WENHAO-1", "ZH-WENHAO-2", "ZH-WENHAO-3", "ZH-QUOTE-1", "ZH-QUOTE-2", "ZH-BOOK-1",
    "ZH-DASH-1", "ZH-ELLIP-1", "ZH-ELLIP-2", "ZH-DATE-1", "ZH-DATE-2", "ZH-DATE-3",
    "ZH-HEAD-1", "ZH-HEAD-2", "ZH-HEAD-3", "ZH-LATIN-1", "ZH-BREAK-1", "LINT-1",
    "FILE-1", "FILE-2", "FILE-3", "FILE-4", "FILE-5",
)
MESSAGE_RE = re.compile(r"^\[[A-Z]+(?:-[A-Z]+)?-\d+\] \S+:\d+:\d+ .+ → .+$")
TEXT_RULES = [r for r in RULES if r.id != "FILE-1"]


def _fixture(rule_id: str, kind: str) -> tuple[Path, str]:
    d = FIXTURES / rule_id
    (path,) = [p for p in d.iterdir() if p.stem == kind]
    # 夹具按“docs/…”或“data/…”的身份检查，文件名本身不参与 FILE-1
    shown = ("data/" if path.suffix == ".yml" else "docs/") + f"{rule_id.lower()}-{kind}{path.suffix}"
    return path, shown


def test_rule_ids_are_stable_and_unique():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    missing = [i for i in PUBLISHED_IDS if i not in ids]
    assert missing == [], f"已发布的规则编号不能删除或改号：{missing}"
    new = [i for i in ids if i not in PUBLISHED_IDS]
    assert new == [], f"新规则请把编号追加到 PUBLISHED_IDS：{new}"
    for r in RULES:
        assert re.fullmatch(r"[A-Z]+(?:-[A-Z]+)?-\d+", r.id)
        assert r.title and r.message and r.suggestion and r.bad and r.good


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_has_both_fixtures(rule):
    stems = {p.stem for p in (FIXTURES / rule.id).iterdir()}
    assert {"pass", "fail"} <= stems


@pytest.mark.parametrize("rule", TEXT_RULES, ids=lambda r: r.id)
def test_fail_fixture_is_reported(rule):
    path, shown = _fixture(rule.id, "fail")
    found = lint_bytes(path.read_bytes(), shown)
    assert rule.id in {f.rule for f in found}, [str(f) for f in found]
    for f in found:
        assert MESSAGE_RE.match(str(f)), str(f)
        assert f.path == shown and f.line >= 1 and f.col >= 1


@pytest.mark.parametrize("rule", TEXT_RULES, ids=lambda r: r.id)
def test_pass_fixture_is_clean(rule):
    path, shown = _fixture(rule.id, "pass")
    assert [str(f) for f in lint_bytes(path.read_bytes(), shown)] == []


@pytest.mark.parametrize("rule", [r for r in TEXT_RULES if r.fixable], ids=lambda r: r.id)
def test_fix_turns_fail_fixture_into_pass_fixture(rule):
    fail, shown = _fixture(rule.id, "fail")
    good, _ = _fixture(rule.id, "pass")
    fixed, count, rest = fix_bytes(fail.read_bytes(), shown)
    assert count >= 1 and rest == []
    assert fixed.decode("utf-8") == good.read_text(encoding="utf-8")


@pytest.mark.parametrize("rule", [r for r in TEXT_RULES if not r.fixable], ids=lambda r: r.id)
def test_unfixable_rules_offer_no_fix(rule):
    path, shown = _fixture(rule.id, "fail")
    raw = path.read_bytes()
    found = [f for f in lint_bytes(raw, shown) if f.rule == rule.id]
    assert found and all(not f.fixes for f in found)
    fixed, _, rest = fix_bytes(raw, shown)
    assert rule.id in {f.rule for f in rest}


def test_file_names():
    for kind, want_problem in (("fail", True), ("pass", False)):
        names = [ln for ln in (FIXTURES / "FILE-1" / f"{kind}.txt").read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
        assert names
        for name in names:
            assert bool(name_problem(name)) is want_problem, name
            rules = {f.rule for f in lint_bytes("正文。\n".encode(), name)}
            assert ("FILE-1" in rules) is want_problem, name
    assert "含有空格" in name_problem("docs/my page.md")
    assert "汉字" in name_problem("docs/典型案例.md")
    assert "大写" in name_problem("docs/About.md")


# ---- autocorrect 的配置 -------------------------------------------------------------


def test_autocorrect_is_configured_for_government_style():
    """autocorrect 默认在中英文之间加空格；按公文写法必须关掉，并且只开我们映射的规则。"""
    cfg = json.loads(autocorrect_config(["fullwidth"]))
    assert cfg["rules"]["space-word"] == 0 and cfg["rules"]["fullwidth"] == 1
    autocorrect_py.load_config(autocorrect_config([n for names in AUTOCORRECT_RULES.values() for n in names]))
    assert autocorrect_py.format("2024年1月17日印发ICP备案号") == "2024年1月17日印发ICP备案号"
    assert autocorrect_py.format("各地要行动,组织自查") == "各地要行动，组织自查"


def test_autocorrect_rules_never_add_spaces():
    text = "依据矿安〔2024〕2号和ICP备案号,在2024年1月17日印发Markdown文件"
    found = lint_text(text, "docs/x.md")
    assert {f.rule for f in found} == {"ZH-PUNC-1"}
    fixed, _, _ = fix_bytes(text.encode(), "docs/x.md")
    assert fixed.decode() == text.replace(",", "，")


# ---- Markdown 中不检查的部分 ------------------------------------------------------------


def test_code_links_html_and_attributes_are_not_linted():
    text = "\n".join(
        [
            "# 标题 { #title .cls }",
            "",
            "运行 `make check, 看结果` 命令，见[编辑指南](guide/index.md \"标题, 说明\")。",
            "",
            '<div class="grid cards" markdown="1">',
            "",
            "地址：<https://www.example.gov.cn/a,b>，邮箱 <a@b.cn>。",
            "",
            "```yaml",
            "title: 中文, 不查 2024 年",
            "```",
            "",
            "    缩进代码块, 不查 2024 年",
            "",
            '!!! note "提示"',
            "",
            "    告示内容。",
            "",
            "<!-- 注释, 不查 2024 年 -->",
            "",
            "[ref]: https://example.gov.cn/a,b",
        ]
    )
    assert [str(f) for f in lint_text(text, "docs/x.md")] == []


def test_front_matter_text_fields_are_linted_with_real_line_numbers():
    text = "---\ntitle: 测试页面\ndescription: 说明,文字\n---\n\n正文。\n"
    (f,) = lint_text(text, "docs/x.md")
    assert (f.rule, f.line, f.col) == ("ZH-PUNC-1", 3, 16)


def test_positions_point_at_the_problem():
    (f,) = lint_text("第一行。\n\n前面的文字 2024年。\n", "docs/x.md")
    assert (f.rule, f.line, f.col) == ("ZH-SPACE-1", 3, 6)
    assert str(f).startswith("[ZH-SPACE-1] docs/x.md:3:6 汉字与数字或英文之间有空格")


def test_single_dash_is_a_connector_not_a_dash():
    assert lint_text("北京—上海线路，2016—2020年。\n", "docs/x.md") == []


def test_numeric_date_alone_in_a_table_cell_is_allowed():
    assert lint_text("| 日期 | 事项 |\n| --- | --- |\n| 2024-01-22 | 印发 |\n", "docs/x.md") == []


def test_hard_break_with_two_trailing_spaces_is_intentional():
    assert lint_text("第一行  \n第二行。\n", "docs/x.md") == []


def test_list_continuation_line_counts_as_a_hard_break():
    found = lint_text("- 各级部门\n  要迅速行动。\n", "docs/x.md")
    assert [f.rule for f in found] == ["ZH-BREAK-1"]
    fixed, _, rest = fix_bytes("- 各级部门\n  要迅速行动。\n".encode(), "docs/x.md")
    assert fixed.decode() == "- 各级部门要迅速行动。\n" and rest == []


def test_heading_sequence_resets_under_a_new_parent():
    text = "## 一、甲 { #a }\n\n### （一）子 { #a1 }\n\n### （二）子 { #a2 }\n\n## 二、乙 { #b }\n\n### （一）子 { #b1 }\n\n#### 1.孙 { #b11 }\n\n##### （1）曾孙 { #b111 }\n"
    assert lint_text(text, "docs/x.md") == []


def test_a_page_in_a_series_may_start_at_a_later_number():
    text = "# 二、广泛开展宣贯培训活动 { #jd2 }\n\n## （一）定方案 { #a }\n\n## （二）抓宣贯 { #b }\n"
    assert lint_text(text, "docs/x.md") == []
    found = lint_text(text + "\n## （四）缺号 { #c }\n", "docs/x.md")
    assert [f.rule for f in found] == ["ZH-HEAD-3"]
    found = lint_text("# 二、甲 { #a }\n\n### 1.跳级 { #b }\n", "docs/x.md")
    assert [f.rule for f in found] == ["ZH-HEAD-1"]


def test_english_pages_keep_english_spacing_but_fix_doc_numbers():
    text = "The notice 矿安[2024]2号 asks every authority to run a column on the “Hard Measures”, see 《硬措施》.\n"
    found = lint_text(text, "docs/about.en.md")
    assert [f.rule for f in found] == ["ZH-WENHAO-1"]
    assert {f.rule for f in lint_text(text, "docs/about.md")} > {"ZH-WENHAO-1"}


# ---- 停用标记 -------------------------------------------------------------------


def test_disable_block_is_narrow():
    text = (
        "<!-- lint-disable ZH-SPACE-1 -->\n原件写作 2024 年 1 月。\n<!-- lint-enable ZH-SPACE-1 -->\n\n"
        "块外 2024 年。\n\n<!-- lint-disable ZH-SPACE-1 -->\n块内的其他规则照查,不放过。\n<!-- lint-enable ZH-SPACE-1 -->\n"
    )
    found = lint_text(text, "docs/x.md")
    assert [(f.rule, f.line) for f in found] == [("ZH-SPACE-1", 5), ("ZH-SPACE-1", 5), ("ZH-PUNC-1", 8)]


def test_disable_next_line():
    text = "<!-- lint-disable-next-line ZH-SPACE-1 -->\n原件写作 2024 年。\n\n再写 2024 年。\n"
    assert [f.line for f in lint_text(text, "docs/x.md")] == [4, 4]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("<!-- lint-disable -->\n文字。\n<!-- lint-enable -->\n", "没有写规则编号"),
        ("<!-- lint-disable ZH-NOPE-1 -->\n文字。\n<!-- lint-enable ZH-NOPE-1 -->\n", "不认识的规则编号"),
        ("<!-- lint-enable ZH-SPACE-1 -->\n", "前面没有对应的 lint-disable"),
        ("<!-- lint-disable ZH-SPACE-1 -->\n文字 2024 年。\n", "没有对应的“lint-enable ZH-SPACE-1”"),
        ("<!-- lint-disable ZH-SPACE-1 -->\n<!-- lint-disable ZH-SPACE-1 -->\n<!-- lint-enable ZH-SPACE-1 -->\n", "已经停用"),
    ],
)
def test_bad_directives_are_errors(text, needle):
    found = [f for f in lint_text(text, "docs/x.md") if f.rule == "LINT-1"]
    assert found and needle in str(found[0])


def test_directives_inside_code_are_ignored():
    text = "```\n<!-- lint-disable ZH-SPACE-1 -->\n```\n\n正文 2024 年。\n"
    assert [f.rule for f in lint_text(text, "docs/x.md")] == ["ZH-SPACE-1", "ZH-SPACE-1"]


# ---- YAML ----------------------------------------------------------------------


def test_yaml_skips_keys_ids_urls_and_non_chinese_values():
    text = "id: case-1\nurl: https://example.gov.cn/a,b\ntitle: 案例标题\ncount: 3\nreceived: \",\"\ncites: [n4-1-2]\n"
    assert lint_text(text, "data/x.yml") == []


def test_yaml_positions_and_fixes():
    text = "items:\n  - title: 案例 2024 年\n    summary: '说明,文字'\n    body: |\n      第一行。\n      第二行,继续。\n"
    found = lint_text(text, "data/x.yml")
    assert [(f.rule, f.line, f.col) for f in found] == [
        ("ZH-SPACE-1", 2, 14), ("ZH-SPACE-1", 2, 19), ("ZH-PUNC-1", 3, 17), ("ZH-PUNC-1", 6, 10),
    ]
    fixed, _, rest = fix_bytes(text.encode(), "data/x.yml")
    assert rest == []
    assert fixed.decode() == text.replace("案例 2024 年", "案例2024年").replace(",", "，")


def test_yaml_folded_line_is_reported_not_rewritten():
    text = "why: 原件换页处被提取成两段，\n  语句连续，合为一段。\n"
    found = lint_text(text, "data/x.yml")
    assert "ZH-BREAK-1" in {f.rule for f in found}
    assert all(not f.fixes for f in found)


def test_yaml_entry_opt_out_and_comment_opt_out():
    text = (
        "quotes:\n"
        "  - text: 原件写作 2024 年\n"
        "    lint_disable: [ZH-SPACE-1]\n"
        "  - text: 这条照查 2024 年\n"
        "  - text: 原件写作 2024 年  # lint-disable-line ZH-SPACE-1\n"
        "  - text: 未知编号\n"
        "    lint_disable: [ZH-NOPE-1]\n"
    )
    found = lint_text(text, "data/x.yml")
    assert [(f.rule, f.line) for f in found] == [("ZH-SPACE-1", 4), ("ZH-SPACE-1", 4), ("LINT-1", 7)]


def test_yaml_syntax_error_is_a_finding_not_a_crash():
    (f,) = lint_text("title: [未闭合\n", "data/x.yml")
    assert f.rule == "FILE-5" and f.line == 2


# ---- 编码 ----------------------------------------------------------------------


def test_encoding_findings():
    assert [f.rule for f in lint_bytes("正文。\n".encode("gbk"), "docs/x.md")] == ["FILE-2"]
    assert [f.rule for f in lint_bytes(b"\xef\xbb\xbf" + "正文。\r\n".encode(), "docs/x.md")] == ["FILE-3", "FILE-4"]
    fixed, n, rest = fix_bytes(b"\xef\xbb\xbf" + "正文,\r\n".encode(), "docs/x.md")
    assert fixed == "正文，\n".encode() and rest == [] and n == 3


# ---- 仓库与命令行 -----------------------------------------------------------------


def test_notice_data_passes_including_joint_issuers():
    notice = (REPO / "data" / "notice.yml").read_bytes()
    assert "中共中央办公厅 国务院办公厅".encode() in notice
    assert [str(f) for f in lint_bytes(notice, "data/notice.yml")] == []


def test_repository_content_passes_the_lint():
    """make test 中的 make check：docs/ 和 data/ 必须零问题。"""
    found = lint_repo(REPO)
    assert not found, "排版检查发现问题（可先运行 make fix）：\n" + "\n".join(str(f) for f in found)


def test_cli_check_and_fix(tmp_path: Path, capsys):
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "page.md"
    page.write_text("各地要行动,组织自查.\n\n他说“要“严”字当头。\n", encoding="utf-8")
    assert cli_main([], root=tmp_path) == 1
    out = capsys.readouterr().out
    assert "[ZH-PUNC-1] docs/page.md:1:6" in out and "2 处可用 make fix 自动修正" in out
    assert cli_main(["--fix"], root=tmp_path) == 1  # 引号嵌套不能自动修正
    assert page.read_text(encoding="utf-8").startswith("各地要行动，组织自查。")
    page.write_text("各地要行动，组织自查。\n", encoding="utf-8")
    assert cli_main([], root=tmp_path) == 0
    assert "排版检查通过" in capsys.readouterr().out


def test_make_check_target_runs_the_linter():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^check:.*\n\t.*tools/lint\.py\s*$", makefile, re.M)
    assert re.search(r"^fix:.*\n\t.*tools/lint\.py --fix\s*$", makefile, re.M)
    result = subprocess.run([sys.executable, "tools/lint.py", "docs/index.md"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_guide_shows_the_rule_table_generated_from_the_registry(built_site: Path):
    source = (REPO / "docs" / "guide" / "index.md").read_text(encoding="utf-8")
    assert source.count("<!-- lint:rules -->") == 1
    html = (built_site / "guide" / "index.html").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"<code>{rule.id}</code>" in html, rule.id
    assert "lint:rules" not in html
