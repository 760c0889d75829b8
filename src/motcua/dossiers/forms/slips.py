"""The printed slips of the one-stop shop, forms 01–05 of Circular 01/2018/TT-VPCP, as PDF.

01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả, 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ,
03 Phiếu từ chối tiếp nhận giải quyết hồ sơ, 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả,
05 Phiếu kiểm soát quá trình giải quyết hồ sơ.

The wording follows the circular and is not translated: these are legal papers in Vietnamese
whatever language the officer's screen uses. Each `render_formNN(dossier)` returns the PDF bytes,
or raises `StateError` when the dossier has no such slip (no supplement requested, not refused…).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings

from motcua.catalog.choices import CopyKind, DayKind
from motcua.dossiers.choices import DocumentSource, ReturnMethod, Status
from motcua.dossiers.forms.layout import (
    OfficialPage,
    local,
    short_date,
    time_and_date,
)
from motcua.dossiers.models import Apology, Dossier, DossierStep, Refusal, Supplement
from motcua.errors import StateError

COUNTER_DESK = "Bộ phận tiếp nhận và trả kết quả"
SIGN_AND_NAME = "(Ký và ghi rõ họ tên)"


def place_name() -> str:
    """The place written before the date ("Hà Tĩnh, ngày …"): settings.MOTCUA_PLACE_NAME."""
    return str(getattr(settings, "MOTCUA_PLACE_NAME", "") or "Hà Tĩnh")


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(getattr(user, "full_name", "") or user.get_full_name() or user.get_username())


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _start(
    dossier: Dossier, title: str, number: str, on: dt.datetime | dt.date, *subtitles: str
) -> OfficialPage:
    unit = dossier.unit
    page = OfficialPage(f"{title} – {dossier.code}")
    page.header_block(
        unit.parent.name if unit.parent is not None else "", unit.name, number, place_name(), on
    )
    page.heading(title, *subtitles)
    return page


def _applicant_lines(page: OfficialPage, dossier: Dossier) -> None:
    page.field("Địa chỉ", dossier.contact_address)
    phone = dossier.contact_phone or "…"
    email = dossier.contact_email or "…"
    page.para(f"Số điện thoại: {phone}        Thư điện tử: {email}")
    page.field("Nội dung yêu cầu giải quyết", dossier.procedure.name)


def _document_form(doc: Any) -> str:
    if doc.source in (DocumentSource.STORE, DocumentSource.NATIONAL_DB):
        return f"Khai thác từ {DocumentSource(doc.source).label.lower()}"
    if doc.component is not None:
        return str(CopyKind(doc.component.copy_kind).label)
    return "Bản điện tử" if doc.source == DocumentSource.UPLOAD else "Bản giấy"


def render_form01(dossier: Dossier) -> bytes:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (form 01): given when a dossier is received."""
    from motcua.payments.services import amount_due, amount_outstanding

    if dossier.received_at is None:
        raise StateError("Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận và hẹn trả kết quả.")
    title = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
    page = _start(dossier, title, dossier.code, dossier.received_at, f"Mã hồ sơ: {dossier.code}")
    page.para(f"{dossier.unit.name} tiếp nhận hồ sơ của: {dossier.applicant_name or '…'}")
    _applicant_lines(page, dossier)

    page.para("1. Thành phần hồ sơ nộp gồm:")
    documents = list(dossier.documents.select_related("component"))
    rows = [
        [str(i), doc.name, _document_form(doc), str(doc.component.quantity if doc.component else 1)]
        for i, doc in enumerate(documents, start=1)
    ]
    if rows:
        page.grid(
            ["TT", "Tên giấy tờ", "Hình thức (bản chính, bản sao…)", "Số lượng"], rows, (10, 85, 50, 20)
        )
    else:
        page.para("(Không có giấy tờ kèm theo)", style="I", indent=5)
    procedure = dossier.procedure
    days = "ngày làm việc" if procedure.day_kind == DayKind.WORKING else "ngày"
    page.para("2. Số lượng hồ sơ: 01 (bộ)")
    page.para(f"3. Thời gian giải quyết hồ sơ theo quy định là: {procedure.duration_days} {days}")
    page.para(f"4. Thời gian nhận hồ sơ: {time_and_date(dossier.received_at)}")
    page.para(f"5. Thời gian trả kết quả giải quyết hồ sơ: {time_and_date(dossier.due_at)}")
    method = (
        ReturnMethod(dossier.return_method).label if dossier.return_method else ReturnMethod.COUNTER.label
    )
    page.para(f"6. Đăng ký nhận kết quả tại: {method}")
    due = amount_due(dossier)
    if due:
        paid = "đã nộp" if amount_outstanding(dossier) == 0 else "chưa nộp"
        page.para(f"7. Phí, lệ phí: {_money(due)} đồng ({paid})")
    page.signatures(
        [
            ("Người nộp hồ sơ", SIGN_AND_NAME, dossier.applicant_name),
            ("Người tiếp nhận hồ sơ", SIGN_AND_NAME, _person(dossier.received_by)),
        ]
    )
    return page.to_bytes()


