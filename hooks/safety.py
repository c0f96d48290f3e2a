"""投稿内容安全：在构建时拒绝可执行、外链和损坏的输入；给外部链接加标记；生成内容安全策略响应头。

逻辑在 studycol/safety.py、studycol/csp.py 和 studycol/lint/engine.py（文件名、编码）中；这里只接事件。
问题通过 mkdocs.hooks.safety 日志报告（--strict 下构建失败，并列出全部问题）；会让后续步骤崩溃的
（非 UTF-8、文件过大、不合 YAML 限制的数据文件）直接以 PluginError 中止；front matter 不合 YAML 限制的页面不发布。
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from studycol import csp, build, problems, safety
from studycol import render as render_mod
from studycol.languages import first_language_pass, nested_language_build
from studycol.lint import engine as lint_engine

log = logging.getLogger("mkdocs.hooks.safety")

_state: dict = {"seen": set()}
# 不检查文件名的目录：构建时从 npm 复制来的第三方文件
VENDOR_PREFIXES = ("assets/vendor/",)


def _warn(message: str) -> None:
    if problems.report(message):
        _state["seen"].add(message)


def _decode(raw: bytes, rel: str, fatal: list[str]) -> str | None:
    text, found = lint_engine.decode(raw, rel)
    for f in found:
        if f.rule == "FILE-2":
            fatal.append(f"{rel}:{f.line}: 文件不是 UTF-8 编码（{f.detail}）；请在编辑器中用 UTF-8 另存后再提交。")
        elif f.rule == "FILE-3":
            _warn(f"{rel}:1: 文件以 BOM（字节顺序标记）开头；请运行 make fix，或在编辑器中选“UTF-8（无 BOM）”另存。")
        elif f.rule == "FILE-4":
            _warn(f"{rel}:{f.line}: 文件使用 CRLF（Windows）换行（{f.detail}）；请运行 make fix，或把编辑器的换行符设为 LF。")
    return text


def _check_name(rel: str) -> None:
    why = lint_engine.name_problem(rel)
    if why:
        _warn(f"{rel}:1: 文件名不合规：{why}。文件名只能用小写英文字母、数字和连字符（如 case-1.md），请改名。")


@event_priority(110)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    build.begin_for(config)
    if first_language_pass(config):  # 英文的内部构建不清空已报告的问题
        _state.clear()
        _state["seen"] = set()
    root = Path(config.config_file_path).resolve().parent
    data = root / "data"
    fatal: list[str] = []
    for path in sorted(data.rglob("*")) if data.is_dir() else []:
        if path.is_symlink() or not path.is_file() or path.suffix not in (".yml", ".yaml"):
            continue
        rel = path.relative_to(root).as_posix()
        if rel.startswith("data/source/"):
            continue
        _check_name(rel)
        raw = path.read_bytes()
        if len(raw) > safety.MAX_DATA_BYTES:
            fatal.append(
                f"{rel}:1: 文件过大（{len(raw) / 1048576:.1f} MB，上限 {safety.MAX_DATA_BYTES // 1048576} MB）；"
                "请拆分成几个文件，或检查是否误粘贴了大段内容。"
            )
            continue
        text = _decode(raw, rel, fatal)
        if text is None:
            continue
        if not text.strip():
            fatal.append(f"{rel}:1: 数据文件是空的；请按模板填写，或删除这个文件。")
            continue
        refused = safety.yaml_limit_problem(text, rel)  # 语法、锚点、标签、层数、复杂的键、体积（YAML-1 到 YAML-6）
        if refused:
            fatal.append(str(refused))
            continue
        for p in safety.scan_yaml_text(text, rel):
            _warn(f"{p}")
    if fatal:
        raise PluginError("以下文件无法读取，构建中止：\n" + "\n".join(fatal))
    return config


def _rel_to_docs(abs_src_path: str, docs: str, docs_resolved: Path) -> str | None:
    """源文件相对 docs/ 的路径（带“docs/”前缀）；不在 docs/ 中时为 None。

    几千个案例时逐个 resolve() 很慢（每一级目录一次系统调用）：普通路径直接按前缀截取，只有经过符号链接等
    特殊情况才解析真实路径。
    """
    path = os.path.normpath(abs_src_path)
    if path.startswith(docs + os.sep):
        return "docs/" + path[len(docs) + 1 :].replace(os.sep, "/")
    try:
        return "docs/" + Path(path).resolve().relative_to(docs_resolved).as_posix()
    except ValueError:
        return None


def on_files(files: Files, config: MkDocsConfig) -> Files:
    # U 盘版（hooks/column.py 的 on_config 加上了垫片）和 extra.csp_meta：页面内的策略
    _state["csp"] = csp.MetaOptions.from_config(config.extra, Path(config.docs_dir))
    docs = os.path.normpath(config.docs_dir)
    docs_resolved = Path(docs).resolve()
    root = Path(docs).parent  # 路径检查按“docs/…”相对于它
    hosts = _own_hosts(config)
    vendor = tuple("docs/" + v for v in VENDOR_PREFIXES)
    # 英文的内部构建再次列出同样的文件：大小和修改时间都没变的文件已在中文版中查过（问题也已报告），不再读取
    checked: set[tuple[str, int, int]] = _state.setdefault("files_checked", set())
    fatal: list[str] = []
    refused: list = []  # 符号链接、不允许的文件类型、有主动内容的静态文件：不发布
    for f in files:
        if f.abs_src_path is None or f.generated_by:
            continue
        rel = _rel_to_docs(f.abs_src_path, docs, docs_resolved)
        if rel is None:
            continue
        if rel in _state.setdefault("refused_pages", set()):  # 英文的内部构建：中文版已报告
            refused.append(f)
            continue
        if not rel.startswith(vendor):
            _check_name(rel)
        found = safety.path_problems(root, rel)
        if not found and not f.is_documentation_page() and rel.lower().endswith((".html", ".svg", ".css")):
            text = Path(f.abs_src_path).read_text(encoding="utf-8", errors="replace")
            found = safety.static_file_problems(rel, text, hosts)
        if found:
            for p in found:
                _warn(str(p))
            refused.append(f)
            continue
        if not f.is_documentation_page():
            continue
        src = Path(f.abs_src_path)
        st = src.stat()
        stamp = (rel, st.st_size, st.st_mtime_ns)
        if stamp in checked:
            continue
        checked.add(stamp)
        raw = src.read_bytes()
        too_big = safety.page_size_problem(rel, len(raw))  # 与 make check-content 的说法相同
        if too_big:
            fatal.append(str(too_big))
            continue
        text = _decode(raw, rel, fatal)
        if text is None:
            continue
        if safety.body_is_empty(text):
            _warn(str(safety.empty_page_problem(rel)))
        front = safety.front_matter_problems(text, rel)
        for p in front:
            _warn(str(p))
        if safety.refuses_page(front):  # 不交给 MkDocs 读取 front matter（它不受本站的 YAML 限制）
            _state["refused_pages"].add(rel)
            refused.append(f)
    for rel in safety.data_symlinks(root):
        for p in safety.path_problems(root, rel):
            _warn(str(p))
    if fatal:
        raise PluginError("以下页面无法读取，构建中止：\n" + "\n".join(fatal))
    for f in refused:
        files.remove(f)
    return files


def _snippet_bases(config: MkDocsConfig) -> tuple[str, ...]:
    base = (config.mdx_configs.get("pymdownx.snippets") or {}).get("base_path", safety.SNIPPET_BASES)
    return (base,) if isinstance(base, str) else tuple(base)


@event_priority(90)  # 在其他钩子展开标记之前检查：只查编辑写的原文，模板输出是可信的
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    source = render_mod.page_source(page)
    offset = source.count("\n", 0, len(source) - len(markdown)) if source.endswith(markdown) else 0
    rel = "docs/" + page.file.src_uri
    hosts = tuple(sorted(_own_hosts(config)))
    bases = _snippet_bases(config)

    def screen() -> list[safety.Problem]:
        # 与 make check-content 相同的源文件检查；pymdownx.snippets 按当前目录解析 base_path，这里也一样
        return safety.source_problems(markdown, rel, Path.cwd(), offset, hosts, bases)

    problems = screen()
    _state.setdefault("source_found", {})[rel] = {(p.line, p.rule) for p in problems}
    for p in problems:
        _warn(str(p))
    # 有问题的片段引用不交给 pymdownx.snippets（它会以 SnippetMissingError 中止，没有文件和行号）
    return safety.without_lines(markdown, [p.line for p in problems if p.rule == "SNIP-1"], offset)


def _own_hosts(config: MkDocsConfig) -> set[str]:
    hosts = {urlsplit(config.site_url or "").hostname or ""}
    domain = str((config.extra.get("column") or {}).get("site_domain") or "").strip()
    if domain:
        hosts.add(urlsplit("//" + domain).hostname or domain)
    return {h for h in hosts if h}


@event_priority(-50)
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """渲染后的正文只解析一次（HTML5 解析器）：安全检查、重复的 id、有没有外部链接。"""
    rel = "docs/" + page.file.src_uri
    hosts = _own_hosts(config)
    result = safety.screen_rendered(html, hosts)
    source = render_mod.page_source(page) if (result.findings or result.duplicate_ids) else ""
    known = _state.get("source_found", {}).get(rel, ())  # 源文件检查已报告的，渲染结果中不再重复
    for p in safety.rendered_problems(result, source, rel, known):
        _warn(str(p))
    return safety.mark_external_links(html, hosts) if result.external_links else html


def on_env(env, config: MkDocsConfig, files: Files):
    """全部页面转换完之后：严格模式下有问题就立即中止，不再渲染模板、不再构建第二种语言（省时间，问题已全部列出）。"""
    if _state["seen"] and config.strict:
        raise PluginError(f"投稿内容检查发现 {len(_state['seen'])} 处问题（见上方 WARNING），构建中止；改正后重新构建。")
    return env


@event_priority(-200)  # 在其他插件和钩子改完页面之后
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """页面写出之前，趁它还在内存中，记下内联事件属性和内联脚本的哈希（构建结束时不必再读回来）。"""
    dest = page.file.abs_dest_path
    if dest:
        output, scan = csp.finish_page(output, page.content or "", _state["csp"])  # 正文中的脚本不登记哈希
        if scan.content_scripts:
            _warn(str(csp.content_script_problem("docs/" + page.file.src_uri, render_mod.page_source(page))))
            _state.setdefault("banned", set()).update(map(csp.script_hash, scan.content_scripts))
        size = len(output.encode("utf-8", errors="xmlcharrefreplace"))  # 与 MkDocs 写文件时的编码方式相同
        _state.setdefault("pages_scanned", {})[os.path.normpath(dest)] = (size, scan.handlers, scan.hashes)
    return output


@event_priority(-200)  # 在 i18n 的第二种语言和离线插件都写完页面之后
def on_post_build(config: MkDocsConfig) -> None:
    if nested_language_build(config):
        return  # 英文的内部构建结束时不查：默认语言的这一步在全部语言写完之后运行，一次查遍整个站点
    site = Path(config.site_dir)
    handlers = set()
    hashes: set[str] = set()
    scanned: dict[str, tuple[int, list[str], set[str]]] = _state.get("pages_scanned", {})
    for page in sorted(site.rglob("*.html")):
        found = scanned.get(os.path.normpath(page))
        if found is None or found[0] != page.stat().st_size:
            # 不经过 on_post_page 的文件（404 页面、docs/ 中原样复制的 HTML）或之后又被改写的页面：读回来查
            found = (0, *csp.finish_file(page, _state["csp"]))  # U 盘版中也写入页面内的策略
        for h in found[1]:
            handlers.add(f"{page.relative_to(site).as_posix()}：{h}=")
        hashes.update(found[2])
    for h in sorted(handlers):
        _warn(f"生成的页面 {h} 使用了内联事件属性，在严格的内容安全策略下不会执行；请改用外部脚本文件中的事件监听。")
    path, _ = csp.write_headers(site, sorted(hashes - _state.get("banned", set())))  # 正文中的脚本读回来也不登记
    log.debug("安全响应头已写入 %s", path)
