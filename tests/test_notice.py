"""通知数据：结构、编号、与底本的逐字（逐句）一致性。不构建站点。"""

from __future__ import annotations

import re

import pytest

from helpers import REPO, SHARED
from studycol import notice as nm
from studycol.yamlsrc import DataError, parse_yaml, validate

RECEIVED = REPO / "data" / "source" / "notice-received.txt"


@pytest.fixture(scope="module")
def notice() -> nm.Notice:
    return nm.load_notice(REPO / "data" / "notice.yml", "data/notice.yml")


def test_received_copy_is_unchanged():
    """底本逐字未改：校验值登记在 data/source/SHA256SUMS（每份副本都能核对，不依赖共享资料目录）。"""
    import hashlib

    recorded = dict(
        reversed(line.split(None, 1)) for line in (RECEIVED.parent / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    )
    assert hashlib.sha256(RECEIVED.read_bytes()).hexdigest() == recorded["notice-received.txt"]
    shared = SHARED / "source" / "notice-received.txt"
    if shared.exists():  # 在开发机上还与共享资料中的底本逐字节比较
        assert RECEIVED.read_bytes() == shared.read_bytes()


def test_fidelity_every_difference_is_recorded(notice):
    report = nm.check_fidelity(notice, RECEIVED.read_text(encoding="utf-8"))
    assert report.problems == []
    assert len(report.differences) == sum(c.count for c in notice.collation)


def test_every_received_sentence_is_published(notice):
    received = RECEIVED.read_text(encoding="utf-8")
    published = "".join(nm.strip_marks(s.text) for _, p in notice.paragraphs() for s in p.sentences)
    body = nm.received_sentences(received, notice)
    assert len(body) == sum(len(p.sentences) for _, p in notice.paragraphs())
    for sentence in body:
        assert sentence in published, f"底本句子未出现在发布稿中：{sentence}"


def test_published_sentences_split_cleanly(notice):
    for _, para in notice.paragraphs():
        for s in para.sentences:
            text = nm.strip_marks(s.text)
            assert text.endswith(("。", "：")), s.id
            assert "。" not in text[:-1], f"{s.id} 含有多个句子"


def test_damage_is_repaired(notice):
    text = notice.meta.title + "".join(nm.paragraph_text(p) for _, p in notice.paragraphs())
    assert " and " not in text and "and" not in text
    assert not re.search(r"[,():;]", text), "发布稿仍有半角标点"
    assert " " not in notice.meta.title


def test_ids_unique_and_hierarchical(notice):
    ids = [t.id for t in nm.targets(notice)]
    assert len(ids) == len(set(ids))
    assert {"n0", "n1", "n2", "n3", "n4", "n5", "n9", "n4-1", "n4-1-1"} <= set(ids)


def test_labels_are_human(notice):
    labels = {t.id: t.label for t in nm.targets(notice)}
    assert labels["n4-1"] == "通知第四部分第1段"
    assert labels["n4-1-2"] == "通知第四部分第1段第2句"
    assert labels["n0-1"] == "通知导语"


def test_marked_phrases_are_balanced_words(notice):
    """重点标记（==…==）成对出现，去掉标记后不留残余；标出的是词语，不以标点开头或结尾。

    标记内的文字与底本一致由逐字核对（check_fidelity）保证：它比较的是去掉标记后的发布稿。"""
    phrases = []
    for _, para in notice.paragraphs():
        for s in para.sentences:
            assert s.text.count("==") % 2 == 0, f"{s.id} 的重点标记不成对"
            assert "==" not in nm.strip_marks(s.text), s.id
            phrases += nm.marked_phrases(s.text)
    assert phrases, "通知中应有重点标记"
    for phrase in phrases:
        assert phrase and phrase[0] not in "，。、；：" and phrase[-1] not in "，。、；：", phrase


# ---- 坏输入：核对必须能发现问题 ----------------------------------------------------


def _mutated(notice: nm.Notice, sid: str, old: str, new: str) -> nm.Notice:
    data = notice.model_dump(mode="python")
    for part in data["parts"]:
        for para in part["paragraphs"]:
            for s in para["sentences"]:
                if s["id"] == sid:
                    assert old in s["text"]
                    s["text"] = s["text"].replace(old, new, 1)
    return nm.Notice.model_validate(data)


def test_unrecorded_change_is_reported(notice):
    bad = _mutated(notice, "n4-1-2", "台账化管理", "清单化管理")
    report = nm.check_fidelity(bad, RECEIVED.read_text(encoding="utf-8"))
    assert not report.ok
    assert any("未登记的差异" in p and "n4-1-2" in p for p in report.problems)


def test_dropped_sentence_is_reported(notice):
    data = notice.model_dump(mode="python")
    data["parts"][4]["paragraphs"][0]["sentences"].pop(2)
    report = nm.check_fidelity(nm.Notice.model_validate(data), RECEIVED.read_text(encoding="utf-8"))
    assert not report.ok


def test_collation_count_mismatch_is_reported(notice):
    data = notice.model_dump(mode="python")
    data["collation"][1]["count"] += 1
    report = nm.check_fidelity(nm.Notice.model_validate(data), RECEIVED.read_text(encoding="utf-8"))
    assert any("登记了" in p for p in report.problems)


def test_duplicate_id_rejected(notice):
    data = notice.model_dump(mode="json")
    data["parts"][1]["paragraphs"][0]["sentences"][1]["id"] = "n1-1-1"
    with pytest.raises(Exception, match="重复"):
        nm.Notice.model_validate(data)


def test_schema_error_has_line_number():
    text = "received_file: x\nmeta:\n  issuer_mark: a\n  doc_number: 矿安[2024]2号\n"
    src = parse_yaml(text, "data/notice.yml")
    with pytest.raises(DataError) as err:
        validate(nm.Notice, src)
    messages = [str(e) for e in err.value.errors]
    assert any(m.startswith("data/notice.yml:4:") and "doc_number" in m for m in messages)
    assert any("缺少必填字段" in m for m in messages)
