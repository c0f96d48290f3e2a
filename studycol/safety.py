"""编辑投稿内容的安全检查：页面 Markdown 和数据 YAML 不得携带可执行或外链内容。

拒绝的内容（每条都报告文件、行号和中文理由）：
- 原始 HTML 中的 <script> <iframe> <object> <embed> <form> <style> <link> 等标签，以及不在白名单中的任何标签；
- on* 事件属性（onclick= 等），属性列表 { onclick=… } 同样拒绝；
- javascript:、vbscript:、data:、file: 地址；
- 外部图片、样式表等“盗链”资源（只允许站内相对路径）；
- http:// 外部链接（外部链接只能用 https://）。

站点模板（overrides/）是可信的，不在检查范围内；编辑写的 docs/ 和 data/ 才是。
本模块只有纯函数，hooks/safety.py 把它们接到构建事件上。
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import yaml

from .lint import markdown as md
from .yamlsrc import FAST_LOADER

MAX_PAGE_BYTES = 1024 * 1024  # 单个页面 1 MiB
MAX_DATA_BYTES = 2 * 1024 * 1024  # 单个数据文件 2 MiB


@dataclasses.dataclass(frozen=True)
class Problem:
    path: str
    line: int
    reason: str  # 中文：问题和改法

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


# ---- 地址 ----------------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def url_problem(url: str, kind: str = "link") -> str | None:
    """检查一个地址。kind：link（可点击的链接）或 resource（图片、样式表、媒体等页面自动加载的资源）。"""
    raw = html.unescape(url).strip()
    norm = _CONTROL_RE.sub("", raw).lower()
    m = re.match(r"^([a-z][a-z0-9+.-]*):", norm)
    scheme = m.group(1) if m else ""
    if scheme in ("javascript", "vbscript"):
        return f"地址“{_short(raw)}”是 {scheme}: 脚本链接，点击后会执行代码；请删除，或改为普通网页链接"
    if scheme == "data":
        return f"地址“{_short(raw)}”是 data: 内嵌数据，可能夹带脚本；图片请另存为文件放在页面旁，用相对路径引用"
    if scheme == "file":
        return f"地址“{_short(raw)}”指向本机文件（file:），读者打不开；请把文件放进仓库并用相对路径引用"
    external = scheme in ("http", "https") or norm.startswith("//")
    if kind == "resource":
        if external or scheme:
            return (
                f"直接引用外部资源“{_short(raw)}”（盗链）：内网读者加载不到，外部网站也能借此追踪读者；"
                "请把文件下载后放在页面旁（如 assets/ 目录），用相对路径引用"
            )
        return None
    if scheme == "http":
        return f"外部链接“{_short(raw)}”使用 http://；外部链接只能用 https://，请改为 https 地址"
    if norm.startswith("//"):
        return f"地址“{_short(raw)}”省略了协议；外部链接请写完整的 https:// 地址"
    if scheme and scheme not in ("https", "mailto", "tel"):
        return f"地址“{_short(raw)}”使用了不允许的协议“{scheme}:”；链接只能是站内相对路径、https://、mailto: 或 tel:"
    return None


def _short(s: str, n: int = 60) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


# ---- HTML 标签与属性 ---------------------------------------------------------------

# 编辑可以在 Markdown 中直接写的 HTML 标签（版式用，不会执行或加载外部内容）
ALLOWED_TAGS = frozenset(
    """a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div dl dt em figcaption
    figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q rp rt ruby s samp section small span strong sub
    summary sup table tbody td tfoot th thead time tr u ul var wbr article aside header footer nav main""".split()
)
_TAG_REASONS = {
    "script": "内联脚本 <script> 会在读者浏览器中执行",
    "iframe": "<iframe> 会嵌入其他网站的页面",
    "frame": "<frame> 会嵌入其他网站的页面",
    "frameset": "<frameset> 会嵌入其他网站的页面",
    "object": "<object> 会加载插件或外部内容",
    "embed": "<embed> 会加载插件或外部内容",
    "applet": "<applet> 会加载插件",
    "form": "<form> 表单会把读者输入的内容提交出去",
    "input": "<input> 表单控件不属于栏目内容",
    "button": "<button> 表单控件不属于栏目内容",
    "textarea": "<textarea> 表单控件不属于栏目内容",
    "select": "<select> 表单控件不属于栏目内容",
    "style": "<style> 内联样式表会改动整个页面的版式，且被内容安全策略禁止",
    "link": "<link> 会加载外部样式表或其他资源",
    "meta": "<meta> 会改变页面行为（如自动跳转）",
    "base": "<base> 会改变页面上所有链接的指向",
    "svg": "内联 <svg> 可以携带脚本；请把图形另存为 .svg 文件，用图片语法引用",
    "math": "内联 <math> 可以携带脚本",
    "template": "<template> 不属于栏目内容",
    "portal": "<portal> 会嵌入其他网站的页面",
}
URL_ATTRS = {
    "href": "link", "src": "resource", "srcset": "resource", "action": "link", "formaction": "link",
    "poster": "resource", "background": "resource", "data": "resource", "cite": "link", "xlink:href": "link",
    "longdesc": "link", "lowsrc": "resource", "dynsrc": "resource", "ping": "link", "manifest": "resource",
}
# 属性部分用占有型量词（Python 3.11 起）：连续的普通字符一次吃下、不回溯。匹配结果与逐字符的写法相同
# （“>”只能出现在引号内，回溯也找不到更早的结尾），渲染后的页面上快约四成
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:\s+(?:[^<>\"']++|\"[^\"]*+\"|'[^']*+')*+)?)\s*/?>", re.S)
_ATTR_RE = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>\"']+))?")
_CHECKED_ATTRS = frozenset({"srcdoc", "style", *URL_ATTRS})
_MAYBE_RISKY_URL_RE = re.compile(r"[:&]|//")  # 协议、字符实体、省略协议的地址


def _unquote(v: str | None) -> str:
    if v is None:
        return ""
    return v[1:-1] if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'" else v


def attr_problems(name: str, value: str | None, tag: str = "") -> list[str]:
    """一个属性的问题。"""
    lname = name.lower()
    val = html.unescape(_unquote(value))
    out: list[str] = []
    if lname.startswith("on"):
        out.append(f"事件属性“{name}=”会执行脚本，且被内容安全策略禁止；请删除")
    elif lname in ("srcdoc",):
        out.append(f"属性“{name}=”会嵌入一整个页面；请删除")
    elif lname == "style" and re.search(r"url\s*\(|expression\s*\(|@import|behavior\s*:|-moz-binding", val, re.I):
        out.append("style 属性中引用了外部资源或脚本；版式请用站点样式表中的类名")
    elif lname in URL_ATTRS:
        kind = URL_ATTRS[lname]
        if tag == "a" and lname == "href":
            kind = "link"
        urls = [u.strip().split(" ")[0] for u in val.split(",")] if lname == "srcset" else [val]
        for u in urls:
            why = url_problem(u, kind)
            if why:
                out.append(why)
    return out


def tag_problems(tag: str, attrs: str) -> list[str]:
    """一个开始标签（原始 HTML）的问题。"""
    t = tag.lower()
    out: list[str] = []
    if t in _TAG_REASONS:
        out.append(f"不允许的 HTML 标签：{_TAG_REASONS[t]}；请删除")
    elif t not in ALLOWED_TAGS:
        out.append(f"不允许的 HTML 标签 <{tag}>；页面中只能用版式类标签（如 div、span、table、details），请删除或改用 Markdown 写法")
    for m in _ATTR_RE.finditer(attrs):
        out += attr_problems(m.group(1), m.group(2), t)
    return out


# ---- Markdown ------------------------------------------------------------------

_LINK_RE = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*(<[^>]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REFDEF_RE = re.compile(r"^[ ]{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_REFUSE_RE = re.compile(r"!\[([^\]]*)\](?:\[([^\]]*)\])?")
_AUTOLINK_RE = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
_ATTRLIST_RE = re.compile(r"\{:?\s*([^{}\n]*)\}")


def _code_masked(text: str) -> str:
    """遮住代码块、行内代码和 HTML 注释（其中的内容不会被当作 HTML 输出）。缩进代码块不遮：宁可多报，不可漏报。"""
    lines = text.split("\n")
    kinds, _ = md.classify(lines, indented_code=False)
    out = []
    for line, kind in zip(lines, kinds):
        if kind in ("code", "frontmatter"):
            out.append(md.MASK * len(line))
        else:
            out.append(md._INLINE[0].sub(lambda m: md.MASK * len(m.group(0)), line))
    masked = "\n".join(out)
    for m in md.COMMENT_RE.finditer(masked):
        masked = md.mask_span(masked, m.start(), m.end())
    return masked


def scan_markdown(text: str, path: str, line_offset: int = 0) -> list[Problem]:
    """检查一个 Markdown 页面（或 YAML 中的一段 Markdown 文字）。line_offset 加到行号上。"""
    masked = _code_masked(text)
    found: list[tuple[int, str]] = []

    def line_at(pos: int) -> int:
        return masked.count("\n", 0, pos) + 1 + line_offset

    for m in _TAG_RE.finditer(masked):
        if m.group(1):
            continue  # 结束标签
        for why in tag_problems(m.group(2), m.group(3)):
            found.append((line_at(m.start()), why))
    refs: dict[str, tuple[int, str]] = {}
    for m in _REFDEF_RE.finditer(masked):
        refs[m.group(1).strip().lower()] = (m.start(), m.group(2))
    image_refs: set[str] = set()
    for m in _LINK_RE.finditer(masked):
        url = m.group(3).strip("<>")
        kind = "resource" if m.group(1) else "link"
        why = url_problem(url, kind)
        if why:
            found.append((line_at(m.start()), ("图片：" if kind == "resource" else "链接：") + why))
    for m in _REFUSE_RE.finditer(masked):
        if masked[m.end() : m.end() + 1] == "(":
            continue
        image_refs.add((m.group(2) or m.group(1)).strip().lower())
    for key, (pos, url) in refs.items():
        why = url_problem(url, "resource" if key in image_refs else "link")
        if why:
            found.append((line_at(pos), ("图片：" if key in image_refs else "链接：") + why))
    for m in _AUTOLINK_RE.finditer(masked):
        why = url_problem(m.group(1), "link")
        if why:
            found.append((line_at(m.start()), "链接：" + why))
    for m in _ATTRLIST_RE.finditer(masked):
        body = m.group(1)
        if not re.search(r"=", body):
            continue
        for a in _ATTR_RE.finditer(body):
            if a.group(2) is None:
                continue
            for why in attr_problems(a.group(1), a.group(2)):
                found.append((line_at(m.start()), f"属性列表“{_short(m.group(0), 40)}”中：{why}"))
    seen: set[tuple[int, str]] = set()
    out: list[Problem] = []
    for line, why in sorted(found):
        if (line, why) not in seen:
            seen.add((line, why))
            out.append(Problem(path, line, why))
    return out


# ---- 渲染后的 HTML（兜底） ----------------------------------------------------------------


def scan_html(content: str) -> tuple[list[str], list[str]]:
    """检查渲染后的正文 HTML（兜底：模板和扩展产生的标签也在内）。返回 (问题, 重复的 id)。

    用与检查 Markdown 原文相同的标签、属性正则逐个查看开始标签，不用 HTMLParser：结果相同
    （Python-Markdown 的输出格式规整，代码中的尖括号已转义），大站点上快几倍。注释中的标签也会被检查，只会更严。
    """
    problems: list[str] = []
    ids: dict[str, int] = {}
    for m in _TAG_RE.finditer(content):
        if m.group(1):
            continue  # 结束标签
        attrs = m.group(3)
        if not attrs:
            continue
        tag_problems, tag_ids = _scan_start_tag(m.group(2), attrs)
        if tag_problems:
            problems += tag_problems
        for ident in tag_ids:
            ids[ident] = ids.get(ident, 0) + 1
    dups = sorted(i for i, n in ids.items() if n > 1)
    return list(dict.fromkeys(problems)), dups


# 同样的开始标签（同一个引用链接、同一种案例页标题、模板中的固定标签）在成千上万个页面上重复出现：
# 一个标签的检查结果只取决于标签名和属性文字，按这两者缓存，每种写法只逐个属性检查一次
@functools.lru_cache(maxsize=1 << 16)
def _scan_start_tag(name: str, attrs: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """一个开始标签的问题和它的 id（通常至多一个）。"""
    tag = name.lower()
    problems: list[str] = []
    ids: list[str] = []
    for a in _ATTR_RE.finditer(attrs):
        aname, value = a.group(1), a.group(2)
        lname = aname.lower()
        if lname == "id" and value is not None:
            ident = html.unescape(_unquote(value))
            if ident:
                ids.append(ident)
            continue
        # 快速跳过：attr_problems 只看事件属性、srcdoc、style 和地址类属性；站内相对地址（没有冒号、
        # 字符实体和“//”）不可能有问题。渲染后的页面中绝大多数属性属于这两种
        if not (lname.startswith("on") or lname in _CHECKED_ATTRS):
            continue
        if lname in URL_ATTRS and value is not None and not _MAYBE_RISKY_URL_RE.search(value):
            continue
        for why in attr_problems(aname, value, tag):
            problems.append(f"<{tag}> 标签：{why}")
    return tuple(problems), tuple(ids)


def source_line(source: str, needle: str) -> int:
    """在源文件中找 needle 第一次出现的行号（找不到时为 1），用于给渲染后才发现的问题定位。"""
    for candidate in (needle, html.unescape(needle)):
        i = source.find(candidate)
        if i >= 0 and candidate:
            return source.count("\n", 0, i) + 1
    return 1


# ---- 外部链接 --------------------------------------------------------------------

_A_RE = re.compile(r"<a\s([^>]*)>(.*?)</a>", re.S | re.I)
_HREF_RE = re.compile(r"""\bhref\s*=\s*("[^"]*"|'[^']*')""", re.I)
SR_TEXT = "（外部链接）"


