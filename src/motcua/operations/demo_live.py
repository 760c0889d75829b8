"""Today's work for the demo: a few dozen dossiers handled through the dossier services.

The demo year (demo_year.py) is 2023, in the three-tier units of that time. The officers of the
demo work today, in the units in force today, so their queues, a citizen's "my dossiers" and the
printed forms show real, recent dossiers in every state — each one made by the same services the
web pages and the API call, with their audit events, steps, codes and fact rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from motcua.accounts.choices import Role
from motcua.accounts.models import User
from motcua.calendar import services as cal
from motcua.catalog.models import Procedure
from motcua.documents import services as documents
from motcua.documents.registries import registry
from motcua.dossiers import services as dossiers
from motcua.dossiers.choices import Source
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Action, actions_from
from motcua.feedback import services as feedback
from motcua.orgs.models import Unit

# (stage, how many) per unit: the states a one-stop counter has on any given day.
STAGES = [
    ("new", 3),
    ("received", 3),
    ("processing", 4),
    ("supplement", 2),
    ("processed", 3),
    ("returned", 3),
    ("rated", 3),
    ("refused", 1),
    ("withdrawn", 1),
]
APPLICANTS = [
    ("Nguyễn Thị Hoa", "042185000111"),
    ("Trần Văn Bình", "042090000222"),
    ("Lê Thị Mai", "042195000333"),
    ("Phạm Văn Cường", "042088000444"),
    ("Hoàng Thị Dung", "042192000555"),
    ("Võ Văn Hùng", "042079000666"),
]
_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class _Cast:
    """The demo users of one unit, by role."""

    def __init__(self, unit: Unit):
        self.unit = unit
        self.by_role: dict[str, User] = {}
        for m in unit.memberships.select_related("user"):
            self.by_role.setdefault(m.role, m.user)

    def __getitem__(self, role: str) -> User:
        return self.by_role[role]


def _procedures(unit: Unit) -> tuple[list[Procedure], list[Procedure]]:
    """Procedures of the unit's level: (handled in-house, with an inter-agency step), online ones first."""
    level_field = {"province": "at_province", "district": "at_district", "commune": "at_commune"}[unit.level]
    candidates = Procedure.objects.filter(
        internal=False, published=True, duration_days__gte=2, **{level_field: True}
    )
    if unit.level == "province":
        candidates = candidates.filter(province_unit=unit)
    ordered = sorted(
        candidates.prefetch_related("steps", "components"), key=lambda p: (p.online_level != "full", p.code)
    )
    inhouse = [p for p in ordered if not any(s.unit_kind for s in p.steps.all())]
    return inhouse, [p for p in ordered if p not in inhouse]


def _documents(procedure: Procedure, citizen: User | None, id_number: str) -> list[dossiers.DocumentInput]:
    docs = []
    for number, component in enumerate(procedure.components.all(), start=1):
        if component.national_db and registry().lookup(component.national_db, id_number) is not None:
            docs.append(dossiers.DocumentInput(component=number, source="national_db"))
        elif citizen is not None:
            upload = SimpleUploadedFile(
                f"thanh-phan-{number}.pdf", _PDF + str(number).encode(), "application/pdf"
            )
            docs.append(
                dossiers.DocumentInput(
                    component=number, source="upload", file_id=documents.store_upload(upload, citizen).pk
                )
            )
        else:
            docs.append(dossiers.DocumentInput(component=number, source="paper"))
    return docs


def _advance(dossier: Dossier, cast: _Cast, until: Callable[[Dossier], bool], at: dt.datetime) -> Dossier:
    """Move the dossier through its steps with the unit's officers until `until` holds."""
    for _ in range(12):
        if until(dossier):
            return dossier
        steps = list(dossier.steps.order_by("order"))
        allowed = actions_from(dossier, steps)
        at += dt.timedelta(hours=2)
        if Action.FORWARD in allowed:
            # The next step is another agency's (e.g. the police for a judicial record): send it there.
            kind = next(
                (s.unit_kind for s in steps if s.order > dossier.current_step.order and s.unit_kind), ""
            )
            to_unit = (
                Unit.objects.as_of(at.date())
                .filter(kind=kind, province_code=dossier.unit.province_code)
                .first()
            )
            if to_unit is None:
                return dossier
            return dossiers.forward(
                cast[Role.UNIT_LEADER], dossier, to_unit, note="Đề nghị phối hợp xác minh.", at=at
            )
        if Action.APPROVE in allowed:
            dossier = dossiers.approve(
                cast[Role.UNIT_LEADER], dossier, note="Đủ điều kiện giải quyết.", at=at
            )
        elif Action.RETURN_RESULT in allowed:
            dossier = dossiers.return_result(cast[Role.COUNTER_OFFICER], dossier, method="counter", at=at)
        elif Action.COMPLETE_STEP in allowed:
            role = dossier.current_step.role if dossier.current_step else Role.PROCESSING_OFFICER
            dossier = dossiers.complete_step(cast[role], dossier, note="Hoàn thành.", at=at)
        else:
            return dossier
    return dossier


