"""Everything a dossier page shows, read once: the dossier with its steps, documents, supplements and
apologies, its timeline, fees and payments, rating and complaints, and what the reader may do now.

The citizen's page and the officer's page read the same `DossierPage`; they differ in which
actions they offer and how much they show. A fixed number of queries, whatever the dossier holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.models import AuditEvent
from motcua.dossiers import selectors, workflow
from motcua.dossiers.choices import Status
from motcua.dossiers.models import Apology, Dossier, DossierDocument, DossierStep, Supplement
from motcua.dossiers.rules import ProcedureRules, rules_for_version
from motcua.feedback import selectors as feedback
from motcua.feedback.models import Complaint, DossierRating
from motcua.payments import selectors as payment_selectors
from motcua.payments import services as payments
from motcua.payments.models import Payment, PaymentStatus
from motcua.web.selectors import result_released


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the dossier's history, from its audit event."""

    at: dt.datetime
    label: str
    actor: str
    status: str | None
    note: str


def _entry(event: AuditEvent) -> TimelineEntry:
    action = event.action.removeprefix("dossier.")
    after = event.after or {}
    note = next((str(after[k]) for k in ("reasons", "reason", "note") if after.get(k)), "")
    label = str(workflow.Action(action).label) if action in workflow.Action.values else event.action
    return TimelineEntry(
        at=event.at, label=label, actor=event.actor_label, status=after.get("status"), note=note
    )


@dataclass
class DossierPage:
    """A dossier as one page shows it to one reader."""

    dossier: Dossier
    user: Any
    today: selectors.Today
    steps: list[DossierStep]
    documents: list[DossierDocument]
    supplements: list[Supplement]
    apologies: list[Apology]
    timeline: list[TimelineEntry]
    allowed: list[str]
    fee_items: list[payments.FeeItem]
    payments: list[Payment]
    rating: DossierRating | None
    complaints: list[Complaint]
    rules: ProcedureRules | None
    controls: dict[int, selectors.StepControl] = field(default_factory=dict)

    @property
    def is_applicant(self) -> bool:
        return self.dossier.applicant_id is not None and self.dossier.applicant_id == self.user.pk

    @property
    def contact(self) -> str:
        """How to reach the applicant: phone, email, address (those given)."""
        d = self.dossier
        return " · ".join(part for part in (d.contact_phone, d.contact_email, d.contact_address) if part)

    @property
    def open(self) -> bool:
        return self.dossier.status in workflow.OPEN_STATES

    @property
    def paused(self) -> bool:
        return self.dossier.paused_at is not None

    @property
    def amount_due(self) -> int:
        return sum(item.amount for item in self.fee_items)

    @property
    def amount_paid(self) -> int:
        return sum(p.amount for p in self.payments if p.status == PaymentStatus.PAID)

    @property
    def outstanding(self) -> int:
        return max(self.amount_due - self.amount_paid, 0)

    @property
    def payable(self) -> bool:
        return self.outstanding > 0 and self.dossier.status in payments.PAYABLE_STATUSES

    @property
    def open_supplement(self) -> Supplement | None:
        return next((s for s in reversed(self.supplements) if s.received_at is None), None)

    @property
    def result_released(self) -> bool:
        return self.dossier.result_file_id is not None and result_released(self.dossier, self.user)

    @property
    def printable_forms(self) -> list[tuple[str, str]]:
        """The printed slips this dossier has (form number, title)."""
        d = self.dossier
        forms = []
        if d.received_at is not None:
            forms.append(("01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")))
        if self.supplements:
            forms.append(("02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")))
        if d.status == Status.NOT_RECEIVED:
            forms.append(("03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")))
        if self.apologies:
            forms.append(("04", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")))
        if self.steps:
            forms.append(("05", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")))
        return forms

    @property
    def following_step(self) -> DossierStep | None:
        current = self.dossier.current_step
        return workflow.next_step(self.steps, current) if current is not None else None


def load(user: Any, code: str) -> DossierPage:
    """The page of dossier `code` for `user`; NotFound when the user may not see it."""
    dossier = selectors.detail(user, code)
    steps = sorted(dossier.steps.all(), key=lambda s: (s.order, s.pk))
    now = timezone.now()
    return DossierPage(
        dossier=dossier,
        user=user,
        today=selectors.Today.at(now),
        steps=steps,
        documents=list(dossier.documents.all()),
        supplements=list(dossier.supplements.all()),
        apologies=list(dossier.apologies.all()),
        timeline=[_entry(e) for e in selectors.timeline(dossier)],
        allowed=workflow.allowed_actions(dossier, steps, user),
        fee_items=payments.fee_items(dossier),
        payments=list(payment_selectors.payments_of(dossier)),
        rating=feedback.rating_of(dossier),
        complaints=list(feedback.complaints_of(dossier)),
        rules=rules_for_version(dossier.procedure_version) if dossier.procedure_version else None,
        controls={c.order: c for c in selectors.process_control(dossier, now)},
    )