def is_external(href: str, own_hosts: Iterable[str]) -> bool:
    parts = urlsplit(html.unescape(href))
    return parts.scheme in ("http", "https") and (parts.hostname or "") not in set(own_hosts)


# 地址中有冒号（协议）、“//”或“&”（字符实体）时才可能是外部链接；只有相对路径和锚点的页面直接跳过。
# 在转成小写的页面上用区分大小写、以字面量开头的正则粗筛：比 \b 开头、忽略大小写的写法快约三倍，
# 能匹配的只多不少（只用来决定是否逐个链接处理）
_MAYBE_ABSOLUTE_HREF_RE = re.compile(r"""href\s*=\s*["']?\s*[^"'\s>]*(?::|//|&)""")


def mark_external_links(content: str, own_hosts: Iterable[str]) -> str:
    """给外部链接加 rel="noopener noreferrer"、类名 column-external 和屏幕阅读器能读到的“（外部链接）”。"""
    if not _MAYBE_ABSOLUTE_HREF_RE.search(content.lower()):
        return content  # 没有带协议（或写成字符实体）的地址：全是站内相对链接，大多数页面如此
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
        data = yaml.load(body, Loader=FAST_LOADER)
    except yaml.YAMLError:
        data = None
    try:
        if data is None:
            data = yaml.safe_load(body)  # 出错时用纯 Python 加载器，错误说明和行号与其他检查一致
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark else 2
        problem = getattr(exc, "problem", None) or "无法解析"
        return [Problem(path, line, f"front matter 的 YAML 语法错误：{problem}。请检查缩进、冒号和引号（含冒号的文字请加引号）")]
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
    if "hide" in data:
        hide = data["hide"]
        if not isinstance(hide, list) or any(h not in HIDE_VALUES for h in hide):
            out.append(
                Problem(path, line_of("hide"), "front matter 的 hide 应为列表，取值只能是 " + "、".join(sorted(HIDE_VALUES)))
            )
    return out


def body_is_empty(text: str) -> bool:
    m = _FM_RE.match(text) if text.startswith("---") else None
    return not (text[m.end() :] if m else text).strip()


def yaml_alias_line(text: str) -> int | None:
    """YAML 中第一个锚点或别名（&名称、*名称）所在的行；没有时返回 None。"""
    try:
        for tok in yaml.scan(text, Loader=FAST_LOADER):
            if isinstance(tok, (yaml.AnchorToken, yaml.AliasToken)):
                return tok.start_mark.line + 1
    except yaml.YAMLError:
        return None
    return None


_URL_KEYS = {"url": "link", "href": "link", "link": "link", "src": "resource", "image": "resource", "img": "resource", "icon": "resource"}


def scan_yaml_text(text: str, path: str) -> list[Problem]:
    """数据文件中的文字字段按 Markdown 检查，地址字段按地址检查。YAML 语法错误留给数据加载器报告。"""
    try:
        root = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
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
                    out.append(Problem(path, line, f"字段 {key}：{why}"))
            elif re.search(r"[<\[{:]", node.value):
                offset = line - 1 if node.style not in ("|", ">") else line
                out.extend(scan_markdown(node.value, path, offset))

    if root is not None:
        walk(root, None)
    return out
