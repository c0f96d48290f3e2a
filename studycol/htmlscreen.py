"""HTML、SVG 和 CSS 的安全筛查：用真正的 HTML5 解析器把文字解析成浏览器看到的那棵树，再按白名单检查。

为什么用 selectolax（Lexbor 引擎）
----------------------------------
比较了三个按 WHATWG HTML 标准解析的库（2026-12，本机 2 核，同一次运行，已构建站点的 103 个页面，6.27 MB；
只取正文部分时 2.61 MB）：

================  ===========  =================  ===========================================
库                 整页 CPU      正文 CPU           维护与接口
================  ===========  =================  ===========================================
selectolax 1.0.2   0.05 s       0.02 s             2026-10 发布；C 写的 Lexbor，通过 html5lib-tests；
                                                   没有源码行号
justhtml 3.16.0    1.42 s       0.62 s（带行号 0.67）  2026-10 发布；纯 Python，可记录行号
html5lib 1.1       2.35 s       —                  最后一次发布在 2020-06，已不维护
================  ===========  =================  ===========================================

原来的正则筛查在构建中约 0.03 s；justhtml 每次构建多花约 0.6 s（真实站点构建约 5.4 s CPU 的一成以上，
300 个案例时更多），selectolax 几乎不增加时间。selectolax 不给行号，这里用“前缀解析”补上：
只有发现问题时，才对源文字按行二分，找出让这处问题第一次出现的最短前缀，它的最后一行就是问题所在的行
（解析器逐个记号建树，前缀中建出的元素和属性在全文中不会消失，所以这个次数随前缀单调增加）。
没有问题的页面（几乎所有页面）只解析一次。

解析时打开 scripting（与读者的浏览器相同）：否则 <noscript> 的内容会被当成标签解析，
“<noscript><p title="</noscript><img onerror=…>">”这类写法在浏览器中执行，在筛查中却只是属性文字。

CSS（.css 文件、SVG 中的 <style>、style 属性）用 tinycss2 解析：@import 和 url() 只能指向本站。

规则编号集中在 RULES 中，消息格式为“文件:行: 中文说明（规则编号）”。
"""

from __future__ import annotations

import dataclasses
import html as html_mod
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping

import tinycss2
from selectolax.lexbor import LexborHTMLParser

# ---- 规则编号（唯一登记处） -------------------------------------------------------------

RULES: dict[str, str] = {
    "HTML-1": "不允许的 HTML 元素（脚本、嵌入、表单、元数据、内联 SVG 等，或不在白名单中的元素）",
    "HTML-2": "事件属性（on…=）",
    "HTML-3": "不在白名单中的属性（srcdoc、http-equiv、action 等）",
    "HTML-4": "不允许的地址：javascript:、data:、file:、外部资源（盗链）、http:// 链接",
    "HTML-5": "样式引用外部资源或脚本（url()、@import、expression()）",
    "HTML-6": "SVG 中的主动内容（脚本、foreignObject、外部引用、动画改写链接）",
    "FILE-10": "docs/、data/ 中的符号链接",
    "FILE-11": "案例目录中不是 .md 案例、也不是允许的附件类型的文件",
    "FILE-12": "内容目录中不认识的文件类型",
    "FILE-13": "项目自有目录以外的 .js 脚本",
    "FILE-14": "没有正文的页面",
    "FILE-15": "超过 1 MiB 的页面",
    "SNIP-1": "片段引用（--8<--）指向允许的目录以外，或找不到",
    "CSP-1": "页面正文中的内联脚本（内容安全策略不为它计算哈希）",
    "TEXT-1": "front matter、数据文件和标题中看不见的字符（零宽字符、双向控制字符）",
}


def tagged(reason: str, rule: str) -> str:
    """给中文说明加上规则编号：“……（HTML-1）”。"""
    assert rule in RULES, rule
    return f"{reason}（{rule}）"


@dataclasses.dataclass(frozen=True)
class Finding:
    """筛查发现的一处问题（还没有行号）。needle 是能在源文字中找到的片段，用于给渲染结果中的问题定位。"""

    rule: str
    reason: str
    needle: str = ""

    @property
    def message(self) -> str:
        return tagged(self.reason, self.rule)


# ---- 地址 ----------------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):")


def _short(s: str, n: int = 60) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


