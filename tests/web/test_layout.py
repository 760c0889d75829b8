"""The base layout: the site's name, navigation by role, sign-in and sign-out, the language switch,
and error pages that never show a traceback."""

import pytest

pytestmark = pytest.mark.django_db


def _nav(response) -> str:
    body = response.content.decode()
    start = body.index('<nav class="main-nav"')
    return body[start : body.index("</nav>", start)]


def test_the_header_names_the_site_and_offers_sign_in(client, world):
    body = client.get("/").content.decode()
    assert "<title>Cổng dịch vụ công – Hệ thống thông tin giải quyết TTHC tỉnh Hà Tĩnh</title>" in body
    assert 'href="/accounts/login/?next=/"' in body
    assert "Bỏ qua, đến nội dung chính" in body


def test_the_site_name_comes_from_the_setting(client, world, settings):
    settings.MOTCUA_SITE_NAME = "Cổng dịch vụ công tỉnh Nghệ An"
    assert "Cổng dịch vụ công tỉnh Nghệ An" in client.get("/").content.decode()


def test_a_visitor_sees_the_catalog_and_the_lookup(client, world):
    nav = _nav(client.get("/"))
    assert "Thủ tục" in nav and "Tra cứu hồ sơ" in nav
    assert "Hồ sơ của tôi" not in nav and "Hàng đợi" not in nav


def test_a_citizen_sees_their_dossiers_and_data_store(client, world):
    client.force_login(world.citizen)
    response = client.get("/my/dossiers/")
    nav = _nav(response)
    assert "Hồ sơ của tôi" in nav and "Kho dữ liệu" in nav and "Thủ tục" in nav
    assert '<a href="/my/dossiers/" aria-current="page">' in nav
    assert "Hàng đợi" not in nav
    assert "Đăng xuất" in response.content.decode()


def test_a_counter_officer_sees_the_queue_and_the_counter(client, world):
    client.force_login(world.counter)
    nav = _nav(client.get("/office/receive/"))
    assert "Hàng đợi" in nav and "Tiếp nhận" in nav
    assert '<a href="/office/receive/" aria-current="page">' in nav
    assert "Tổng quan" not in nav and "Hồ sơ của tôi" not in nav


def test_a_processing_officer_does_not_see_the_counter(client, world):
    client.force_login(world.processor)
    nav = _nav(client.get("/office/"))
    assert "Hàng đợi" in nav
    assert "Tiếp nhận" not in nav


def test_a_leader_also_sees_the_overview(client, world):
    client.force_login(world.leader)
    nav = _nav(client.get("/office/"))
    assert "Tổng quan" in nav


def test_the_dashboard_link_shows_only_when_the_dashboard_is_installed(client, world, settings):
    client.force_login(world.reform)
    settings.ROOT_URLCONF = "tests.web.urls_without_dashboard"
    assert "Bảng theo dõi CCHC" not in _nav(client.get("/office/"))
    settings.ROOT_URLCONF = "tests.web.urls"
    nav = _nav(client.get("/office/"))
    assert '<a href="/dashboard/">Bảng theo dõi CCHC</a>' in nav


def test_officers_without_a_reform_role_get_no_dashboard_link(client, world, settings):
    settings.ROOT_URLCONF = "tests.web.urls"
    client.force_login(world.counter)
    assert "Bảng theo dõi CCHC" not in _nav(client.get("/office/"))


def test_signing_out_from_the_header_ends_the_session(client, world):
    client.force_login(world.citizen)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_switching_to_english_translates_the_pages(client, world):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/procedures/"})
    assert response.status_code == 302
    body = client.get("/procedures/").content.decode()
    assert '<html lang="en">' in body
    assert "Administrative procedures" in body
    assert "Skip to main content" in body
    # And back.
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_english_groups_digits_its_own_way_and_keeps_vietnamese_dates(client, world):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/procedures/9.000001/").content.decode()
    assert "20,000\u00a0đ" in body


def test_vietnamese_money_is_grouped_with_dots(client, world):
    body = client.get("/procedures/9.000001/").content.decode()
    assert "20.000\u00a0đ" in body


def test_a_server_error_shows_the_layout_and_no_traceback(client, world, settings):
    settings.ROOT_URLCONF = "tests.web.urls"
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Lỗi hệ thống" in body
    assert "SECRET-TRACE" not in body and "Traceback" not in body and "RuntimeError" not in body


def test_a_csrf_failure_says_so_in_vietnamese(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


def test_the_sign_in_page_in_the_layout_offers_vneid_and_keeps_the_user_name(client, world, settings):
    settings.ROOT_URLCONF = "tests.web.urls"
    body = client.get("/sign-in/?next=/my/dossiers/").content.decode()
    assert "Hệ thống thông tin giải quyết TTHC tỉnh Hà Tĩnh" in body
    assert 'href="/sign-in/vneid/?next=/my/dossiers/"' in body
    response = client.post("/sign-in/", {"username": "042090001234", "password": "sai-mat-khau"})
    body = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in body
    assert 'value="042090001234"' in body


def test_a_bad_request_is_answered_in_the_layout(rf, world):
    from django.core.exceptions import SuspiciousOperation
    from django.views.defaults import bad_request

    response = bad_request(rf.get("/"), SuspiciousOperation("bad"))
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
