"""The public procedure API: list with search and filters, fields, detail, due-date preview, clear 4xx."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.catalog.services import load_catalog
from tests.catalog.conftest import procedure_record

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def catalog(catalog_file):
    records = [
        procedure_record(
            "1.001193", name="Đăng ký khai sinh", duration_days=0, levels=["commune"], online_level="full"
        ),
        procedure_record(
            "2.000815", name="Chứng thực bản sao", field="Chứng thực", levels=["district", "commune"]
        ),
        procedure_record(
            "HT.0001",
            national_code_known=False,
            name="Cấp Phiếu lý lịch tư pháp",
            field="Lý lịch tư pháp",
            duration_days=10,
            levels=["province"],
            online_level="partial",
        ),
    ]
    load_catalog(catalog_file(records))


def test_list_is_paginated_with_a_total(client, catalog):
    body = client.get("/api/procedures", {"limit": 2}).json()
    assert body["total"] == 3 and body["limit"] == 2 and body["offset"] == 0
    assert [item["code"] for item in body["items"]] == ["1.001193", "2.000815"]
    assert [i["code"] for i in client.get("/api/procedures", {"limit": 2, "offset": 2}).json()["items"]] == [
        "HT.0001"
    ]


def test_list_searches_without_accents_and_filters(client, catalog):
    assert [i["code"] for i in client.get("/api/procedures", {"q": "dang ky khai sinh"}).json()["items"]] == [
        "1.001193"
    ]
    body = client.get("/api/procedures", {"level": "commune", "online_level": "full"}).json()
    assert body["total"] == 1 and body["items"][0]["levels"] == ["commune"]
    assert client.get("/api/procedures", {"field": "Chứng thực"}).json()["total"] == 1


def test_fields_are_listed_with_counts(client, catalog):
    assert client.get("/api/procedures/fields").json() == [
        {"field": "Chứng thực", "count": 1},
        {"field": "Hộ tịch", "count": 1},
        {"field": "Lý lịch tư pháp", "count": 1},
    ]


@pytest.mark.parametrize("code", ["1.001193", "HT.0001"])
def test_detail_accepts_codes_with_dots(client, catalog, code):
    body = client.get(f"/api/procedures/{code}").json()
    assert body["code"] == code
    assert body["version"] == 1
    assert [c["name"] for c in body["components"]] == ["Tờ khai"]
    assert body["fee_lines"] == [{"order": 1, "name": "Lệ phí", "amount": 10000, "note": ""}]
    assert [s["time_share"] for s in body["steps"]] == [10, 60, 20, 10]


def test_due_date_is_at_17_00_vietnam_time_and_not_before_receipt(client, catalog):
    body = client.get("/api/procedures/HT.0001/due-date", {"received_at": "2023-03-06T08:30:00+07:00"}).json()
    received = dt.datetime.fromisoformat(body["received_at"])
    due = dt.datetime.fromisoformat(body["due_at"]).astimezone(VN)
    assert (due.hour, due.minute) == (17, 0)
    assert due >= received
    assert due.date() == dt.date(2023, 3, 20)  # ten working days after Monday 6 March 2023
    assert (body["duration_days"], body["day_kind"]) == (10, "working")


def test_due_date_defaults_to_now_and_reads_naive_times_as_vietnam_time(client, catalog):
    now = client.get("/api/procedures/1.001193/due-date").json()
    assert dt.datetime.fromisoformat(now["due_at"]) >= dt.datetime.fromisoformat(now["received_at"])
    naive = client.get("/api/procedures/1.001193/due-date", {"received_at": "2023-03-06T09:00:00"}).json()
    assert dt.datetime.fromisoformat(naive["received_at"]) == dt.datetime(2023, 3, 6, 9, tzinfo=VN)
    assert dt.datetime.fromisoformat(naive["due_at"]) == dt.datetime(2023, 3, 6, 17, tzinfo=VN)


def test_an_unknown_code_is_404(client, catalog):
    for url in ("/api/procedures/9.999999", "/api/procedures/9.999999/due-date"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "city"}, "level"),
        ({"online_level": "maybe"}, "online_level"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_invalid_filters_are_422_naming_the_field(client, catalog, params, field):
    response = client.get("/api/procedures", params)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]


def test_an_invalid_receipt_time_is_422(client, catalog):
    response = client.get("/api/procedures/1.001193/due-date", {"received_at": "yesterday"})
    assert response.status_code == 422
    assert "received_at" in [error["field"] for error in response.json()["errors"]]