def _pick(items: list[Any], pk: int | None, what: str) -> tuple[int, Any]:
    """The item with primary key `pk` (else the latest) and its 1-based position."""
    if not items:
        raise StateError(f"Hồ sơ không có {what}.")
    if pk is None:
        return len(items), items[-1]
    for position, item in enumerate(items, start=1):
        if item.pk == pk:
            return position, item
    raise StateError(f"Hồ sơ không có {what} số {pk}.")


def render_form02(dossier: Dossier, supplement_id: int | None = None) -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (form 02), for one request (the latest by default)."""
    position, supplement = _pick(
        list(Supplement.objects.filter(dossier=dossier).select_related("requested_by")),
        supplement_id,
        "yêu cầu bổ sung",
    )
    title = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
    page = _start(
        dossier,
        title,
        f"{dossier.code}/BS{position:02d}",
        supplement.requested_at,
        f"Mã hồ sơ: {dossier.code}",
    )
    page.para(f"Hồ sơ của: {dossier.applicant_name or '…'}")
    _applicant_lines(page, dossier)
    page.para(f"Ngày tiếp nhận hồ sơ: {short_date(dossier.received_at)}")
    page.para("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:")
    items = [str(item).strip() for item in (supplement.items or []) if str(item).strip()]
    reason = (supplement.reason or "").strip()
    if not items:
        items, reason = [line.strip() for line in reason.splitlines() if line.strip()] or ["…"], ""
    for i, item in enumerate(items, start=1):
        page.para(f"{i}. {item}", indent=5)
    if reason:
        page.para(f"Lý do: {reason}")
    officer = _person(supplement.requested_by)
    phone = dossier.unit.phone or "…"
    page.para(
        "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với "
        f"{officer or '…'}, số điện thoại {phone} để được hướng dẫn."
    )
    page.para("Xin trân trọng cảm ơn./.")
    page.signatures([("Người hướng dẫn", SIGN_AND_NAME, officer)])
    return page.to_bytes()


def render_form03(dossier: Dossier) -> bytes:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ (form 03), for a dossier refused at intake."""
    refusal = Refusal.objects.filter(dossier=dossier).select_related("refused_by").first()
    if refusal is None and dossier.status != Status.NOT_RECEIVED:
        raise StateError("Hồ sơ không bị từ chối tiếp nhận.")
    on = refusal.refused_at if refusal else (dossier.finished_at or dossier.updated_at)
    reasons = refusal.reasons if refusal else dossier.result_note
    title = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
    page = _start(dossier, title, dossier.code, on, f"Mã hồ sơ: {dossier.code}")
    page.para(f"{dossier.unit.name} tiếp nhận hồ sơ của: {dossier.applicant_name or '…'}")
    _applicant_lines(page, dossier)
    page.para(f"Ngày nộp hồ sơ: {short_date(dossier.submitted_at or dossier.created_at)}")
    page.para(
        f"Qua xem xét, {dossier.unit.name} thông báo không tiếp nhận, giải quyết hồ sơ này "
        "với lý do cụ thể như sau:"
    )
    for line in [line.strip() for line in (reasons or "").splitlines() if line.strip()] or ["…"]:
        page.para(f"- {line}", indent=5)
    page.para("Xin thông báo cho Ông/Bà được biết và thực hiện./.")
    page.signatures(
        [("Người tiếp nhận hồ sơ", SIGN_AND_NAME, _person(refusal.refused_by if refusal else None))]
    )
    return page.to_bytes()


