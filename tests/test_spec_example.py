"""The suite's copy of the spec's tiny example stays the spec's."""

import pytest

from tests.data import SPEC_TINY, TINY


def test_the_copy_of_the_spec_example_is_current():
    if not SPEC_TINY.exists():
        pytest.skip("the spec (../shared) is not beside this clone")
    spec = {p.name: p.read_bytes() for p in SPEC_TINY.iterdir() if p.is_file()}
    ours = {p.name: p.read_bytes() for p in TINY.iterdir() if p.is_file()}
    assert ours == spec
