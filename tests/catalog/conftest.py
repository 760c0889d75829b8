"""Helpers for catalog tests: write small catalog files in a temporary directory."""

import json

import pytest


def procedure_record(code="1.000001", **overrides):
    """A minimal valid JSON catalog record."""
    record = {
        "code": code,
        "name": "Thủ tục thử",
        "field": "Hộ tịch",
        "duration_days": 3,
        "levels": ["commune"],
        "components": [{"name": "Tờ khai", "document_type": "to_khai"}],
        "fee_lines": [{"name": "Lệ phí", "amount": 10000}],
        "steps": [
            {"name": "Tiếp nhận hồ sơ", "role": "counter_officer", "time_share": 10},
            {"name": "Thẩm định", "role": "processing_officer", "time_share": 60},
            {"name": "Phê duyệt", "role": "unit_leader", "time_share": 20},
            {"name": "Trả kết quả", "role": "counter_officer", "time_share": 10},
        ],
    }
    record.update(overrides)
    return record


@pytest.fixture
def catalog_file(tmp_path):
    """`catalog_file(records, **top)` writes a motcua-catalog JSON file and returns its path."""

    def write(records, name="catalog.json", **top):
        doc = {"format": "motcua-catalog", "version": 1, "procedures": records, **top}
        path = tmp_path / name
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    return write


@pytest.fixture
def csv_file(tmp_path):
    """`csv_file(text)` writes a procedures.csv (text as given, UTF-8) and returns its path."""

    def write(text, name="procedures.csv", bom=False):
        path = tmp_path / name
        path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
        return path

    return write
