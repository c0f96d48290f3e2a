"""按内容缓存：相同输入只算一次，不同输入各算各的，清空后重新计算。"""

from __future__ import annotations

from studycol.memo import ContentMemo


def test_same_input_is_computed_once_and_parts_are_delimited():
    memo: ContentMemo[str] = ContentMemo()
    calls: list[str] = []

    def compute(x: str):
        return lambda: calls.append(x) or x.upper()

    assert memo.get(("p", "ab", "c"), compute("abc")) == "ABC"
    assert memo.get(("p", "ab", "c"), compute("abc")) == "ABC"
    assert memo.get(("p", "a", "bc"), compute("a|bc")) == "A|BC"  # 分段不同，键也不同
    assert calls == ["abc", "a|bc"] and memo.hits == 1 and len(memo) == 2
    memo.clear()
    memo.get(("p", "ab", "c"), compute("abc"))
    assert calls == ["abc", "a|bc", "abc"] and memo.hits == 0


def test_first_language_pass_follows_the_i18n_plugin():
    from types import SimpleNamespace

    from studycol.memo import first_language_pass

    assert first_language_pass(SimpleNamespace(plugins={}))
    plugin = SimpleNamespace(current_language="zh", default_language="zh")
    assert first_language_pass(SimpleNamespace(plugins={"i18n": plugin}))
    plugin.current_language = "en"
    assert not first_language_pass(SimpleNamespace(plugins={"i18n": plugin}))


def test_nested_language_build_follows_the_i18n_plugin():
    from types import SimpleNamespace

    from studycol.memo import nested_language_build

    assert not nested_language_build(SimpleNamespace(plugins={}))
    plugin = SimpleNamespace(building=False)
    assert not nested_language_build(SimpleNamespace(plugins={"i18n": plugin}))
    plugin.building = True
    assert nested_language_build(SimpleNamespace(plugins={"i18n": plugin}))


def test_page_source_reads_each_page_once(tmp_path):
    """各钩子定位行号用的页面源文件：每个页面只从磁盘读一次；没有源文件的页面得到空串。"""
    from mkdocs.structure.files import File

    from studycol.render import page_source

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("---\ntitle: 甲\n---\n\n# 甲\r\n", encoding="utf-8")
    f = File("a.md", str(docs), str(tmp_path / "site"), use_directory_urls=True)

    class Page:
        file = f

    assert page_source(Page()) == "---\ntitle: 甲\n---\n\n# 甲\n"
    (docs / "a.md").write_text("改过了", encoding="utf-8")
    assert page_source(Page()).startswith("---")  # 记在 File 上，不再读磁盘

    class NoFile:
        @property
        def content_string(self):
            raise AssertionError  # MkDocs：既没有源文件也没有内容

    class NoSource:
        file = NoFile()

    assert page_source(NoSource()) == ""