def url_scheme(url: str) -> tuple[str, str, str]:
    """(原文, 去掉控制字符并转小写后的地址, 协议)。字符实体先解开（&#x61; 与 a 相同）。"""
    raw = html_mod.unescape(url).strip()
    norm = _CONTROL_RE.sub("", raw).lower()
    m = _SCHEME_RE.match(norm)
    return raw, norm, m.group(1) if m else ""


def url_problem(url: str, kind: str = "link") -> str | None:
    """检查一个地址。kind：link（可点击的链接）或 resource（图片、样式表、媒体等页面自动加载的资源）。"""
    raw, norm, scheme = url_scheme(url)
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


def same_site_problem(url: str, own_hosts: Iterable[str] = ()) -> str | None:
    """样式表中的地址只能指向本站：相对路径，或本站域名下的 https:// 地址。"""
    raw, norm, scheme = url_scheme(url)
    if not norm or norm.startswith("#"):
        return None
    if not scheme and not norm.startswith("//"):
        return None
    host = re.match(r"^(?:https?:)?//([^/:?#]+)", norm)
    if host and host.group(1) in set(own_hosts) and scheme in ("https", ""):
        return None
    return f"样式引用了本站以外的地址“{_short(raw)}”：只能用站内相对路径（如 ../fonts/a.woff2），外部文件请下载后放进仓库"


# ---- 白名单 ---------------------------------------------------------------------------

# 编辑可以在 Markdown 中直接写的 HTML 元素（版式用，不会执行或加载外部内容）
EDITOR_ELEMENTS = frozenset(
    """a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div dl dt em figcaption
    figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q rp rt ruby s samp section small span strong sub
    summary sup table tbody td tfoot th thead time tr u ul var wbr article aside header footer nav main""".split()
)
# 渲染后的正文中还会有本站构建程序生成的测验、任务筛选表单（没有 action，只在本页由本站脚本处理）
RENDERED_ELEMENTS = EDITOR_ELEMENTS | frozenset("form fieldset legend label input button select option".split())
# 任何元素都可以有的属性；另外 data-* 和 aria-* 也可以（只存数据或给辅助技术读，不执行）
GLOBAL_ATTRS = frozenset("id class title lang dir role hidden tabindex translate markdown style".split())
ELEMENT_ATTRS: Mapping[str, frozenset[str]] = {
    "a": frozenset("href hreflang rel download name target type".split()),
    "img": frozenset("src alt width height loading decoding srcset sizes".split()),
    "td": frozenset("colspan rowspan headers align".split()),
    "th": frozenset("colspan rowspan headers scope abbr align".split()),
    "col": frozenset("span width".split()),
    "colgroup": frozenset("span width".split()),
    "ol": frozenset("start type reversed".split()),
    "li": frozenset(["value"]),
    "time": frozenset(["datetime"]),
    "details": frozenset(["open"]),
    "q": frozenset(["cite"]),
    "blockquote": frozenset(["cite"]),
    "del": frozenset("cite datetime".split()),
    "ins": frozenset("cite datetime".split()),
    # 以下只出现在渲染结果中（本站构建程序生成）
    "form": frozenset(["novalidate"]),
    "input": frozenset("type name value autocomplete spellcheck checked placeholder disabled".split()),
    "button": frozenset("type disabled".split()),
    "label": frozenset(["for"]),
    "select": frozenset("name multiple disabled".split()),
    "option": frozenset("value selected".split()),
    "fieldset": frozenset(["disabled"]),
}
URL_ATTRS = {
    "href": "link", "src": "resource", "srcset": "resource", "action": "link", "formaction": "link",
    "poster": "resource", "background": "resource", "data": "resource", "cite": "link", "xlink:href": "link",
    "longdesc": "link", "lowsrc": "resource", "dynsrc": "resource", "ping": "link", "manifest": "resource",
}

_ELEMENT_REASONS = {
    "script": "内联脚本 <script> 会在读者浏览器中执行",
    "noscript": "<noscript> 的内容在浏览器中和在检查中解析方式不同，可以藏住脚本",
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
    "foreignobject": "<foreignObject> 会在图形中嵌入任意 HTML",
}

