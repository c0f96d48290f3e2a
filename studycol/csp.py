"""内容安全策略（Content-Security-Policy）：构建结束后计算内联脚本的哈希，生成推荐的响应头。

站点在严格策略下运行：不允许 'unsafe-inline'、'unsafe-eval'。Material 主题有几段必需的内联脚本
（读取配色偏好、初始化本地存储等），它们的 sha256 哈希在每次构建后从生成的 HTML 中重新计算，
所以主题升级或有人新增内联脚本时，策略会自动跟上。

生成的 nginx 片段写在站点目录旁边（site/ → site-headers.conf），不放进 site/ 里发布。

只为项目和主题写的脚本计算哈希：出现在页面正文（page.content，来自编辑投稿）中的内联脚本不算，
并作为问题报告（CSP-1）。正文中的脚本本来就被 HTML 筛查拒绝，这里是第二道关。

不能设置响应头的副本也带策略：U 盘版（OFFLINE=true）和打开了 extra.csp_meta 的构建在每个页面的
<head> 开头写一个 <meta http-equiv="Content-Security-Policy">（见 meta_policy、with_meta）。
U 盘版从 file:// 打开时，搜索由 iframe-worker 垫片在隐藏的 iframe 中运行：垫片往 iframe 里写一段
内联脚本（内容由垫片文件和本页的搜索引擎地址决定），这段脚本的哈希从垫片文件算出，只加进本页的策略
（shim_inline_script）。iframe 是 about:blank，继承本页的策略，所以别的内联脚本照样被拦下。
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html as html_mod
import json
import re
from collections.abc import Mapping
from pathlib import Path

from .problems import Problem

_SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_TYPE_RE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
# 浏览器会执行的脚本类型；JSON 等数据块不执行，不需要哈希
_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript"}
_HANDLER_RE = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-z]+)\s*=", re.S)


def inline_scripts(html: str) -> list[str]:
    """页面中会被执行的内联脚本（不含 src= 引用的外部脚本和 JSON 数据块）的原文。"""
    out: list[str] = []
    for m in _SCRIPT_RE.finditer(html):
        attrs, body = m.group(1), m.group(2)
        if re.search(r"\bsrc\s*=", attrs, re.I):
            continue
        t = _TYPE_RE.search(attrs)
        if (t.group(1).lower() if t else "") not in _JS_TYPES:
            continue
        out.append(body)
    return out


def script_hash(body: str) -> str:
    """CSP 的哈希源表达式：'sha256-<base64>'（按 UTF-8 计算，与浏览器一致）。"""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


# 以字面量“on”开头的正则：re 模块先按字面量快速定位，比以 \s 开头的写法快约七倍；前一个字符是否为空白另行判断
_HANDLER_HINT_RE = re.compile(r"on[a-z]+\s*=")


def _has_handler_hint(html: str) -> bool:
    return any(m.start() > 0 and html[m.start() - 1].isspace() for m in _HANDLER_HINT_RE.finditer(html))


def inline_handlers(html: str) -> list[str]:
    """内联事件属性（onclick= 等）：严格策略下它们无法执行，也不能用哈希放行。"""
    if not _has_handler_hint(html):
        return []  # 先用简单的正则粗筛：绝大多数页面一处都没有，不必逐个标签匹配
    return sorted(set(_HANDLER_RE.findall(html)))


def scan_page(html: str) -> tuple[list[str], set[str]]:
    """一个页面的内联事件属性和内联脚本哈希。"""
    return inline_handlers(html), {script_hash(body) for body in inline_scripts(html)}


@dataclasses.dataclass(frozen=True)
class PageScan:
    """一个页面的检查结果：内联事件属性、要登记哈希的内联脚本（模板和主题写的）、正文中的内联脚本。"""

    handlers: list[str]
    hashes: frozenset[str]
    content_scripts: tuple[str, ...] = ()


def scan_output(html: str, content: str = "") -> PageScan:
    """页面输出中的内联脚本，减去出现在正文 content 中的那些（它们来自投稿内容，不登记哈希）。"""
    foreign = tuple(dict.fromkeys(inline_scripts(content))) if "<script" in content.lower() else ()
    banned = {script_hash(b) for b in foreign}
    hashes = frozenset(h for h in (script_hash(b) for b in inline_scripts(html)) if h not in banned)
    return PageScan(inline_handlers(html), hashes, foreign)


def site_hashes(site_dir: Path) -> list[str]:
    """站点中全部 HTML 页面的内联脚本哈希（去重、排序，便于比较）。"""
    hashes: set[str] = set()
    for page in sorted(site_dir.rglob("*.html")):
        for body in inline_scripts(page.read_text(encoding="utf-8", errors="replace")):
            hashes.add(script_hash(body))
    return sorted(hashes)


def policy(hashes: list[str]) -> str:
    """严格的内容安全策略：一切只来自本站；脚本另加内联脚本的哈希。"""
    directives = [
        "default-src 'none'",
        "script-src 'self' " + " ".join(hashes) if hashes else "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # 主题的图标以 data: SVG 写在样式表中
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",  # 搜索在 Web Worker 中运行
        "manifest-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
        "object-src 'none'",
    ]
    return "; ".join(d.strip() for d in directives)


# <meta> 中的策略不支持这些指令（浏览器忽略它们，并在控制台报错）
_HEADER_ONLY = ("frame-ancestors", "report-uri", "sandbox")


def meta_policy(hashes: list[str] | set[str] | frozenset[str]) -> str:
    """写进 <meta http-equiv="Content-Security-Policy"> 的策略：与响应头相同，去掉只能由响应头传送的指令。"""
    return "; ".join(d for d in policy(sorted(hashes)).split("; ") if not d.startswith(_HEADER_ONLY))


def meta_tag(policy_text: str) -> str:
    value = html_mod.escape(policy_text, quote=False).replace('"', "&quot;")  # 策略中的单引号照原样
    return f'<meta http-equiv="Content-Security-Policy" content="{value}">'


_HEAD_RE = re.compile(r"<head\b[^>]*>", re.I)
_CHARSET_RE = re.compile(r"<meta\s+charset=[\"']?[\w-]+[\"']?\s*/?>", re.I)
_META_CSP_RE = re.compile(r"<meta\s+http-equiv=[\"']?content-security-policy", re.I)


_DOCTYPE_RE = re.compile(r"\s*<!doctype[^>]*>\s*", re.I)


class CspError(ValueError):
    """认不出垫片写进 iframe 的脚本（垫片文件的写法变了）；说明是中文。"""


def with_meta(html: str, policy_text: str) -> str:
    """在 <head> 开头（<meta charset> 之后、任何脚本之前）写入策略；页面已有策略时不再重复。

    策略只管写在它后面的内容，所以它必须在第一个 <script> 之前。
    """
    head = _HEAD_RE.search(html)
    if head is None:  # 没写 <head> 的文件：写在文档类型声明之后，解析器会把它放进隐含的 <head>
        doctype = _DOCTYPE_RE.match(html)
        end = doctype.end() if doctype else 0
        return html[:end] + meta_tag(policy_text) + "\n" + html[end:]
    end = head.end()
    charset = _CHARSET_RE.search(html, end)
    first_script = html.lower().find("<script", end)
    if charset and (first_script < 0 or charset.end() <= first_script):
        end = charset.end()
    if _META_CSP_RE.search(html, 0, first_script if first_script >= 0 else len(html)):
        return html
    return html[:end] + "\n    " + meta_tag(policy_text) + html[end:]


# ---- U 盘版：iframe-worker 垫片写进隐藏 iframe 的内联脚本 ----------------------------------------

SHIM = "assets/vendor/iframe-worker-shim.js"  # studycol/steps/column.py 在 U 盘版中把它加进 extra.polyfills
_SHIM_TEMPLATE_RE = re.compile(r"<script>(.*?)<\\/script>", re.S)
_SUBST_RE = re.compile(r"\$\{([A-Za-z_$][\w$]*)\}")
_CONFIG_RE = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def _function_source(js: str, name: str) -> str | None:
    """js 中函数声明 function name(…){…} 的原文（即浏览器中 String(name) 的结果）；跳过字符串中的括号。"""
    start = js.find(f"function {name}(")
    if start < 0:
        return None
    depth, quote, i = 0, "", js.find("{", start)
    while 0 <= i < len(js):
        ch = js[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'`":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return js[start : i + 1]
        i += 1
    return None


def shim_inline_script(shim_js: str, worker_url: str) -> str:
    """垫片为 worker_url 在 iframe 中写入的第一段内联脚本的原文。

    垫片（npm 包 iframe-worker）用模板字符串写出这段脚本：其中的 ${函数名} 换成函数的原文，
    另一个 ${…} 是构造时传入的工作线程地址（Material 传入页面 __config 中的 search 地址）。
    垫片换了写法、这里认不出来时报错（CspError），不猜。
    """
    m = _SHIM_TEMPLATE_RE.search(shim_js)
    if m is None or "\\" in m.group(1) or "`" in m.group(1):
        raise CspError(f"认不出 {SHIM} 写入 iframe 的内联脚本（垫片的版本变了？）；请按 package-lock.json 重新 npm ci，或更新 studycol/csp.py")
    names = set(_SUBST_RE.findall(m.group(1)))
    sources = {n: _function_source(shim_js, n) for n in names}
    if sum(1 for s in sources.values() if s is None) != 1:
        raise CspError(f"{SHIM} 写入 iframe 的内联脚本中应恰好有一处工作线程地址；请更新 studycol/csp.py")
    return _SUBST_RE.sub(lambda x: sources[x.group(1)] or worker_url, m.group(1))


def worker_url(html: str) -> str | None:
    """页面 __config 中的搜索工作线程地址（Material 用它创建 Worker；U 盘版中交给垫片）。"""
    m = _CONFIG_RE.search(html)
    if m is None:
        return None
    try:
        url = json.loads(m.group(1)).get("search")
    except (ValueError, AttributeError):
        return None
    return url if isinstance(url, str) else None


@dataclasses.dataclass(frozen=True)
class MetaOptions:
    """页面中要不要写 <meta> 策略；U 盘版还带着垫片文件的内容（用来算 iframe 中那段脚本的哈希）。"""

    meta: bool = False
    shim_js: str | None = None

    @classmethod
    def from_config(cls, extra: Mapping[str, object], docs_dir: Path) -> "MetaOptions":
        """U 盘版（extra.polyfills 中有垫片）一律写；网站版在 extra.csp_meta 为真时写（服务器不能设置响应头时）。"""
        polyfills = extra.get("polyfills") or []
        offline = isinstance(polyfills, list) and SHIM in polyfills
        shim_path = Path(docs_dir) / SHIM
        shim_js = shim_path.read_text(encoding="utf-8") if offline and shim_path.is_file() else None
        return cls(meta=offline or _truthy(extra.get("csp_meta", False)), shim_js=shim_js)


def _truthy(value: object) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in {"1", "true", "yes", "on"}


def page_hashes(html: str, scan: PageScan, options: MetaOptions) -> frozenset[str]:
    """这个页面的 <meta> 策略要放行的脚本：模板和主题的内联脚本，U 盘版再加垫片在 iframe 中写的那段。"""
    extra: set[str] = set()
    url = worker_url(html) if options.shim_js and SHIM.rsplit("/", 1)[-1] in html else None
    if url and options.shim_js:
        extra.add(script_hash(shim_inline_script(options.shim_js, url)))
    return scan.hashes | extra


def finish_page(html: str, content: str, options: MetaOptions) -> tuple[str, PageScan]:
    """写出前的最后一步：检查内联脚本和事件属性；需要时写入 <meta> 策略。返回 (页面, 检查结果)。"""
    scan = scan_output(html, content)
    if options.meta:
        html = with_meta(html, meta_policy(page_hashes(html, scan, options)))
    return html, scan


def finish_file(path: Path, options: MetaOptions) -> tuple[list[str], frozenset[str]]:
    """不经过 on_post_page 的页面（404 页面、docs/ 中原样发布的 .html）：读回来检查，需要时写入策略。"""
    text = path.read_text(encoding="utf-8", errors="replace")
    out, scan = finish_page(text, "", options)
    if out != text:
        path.write_text(out, encoding="utf-8")
    return scan.handlers, scan.hashes


def content_script_problem(rel: str, source: str) -> Problem:
    """正文中出现了内联脚本（HTML 筛查本应拒绝它）：不登记哈希，构建失败。"""
    i = source.lower().find("<script")
    line = source.count("\n", 0, i) + 1 if i >= 0 else 1
    return Problem(
        rel, line,
        "页面正文中有内联脚本：内容安全策略只放行本站模板和主题写的脚本，不为它计算哈希，它在读者浏览器中不会执行；请删除",
        "CSP-1",
    )


def headers(hashes: list[str]) -> dict[str, str]:
    """推荐的安全响应头。"""
    return {
        "Content-Security-Policy": policy(hashes),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "SAMEORIGIN",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def nginx_snippet(hdrs: dict[str, str]) -> str:
    lines = [
        "# 本站推荐的安全响应头（nginx）。由构建程序生成（studycol/steps/safety.py、studycol/csp.py），请勿手改。",
        "# 用法：在 server 块中写  include /srv/column/site-headers.conf;",
        "# 注意：nginx 中某个 location 一旦有自己的 add_header，就不再继承上一级的 add_header，",
        "# 那个 location 里也要 include 本文件。内联脚本的哈希随主题版本变化：每次重新构建后同时部署本文件。",
    ]
    for name, value in hdrs.items():
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'add_header {name} "{escaped}" always;')
    return "\n".join(lines) + "\n"


_ADD_HEADER_RE = re.compile(r'^add_header\s+(\S+)\s+"((?:[^"\\]|\\.)*)"\s+always;\s*$', re.M)


def parse_nginx_snippet(text: str) -> dict[str, str]:
    """从 nginx 片段读回响应头（测试用本地服务器据此发送同样的响应头）。"""
    return {m.group(1): re.sub(r"\\(.)", r"\1", m.group(2)) for m in _ADD_HEADER_RE.finditer(text)}


def headers_path(site_dir: Path) -> Path:
    """nginx 片段的位置：站点目录旁边，site/ → site-headers.conf。"""
    site_dir = Path(site_dir).resolve()
    return site_dir.parent / f"{site_dir.name}-headers.conf"


def write_headers(site_dir: Path, hashes: list[str] | None = None) -> tuple[Path, dict[str, str]]:
    """写出 nginx 片段。hashes 已由调用方算好时直接用（省去再读一遍全部页面）。"""
    hdrs = headers(site_hashes(Path(site_dir)) if hashes is None else hashes)
    path = headers_path(site_dir)
    path.write_text(nginx_snippet(hdrs), encoding="utf-8")
    return path, hdrs
