"""The Hà Tĩnh demo catalog that ships with motcua loads and is complete enough to run dossiers on."""

import json
import re
from decimal import Decimal

import pytest

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.services import DEFAULT_CATALOG, load_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    return load_catalog()


def test_the_shipped_catalog_loads_at_least_sixty_procedures(loaded):
    assert loaded.created == loaded.total >= 60
    assert Procedure.objects.count() == loaded.total


def test_it_spans_the_three_levels(loaded):
    assert Procedure.objects.filter(at_province=True).count() >= 10
    assert Procedure.objects.filter(at_district=True).count() >= 10
    assert Procedure.objects.filter(at_commune=True).count() >= 10


def test_it_covers_the_fields_a_province_handles(loaded):
    fields = set(Procedure.objects.values_list("field", flat=True))
    expected = {
        "Hộ tịch",
        "Chứng thực",
        "Thành lập và hoạt động của hộ kinh doanh",
        "Thành lập và hoạt động doanh nghiệp",
        "Lý lịch tư pháp",
        "Đất đai",
        "Hoạt động xây dựng",
        "Bảo trợ xã hội",
        "Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân",
        "Khám bệnh, chữa bệnh",
        "Đường bộ",
        "Việc làm",
        "Văn hóa",
        "Thú y",
        "Môi trường",
        "Đầu tư tại Việt Nam",
        "Thi đua, khen thưởng",
    }
    assert expected <= fields


def test_every_procedure_has_an_internal_process_whose_shares_add_up_to_100(loaded):
    for procedure in Procedure.objects.prefetch_related("steps"):
        steps = list(procedure.steps.all())
        assert steps, procedure.code
        assert sum(step.time_share for step in steps) == Decimal(100), procedure.code
        assert [s.order for s in steps] == list(range(1, len(steps) + 1))


def test_every_procedure_is_published_as_version_1(loaded):
    assert ProcedureVersion.objects.count() == loaded.total
    assert set(Procedure.objects.values_list("version", flat=True)) == {1}


def test_national_codes_have_the_national_format_and_local_codes_say_so(loaded):
    national = re.compile(r"^\d\.\d{6}$")
    for code, known in Procedure.objects.values_list("code", "national_code_known"):
        if known:
            assert national.match(code), code
        else:
            assert code.startswith("HT."), code


def test_fees_equal_their_fee_lines(loaded):
    for procedure in Procedure.objects.prefetch_related("fee_lines"):
        lines = list(procedure.fee_lines.all())
        if lines:
            assert sum(line.amount for line in lines) == procedure.fee, procedure.code


def test_internal_procedures_are_there_with_a_published_mix(loaded):
    internal = Procedure.objects.filter(internal=True)
    assert internal.count() >= 4
    assert internal.filter(published=True).exists()
    assert internal.filter(published=False).exists()


def test_components_name_document_types_the_data_store_can_match(loaded):
    birth = Procedure.objects.get(code="1.001193")
    types = set(birth.components.values_list("document_type", flat=True))
    assert {"cccd", "giay_chung_sinh"} <= types
    cccd = birth.components.get(document_type="cccd")
    assert cccd.from_store and cccd.national_db == "population"


def test_well_known_rules_are_as_published(loaded):
    birth = Procedure.objects.get(code="1.001193")
    assert (birth.duration_days, birth.fee, birth.at_commune) == (0, 0, True)
    marriage = Procedure.objects.get(code="1.000894")
    assert (marriage.duration_days, marriage.fee) == (0, 0)
    copy = Procedure.objects.get(code="2.000815")
    assert copy.fee == 2000
    household = Procedure.objects.get(code="1.001612")
    assert (household.duration_days, household.fee, household.at_district) == (3, 100000, True)
    records = Procedure.objects.get(name__startswith="Cấp Phiếu lý lịch tư pháp")
    assert (records.duration_days, records.day_kind, records.fee) == (10, "calendar", 200000)
    house = Procedure.objects.get(name="Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ")
    assert (house.duration_days, house.day_kind, house.at_district) == (15, "calendar", True)


def test_the_file_is_utf8_json_in_the_documented_format():
    doc = json.loads(DEFAULT_CATALOG.read_text(encoding="utf-8"))
    assert doc["format"] == "motcua-catalog" and doc["version"] == 1
