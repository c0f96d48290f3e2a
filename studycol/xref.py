"""交叉引用：编辑写 [[id]]，构建时解析成带标签和预览的链接。

采用“先收集、后解析”的做法（与 mkdocs-autorefs 相同的思路，代码是自己写的）：
1. 页面转换前，把 Markdown 里的 [[id]] 换成不可见的占位元素，并记下来源文件和行号（scan / placeholder）；
2. 每个页面转换后，用 HTML5 解析器读一遍它的 HTML，收集所有带 id 的元素作为引用目标（page_anchors）；
3. 全部页面就绪后统一解析（resolve），断链、歧义、重复 id 一次性报告，并给出最接近的有效编号；
4. 页面输出前，把占位元素换成真正的链接（replace_placeholders）。

本模块只有纯函数和数据类，不依赖 MkDocs，测试可以直接调用。
"""

from __future__ import annotations

import dataclasses
from typing import Any
import difflib
import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping

from .visible import describe_invisible, escape_invisible, invisible_in

# [[id]]、[[id|显示文字]]，以及生成内容使用的 [[id|显示文字|src:文件:行]]
REF_RE = re.compile(
    r"\[\[(?P<id>[^\[\]|\n]+?)(?:\|(?P<label>[^\[\]|\n]*))?(?:\|src:(?P<src>[^\[\]|\n]+?):(?P<line>\d+))?\]\]"
)
ID_RE = re.compile(r"^(?:[A-Za-z0-9_./-]+\.md#)?[A-Za-z0-9][A-Za-z0-9_-]*$")
# 占位符用私用区字符包住编号：它是普通文字，Markdown 不必把它当作原始 HTML 暂存，开销最小
PH_OPEN, PH_CLOSE = "\ue000", "\ue001"
PLACEHOLDER_RE = re.compile(PH_OPEN + r"xref(?P<n>\d+)" + PH_CLOSE)

# 这些前缀的 id 是全站唯一的“数据 id”，出现两次一律报错
GLOBAL_PREFIXES = ("n", "doc-", "term-", "case-", "task-", "q-")
NOTICE_ID_RE = re.compile(r"^n\d+(?:-\d+){0,2}$")


def is_global_id(anchor: str) -> bool:
    if NOTICE_ID_RE.match(anchor):
        return True
    return anchor.startswith(GLOBAL_PREFIXES[1:])


# ---- 数据类 -----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Ref:
    """编辑写下的一处引用。"""

    id: str  # 目标 id，可能带页面前缀：about.md#identity
    label: str | None  # 编辑指定的显示文字
    src: str  # 来源文件（相对仓库根，例如 docs/jiedu/part-4.md 或 data/quiz/bank.yml）
    line: int
    page: str  # 引用所在页面的 src_uri（例如 jiedu/part-4.md）


@dataclasses.dataclass(frozen=True)
class Target:
    """一个可引用的位置。"""

    id: str
    page: str  # 所在页面的 src_uri
    url: str  # 所在页面的站内地址（不含 #），例如 notice/
    label: str  # 人读的标签，例如 通知第四部分第1段第2句
    preview: str  # 悬停预览的纯文本
    kind: str = "anchor"  # notice / doc / term / case / task / q / heading / anchor
    line: int = 0  # 定义所在行（若知道）

    @property
    def href(self) -> str:
        return f"{self.url}#{self.id}"


@dataclasses.dataclass(frozen=True)
class Problem:
    src: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.src}:{self.line}: {escape_invisible(self.message)}"


# ---- 第一步：扫描 Markdown ---------------------------------------------------------


_FENCE_RE = re.compile(r"(?ms)^([ \t]*)(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$")
_INLINE_CODE_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


# 同一个行内代码正则，但从一串反引号的第一个开始匹配（由 _inline_code_spans 逐串定位，代替开头的 (?<!`)）
_INLINE_CODE_AT_RE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def _inline_code_spans(text: str) -> list[tuple[int, int]]:
    """与 _INLINE_CODE_RE.finditer 相同的区间。

    那个正则以后顾断言开头，引擎只能在每个字符处都试一次；能匹配的起点只可能是一串反引号的第一个，
    所以用字符串查找直接跳到每串反引号，只在那里匹配。
    """
    spans: list[tuple[int, int]] = []
    pos, n = 0, len(text)
    while (start := text.find("`", pos)) >= 0:
        m = _INLINE_CODE_AT_RE.match(text, start)
        if m:
            spans.append((m.start(), m.end()))
            pos = m.end()  # 其后不是反引号（正则末尾的 (?!`)）
        else:
            pos = start
            while pos < n and text[pos] == "`":
                pos += 1  # 这一串中其余位置前面都是反引号，不可能是起点
    return spans


