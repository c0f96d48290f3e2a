"""编辑投稿内容的安全检查：页面 Markdown 和数据 YAML 不得携带可执行或外链内容。

拒绝的内容（每条都报告文件、行号和中文理由）：
- 原始 HTML 中的 <script> <iframe> <object> <embed> <form> <style> <link> 等标签，以及不在白名单中的任何标签；
- on* 事件属性（onclick= 等），属性列表 { onclick=… } 同样拒绝；
- javascript:、vbscript:、data:、file: 地址；
- 外部图片、样式表等“盗链”资源（只允许站内相对路径）；
- http:// 外部链接（外部链接只能用 https://）。

站点模板（overrides/）是可信的，不在检查范围内；编辑写的 docs/ 和 data/ 才是。
本模块只有纯函数，studycol/steps/safety.py 把它们接到构建事件上。
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
from collections.abc import Iterable
from typing import Any
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from selectolax.lexbor import LexborHTMLParser

from . import htmlscreen, textchars
from .lint import markdown as md
from . import yamlsrc
from .yamlsrc import SourceError

MAX_PAGE_BYTES = 1024 * 1024  # 单个页面 1 MiB
MAX_DATA_BYTES = 2 * 1024 * 1024  # 单个数据文件 2 MiB


@dataclasses.dataclass(frozen=True)
class Problem:
    path: str
    line: int
    reason: str  # 中文：问题和改法
    rule: str = ""  # 规则编号（见 studycol/htmlscreen.RULES）；有时加在消息末尾的（）中

    def __str__(self) -> str:
        tail = f"（{self.rule}）" if self.rule else ""
        return f"{self.path}:{self.line}: {self.reason}{tail}"


# ---- 地址、元素和属性：见 studycol/htmlscreen.py（真正的 HTML5 解析器 + 白名单） ------------------------

url_problem = htmlscreen.url_problem
ALLOWED_TAGS = htmlscreen.EDITOR_ELEMENTS
URL_ATTRS = htmlscreen.URL_ATTRS


def _short(s: str, n: int = 60) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


# ---- Markdown ------------------------------------------------------------------
# 下面的正则只认 Markdown 自己的语法（链接、引用定义、自动链接、属性列表），其中的地址和属性交给
# htmlscreen 检查；原始 HTML 则整段交给 HTML5 解析器。

_LINK_RE = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*(<[^>]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REFDEF_RE = re.compile(r"^[ ]{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_REFUSE_RE = re.compile(r"!\[([^\]]*)\](?:\[([^\]]*)\])?")
_AUTOLINK_RE = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
# Python-Markdown 当作自动链接（而不是 HTML）的写法：<http://…>、<https://…>、<ftp://…> 和 <邮箱地址>
_MD_AUTOLINK_RE = re.compile(r"<(?:(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp])://[^<>\s]*|[^<>\s!@]+@[^@<>\s]+)>")
_ATTRLIST_RE = re.compile(r"\{:?\s*([^{}\n]*)\}")
_INLINE_CODE_RE = md._INLINE[0]
_RAW_HTML_LINE_RE = re.compile(r"^[ ]{0,3}<[A-Za-z!/]")


def _code_masked(text: str) -> str:
    """遮住代码块和行内代码（其中的内容会被转义，不会被当作 HTML 输出）。缩进代码块不遮：宁可多报，不可漏报。

    以 HTML 标签开头的行是原始 HTML 块，Markdown 不处理其中的反引号，所以这些行上的行内代码不遮。
    HTML 注释不遮：注释在哪里结束（如“--!>”）交给 HTML5 解析器判断，与浏览器相同。
    """
    lines = text.split("\n")
    kinds, _ = md.classify(lines, indented_code=False)
    out = []
    for line, kind in zip(lines, kinds):
        if kind in ("code", "frontmatter"):
            out.append(md.MASK * len(line))
        elif _RAW_HTML_LINE_RE.match(line):
            out.append(line)
        else:
            out.append(_INLINE_CODE_RE.sub(lambda m: md.MASK * len(m.group(0)), line))
    return "\n".join(out)


def _raw_html_problems(masked: str, first_line: int, own_hosts: Iterable[str]) -> list[tuple[int, htmlscreen.Finding]]:
    """正文中的原始 HTML：整页交给解析器（自动链接先遮住），有问题时按行定位。"""
    text = _MD_AUTOLINK_RE.sub(lambda m: md.MASK * len(m.group(0)), masked)
    if "<" not in text:
        return []
    hosts = tuple(own_hosts)
    return htmlscreen.locate(text, lambda s: htmlscreen.scan(s, htmlscreen.EDITOR, hosts).findings, first_line)


def _attr_list_problems(body: str, own_hosts: Iterable[str]) -> list[htmlscreen.Finding]:
    """属性列表 { #id .class key="value" } 中的键值：按 HTML 属性的写法解析后逐个检查。"""
    tree = LexborHTMLParser(f"<span {body}>", is_fragment=True, scripting=True)
    node = tree.css_first("span")
    if node is None:
        return []
    out: list[htmlscreen.Finding] = []
    for name, value in node.attributes.items():
        if name.startswith((".", "#", ":")) or value is None:
            continue
        out += htmlscreen.attr_findings("span", name, value, htmlscreen.EDITOR, own_hosts)
    return out


def scan_markdown(text: str, path: str, line_offset: int = 0, own_hosts: Iterable[str] = ()) -> list[Problem]:
    """检查一个 Markdown 页面（或 YAML 中的一段 Markdown 文字）。line_offset 加到行号上。"""
    masked = _code_masked(text)
    found: list[tuple[int, str, str]] = []

    def line_at(pos: int) -> int:
        return masked.count("\n", 0, pos) + 1 + line_offset

    for line, f in _raw_html_problems(masked, 1 + line_offset, own_hosts):
        found.append((line, f.reason, f.rule))
    refs: dict[str, tuple[int, str]] = {}
    for m in _REFDEF_RE.finditer(masked):
        refs[m.group(1).strip().lower()] = (m.start(), m.group(2))
    image_refs: set[str] = set()
    for m in _LINK_RE.finditer(masked):
        url = m.group(3).strip("<>")
        kind = "resource" if m.group(1) else "link"
        why = url_problem(url, kind)
        if why:
            found.append((line_at(m.start()), ("图片：" if kind == "resource" else "链接：") + why, "HTML-4"))
    for m in _REFUSE_RE.finditer(masked):
        if masked[m.end() : m.end() + 1] == "(":
            continue
        image_refs.add((m.group(2) or m.group(1)).strip().lower())
    for key, (pos, url) in refs.items():
        why = url_problem(url, "resource" if key in image_refs else "link")
        if why:
            found.append((line_at(pos), ("图片：" if key in image_refs else "链接：") + why, "HTML-4"))
    for m in _AUTOLINK_RE.finditer(masked):
        why = url_problem(m.group(1), "link")
        if why:
            found.append((line_at(m.start()), "链接：" + why, "HTML-4"))
    for m in _ATTRLIST_RE.finditer(masked):
        if "=" not in m.group(1):
            continue
        for f in _attr_list_problems(m.group(1), own_hosts):
            found.append((line_at(m.start()), f"属性列表“{_short(m.group(0), 40)}”中：{f.reason}", f.rule))
    seen: set[tuple[int, str]] = set()
    out: list[Problem] = []
    for line, why, rule in sorted(found):
        if (line, why) not in seen:
            seen.add((line, why))
            out.append(Problem(path, line, why, rule))
    return out


# ---- 渲染后的 HTML（兜底） ----------------------------------------------------------------


@dataclasses.dataclass
class RenderedScan:
    findings: list[htmlscreen.Finding]  # 去重后的问题，needle 用于在源文件中定位
    duplicate_ids: list[str]
    external_links: bool  # 有没有指向本站以外的链接（有时才需要 mark_external_links）


def screen_rendered(content: str | Any, own_hosts: Iterable[str] = ()) -> RenderedScan:
    """读一遍渲染后的正文（HTML 文字，或 htmlscreen.parse_fragment 已解析好的树）：安全检查（模板、扩展和
    本站构建程序产生的标签也在内）、id 计数、外部链接。"""
    hosts = set(own_hosts)
    tree = htmlscreen.parse_fragment(content) if isinstance(content, str) else content
    findings: list[htmlscreen.Finding] = []
    ids: dict[str, int] = {}
    external = False
    for node in tree.root.traverse(include_text=False) if tree.root is not None else ():
        if node.is_comment_node:
            continue
        tag = (node.tag or "").lower()
        attrs = node.attributes
        if not attrs:
            if tag not in htmlscreen.RENDERED.elements and not tag.startswith("-"):
                findings += htmlscreen.element_findings(tag, attrs, htmlscreen.RENDERED, hosts)
            continue
        ident = attrs.get("id")
        if ident:
            ids[ident] = ids.get(ident, 0) + 1
        if tag == "a" and not external and is_external(attrs.get("href") or "", hosts):
            external = True
        findings += htmlscreen.element_findings(tag, attrs, htmlscreen.RENDERED, hosts)
    dups = sorted(i for i, n in ids.items() if n > 1)
    return RenderedScan(list(dict.fromkeys(findings)), dups, external)


def rendered_problems(
    result: RenderedScan, source: str, rel: str, known: Iterable[tuple[int, str]] = ()
) -> list[Problem]:
    """把渲染结果中的问题定位到页面源文件（docs/…md，行号含 front matter）：找问题片段在源文件中第一次出现的行。

    known：检查源文件时已在同一行以同一规则报告过的 (行, 规则)，不再重复报告。
    """
    seen = set(known)
    out: list[Problem] = []
    for f in result.findings:
        line = source_line(source, f.needle) if f.needle else 1
        if (line, f.rule) not in seen:
            out.append(Problem(rel, line, "渲染结果中：" + f.reason, f.rule))
    for i in result.duplicate_ids:
        out.append(
            Problem(
                rel, source_line(source, "#" + i),
                f"页面中有多个元素使用同一个 id“{i}”，链接只会跳到第一个；请给每个标题或段落起不同的编号。",
            )
        )
    return out


def scan_html(content: str) -> tuple[list[str], list[str]]:
    """渲染后正文的问题（带规则编号的中文说明）和重复的 id。"""
    result = screen_rendered(content)
    return [f.message for f in result.findings], result.duplicate_ids


def source_line(source: str, needle: str) -> int:
    """在源文件中找 needle 第一次出现的行号（找不到时为 1），用于给渲染后才发现的问题定位。"""
    for candidate in (needle, html.unescape(needle), html.escape(needle, quote=False)):
        i = source.find(candidate) if candidate else -1
        if i < 0 and candidate:
            i = source.lower().find(candidate.lower())
        if i >= 0:
            return source.count("\n", 0, i) + 1
    return 1

# ---- 外部链接 --------------------------------------------------------------------

_A_RE = re.compile(r"<a\s([^>]*)>(.*?)</a>", re.S | re.I)
_HREF_RE = re.compile(r"""\bhref\s*=\s*("[^"]*"|'[^']*')""", re.I)
SR_TEXT = "（外部链接）"


def is_external(href: str, own_hosts: Iterable[str]) -> bool:
    parts = urlsplit(html.unescape(href))
    return parts.scheme in ("http", "https") and (parts.hostname or "") not in set(own_hosts)


def _unquote(v: str) -> str:
    return v[1:-1] if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'" else v


def mark_external_links(content: str, own_hosts: Iterable[str]) -> str:
    """给外部链接加 rel="noopener noreferrer"、类名 column-external 和屏幕阅读器能读到的“（外部链接）”。

    构建时只在 screen_rendered 的解析结果说页面中有外部链接时才调用（大多数页面没有）。
    """
    hosts = set(own_hosts)

    def repl(m: re.Match[str]) -> str:
        attrs, inner = m.group(1), m.group(2)
        h = _HREF_RE.search(attrs)
        if not h or not is_external(_unquote(h.group(1)), hosts) or "column-external" in attrs:
            return m.group(0)
        rel = re.search(r"""\brel\s*=\s*("[^"]*"|'[^']*')""", attrs, re.I)
        if rel:
            vals = _unquote(rel.group(1)).split()
            vals += [v for v in ("noopener", "noreferrer") if v not in vals]
            attrs = attrs[: rel.start()] + f'rel="{" ".join(vals)}"' + attrs[rel.end() :]
        else:
            attrs += ' rel="noopener noreferrer"'
        cls = re.search(r"""\bclass\s*=\s*("[^"]*"|'[^']*')""", attrs, re.I)
        if cls:
            attrs = attrs[: cls.start()] + f'class="{_unquote(cls.group(1))} column-external"' + attrs[cls.end() :]
        else:
            attrs += ' class="column-external"'
        return f'<a {attrs.strip()}>{inner}<span class="gw-visually-hidden">{SR_TEXT}</span></a>'

    return _A_RE.sub(repl, content)


# ---- 文件层面 -------------------------------------------------------------------------

_FM_RE = re.compile(r"^---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)", re.S)
HIDE_VALUES = frozenset({"navigation", "toc", "footer", "path", "tags", "feedback"})


def front_matter_problems(text: str, path: str) -> list[Problem]:
    """front matter 的 YAML 必须能解析（MkDocs 遇到错误会悄悄丢掉整个 front matter，页面标题、说明随之丢失）。"""
    if not text.startswith("---"):
        return []
    m = _FM_RE.match(text)
    if not m:
        return [Problem(path, 1, "front matter 以“---”开头，但没有找到结束的“---”行；请补上")]
    body = m.group(1) or ""
    try:
        # 与所有 YAML 来源相同的受限读取（studycol/yamlsrc.py）：锚点、标签、层数、体积等各有规则编号
        data = yamlsrc.construct(yamlsrc.compose(body, path, line_offset=1, what="front matter 的 YAML"))
    except yamlsrc.DataError as exc:
        return [Problem(e.path, e.line, *yamlsrc.split_rule(e.message)) for e in exc.errors]
    if data is None:
        return []
    if not isinstance(data, dict):
        return [Problem(path, 2, "front matter 应是“键: 值”的形式")]
    out: list[Problem] = []
    lines = body.split("\n")

    def line_of(key: str) -> int:
        for i, ln in enumerate(lines):
            if re.match(rf"^{re.escape(key)}\s*:", ln):
                return i + 2
        return 2

    for key in ("title", "description"):
        if key in data and not isinstance(data[key], str):
            out.append(Problem(path, line_of(key), f"front matter 的 {key} 应为文本"))
    out += text_char_problems(body, path, 1)
    if "hide" in data:
        hide = data["hide"]
        if not isinstance(hide, list) or any(h not in HIDE_VALUES for h in hide):
            out.append(
                Problem(path, line_of("hide"), "front matter 的 hide 应为列表，取值只能是 " + "、".join(sorted(HIDE_VALUES)))
            )
    return out


# front matter 有这些问题的页面不发布：MkDocs 自己读取 front matter 时不受本站限制（别名会展开成巨大的数据）
REFUSED_FRONT_MATTER = frozenset({"YAML-2", "YAML-3", "YAML-4", "YAML-5", "YAML-6"})


def refuses_page(problems: Iterable[Problem]) -> bool:
    return any(p.rule in REFUSED_FRONT_MATTER for p in problems)


def body_is_empty(text: str) -> bool:
    m = _FM_RE.match(text) if text.startswith("---") else None
    return not (text[m.end() :] if m else text).strip()


def yaml_limit_problem(text: str, path: str, line_offset: int = 0, what: str = "YAML") -> Problem | None:
    """YAML 不合本站限制（语法、锚点和别名、标签、层数、复杂的键、体积：YAML-1 到 YAML-6）时的第一条问题。"""
    found = yamlsrc.limit_problem(text, path, line_offset, what=what)
    return Problem(found.path, found.line, *yamlsrc.split_rule(found.message)) if found else None


_URL_KEYS = {"url": "link", "href": "link", "link": "link", "src": "resource", "image": "resource", "img": "resource", "icon": "resource"}


def text_char_problems(text: str, path: str, line_offset: int = 0) -> list[Problem]:
    """YAML 字段值和字段名中看不见的字符（TEXT-1，studycol/textchars.py）。"""
    return [Problem(p.path, p.line, p.message, p.rule) for p in textchars.yaml_problems(text, path, line_offset)]


def scan_yaml_text(text: str, path: str) -> list[Problem]:
    """数据文件中的文字字段按 Markdown 检查，地址字段按地址检查。YAML 语法错误留给数据加载器报告。"""
    try:
        root = yamlsrc.compose(text, path)
    except yamlsrc.DataError:
        return []
    out: list[Problem] = []

    def walk(node: yaml.Node, key: str | None) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(v, k.value if isinstance(k, yaml.ScalarNode) else None)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, key)
        elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and node.value:
            line = node.start_mark.line + 1
            if key and (key.lower() in _URL_KEYS or key.lower().endswith("_url")):
                why = url_problem(node.value, _URL_KEYS.get(key.lower(), "link"))
                if why:
                    out.append(Problem(path, line, f"字段 {key}：{why}", "HTML-4"))
            elif re.search(r"[<\[{:]", node.value):
                offset = line - 1 if node.style not in ("|", ">") else line
                out.extend(scan_markdown(node.value, path, offset))

    if root is not None:
        walk(root, None)
    return text_char_problems(text, path) + out


