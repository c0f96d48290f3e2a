"""搜索分词词典：格式校验（带行号的中文报错）、与术语表合并、已知词语的切分结果。不构建站点。"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import REPO
from studycol import search_dict as sd
from studycol.yamlsrc import DataError

HAND = REPO / "data" / "search" / "user-dict.txt"


@pytest.fixture(scope="module")
def entries() -> list[sd.DictEntry]:
    return sd.load_entries(REPO)


@pytest.fixture(scope="module")
def tk(entries):
    return sd.tokenizer(entries)


@pytest.fixture(scope="module")
def hand_tk():
    """只加载人工词典的分词器：下面的断言不随术语表增删而变。"""
    return sd.tokenizer(sd.parse_user_dict(HAND.read_text(encoding="utf-8"), "data/search/user-dict.txt"))


# ---- 人工词典中已知词语的切分（改词典后这里的断言就是审核依据） ----

KNOWN = {
    # 长词拆开：短词进入索引词表
    "安全监控系统造假": "安全/监控/系统/造假",
    "各级矿山安全监管监察部门": "各级/矿山/安全/监管/监察/部门",
    "严厉查处一批重大隐患": "严厉/查处/一批/重大/隐患",
    "畅通举报渠道迅速核查举报线索": "畅通/举报/渠道/迅速/核查/举报/线索",
    "新疆生产建设兵团": "新疆/生产/建设/兵团",
    # 纠正错切
    "要紧盯重大隐患": "要/紧盯/重大/隐患",
    "将责任落实到人头": "将/责任/落实/到/人头",
    "各省级局要强化责任担当": "各/省级/局/要/强化/责任/担当",
    "领导班子成员要带头宣讲": "领导/班子/成员/要/带头/宣讲",
    "推动地方党政领导干部带头学": "推动/地方/党政/领导干部/带头/学",
    "尽快扭转重特大事故多发频发势头": "尽快/扭转/重特大/事故/多发/频发/势头",
    # 专门用语整词
    "直插现场开展执法检查": "直插/现场/开展/执法/检查",
    "做好制修订工作": "做好/制修订/工作",
    "实行台账化管理": "实行/台账化/管理",
    "敢作善为抓落实": "敢作善为/抓/落实",
    "学习宣传贯彻《硬措施》专栏": "学习/宣传/贯彻/《/硬措施/》/专栏",
    "确保动态销号清零": "确保/动态/销号/清零",
}


@pytest.mark.parametrize("text", sorted(KNOWN))
def test_known_terms_are_segmented_as_reviewed(hand_tk, text):
    assert "/".join(sd.segment(text, hand_tk)) == KNOWN[text]


def test_without_the_dictionary_jieba_gets_these_wrong():
    """对照：不加站内词典时 jieba 的切法正是词典要纠正的（词典条目不是多余的）。"""
    plain = sd.tokenizer([])
    assert "/".join(sd.segment("要紧盯重大隐患", plain)).startswith("要紧/盯")
    assert "安全监控" in sd.segment("安全监控系统造假", plain)
    assert "直" in sd.segment("直插现场", plain)


def test_glossary_terms_enter_the_dictionary(entries, tk):
    glossary = REPO / "data" / "glossary.yml"
    if not glossary.is_file():
        pytest.skip("术语表尚未建立")
    words = {e.word for e in entries if e.source == "data/glossary.yml"}
    assert words, "术语表中的术语没有进入搜索词典"
    for word in sorted(words):
        assert sd.segment(word, tk) == [word], f"术语“{word}”没有被切成一个词"


# ---- 格式校验 ----


def test_parse_user_dict_accepts_comments_blank_lines_and_freqs():
    text = "# 说明\n\n安全监控 0\n直插\n紧盯 5000\n"
    got = sd.parse_user_dict(text, "x.txt")
    assert [(e.word, e.freq, e.line) for e in got] == [("安全监控", 0, 3), ("直插", None, 4), ("紧盯", 5000, 5)]
    assert sd.render(got) == "安全监控 0\n直插\n紧盯 5000\n"


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("直插\n紧盯 很多\n", 2, "不是非负整数"),
        ("直插\n直插 3\n", 2, "重复（第一次在第 1 行）"),
        ("# a\nmonitor 3\n", 2, "不是中文词语"),
        ("安全监控 0 n 多余\n", 1, "多余的内容"),
        ("紧盯 -1\n", 1, "不是非负整数"),
    ],
)
def test_parse_user_dict_reports_file_line_and_fix(text, line, fragment):
    with pytest.raises(DataError) as exc:
        sd.parse_user_dict(text, "data/search/user-dict.txt")
    err = exc.value.errors[0]
    assert (err.path, err.line) == ("data/search/user-dict.txt", line)
    assert fragment in err.message


def test_repo_dictionary_is_valid_and_not_empty():
    got = sd.parse_user_dict(HAND.read_text(encoding="utf-8"), "data/search/user-dict.txt")
    assert len(got) >= 20
    assert any(e.freq == 0 for e in got) and any(e.freq is None for e in got)


def _site_with(tmp_path: Path, glossary: str | None, hand: str | None = None) -> Path:
    root = tmp_path / "repo"
    (root / "data" / "search").mkdir(parents=True)
    shutil.copy(HAND, root / "data" / "search" / "user-dict.txt")
    if hand is not None:
        (root / "data" / "search" / "user-dict.txt").write_text(hand, encoding="utf-8")
    if glossary is not None:
        (root / "data" / "glossary.yml").write_text(glossary, encoding="utf-8")
    return root


def test_glossary_list_or_terms_mapping_with_aliases(tmp_path):
    root = _site_with(tmp_path, "terms:\n  - term: 《隐蔽工作面》\n    aliases: [暗面, 隐蔽 作业面]\n  - term: monitoring\n")
    got = {e.word: e for e in sd.load_entries(root) if e.source == "data/glossary.yml"}
    # 书名号去掉，空格分开的部分各自成词，纯英文不进中文词典
    assert set(got) == {"隐蔽工作面", "暗面", "隐蔽", "作业面"}
    assert got["隐蔽工作面"].line == 2 and got["隐蔽工作面"].freq is None
    root2 = _site_with(tmp_path / "b", "- term: 偷采\n- {term: 分包转包, aliases: 违规分包}\n")
    assert {"偷采", "分包转包", "违规分包"} <= {e.word for e in sd.load_entries(root2)}


def test_glossary_errors_name_the_line(tmp_path):
    root = _site_with(tmp_path, "terms:\n  - term: 偷采\n  - aliases: [暗面]\n")
    with pytest.raises(DataError) as exc:
        sd.load_entries(root)
    assert exc.value.errors[0].path == "data/glossary.yml"
    assert exc.value.errors[0].line == 3
    assert "缺少 term" in exc.value.errors[0].message


def test_hand_dictionary_may_not_split_a_glossary_term(tmp_path):
    root = _site_with(tmp_path, "- term: 安全监控\n")  # 人工词典把“安全监控”设为 0
    with pytest.raises(DataError) as exc:
        sd.load_entries(root)
    err = exc.value.errors[0]
    assert err.path == "data/search/user-dict.txt" and "术语表 data/glossary.yml 第 1 行" in err.message


def test_missing_hand_dictionary_is_an_error_not_a_warning(tmp_path):
    root = tmp_path / "empty"
    root.mkdir()
    with pytest.raises(DataError) as exc:
        sd.load_entries(root)
    assert "找不到搜索分词词典" in str(exc.value)


def test_effective_dictionary_is_written_outside_docs_and_content_addressed(tmp_path, entries):
    a = sd.write_effective(entries, tmp_path)
    b = sd.write_effective(entries, tmp_path)
    assert a == b and a.parent == tmp_path
    text = a.read_text(encoding="utf-8")
    assert "#" not in text  # jieba 会把注释行当作词
    assert "安全监控 0\n" in text
    assert sd.write_effective(entries[:-1], tmp_path) != a


def test_vocabulary_supplement_lists_words_inside_whole_terms():
    entries = [sd.DictEntry("抽查和评估", None, "g", 1), sd.DictEntry("安全监控", 0, "h", 2)]
    words = sd.vocabulary_supplement(entries, sd.tokenizer(entries))
    assert {"抽查", "评估", "抽查和评估"} <= set(words)
    assert "安全监控" not in words  # 设为 0 的词是要拆开的，不补
