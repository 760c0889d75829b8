"""The faces as a browser shows them: error pages in the layout, errors that keep what was typed,
keyboard use, a phone-sized screen, and no serious accessibility problem (axe-core) on the main
pages. Screenshots of each face are saved when $MOTCUA_SCREENSHOTS is set."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.scorecard.services import load_plans
from tests.browser.conftest import screenshot, serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_forbidden_page_says_403_in_the_layout(site):
    page = site.open(site.world.citizen)
    response = page.goto("/office/")
    assert response.status == 403
    assert page.locator("h1").inner_text().startswith("Không có quyền truy cập")
    assert "(403)" in page.locator("h1").inner_text()
    assert page.locator(".site-header").is_visible() and page.locator(".site-footer").is_visible()


def test_a_missing_page_says_404_in_the_layout(site):
    page = site.open()
    response = page.goto("/dossiers/000.00.00.H42-000000-0000/")
    # Signed out, a dossier page first asks to sign in; an unknown address is a 404 page.
    assert "/accounts/login/" in page.url
    response = page.goto("/khong-co-trang-nay/")
    assert response.status == 404
    assert "Không tìm thấy trang" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="Tra cứu hồ sơ theo mã").is_visible()


def test_a_form_error_keeps_what_was_typed(site):
    page = site.open(site.world.counter)
    page.goto("/office/receive/9.000001/")
    page.get_by_label("Số định danh cá nhân hoặc mã số thuế").fill("04209000")
    page.get_by_label("Họ và tên người nộp / tên tổ chức").fill("Trần Thị Bình")
    page.get_by_label("Số điện thoại").fill("0912000111")
    page.get_by_role("button", name="Tiếp nhận và cấp giấy hẹn").click()
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số" in page.locator("#id_id_number_error").inner_text()
    assert page.get_by_label("Họ và tên người nộp / tên tổ chức").input_value() == "Trần Thị Bình"
    assert page.get_by_label("Số điện thoại").input_value() == "0912000111"
    assert page.get_by_label("Số định danh cá nhân hoặc mã số thuế").input_value() == "04209000"
    assert page.locator("#id_id_number").get_attribute("aria-invalid") == "true"


def test_the_keyboard_reaches_the_skip_link_first_and_focus_is_visible(site):
    page = site.open()
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Bỏ qua, đến nội dung chính"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def _dossiers(world):
    """Some dossiers in every state the pages show: new, received, at risk, late, waiting."""
    submitted = world.submit()
    world.receive()
    world.receive(received_at=timezone.now() - dt.timedelta(days=20))
    paused = world.receive()
    services.request_supplement(world.counter, paused, "Bản sao chưa rõ nét", ["Bản sao căn cước rõ nét"])
    return submitted


# The faces whose screenshots illustrate the documentation (docs/screenshots/<name>.png).
SCREENSHOTS = {"portal", "procedure", "queue", "officer-dossier"}


def test_the_main_pages_have_no_serious_accessibility_violations(site):
    world = site.world
    submitted = _dossiers(world)
    services.accept_online(world.counter, submitted)
    load_plans()
    month = f"{timezone.localdate():%Y-%m}"
    visitor = site.open()
    citizen = site.open(world.citizen)
    counter = site.open(world.counter)
    leader = site.open(world.leader)
    reform = site.open(world.reform)
    pages = [
        ("portal", visitor, "/"),
        ("procedures", visitor, "/procedures/?q=chung+thuc"),
        ("procedure", visitor, "/procedures/9.000001/"),
        ("lookup", visitor, f"/lookup/?code={submitted.code}"),
        ("submit", citizen, "/procedures/9.000001/submit/"),
        ("my-dossiers", citizen, "/my/dossiers/"),
        ("store", citizen, "/my/store/"),
        ("citizen-dossier", citizen, f"/dossiers/{submitted.code}/"),
        ("queue", counter, "/office/"),
        ("officer-dossier", counter, f"/office/dossiers/{submitted.code}/"),
        ("receive", counter, "/office/receive/9.000001/"),
        ("overview", leader, "/office/overview/"),
        ("dashboard", reform, f"/dashboard/?plan=hatinh-2023&period={month}"),
        ("dashboard-766", reform, f"/dashboard/?plan=qd766&period={month}"),
        ("dashboard-trends", reform, f"/dashboard/trends/?plan=hatinh-2023&period={month}"),
        ("dashboard-units", reform, f"/dashboard/units/?plan=hatinh-2023&period={month}"),
        ("dashboard-reported", reform, "/dashboard/reported/"),
    ]
    problems = {}
    for name, page, url in pages:
        response = page.goto(url)
        assert response.status == 200, url
        if name in SCREENSHOTS:
            screenshot(page, name)
        # Open the action panels, so their forms are checked too.
        for summary in page.locator("details.action > summary").all():
            summary.click()
        found = serious_violations(page)
        if found:
            problems[name] = found
    assert problems == {}


def test_the_portal_works_on_a_phone_sized_screen(site):
    page = site.open(width=375, height=812)
    page.goto("/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert page.get_by_label("Tìm thủ tục").is_visible()
    assert page.get_by_role("link", name="Tra cứu hồ sơ").first.is_visible()
    screenshot(page, "portal-mobile")
    page.goto("/procedures/9.000001/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
