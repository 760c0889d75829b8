"""The scorecard API: stored results scoped to the reader, rankings, drill-down, reported values."""

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from motcua.accounts.choices import Role
from motcua.api import api as motcua_api
from motcua.orgs.models import Unit
from motcua.scorecard.api import router
from motcua.scorecard.models import ResultSet

# The router on an API of its own, with motcua's domain-error handlers (4xx answers).
test_api = NinjaAPI(urls_namespace="scorecard-tests")
test_api.add_router("/scorecard", router)
for exc_class, handler in motcua_api._exception_handlers.items():
    test_api.add_exception_handler(exc_class, handler)
client = TestClient(test_api)

S1, H1, X1 = "000.00.01.H29", "000.00.21.H29", "000.01.21.H29"


@pytest.fixture
def people(tiny, make):
    root = Unit.objects.get(code="000.00.00.H29")
    return {
        "manager": make.user("quanly", unit=root, role=Role.REFORM_MANAGER),
        "commune": make.user("canbo-xa", unit=Unit.objects.get(code=X1), role=Role.PROCESSING_OFFICER),
        "citizen": make.citizen(),
    }


def get(path, user):
    return client.get(f"/scorecard{path}", user=user)


@pytest.mark.django_db
def test_results_need_a_signed_in_official(people):
    assert client.get("/scorecard/qd766/2023").status_code == 401
    assert get("/qd766/2023", people["citizen"]).status_code == 403


@pytest.mark.django_db
def test_a_reform_manager_sees_every_row_as_stored(people):
    response = get("/qd766/2023", people["manager"])
    assert response.status_code == 200
    body = response.json()
    assert (body["plan"], body["period"], body["as_of"]) == ("qd766", "2023", "2024-01-15T10:00:00+07:00")
    assert len(body["results"]) == 85
    assert body["results"][-1] == {
        "indicator": "total",
        "scope": "unit",
        "key": X1,
        "points": 35.05,
        "max_points": 82.0,
        "value": 42.74,
    }
    assert ResultSet.objects.filter(plan__code="qd766", period="2023").exists()


@pytest.mark.django_db
def test_a_unit_official_sees_their_unit_and_the_aggregates(people):
    results = get("/hatinh-2023/2023", people["commune"]).json()["results"]
    assert {r["key"] for r in results if r["scope"] == "unit"} == {X1}
    assert {r["scope"] for r in results} == {"province", "level", "unit"}


@pytest.mark.django_db
def test_rankings_order_units_of_a_level(people, make):
    response = get("/qd766/2023/rankings?indicator=total&level=province", people["manager"])
    assert [(r["rank"], r["unit"], r["value"]) for r in response.json()] == [(1, S1, 66.43)]
    ranking = get("/hatinh-2023/2023/rankings?indicator=on_time_rate&level=commune", people["commune"]).json()
    assert [(r["rank"], r["unit"], r["numerator"], r["denominator"]) for r in ranking] == [(1, X1, 1, 5)]


@pytest.mark.django_db
def test_drilldown_lists_the_dossiers_behind_a_number(people):
    response = get(
        f"/hatinh-2023/2023/drilldown?indicator=on_time_rate&scope=unit&key={X1}", people["manager"]
    )
    body = response.json()
    assert body["kind"] == "dossier"
    assert body["lists"]["numerator"] == {"count": 1, "items": ["D5"]}
    assert body["lists"]["denominator"] == {"count": 5, "items": ["D10", "D12", "D3", "D4", "D5"]}
    page = get(
        f"/hatinh-2023/2023/drilldown?indicator=on_time_rate&scope=unit&key={X1}&offset=3&limit=10",
        people["manager"],
    ).json()
    assert page["lists"]["denominator"] == {"count": 5, "items": ["D4", "D5"]}


@pytest.mark.django_db
def test_drilldown_is_scoped_to_the_readers_dossiers(people):
    assert (
        get(
            f"/hatinh-2023/2023/drilldown?indicator=on_time_rate&scope=unit&key={S1}", people["commune"]
        ).status_code
        == 403
    )
    body = get(
        "/hatinh-2023/2023/drilldown?indicator=on_time_rate&scope=province&key=42", people["commune"]
    ).json()
    assert body["lists"]["denominator"]["items"] == ["D10", "D12", "D3", "D4", "D5"]


@pytest.mark.django_db
def test_bad_requests_name_the_problem(people):
    response = get("/qd766/2023-13", people["manager"])
    assert response.status_code == 400 and response.json()["field"] == "period"
    assert get("/nope/2023", people["manager"]).status_code == 404
    missing = get("/qd766/2023/drilldown?indicator=nope&scope=province&key=42", people["manager"])
    assert missing.status_code == 404 and missing.json()["field"] == "indicator"


@pytest.mark.django_db
def test_plans_lists_the_shipped_definitions(people):
    plans = get("/plans", people["commune"]).json()
    assert [(p["code"], p["kind"]) for p in plans] == [("hatinh-2023", "plan"), ("qd766", "index")]


@pytest.mark.django_db
def test_a_value_is_reported_approved_and_then_counted(people):
    commune, manager = people["commune"], people["manager"]
    posted = client.post(
        "/scorecard/reported-values",
        json={
            "plan": "hatinh-2023",
            "indicator": "par_plan_issued",
            "period": "2023",
            "unit": X1,
            "value": 1,
        },
        user=commune,
    )
    assert posted.status_code == 200 and posted.json()["status"] == "submitted"
    value_id = posted.json()["id"]
    assert (
        client.post(f"/scorecard/reported-values/{value_id}/approve", json={}, user=commune).status_code
        == 403
    )
    approved = client.post(
        f"/scorecard/reported-values/{value_id}/approve", json={"note": "Đạt"}, user=manager
    )
    assert approved.json()["status"] == "approved"
    listed = client.get("/scorecard/reported-values?plan=hatinh-2023&period=2023", user=commune).json()
    assert [(v["unit"], v["status"]) for v in listed] == [(X1, "approved")]
    results = get("/hatinh-2023/2023", commune).json()["results"]
    assert [r["value"] for r in results if r["indicator"] == "par_plan_issued" and r["scope"] == "unit"] == [
        100.0
    ]