# ---- docs/ 和 data/ 中的文件：符号链接、文件类型、静态文件的内容 ------------------------------------

# 项目自己的脚本只放在这两个目录（其中 vendor/ 是构建时从 npm 复制来的第三方文件）；其他 .js 一律拒绝
OWNED_JS_DIRS = ("docs/assets/javascripts/", "docs/assets/vendor/")
# 发布的附件类型（图片、文档、字体）；.md、.html、.svg、.css、.js 另有规则
ASSET_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .webp .avif .ico .pdf .doc .docx .xls .xlsx .ppt .pptx .odt .ods .woff .woff2".split()
)
SCREENED_SUFFIXES = frozenset({".md", ".html", ".svg", ".css", ".js"})
# docs/cases/ 中除了 .md 案例，只能有这些附件（案例配图、原文扫描件）
CASE_ASSET_SUFFIXES = frozenset(".png .jpg .jpeg .gif .webp .svg .pdf".split())
ROOT_FILES = frozenset({"docs/robots.txt"})
CONTENT_DIRS = ("docs", "data")


def _symlink_in(root: Path, rel: str) -> str | None:
    """rel 自身或它所在的某一级目录是符号链接时，返回那一级的相对路径。"""
    parts = rel.split("/")
    for i in range(1, len(parts) + 1):
        sub = "/".join(parts[:i])
        if os.path.islink(root / sub):
            return sub
    return None