# 独立的 .svg 文件中允许的元素（静态图形）；脚本、foreignObject、动画（可改写链接）一律不行
SVG_ELEMENTS = frozenset(
    """svg g defs symbol use path rect circle ellipse line polyline polygon text tspan textpath title desc
    metadata lineargradient radialgradient stop clippath mask pattern marker filter image style a switch
    feblend fecolormatrix fecomponenttransfer fecomposite feconvolvematrix fediffuselighting fedisplacementmap
    feflood fegaussianblur feimage femerge femergenode femorphology feoffset fespecularlighting fetile
    feturbulence fefunca fefuncb fefuncg fefuncr fedistantlight fepointlight fespotlight fedropshadow""".split()
)
_SVG_REASONS = {
    "script": "SVG 中的 <script> 会在读者打开图片时执行",
    "foreignobject": "SVG 中的 <foreignObject> 会嵌入任意 HTML",
    "set": "SVG 动画 <set> 可以把链接改写成脚本",
    "animate": "SVG 动画 <animate> 可以把链接改写成脚本",
    "iframe": "<iframe> 会嵌入其他网站的页面",
}


@dataclasses.dataclass(frozen=True)
class Policy:
    """一种内容允许什么。"""

    name: str
    elements: frozenset[str]
    scripts: bool = False  # 允许 <script>（只有项目自己的 HTML 文件）
    document: bool = False  # 完整的 HTML 文档（html、head、body、title 等也允许）


EDITOR = Policy("editor", EDITOR_ELEMENTS)
RENDERED = Policy("rendered", RENDERED_ELEMENTS)
STATIC_HTML = Policy("static-html", EDITOR_ELEMENTS, document=True)
OWNED_HTML = Policy("owned-html", EDITOR_ELEMENTS | {"script"}, scripts=True, document=True)
_DOCUMENT_ELEMENTS = frozenset("html head body title meta link".split())
_DOCUMENT_ATTRS = {"meta": frozenset("charset name content".split()), "link": frozenset("rel href type sizes".split())}


# ---- CSS -----------------------------------------------------------------------------


def css_problems(css: str, own_hosts: Iterable[str] = (), *, declarations: bool = False) -> list[tuple[int, Finding]]:
    """CSS 中的问题：(行号（从 1 起，相对 css 文字）, 问题)。declarations=True 时按 style 属性的内容解析。"""
    hosts = set(own_hosts)
    out: list[tuple[int, Finding]] = []

    def check_url(url: str, line: int) -> None:
        why = same_site_problem(url, hosts) or (url_problem(url, "resource") if url_scheme(url)[2] == "data" else None)
        if why:
            out.append((line, Finding("HTML-5", why, url)))

    def walk(tokens: Iterable[object]) -> None:
        for tok in tokens:
            kind = getattr(tok, "type", "")
            line = getattr(tok, "source_line", 1) or 1
            if kind == "url":
                check_url(str(getattr(tok, "value", "")), line)
            elif kind == "function":
                name = getattr(tok, "lower_name", "")
                args = getattr(tok, "arguments", [])
                if name in ("url", "src"):
                    for a in args:
                        if getattr(a, "type", "") == "string":
                            check_url(str(getattr(a, "value", "")), line)
                elif name == "expression":
                    out.append((line, Finding("HTML-5", "样式中的 expression() 会执行脚本；请删除", "expression")))
                walk(args)
            elif kind == "at-rule":
                keyword = getattr(tok, "lower_at_keyword", "")
                prelude = getattr(tok, "prelude", [])
                if keyword == "import":
                    for a in prelude:
                        if getattr(a, "type", "") == "string":
                            check_url(str(getattr(a, "value", "")), line)
                walk(prelude)
                content = getattr(tok, "content", None)
                if content:
                    walk(tinycss2.parse_blocks_contents(content))
            elif kind == "qualified-rule":
                walk(getattr(tok, "prelude", []))
                walk(tinycss2.parse_blocks_contents(getattr(tok, "content", [])))
            elif kind == "declaration":
                lname = getattr(tok, "lower_name", "")
                if lname in ("behavior", "-moz-binding"):
                    out.append((line, Finding("HTML-5", f"样式属性“{lname}”会加载并执行外部代码；请删除", lname)))
                walk(getattr(tok, "value", []))
            elif kind in ("() block", "[] block", "{} block"):
                walk(getattr(tok, "content", []))

    if declarations:
        walk(tinycss2.parse_blocks_contents(css, skip_comments=True))
    else:
        walk(tinycss2.parse_stylesheet(css, skip_comments=True))
    return out


# ---- 元素和属性 ------------------------------------------------------------------------


def _attr_allowed(tag: str, name: str, policy: Policy) -> bool:
    if name in GLOBAL_ATTRS or name in ELEMENT_ATTRS.get(tag, ()):
        return True
    if policy.document and name in _DOCUMENT_ATTRS.get(tag, ()):
        return True
    if policy.scripts and tag == "script" and name in ("src", "type", "defer", "async"):
        return True
    return name.startswith(("data-", "aria-")) and re.fullmatch(r"[a-z][a-z0-9-]*", name) is not None


