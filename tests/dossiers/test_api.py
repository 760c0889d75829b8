"""The dossier API: each face (citizen, officer, leader), its scope, and clear 4xx answers."""

import pytest

from motcua.dossiers import services
from tests.dossiers.conftest import PDF

pytestmark = pytest.mark.urls("tests.dossiers.urls")
BASE = "/api/dossiers"


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def post(client, path, payload=None):
    return client.post(f"{BASE}{path}", payload or {}, content_type="application/json")


def _upload(client, name="to-khai.pdf", content=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"{BASE}/files", {"file": SimpleUploadedFile(name, content, "application/pdf")})


def test_signed_out_callers_get_401(client):
    assert client.get(f"{BASE}/mine").status_code == 401


def test_a_citizen_files_online_and_follows_the_dossier(world, as_user):
    client = as_user(world.citizen)
    first = _upload(client).json()["id"]
    second = _upload(client, "cccd.pdf", PDF + b"% cccd\n").json()["id"]

    answer = post(
        client,
        "",
        {
            "unit": world.commune.code,
            "procedure": world.procedure.code,
            "documents": [
                {"component": 1, "source": "upload", "file_id": first},
                {"component": 2, "source": "upload", "file_id": second},
            ],
        },
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["status"], body["status_code"], body["channel_code"]) == ("new", 1, 2)
    assert body["allowed_actions"] == ["withdraw"]
    assert [e["action"] for e in body["timeline"]] == ["submit_online"]

    mine = client.get(f"{BASE}/mine").json()
    assert [d["code"] for d in mine] == [body["code"]]
    detail = client.get(f"{BASE}/{body['code']}").json()
    assert len(detail["documents"]) == 2


def test_an_officer_works_the_queue_through_the_api(world, as_user):
    dossier = world.submit()
    client = as_user(world.counter)

    queue = client.get(f"{BASE}/queue").json()
    assert [d["code"] for d in queue] == [dossier.code]

    accepted = post(client, f"/{dossier.code}/accept", {"version": dossier.version})
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert body["status"] == "received" and body["due_at"] is not None
    assert body["current_step"]["name"] == "Tiếp nhận hồ sơ"
    assert "complete_step" in body["allowed_actions"]

    moved = post(
        client, f"/{dossier.code}/complete-step", {"note": "Chuyển xử lý", "version": body["version"]}
    )
    assert moved.json()["current_step"]["name"] == "Thẩm định hồ sơ"
    # The step left the counter: the counter officer's queue no longer holds it.
    assert client.get(f"{BASE}/queue").json() == []


def test_a_stale_version_is_409_with_a_clear_message(world, as_user):
    dossier = world.receive()
    client = as_user(world.counter)
    answer = post(
        client, f"/{dossier.code}/complete-step", {"version": dossier.version - 1 if dossier.version else 99}
    )
    assert answer.status_code == 409
    assert "cập nhật bởi người khác" in answer.json()["detail"]


def test_an_illegal_action_is_409_naming_the_allowed_ones(world, as_user):
    dossier = world.receive()
    answer = post(as_user(world.counter), f"/{dossier.code}/return", {"method": "counter"})
    assert answer.status_code == 409
    assert "complete_step" in answer.json()["allowed"]


def test_a_missing_role_is_403(world, as_user):
    dossier = world.receive()
    answer = post(as_user(world.processor), f"/{dossier.code}/complete-step")
    assert answer.status_code == 403


ENDPOINTS = [
    ("get", ""),
    ("get", "/files/1"),
    ("post", "/accept"),
    ("post", "/refuse"),
    ("post", "/assign"),
    ("post", "/complete-step"),
    ("post", "/forward"),
    ("post", "/supplement-requests"),
    ("post", "/supply"),
    ("post", "/approve"),
    ("post", "/reject"),
    ("post", "/stop"),
    ("post", "/apologies"),
    ("post", "/return"),
    ("post", "/withdraw"),
]
PAYLOADS = {
    "/refuse": {"reasons": "x"},
    "/assign": {"officer": "mc_b"},
    "/forward": {"to_unit": "000.00.01.H42"},
    "/supplement-requests": {"reason": "x"},
    "/reject": {"reasons": "x"},
    "/stop": {"reasons": "x"},
    "/apologies": {"reason": "x", "new_due_at": "2999-01-01T17:00:00+07:00"},
    "/withdraw": {"reason": "x"},
}


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_another_communes_officer_gets_404_on_every_endpoint(world, as_user, method, path):
    dossier = world.receive()
    client = as_user(world.counter_b)
    url = f"{BASE}/{dossier.code}{path}"
    if method == "get":
        answer = client.get(url)
    else:
        answer = client.post(url, PAYLOADS.get(path, {}), content_type="application/json")
    assert answer.status_code == 404, answer.content


def test_a_citizen_sees_only_their_own_dossiers(world, as_user):
    from tests import factories

    dossier = world.receive()
    stranger = factories.citizen()
    client = as_user(stranger)
    assert client.get(f"{BASE}/{dossier.code}").status_code == 404
    assert client.get(f"{BASE}/mine").json() == []
    assert as_user(world.citizen).get(f"{BASE}/{dossier.code}").status_code == 200