def path_problems(root: Path, rel: str) -> list[Problem]:
    """一个内容文件的路径层面的问题：符号链接、案例目录中的非案例文件、不认识的文件类型、自有目录以外的脚本。"""
    link = _symlink_in(root, rel)
    if link:
        try:
            target = os.readlink(root / link)
        except OSError:
            target = "?"
        return [
            Problem(
                rel, 1,
                f"“{link}”是符号链接（指向 {_short(target, 50)}）：构建会把链接指向的文件原样发布，可能泄露服务器上的文件；"
                "请删除链接，把要发布的文件本身放进仓库",
                "FILE-10",
            )
        ]
    if not rel.startswith("docs/"):
        return []
    suffix = os.path.splitext(rel)[1].lower()
    if rel.startswith("docs/cases/"):
        if suffix not in CASE_ASSET_SUFFIXES and suffix != ".md":
            hint = "典型案例文件的扩展名必须是 .md（如 case-1.md），请改名" if suffix in (
                ".markdown", ".mdown", ".mkd", ".mkdn", ".txt", ".text", ""
            ) else "案例目录中只能放 .md 案例和配图（.png、.jpg、.gif、.webp、.svg）或 .pdf 附件"
            return [Problem(rel, 1, f"案例目录中的文件“{rel.rsplit('/', 1)[-1]}”不是案例：它不会被检查，却会原样发布；{hint}", "FILE-11")]
        return []
    if suffix == ".js" and not rel.startswith(OWNED_JS_DIRS):
        return [
            Problem(
                rel, 1,
                "脚本文件只能放在 docs/assets/javascripts/（本站自己的脚本）；内容目录中的其他 .js 文件会在读者浏览器中执行，请删除",
                "FILE-13",
            )
        ]
    if suffix not in SCREENED_SUFFIXES and suffix not in ASSET_SUFFIXES and rel not in ROOT_FILES:
        return [
            Problem(
                rel, 1,
                f"不认识的文件类型“{suffix or '（无扩展名）'}”：内容目录中只能放页面（.md）、图片、.pdf 和办公文档等附件；"
                "请删除，或改存为允许的格式",
                "FILE-12",
            )
        ]
    return []