def render_form04(dossier: Dossier, apology_id: int | None = None) -> bytes:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (form 04), for one apology (the latest by default)."""
    position, apology = _pick(list(Apology.objects.filter(dossier=dossier)), apology_id, "phiếu xin lỗi")
    unit = dossier.unit.name
    title = "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
    page = _start(
        dossier,
        title,
        f"{dossier.code}/XL{position:02d}",
        apology.issued_at,
        f"Kính gửi: {dossier.applicant_name or '…'}",
    )
    page.para(
        f"Ngày {short_date(dossier.received_at)}, {unit} tiếp nhận giải quyết hồ sơ của Ông/Bà/tổ chức "
        f"{dossier.applicant_name or '…'}, mã hồ sơ {dossier.code}."
    )
    page.field("Nội dung yêu cầu giải quyết", dossier.procedure.name)
    promised = apology.original_due_at or dossier.due_at
    page.para(f"Thời hạn trả kết quả giải quyết hồ sơ: ngày {short_date(promised)}.")
    page.para(f"Tuy nhiên đến nay, {unit} chưa trả kết quả giải quyết hồ sơ của Ông/Bà/tổ chức.")
    page.field("Lý do", apology.reason)
    page.para(
        f"Sự chậm trễ này đã gây phiền hà cho Ông/Bà/tổ chức. {unit} xin lỗi Ông/Bà/tổ chức và sẽ trả "
        f"kết quả giải quyết hồ sơ cho Ông/Bà/tổ chức vào {time_and_date(apology.new_due_at)}."
    )
    page.para("Xin trân trọng cảm ơn./.")
    page.signatures([("Thủ trưởng cơ quan, đơn vị", "(Ký tên, đóng dấu)", "")])
    return page.to_bytes()


def timeliness(finished: dt.datetime | None, due: dt.datetime | None) -> str:
    """Trước hạn / Đúng hạn / Quá hạn, comparing Vietnam dates (the deadline is a day)."""
    if finished is None:
        return "Đang xử lý"
    if due is None:
        return "Đúng hạn"
    finished_day, due_day = local(finished).date(), local(due).date()
    if finished_day < due_day:
        return "Trước hạn"
    return "Đúng hạn" if finished_day == due_day else "Quá hạn"


def _control_rows(dossier: Dossier, steps: list[DossierStep]) -> list[list[str]]:
    """One row per hand-over: who gave the dossier to whom, when, and whether the step was on time."""
    rows = []
    giver_unit, giver = COUNTER_DESK, _person(dossier.received_by)
    for step in steps:
        receiver = _person(step.assigned_to or step.finished_by)
        rows.append(
            [
                f"1. Giao: {giver_unit}\n2. Nhận: {step.unit.name} ({step.name})",
                time_and_date(step.started_at) if step.started_at else "",
                giver,
                receiver,
                timeliness(step.finished_at, step.due_at) if step.started_at else "",
                step.note,
            ]
        )
        giver_unit, giver = f"{step.unit.name} ({step.name})", _person(step.finished_by) or receiver
    if dossier.returned_at is not None:
        rows.append(
            [
                f"1. Giao: {giver_unit}\n2. Nhận: Tổ chức, cá nhân (trả kết quả)",
                time_and_date(dossier.returned_at),
                giver,
                dossier.applicant_name,
                timeliness(dossier.finished_at or dossier.returned_at, dossier.due_at),
                "",
            ]
        )
    return rows


def render_form05(dossier: Dossier) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (form 05): who held the dossier, when, on time or not."""
    if dossier.received_at is None:
        raise StateError("Hồ sơ chưa được tiếp nhận nên chưa có phiếu kiểm soát quá trình giải quyết.")
    steps = list(
        DossierStep.objects.filter(dossier=dossier).select_related("unit", "assigned_to", "finished_by")
    )
    title = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
    page = _start(
        dossier,
        title,
        dossier.code,
        dossier.received_at,
        f"Mã hồ sơ: {dossier.code}",
        "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả)",
    )
    page.field("Người nộp hồ sơ", dossier.applicant_name)
    page.field("Nội dung yêu cầu giải quyết", dossier.procedure.name)
    page.para(
        f"Ngày tiếp nhận: {short_date(dossier.received_at)}        Ngày hẹn trả: {short_date(dossier.due_at)}"
    )
    page.field("Cơ quan (bộ phận) giải quyết hồ sơ", dossier.unit.name)
    partners = sorted({s.unit.name for s in steps if s.unit_id != dossier.unit_id})
    page.field("Cơ quan phối hợp giải quyết hồ sơ", "; ".join(partners) or "Không")
    page.grid(
        [
            "Tên cơ quan",
            "Thời gian giao, nhận hồ sơ",
            "Người giao",
            "Người nhận",
            "Kết quả giải quyết hồ sơ (trước hạn/ đúng hạn/ quá hạn)",
            "Ghi chú",
        ],
        _control_rows(dossier, steps) or [["", "", "", "", "", ""]],
        (42, 30, 24, 24, 27, 18),
    )
    return page.to_bytes()


FORMS: dict[str, Callable[..., bytes]] = {
    "01": render_form01,
    "02": render_form02,
    "03": render_form03,
    "04": render_form04,
    "05": render_form05,
}