def code_spans(text: str) -> list[tuple[int, int]]:
    """返回代码区（围栏代码块和行内代码）的区间；这些区间里的 [[…]] 原样保留。"""
    spans: list[tuple[int, int]] = []
    if "`" not in text and "~~~" not in text:
        return spans  # 没有反引号和波浪线围栏的文本（大多数页面）不必再用两个正则逐字扫描
    if "```" in text or "~~~" in text:  # 围栏至少三个反引号或波浪线
        for m in _FENCE_RE.finditer(text):
            spans.append((m.start(), m.end()))
    if "`" in text:
        spans += _inline_code_spans(text)
    return spans


def scan(text: str) -> list[re.Match[str]]:
    """找出文本中（代码区以外）所有的 [[…]] 引用。"""
    if "[[" not in text:
        return []
    masked = code_spans(text)
    return [m for m in REF_RE.finditer(text) if not any(a <= m.start() < b for a, b in masked)]


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def markup(ref_id: str, label: str | None = None, src: str | None = None, line: int | None = None) -> str:
    """生成内容（题库、任务清单、案例）用来写引用的标记，可带上数据文件的位置。"""
    out = ref_id + ("|" + label if label else ("|" if src else ""))
    if src:
        out += f"|src:{src}:{line or 1}"
    return f"[[{out}]]"


def placeholder(n: int) -> str:
    """替换 [[…]] 的占位符：私用区字符包住的编号，Markdown 原样保留，最后再换成链接。"""
    return f"{PH_OPEN}xref{n}{PH_CLOSE}"


def extract_refs(
    markdown: str,
    *,
    page: str,
    src: str,
    original: str | None = None,
    line_offset: int = 0,
    start_index: int = 0,
) -> tuple[str, list[Ref]]:
    """把 markdown 中的引用换成占位元素，返回新文本和引用列表（编号从 start_index 起）。

    original 是编辑写的原始 Markdown（别的钩子展开标记之前）；用它确定行号，
    这样即使页面内容被其他步骤改动过，报告的行号仍指向编辑写的那一行。
    """
    refs: list[Ref] = []
    seen: dict[str, int] = defaultdict(int)
    out: list[str] = []
    last = 0
    for m in scan(markdown):
        raw = m.group(0)
        if m.group("src"):
            where, line = m.group("src"), int(m.group("line"))
        else:
            where, line = src, line_offset + line_of(markdown, m.start())
            if original is not None:
                k = seen[raw]
                seen[raw] += 1
                pos = -1
                for _ in range(k + 1):
                    pos = original.find(raw, pos + 1)
                    if pos < 0:
                        break
                if pos >= 0:
                    line = line_offset + line_of(original, pos)
        label = m.group("label") or None
        refs.append(Ref(m.group("id").strip(), label.strip() if label else None, where, line, page))
        out.append(markdown[last : m.start()])
        out.append(placeholder(start_index + len(refs) - 1))
        last = m.end()
    out.append(markdown[last:])
    return "".join(out), refs


# ---- 第二步：收集目标 ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PageAnchor:
    """页面中一个带 id 的元素。"""

    id: str
    tag: str
    label: str | None  # data-xref-label 属性（给引用用的标签）
    text: str  # 元素的纯文字：空白合并；标题的“¶”链接、脚本和样式不算


_PLACEHOLDER_RE = re.compile(PH_OPEN + r"xref(\d+)" + PH_CLOSE)
_NO_TEXT = frozenset({"script", "style", "template"})


def _children(node: Any) -> list[Any]:
    out = []
    child = node.child
    while child is not None:
        out.append(child)
        child = child.next
    return out


def page_anchors(page: str | Any) -> tuple[list[PageAnchor], dict[int, str | None]]:
    """读一遍页面（HTML 文字，或 htmlscreen.parse_fragment 已解析好的树）：全部带 id 的元素（文档顺序），
    以及每个引用占位之前最近的 id（反向链接据此直接跳到引用所在的段落或条目）。"""
    from studycol.htmlscreen import parse_fragment  # noqa: PLC0415

    first = (parse_fragment(page) if isinstance(page, str) else page).root
    top = []
    while first is not None:
        top.append(first)
        first = first.next
    found: list[tuple[str, str, str | None, list[str]]] = []
    open_bufs: list[list[str]] = []  # 尚未结束的带 id 元素各自的文字
    ref_anchor: dict[int, str | None] = {}
    last_id: str | None = None
    # 显式的栈代替递归（页面再深也不会超出递归上限）：("in", 节点) 进入节点，("out", None) 结束一个带 id 的元素
    stack: list[tuple[str, Any]] = [("in", n) for n in reversed(top)]
    while stack:
        step, node = stack.pop()
        if step == "out":
            open_bufs.pop()
            continue
        tag = (node.tag or "").lower()
        if tag == "-text":
            text = node.text_content or ""
            if PH_OPEN in text:
                for m in _PLACEHOLDER_RE.finditer(text):
                    ref_anchor[int(m.group(1))] = last_id
            for open_buf in open_bufs:
                open_buf.append(text)
            continue
        if tag.startswith("-"):  # 注释等
            continue
        attrs = node.attributes
        ident = attrs.get("id")
        if ident:
            last_id = ident
            buf: list[str] = []
            found.append((ident, tag, attrs.get("data-xref-label"), buf))
        if tag in _NO_TEXT or (tag == "a" and "headerlink" in (attrs.get("class") or "").split()):
            continue
        if ident:
            open_bufs.append(buf)
            stack.append(("out", None))
        stack.extend(("in", c) for c in reversed(_children(node)))
    anchors = [PageAnchor(i, tag, label, " ".join("".join(buf).split())) for i, tag, label, buf in found]
    return anchors, ref_anchor


