"""多语言构建中的“这一遍是哪种语言”。

mkdocs-static-i18n 为每种语言把每个页面事件重跑一遍（默认语言在先，其他语言在默认语言的 on_post_build
里作为内部构建运行）。钩子据此决定何时清空一次构建的状态、何时只做一次全站的工作。
"""

from __future__ import annotations


def language_prefix(config: object) -> str:
    """当前这一遍构建的语言在网址中的前缀：默认语言（或没有 i18n 插件）为空，英文为“en/”。

    mkdocs-static-i18n 在同一次命令中为每种语言重跑全部事件；主题语言在它的 on_config 里才改，
    钩子的 on_config 往往先于它运行，所以要看插件记录的当前语言，不能看 config.theme.language。
    """
    plugins = getattr(config, "plugins", None)
    plugin = plugins.get("i18n") if plugins is not None else None
    current = getattr(plugin, "current_language", None)
    default = getattr(plugin, "default_language", current)
    return f"{current}/" if plugin is not None and current and current != default else ""


def first_language_pass(config: object) -> bool:
    """本次 on_config 是否属于默认语言（一次构建的开始）。"""
    return not language_prefix(config)


def nested_language_build(config: object) -> bool:
    """是否处在 mkdocs-static-i18n 为其他语言发起的内部构建中。

    i18n 在默认语言的 on_post_build 里逐个构建其他语言（构建期间 building 为真），全部完成后才轮到
    优先级更低的 on_post_build。要对整个站点（含全部语言）只做一次的工作，在内部构建中跳过即可。
    """
    plugins = getattr(config, "plugins", None)
    plugin = plugins.get("i18n") if plugins is not None else None
    return bool(getattr(plugin, "building", False))


def theme_language(config: object) -> str:
    """主题当前的界面语言（默认 zh）。i18n 在它的 on_config 之后才把英文一遍改成 en。"""
    theme = getattr(config, "theme", None)
    value = theme.get("language") if theme is not None and hasattr(theme, "get") else None
    return str(value or "zh")
