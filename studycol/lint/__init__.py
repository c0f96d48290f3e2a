"""中文排版检查（公文写法）：规则登记表、检查、自动修正。

用法：`make check`（只检查）、`make fix`（自动修正能安全修正的问题），或
`python tools/lint.py [--fix] [文件……]`。规则表见 rules.py，编辑指南中的规则表由它生成。
"""

from .checks import Finding, Fix
from .engine import apply_fixes, fix_bytes, lint_bytes, lint_repo, lint_text, name_problem, scope_files
from .rules import BY_ID, RULES, Rule

__all__ = [
    "BY_ID",
    "RULES",
    "Finding",
    "Fix",
    "Rule",
    "apply_fixes",
    "fix_bytes",
    "lint_bytes",
    "lint_repo",
    "lint_text",
    "name_problem",
    "scope_files",
]
