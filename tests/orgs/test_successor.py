"""A unit's successor on a day: itself while in force, else along `merged_into`."""

import datetime as dt

import pytest

from motcua.orgs.models import Unit
from motcua.orgs.selectors import successor_as_of
from tests.orgs.conftest import DAY_2023, DAY_2025


def test_a_2023_commune_is_carried_on_by_the_2025_commune_it_merged_into(ha_tinh):
    xuan_thanh = ha_tinh("UBND Xã Xuân Thành")  # Nghi Xuân district, 2023
    assert xuan_thanh.merged_into == ha_tinh("UBND Xã Tiên Điền")
    assert successor_as_of(xuan_thanh, DAY_2025) == ha_tinh("UBND Xã Tiên Điền")


def test_a_commune_became_a_ward_of_a_new_name(ha_tinh):
    thach_ha = ha_tinh("UBND Xã Thạch Hạ")  # thành phố Hà Tĩnh, code 18100
    assert successor_as_of(thach_ha, DAY_2025).name == "UBND Phường Trần Phú"
    assert successor_as_of(thach_ha, DAY_2025).admin_code == "18100"


def test_the_2023_ward_tran_phu_went_to_thanh_sen_not_to_the_new_tran_phu(ha_tinh):
    # Same name, different place: the 2023 ward merged into Phường Thạch Linh's successor on 1 January 2025.
    old_tran_phu = Unit.objects.get(code="000.01.21.H29")
    assert (old_tran_phu.name, old_tran_phu.admin_code) == ("UBND Phường Trần Phú", "18070")
    assert successor_as_of(old_tran_phu, DAY_2025).name == "UBND Phường Thành Sen"


def test_a_unit_in_force_is_its_own_successor(ha_tinh):
    xuan_thanh = ha_tinh("UBND Xã Xuân Thành")
    assert successor_as_of(xuan_thanh, DAY_2023) == xuan_thanh


def test_a_district_has_no_successor_after_the_two_tier_reform(ha_tinh):
    assert successor_as_of(ha_tinh("UBND Huyện Can Lộc"), DAY_2025) is None


def test_a_unit_has_no_successor_before_it_existed(ha_tinh):
    assert successor_as_of(ha_tinh("UBND Xã Tiên Điền"), DAY_2023) is None


def test_a_department_merged_on_1_march_2025_is_carried_on_by_the_one_that_absorbed_it(ha_tinh):
    labour = ha_tinh("Sở Lao động - Thương binh và Xã hội")
    assert successor_as_of(labour, dt.date(2025, 2, 28)) == labour
    assert successor_as_of(labour, dt.date(2025, 3, 1)) == ha_tinh("Sở Nội vụ")
    agriculture = ha_tinh("Sở Nông nghiệp và Phát triển nông thôn")
    assert successor_as_of(agriculture, DAY_2025) == ha_tinh("Sở Nông nghiệp và Môi trường")


@pytest.mark.django_db
def test_a_merge_loop_in_the_data_ends_the_search(make):
    a = make.unit(valid_to=dt.date(2024, 12, 31))
    b = make.unit(valid_to=dt.date(2024, 12, 31), merged_into=a)
    a.merged_into = b
    a.save()
    assert successor_as_of(a, DAY_2025) is None
