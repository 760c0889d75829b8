"""A small province for the web tests and the browser tests: a commune with its one-stop officers,
a department, a reform manager, two citizens, and an online procedure with fees, components and the
usual four internal steps. Built through the services, like production data.

    province (people_committee, province)
    ├── department "Sở Tư pháp" (department, province)
    └── district (people_committee, district)
        └── commune "UBND xã Thạch Bằng" (people_committee, commune)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.accounts.choices import Role
from motcua.catalog.models import Component, FeeLine, ProcessStep
from motcua.documents import services as documents
from motcua.dossiers import services
from motcua.dossiers.services import Applicant, DocumentInput
from motcua.orgs.choices import UnitKind, UnitLevel
from tests import factories

PASSWORD = "matkhau-thu-123"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

STEPS = [
    ("Tiếp nhận hồ sơ", Role.COUNTER_OFFICER, 10),
    ("Thẩm định hồ sơ", Role.PROCESSING_OFFICER, 50),
    ("Phê duyệt, ký kết quả", Role.UNIT_LEADER, 30),
    ("Trả kết quả", Role.COUNTER_OFFICER, 10),
]
# A process that asks a department for its opinion (một cửa liên thông).
INTERAGENCY_STEPS = [
    ("Tiếp nhận hồ sơ", Role.COUNTER_OFFICER, "", 10),
    ("Thẩm định hồ sơ", Role.PROCESSING_OFFICER, "", 40),
    ("Lấy ý kiến sở", Role.PROCESSING_OFFICER, UnitKind.DEPARTMENT, 30),
    ("Phê duyệt, ký kết quả", Role.UNIT_LEADER, "", 10),
    ("Trả kết quả", Role.COUNTER_OFFICER, "", 10),
]


def pdf(text: str = "") -> ContentFile:
    """A small PDF; different `text` gives different content."""
    return ContentFile(PDF + f"% {text}\n".encode(), name=f"{text or 'tep'}.pdf")


@dataclass
class World:
    province: object
    department: object
    district: object
    commune: object
    counter: object
    processor: object
    leader: object
    dept_officer: object
    reform: object
    citizen: object
    other_citizen: object
    procedure: object
    interagency: object
    offline: object

    def upload(self, user, text: str = "to-khai") -> int:
        return documents.store_upload(pdf(text), user).pk

    def submit(self, citizen=None, **kwargs):
        """A dossier filed online by the citizen at the commune (status new)."""
        citizen = citizen or self.citizen
        return services.submit_online(
            citizen,
            self.commune,
            self.procedure,
            [
                DocumentInput(
                    component=1, source="upload", file_id=self.upload(citizen, f"to-khai-{citizen.pk}")
                ),
                DocumentInput(
                    component=2, source="upload", file_id=self.upload(citizen, f"cccd-{citizen.pk}")
                ),
            ],
            email="dan@example.vn",
            **kwargs,
        )

    def receive(self, **kwargs):
        """A dossier of the citizen received at the commune's counter (status received)."""
        return services.receive_at_counter(
            self.counter,
            self.commune,
            self.procedure,
            Applicant(name=self.citizen.full_name, id_number=self.citizen.citizen_id, phone="0912345678"),
            [
                DocumentInput(component=1, source="paper"),
                DocumentInput(component=2, source="paper"),
            ],
            **kwargs,
        )

    def approved(self):
        """A received dossier taken through its steps and approved by the leader (status processed)."""
        dossier = self.receive()
        services.complete_step(self.counter, dossier)
        services.complete_step(self.processor, dossier)
        services.approve(self.leader, dossier)
        dossier.refresh_from_db()
        return dossier

    def returned(self):
        dossier = self.approved()
        services.return_result(self.counter, dossier, "counter")
        dossier.refresh_from_db()
        return dossier


def build() -> World:
    make = factories
    province = make.unit("000.00.00.H42", level=UnitLevel.PROVINCE, name="UBND tỉnh Hà Tĩnh")
    department = make.unit(
        "000.00.03.H42",
        parent=province,
        level=UnitLevel.PROVINCE,
        kind=UnitKind.DEPARTMENT,
        name="Sở Tư pháp",
    )
    district = make.unit(
        "000.00.21.H42", parent=province, level=UnitLevel.DISTRICT, name="UBND huyện Can Lộc"
    )
    commune = make.unit("000.21.01.H42", parent=district, name="UBND xã Thạch Bằng")
    procedure = make.procedure(
        "9.000001",
        name="Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        field="Chứng thực",
        duration_days=3,
        online_level="full",
        online_payment=True,
        at_commune=True,
        result_name="Bản sao được chứng thực",
        agency="Ủy ban nhân dân cấp xã",
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
        procedure=procedure, order=3, name="Giấy ủy quyền (nếu có)", required=False, document_type="uy_quyen"
    )
    FeeLine.objects.create(procedure=procedure, order=1, name="Lệ phí chứng thực", amount=20000)
    for order, (name, role, share) in enumerate(STEPS, start=1):
        ProcessStep.objects.create(
            procedure=procedure, order=order, name=name, role=role, time_share=Decimal(share)
        )
    interagency = make.procedure(
        "9.000003", name="Cấp phép liên thông", field="Tư pháp", online_level="partial", at_commune=True
    )
    Component.objects.create(procedure=interagency, order=1, name="Đơn đề nghị", required=True)
    for order, (name, role, kind, share) in enumerate(INTERAGENCY_STEPS, start=1):
        ProcessStep.objects.create(
            procedure=interagency,
            order=order,
            name=name,
            role=role,
            unit_kind=kind,
            time_share=Decimal(share),
        )
    offline = make.procedure(
        "9.000002", name="Đăng ký kết hôn", field="Hộ tịch", online_level="none", at_commune=True
    )
    world = World(
        province=province,
        department=department,
        district=district,
        commune=commune,
        counter=make.user("motcua.xa", unit=commune, role=Role.COUNTER_OFFICER, full_name="Lê Thị Tiếp"),
        processor=make.user("xuly.xa", unit=commune, role=Role.PROCESSING_OFFICER, full_name="Hoàng Văn Xử"),
        leader=make.user("lanhdao.xa", unit=commune, role=Role.UNIT_LEADER, full_name="Ngô Thị Lan"),
        dept_officer=make.user("xuly.stp", unit=department, role=Role.PROCESSING_OFFICER),
        reform=make.user("cchc", unit=province, role=Role.REFORM_MANAGER, full_name="Nguyễn Thị Cải"),
        citizen=make.citizen(
            "042090001234", full_name="Nguyễn Văn An", email="an@example.vn", password=PASSWORD
        ),
        other_citizen=make.citizen("042185000002", full_name="Trần Thị Bình", password=PASSWORD),
        procedure=procedure,
        interagency=interagency,
        offline=offline,
    )
    # The citizen's ID card is already in their data store: a new dossier offers it for reuse.
    documents.add_store_item(
        actor=None,
        owner_kind="person",
        owner_id_number=world.citizen.citizen_id,
        owner=world.citizen,
        document_type="cccd",
        name="Căn cước công dân",
        number=world.citizen.citizen_id,
        issuer="Cục Cảnh sát QLHC về TTXH",
        issued_on=timezone.localdate() - dt.timedelta(days=400),
        file=documents.store_upload(pdf("cccd-kho"), world.citizen),
    )
    return world
