"""Any province's bundle imports into an empty installation; provinces are never mixed."""

import json
import shutil
from pathlib import Path

import pytest

from motcua.errors import LoadError
from motcua.exchange.export import export_bundle
from motcua.exchange.services import import_bundle
from motcua.orgs.models import Unit
from tests.data import TINY

pytestmark = pytest.mark.django_db


def _bundle_of(province: str, tmp_path: Path) -> Path:
    target = tmp_path / f"tinh-{province}"
    shutil.copytree(TINY, target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    manifest["province"] = province
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return target


def test_a_bundle_of_another_province_imports_into_an_empty_database(tmp_path):
    summary = import_bundle(_bundle_of("01", tmp_path))
    assert summary.dossiers.created == 14
    assert set(Unit.objects.values_list("province_code", flat=True)) == {"01"}
    export_bundle(tmp_path / "out")
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["province"] == "01"


def test_a_second_province_is_refused_and_nothing_changes(tmp_path):
    import_bundle(_bundle_of("42", tmp_path))
    units = Unit.objects.count()
    with pytest.raises(LoadError) as caught:
        import_bundle(_bundle_of("01", tmp_path))
    assert "manifest.json" in str(caught.value) and "province" in str(caught.value)
    assert Unit.objects.count() == units
