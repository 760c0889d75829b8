"""A small one-stop office for payment, feedback and form tests, and dossiers built directly with
the ORM in any status (the dossier services have their own tests in tests/dossiers).

    UBND tỉnh Hà Tĩnh
    └── UBND huyện Thạch Hà
        ├── UBND xã Thạch Kênh   (counter, processor, leader)
        └── UBND xã Thạch Sơn    (other_counter)
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from motcua.accounts.choices import Role
from motcua.catalog.models import Component, FeeLine
from motcua.dossiers.choices import Channel, Status
from motcua.dossiers.facts import refresh_fact
from motcua.dossiers.models import Dossier
from motcua.orgs.choices import UnitLevel
from tests import factories

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_codes = itertools.count(1)


def vn(*args: int) -> dt.datetime:
    """An aware Vietnam-time datetime: vn(2023, 3, 6, 8, 30)."""
    return dt.datetime(*args, tzinfo=VN)


@dataclass
class Office:
    province: Any
    district: Any
    commune: Any
    other_commune: Any
    counter: Any
    processor: Any
    leader: Any
    other_counter: Any
    citizen: Any
    stranger: Any
    procedure: Any

    def dossier(self, status: str = Status.PROCESSING, **fields: Any) -> Dossier:
        """A dossier of the citizen at Thạch Kênh, in `status`, received on 06/03/2023 08:30."""
        n = next(_codes)
        defaults: dict[str, Any] = {
            "code": f"000.21.01.H42-230306-{n:04d}",
            "procedure": self.procedure,
            "unit": self.commune,
            "channel": Channel.ONLINE,
            "status": status,
            "applicant": self.citizen,
            "applicant_kind": "person",
            "applicant_id_number": self.citizen.citizen_id,
            "applicant_name": self.citizen.full_name,
            "contact_phone": "0987654321",
            "contact_email": "an@example.vn",
            "contact_address": "Thôn Bắc Kênh, xã Thạch Kênh, huyện Thạch Hà",
            "submitted_at": vn(2023, 3, 6, 8, 0),
            "received_at": None if status in (Status.NEW, Status.NOT_RECEIVED) else vn(2023, 3, 6, 8, 30),
            "due_at": None if status in (Status.NEW, Status.NOT_RECEIVED) else vn(2023, 3, 13, 17, 0),
            "received_by": self.counter,
        }
        defaults.update(fields)
        dossier = Dossier.objects.create(**defaults)
        refresh_fact(dossier)
        return dossier


def office() -> Office:
    """The office, with a procedure whose fees are 50.000 + 20.000 đồng, payable online."""
    make = factories
    province = make.unit("000.00.00.H42", level=UnitLevel.PROVINCE, name="UBND tỉnh Hà Tĩnh")
    district = make.unit(
        "000.00.21.H42", parent=province, level=UnitLevel.DISTRICT, name="UBND huyện Thạch Hà"
    )
    commune = make.unit(
        "000.21.01.H42", parent=district, name="Ủy ban nhân dân xã Thạch Kênh", phone="0239 3845 111"
    )
    other = make.unit("000.21.02.H42", parent=district, name="Ủy ban nhân dân xã Thạch Sơn")
    procedure = make.procedure(
        "1.001193",
        name="Đăng ký khai sinh",
        duration_days=5,
        fee=70_000,
        online_payment=True,
        online_level="full",
    )
    FeeLine.objects.create(procedure=procedure, order=1, name="Lệ phí đăng ký khai sinh", amount=50_000)
    FeeLine.objects.create(procedure=procedure, order=2, name="Phí cấp bản sao trích lục", amount=20_000)
    Component.objects.create(procedure=procedure, order=1, name="Tờ khai đăng ký khai sinh", quantity=1)
    Component.objects.create(
        procedure=procedure, order=2, name="Giấy chứng sinh", copy_kind="certified_copy", quantity=2
    )
    return Office(
        province=province,
        district=district,
        commune=commune,
        other_commune=other,
        counter=make.user("mc_thachkenh", unit=commune, role=Role.COUNTER_OFFICER, full_name="Trần Thị Bình"),
        processor=make.user(
            "xl_thachkenh", unit=commune, role=Role.PROCESSING_OFFICER, full_name="Lê Văn Cường"
        ),
        leader=make.user("ld_thachkenh", unit=commune, role=Role.UNIT_LEADER, full_name="Phạm Đức Dũng"),
        other_counter=make.user("mc_thachson", unit=other, role=Role.COUNTER_OFFICER),
        citizen=make.citizen("042090000001", full_name="Nguyễn Văn An"),
        stranger=make.citizen("042090000002", full_name="Hoàng Thị Giang"),
        procedure=procedure,
    )
