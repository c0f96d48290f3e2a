"""部署单位信息：解析、发布前检查。"""

from __future__ import annotations

import pytest

from studycol import site


def test_defaults_are_valid_and_nationwide():
    ident = site.parse_identity({"column": {"name": "专栏"}})
    assert ident.is_nationwide
    assert set(site.missing_for_release(ident)) == set(site.RELEASE_FIELDS.values())


def test_province_must_be_full_name():
    with pytest.raises(ValueError, match="山西"):
        site.parse_identity({"column": {"name": "专栏", "region": "山西"}})
    assert site.parse_identity({"column": {"name": "专栏", "region": "山西省"}}).region == "山西省"


def test_all_34_provincial_divisions():
    assert len(site.PROVINCES) == 34 and len(set(site.PROVINCES)) == 34


def test_unknown_key_rejected():
    with pytest.raises(ValueError, match="extra.column.oprator"):
        site.parse_identity({"column": {"name": "专栏", "oprator": "x"}})


def test_missing_block():
    with pytest.raises(ValueError, match="extra.column"):
        site.parse_identity({})


def test_complete_identity_passes_release():
    values = {k: "x" for k in site.RELEASE_FIELDS}
    values.update(name="专栏", police_beian_url="https://example.invalid/", site_id_code="1234567890")
    assert site.missing_for_release(site.parse_identity({"column": values})) == []


def test_police_url_must_be_https():
    with pytest.raises(ValueError, match="https"):
        site.parse_identity({"column": {"name": "专栏", "police_beian_url": "http://x"}})