def static_file_problems(rel: str, text: str, own_hosts: Iterable[str] = ()) -> list[Problem]:
    """docs/ 中原样发布的 .html、.svg、.css 文件的内容。"""
    suffix = os.path.splitext(rel)[1].lower()
    hosts = tuple(own_hosts)
    located: list[tuple[int, htmlscreen.Finding]] = []
    if suffix == ".html":
        policy = htmlscreen.OWNED_HTML if rel.startswith(OWNED_JS_DIRS) else htmlscreen.STATIC_HTML
        located = htmlscreen.locate(text, lambda s: htmlscreen.scan(s, policy, hosts, fragment=False).findings)
    elif suffix == ".svg":
        located = htmlscreen.locate(text, lambda s: htmlscreen.scan_svg(s, hosts))
    elif suffix == ".css":
        located = htmlscreen.css_problems(text, hosts)
    return [Problem(rel, line, f.reason, f.rule) for line, f in located]


# ---- 片段引用（pymdownx.snippets 的 --8<--） ---------------------------------------------------

SNIPPET_BASES = ("docs/_snippets",)  # 与 mkdocs.yml 中 pymdownx.snippets 的 base_path 相同（有测试核对）
_SNIPPET_INLINE_RE = re.compile(r"""^[ \t]*(;*)-+8<-+[ \t]+("(?:\\"|[^"\n\r])+?"|'(?:\\'|[^'\n\r])+?')\r?$""")
_SNIPPET_BLOCK_RE = re.compile(r"^[ \t]*(;*)-+8<-+\r?$")
_SNIPPET_SUFFIX_RE = re.compile(r"(?i)^(.*?)(?:(?::-?[0-9]*){1,2}(?:,-?[0-9]*(?::-?[0-9]*)?)*|:[a-z][-_0-9a-z]*)$")
_MAX_SNIPPET_DEPTH = 8