def _one(stage: str, n: int, procedure: Procedure, cast: _Cast, citizen: User, start: dt.datetime) -> Dossier:
    online = procedure.online_level == "full" and (stage in ("new", "refused", "rated") or n % 2 == 0)
    if online:
        dossier = dossiers.submit_online(
            citizen, cast.unit, procedure, _documents(procedure, citizen, citizen.username), at=start
        )
        if stage == "new":
            return dossier
        if stage == "refused":
            return dossiers.refuse_at_intake(
                cast[Role.COUNTER_OFFICER],
                dossier,
                "Tờ khai chưa ghi đủ thông tin của người được khai sinh.",
                at=start + dt.timedelta(hours=1),
            )
        dossier = dossiers.accept_online(
            cast[Role.COUNTER_OFFICER], dossier, at=start + dt.timedelta(hours=1)
        )
    else:
        name, id_number = APPLICANTS[n % len(APPLICANTS)]
        applicant = dossiers.Applicant(name=name, id_number=id_number, phone=f"09{n:08d}", address="Hà Tĩnh")
        dossier = dossiers.receive_at_counter(
            cast[Role.COUNTER_OFFICER],
            cast.unit,
            procedure,
            applicant,
            _documents(procedure, None, id_number),
            received_at=start,
        )
    at = start + dt.timedelta(hours=3)
    if stage in ("received", "refused"):
        return dossier
    if stage == "withdrawn":
        return dossiers.withdraw(cast[Role.COUNTER_OFFICER], dossier, "Người nộp đề nghị rút hồ sơ.", at=at)
    if stage == "processing":
        return _advance(dossier, cast, lambda d: d.current_step is not None and d.current_step.order >= 2, at)
    if stage == "supplement":
        dossier = _advance(
            dossier, cast, lambda d: d.current_step is not None and d.current_step.order >= 2, at
        )
        return dossiers.request_supplement(
            cast[Role.PROCESSING_OFFICER],
            dossier,
            "Bổ sung bản sao giấy tờ chứng minh nơi cư trú.",
            items=["Giấy xác nhận thông tin về cư trú"],
            at=at + dt.timedelta(hours=4),
        )
    if stage == "processed":
        return _advance(dossier, cast, lambda d: d.status == "processed", at)
    dossier = _advance(dossier, cast, lambda d: d.status == "returned", at)
    if stage == "rated" and dossier.applicant_id == citizen.pk and dossier.status == "returned":
        feedback.rate(
            citizen, dossier, "very_satisfied" if n % 3 else "satisfied", "Cán bộ hướng dẫn tận tình."
        )
    return dossier


def ensure_live(unit_codes: list[str], citizen_username: str, seed: int = 2026) -> int:
    """Create today's dossiers at the given units unless they already have some; return how many."""
    rng = random.Random(seed)
    citizen = User.objects.get(username=citizen_username)
    calendar = cal.load_calendar()
    today = timezone.localdate()
    days = []
    day = today
    while len(days) < 10:
        day = calendar.previous_working_day(day - dt.timedelta(days=1))
        days.append(day)
    made = 0
    for code in unit_codes:
        unit = Unit.objects.get(code=code)
        if Dossier.objects.filter(unit=unit, source=Source.MOTCUA).exists():
            continue
        cast = _Cast(unit)
        inhouse, interagency = _procedures(unit)
        if not inhouse and not interagency:
            continue
        n = 0
        with transaction.atomic():  # a unit's sample is made whole or not at all
            for stage, count in STAGES:
                for _ in range(count):
                    n += 1
                    # Stages past a decision need a process this unit completes on its own.
                    pool = (
                        inhouse
                        if stage in ("supplement", "processed", "returned", "rated")
                        else (interagency + inhouse)
                    )
                    if stage in ("new", "refused", "rated"):  # these start online
                        pool = [p for p in pool if p.online_level == "full"] or pool
                    if not pool:
                        continue
                    procedure = pool[n % len(pool)]
                    back = rng.randrange(len(days)) if stage in ("returned", "rated") else rng.randrange(4)
                    hour = dt.time(8 + rng.randrange(8), rng.randrange(60))
                    start = dt.datetime.combine(days[back], hour, tzinfo=timezone.get_current_timezone())
                    _one(stage, n, procedure, cast, citizen, start)
                    made += 1
    return made
