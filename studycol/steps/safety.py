"""投稿内容安全的一步：构建时拒绝可执行、外链和损坏的输入，给外部链接加标记，生成内容安全策略。

规则在 studycol/safety.py、studycol/csp.py 和 studycol/lint/engine.py（文件名、编码）中。问题交给报告口
（严格模式下构建失败，并列出全部问题）；会让后续步骤崩溃的（非 UTF-8、文件过大、不合 YAML 限制的数据文件）
以 Stop 中止；front matter 不合 YAML 限制的页面不发布（不交给引擎读取）。
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from studycol import csp, problems, safety
from studycol.engine import Page, Pass, SourceFile, Stop
from studycol.lint import engine as lint_engine

# 不检查文件名的目录：构建时从 npm 复制来的第三方文件
VENDOR_PREFIXES = ("assets/vendor/",)


@dataclasses.dataclass
class SafetyBuild:
    """一次构建（全部语言）共用的：发现的问题数，已检查过的文件，不发布的页面。"""

    seen: set[str] = dataclasses.field(default_factory=set)
    files_checked: set[tuple[str, int, int]] = dataclasses.field(default_factory=set)
    refused_pages: set[str] = dataclasses.field(default_factory=set)
    # 各语言写出的页面（输出路径 → 大小、内联事件属性、内联脚本的哈希）和正文中的脚本：构建结束时一次查遍
    pages_scanned: dict[str, tuple[int, list[str], frozenset[str]]] = dataclasses.field(default_factory=dict)
    banned: set[str] = dataclasses.field(default_factory=set)


class SafetyStep:
    def __init__(self, p: Pass, build: SafetyBuild) -> None:
        self.p = p
        self.build = build
        self.hosts = own_hosts(p.site_url, p.extra)
        self.csp: csp.MetaOptions | None = None
        self.source_found: dict[str, set[tuple[int, str]]] = {}

    def warn(self, message: str) -> None:
        if problems.report(message):
            self.build.seen.add(message)

    def _decode(self, raw: bytes, rel: str, fatal: list[str]) -> str | None:
        text, found = lint_engine.decode(raw, rel)
        for f in found:
            if f.rule == "FILE-2":
                fatal.append(f"{rel}:{f.line}: 文件不是 UTF-8 编码（{f.detail}）；请在编辑器中用 UTF-8 另存后再提交（FILE-2）")
            elif f.rule == "FILE-3":
                self.warn(f"{rel}:1: 文件以 BOM（字节顺序标记）开头；请运行 make fix，或在编辑器中选“UTF-8（无 BOM）”另存（FILE-3）")
            elif f.rule == "FILE-4":
                self.warn(f"{rel}:{f.line}: 文件使用 CRLF（Windows）换行（{f.detail}）；请运行 make fix，或把编辑器的换行符设为 LF（FILE-4）")
        return text

    def _check_name(self, rel: str) -> None:
        why = lint_engine.name_problem(rel)
        if why:
            self.warn(f"{rel}:1: 文件名不合规：{why}。文件名只能用小写英文字母、数字和连字符（如 case-1.md），请改名（FILE-1）")

    def config(self) -> None:
        """数据文件：文件名、大小、编码、YAML 的限制（YAML-1 到 YAML-6）和其中的文字。"""
        root = self.p.root
        data = root / "data"
        fatal: list[str] = []
        for path in sorted(data.rglob("*")) if data.is_dir() else []:
            if path.is_symlink() or not path.is_file() or path.suffix not in (".yml", ".yaml"):
                continue
            rel = path.relative_to(root).as_posix()
            if rel.startswith("data/source/"):
                continue
            self._check_name(rel)
            raw = path.read_bytes()
            if len(raw) > safety.MAX_DATA_BYTES:
                fatal.append(
                    f"{rel}:1: 文件过大（{len(raw) / 1048576:.1f} MB，上限 {safety.MAX_DATA_BYTES // 1048576} MB）；"
                    "请拆分成几个文件，或检查是否误粘贴了大段内容（YAML-6）"
                )
                continue
            text = self._decode(raw, rel, fatal)
            if text is None:
                continue
            if not text.strip():
                fatal.append(f"{rel}:1: 数据文件是空的；请按模板填写，或删除这个文件（FILE-5）")
                continue
            refused = safety.yaml_limit_problem(text, rel)
            if refused:
                fatal.append(str(refused))
                continue
            for p in safety.scan_yaml_text(text, rel):
                self.warn(f"{p}")
        if fatal:
            raise Stop("以下文件无法读取，构建中止：\n" + "\n".join(fatal))

    def files(self, files: list[SourceFile]) -> list[SourceFile]:
        """检查 docs/ 中的每个源文件；返回不发布的文件（符号链接、不允许的类型、有主动内容的静态文件、
        front matter 不合限制的页面）。英文那一遍再列出同样的文件：大小和修改时间都没变的不再读取。"""
        self.csp = csp.MetaOptions.from_config(self.p.extra, self.p.docs_dir)
        docs = os.path.normpath(self.p.docs_dir)
        docs_resolved = Path(docs).resolve()
        root = Path(docs).parent  # 路径检查按“docs/…”相对于它
        vendor = tuple("docs/" + v for v in VENDOR_PREFIXES)
        fatal: list[str] = []
        refused: list[SourceFile] = []
        for f in files:
            if f.abs_path is None or f.generated:
                continue
            rel = _rel_to_docs(f.abs_path, docs, docs_resolved)
            if rel is None:
                continue
            if rel in self.build.refused_pages:  # 英文那一遍：中文那一遍已报告
                refused.append(f)
                continue
            if not rel.startswith(vendor):
                self._check_name(rel)
            found = safety.path_problems(root, rel)
            if not found and not f.is_page and rel.lower().endswith((".html", ".svg", ".css")):
                text = Path(f.abs_path).read_text(encoding="utf-8", errors="replace")
                found = safety.static_file_problems(rel, text, self.hosts)
            if found:
                for p in found:
                    self.warn(str(p))
                refused.append(f)
                continue
            if not f.is_page:
                continue
            src = Path(f.abs_path)
            st = src.stat()
            stamp = (rel, st.st_size, st.st_mtime_ns)
            if stamp in self.build.files_checked:
                continue
            self.build.files_checked.add(stamp)
            raw = src.read_bytes()
            too_big = safety.page_size_problem(rel, len(raw))  # 与 make check-content 的说法相同
            if too_big:
                fatal.append(str(too_big))
                continue
            page_text = self._decode(raw, rel, fatal)
            if page_text is None:
                continue
            text = page_text
            if safety.body_is_empty(text):
                self.warn(str(safety.empty_page_problem(rel)))
            front = safety.front_matter_problems(text, rel)
            for p in front:
                self.warn(str(p))
            if safety.refuses_page(front):  # 不交给引擎读取 front matter（它不受本站的 YAML 限制）
                self.build.refused_pages.add(rel)
                refused.append(f)
        for rel in safety.data_symlinks(root):
            for p in safety.path_problems(root, rel):
                self.warn(str(p))
        if fatal:
            raise Stop("以下页面无法读取，构建中止：\n" + "\n".join(fatal))
        return refused

    def markdown(self, markdown: str, page: Page) -> str:
        """在其他步骤展开标记之前检查：只查编辑写的原文，模板输出是可信的。"""
        source = page.source
        offset = source.count("\n", 0, len(source) - len(markdown)) if source.endswith(markdown) else 0
        rel = "docs/" + page.src_uri
        base = (self.p.mdx_configs.get("pymdownx.snippets") or {}).get("base_path", safety.SNIPPET_BASES)
        bases = (base,) if isinstance(base, str) else tuple(base)
        # 与 make check-content 相同的源文件检查；pymdownx.snippets 按当前目录解析 base_path，这里也一样
        found = safety.source_problems(markdown, rel, Path.cwd(), offset, tuple(sorted(self.hosts)), bases)
        self.source_found[rel] = {(p.line, p.rule) for p in found}
        for p in found:
            self.warn(str(p))
        # 有问题的片段引用不交给 pymdownx.snippets（它会以 SnippetMissingError 中止，没有文件和行号）
        return safety.without_lines(markdown, [p.line for p in found if p.rule == "SNIP-1"], offset)

    def content_html(self, html: str, page: Page, tree: Any = None) -> str:
        """渲染后的正文（tree：流水线已解析好的树，是术语解释加入之前的正文；那些提示框由本站模板生成）：
        安全检查、重复的 id、有没有外部链接。"""
        rel = "docs/" + page.src_uri
        result = safety.screen_rendered(html if tree is None else tree, self.hosts)
        source = page.source if (result.findings or result.duplicate_ids) else ""
        known = self.source_found.get(rel, set())  # 源文件检查已报告的，渲染结果中不再重复
        for p in safety.rendered_problems(result, source, rel, known):
            self.warn(str(p))
        return safety.mark_external_links(html, self.hosts) if result.external_links else html

    def env(self) -> None:
        """全部页面转换完之后：严格模式下有问题就立即中止，不再渲染模板、不再构建第二种语言。"""
        if self.build.seen and self.p.strict:
            raise Stop(f"投稿内容检查发现 {len(self.build.seen)} 处问题（见上方 WARNING），构建中止；改正后重新构建。")

    def post_page(self, output: str, page: Page, content: str) -> str:
        """页面写出之前，趁它还在内存中，记下内联事件属性和内联脚本的哈希（构建结束时不必再读回来）。"""
        if not page.dest or self.csp is None:
            return output
        output, scan = csp.finish_page(output, content, self.csp)  # 正文中的脚本不登记哈希
        if scan.content_scripts:
            self.warn(str(csp.content_script_problem("docs/" + page.src_uri, page.source)))
            self.build.banned.update(map(csp.script_hash, scan.content_scripts))
        size = len(output.encode("utf-8", errors="xmlcharrefreplace"))  # 与 MkDocs 写文件时的编码方式相同
        self.build.pages_scanned[os.path.normpath(page.dest)] = (size, scan.handlers, scan.hashes)
        return output

    def post_build(self) -> None:
        """全部语言写完之后：查遍整个站点的内联事件属性，写出内容安全策略的响应头。"""
        site = self.p.site_dir
        handlers: set[str] = set()
        hashes: set[str] = set()
        options = self.csp or csp.MetaOptions.from_config(self.p.extra, self.p.docs_dir)
        for page in sorted(site.rglob("*.html")):
            found = self.build.pages_scanned.get(os.path.normpath(page))
            if found is None or found[0] != page.stat().st_size:
                # 不经过 post_page 的文件（404 页面、docs/ 中原样复制的 HTML）或之后又被改写的页面：读回来查
                found = (0, *csp.finish_file(page, options))  # U 盘版中也写入页面内的策略
            for h in found[1]:
                handlers.add(f"{page.relative_to(site).as_posix()}：{h}=")
            hashes.update(found[2])
        for h in sorted(handlers):
            self.warn(f"生成的页面 {h} 使用了内联事件属性，在严格的内容安全策略下不会执行；请改用外部脚本文件中的事件监听。")
        csp.write_headers(site, sorted(hashes - self.build.banned))  # 正文中的脚本读回来也不登记


def own_hosts(site_url: str, extra: dict[str, object]) -> set[str]:
    """本站的主机名：site_url 的和 extra.column.site_domain。"""
    hosts = {urlsplit(site_url or "").hostname or ""}
    column = extra.get("column")
    domain = str((column.get("site_domain") if isinstance(column, dict) else "") or "").strip()
    if domain:
        hosts.add(urlsplit("//" + domain).hostname or domain)
    return {h for h in hosts if h}


def _rel_to_docs(abs_src_path: str, docs: str, docs_resolved: Path) -> str | None:
    """源文件相对 docs/ 的路径（带“docs/”前缀）；不在 docs/ 中时为 None。普通路径按前缀截取，
    只有经过符号链接等特殊情况才解析真实路径（逐个 resolve() 每一级目录一次系统调用）。"""
    path = os.path.normpath(abs_src_path)
    if path.startswith(docs + os.sep):
        return "docs/" + path[len(docs) + 1 :].replace(os.sep, "/")
    try:
        return "docs/" + Path(path).resolve().relative_to(docs_resolved).as_posix()
    except ValueError:
        return None