def _snippet_paths(text: str) -> list[tuple[int, str]]:
    """(行下标（从 0 起）, 引用的路径)：单行写法 --8<-- "路径" 和多行的块写法；以“;”开头的是注释掉的。"""
    out: list[tuple[int, str]] = []
    block = False
    for i, line in enumerate(text.split("\n")):
        m = _SNIPPET_INLINE_RE.match(line)
        if m:
            if not m.group(1):
                out.append((i, m.group(2)[1:-1].strip()))
            continue
        m = _SNIPPET_BLOCK_RE.match(line)
        if m:
            if not m.group(1):
                block = not block
            continue
        if block:
            path = line.strip()
            if path and not path.startswith(";"):
                out.append((i, path))
    return out


def _snippet_target(root: Path, bases: Iterable[str], path: str) -> tuple[Path | None, str]:
    """片段路径对应的文件（必须在某个 base_path 之内），找不到时给出原因。"""
    if re.match(r"(?i)^[a-z][a-z0-9+.-]*://", path):
        return None, f"片段引用“{_short(path)}”是网络地址：只能引用 {'、'.join(bases)} 中的文件"
    if path.startswith(("/", "~", "\\")) or re.match(r"^[A-Za-z]:[\\/]", path):
        return None, f"片段引用“{_short(path)}”是绝对路径：只能引用 {'、'.join(bases)} 中的文件，请写相对于该目录的路径"
    candidates = [path]
    m = _SNIPPET_SUFFIX_RE.match(path)
    if m and m.group(1) and m.group(1) != path:
        candidates.append(m.group(1))  # 去掉行号范围（:3:5）或小节名（:name）
    outside = False
    for base in bases:
        base_dir = (root / base).resolve()
        for cand in candidates:
            target = (base_dir / cand).resolve()
            if not target.is_relative_to(base_dir):
                outside = True
                continue
            if target.is_file():
                return target, ""
    if outside:
        return None, f"片段引用“{_short(path)}”跳出了片段目录（{'、'.join(bases)}）：不能用“..”引用其他目录中的文件"
    return None, f"找不到片段文件“{_short(path)}”：片段只能放在 {'、'.join(bases)} 中，请检查文件名"


