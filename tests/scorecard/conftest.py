"""Fixtures of the scorecard tests: the tiny bundle of the spec, loaded once per test."""

import pytest

from tests.scorecard.bundle_loader import load_bundle


@pytest.fixture(autouse=True)
def _no_background_refresh(settings):
    # Tests call the refresher themselves; only tests/scorecard/test_freshness.py starts the thread.
    settings.MOTCUA_SCORECARD_REFRESH = "off"


@pytest.fixture
def tiny(db):
    """The spec's 14-dossier example (examples/tiny), with its as_of recorded."""
    return load_bundle()
