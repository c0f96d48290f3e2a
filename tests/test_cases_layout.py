"""studycol/cases/ 包的分层：各模块只按 model ← rules、model ← indexes ← pages 的方向互相导入，
包本身汇总对外的名称（其他代码写 from studycol import cases as cases_mod）。"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from studycol import cases as cm

PACKAGE = Path(cm.__file__).parent

# 每个模块可以从本包的哪些模块导入
ALLOWED = {
    "model": set(),
    "rules": {"model"},
    "indexes": {"model"},
    "pages": {"model", "indexes"},
}


def sibling_imports(module: str) -> set[str]:
    """module 中“from .x import …”和“from . import x”导入的同包模块。"""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def test_the_package_has_exactly_the_four_modules_of_the_layout():
    assert {p.stem for p in PACKAGE.glob("*.py")} == {"__init__", *ALLOWED}


def test_each_module_imports_only_the_modules_below_it():
    for module, allowed in ALLOWED.items():
        assert sibling_imports(module) <= allowed, module


def test_every_exported_name_exists_and_comes_from_one_of_the_modules():
    assert len(cm.__all__) == len(set(cm.__all__))
    owners = {name: importlib.import_module(f"studycol.cases.{name}") for name in ALLOWED}
    for name in cm.__all__:
        value = getattr(cm, name)
        assert any(getattr(mod, name, None) is value for mod in owners.values()), name


def test_the_names_other_code_uses_are_exported():
    # studycol/steps/cases.py、studycol/content.py、studycol/release.py、studycol/safety.py、tools/ 和 bench/ 用到的名称
    used = {
        "INDEX_URIS", "INDEX_PAGES", "OFFICIAL_ORIGIN", "REAL", "TEACHING", "TEACHING_PROVINCE", "VERIFIED",
        "SHORT_MAX", "SLUG_PATTERN", "CaseFile", "CaseSet", "LoadedVocab", "Vocab", "RelatedFinder",
        "by_category", "by_mine_type", "by_region", "by_year", "case_context", "check_repo", "counts",
        "group_view", "list_item", "load_cases", "load_vocab", "mine_group_key", "more_script", "parse_case",
        "real_cases", "region_key", "relative_link", "sort_cases",
    }
    assert used <= set(cm.__all__)