def attr_findings(tag: str, name: str, value: str, policy: Policy, own_hosts: Iterable[str] = ()) -> list[Finding]:
    """一个属性的问题（值是解析器解开字符实体之后的值）。"""
    lname = name.lower()
    if lname.startswith("on"):
        return [Finding("HTML-2", f"事件属性“{name}=”会执行脚本，且被内容安全策略禁止；请删除", name)]
    if lname == "srcdoc":
        return [Finding("HTML-3", f"属性“{name}=”会嵌入一整个页面；请删除", name)]
    if lname == "style":
        return [
            Finding("HTML-5", "style 属性中" + f.reason.removeprefix("样式"), "style")
            for _, f in css_problems(value, own_hosts, declarations=True)
        ]
    out: list[Finding] = []
    if lname in URL_ATTRS:
        kind = "link" if (tag == "a" and lname == "href") else URL_ATTRS[lname]
        urls = [u.strip().split(" ")[0] for u in value.split(",")] if lname == "srcset" else [value]
        for u in urls:
            why = url_problem(u, kind)
            if why:
                out.append(Finding("HTML-4", why, u.strip() or name))
    if not _attr_allowed(tag, lname, policy):
        out.append(Finding("HTML-3", f"<{tag}> 标签的属性“{name}=”不在允许的属性之列；请删除", name))
    return out


def element_findings(tag: str, attrs: Mapping[str, str | None], policy: Policy, own_hosts: Iterable[str] = ()) -> list[Finding]:
    """一个元素（标签名已转小写）和它全部属性的问题。"""
    out: list[Finding] = []
    allowed = tag in policy.elements or (policy.document and tag in _DOCUMENT_ELEMENTS)
    if tag == "meta" and allowed and any(k.lower() == "http-equiv" for k in attrs):
        out.append(Finding("HTML-1", f"不允许的 HTML 标签：{_ELEMENT_REASONS['meta']}；请删除", "<meta"))
        allowed = True
    elif tag == "script" and not policy.scripts:
        allowed = False
    if not allowed:
        reason = _ELEMENT_REASONS.get(tag)
        if reason:
            out.append(Finding("HTML-1", f"不允许的 HTML 标签：{reason}；请删除", f"<{tag}"))
        else:
            out.append(
                Finding(
                    "HTML-1",
                    f"不允许的 HTML 标签 <{tag}>；页面中只能用版式类标签（如 div、span、table、details），请删除或改用 Markdown 写法",
                    f"<{tag}",
                )
            )
    for name, value in attrs.items():
        found = attr_findings(tag, name, value or "", policy, own_hosts)
        # 元素本身已被拒绝时，不再逐个说它的普通属性不在白名单中（删掉元素就都没了）
        out += found if allowed else [f for f in found if not f.reason.endswith("不在允许的属性之列；请删除")]
    if tag == "link" and allowed:
        out += [Finding("HTML-5", f.reason, f.needle) for f in _link_findings(attrs, own_hosts)]
    return out


def _link_findings(attrs: Mapping[str, str | None], own_hosts: Iterable[str]) -> list[Finding]:
    href = attrs.get("href") or ""
    why = same_site_problem(href, own_hosts)
    return [Finding("HTML-5", why, href)] if why else []


def _parse(text: str, *, fragment: bool, namespace: str = "html") -> LexborHTMLParser:
    if fragment:
        tag = "svg" if namespace == "svg" else "div"
        return LexborHTMLParser(text, is_fragment=True, fragment_tag=tag, fragment_namespace=namespace, scripting=True)
    return LexborHTMLParser(text, scripting=True)


@dataclasses.dataclass
class Scan:
    findings: list[Finding]
    ids: Counter[str]


def scan(text: str, policy: Policy, own_hosts: Iterable[str] = (), *, fragment: bool = True) -> Scan:
    """解析一段 HTML（片段或整个文档），逐个元素按白名单检查，同时数出每个 id 出现的次数。"""
    tree = _parse(text, fragment=fragment)
    findings: list[Finding] = []
    ids: Counter[str] = Counter()
    hosts = tuple(own_hosts)
    for node in tree.root.traverse(include_text=False) if tree.root is not None else ():
        if node.is_comment_node:
            continue
        tag = (node.tag or "").lower()
        if tag.startswith("-") or (not fragment and tag in ("html", "head", "body") and not node.attributes):
            continue
        attrs = node.attributes
        if "id" in attrs and attrs["id"]:
            ids[str(attrs["id"])] += 1
        if not attrs and tag in policy.elements:
            continue  # 大多数元素：允许的标签，没有属性
        findings += element_findings(tag, attrs, policy, hosts)
    return Scan(findings, ids)


