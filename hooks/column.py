"""MkDocs（ProperDocs）与专栏核心之间唯一的胶水：配置、页面和文件包成 studycol.engine 的类型，事件按引擎的
优先级交给 studycol.pipeline，核心的 Stop 换成 PluginError。换用别的引擎时，另写一份这样的胶水即可。"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from studycol import portal, release, render
from studycol.engine import Pass, SourceFile, Stop
from studycol.languages import first_language_pass, nested_language_build, theme_language
from studycol.pipeline import Pipeline

# 运行中的引擎（ProperDocs 是 MkDocs 的分支，两者的类同名而不同）：认的是它自己的 CombinedEvent 和 PluginError
_ENGINE = "properdocs" if "properdocs.plugins" in sys.modules else "mkdocs"
_plugins = importlib.import_module(f"{_ENGINE}.plugins")
CombinedEvent = _plugins.CombinedEvent
PluginError = importlib.import_module(f"{_ENGINE}.exceptions").PluginError

PIPE = Pipeline()


class _Page:
    """MkDocs 的页面，按 studycol.engine.Page 的样子读。"""

    __slots__ = ("_page", "_lang")

    def __init__(self, page: Any, config: Any) -> None:
        self._page, self._lang = page, theme_language(config)

    src_uri = property(lambda self: self._page.file.src_uri)
    url = property(lambda self: self._page.url)
    title = property(lambda self: str(self._page.title or ""))
    meta = property(lambda self: self._page.meta)
    locale = property(lambda self: getattr(self._page.file, "locale", None) or self._lang)  # i18n 标注的页面语言
    dest = property(lambda self: self._page.file.abs_dest_path)
    source = property(lambda self: render.page_source(self._page))


def _at(priority: int, fn: Any) -> Any:
    """引擎的一个事件处理函数（带优先级）；核心的 Stop 换成 PluginError：编辑看到中文说明，没有回溯。"""

    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Stop as exc:
            raise PluginError(str(exc)) from None

    run.mkdocs_priority = priority  # type: ignore[attr-defined]
    return run


def _config(config: Any) -> Any:
    i18n = config.plugins.get("i18n")
    others = tuple(
        lang.locale for lang in getattr(getattr(i18n, "config", None), "languages", None) or []
        if not getattr(lang, "default", False) and getattr(lang, "build", True)
    )
    p = Pass(
        root=Path(config.config_file_path).resolve().parent, docs_dir=Path(config.docs_dir), site_dir=Path(config.site_dir),
        language=theme_language(config), first=first_language_pass(config), strict=bool(config.strict),
        site_url=str(config.site_url or ""), extra=config.extra, mdx_configs=config.mdx_configs,
        make_env=config.theme.get_env, config_name=Path(config.config_file_path).name, other_languages=others,
    )
    search = next((config.plugins.get(n) for n in ("material/search", "search") if config.plugins.get(n) is not None), None)
    if search is None or not hasattr(search.config, "jieba_dict_user"):
        raise Stop("mkdocs.yml 的 plugins 中没有 Material 的 search 插件；站内搜索依赖它生成索引，请加回 `- search: {lang: zh}`。")
    steps = PIPE.config(p, search.config.jieba_dict_user or "")
    if PIPE.dict_path is not None:
        search.config.jieba_dict_user = str(PIPE.dict_path)
    portal.feed_for_language_pass(config.plugins, p.first)  # 订阅只有中文一份
    release.apply_to_config(config, steps.column.excludes)  # 发布构建：不发布的页面不进导航和站点
    return config


def _files(files: Any, config: Any) -> Any:
    # 界面语言和输出目录由 i18n 在它的 on_config（-100）中才改成这一遍的，到这里已定
    PIPE.now.p.language, PIPE.now.p.site_dir = theme_language(config), Path(config.site_dir)
    listed = [SourceFile(f.src_uri, f.abs_src_path, f.is_documentation_page(), bool(f.generated_by)) for f in files]
    refused = {id(s) for s in PIPE.files(listed)}
    for f, s in zip(list(files), listed, strict=True):
        if id(s) in refused:
            files.remove(f)
    by_uri = {f.src_uri: f for f in files}  # 地址在用到时才读：i18n 之后还会改动 File 对象
    PIPE.now.p.file_url = lambda uri: getattr(by_uri.get(uri), "url", None)
    PIPE.files_listed()
    return files


def _nav(nav: Any, config: Any, files: Any) -> Any:
    PIPE.now.p.lookup = lambda uri: getattr(files.get_file_from_path(uri), "url", None)
    return nav


def _context(context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
    page.content, extra = PIPE.context(_Page(page, config), page.content or "", page.toc)
    context.update(extra)
    # 不列入导航的页面（案例、动态）：页眉的栏目标签和侧栏标出它所属的栏目（只在本页渲染时，见 _post_page）
    pages = {p.file.src_uri: p for p in nav.pages}
    index = portal.section_index(page.file.src_uri, pages)
    if index is not None:
        pages[index].active = True
        page.studycol_section = pages[index]
    return context


def _post_page(output: str, page: Any, config: Any) -> str:
    section = page.__dict__.pop("studycol_section", None)
    if section is not None:
        section.active = False
    return PIPE.post_page(output, _Page(page, config))


def _site(config: Any, done: Any) -> None:
    if not nested_language_build(config):  # 其他语言的内部构建结束时不做：全部语言写完后由默认语言那一遍做
        done()


# 优先级决定与各插件的先后：同一优先级时，钩子排在 mkdocs.yml 中的插件之后
on_config = _at(110, _config)  # 早于各插件：搜索插件在它的 on_config 中加载 jieba 用户词典；i18n 在 -100
on_files = _at(0, _files)  # 早于 i18n（-100）和博客插件（-50）
on_nav = _at(0, _nav)
on_page_markdown = CombinedEvent(
    _at(90, lambda markdown, page, config, files: PIPE.markdown(markdown, _Page(page, config))),  # 早于 i18n（50）
    _at(0, lambda markdown, page, config, files: PIPE.markdown_markers(markdown, _Page(page, config))),
    # 晚于博客和标签插件（-50）：它们加进来的内容中的引用也处理
    _at(-50, lambda markdown, page, config, files: PIPE.markdown_refs(markdown, _Page(page, config))),
)
on_page_content = _at(0, lambda html, page, config, files: PIPE.content_html(html, _Page(page, config)))
on_env = _at(0, lambda env, config, files: (PIPE.env(), env)[1])
on_page_context = _at(50, _context)  # 早于 Material 的搜索插件（0）：它为索引读取的正文要已含链接
on_post_page = CombinedEvent(
    _at(0, _post_page),
    # 在其他插件和钩子改完页面之后：内容安全策略的哈希
    _at(-200, lambda output, page, config: PIPE.post_page_last(output, _Page(page, config), page.content or "")),
)
on_post_template = CombinedEvent(
    _at(0, lambda output_content, template_name, config: PIPE.post_template(output_content, template_name)),
    _at(-200, lambda output_content, template_name, config: PIPE.post_template_last(output_content, template_name)),
)
on_post_build = CombinedEvent(
    _at(0, lambda config: PIPE.post_build()),
    _at(-20, lambda config: PIPE.post_build_generated()),  # 晚于订阅插件（0）写出订阅文件
    # 晚于 i18n（-100：内部构建其他语言、合并各语言的索引）和离线插件（-100）
    _at(-110, lambda config: _site(config, PIPE.site_search)),
    _at(-200, lambda config: _site(config, PIPE.site_done)),  # 全部语言、全部插件写完之后
)
