import pytest

pytestmark = pytest.mark.django_db


def test_home_page_answers(client):
    assert client.get("/").status_code == 200


def test_openapi_schema_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "motcua API"
