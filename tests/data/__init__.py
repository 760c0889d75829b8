"""Test data kept with the suite, so that it runs from any clone.

`tiny/` is a byte-for-byte copy of the CEO's ../shared/spec/examples/tiny (the spec's 14-dossier
bundle and its hand-computed scorecards); `test_the_copy_of_the_spec_example_is_current` in
tests/test_spec_example.py fails when the two differ while the spec is beside the repository.
"""

from pathlib import Path

TINY = Path(__file__).resolve().parent / "tiny"
SPEC_TINY = Path(__file__).resolve().parents[3] / "shared" / "spec" / "examples" / "tiny"
