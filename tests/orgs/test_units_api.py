"""`/api/units`: public reads as of a day — the flat list, the tree, one unit."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_list_as_of_2023_has_the_13_districts(client, ha_tinh):
    response = client.get("/api/units", {"as_of": "2023-12-31", "level": "district"})
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 13
    assert body[0] == {
        "code": "000.00.21.H29",
        "name": "UBND Thành phố Hà Tĩnh",
        "kind": "people_committee",
        "level": "district",
        "parent": "000.00.00.H29",
        "admin_code": "436",
        "valid_from": None,
        "valid_to": "2025-06-30",
    }


def test_the_list_as_of_july_2025_has_69_communes_and_no_district(client, ha_tinh):
    assert len(client.get("/api/units", {"as_of": "2025-07-01", "level": "commune"}).json()) == 69
    assert client.get("/api/units", {"as_of": "2025-07-01", "level": "district"}).json() == []


def test_the_list_by_parent_gives_the_communes_of_a_district(client, ha_tinh):
    body = client.get("/api/units", {"as_of": "2023-12-31", "parent": "000.00.32.H29"}).json()
    assert len(body) == 12  # huyện Lộc Hà
    assert {u["parent"] for u in body} == {"000.00.32.H29"}


def test_the_list_searches_code_and_name(client, ha_tinh):
    names = [u["name"] for u in client.get("/api/units", {"as_of": "2023-12-31", "q": "Sở Tư"}).json()]
    assert names == ["Sở Tư pháp"]
    codes = [u["code"] for u in client.get("/api/units", {"as_of": "2025-07-01", "q": ".69.40."}).json()]
    assert codes == ["000.69.40.H29"]


def test_the_tree_nests_communes_under_districts_in_2023(client, ha_tinh):
    response = client.get("/api/units/tree", {"as_of": "2023-12-31"})
    assert response.status_code == 200
    (root,) = response.json()
    assert root["code"] == "000.00.00.H29"
    districts = [c for c in root["children"] if c["level"] == "district"]
    assert len(districts) == 13
    assert sum(len(d["children"]) for d in districts) == 216
    office = next(c for c in root["children"] if c["name"] == "Văn phòng UBND tỉnh")
    assert [c["name"] for c in office["children"]] == ["Trung tâm Phục vụ hành chính công tỉnh"]


def test_the_tree_has_two_tiers_from_july_2025(client, ha_tinh):
    (root,) = client.get("/api/units/tree", {"as_of": "2025-07-01"}).json()
    communes = [c for c in root["children"] if c["level"] == "commune"]
    assert len(communes) == 69
    assert all(c["children"] == [] for c in communes)


def test_the_detail_names_the_parent_the_successor_and_the_merge(client, ha_tinh):
    code = ha_tinh("UBND Xã Xuân Thành").code
    body = client.get(f"/api/units/{code}").json()
    assert body["parent_unit"] == {"code": "000.00.26.H29", "name": "UBND Huyện Nghi Xuân"}
    assert body["merged_into"]["name"] == "UBND Xã Tiên Điền"
    assert body["successor_today"]["name"] == "UBND Xã Tiên Điền"  # today is after 1 July 2025
    tien_dien = client.get(f"/api/units/{body['merged_into']['code']}").json()
    assert {u["name"] for u in tien_dien["merged_from"]} == {
        "UBND Thị trấn Tiên Điền",
        "UBND Xã Xuân Yên",
        "UBND Xã Xuân Mỹ",
        "UBND Xã Xuân Thành",
    }
    assert "1665/NQ-UBTVQH15" in tien_dien["note"]


def test_an_unknown_code_is_404(client, db):
    response = client.get("/api/units/000.99.99.H29")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize("url", ["/api/units", "/api/units/tree"])
def test_a_malformed_date_is_422_naming_the_field(client, db, url):
    response = client.get(url, {"as_of": "31/12/2023"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["as_of"]


def test_an_unknown_level_is_422(client, db):
    response = client.get("/api/units", {"level": "hamlet"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "level"


def test_an_unknown_parent_is_404(client, db):
    assert client.get("/api/units", {"parent": "NOPE"}).status_code == 404
