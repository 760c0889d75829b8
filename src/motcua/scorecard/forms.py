"""Forms of the reform dashboard: choosing what to show, entering a reported value with its
evidence, and reviewing it. They only parse; `services` decide and change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.scorecard.definition import Indicator

PROVINCE_CHOICE = ""


class DashboardForm(forms.Form):
    """Plan, period and scope of a dashboard page (a GET form)."""

    plan = forms.ChoiceField(label=_("Kế hoạch, bộ chỉ số"))
    period = forms.ChoiceField(label=_("Kỳ"))
    scope = forms.ChoiceField(label=_("Phạm vi"), required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        plans: list[tuple[str, str]],
        periods: list[Any],
        scopes: list[Any] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["plan"].choices = plans
        self.fields["period"].choices = periods
        if scopes is None:
            del self.fields["scope"]
        else:
            self.fields["scope"].choices = scopes


class ReportedValueForm(forms.Form):
    """A value a unit (or the province) reports for a reported-only indicator, with its evidence.

    Give the value, or the numerator and the denominator (the value is then their ratio in
    percent); a yes/no indicator takes 1 (yes) or 0 (no).
    """

    indicator = forms.ChoiceField(label=_("Chỉ tiêu"))
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    period = forms.ChoiceField(label=_("Kỳ báo cáo"))
    value = forms.DecimalField(
        label=_("Giá trị"),
        required=False,
        localize=True,
        max_digits=20,
        decimal_places=6,
        help_text=_("Chỉ tiêu có/không: 1 là có, 0 là không. Bỏ trống nếu nhập tử số và mẫu số."),
    )
    numerator = forms.DecimalField(
        label=_("Tử số"), required=False, localize=True, max_digits=20, decimal_places=6
    )
    denominator = forms.DecimalField(
        label=_("Mẫu số"), required=False, localize=True, max_digits=20, decimal_places=6
    )
    evidence = forms.CharField(
        label=_("Minh chứng"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Số, ký hiệu, ngày của văn bản; nơi lưu hồ sơ minh chứng."),
    )
    evidence_file = forms.FileField(
        label=_("Tệp minh chứng"),
        required=False,
        help_text=_("PDF, PNG, JPEG hoặc DOCX."),
    )

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        indicators: list[Indicator],
        units: list[tuple[str, str]],
        province_allowed: bool,
        periods: list[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, files, **kwargs)
        self.fields["indicator"].choices = [(i.code, f"{i.name} ({i.code})") for i in indicators]
        unit_choices: list[tuple[str, str]] = []
        if province_allowed:
            unit_choices.append((PROVINCE_CHOICE, str(_("Toàn tỉnh (số liệu chung của tỉnh)"))))
        self.fields["unit"].choices = unit_choices + units
        self.fields["period"].choices = periods


class ReviewForm(forms.Form):
    """A reform manager's decision on a submitted value."""

    APPROVE, SEND_BACK = "approve", "send_back"

    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[(APPROVE, _("Phê duyệt")), (SEND_BACK, _("Trả lại"))],
    )
    note = forms.CharField(
        label=_("Ý kiến thẩm định"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi trả lại."),
    )
