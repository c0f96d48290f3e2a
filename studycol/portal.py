"""专栏门户的生成内容：首页的最新动态、工作动态列表、地方贯彻落实、举报渠道。

这些是 ``<!-- column:名称 -->`` 标记（登记在 studycol/markers.py），由 studycol/steps/column.py 经 studycol.render.marker
展开；这里准备模板上下文，模板在 overrides/partials/column/ 中（自动转义）。上下文函数收到 studycol/steps/column.py 的 state
（部署单位信息等）和当前页面（算相对链接），内容取自 studycol.build.current().content。
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path
from collections.abc import Callable, Iterable
from typing import Any

from . import news as news_mod
from .problems import Problem, report
from .yamlsrc import SourceError

# 订阅文件（mkdocs-rss-plugin 写在站点根目录；mkdocs.yml 的 rss 插件配置）
FEED_RSS = "feed_rss_created.xml"
FEED_JSON = "feed_json_created.json"

_RULE_RE = re.compile(r"（([A-Z]+-\d+)）$")


def _content() -> Any:
    from . import build

    return build.current().content


def report_errors(errors: Iterable[SourceError]) -> None:
    """数据和内容文件的问题经唯一的报告口报告（同一次构建只报告一次）；规则编号写在说明末尾的括号里。"""
    for e in errors:
        m = _RULE_RE.search(e.message)
        report(Problem(e.path, e.line, e.message, m.group(1) if m else ""))


def report_news_problems(newsset: news_mod.NewsSet) -> None:
    report_errors(newsset.problems)


def news_set() -> news_mod.NewsSet:
    ns: news_mod.NewsSet = _content().news
    report_news_problems(ns)
    return ns


def page_uri(page: Any) -> str:
    return str(page.src_uri) if page is not None else "index.md"


def url_relative(target: str, page_url: str) -> str:
    """生成文件（不在 docs/ 中，如订阅文件）相对于页面地址 page_url 的链接。

    page_url 是 MkDocs 的页面地址：目录式（``news/``）或文件式（``news/index.html``，U 盘版）。
    """
    base = page_url.rstrip("/") if page_url.endswith("/") else posixpath.dirname(page_url)
    return posixpath.relpath(target, base or ".")


CATEGORY_ANCHORS = {"国家局动态": "news-national", "本地区动态": "news-local", "企业动态": "news-enterprise"}
EMPTY_TEXT = {
    "国家局动态": "本栏目尚未发布国家矿山安全监察局的工作动态。",
    "本地区动态": "本栏目尚未发布本地区的工作动态。",
    "企业动态": "本栏目尚未发布矿山企业的工作动态。",
}


def news_context(state: dict[str, Any], page: Any) -> dict[str, Any]:
    uri = page_uri(page)
    page_url = str(getattr(page, "url", "") or "")
    ns = news_set()
    identity = state.get("identity")
    return {
        "latest": news_mod.list_items(ns.latest(), uri),
        "groups": [(c, news_mod.list_items(ps, uri)) for c, ps in ns.by_category()],
        "local": news_mod.list_items(ns.local(), uri),
        "total": len(ns.posts),
        "news_link": news_mod.relative_link(uri, "news/index.md"),
        "guide_link": news_mod.relative_link(uri, "guide/news.md"),
        "feed_rss": url_relative(FEED_RSS, page_url),
        "feed_json": url_relative(FEED_JSON, page_url),
        "anchors": CATEGORY_ANCHORS,
        "empty": EMPTY_TEXT,
        "region": identity.region if identity is not None else "全国",
        "nationwide": identity.is_nationwide if identity is not None else True,
    }


def feed_for_language_pass(plugins: Any, first_pass: bool) -> None:
    """订阅只有一份（中文，站点根目录），由 mkdocs-rss-plugin 生成；i18n 为英文版在同一个插件对象上再走一遍事件。

    插件不在 on_config 中清空收集到的页面（英文版的回退页会重复进入订阅），并在 on_config 中把
    date_from_meta.default_time 从文字改成 datetime（第二遍读它时报告格式不对，严格构建失败）。所以：
    第一遍（中文）开始时清空收集的页面、恢复文字形式的时间；英文那一遍关掉插件（英文页面链接中文的订阅）。
    """
    rss = plugins.get("rss") if hasattr(plugins, "get") else None
    cfg = getattr(rss, "config", None)
    if rss is None or cfg is None:
        return
    if not first_pass:
        cfg.enabled = False
        return
    cfg.enabled = True
    if hasattr(rss, "pages_to_filter"):
        rss.pages_to_filter = []
    dfm = getattr(cfg, "date_from_meta", None)
    value = getattr(dfm, "default_time", None)
    if dfm is not None and isinstance(value, dt.datetime):
        dfm.default_time = value.strftime("%H:%M")


def local_context(state: dict[str, Any], page: Any) -> dict[str, Any]:
    """地方贯彻落实：部署地区的落实文件（文件登记表中 region 相同的）；全国部署时按省列出各地的文件。"""
    identity = state["identity"]
    docs = [d for d in _content().documents.documents if d.region]
    if identity.is_nationwide:
        regions = sorted({d.region for d in docs}, key=_province_order)
        groups = [(r, [d for d in docs if d.region == r]) for r in regions]
    else:
        groups = [(identity.region, [d for d in docs if d.region == identity.region])]
    return {
        "nationwide": identity.is_nationwide,
        "region": identity.region,
        "groups": [(r, ds) for r, ds in groups if ds or not identity.is_nationwide],
    }


def _province_order(region: str) -> int:
    from .site import PROVINCES

    return PROVINCES.index(region) if region in PROVINCES else len(PROVINCES)


def report_context(state: dict[str, Any], page: Any) -> dict[str, Any]:
    identity = state["identity"]
    return {"report": identity.report, "about_link": news_mod.relative_link(page_uri(page), "about.md")}


def faq_context(state: dict[str, Any], page: Any) -> dict[str, Any]:
    loaded, errors = _content().faq
    report_errors(errors)
    return {"topics": loaded.faq.topics if loaded is not None else ()}


def page_dir(page_url: str) -> str:
    """页面地址所在的目录（相对站点根）：``yitu/`` 和 ``yitu/index.html`` 都是 ``yitu``。"""
    return page_url.rstrip("/") if page_url.endswith("/") else posixpath.dirname(page_url)


def infographic_context(state: dict[str, Any], page: Any) -> dict[str, Any]:
    """一图读懂：海报的 SVG 记在 state 中，构建结束时写到页面旁边（write_generated）；页面上是图片和文字版。"""
    from . import infographic

    content = _content()
    poster = infographic.build_poster(content.notice, content.tasks.tasks.tasks)
    lay = infographic.layout(poster)
    page_url = str(getattr(page, "url", "") or "")
    dest = posixpath.join(page_dir(page_url), infographic.FILE_NAME)
    state.setdefault("generated", {})[dest] = infographic.render_svg(poster)
    uri = page_uri(page)
    return {
        "poster": poster,
        "layout": lay,
        "src": infographic.FILE_NAME,
        "tasks_link": news_mod.relative_link(uri, "tasks/index.md"),
        "notice_link": news_mod.relative_link(uri, "notice/index.md"),
    }


def write_generated(state: dict[str, Any], site_dir: str | Path) -> list[Path]:
    """把本次（本语言）构建中生成的文件写进站点目录；返回写出的文件。"""
    out = []
    for rel, text in sorted((state.get("generated") or {}).items()):
        path = Path(site_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


def section_index(src_uri: str, nav_uris: Iterable[str]) -> str | None:
    """不列入导航的页面（每个案例、每条动态）属于哪一栏：从它所在的目录往上找，第一个列入导航的 index.md。
    例如 news/2024-01-22-x.md 属于 news/index.md，cases/local/x.md 属于 cases/local/index.md 或 cases/index.md。"""
    in_nav = set(nav_uris)
    if src_uri in in_nav:
        return None
    parts = src_uri.split("/")[:-1]
    while parts:
        candidate = "/".join(parts) + "/index.md"
        if candidate in in_nav and candidate != src_uri:
            return candidate
        parts.pop()
    return None


def tidy_feeds(site_dir: str | Path) -> list[Path]:
    """订阅文件的整理：mkdocs-rss-plugin 1.19 在没有配置 image 时仍写出 <image><url>None</url>，
    JSON Feed 中写 "icon": null。去掉这两处（用 XML 和 JSON 解析器，不按文字替换）；返回改过的文件。"""
    import json
    from xml.dom import minidom

    changed = []
    for path in sorted(Path(site_dir).glob("feed_rss_*.xml")):
        doc = minidom.parse(str(path))
        def empty(url: minidom.Element) -> bool:
            text = "".join(n.data for n in url.childNodes if isinstance(n, minidom.Text))
            return text.strip() in ("", "None")

        bad = [img for img in doc.getElementsByTagName("image") if any(empty(u) for u in img.getElementsByTagName("url"))]
        for img in bad:
            assert img.parentNode is not None
            img.parentNode.removeChild(img)
        if bad:
            path.write_text(doc.toxml(encoding="UTF-8").decode("utf-8"), encoding="utf-8")
            changed.append(path)
    for path in sorted(Path(site_dir).glob("feed_json_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "icon" in data and not data["icon"]:
            del data["icon"]
            path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
            changed.append(path)
    return changed


# 标记名 → (模板, 上下文函数)
CONTEXTS: dict[str, tuple[str, Callable[[dict[str, Any], Any], dict[str, Any]]]] = {
    "news-latest": ("partials/column/news-latest.md", news_context),
    "news-list": ("partials/column/news-list.md", news_context),
    "news-local": ("partials/column/news-local.md", news_context),
    "report": ("partials/column/report.md", report_context),
    "faq": ("partials/column/faq.md", faq_context),
    "infographic": ("partials/column/infographic.md", infographic_context),
    "local-documents": ("partials/column/local-documents.md", local_context),
}