def kind_of(anchor_id: str, tag: str) -> str:
    if NOTICE_ID_RE.match(anchor_id):
        return "notice"
    for prefix in ("doc", "term", "case", "task", "q"):
        if anchor_id.startswith(prefix + "-"):
            return prefix
    return "heading" if re.fullmatch(r"h[1-6]", tag) else "anchor"


def shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- 第三步：解析 ---------------------------------------------------------------------


@dataclasses.dataclass
class Index:
    """全站目标索引：id → 定义它的全部位置（正常情况下只有一个）。"""

    by_id: dict[str, list[Target]] = dataclasses.field(default_factory=lambda: defaultdict(list))
    aliases: dict[str, str] = dataclasses.field(default_factory=dict)

    def add(self, target: Target) -> None:
        # 重复定义（同一页或不同页）都先记下，由 duplicate_problems 报告
        self.by_id[target.id].append(target)

    def ids(self) -> list[str]:
        return sorted(self.by_id)


def duplicate_problems(index: Index, page_src: Callable[[str], str]) -> list[Problem]:
    """重复 id：同一页面内重复，或全站唯一的数据 id 在多处出现。"""
    problems: list[Problem] = []
    for anchor_id, targets in sorted(index.by_id.items()):
        # 案例页的标题 id（如“经过”）在几千个页面上各出现一次：按页面计数一遍，不能对每个页面再数整张列表
        counts = Counter(t.page for t in targets)
        for p in sorted(p for p, n in counts.items() if n > 1):
            lines = [t.line for t in targets if t.page == p]
            problems.append(
                Problem(page_src(p), lines[1] if len(lines) > 1 else 0,
                        f"id“{anchor_id}”在同一页面中出现了 {counts[p]} 次；每个 id 在页面内只能用一次，请改名。")
            )
        distinct = sorted(counts)
        if is_global_id(anchor_id) and len(distinct) > 1:
            where = "、".join(page_src(p) for p in distinct)
            problems.append(
                Problem(page_src(distinct[1]), 0,
                        f"编号“{anchor_id}”是全站唯一的编号，却同时出现在：{where}。请给其中一个换一个新编号。")
            )
    return problems