def scan_svg(text: str, own_hosts: Iterable[str] = ()) -> list[Finding]:
    """一个 .svg 文件：只能是静态图形。"""
    out: list[Finding] = []
    if re.search(r"<!ENTITY", text, re.I):
        out.append(Finding("HTML-6", "SVG 文件中定义了 XML 实体（<!ENTITY），可以借此藏入脚本或撑爆内存；请删除文档类型声明", "<!ENTITY"))
    tree = _parse(text, fragment=True, namespace="svg")
    hosts = tuple(own_hosts)
    for node in tree.root.traverse(include_text=False) if tree.root is not None else ():
        if node.is_comment_node:
            continue
        tag = (node.tag or "").lower()
        if tag.startswith("-"):
            continue
        if tag in _SVG_REASONS:
            out.append(Finding("HTML-6", f"{_SVG_REASONS[tag]}；请删除", f"<{node.tag}"))
        elif tag not in SVG_ELEMENTS:
            out.append(Finding("HTML-6", f"SVG 文件中不允许的元素 <{node.tag}>；图形中只能有形状、文字、渐变等静态内容", f"<{node.tag}"))
        if tag == "style":
            out += [f for _, f in css_problems(node.text(deep=True) or "", hosts)]
        for name, value in node.attributes.items():
            lname = name.lower()
            val = value or ""
            if lname.startswith("on"):
                out.append(Finding("HTML-6", f"SVG 中的事件属性“{name}=”会执行脚本；请删除", name))
            elif lname in ("href", "xlink:href", "src"):
                if not val.strip().startswith("#"):
                    out.append(
                        Finding("HTML-6", f"SVG 中的引用“{_short(val)}”指向图形以外；图形只能引用自身中的元素（#编号）", val or name)
                    )
            elif lname == "style":
                out += [f for _, f in css_problems(val, hosts, declarations=True)]
            elif "url(" in val.lower():
                out += [f for _, f in css_problems(f"x{{{lname}:{val}}}", hosts)]
    return out


# ---- 行号：前缀解析 ------------------------------------------------------------------------

MAX_LOCATED = 50  # 一个文件最多逐个定位这么多处问题；更多的合并成一条


def locate(text: str, findings_of: Callable[[str], list[Finding]], first_line: int = 1) -> list[tuple[int, Finding]]:
    """给 findings_of(text) 找到的每处问题配上行号：让它第 k 次出现的最短前缀（按整行）的最后一行。

    first_line 是 text 第一行在源文件中的行号。没有问题时只解析一次。
    """
    found = findings_of(text)
    if not found:
        return []
    ends = [m.end() for m in re.finditer(r"\n", text)]
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    cache: dict[int, Counter[Finding]] = {}

    def count(line_index: int) -> Counter[Finding]:
        if line_index not in cache:
            cache[line_index] = Counter(findings_of(text[: ends[line_index]]))
        return cache[line_index]

    seen: Counter[Finding] = Counter()
    out: list[tuple[int, Finding]] = []
    for f in found[:MAX_LOCATED]:
        seen[f] += 1
        lo, hi = 0, len(ends) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if count(mid)[f] >= seen[f]:
                hi = mid
            else:
                lo = mid + 1
        out.append((lo + first_line, f))
    if len(found) > MAX_LOCATED:
        last = out[-1][0]
        rest = len(found) - MAX_LOCATED
        out.append((last, Finding(found[MAX_LOCATED].rule, f"此后还有 {rest} 处同类问题，请先改正上面的问题再重新检查")))
    return sorted(out, key=lambda x: x[0])


def parse_fragment(html: str) -> LexborHTMLParser:
    """用 HTML5 解析器读一段渲染后的正文，按浏览器开着脚本时的规则（<noscript> 的内容是文字）。
    每个页面只解析这一次：收集引用目标（studycol/steps/xref.py）和安全检查（studycol/steps/safety.py）用的是同一棵树。"""
    return LexborHTMLParser(html, is_fragment=True, scripting=True)
