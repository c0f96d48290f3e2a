"""页面标记（<!-- column:名称 -->）的展开：准备模板上下文，交给 overrides/ 中的 Jinja 模板渲染。"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateNotFound, Undefined
from markupsafe import Markup, escape

from . import notice as notice_mod


def page_source(page: Any) -> str:
    """页面源文件的全文（含 front matter，换行统一为 \\n），供各步报错时定位行号。

    每个页面只从磁盘读一次，结果记在页面的 File 对象上：原来各步各读一遍。
    """
    f = page.file
    cached = getattr(f, "_studycol_source", None)
    if cached is None:
        try:
            cached = f.content_string.replace("\r\n", "\n")
        except AssertionError:  # 既没有源文件也没有内容的页面
            cached = ""
        f._studycol_source = cached
    return cached


def sentence_html(text: str) -> Markup:
    """句子文字转义后输出，去掉关键短语标记。"""
    return Markup(escape(notice_mod.strip_marks(text)))


def _notice_context(state: dict[str, Any]) -> dict[str, Any]:
    n: notice_mod.Notice = state["notice"]
    ctx = {
        "notice": n,
        "meta": n.meta,
        "print_date": notice_mod.print_date_text(n.meta.print_date),
        "disclosure_line": notice_mod.disclosure_line(n),
        "sentence_html": sentence_html,
    }
    if state.get("lang") == "en" and state.get("notice_en"):
        en: notice_mod.EnNotice = state["notice_en"]
        d = n.meta.print_date
        ctx.update(
            en=en,
            en_meta=en.meta,
            en_print_date=f"{d.day} {d.strftime('%B')} {d.year}",
            collation_total=sum(c.count for c in n.collation),
        )
    return ctx


def _notice_collation_context(state: dict[str, Any]) -> dict[str, Any]:
    ctx = _notice_context(state)
    n: notice_mod.Notice = state["notice"]
    labels = {t.id: t.label for t in notice_mod.targets(n)}
    labels.update({"title": "标题", "colophon": "版记"})
    instances = state.get("fidelity_instances", [])
    ctx.update(labels=labels, instances=instances)
    return ctx


def _hard_measures_context(state: dict[str, Any]) -> dict[str, Any]:
    """《硬措施》页（<!-- column:hard-measures -->）：部署单位导入了正式文本（doc-yingcuoshi）就显示全文，
    否则说明正式文本尚未收入。文件编号为此保留（studycol/release.py 的 HARD_MEASURES_DOC）。"""
    from .release import HARD_MEASURES_DOC

    if HARD_MEASURES_DOC not in (state.get("gongwen") or {}):
        return {"imported": False}
    return {"imported": True, **_gongwen_context({**state, "marker_arg": HARD_MEASURES_DOC})}


def _gongwen_context(state: dict[str, Any]) -> dict[str, Any]:
    """导入的公文（<!-- column:gongwen doc-编号 -->）：版头、正文、署名、版记、元数据和校勘记。"""
    from . import gongwen as gongwen_mod
    from .markers import MarkerError

    doc_id = state.get("marker_arg")
    docs: dict[str, gongwen_mod.Gongwen] = state.get("gongwen") or {}
    if not doc_id:
        raise MarkerError("column:gongwen 后面要写导入的文件编号，如 <!-- column:gongwen doc-shili-fangan -->")
    if doc_id not in docs:
        known = "、".join(sorted(docs)) or "（还没有导入任何公文）"
        raise MarkerError(f"没有导入编号为“{doc_id}”的公文（data/gongwen/{doc_id}.yml 不存在）；已导入：{known}。导入方法见编辑指南“导入公文”")
    doc = docs[doc_id]
    targets = gongwen_mod.targets(doc)
    labels = {t.id: t.label for t in targets}
    labels.update({"title": "标题", "colophon": "版记", "signature": "署名和日期", "issuer_mark": "发文机关标志",
                   "doc_number": "发文字号", "addressees": "主送机关"})
    return {
        "doc": doc,
        "doc_id": doc_id,
        "meta": doc.meta,
        "labels": labels,
        "date_text": gongwen_mod.date_text,
        "disclosure_line": gongwen_mod.disclosure_line(doc.meta.disclosure) if doc.meta.disclosure else "",
        "sentence_html": sentence_html,
        "instances": gongwen_mod.differences(doc, state["gongwen_received"][doc_id]) if doc_id in state.get("gongwen_received", {}) else [],
    }


def _identity_context(state: dict[str, Any]) -> dict[str, Any]:
    from .site import RELEASE_FIELDS

    return {"identity": state["identity"], "fields": RELEASE_FIELDS}


def _translations_context(state: dict[str, Any]) -> dict[str, Any]:
    from pathlib import Path

    from mkdocs.utils.meta import get_data

    from . import translations

    shared = state.get("shared")  # 一次构建内各语言共用（studycol.pipeline 在默认语言开始时新建）
    if shared is not None and "translations" in shared:
        return dict(shared["translations"])  # 英文版再算一遍结果相同：要读遍全部页面文件，案例多时很慢
    docs = Path(state["docs_dir"])
    paths: dict[str, Path] = {}
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        if not (rel.startswith("_") or "/_" in rel):
            paths[rel] = path
    # 同一目录中未翻译的页面多到要合成一行时（几千个案例页），表中不显示它们的标题，只用到 front matter 的
    # updated：这些文件只在写了“updated”时才解析 front matter，不必逐个解析 YAML
    folded = translations.folded_sources(paths)
    pages: dict[str, tuple[str, dict]] = {}
    for rel, path in paths.items():
        text = path.read_text(encoding="utf-8-sig")
        if rel in folded and "updated" not in text:
            pages[rel] = (rel, {})
            continue
        body, meta = get_data(text)
        title = str(meta.get("title") or next((ln.lstrip("# ").split(" {")[0] for ln in body.splitlines() if ln.startswith("# ")), rel))
        pages[rel] = (title, meta)
    if "git_dates" not in state:
        state["git_dates"] = translations.git_dates(docs.parent)
    dates = state["git_dates"]
    rows = translations.statuses(pages, lambda rel: dates.get(f"docs/{rel}"))
    counts = {k: sum(1 for r in rows if r.state == k) for k in ("current", "outdated", "untranslated", "unknown")}
    # 几千个案例页不逐行列出：同一目录中未翻译的页面多时合成一行，表格大小不随案例数增长
    ctx = {"rows": translations.collapse(rows), "total": len(rows), "counts": counts, "has_git": bool(dates),
           "glossary": _glossary_translation_status(docs.parent / "data" / "glossary.yml")}
    if shared is not None:
        shared["translations"] = dict(ctx)
    return ctx


def _glossary_translation_status(path: Any) -> dict[str, Any] | None:
    """术语表英文解释的状态：逐条比较 explanation_en_from 与当前中文解释的指纹。读不了（由术语表一步报错）时为 None。"""
    from . import glossary
    from .yamlsrc import DataError

    if not path.is_file():
        return None
    try:
        terms = glossary.load_glossary(path).glossary.terms
    except DataError:
        return None
    return {
        "translated": sum(1 for t in terms if t.has_en),
        "total": len(terms),
        "outdated": [(t, glossary.fingerprint(t.explanation)) for t in terms if t.en_outdated],
    }


_CONTEXTS: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "notice-head": ("partials/column/notice-head.html", _notice_context),
    "notice-body": ("partials/column/notice-body.md", _notice_context),
    "notice-meta": ("partials/column/notice-meta.md", _notice_context),
    "notice-collation": ("partials/column/notice-collation.md", _notice_collation_context),
    "gongwen": ("partials/column/gongwen.md", _gongwen_context),
    "hard-measures": ("partials/column/hard-measures.md", _hard_measures_context),
    "identity": ("partials/column/identity.md", _identity_context),
    "translations": ("partials/column/translations.md", _translations_context),
}
MARKERS = tuple(_CONTEXTS)


def show_chars(text: str) -> Markup:
    """在表格里把不可见或易混的字符显示出来：空格、分段、删除、半角标点。"""
    if text == "":
        return Markup("（删去）")
    if text == "\n\n":
        return Markup("（分段）")
    shown = text.replace(" ", "␣")
    return Markup("<code>") + escape(shown) + Markup("</code>")


def page_body(markdown: str) -> Markup:
    """编辑写的页面正文（Markdown，可以含正文规则允许的 HTML）：原样放进生成页面的模板。

    它和其他页面的正文走同一条路：展开后的 Markdown 由 Markdown 转换，渲染结果再经 studycol/steps/safety.py 的正文检查。
    """
    return Markup(markdown)


def escape_value(value: Any) -> Markup:
    """模板输出一个数据值时的转义：& < > " 换成字符引用，值就只能显示为文字，不能成为标签或属性。

    单引号不转义（markupsafe 会把它写成 &#39;）：本专栏的模板只用双引号写属性（tests/test_render.py 检查），
    这样英文数据中的撇号在生成的 HTML 中与以前完全相同。
    """
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(str(escape(str(value))).replace("&#39;", "'"))


def _finalize(value: Any) -> Any:
    if value is None or isinstance(value, Undefined):
        return value
    return escape_value(value)


def code_span(value: Any) -> Markup:
    """Markdown 模板中的代码（`…`）：代码中的 & < > 由 Markdown 自己转义，这里只保证值里的反引号不会提前结束它。"""
    text = str(value)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


def content_env(env: Environment) -> Environment:
    """把一个新建、尚未编译过模板的环境设成渲染内容数据用的：自动转义开启，数据值经 escape_value 转义。

    每遍构建只建一次（engine.Pass.env）：MkDocs 的 get_env() 每次调用都新建环境、重新编译模板。get_env() 返回的是
    新环境，改它不影响 MkDocs 渲染主题页面用的那个（那个不能开自动转义：Material 的模板把 page.content 当作字符串
    输出）。每个 {{ 值 }} 先经 _finalize 转义（见 escape_value）；程序自己生成的 HTML 片段在生成处用
    markupsafe.Markup 包起来，原样输出。"""
    env.autoescape = True
    env.finalize = _finalize
    install_filters(env)
    return env


def localized_template(env: Environment, name: str, lang: str) -> Any:
    """英文页面用 partials/column/en/ 下的同名模板（若有），字符串不写成模板里的语言分支。"""
    if lang == "en":
        try:
            return env.get_template(name.replace("partials/column/", "partials/column/en/"))
        except TemplateNotFound:
            pass
    return env.get_template(name)


def zh_href(page_url: str) -> str:
    """英文页面（位于 en/ 之下）到同一页面中文版的相对地址。"""
    from mkdocs.utils import get_relative_url

    return get_relative_url(page_url.removeprefix("en/") or "./", page_url)


# 私用区字符：页面内容中不会出现（交叉引用的占位符用的是 \ue000、\ue001）
NUMBER_MARK = "\ue002"


def render_numbered(cache: dict[Any, str], key: Any, render: Callable[[str], str], number: int) -> str:
    """只差一个编号的 HTML 片段（交叉引用链接、术语解释，编号用在提示框的 id 上）。

    同一个目标或术语在成千上万个页面上以同样的写法、同样的相对地址出现：每个 key 只渲染一次，
    编号处留 NUMBER_MARK，取用时再换成 number。cache 由调用方在每次构建开始时清空。
    """
    html = cache.get(key)
    if html is None:
        html = cache[key] = render(NUMBER_MARK)
    return html.replace(NUMBER_MARK, str(number))


def install_filters(env: Environment) -> None:
    env.filters.setdefault("show_chars", show_chars)
    env.filters.setdefault("code", code_span)
    env.filters.setdefault("public_url", _public_url)
    env.globals.setdefault("editors_build", _editors_build)


def _editors_build() -> bool:
    """这次构建是不是给编辑看的（make build、make serve）；发布构建中为假，编辑须知不显示。"""
    from . import release

    return not release.current().release


def _public_url(url: Any) -> str:
    """公开页面上可以显示的网址（发布构建中只有官方网址，见 studycol.release.public_url）。"""
    from . import release

    return release.public_url(str(url or ""))


def marker(name: str, env: Environment, state: dict[str, Any], page: Any, arg: str | None = None) -> str:
    """渲染一个标记；未知名称抛出 KeyError，参数不对抛出 MarkerError。"""
    from . import portal

    install_filters(env)
    if name in portal.CONTEXTS:  # 门户的标记要用当前页面算相对链接
        template, make_page_ctx = portal.CONTEXTS[name]
        ctx = make_page_ctx(state, page)
    else:
        template, make_ctx = _CONTEXTS[name]
        ctx = make_ctx({**state, "marker_arg": arg} if arg is not None else state)
    ctx["page"] = page
    if state.get("lang") == "en" and page is not None:
        ctx["zh_href"] = zh_href(page.url)
    return localized_template(env, template, str(state.get("lang") or "zh")).render(**ctx)


# 以字面量开头（正则引擎可以快速定位）；链接前面的空白在循环中一并去掉
_HREFLANG_RE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
# 订阅插件在每页写的订阅发现链接；Material 同样会按它们去请求 sitemap.xml，从 file:// 打开时被浏览器拦下
_FEED_RE = re.compile(r'<link rel="alternate" type="application/(?:rss\+xml|feed\+json)" title="[^"]*" href="[^"]*">')
_HREFLANG_OR_FEED_RE = re.compile(f"{_HREFLANG_RE.pattern}|{_FEED_RE.pattern}")


def strip_page_alternates(html: str, feeds: bool = False) -> str:
    """去掉 <head> 中逐页的 hreflang 备用链接（连同它前面的空白）。

    mkdocs-static-i18n 把每个页面在其他语言中的地址写成 <link rel="alternate">，而 Material 的脚本把这些
    地址当作语言根目录，去请求“页面地址/sitemap.xml”，于是每个页面都产生两条 404 和控制台错误。
    页眉的语言菜单本身已经逐页指向对应语言的同一页面，不依赖这些链接，所以把它们去掉。
    feeds 为真时（U 盘版）连订阅发现链接一起去掉：从 file:// 打开时订阅没有用处，它们引起的请求却会被拦下。
    """
    head_end = html.find("</head>")
    if head_end < 0:
        return html
    pieces: list[str] = []
    pos = 0
    for m in (_HREFLANG_OR_FEED_RE if feeds else _HREFLANG_RE).finditer(html, 0, head_end):
        start = m.start()
        while start > pos and html[start - 1].isspace():
            start -= 1
        pieces.append(html[pos:start])
        pos = m.end()
    if not pieces:
        return html
    pieces.append(html[pos:])
    return "".join(pieces)


def keep_default_404(output: str, template_name: str, lang: str, site_dir: Path, shared: dict[str, Any], first_pass: bool) -> str:
    """站点根目录的 404 页用默认语言（中文）。

    mkdocs-static-i18n 为英文重跑构建时，主题的 404 模板又渲染一遍，写到同一个 site/404.html，
    中文的 404 页就被英文的覆盖了。这里记下默认语言那一遍的结果；其他语言那一遍把自己的结果写到
    site/<语言>/404.html，根目录仍返回默认语言的。
    """
    if template_name != "404.html":
        return output
    output = strip_page_alternates(output, feeds=True)  # 404 页不经过 on_post_page，同样去掉引起 sitemap.xml 请求的备用链接
    if first_pass:
        shared["404"] = output
        return output
    if "404" not in shared or not lang:
        return output
    target = site_dir / lang / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return shared["404"]
