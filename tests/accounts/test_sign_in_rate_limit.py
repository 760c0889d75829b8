"""After LOGIN_MAX_FAILURES failed sign-ins, even the right password is refused until the window passes."""

import datetime as dt

import pytest
from django.db.models import F
from django.test import RequestFactory

from motcua.accounts import services
from motcua.accounts.models import SignInAttempt
from motcua.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "matkhau-dung-123"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.LOGIN_MAX_FAILURES = 5
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 900


def request_from(ip: str = "10.0.0.1"):
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR=ip)


def fail(username: str, times: int, ip: str = "10.0.0.1") -> None:
    for _ in range(times):
        with pytest.raises(services.SignInFailed) as error:
            services.authenticate_with_limit(request_from(ip), username, "sai-mat-khau")
        assert not isinstance(error.value, services.SignInBlocked)


def test_the_right_password_signs_in(make):
    user = make.user("an", password=PASSWORD)
    assert services.authenticate_with_limit(request_from(), "an", PASSWORD) == user


def test_five_failures_block_even_the_right_password(make):
    make.user("an", password=PASSWORD)
    fail("an", 5)

    with pytest.raises(services.SignInBlocked) as blocked:
        services.authenticate_with_limit(request_from(), "an", PASSWORD)

    assert blocked.value.message == "Đăng nhập sai quá nhiều lần, vui lòng thử lại sau 15 phút."
    assert blocked.value.status == 429


def test_four_failures_do_not_block(make):
    user = make.user("an", password=PASSWORD)
    fail("an", 4)
    assert services.authenticate_with_limit(request_from(), "an", PASSWORD) == user


def test_the_username_is_blocked_from_every_address(make):
    make.user("an", password=PASSWORD)
    for n in range(5):
        fail("an", 1, ip=f"10.0.1.{n}")

    with pytest.raises(services.SignInBlocked):
        services.authenticate_with_limit(request_from("10.9.9.9"), "an", PASSWORD)


def test_the_username_is_counted_without_regard_to_case(make):
    make.user("an", password=PASSWORD)
    fail("AN", 3)
    fail("An", 2)

    with pytest.raises(services.SignInBlocked):
        services.authenticate_with_limit(request_from(), "an", PASSWORD)


def test_an_address_guessing_many_usernames_is_blocked(make):
    make.user("binh", password=PASSWORD)
    for n in range(5):
        fail(f"khach{n}", 1, ip="10.0.0.66")

    with pytest.raises(services.SignInBlocked):
        services.authenticate_with_limit(request_from("10.0.0.66"), "binh", PASSWORD)
    assert services.authenticate_with_limit(request_from("10.0.0.67"), "binh", PASSWORD)


def test_the_block_ends_when_the_failures_leave_the_window(make):
    user = make.user("an", password=PASSWORD)
    fail("an", 5)
    SignInAttempt.objects.update(at=F("at") - dt.timedelta(seconds=600))

    with pytest.raises(services.SignInBlocked) as blocked:
        services.authenticate_with_limit(request_from(), "an", PASSWORD)
    assert "sau 5 phút" in blocked.value.message

    SignInAttempt.objects.update(at=F("at") - dt.timedelta(seconds=301))
    assert services.authenticate_with_limit(request_from(), "an", PASSWORD) == user


def test_blocked_attempts_do_not_extend_the_block(make):
    make.user("an", password=PASSWORD)
    fail("an", 5)
    for _ in range(3):
        with pytest.raises(services.SignInBlocked):
            services.authenticate_with_limit(request_from(), "an", "sai-mat-khau")
    assert SignInAttempt.objects.count() == 5


def test_a_success_clears_the_usernames_failures(make):
    make.user("an", password=PASSWORD)
    fail("an", 4)
    services.authenticate_with_limit(request_from(), "an", PASSWORD)
    assert not SignInAttempt.objects.filter(username="an").exists()

    fail("an", 4)
    assert services.authenticate_with_limit(request_from(), "an", PASSWORD)


def test_an_inactive_account_fails_like_a_wrong_password(make):
    make.user("cu", password=PASSWORD, is_active=False)
    with pytest.raises(services.SignInFailed) as error:
        services.authenticate_with_limit(request_from(), "cu", PASSWORD)
    assert error.value.message == "Tên đăng nhập hoặc mật khẩu không đúng."


def test_every_outcome_is_audited(make):
    user = make.user("an", password=PASSWORD)
    services.authenticate_with_limit(request_from("10.0.0.5"), "an", PASSWORD)
    fail("an", 5, ip="10.0.0.5")
    with pytest.raises(services.SignInBlocked):
        services.authenticate_with_limit(request_from("10.0.0.5"), "an", PASSWORD)

    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.action for e in events] == ["accounts.sign_in"] + ["accounts.sign_in_failed"] * 5 + [
        "accounts.sign_in_blocked"
    ]
    assert events[0].actor_id == user.pk and events[0].ip == "10.0.0.5"
    assert events[1].actor_id is None and events[1].after == {"username": "an"}


def test_a_forwarded_address_is_ignored_unless_the_proxy_header_is_configured(make, settings):
    make.user("an", password=PASSWORD)
    for n in range(5):
        request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        with pytest.raises(services.SignInFailed):
            services.authenticate_with_limit(request, f"khach{n}", "sai")
    assert set(SignInAttempt.objects.values_list("ip", flat=True)) == {"10.0.0.1"}


def test_behind_a_proxy_each_client_address_is_counted_on_its_own(make, settings):
    settings.MOTCUA_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    make.user("binh", password=PASSWORD)
    for n in range(5):
        request = RequestFactory().post(
            "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.4, 203.0.113.{n}"
        )
        with pytest.raises(services.SignInFailed):
            services.authenticate_with_limit(request, f"khach{n}", "sai")

    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert services.authenticate_with_limit(request, "binh", PASSWORD)
    assert SignInAttempt.objects.filter(ip="203.0.113.4").exists()
