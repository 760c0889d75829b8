"""Browser tests: Chromium driven by Playwright against the app served on 127.0.0.1 by pytest-django's
live server, on the same test database (transactional).

Playwright never downloads a browser here: it launches the system's Chromium (/usr/bin/chromium,
`apt-get install chromium`). Without it the tests are skipped, unless MOTCUA_REQUIRE_BROWSER=1 (CI),
where a missing browser is a failure. Screenshots go to $MOTCUA_SCREENSHOTS when it is set
(`make screenshots` writes docs/screenshots/).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web import world as world_module

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("MOTCUA_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"MOTCUA_REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # synchronous and safe, so Django's async guard is lifted for the browser tests only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def world(transactional_db) -> world_module.World:
    return world_module.build()


class Site:
    """The served application and a way to open it as one of the world's people."""

    def __init__(self, base_url: str, browser: object, world: world_module.World) -> None:
        self.url = base_url
        self.browser = browser
        self.world = world
        self.contexts: list[object] = []

    def open(self, user: object | None = None, *, width: int = 1280, height: int = 900) -> object:
        """A new browser window (own cookies), in Vietnamese, signed in as `user` when given."""
        context = self.browser.new_context(  # type: ignore[attr-defined]
            base_url=self.url, locale="vi-VN", viewport={"width": width, "height": height}
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        if user is not None:
            page.goto("/accounts/login/")
            page.fill("#id_username", user.get_username())  # type: ignore[attr-defined]
            page.fill("#id_password", world_module.PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()  # type: ignore[attr-defined]


@pytest.fixture
def site(live_server, browser, world) -> Iterator[Site]:
    served = Site(live_server.url, browser, world)
    yield served
    served.close()


def serious_violations(page) -> list[str]:
    """The axe-core violations of impact "serious" or "critical" on the page, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot as $MOTCUA_SCREENSHOTS/<name>.png when that is set."""
    target = os.environ.get("MOTCUA_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)
