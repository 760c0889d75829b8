"""The public catalog: search without accents, filters, and a procedure's page."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(world):
    factories.procedure(
        "1.001193", name="Đăng ký khai sinh", field="Hộ tịch", at_commune=True, online_level="full"
    )
    factories.procedure(
        "1.000656", name="Đăng ký khai tử", field="Hộ tịch", at_commune=True, online_level="partial"
    )
    factories.procedure(
        "2.000001",
        name="Cấp giấy phép xây dựng",
        field="Hoạt động xây dựng",
        at_province=True,
        online_level="none",
    )
    return world


def test_searching_without_accents_finds_the_vietnamese_name(client, catalog):
    body = client.get("/procedures/", {"q": "dang ky khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in body
    assert "Đăng ký khai tử" not in body
    assert "Tìm thấy 1 thủ tục." in body


def test_filters_narrow_by_level_field_and_online_level(client, catalog):
    by_level = client.get("/procedures/", {"level": "province"}).content.decode()
    assert "Cấp giấy phép xây dựng" in by_level and "Đăng ký khai sinh" not in by_level
    by_field = client.get("/procedures/", {"field": "Hộ tịch"}).content.decode()
    assert "Đăng ký khai sinh" in by_field and "Đăng ký khai tử" in by_field
    assert "Cấp giấy phép xây dựng" not in by_field
    by_online = client.get("/procedures/", {"online": "partial"}).content.decode()
    assert "Đăng ký khai tử" in by_online and "Đăng ký khai sinh" not in by_online


def test_an_htmx_search_gets_only_the_results(client, catalog):
    response = client.get("/procedures/", {"q": "khai sinh"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Đăng ký khai sinh" in body
    assert "<html" not in body


def test_the_search_keeps_what_was_typed(client, catalog):
    body = client.get("/procedures/", {"q": "khai tu", "level": "commune"}).content.decode()
    assert 'value="khai tu"' in body
    assert '<option value="commune" selected>' in body


def test_a_procedure_page_shows_components_fees_time_limit_and_where(client, world):
    body = client.get("/procedures/9.000001/").content.decode()
    assert "Tờ khai theo mẫu" in body and "Căn cước công dân" in body
    assert "Giấy ủy quyền (nếu có)" in body
    assert "Lệ phí chứng thực: <strong>20.000\u00a0đ</strong>" in body
    assert "3 ngày làm việc" in body
    assert "Toàn trình" in body
    assert "UBND xã Thạch Bằng" in body
    assert 'href="/procedures/9.000001/submit/"' in body and "Nộp hồ sơ trực tuyến" in body


def test_a_procedure_without_online_service_has_no_submit_button(client, world):
    body = client.get("/procedures/9.000002/").content.decode()
    assert "chưa cung cấp dịch vụ công trực tuyến" in body
    assert "/procedures/9.000002/submit/" not in body


def test_the_submit_page_of_an_offline_procedure_sends_back_with_a_message(client, world):
    client.force_login(world.citizen)
    response = client.get("/procedures/9.000002/submit/", follow=True)
    assert response.redirect_chain[-1][0] == "/procedures/9.000002/"
    assert "Thủ tục này chưa cung cấp dịch vụ công trực tuyến." in response.content.decode()


def test_unpublished_procedures_are_not_listed(client, world):
    factories.procedure("3.000001", name="Thủ tục chưa công bố", published=False)
    assert "Thủ tục chưa công bố" not in client.get("/procedures/", {"q": "chua cong bo"}).content.decode()
    assert client.get("/procedures/3.000001/").status_code == 404
