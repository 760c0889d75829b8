"""Searching the catalog ignores case and Vietnamese diacritics, and filters by level, field and online level."""

import pytest

from motcua.catalog import selectors
from motcua.catalog.search import fold

pytestmark = pytest.mark.django_db


def test_fold_removes_diacritics_and_d_bar():
    assert fold("  Đăng ký KHAI SINH  ") == "dang ky khai sinh"
    assert fold("Chứng thực hợp đồng, giao dịch") == "chung thuc hop dong, giao dich"


def test_a_query_without_accents_finds_the_accented_name(make):
    birth = make.procedure("1.001193", name="Đăng ký khai sinh")
    make.procedure("1.000656", name="Đăng ký khai tử")
    assert list(selectors.search_procedures(query="dang ky khai sinh")) == [birth]
    assert list(selectors.search_procedures(query="ĐĂNG KÝ khai SINH")) == [birth]
    assert list(selectors.search_procedures(query="khai sinh dang")) == [birth]


def test_the_code_and_the_field_are_searched_too(make):
    birth = make.procedure("1.001193", name="Đăng ký khai sinh", field="Hộ tịch")
    copy = make.procedure("2.000815", name="Chứng thực bản sao", field="Chứng thực")
    assert list(selectors.search_procedures(query="1.001193")) == [birth]
    assert list(selectors.search_procedures(query="chung thuc")) == [copy]
    assert list(selectors.search_procedures(query="ho tich")) == [birth]


def test_renaming_keeps_the_search_key_current(make):
    procedure = make.procedure(name="Tên cũ")
    procedure.name = "Cấp giấy phép xây dựng"
    procedure.save(update_fields=["name"])
    assert list(selectors.search_procedures(query="giay phep xay dung")) == [procedure]


def test_filters_by_level_field_and_online_level(make):
    commune = make.procedure(name="Xã", at_commune=True, online_level="full")
    district = make.procedure(name="Huyện", at_district=True, field="Chứng thực", online_level="partial")
    both = make.procedure(name="Cả hai", at_commune=True, at_district=True)
    assert set(selectors.search_procedures(level="commune")) == {commune, both}
    assert set(selectors.search_procedures(level="district")) == {district, both}
    assert list(selectors.search_procedures(field="Chứng thực")) == [district]
    assert list(selectors.search_procedures(online_level="full")) == [commune]
    assert list(selectors.search_procedures(level="province")) == []


def test_unpublished_procedures_are_not_public(make):
    make.procedure(name="Chưa công bố", published=False)
    assert list(selectors.search_procedures(query="chua cong bo")) == []
