"""National databases behind one adapter: the simulator, and plugging another backend in."""

import json

from motcua.documents.registries import RegistryRecord, SimulatedRegistry, registry


def test_the_simulator_answers_from_its_seeded_dataset():
    record = registry().lookup("population", "042090000001")
    assert record is not None and record.data["full_name"] == "Nguyễn Văn An"
    assert registry().lookup("business", "3001234567").kind == "business"
    assert registry().lookup("population", "000000000000") is None
    assert registry().lookup("unknown", "042090000001") is None


def test_the_dataset_can_be_replaced(settings, tmp_path):
    data = tmp_path / "records.json"
    data.write_text(json.dumps({"land": [{"id_number": "1", "reference": "Thửa 9", "name": "Thửa 9"}]}))
    settings.NATIONAL_REGISTRY_DATA = str(data)
    assert SimulatedRegistry().lookup("land", "1").reference == "Thửa 9"
    assert SimulatedRegistry().lookup("population", "042090000001") is None


class AlwaysThere:
    def lookup(self, kind, id_number):
        return RegistryRecord(kind=kind, id_number=id_number, reference="R", name="Bản ghi")


def test_another_backend_plugs_in_by_setting(settings):
    settings.NATIONAL_REGISTRY_BACKEND = "tests.documents.test_registries.AlwaysThere"
    assert registry().lookup("land", "9").reference == "R"
