"""站内搜索的分词词典：人工维护的 data/search/user-dict.txt 加上术语表 data/glossary.yml 中的术语。

构建时把两者合成一份 jieba 用户词典（写到系统临时目录，不进 docs/），交给 Material 的搜索插件
（jieba_dict_user）。索引里的分词因此与词典一致；浏览器端的搜索引擎又用索引中的词作为切分查询的词表，
所以词典同时影响建索引和切分查询两头。
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .yamlsrc import DataError, SourceError, decode_source, load_yaml_file

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_WORD_RE = re.compile(r"^[^\s#]+$")


@dataclasses.dataclass(frozen=True)
class DictEntry:
    """词典中的一个词。freq 为 None 表示由 jieba 自动给出刚好能切出它的词频；0 表示拆开。"""

    word: str
    freq: int | None
    source: str
    line: int

    def jieba_line(self) -> str:
        return self.word if self.freq is None else f"{self.word} {self.freq}"


def parse_user_dict(text: str, path: str) -> list[DictEntry]:
    """解析人工维护的词典；格式错误一次报全，带行号。"""
    entries: list[DictEntry] = []
    errors: list[SourceError] = []
    seen: dict[str, int] = {}
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        word = parts[0]
        if len(parts) > 2:
            errors.append(SourceError(path, no, f"“{line}”有多余的内容；每行只写“词语 词频”或“词语”，说明请另起一行以 # 开头。"))
            continue
        if not HAN_RE.search(word) or not _WORD_RE.match(word):
            errors.append(SourceError(path, no, f"“{word}”不是中文词语；词典只收含汉字、不含空格的词。"))
            continue
        freq: int | None = None
        if len(parts) == 2:
            if not parts[1].isdigit():
                errors.append(SourceError(path, no, f"“{word}”的词频“{parts[1]}”不是非负整数；写 0 表示拆开，不写表示自动。"))
                continue
            freq = int(parts[1])
        if word in seen:
            errors.append(SourceError(path, no, f"“{word}”重复（第一次在第 {seen[word]} 行）；请删去其中一行。"))
            continue
        seen[word] = no
        entries.append(DictEntry(word, freq, path, no))
    if errors:
        raise DataError(errors)
    return entries


def _glossary_items(data: object) -> list[tuple[int, object]] | None:
    """术语表可以是术语的列表，也可以是带 terms 列表的映射。"""
    if isinstance(data, list):
        return list(enumerate(data))
    if isinstance(data, dict) and isinstance(data.get("terms"), list):
        return list(enumerate(data["terms"]))
    return None


def glossary_words(path: Path, display: str) -> list[DictEntry]:
    """从术语表取出术语和别名中的中文词（去掉书名号、括号等），作为整词加入词典。"""
    src = load_yaml_file(path, display)
    items = _glossary_items(src.data)
    if items is None:
        raise DataError([SourceError(display, 1, "术语表应是术语的列表（或含 terms 列表），每条至少有 term 字段。")])
    prefix: tuple = () if isinstance(src.data, list) else ("terms",)
    out: list[DictEntry] = []
    errors: list[SourceError] = []
    for i, item in items:
        line = src.line_of(prefix + (i,))
        if not isinstance(item, dict) or not isinstance(item.get("term"), str) or not item["term"].strip():
            errors.append(SourceError(display, line, "这一条术语缺少 term（术语本身）。"))
            continue
        names = [item["term"]]
        aliases = item.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            errors.append(SourceError(display, src.line_of(prefix + (i, "aliases")), "aliases 应是文字的列表。"))
            continue
        names += aliases
        for name in names:
            for piece in HAN_RE.findall(name):
                if len(piece) >= 2:
                    out.append(DictEntry(piece, None, display, line))
    if errors:
        raise DataError(errors)
    return out


def merge(hand: list[DictEntry], glossary: Iterable[DictEntry]) -> list[DictEntry]:
    """合并：人工词典在前；术语表中已在人工词典里出现的词不重复加入。

    人工词典把术语表中的术语设为 0（拆开）是矛盾的，报错并指出两处位置。
    """
    by_word = {e.word: e for e in hand}
    out = list(hand)
    errors: list[SourceError] = []
    for g in glossary:
        h = by_word.get(g.word)
        if h is None:
            by_word[g.word] = g
            out.append(g)
        elif h.freq == 0 and h.source != g.source:
            errors.append(
                SourceError(
                    h.source,
                    h.line,
                    f"“{g.word}”在这里设为 0（拆开），但它是术语表 {g.source} 第 {g.line} 行的术语；"
                    "术语应能整词检索，请删去这一行。",
                )
            )
    if errors:
        raise DataError(errors)
    return out


def render(entries: Iterable[DictEntry]) -> str:
    """jieba 用户词典文本（不带注释：jieba 会把注释行当作词）。"""
    return "".join(e.jieba_line() + "\n" for e in entries)


def load_entries(root: Path) -> list[DictEntry]:
    """读取仓库中的人工词典和（若存在）术语表；人工词典缺失时报错，不静默跳过。"""
    hand_path = root / "data" / "search" / "user-dict.txt"
    if not hand_path.is_file():
        raise DataError(
            [SourceError("data/search/user-dict.txt", 1, "找不到搜索分词词典；它是仓库的一部分，请从版本库恢复，不要删除。")]
        )
    hand = parse_user_dict(decode_source(hand_path.read_bytes(), "data/search/user-dict.txt"), "data/search/user-dict.txt")
    glossary_path = root / "data" / "glossary.yml"
    glossary = glossary_words(glossary_path, "data/glossary.yml") if glossary_path.is_file() else []
    return merge(hand, glossary)


def write_effective(entries: Iterable[DictEntry], directory: Path | None = None) -> Path:
    """把合成的词典写到临时目录（文件名含内容摘要；并行构建写同一内容也互不干扰）。"""
    text = render(entries)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    directory = directory or Path(tempfile.gettempdir()) / "studycol-search"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"jieba-user-{digest}.txt"
    if not path.is_file():
        tmp = directory / f".{path.name}.{os.getpid()}"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return path


def tokenizer(entries: Iterable[DictEntry]):
    """加载了这些词的独立 jieba 分词器（测试和诊断用，不影响全局的 jieba）。"""
    import jieba

    tk = jieba.Tokenizer()
    for e in entries:
        tk.add_word(e.word, e.freq)
    return tk


def segment(text: str, tk) -> list[str]:
    """按建索引时的方式切分：只切汉字串，其余字符原样成段。"""
    out: list[str] = []
    pos = 0
    for m in HAN_RE.finditer(text):
        if m.start() > pos:
            out.append(text[pos : m.start()])
        out.extend(tk.cut(m.group(0)))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def vocabulary_supplement(entries: Iterable[DictEntry], tk) -> list[str]:
    """交给浏览器端切分查询的补充词表：词典中整词加入的词（术语等），以及它们内部的短词。

    浏览器端用索引里的词作为切分查询的词表；术语整词进入索引后，它内部的短词（“抽查和评估”中的
    “抽查”“评估”）可能不再单独出现在索引里，这里补上，使“抽查评估”这样的查询能切成两个词分别查找。
    tk 是已加载词典的 jieba 分词器（构建时就是全局的 jieba）。
    """
    words: set[str] = set()
    for e in entries:
        if e.freq == 0:
            continue
        for piece in tk.cut_for_search(e.word, HMM=False):
            if len(piece) >= 2 and HAN_RE.fullmatch(piece):
                words.add(piece)
    return sorted(words)