def test_bad_input_is_4xx_with_a_reason(world, as_user):
    client = as_user(world.counter)
    unknown_unit = post(
        client,
        "/counter",
        {"unit": "X", "procedure": world.procedure.code, "applicant": {"name": "A"}, "documents": []},
    )
    assert unknown_unit.status_code == 400 and unknown_unit.json()["field"] == "unit"

    missing = post(
        client,
        "/counter",
        {
            "unit": world.commune.code,
            "procedure": world.procedure.code,
            "applicant": {"name": "A"},
            "documents": [],
        },
    )
    assert missing.status_code == 400 and "Thiếu thành phần" in missing.json()["detail"]

    malformed = post(client, "/counter", {"unit": world.commune.code})
    assert malformed.status_code == 422

    bad_source = post(
        client,
        "/counter",
        {
            "unit": world.commune.code,
            "procedure": world.procedure.code,
            "applicant": {"name": "A"},
            "documents": [{"component": 1, "source": "fax"}],
        },
    )
    assert bad_source.status_code == 400 and bad_source.json()["field"] == "documents[0].source"

    assert client.get(f"{BASE}/queue?status=bogus").status_code == 400


def test_an_upload_of_the_wrong_type_is_refused_with_the_reason(world, as_user):
    answer = _upload(as_user(world.citizen), "virus.exe", b"MZ\x90\x00 not a pdf")
    assert answer.status_code == 400
    assert "PDF, PNG, JPEG, DOCX" in answer.json()["detail"]


def test_the_result_file_is_downloadable_by_the_applicant_only(world, as_user):
    dossier = world.receive()
    services.complete_step(world.counter, dossier)
    services.complete_step(world.processor, dossier)
    services.approve(world.leader, dossier)

    url = f"{BASE}/{dossier.code}/files/{dossier.result_file_id}"
    answer = as_user(world.citizen).get(url)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content).startswith(b"PK")
    # A file that is not the dossier's is not served through it.
    other = world.upload(world.citizen, "khac")
    assert as_user(world.citizen).get(f"{BASE}/{dossier.code}/files/{other}").status_code == 404


def test_store_offers_for_a_procedure(world, as_user):
    from motcua.documents import services as documents

    documents.add_store_item(
        actor=None,
        owner_kind="person",
        owner_id_number=world.citizen.citizen_id,
        document_type="cccd",
        name="Căn cước công dân",
    )
    offers = as_user(world.citizen).get(f"{BASE}/store/offers?procedure={world.procedure.code}").json()
    by_number = {o["component"]: o for o in offers}
    assert by_number[2]["reusable"] and by_number[2]["items"][0]["name"] == "Căn cước công dân"
    assert not by_number[1]["reusable"]


def test_leaders_see_counts_per_unit(world, as_user):
    world.receive()
    world.submit()
    overview = as_user(world.leader).get(f"{BASE}/overview").json()
    assert overview == [
        {
            "unit": world.commune.code,
            "name": world.commune.name,
            "total": 2,
            "open": 1,
            "late": 0,
            "by_status": {"new": 1, "received": 1},
        }
    ]


def test_national_codes_are_listed(world, as_user):
    codes = as_user(world.citizen).get(f"{BASE}/codes").json()
    assert {"value": "waiting_supplement", "label": "Chờ bổ sung", "national_code": 5} in codes["statuses"]
    assert {c["value"]: c["national_code"] for c in codes["channels"]} == {
        "counter": 1,
        "online": 2,
        "postal": 3,
    }


def test_the_whole_life_through_the_api(world, as_user, django_capture_on_commit_callbacks):
    dossier = world.receive()
    code = dossier.code
    counter, processor, leader = as_user(world.counter), None, None
    assert post(counter, f"/{code}/complete-step").status_code == 200
    processor = as_user(world.processor)
    assert (
        post(
            processor, f"/{code}/supplement-requests", {"reason": "Bổ sung", "items": ["Tờ khai"]}
        ).status_code
        == 200
    )
    citizen = as_user(world.citizen)
    assert post(citizen, f"/{code}/supply").status_code == 200
    processor = as_user(world.processor)
    assert post(processor, f"/{code}/complete-step").status_code == 200
    leader = as_user(world.leader)
    approved = post(leader, f"/{code}/approve", {"note": "Đồng ý"})
    assert approved.status_code == 200 and approved.json()["outcome"] == "approved"
    returned = post(as_user(world.counter), f"/{code}/return", {"method": "counter"})
    body = returned.json()
    assert body["status"] == "returned" and body["status_code"] == 10
    assert [e["action"] for e in body["timeline"]] == [
        "receive_at_counter",
        "complete_step",
        "request_supplement",
        "supply",
        "complete_step",
        "approve",
        "return_result",
    ]
    assert all(s["on_time"] in (True, None) for s in body["steps"])


def test_lists_cost_the_same_queries_for_one_dossier_or_many(world, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(world.leader)

    def cost():
        client.get(f"{BASE}/queue?all_roles=true")  # warm the session and the calendar
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(f"{BASE}/queue?all_roles=true")
        return len(queries), len(answer.json())

    world.receive()
    one = cost()
    for _ in range(4):
        services.complete_step(world.counter, world.receive())
    many = cost()
    assert (one[1], many[1]) == (1, 5)
    assert one[0] == many[0]
