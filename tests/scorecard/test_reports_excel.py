"""The Excel workbook: a sheet per scope, a title row, a frozen header, the stored numbers as
numbers, met green and missed red."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.scorecard import reports, services
from motcua.scorecard.models import IndicatorResult
from tests.scorecard import dashboard_people
from tests.scorecard.dashboard_people import H1, S1, X1

HEADER = ["Mã chỉ tiêu", "Tên chỉ tiêu", "Tử số", "Mẫu số", "Giá trị (%)", "Chỉ tiêu", "Đạt/Không đạt"]
GREEN, RED = "FFC6EFCE", "FFFFC7CE"


def workbook(plan, period="2023", user=None):
    data = reports.from_stored(services.current_results(plan, period), user)
    return load_workbook(io.BytesIO(reports.workbook_bytes(data)))


def rows_of(sheet):
    """The data rows (below the title and the header) as lists of values."""
    return [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


@pytest.mark.django_db
def test_a_sheet_per_scope_with_a_title_and_a_frozen_header(tiny):
    book = workbook("hatinh-2023")
    assert book.sheetnames == ["Tỉnh", "Cấp tỉnh", "Cấp huyện", "Cấp xã", "Đơn vị"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A3"
        title = sheet["A1"].value
        assert "Kế hoạch cải cách hành chính tỉnh Hà Tĩnh năm 2023" in title
        assert "Năm 2023" in title and "15/01/2024 10:00" in title
    assert [c.value for c in book["Tỉnh"][2]] == HEADER
    assert [c.value for c in book["Đơn vị"][2]] == ["Mã đơn vị", "Tên đơn vị", "Cấp", *HEADER]


@pytest.mark.django_db
def test_the_rows_are_the_stored_numbers_as_numbers(tiny):
    book = workbook("hatinh-2023")
    stored = {
        (r.indicator, r.scope, r.key): r
        for r in IndicatorResult.objects.filter(plan__code="hatinh-2023", period="2023")
    }
    province = {row[0]: row for row in rows_of(book["Tỉnh"])}
    district = {row[0]: row for row in rows_of(book["Cấp huyện"])}
    units = {(row[0], row[3]): row for row in rows_of(book["Đơn vị"])}
    assert sum(len(rows_of(sheet)) for sheet in book.worksheets) == len(stored)
    assert len(units) == sum(1 for (_i, scope, _k) in stored if scope == "unit")
    row = province["online_dossier_rate"]
    expected = stored[("online_dossier_rate", "province", "42")]
    assert row[1].startswith("Tỷ lệ hồ sơ TTHC thuộc danh mục dịch vụ công trực tuyến toàn trình")
    assert (row[2], row[3], Decimal(str(row[4])), row[5], row[6]) == (
        expected.numerator,
        expected.denominator,
        expected.value,
        60,
        "Đạt",
    )
    digitized = district["digitized_results"]
    assert (digitized[5], digitized[6]) == (60, "Không đạt")
    unit = units[(X1, "digitized_results")]
    assert unit[1] == "Ủy ban nhân dân phường Bắc Hà" and unit[2] == "Cấp xã"
    assert unit[8] == 55  # a unit takes its level's target
    sheet = book["Tỉnh"]
    value_cell = next(c for c in sheet["E"][2:] if c.value is not None)
    assert value_cell.number_format == "#,##0.00"
    assert sheet["C3"].number_format == "#,##0"
    assert any(c.number_format == '"≥ "#,##0.00' for c in sheet["F"][2:])


@pytest.mark.django_db
def test_met_rows_are_green_and_missed_rows_red(tiny):
    sheet = workbook("hatinh-2023")["Tỉnh"]
    fills = {}
    for row in sheet.iter_rows(min_row=3):
        verdict = row[6].value
        if verdict:
            fills.setdefault(verdict, set()).add((row[4].fill.fgColor.rgb, row[6].fill.fgColor.rgb))
    assert fills == {"Đạt": {(GREEN, GREEN)}, "Không đạt": {(RED, RED)}}
    tracked = next(row for row in sheet.iter_rows(min_row=3) if row[0].value == "on_time_rate")
    assert tracked[6].value is None and tracked[4].fill.fgColor.rgb != GREEN


@pytest.mark.django_db
def test_the_766_workbook_adds_points_and_totals(tiny):
    book = workbook("qd766")
    assert book.sheetnames == ["Tỉnh", "Cấp xã", "Cấp huyện", "Cấp tỉnh", "Đơn vị"]
    assert [c.value for c in book["Tỉnh"][2]] == [*HEADER, "Điểm", "Điểm tối đa"]
    total = IndicatorResult.objects.get(
        plan__code="qd766", period="2023", indicator="total", scope="province"
    )
    row = next(r for r in rows_of(book["Tỉnh"]) if r[0] == "total")
    assert (row[1], Decimal(str(row[7])), Decimal(str(row[8]))) == (
        "Tổng điểm",
        total.points,
        total.max_points,
    )


@pytest.mark.django_db
def test_the_download_holds_only_the_units_the_reader_sees(client, tiny, make):
    people = dashboard_people.people(make)
    client.force_login(people["leader"])
    response = client.get(reverse("dashboard:export", args=["xlsx"]) + "?plan=hatinh-2023&period=2023")
    assert response["Content-Type"] == reports.CONTENT_TYPES["xlsx"]
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-hatinh-2023-2023.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert {row[0] for row in rows_of(book["Đơn vị"])} == {H1, X1}
    assert S1 not in {row[0] for row in rows_of(book["Đơn vị"])}