def suggest(ref_id: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """与 ref_id 最接近的有效编号（用于报错提示）。"""
    pool = list(candidates)
    bare = ref_id.split("#", 1)[-1]
    found = difflib.get_close_matches(bare, pool, n=n, cutoff=0.5)
    if not found:
        prefix = re.match(r"[a-z]+-?\d*", bare)
        if prefix:
            found = [c for c in pool if c.startswith(prefix.group(0))][:n]
    return found


def resolve_one(ref: Ref, index: Index) -> tuple[Target | None, Problem | None]:
    """解析一处引用，返回目标或问题（二者恰有其一）。"""
    raw = ref.id
    if not ID_RE.match(raw):
        if invisible_in(raw):  # 看起来正确的编号里混进了零宽字符等（ID-1）
            return None, Problem(
                ref.src, ref.line,
                f"引用 [[{escape_invisible(raw)}]] 的编号中有看不见的字符 {describe_invisible(raw)}，多半是复制粘贴时带进来的；"
                "请删除这个引用，重新输入编号（ID-1）",
            )
        return None, Problem(
            ref.src, ref.line,
            f"引用 [[{raw}]] 的编号格式不对：编号只能由英文字母、数字、连字符组成（可写成 页面.md#编号）。",
        )
    page_hint: str | None = None
    anchor_id = raw
    if "#" in raw:
        page_hint, anchor_id = raw.split("#", 1)
    anchor_id = index.aliases.get(anchor_id, anchor_id)
    targets = index.by_id.get(anchor_id, [])
    if page_hint is not None:
        targets = [t for t in targets if t.page == page_hint or t.page.endswith("/" + page_hint)]
    if not targets:
        hint = suggest(anchor_id, index.ids())
        tail = f"最接近的有效编号：{'、'.join(hint)}。" if hint else "请检查拼写，或先在目标页面上给该位置加上编号。"
        where = f"页面 {page_hint} 中" if page_hint else ""
        return None, Problem(ref.src, ref.line, f"引用 [[{raw}]] 找不到目标：{where}没有编号“{anchor_id}”。{tail}")
    pages = sorted({t.page for t in targets})
    if len(pages) > 1:
        options = "、".join(f"[[{p}#{anchor_id}]]" for p in pages)
        return None, Problem(
            ref.src, ref.line,
            f"引用 [[{raw}]] 有歧义：编号“{anchor_id}”出现在 {len(pages)} 个页面中。请写明页面，例如 {options}。",
        )
    return targets[0], None


def resolve(refs: list[Ref], index: Index) -> tuple[list[Target | None], list[Problem]]:
    results: list[Target | None] = []
    problems: list[Problem] = []
    for ref in refs:
        target, problem = resolve_one(ref, index)
        results.append(target)
        if problem:
            problems.append(problem)
    return results, problems


# ---- 第四步：输出 ----------------------------------------------------------------------


def replace_placeholders(page_html: str, render: Callable[[int], str]) -> str:
    """把占位元素逐个换成 render(编号) 的结果。"""
    return PLACEHOLDER_RE.sub(lambda m: render(int(m.group("n"))), page_html)


# ---- 反向链接与覆盖统计 -----------------------------------------------------------------

# 引用所在页面的类别：由页面路径决定，页面 front matter 的 xref_kind 可以覆盖
KIND_BY_PREFIX: tuple[tuple[str, str], ...] = (
    ("jiedu/", "解读"),
    ("cases/", "案例"),
    ("quiz/", "题目"),
    ("tasks/", "任务"),
)
CITING_KINDS = ("解读", "案例", "题目", "任务", "其他")


def citing_kind(page_src_uri: str, override: str | None = None) -> str:
    if override in CITING_KINDS:
        return override
    for prefix, kind in KIND_BY_PREFIX:
        if page_src_uri.startswith(prefix):
            return kind
    return "其他"


def notice_paragraph_of(anchor_id: str) -> str | None:
    """通知（或导入的公文，前缀是别的小写字母）句子/段落 id 所属的段落 id；部分 id 返回 None。"""
    m = re.match(r"^([a-z]{1,12}\d+-\d+)(?:-\d+)?$", anchor_id)
    return m.group(1) if m else None


@dataclasses.dataclass(frozen=True)
class Citation:
    """一处已解析的引用，用于反向链接和覆盖统计。"""

    target: str  # 被引用的 id（已按别名换成现行 id）
    page: str  # 引用所在页面 src_uri
    page_title: str
    page_url: str
    kind: str  # 解读 / 案例 / 题目 / 任务 / 其他
    anchor: str | None  # 引用所在位置最近的 id（若知道），用于直接跳转


def coverage(paragraph_ids: list[str], citations: list[Citation]) -> list[dict]:
    """每个通知段落被各类内容引用的次数（引用句子也算引用其段落）。"""
    table: dict[str, dict[str, int]] = {pid: {k: 0 for k in CITING_KINDS} for pid in paragraph_ids}
    for c in citations:
        pid = notice_paragraph_of(c.target)
        if pid in table:
            table[pid][c.kind] += 1
    return [{"id": pid, **counts, "total": sum(counts.values())} for pid, counts in table.items()]


def backlinks(citations: list[Citation]) -> dict[str, list[Citation]]:
    """通知段落 id → 引用它（或它的句子）的全部位置。同一页面同一目标只计一次。"""
    out: dict[str, list[Citation]] = defaultdict(list)
    seen: set[tuple[str, str, str | None]] = set()
    for c in citations:
        pid = notice_paragraph_of(c.target)
        if not pid:
            continue
        key = (pid, c.page, c.anchor or c.target)
        if key in seen:
            continue
        seen.add(key)
        out[pid].append(c)
    return out


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def load_aliases(data: Mapping[str, str] | None) -> dict[str, str]:
    """别名表：旧编号 → 新编号。链式别名会被展开；循环别名报错。"""
    aliases = dict(data or {})
    out: dict[str, str] = {}
    for old in aliases:
        seen = {old}
        new = aliases[old]
        while new in aliases:
            if new in seen:
                raise ValueError(f"编号别名出现循环：{' → '.join([*seen, new])}")
            seen.add(new)
            new = aliases[new]
        out[old] = new
    return out