def snippet_problems(
    text: str, path: str, root: Path, bases: Iterable[str] = SNIPPET_BASES, line_offset: int = 0
) -> list[Problem]:
    """页面中的每个片段引用必须指向片段目录中存在的文件；被引用的片段中的引用同样检查（报告在页面的引用行上）。"""
    bases = tuple(bases)
    out: list[Problem] = []
    for i, ref in _snippet_paths(text):
        why = _snippet_chain_problem(root, bases, ref, 0, set())
        if why:
            out.append(Problem(path, i + 1 + line_offset, why, "SNIP-1"))
    return out


def _snippet_chain_problem(root: Path, bases: tuple[str, ...], ref: str, depth: int, seen: set[Path]) -> str | None:
    target, why = _snippet_target(root, bases, ref)
    if target is None:
        return why
    if target in seen or depth >= _MAX_SNIPPET_DEPTH:
        return None  # 循环引用和过深的嵌套由 pymdownx.snippets 自己跳过
    try:
        inner = target.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return f"片段文件“{_short(ref)}”无法读取"
    for _, sub in _snippet_paths(inner):
        sub_why = _snippet_chain_problem(root, bases, sub, depth + 1, seen | {target})
        if sub_why:
            return f"片段“{_short(ref, 30)}”中：{sub_why}"
    return None


