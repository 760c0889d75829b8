"""Filing a dossier: online by the applicant (`SubmitForm`) and at the counter by an officer
(`CounterForm`). The components are a separate `ComponentsForm`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from motcua.accounts.choices import ApplicantKind
from motcua.accounts.validators import normalize_tax_code, validate_citizen_id, validate_tax_code
from motcua.dossiers.choices import Channel
from motcua.orgs.models import Unit


def _unit_choices(units: list[Unit]) -> list[tuple[str, str]]:
    return [(u.code, u.name) for u in units]


class SubmitForm(forms.Form):
    """The applicant's online submission: the receiving unit and how to reach them."""

    unit = forms.ChoiceField(label=_("Nơi nộp hồ sơ"))
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        choices = _unit_choices(units)
        self.fields["unit"].choices = choices if len(choices) == 1 else [("", _("— Chọn đơn vị —")), *choices]

    def clean_unit(self) -> Unit:
        return self.units[self.cleaned_data["unit"]]


class CounterForm(forms.Form):
    """A dossier handed in at the counter (or arrived by post): who files it and where."""

    IDENTITY = ("applicant_kind", "id_number")

    unit = forms.ChoiceField(label=_("Đơn vị tiếp nhận"))
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.POSTAL, Channel.POSTAL.label)],
        initial=Channel.COUNTER,
        widget=forms.RadioSelect,
    )
    applicant_kind = forms.ChoiceField(
        label=_("Người nộp là"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân hoặc mã số thuế"),
        max_length=20,
        help_text=_(
            "Cá nhân: 12 chữ số của căn cước. Tổ chức: mã số thuế 10 chữ số (hoặc 10 chữ số-3 chữ số)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    applicant_name = forms.CharField(label=_("Họ và tên người nộp / tên tổ chức"), max_length=255)
    phone = forms.CharField(
        label=_("Số điện thoại"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)

    def __init__(self, *args: Any, units: list[Unit], lookup_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        self.fields["unit"].choices = _unit_choices(units)
        self.lookup_only = lookup_only

    def full_clean(self) -> None:
        """With `lookup_only` (looking the applicant's data store up before filing), only the
        identity number is checked: the rest may not be filled in yet."""
        super().full_clean()
        if self.lookup_only and self._errors:
            self._errors = ErrorDict({k: v for k, v in self._errors.items() if k in self.IDENTITY})

    def clean_unit(self) -> Unit:
        return self.units[self.cleaned_data["unit"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        number = "".join((data.get("id_number") or "").split())
        if not number:
            return data
        try:
            if data.get("applicant_kind") == ApplicantKind.ORGANIZATION:
                number = normalize_tax_code(number)
                validate_tax_code(number)
            else:
                validate_citizen_id(number)
        except ValidationError as exc:
            self.add_error("id_number", exc)
        else:
            data["id_number"] = number
        return data

    def id_number_for_lookup(self) -> str:
        """The identity number as typed, cleaned enough to look the data store up with (or "")."""
        if self.is_bound and "id_number" in getattr(self, "cleaned_data", {}):
            return str(self.cleaned_data["id_number"])
        return ""
