"""排版检查的入口：读文件、处理停用标记、运行规则、应用自动修正。"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from . import markdown as md
from .checks import Finding, Fix, Hits, check_breaks, check_headings, check_segments
from .rules import BY_ID
from .yamltext import TextSegment, extract

# 只检查这些文件；data/source/ 是收到的原件，照录不改
SCOPES: tuple[tuple[str, tuple[str, ...]], ...] = (("docs", (".md",)), ("data", (".yml", ".yaml")))
# data/search/ 是搜索质量测试集：q 字段是读者键入的原样文字，故意包含错误写法，不发布到页面
EXCLUDE_DIRS: tuple[str, ...] = ("data/source", "data/search", "docs/assets/vendor")
NAME_RE = re.compile(r"^[._]?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9]+)*$")
FILE_RULES = ("FILE-1", "FILE-2", "FILE-3", "FILE-4", "FILE-5")
# 英文页面（*.en.md）中引用的中文名称照样检查文号、书名号和日期，但不按中文排版规则检查英文句子
# （英文中汉字两侧要有空格、标点用半角）
ENGLISH_PAGE_RULES = frozenset({"ZH-WENHAO-1", "ZH-WENHAO-2", "ZH-WENHAO-3", "ZH-BOOK-1", "ZH-DATE-3", "ZH-WIDTH-1", "LINT-1"})
ENGLISH_PAGE_RE = re.compile(r"\.en\.md$")


# ---- 文件层面 -----------------------------------------------------------------


def name_problem(rel_path: str) -> str | None:
    """文件名（含目录名）不合规时返回说明，合规时返回 None。"""
    for part in PurePosixPath(rel_path).parts[1:]:
        if not NAME_RE.match(part):
            why = []
            if " " in part or "\u3000" in part:
                why.append("含有空格")
            if re.search(r"[^\x00-\x7f]", part):
                why.append("含有汉字或其他非 ASCII 字符")
            if re.search(r"[A-Z]", part):
                why.append("含有大写字母")
            if re.search(r"[_]", part[1:]):
                why.append("含有下划线")
            return f"“{part}”" + ("，".join(why) or "含有不允许的字符")
    return None


def decode(raw: bytes, path: str) -> tuple[str | None, list[Finding]]:
    """按 UTF-8 解码；BOM 和 CRLF 记为问题（可修正），解码失败时返回 None。"""
    found: list[Finding] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Finding("FILE-2", path, line, col, f"第 {exc.start} 字节（0x{raw[exc.start]:02X}）无法按 UTF-8 解码")]
    if text.startswith("\ufeff"):
        found.append(Finding("FILE-3", path, 1, 1, "", (Fix((1, 0), (1, 0), ""),)))
        text = text[1:]
    if "\r" in text:
        n = text.count("\r\n")
        line = text[: text.index("\r")].count("\n") + 1
        found.append(Finding("FILE-4", path, line, 1, f"共 {n or text.count(chr(13))} 处", (Fix((1, 0), (1, 0), ""),)))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, found


# ---- 停用标记 -----------------------------------------------------------------


class Disabled:
    """哪些行停用了哪些规则。"""

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int, frozenset[str]]] = []

    def add(self, first: int, last: int, rules: Iterable[str]) -> None:
        self.ranges.append((first, last, frozenset(rules)))

    def covers(self, rule: str, line: int) -> bool:
        if rule == "LINT-1" or rule.startswith("FILE-"):
            return False
        return any(a <= line <= b and rule in rs for a, b, rs in self.ranges)


def _directives(hits: Hits, items: list[tuple[str, list[str], int, int]], last_line: int, dis: Disabled) -> None:
    """处理停用标记：lint-disable/lint-enable 成对，lint-disable-next-line 和 lint-disable-line 只管一行。"""
    open_: dict[str, int] = {}
    for name, rules, line, col in sorted(items, key=lambda x: (x[2], x[3])):
        if not rules:
            hits.raw(Finding("LINT-1", hits.path, line, col + 1, f"“{name}”没有写规则编号（不允许整体停用）"))
            continue
        unknown = [r for r in rules if r not in BY_ID]
        if unknown:
            hits.raw(Finding("LINT-1", hits.path, line, col + 1, f"不认识的规则编号“{'、'.join(unknown)}”"))
        rules = [r for r in rules if r in BY_ID]
        if name == "lint-disable":
            for r in rules:
                if r in open_:
                    hits.raw(Finding("LINT-1", hits.path, line, col + 1, f"{r} 在第 {open_[r]} 行已经停用，还没有恢复"))
                else:
                    open_[r] = line
        elif name == "lint-enable":
            for r in rules:
                if r not in open_:
                    hits.raw(Finding("LINT-1", hits.path, line, col + 1, f"“lint-enable {r}”前面没有对应的 lint-disable"))
                else:
                    dis.add(open_.pop(r), line, [r])
        elif name == "lint-disable-next-line":
            dis.add(line, line + 1, rules)
        elif name == "lint-disable-line":
            dis.add(line, line, rules)
    for r, line in open_.items():
        hits.raw(Finding("LINT-1", hits.path, line, 1, f"“lint-disable {r}”没有对应的“lint-enable {r}”"))
        dis.add(line, last_line, [r])


# ---- 文字层面 -----------------------------------------------------------------


def _yaml_findings(hits: Hits, text: str, line_offset: int, dis: Disabled) -> None:
    yt = extract(text, line_offset)
    if yt.error:
        line, col, problem = yt.error
        hits.raw(Finding("FILE-5", hits.path, line, col, problem))
        return
    _directives(hits, yt.directives, line_offset + text.count("\n") + 1, dis)
    for first, last, rules, at in yt.disabled:
        unknown = [r for r in rules if r not in BY_ID]
        if unknown or not rules:
            hits.raw(Finding("LINT-1", hits.path, at, 1, f"lint_disable 中有不认识的规则编号“{'、'.join(unknown)}”" if unknown else "lint_disable 没有写规则编号"))
        dis.add(first, last, [r for r in rules if r in BY_ID])
    for line, field in yt.folded:
        hits.raw(Finding("ZH-BREAK-1", hits.path, line, 1, f"字段 {field} 跨行书写，折行处会变成空格；请写在一行内或改用“|”"))
    check_segments(hits, yt.segments)


def _markdown_findings(hits: Hits, text: str, dis: Disabled) -> None:
    doc = md.parse(text)
    last = len(doc.lines)
    _directives(hits, [(d.name, d.rules, d.line, d.col - 1) for d in doc.directives], last, dis)
    if doc.front_matter:
        a, _ = doc.front_matter
        _yaml_findings(hits, doc.front_matter_text, a - 1, dis)
    groups = md.paragraphs(doc)
    block_of = {ln.no: k for k, grp in enumerate(groups) for ln in grp}
    segs = [
        TextSegment(ln.no, 0, ln.text, True, block_of.get(ln.no, -ln.no), "")
        for ln in doc.lines
        if ln.kind == "text"
    ]
    check_segments(hits, segs)
    check_headings(hits, doc)
    check_breaks(hits, doc)


def lint_text(text: str, path: str) -> list[Finding]:
    """检查一段已解码的文字（Markdown 或 YAML，按 path 的扩展名判断）。"""
    hits = Hits(path)
    dis = Disabled()
    if path.endswith(".md"):
        _markdown_findings(hits, text, dis)
    else:
        _yaml_findings(hits, text, 0, dis)
    seen: set[tuple[str, int, int]] = set()
    out: list[Finding] = []
    for f in sorted(hits.items, key=lambda f: (f.line, f.col, f.rule)):
        key = (f.rule, f.line, f.col)
        if key in seen or dis.covers(f.rule, f.line):
            continue
        if ENGLISH_PAGE_RE.search(path) and f.rule not in ENGLISH_PAGE_RULES:
            continue
        seen.add(key)
        out.append(f)
    return out


def lint_bytes(raw: bytes, path: str) -> list[Finding]:
    """检查一个文件的原始字节：文件名、编码、BOM、换行符，再检查文字。"""
    found: list[Finding] = []
    why = name_problem(path)
    if why:
        found.append(Finding("FILE-1", path, 1, 1, why))
    text, enc = decode(raw, path)
    found += enc
    if text is not None:
        found += lint_text(text, path)
    return found


# ---- 自动修正 -----------------------------------------------------------------


def apply_fixes(text: str, findings: Iterable[Finding]) -> tuple[str, int]:
    """把可修正的问题改掉；互相重叠的修正只取前一个（再跑一遍会处理剩下的）。返回新文字和修正条数。"""
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)

    def off(pos: tuple[int, int]) -> int:
        line, col = pos
        return starts[line - 1] + col

    chosen: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    count = 0
    for f in findings:
        if not f.fixes or f.rule.startswith("FILE-"):
            continue
        spans = [(off(x.start), off(x.end), x.new) for x in f.fixes]
        if any((s < b and a < e) or s == a for s, e, _ in spans for a, b in taken):
            continue
        chosen += spans
        taken += [(s, e) for s, e, _ in spans]
        count += 1
    for s, e, new in sorted(chosen, key=lambda x: (x[0], x[1]), reverse=True):
        text = text[:s] + new + text[e:]
    return text, count


def fix_bytes(raw: bytes, path: str, max_rounds: int = 6) -> tuple[bytes, int, list[Finding]]:
    """修正一个文件：去掉 BOM、统一换行符，再反复应用文字修正直到不再变化。

    返回 (新内容, 修正条数, 剩下的问题)。不是 UTF-8 的文件原样返回。
    """
    text, enc = decode(raw, path)
    if text is None:
        return raw, 0, lint_bytes(raw, path)
    total = len(enc)
    for _ in range(max_rounds):
        text, n = apply_fixes(text, lint_text(text, path))
        total += n
        if n == 0:
            break
    new = text.encode("utf-8")
    return new, total, lint_bytes(new, path)


# ---- 仓库范围 -----------------------------------------------------------------


def scope_files(root: Path) -> list[Path]:
    """仓库中要检查的文件：docs/ 下的 Markdown 和 data/ 下的 YAML（不含收到的原件）。"""
    out: list[Path] = []
    for top, exts in SCOPES:
        base = root / top
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            rel = p.relative_to(root).as_posix()
            if p.is_file() and p.name.endswith(exts) and not any(rel.startswith(d + "/") for d in EXCLUDE_DIRS):
                if p.is_symlink():
                    continue  # 符号链接不读（可能指向仓库以外）；make check-content 报告它（FILE-10）
                out.append(p)
    return out


def lint_repo(root: Path, paths: Iterable[Path] | None = None) -> list[Finding]:
    found: list[Finding] = []
    for p in paths if paths is not None else scope_files(root):
        p = Path(p)
        full = p if p.is_absolute() else root / p
        try:
            rel = full.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = str(p)
        found += lint_bytes(full.read_bytes(), rel)
    return found