def without_lines(text: str, line_numbers: Iterable[int], line_offset: int = 0) -> str:
    """把 text 中的这些行（源文件行号）换成空行：有问题的片段引用不交给 pymdownx.snippets（它会抛出异常）。"""
    drop = {n - line_offset - 1 for n in line_numbers}
    if not drop:
        return text
    return "\n".join("" if i in drop else line for i, line in enumerate(text.split("\n")))


# ---- 不构建站点的整库检查（make check-content、make check 调用；与构建时的检查相同） -------------------------


def _content_files(root: Path) -> list[str]:
    """docs/ 和 data/ 中的全部文件（相对路径），与 MkDocs 一样跳过以“.”开头的文件和目录；不跟随符号链接，
    链接本身（文件或目录）也列出，由 path_problems 拒绝。"""
    out: list[str] = []
    for top in CONTENT_DIRS:
        base = root / top
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            rel_dir = Path(dirpath).relative_to(root).as_posix()
            for d in list(dirnames):
                if d.startswith("."):
                    dirnames.remove(d)
                elif os.path.islink(os.path.join(dirpath, d)):
                    out.append(f"{rel_dir}/{d}")
            dirnames.sort()
            out += [f"{rel_dir}/{f}" for f in sorted(filenames) if not f.startswith(".")]
    return out


def _read_text(path: Path) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if len(raw) > MAX_DATA_BYTES:
        return None  # 过大的文件由构建和排版检查另行报告
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None  # 非 UTF-8 由排版检查（FILE-2）报告


def empty_page_problem(rel: str) -> Problem:
    """正文为空的页面（构建和 make check-content 报告同一句）。"""
    return Problem(rel, 1, "页面没有正文；请写好内容，或删除这个文件（空页面会以空白发布）", "FILE-14")


def page_size_problem(rel: str, size: int) -> Problem | None:
    """超过 MAX_PAGE_BYTES 的页面（构建时因此中止）。"""
    if size <= MAX_PAGE_BYTES:
        return None
    return Problem(rel, 1, f"页面过大（{size / 1048576:.1f} MB，上限 {MAX_PAGE_BYTES // 1048576} MB）；请拆分成几个页面", "FILE-15")


def _is_case_file(rel: str) -> bool:
    from .cases import INDEX_PAGES  # noqa: PLC0415 - 案例模块较大，只在整库检查时需要

    return rel.startswith("docs/cases/") and rel.removeprefix("docs/cases/") not in INDEX_PAGES


