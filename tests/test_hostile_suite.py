"""敌意输入测试集的总账（issue 18）：tests/fixtures/hostile/ 中至少 60 个夹具，每个都有测试断言它被拒绝；
再把能一起放进站点的夹具全部放进一份站点副本，做一次严格构建：每个夹具都在它的文件和行上被报告，
每条消息只出现一次，没有回溯，
site/ 中没有任何主动内容，并在时限内结束。

各类夹具的逐个断言（被拒绝、文件和行号、中文、没有回溯、时限）在：
- tests/test_hostile_html.py：Markdown 中的原始 HTML、渲染结果、静态文件、文件类型、片段引用（html/）；
- tests/test_hostile_text.py：看不见的字符（text/）；
- tests/test_escape_build.py：front matter 中的标记由模板转义（目录顶层的两个案例）；
- YAML 的限制（yaml/，在另一个分支上）由 tests/test_yaml_limits.py 断言。
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

import test_hostile_html as th
import test_hostile_text as tt
from helpers import build, copy_site

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
TESTS = Path(__file__).parent
MIN_FIXTURES = 60


def _class_of(path: Path) -> str:
    rel = path.relative_to(HOSTILE)
    if len(rel.parts) == 1:
        return "front matter 中的标记（模板转义）"
    folder, name = rel.parts[0], rel.name
    if folder == "html":
        prefix = name.split("-", 1)[0]
        return {
            "md": "Markdown 中的原始 HTML",
            "rendered": "渲染结果中的 HTML",
            "static": "原样发布的静态文件",
            "snippet": "片段引用",
            "case": "文件类型与空页面",
            "unknown": "文件类型与空页面",
            "page": "文件类型与空页面",
        }.get(prefix, f"html/{prefix}")
    return {"text": "看不见的字符", "yaml": "YAML 的限制"}.get(folder, folder)


def hostile_fixtures() -> list[Path]:
    """全部敌意夹具（不含 ok-* 对照夹具）。"""
    return sorted(p for p in HOSTILE.rglob("*") if p.is_file() and not p.name.startswith("ok-"))


def test_the_suite_has_at_least_60_fixtures(record_property):
    fixtures = hostile_fixtures()
    counts = Counter(_class_of(p) for p in fixtures)
    lines = [f"敌意输入夹具：共 {len(fixtures)} 个（另有 3 个符号链接用例在测试中创建）"]
    lines += [f"  {name}：{n}" for name, n in sorted(counts.items(), key=lambda x: -x[1])]
    record_property("figures", "\n".join(lines))
    assert len(fixtures) >= MIN_FIXTURES, "\n".join(lines)


def test_every_fixture_is_asserted_by_a_test():
    """每个夹具文件都在某个测试中被点名（没有放着不测的夹具）。"""
    sources = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.glob("test_*.py"))
    orphans = [p.relative_to(HOSTILE).as_posix() for p in hostile_fixtures() if p.name not in sources]
    assert orphans == []


# ---- 一次严格构建，带上能一起放进站点的全部夹具 ---------------------------------------------------------


def _together() -> list[tuple[str, str, int, str]]:
    """(夹具相对 hostile/ 的路径, 放进站点的位置, 行号, 规则)。每个页面夹具各占一个页面。"""
    out: list[tuple[str, str, int, str]] = []
    for group in (th.MARKDOWN, th.SNIPPETS):
        for h in group:
            dest = f"docs/shili/{Path(h.fixture).stem}.md"
            out.append((f"html/{h.fixture}", dest, h.line, h.rule))
    for h in th.STATIC + th.FILE_TYPES:
        out.append((f"html/{h.fixture}", h.dest, h.line, h.rule))
    for h in tt.PAGES:
        out.append((f"text/{h.fixture}", h.dest, h.line, "TEXT-1"))
    for h in tt.DATA:  # 放在没有加载器读取的位置：只有安全检查读它们（题库等加载器会先以别的理由中止构建）
        out.append((f"text/{h.fixture}", f"data/shili-{Path(h.fixture).stem}.yml", h.line, "TEXT-1"))
    return out


ACTIVE = ("alert(1)", "<script>alert", "onerror=", "javascript:alert", "root:x:0:0")


@pytest.mark.slow
def test_one_strict_build_refuses_every_fixture_once_and_publishes_nothing_active(tmp_path: Path):
    root = copy_site(tmp_path / "src")
    (root / "docs" / "_snippets").mkdir(exist_ok=True)
    (root / "docs" / "_snippets" / "outer.md").write_text('--8<-- "/etc/passwd"\n', encoding="utf-8")
    cfg = root / "mkdocs.yml"
    nav = ""
    placed = _together()
    assert len(placed) >= 50
    for fixture, dest, _, _ in placed:
        target = root / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((HOSTILE / fixture).read_bytes())
        if dest.endswith(".md") and not dest.startswith("docs/cases/"):
            nav += f"  - 示例{len(nav)}: {dest.removeprefix('docs/')}\n"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("\nnav:\n", "\nnav:\n" + nav, 1), encoding="utf-8")
    out = tmp_path / "site"
    t0 = time.perf_counter()
    proc = build(root, out)
    elapsed = time.perf_counter() - t0
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0, log[-3000:]
    assert "Traceback" not in log and "SnippetMissingError" not in log, log[-3000:]
    assert elapsed < 120, elapsed
    warnings = [ln for ln in log.splitlines() if ln.startswith("WARNING")]
    missing = [
        (fixture, dest, line, rule)
        for fixture, dest, line, rule in placed
        if not any(f"{dest}:{line}: " in ln and f"（{rule}）" in ln for ln in warnings)
    ]
    assert missing == [], missing
    # 每条消息只出现一次（两种语言各构建一遍，同一问题也不重复）；一个夹具可以有几条不同的消息（如 <form> 和 <input>）
    repeated = [ln for ln, n in Counter(warnings).items() if n > 1]
    assert repeated == [], repeated
    for page in out.rglob("*") if out.exists() else []:
        if page.is_file() and page.suffix in (".html", ".svg", ".css", ".js", ".txt"):
            text = page.read_text(encoding="utf-8", errors="replace")
            assert not any(a in text for a in ACTIVE), page
