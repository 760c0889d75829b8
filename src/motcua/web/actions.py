"""The actions a dossier page offers: one form per action, each calling one service.

Every form carries the dossier's `version` as the reader saw it, so a change made meanwhile by
someone else is refused ("Hồ sơ đã được cập nhật bởi người khác") instead of overwritten.
`perform` calls the service and returns what to tell the user; the view turns the domain's errors
into messages (state and permission) or errors next to the field (invalid input).

Which forms a page shows: the workflow's allowed actions for the reader (`workflow.allowed_actions`)
that have a form here, plus the actions outside the state machine — paying online, rating,
filing a complaint (the applicant) and recording a counter payment (counter officers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.choices import Role
from motcua.accounts.client_ip import client_ip
from motcua.accounts.models import User
from motcua.catalog.models import Component
from motcua.documents import services as documents
from motcua.dossiers import services as dossiers
from motcua.dossiers.choices import DocumentSource, Rating, ReturnMethod, Status
from motcua.dossiers.workflow import Action, roles_at
from motcua.errors import MotcuaError
from motcua.feedback import services as feedback
from motcua.orgs.models import Unit
from motcua.payments import services as payments
from motcua.web import selectors
from motcua.web.dossier_page import DossierPage
from motcua.web.forms.components import ComponentsForm, Offer


@dataclass(frozen=True)
class Done:
    """What happened: the message to show, and where to go (the dossier page when None)."""

    message: str
    redirect: str | None = None


def _reasons(label: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


def _note() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActionForm(forms.Form):
    """One action on one dossier. Subclasses name the action, their fields and `perform`."""

    action: ClassVar[str]
    label: ClassVar[Any]
    button: ClassVar[Any] = gettext_lazy("Xác nhận")
    danger: ClassVar[bool] = False
    multipart: ClassVar[bool] = False

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, page: DossierPage, ip: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.action)
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", page.dossier.version)
        super().__init__(*args, **kwargs)
        self.page = page
        self.ip = ip

    @property
    def dossier(self) -> Any:
        return self.page.dossier

    def seen_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def perform(self, request: HttpRequest) -> Done:
        raise NotImplementedError

    def place_error(self, exc: MotcuaError) -> bool:
        """Put a service's InvalidInput next to the field it names, when this form has it."""
        if exc.field and exc.field in self.fields and exc.field != "version":
            self.add_error(exc.field, exc.message)
            return True
        return False


# --- intake --------------------------------------------------------------------------------------


class AcceptForm(ActionForm):
    action = Action.ACCEPT_ONLINE
    label = Action.ACCEPT_ONLINE.label
    button = gettext_lazy("Tiếp nhận hồ sơ")
    multipart = True

    def __init__(self, *args: Any, page: DossierPage, **kwargs: Any) -> None:
        super().__init__(*args, page=page, **kwargs)
        self.paper = [d for d in page.documents if d.source == DocumentSource.PAPER and d.component_id]
        numbers = {c.pk: i for i, c in enumerate(_live_components(page), start=1)}
        self.scan_numbers: dict[str, int] = {}
        for doc in self.paper:
            name = f"scan_{doc.pk}"
            self.fields[name] = forms.FileField(
                label=_("Bản quét: %(name)s") % {"name": doc.name},
                required=False,
                help_text=_("Không bắt buộc: bản giấy được số hóa khi có bản quét."),
            )
            self.scan_numbers[name] = numbers.get(doc.component_id, 0)

    def perform(self, request: HttpRequest) -> Done:
        scans = {}
        for name, number in self.scan_numbers.items():
            upload = self.cleaned_data.get(name)
            if upload:
                scans[number] = documents.store_upload(upload, request.user, ip=client_ip(request)).pk
        dossiers.accept_online(
            request.user, self.dossier, scans=scans, version=self.seen_version(), ip=client_ip(request)
        )
        return Done(_("Đã tiếp nhận hồ sơ. In giấy tiếp nhận và hẹn trả kết quả (mẫu 01) ở mục “Phiếu in”."))


def _live_components(page: DossierPage) -> list[Component]:
    return list(Component.objects.filter(procedure_id=page.dossier.procedure_id).order_by("order", "id"))


