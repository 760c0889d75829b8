"""reported.csv goes to the scorecard's reported values; the manifest's as_of becomes the data's as_of."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.errors import LoadError
from motcua.exchange.export import export_bundle
from motcua.exchange.services import import_bundle
from motcua.scorecard.engine import effective_as_of
from motcua.scorecard.models import ReportedValue
from tests.exchange.conftest import dump, table_counts

pytestmark = pytest.mark.django_db

REPORTED = """indicator,unit,period,value,numerator,denominator,evidence
par_plan_issued,000.00.01.H29,2023,1,,,Kế hoạch số 12/KH-STP
video_conference,,2023,1,,,
"""


def test_reported_values_are_imported_once(tiny):
    (tiny / "reported.csv").write_text(REPORTED, encoding="utf-8")
    summary = import_bundle(tiny)
    assert summary.reported == 2
    assert ReportedValue.objects.filter(status="approved").count() == 2
    rows = dump()
    again = import_bundle(tiny)
    assert again.reported == 0 and not again.changed
    assert dump() == rows


def test_reported_errors_join_the_others_and_nothing_changes(tiny):
    (tiny / "reported.csv").write_text(
        REPORTED + "par_plan_issued,NO.SUCH.UNIT,2023,1,,,\n", encoding="utf-8"
    )
    (tiny / "units.csv").write_text(
        (tiny / "units.csv").read_text(encoding="utf-8") + "BAD,Đơn vị,people_committee,galaxy,\n",
        encoding="utf-8",
    )
    counts = table_counts()
    with pytest.raises(LoadError) as caught:
        import_bundle(tiny)
    found = {(f, line, field) for f, line, field, _m in caught.value.errors}
    assert ("units.csv", 6, "level") in found
    assert ("reported.csv", 4, "unit") in found
    assert table_counts() == counts


def test_the_manifest_as_of_is_stored(tiny):
    import_bundle(tiny)
    assert effective_as_of() == dt.datetime(2024, 1, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_export_writes_the_stored_as_of_and_the_reported_values(tiny, tmp_path):
    (tiny / "reported.csv").write_text(REPORTED, encoding="utf-8")
    import_bundle(tiny)
    summary = export_bundle(tmp_path / "out")
    assert summary.as_of == "2024-01-15T10:00:00+07:00"
    assert summary.reported == 2
    text = (tmp_path / "out" / "reported.csv").read_text(encoding="utf-8")
    assert "par_plan_issued,000.00.01.H29,2023,1,,,Kế hoạch số 12/KH-STP,hatinh-2023" in text
    # The exported reported.csv reads back without change.
    ReportedValue.objects.all().delete()
    assert import_bundle(tmp_path / "out").reported == 2
