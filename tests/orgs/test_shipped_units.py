"""The shipped Hà Tĩnh data: three tiers in 2023, two tiers from 1 July 2025, codes by our convention."""

import datetime as dt
import re

from motcua.orgs.choices import UnitKind, UnitLevel
from motcua.orgs.models import Unit
from motcua.orgs.selectors import units_by_level
from tests.orgs.conftest import DAY_2023, DAY_2025


def test_2023_has_13_districts_and_216_communes(ha_tinh):
    assert units_by_level(UnitLevel.DISTRICT, DAY_2023).count() == 13
    assert units_by_level(UnitLevel.COMMUNE, DAY_2023).count() == 216


def test_from_july_2025_there_are_69_communes_60_xa_9_phuong_and_no_district(ha_tinh):
    communes = list(units_by_level(UnitLevel.COMMUNE, DAY_2025))
    assert len(communes) == 69
    assert sum(u.name.startswith("UBND Xã ") for u in communes) == 60
    assert sum(u.name.startswith("UBND Phường ") for u in communes) == 9
    assert not units_by_level(UnitLevel.DISTRICT, DAY_2025).exists()


def test_the_last_day_of_the_three_tiers_is_30_june_2025(ha_tinh):
    assert units_by_level(UnitLevel.DISTRICT, dt.date(2025, 6, 30)).count() == 13
    assert units_by_level(UnitLevel.COMMUNE, dt.date(2025, 6, 30)).count() == 216


def test_the_root_is_the_provincial_peoples_committee(ha_tinh):
    root = Unit.objects.get(code="000.00.00.H29")
    assert (root.name, root.level, root.kind, root.admin_code, root.parent) == (
        "UBND tỉnh Hà Tĩnh",
        UnitLevel.PROVINCE,
        UnitKind.PEOPLE_COMMITTEE,
        "42",
        None,
    )


def test_districts_are_numbered_21_to_33_in_order_of_administrative_code(ha_tinh):
    districts = list(Unit.objects.filter(level=UnitLevel.DISTRICT).order_by("admin_code"))
    assert [d.code for d in districts] == [f"000.00.{nn}.H29" for nn in range(21, 34)]
    assert (districts[0].name, districts[0].admin_code) == ("UBND Thành phố Hà Tĩnh", "436")
    assert districts[-1].name == "UBND Thị xã Kỳ Anh"


def test_2023_communes_are_numbered_within_their_district(ha_tinh):
    first = Unit.objects.get(code="000.01.21.H29")
    assert first.parent.code == "000.00.21.H29"
    assert first.admin_code == "18070"
    assert first.name == "UBND Phường Trần Phú"
    thach_ha_communes = Unit.objects.filter(parent__code="000.00.29.H29").order_by("admin_code")
    assert [u.code for u in thach_ha_communes] == [f"000.{mm:02d}.29.H29" for mm in range(1, 23)]


def test_2025_communes_are_numbered_01_to_69_under_block_40(ha_tinh):
    communes = list(units_by_level(UnitLevel.COMMUNE, DAY_2025).order_by("admin_code"))
    assert [u.code for u in communes] == [f"000.{mm:02d}.40.H29" for mm in range(1, 70)]
    assert communes[0].name == "UBND Phường Thành Sen"
    assert all(u.parent.code == "000.00.00.H29" and u.valid_from == DAY_2025 for u in communes)


def test_names_keep_the_official_spelling(ha_tinh):
    names = set(Unit.objects.values_list("name", flat=True))
    assert {"UBND Thị trấn Nghèn", "UBND Xã Kỳ Đồng", "UBND Phường Kỳ Trinh", "UBND Xã Sơn Kim 1"} <= names
    assert all(
        re.match(r"^UBND (Xã|Phường|Thị trấn) ", n)
        for n in units_by_level("commune").values_list("name", flat=True)
    )


def test_every_2023_commune_and_district_ends_on_30_june_2025(ha_tinh):
    old = Unit.objects.filter(level__in=[UnitLevel.DISTRICT, UnitLevel.COMMUNE], valid_from__isnull=True)
    assert old.count() == 13 + 216
    assert set(old.values_list("valid_to", flat=True)) == {dt.date(2025, 6, 30)}
    communes = old.filter(level=UnitLevel.COMMUNE)
    assert not communes.filter(merged_into__isnull=True).exists()
    assert set(communes.values_list("merged_into__valid_from", flat=True)) == {DAY_2025}


def test_departments_merged_on_1_march_2025(ha_tinh):
    merged = {
        u.name: u.merged_into.name
        for u in Unit.objects.filter(level=UnitLevel.PROVINCE, valid_to=dt.date(2025, 2, 28))
    }
    assert merged == {
        "Sở Kế hoạch và Đầu tư": "Sở Tài chính",
        "Sở Lao động - Thương binh và Xã hội": "Sở Nội vụ",
        "Sở Thông tin và Truyền thông": "Sở Khoa học và Công nghệ",
        "Sở Tài nguyên và Môi trường": "Sở Nông nghiệp và Môi trường",
        "Sở Nông nghiệp và Phát triển nông thôn": "Sở Nông nghiệp và Môi trường",
        "Sở Giao thông vận tải": "Sở Xây dựng",
    }
    assert Unit.objects.get(name="Sở Nông nghiệp và Môi trường").valid_from == dt.date(2025, 3, 1)


def test_provincial_agencies_2023(ha_tinh):
    provincial = Unit.objects.filter(level=UnitLevel.PROVINCE).as_of(DAY_2023)
    kinds = {u.name: u.kind for u in provincial}
    assert kinds["Sở Tư pháp"] == UnitKind.DEPARTMENT
    assert kinds["Công an tỉnh Hà Tĩnh"] == UnitKind.CENTRAL_AGENCY
    assert kinds["Trung tâm Phục vụ hành chính công tỉnh"] == UnitKind.SERVICE_UNIT
    assert "Sở Du lịch" not in kinds  # Hà Tĩnh's tourism is under Sở Văn hóa, Thể thao và Du lịch
    assert provincial.filter(kind=UnitKind.DEPARTMENT).count() == 19


def test_every_unit_has_the_path_of_its_parent(ha_tinh):
    for unit in Unit.objects.select_related("parent"):
        parent_path = unit.parent.path if unit.parent else "/"
        assert unit.path == f"{parent_path}{unit.pk}/"