class RefuseForm(ActionForm):
    action = Action.REFUSE_AT_INTAKE
    label = Action.REFUSE_AT_INTAKE.label
    button = gettext_lazy("Từ chối tiếp nhận")
    danger = True
    reasons = _reasons(gettext_lazy("Lý do từ chối"))

    def perform(self, request: HttpRequest) -> Done:
        dossiers.refuse_at_intake(
            request.user,
            self.dossier,
            self.cleaned_data["reasons"],
            version=self.seen_version(),
            ip=client_ip(request),
        )
        return Done(_("Đã từ chối tiếp nhận hồ sơ. In phiếu từ chối (mẫu 03) ở mục “Phiếu in”."))


# --- processing ----------------------------------------------------------------------------------


class AssignForm(ActionForm):
    action = Action.ASSIGN
    label = Action.ASSIGN.label
    button = gettext_lazy("Phân công")
    officer = forms.ChoiceField(label=gettext_lazy("Cán bộ xử lý bước hiện tại"))

    def __init__(self, *args: Any, page: DossierPage, **kwargs: Any) -> None:
        super().__init__(*args, page=page, **kwargs)
        step = page.dossier.current_step
        officers = (
            selectors.assignable_officers(step.unit, step.role, page.today.day) if step is not None else []
        )
        self.officers = {str(u.pk): u for u in officers}
        self.fields["officer"].choices = [(pk, str(u)) for pk, u in self.officers.items()]

    def perform(self, request: HttpRequest) -> Done:
        officer: User = self.officers[self.cleaned_data["officer"]]
        dossiers.assign(
            request.user, self.dossier, officer, version=self.seen_version(), ip=client_ip(request)
        )
        return Done(_("Đã phân công %(name)s.") % {"name": officer})


class CompleteStepForm(ActionForm):
    action = Action.COMPLETE_STEP
    label = Action.COMPLETE_STEP.label
    button = gettext_lazy("Hoàn thành bước")
    note = _note()

    def perform(self, request: HttpRequest) -> Done:
        step = self.dossier.current_step
        dossiers.complete_step(
            request.user,
            self.dossier,
            self.cleaned_data["note"],
            version=self.seen_version(),
            ip=client_ip(request),
        )
        return Done(_("Đã hoàn thành bước “%(step)s”.") % {"step": step.name if step else ""})


class ForwardForm(ActionForm):
    action = Action.FORWARD
    label = Action.FORWARD.label
    button = gettext_lazy("Chuyển hồ sơ")
    to_unit = forms.ChoiceField(label=gettext_lazy("Chuyển đến đơn vị"))
    note = _note()

    def __init__(self, *args: Any, page: DossierPage, **kwargs: Any) -> None:
        super().__init__(*args, page=page, **kwargs)
        following = page.following_step
        units = (
            selectors.forward_units(following.unit_kind, page.today.day) if following else Unit.objects.none()
        )
        self.units = {u.code: u for u in units}
        self.fields["to_unit"].choices = [("", _("— Chọn đơn vị —"))] + [
            (c, u.name) for c, u in self.units.items()
        ]

    def perform(self, request: HttpRequest) -> Done:
        unit = self.units[self.cleaned_data["to_unit"]]
        dossiers.forward(
            request.user,
            self.dossier,
            unit,
            self.cleaned_data["note"],
            version=self.seen_version(),
            ip=client_ip(request),
        )
        return Done(_("Đã chuyển hồ sơ đến %(unit)s.") % {"unit": unit.name})


