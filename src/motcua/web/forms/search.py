"""Search and filter forms (GET): the catalog, the dossier lookup and the officer's queue."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import OnlineLevel
from motcua.dossiers.choices import Status
from motcua.dossiers.selectors import QUEUE_STATES
from motcua.orgs.choices import UnitLevel


class CatalogSearchForm(forms.Form):
    """Find a procedure by words of its name, code or field (accents optional), level, field, online level."""

    q = forms.CharField(
        label=_("Từ khóa"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Ví dụ: đăng ký khai sinh"), "autocomplete": "off"}
        ),
    )
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"), required=False, choices=[("", _("Tất cả các cấp")), *UnitLevel.choices]
    )
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    online = forms.ChoiceField(
        label=_("Mức độ trực tuyến"),
        required=False,
        choices=[("", _("Tất cả")), *OnlineLevel.choices],
    )

    def __init__(self, *args, fields: list[dict[str, object]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Tất cả lĩnh vực"))] + [
            (str(f["field"]), f"{f['field']} ({f['count']})") for f in fields
        ]


class LookupForm(forms.Form):
    """Follow a dossier by its code (tra cứu hồ sơ)."""

    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=64,
        help_text=_("Mã in trên giấy tiếp nhận và hẹn trả kết quả, ví dụ 000.00.03.H29-231027-0001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class QueueFilterForm(forms.Form):
    """The officer's queue: one of their units, a status, only the late, or everything held there."""

    unit = forms.ChoiceField(label=_("Đơn vị"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả"))] + [(s.value, s.label) for s in Status if s in QUEUE_STATES],
    )
    late = forms.BooleanField(label=_("Chỉ hồ sơ quá hạn"), required=False)
    all_roles = forms.BooleanField(label=_("Cả hồ sơ đang ở bước của vai trò khác"), required=False)

    def __init__(self, *args, units: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Tất cả đơn vị của tôi")), *units]
