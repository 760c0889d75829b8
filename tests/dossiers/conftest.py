"""A small world for dossier tests: a province with a department, a district and two communes, their
officers, a citizen, and two procedures with components and internal steps (no shipped catalog).

    province (people_committee, province)
    ├── department "Sở Tư pháp" (department, province)
    └── district (people_committee, district)
        ├── commune A (people_committee, commune)
        └── commune B (people_committee, commune)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile

from motcua.accounts.choices import Role
from motcua.catalog.models import Component, ProcessStep
from motcua.documents import services as documents
from motcua.dossiers import services
from motcua.dossiers.services import Applicant, DocumentInput
from motcua.orgs.choices import UnitKind, UnitLevel
from tests import factories

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def vn(*args: int) -> dt.datetime:
    """An aware Vietnam-time datetime: vn(2024, 2, 2, 17, 30)."""
    return dt.datetime(*args, tzinfo=VN)


def pdf(text: str = "") -> ContentFile:
    """A small PDF; different `text` gives different content (and hash)."""
    return ContentFile(PDF + f"% {text}\n".encode(), name=f"{text or 'tep'}.pdf")


@dataclass
class World:
    province: object
    department: object
    district: object
    commune: object
    commune_b: object
    counter: object
    processor: object
    leader: object
    counter_b: object
    dept_officer: object
    dept_leader: object
    citizen: object
    procedure: object
    interagency: object

    def upload(self, user, text: str = "to-khai") -> int:
        return documents.store_upload(pdf(text), user).pk

    def counter_documents(self) -> list[DocumentInput]:
        """A complete set of the simple procedure's required components, handed in at the counter."""
        return [
            DocumentInput(component=1, source="upload", file_id=self.upload(self.counter)),
            DocumentInput(component=2, source="paper"),
        ]

    def receive(self, *, procedure=None, received_at=None, **kwargs):
        """A dossier of the citizen received at commune A's counter."""
        return services.receive_at_counter(
            self.counter,
            self.commune,
            procedure or self.procedure,
            Applicant(
                name=self.citizen.full_name,
                id_number=self.citizen.citizen_id,
                email="dan@example.vn",
                phone="0912345678",
            ),
            kwargs.pop("documents", None) or self.counter_documents(),
            received_at=received_at,
            **kwargs,
        )

    def submit(self, *, procedure=None, documents_in=None, **kwargs):
        """A dossier the citizen files online at commune A."""
        if documents_in is None:
            documents_in = [
                DocumentInput(
                    component=1, source="upload", file_id=self.upload(self.citizen, "to-khai-online")
                ),
                DocumentInput(component=2, source="upload", file_id=self.upload(self.citizen, "cccd")),
            ]
        return services.submit_online(
            self.citizen,
            self.commune,
            procedure or self.procedure,
            documents_in,
            email="dan@example.vn",
            **kwargs,
        )


def _procedure(code: str, steps: list[tuple[str, str, str, int]], **fields):
    procedure = factories.procedure(
        code,
        name=fields.pop("name", "Chứng thực bản sao"),
        duration_days=fields.pop("duration_days", 5),
        online_level=fields.pop("online_level", "full"),
        result_name=fields.pop("result_name", "Giấy xác nhận"),
        **fields,
    )
    Component.objects.create(procedure=procedure, order=1, name="Tờ khai theo mẫu", required=True)
    Component.objects.create(
        procedure=procedure,
        order=2,
        name="Căn cước công dân",
        required=True,
        from_store=True,
        national_db="population",
        document_type="cccd",
    )
    Component.objects.create(
        procedure=procedure,
        order=3,
        name="Giấy xác nhận trước đây (nếu có)",
        required=False,
        from_store=True,
        document_type="ket_qua_9_000001",
    )
    for order, (name, role, unit_kind, share) in enumerate(steps, start=1):
        ProcessStep.objects.create(
            procedure=procedure,
            order=order,
            name=name,
            role=role,
            unit_kind=unit_kind,
            time_share=Decimal(share),
        )
    return procedure


SIMPLE_STEPS = [
    ("Tiếp nhận hồ sơ", Role.COUNTER_OFFICER, "", 10),
    ("Thẩm định hồ sơ", Role.PROCESSING_OFFICER, "", 50),
    ("Phê duyệt, ký kết quả", Role.UNIT_LEADER, "", 30),
    ("Trả kết quả", Role.COUNTER_OFFICER, "", 10),
]
INTERAGENCY_STEPS = [
    ("Tiếp nhận hồ sơ", Role.COUNTER_OFFICER, "", 5),
    ("Thẩm định hồ sơ", Role.PROCESSING_OFFICER, "", 45),
    ("Lấy ý kiến sở", Role.PROCESSING_OFFICER, UnitKind.DEPARTMENT, 25),
    ("Phê duyệt, ký kết quả", Role.UNIT_LEADER, "", 15),
    ("Trả kết quả", Role.COUNTER_OFFICER, "", 10),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # No background scorecard refresher thread touching the test database behind the tests' back.
    settings.MOTCUA_SCORECARD_REFRESH = "off"


@pytest.fixture
def world(db) -> World:
    make = factories
    province = make.unit("000.00.00.H42", level=UnitLevel.PROVINCE, name="UBND tỉnh Hà Tĩnh")
    department = make.unit(
        "000.00.01.H42",
        parent=province,
        level=UnitLevel.PROVINCE,
        kind=UnitKind.DEPARTMENT,
        name="Sở Tư pháp",
    )
    district = make.unit(
        "000.00.21.H42", parent=province, level=UnitLevel.DISTRICT, name="UBND huyện Can Lộc"
    )
    commune = make.unit("000.21.01.H42", parent=district, name="UBND xã Thạch Bằng")
    commune_b = make.unit("000.21.02.H42", parent=district, name="UBND xã Thạch Kim")
    return World(
        province=province,
        department=department,
        district=district,
        commune=commune,
        commune_b=commune_b,
        counter=make.user("mc_a", unit=commune, role=Role.COUNTER_OFFICER, full_name="Cán bộ một cửa A"),
        processor=make.user(
            "xl_a", unit=commune, role=Role.PROCESSING_OFFICER, full_name="Công chức xử lý A"
        ),
        leader=make.user("ld_a", unit=commune, role=Role.UNIT_LEADER, full_name="Chủ tịch UBND xã A"),
        counter_b=make.user("mc_b", unit=commune_b, role=Role.COUNTER_OFFICER),
        dept_officer=make.user("xl_so", unit=department, role=Role.PROCESSING_OFFICER),
        dept_leader=make.user("ld_so", unit=department, role=Role.UNIT_LEADER),
        citizen=make.citizen(
            "042090000001", full_name="Nguyễn Văn An", email="an@example.vn", phone="0987654321"
        ),
        procedure=_procedure("9.000001", SIMPLE_STEPS),
        interagency=_procedure(
            "9.000002", INTERAGENCY_STEPS, name="Cấp phép liên thông", online_level="partial"
        ),
    )