class SupplementForm(ActionForm):
    action = Action.REQUEST_SUPPLEMENT
    label = Action.REQUEST_SUPPLEMENT.label
    button = gettext_lazy("Gửi yêu cầu bổ sung")
    reason = _reasons(gettext_lazy("Nội dung yêu cầu bổ sung"))
    items = forms.CharField(
        label=gettext_lazy("Giấy tờ cần bổ sung"),
        required=False,
        help_text=gettext_lazy("Mỗi dòng một giấy tờ."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def perform(self, request: HttpRequest) -> Done:
        dossiers.request_supplement(
            request.user,
            self.dossier,
            self.cleaned_data["reason"],
            self.cleaned_data["items"].splitlines(),
            version=self.seen_version(),
            ip=client_ip(request),
        )
        return Done(_("Đã gửi yêu cầu bổ sung; hồ sơ tạm dừng. In phiếu yêu cầu (mẫu 02) ở mục “Phiếu in”."))


class SupplyForm(ActionForm):
    """Answer the open supplement request with the papers asked for (the applicant, or a counter
    officer who received them)."""

    action = Action.SUPPLY
    label = Action.SUPPLY.label
    button = gettext_lazy("Gửi bổ sung")
    multipart = True

    def __init__(self, *args: Any, page: DossierPage, **kwargs: Any) -> None:
        super().__init__(*args, page=page, **kwargs)
        user = page.user
        rules = page.rules
        store = (
            {
                o.document_type: o.items
                for o in documents.offer_from_store(user, page.dossier.procedure)
                if o.items
            }
            if page.is_applicant
            else {}
        )
        self.components = ComponentsForm(
            self.data if self.is_bound else None,
            self.files if self.is_bound else None,
            prefix=self.prefix,
            components=rules.components if rules else [],
            offer=Offer(store=page.is_applicant, paper=not page.is_applicant, all_optional=True),
            store_items=store,
            kept_files=lambda file_id: _own_upload(user, file_id),
        )

    def is_valid(self) -> bool:
        own = super().is_valid()
        components_ok = self.components.is_valid()
        uploads_ok = self.components.keep_uploads(
            lambda upload: documents.store_upload(upload, self.page.user, ip=self.ip)
        )
        return own and components_ok and uploads_ok

    def perform(self, request: HttpRequest) -> Done:
        inputs, numbers = self.components.document_inputs()
        self._numbers = numbers
        dossiers.supply(
            request.user, self.dossier, inputs, version=self.seen_version(), ip=client_ip(request)
        )
        return Done(_("Đã gửi giấy tờ bổ sung; hồ sơ tiếp tục được xử lý."))

    def place_error(self, exc: MotcuaError) -> bool:
        return self.components.place_error(exc, getattr(self, "_numbers", {})) or super().place_error(exc)


def _own_upload(user: Any, file_id: int) -> Any:
    try:
        return documents.attachable_file(user, file_id)
    except MotcuaError:
        return None


class WaitingPaymentForm(ActionForm):
    action = Action.MARK_WAITING_PAYMENT
    label = Action.MARK_WAITING_PAYMENT.label
    note = _note()

    def perform(self, request: HttpRequest) -> Done:
        dossiers.mark_waiting_payment(
            request.user,
            self.dossier,
            note=self.cleaned_data["note"],
            version=self.seen_version(),
            ip=client_ip(request),
        )
        return Done(_("Hồ sơ chờ người nộp thực hiện nghĩa vụ tài chính."))


class PaymentSettledForm(ActionForm):
    action = Action.PAYMENT_SETTLED
    label = Action.PAYMENT_SETTLED.label

    def perform(self, request: HttpRequest) -> Done:
        dossiers.payment_settled(
            self.dossier, actor=request.user, version=self.seen_version(), ip=client_ip(request)
        )
        return Done(_("Đã ghi nhận nghĩa vụ tài chính; hồ sơ tiếp tục được xử lý."))


class CounterPaymentForm(ActionForm):
    """Fees paid in cash or by card at the counter (not a step of the state machine)."""

    action = "counter_payment"
    label = gettext_lazy("Ghi nhận nộp phí tại quầy")
    button = gettext_lazy("Ghi nhận đã nộp")
    amount = forms.IntegerField(label=gettext_lazy("Số tiền (đồng)"), min_value=0)

    def __init__(self, *args: Any, page: DossierPage, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["amount"] = page.outstanding
        super().__init__(*args, page=page, **kwargs)

    def perform(self, request: HttpRequest) -> Done:
        payments.record_counter_payment(
            request.user, self.dossier, self.cleaned_data["amount"], ip=client_ip(request)
        )
        return Done(_("Đã ghi nhận nộp phí, lệ phí tại quầy."))


# --- decisions -----------------------------------------------------------------------------------


class ApproveForm(ActionForm):
    action = Action.APPROVE
    label = Action.APPROVE.label
    button = gettext_lazy("Phê duyệt")
    multipart = True
    result = forms.FileField(
        label=gettext_lazy("Tệp kết quả đã ký (không bắt buộc)"),
        required=False,
        help_text=gettext_lazy("Không tải lên: hệ thống tạo văn bản kết quả điện tử."),
    )
    note = _note()

    def perform(self, request: HttpRequest) -> Done:
        upload = self.cleaned_data.get("result")
        result_id = documents.store_upload(upload, request.user, ip=client_ip(request)).pk if upload else None
        dossiers.approve(
            request.user,
            self.dossier,
            result_file_id=result_id,
            note=self.cleaned_data["note"],
            version=self.seen_version(),
            ip=client_ip(request),
        )
        return Done(_("Đã phê duyệt hồ sơ; kết quả đã được đưa vào kho dữ liệu của người nộp."))

    def place_error(self, exc: MotcuaError) -> bool:
        if exc.field == "file":  # the uploaded result was refused (type, size, scanner)
            self.add_error("result", exc.message)
            return True
        return super().place_error(exc)


class RejectForm(ActionForm):
    action = Action.REJECT
    label = Action.REJECT.label
    button = gettext_lazy("Từ chối giải quyết")
    danger = True
    reasons = _reasons(gettext_lazy("Lý do từ chối giải quyết"))

    def perform(self, request: HttpRequest) -> Done:
        dossiers.reject(
            request.user,
            self.dossier,
            self.cleaned_data["reasons"],
            version=self.seen_version(),
            ip=client_ip(request),
        )
        return Done(_("Đã từ chối giải quyết hồ sơ."))


class StopForm(ActionForm):
    action = Action.STOP
    label = Action.STOP.label
    button = gettext_lazy("Dừng xử lý")
    danger = True
    reasons = _reasons(gettext_lazy("Lý do dừng xử lý"))

    def perform(self, request: HttpRequest) -> Done:
        dossiers.stop(
            request.user,
            self.dossier,
            self.cleaned_data["reasons"],
            version=self.seen_version(),
            ip=client_ip(request),
        )
        return Done(_("Đã dừng xử lý hồ sơ."))


class ApologyForm(ActionForm):
    action = Action.APOLOGIZE
    label = Action.APOLOGIZE.label
    button = gettext_lazy("Lập phiếu xin lỗi")
    new_date = forms.DateField(
        label=gettext_lazy("Ngày hẹn trả mới"),
        help_text=gettext_lazy("dd/mm/yyyy"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    new_time = forms.TimeField(
        label=gettext_lazy("Giờ hẹn trả"), initial=dt.time(17, 0), input_formats=["%H:%M"]
    )
    reason = _reasons(gettext_lazy("Lý do chậm trễ"))

    def perform(self, request: HttpRequest) -> Done:
        new_due = timezone.make_aware(
            dt.datetime.combine(self.cleaned_data["new_date"], self.cleaned_data["new_time"])
        )
        dossiers.apologize(
            request.user,
            self.dossier,
            new_due,
            self.cleaned_data["reason"],
            version=self.seen_version(),
            ip=client_ip(request),
        )
        return Done(_("Đã lập phiếu xin lỗi và hẹn lại (mẫu 04); người nộp trực tuyến được thông báo."))

    def place_error(self, exc: MotcuaError) -> bool:
        if exc.field == "new_due_at":
            self.add_error("new_date", exc.message)
            return True
        return super().place_error(exc)


class ReturnForm(ActionForm):
    action = Action.RETURN_RESULT
    label = Action.RETURN_RESULT.label
    button = gettext_lazy("Trả kết quả")
    method = forms.ChoiceField(
        label=gettext_lazy("Hình thức trả kết quả"), choices=ReturnMethod.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, page: DossierPage, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["method"] = (
            ReturnMethod.ONLINE if page.dossier.channel == "online" else ReturnMethod.COUNTER
        )
        super().__init__(*args, page=page, **kwargs)

    def perform(self, request: HttpRequest) -> Done:
        dossiers.return_result(
            request.user,
            self.dossier,
            self.cleaned_data["method"],
            version=self.seen_version(),
            ip=client_ip(request),
        )
        return Done(_("Đã trả kết quả cho người nộp."))


class WithdrawForm(ActionForm):
    action = Action.WITHDRAW
    label = Action.WITHDRAW.label
    button = gettext_lazy("Rút hồ sơ")
    danger = True
    reason = _reasons(gettext_lazy("Lý do rút hồ sơ"))

    def perform(self, request: HttpRequest) -> Done:
        dossiers.withdraw(
            request.user,
            self.dossier,
            self.cleaned_data["reason"],
            version=self.seen_version(),
            ip=client_ip(request),
        )
        return Done(_("Hồ sơ đã được rút."))


# --- the applicant's own actions -----------------------------------------------------------------


class PayOnlineForm(ActionForm):
    """Start an online payment and go to the gateway's page; the gateway sends the payer back here."""

    action = "pay_online"
    label = gettext_lazy("Thanh toán trực tuyến")
    button = gettext_lazy("Thanh toán trực tuyến")

    def perform(self, request: HttpRequest) -> Done:
        back = request.build_absolute_uri(reverse("web:dossier", args=[self.dossier.code]))
        payment, url = payments.create_online_payment(
            request.user, self.dossier, return_url=back, ip=client_ip(request)
        )
        return Done(_("Chuyển đến cổng thanh toán…"), redirect=url)


class RateForm(ActionForm):
    action = "rate"
    label = gettext_lazy("Đánh giá mức độ hài lòng")
    button = gettext_lazy("Gửi đánh giá")
    value = forms.ChoiceField(
        label=gettext_lazy("Bạn hài lòng thế nào với việc giải quyết hồ sơ?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Ý kiến (không bắt buộc)"),
        required=False,
        max_length=feedback.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def perform(self, request: HttpRequest) -> Done:
        feedback.rate(
            request.user,
            self.dossier,
            self.cleaned_data["value"],
            self.cleaned_data["comment"],
            ip=client_ip(request),
        )
        return Done(_("Cảm ơn bạn đã đánh giá."))


class ComplaintForm(ActionForm):
    action = "complaint"
    label = gettext_lazy("Phản ánh, kiến nghị")
    button = gettext_lazy("Gửi phản ánh")
    text = forms.CharField(
        label=gettext_lazy("Nội dung phản ánh, kiến nghị"),
        max_length=feedback.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def perform(self, request: HttpRequest) -> Done:
        feedback.file_complaint(request.user, self.dossier, self.cleaned_data["text"], ip=client_ip(request))
        return Done(_("Đã gửi phản ánh, kiến nghị; đơn vị sẽ trả lời trên trang hồ sơ."))


# --- which forms a page offers -------------------------------------------------------------------

OFFICE_FORMS: dict[str, type[ActionForm]] = {
    f.action: f
    for f in (
        AcceptForm,
        RefuseForm,
        AssignForm,
        CompleteStepForm,
        ForwardForm,
        SupplementForm,
        SupplyForm,
        WaitingPaymentForm,
        PaymentSettledForm,
        CounterPaymentForm,
        ApproveForm,
        RejectForm,
        StopForm,
        ApologyForm,
        ReturnForm,
        WithdrawForm,
    )
}
APPLICANT_FORMS: dict[str, type[ActionForm]] = {
    f.action: f for f in (SupplyForm, PayOnlineForm, RateForm, ComplaintForm, WithdrawForm)
}

_COUNTER_PAYMENT_ROLES = set(payments.COUNTER_ROLES)


def available(page: DossierPage, registry: dict[str, type[ActionForm]]) -> list[str]:
    """The actions of `registry` the page's reader may take now, in the registry's order."""
    allowed = set(page.allowed)
    d = page.dossier
    if page.is_applicant:
        if page.payable and d.procedure.online_payment:
            allowed.add(PayOnlineForm.action)
        if d.status == Status.RETURNED and page.rating is None:
            allowed.add(RateForm.action)
        if d.received_at is not None:
            allowed.add(ComplaintForm.action)
    if page.payable and roles_at(page.user, d.unit) & _COUNTER_PAYMENT_ROLES:
        allowed.add(CounterPaymentForm.action)
    if Role.COUNTER_OFFICER not in roles_at(page.user, d.unit) and not page.is_applicant:
        # Supplying on the applicant's behalf is for the counter that received the papers.
        allowed.discard(SupplyForm.action)
    return [name for name in registry if name in allowed]


def forms_for(
    page: DossierPage, registry: dict[str, type[ActionForm]], bound: ActionForm | None = None
) -> list[ActionForm]:
    """One unbound form per available action; `bound` (a form that failed) replaces its own."""
    out = []
    for name in available(page, registry):
        if bound is not None and bound.action == name:
            out.append(bound)
        else:
            out.append(registry[name](page=page))
    return out
