"""The web tests' world (see `world.py`): a commune, its officers, citizens and an online procedure."""

import pytest

from tests.web import world as world_module


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def world(db) -> world_module.World:
    return world_module.build()
