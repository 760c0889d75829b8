"""The public calendar API: answers, and bad input answered 4xx naming the field."""

import pytest

pytestmark = pytest.mark.django_db


def get(client, path: str, **params):
    return client.get(f"/api/calendar/{path}", params)


def test_a_make_up_saturday_is_a_working_day_with_its_reason(client):
    body = get(client, "working-day", date="2024-05-04").json()
    assert body["working"] is True and body["weekday"] == "Thứ Bảy"
    assert body["reason"].startswith("swap: Làm bù thứ Bảy 04/05/2024")
    assert body["legal_basis"].startswith("Công văn 2450/VPCP-KGVX")


def test_a_tet_day_names_the_holiday(client):
    body = get(client, "working-day", date="2023-01-23").json()
    assert body == {
        "date": "2023-01-23",
        "weekday": "Thứ Hai",
        "working": False,
        "reason": "holiday: Mùng hai Tết Nguyên Đán",
        "legal_basis": "",
    }
    assert get(client, "working-day", date="2023-03-11").json()["reason"] == "weekend"


def test_adding_working_days(client):
    assert get(client, "add-working-days", date="2024-04-26", days=3).json() == {
        "date": "2024-04-26",
        "days": 3,
        "result": "2024-05-04",
    }


def test_a_due_date_from_a_time_stamp_in_utc(client):
    body = get(client, "due-date", received_at="2023-10-08T10:00:00Z", duration_days=0).json()
    assert body == {
        "received_at": "2023-10-08T17:00:00+07:00",
        "duration_days": 0,
        "day_kind": "working",
        "receipt_day": "2023-10-09",
        "due_at": "2023-10-09T17:00:00+07:00",
    }


def test_a_due_date_in_calendar_days_counts_from_the_receipt_date(client):
    body = get(
        client, "due-date", received_at="2023-03-02T10:00:00", duration_days=3, day_kind="calendar"
    ).json()
    assert (body["receipt_day"], body["due_at"]) == ("2023-03-02", "2023-03-06T17:00:00+07:00")


def test_an_unencoded_plus_in_the_offset_is_understood(client):
    response = client.get("/api/calendar/due-date?received_at=2023-03-03T18:30:00+07:00&duration_days=10")
    assert response.json()["due_at"] == "2023-03-20T17:00:00+07:00"


def test_without_a_time_stamp_the_due_date_counts_from_now(client):
    body = get(client, "due-date", duration_days=1).json()
    assert body["due_at"].endswith("T17:00:00+07:00")


def test_a_year_lists_its_days_off_and_make_up_days(client):
    body = get(client, "holidays", year=2024).json()
    listed = {d["date"]: d for d in body["days"]}
    assert listed["2024-05-04"]["working"] is True
    assert listed["2024-04-29"]["working"] is False
    assert listed["2024-02-12"]["reason"] == "holiday: Mùng ba Tết Nguyên Đán"
    assert body["year"] == 2024 and "2024-03-11" not in listed


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("working-day", {"date": "2023-13-01"}, "date"),
        ("working-day", {"date": "not-a-date"}, "date"),
        ("working-day", {}, "date"),
        ("working-day", {"date": "1980-01-01"}, "date"),
        ("add-working-days", {"date": "2024-04-26", "days": -1}, "days"),
        ("add-working-days", {"date": "2024-04-26", "days": "x"}, "days"),
        ("add-working-days", {"date": "2100-12-20", "days": 30}, "days"),
        ("add-working-days", {"date": "3000-01-01", "days": 1}, "date"),
        ("due-date", {"duration_days": -2}, "duration_days"),
        ("due-date", {"duration_days": 2, "day_kind": "weeks"}, "day_kind"),
        ("due-date", {"duration_days": 2, "received_at": "yesterday"}, "received_at"),
        ("due-date", {"duration_days": 2, "received_at": "1970-01-01T10:00:00"}, "received_at"),
        ("due-date", {"duration_days": 36500, "received_at": "2099-01-01T10:00:00"}, "duration_days"),
        ("holidays", {"year": 1989}, "year"),
        ("holidays", {"year": 2101}, "year"),
        ("holidays", {"year": "abc"}, "year"),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, path, params, field):
    response = get(client, path, **params)
    assert response.status_code in (400, 422), response.content
    body = response.json()
    named = [body.get("field")] + [e["field"] for e in body.get("errors", [])]
    assert field in named, body