def _too_big(root: Path, rel: str) -> Problem | None:
    size = (root / rel).stat().st_size
    if size <= MAX_DATA_BYTES:
        return None  # 读不出来是因为编码：由排版检查（FILE-2）报告
    return Problem(rel, 1, f"文件过大（{size / 1048576:.1f} MB，上限 {MAX_DATA_BYTES // 1048576} MB）；"
                   "请拆分成几个文件，或检查是否误粘贴了大段内容", "YAML-6")


def body_offset(text: str) -> int:
    """front matter 占的行数（正文第一行之前的行数）。"""
    m = _FM_RE.match(text) if text.startswith("---") else None
    return text.count("\n", 0, m.end()) if m else 0


def source_problems(
    body: str, rel: str, root: Path, offset: int = 0, own_hosts: Iterable[str] = (), bases: Iterable[str] = SNIPPET_BASES
) -> list[Problem]:
    """页面正文（front matter 之后的 Markdown）的源文件检查：原始 HTML、链接、片段引用、标题中看不见的字符。

    构建（studycol/steps/safety.py 的 markdown 一步）和 make check-content、make check（page_problems）调用的都是它，
    所以两处的规则相同。offset 是正文之前的行数（front matter 占的行）。
    """
    return (
        scan_markdown(body, rel, offset, own_hosts)
        + snippet_problems(body, rel, root, bases, offset)
        + [Problem(p.path, p.line, p.message, p.rule) for p in textchars.heading_problems(body, rel, offset)]
    )


def page_problems(text: str, rel: str, root: Path, own_hosts: Iterable[str] = ()) -> list[Problem]:
    """一个 Markdown 页面正文的安全检查（与构建时 markdown 一步中的相同，见 source_problems）。"""
    offset = body_offset(text)
    body = text.split("\n", offset)[-1] if offset else text
    return source_problems(body, rel, root, offset, own_hosts)


def screen_repo(root: Path) -> tuple[int, list[Problem]]:
    """整库的投稿内容安全检查：(检查的文件数, 问题)。"""
    root = root.resolve()
    problems: list[Problem] = []
    files = _content_files(root)
    for rel in files:
        found = path_problems(root, rel)
        problems += found
        if found or rel.startswith("data/source/"):
            continue
        suffix = os.path.splitext(rel)[1].lower()
        if rel.startswith("data/"):
            if suffix in (".yml", ".yaml"):
                text = _read_text(root / rel)
                refused = yaml_limit_problem(text, rel) if text is not None else _too_big(root, rel)
                if refused:  # 与构建开始时相同：不合 YAML 限制的数据文件不再往下读
                    problems.append(refused)
                elif text is not None:
                    problems += scan_yaml_text(text, rel)
            continue
        if suffix not in (".md", ".html", ".svg", ".css"):
            continue
        too_big = page_size_problem(rel, (root / rel).stat().st_size) if suffix == ".md" else None
        if too_big:
            problems.append(too_big)
            continue
        text = _read_text(root / rel)
        if text is None:
            continue
        if suffix == ".md":
            if body_is_empty(text) and not _is_case_file(rel):  # 空的案例由案例检查报告
                problems.append(empty_page_problem(rel))
            problems += front_matter_problems(text, rel) + page_problems(text, rel, root)
        else:
            problems += static_file_problems(rel, text)
    return len(files), problems


def check_repo(root: Path, today: object = None) -> tuple[int, list[SourceError]]:
    """tools/check_content.py 的登记项：与构建相同的安全检查（原始 HTML、静态文件、符号链接、片段引用）。"""
    count, problems = screen_repo(root)
    return count, [SourceError(p.path, p.line, p.reason + (f"（{p.rule}）" if p.rule else "")) for p in problems]


def data_symlinks(root: Path) -> list[str]:
    """data/ 中的符号链接（文件或目录，不跟随）。构建读取 data/ 时不经过 MkDocs 的文件列表，单独查。"""
    return [rel for rel in _content_files(root) if rel.startswith("data/") and _symlink_in(root, rel)]
