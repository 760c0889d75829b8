"""The components of a dossier (thành phần hồ sơ) as a form: for each paper the procedure asks for,
how it is provided — a document already in the applicant's data store, a file uploaded now, a
pull from a national database, paper at the counter, or nothing (optional papers).

The same form serves online submission, the counter and answering a supplement request; what
differs is which ways are offered (`Offer`). A file uploaded in an attempt that failed elsewhere is
kept (its stored id rides along in a hidden field), so the applicant does not upload it again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from motcua.catalog.choices import NationalDatabase
from motcua.documents.models import StoredFile, StoreItem
from motcua.dossiers.choices import DocumentSource
from motcua.dossiers.rules import ComponentRule
from motcua.dossiers.services import DocumentInput
from motcua.errors import MotcuaError

SKIP = "skip"

SOURCE_LABELS = {
    DocumentSource.STORE: _("Dùng giấy tờ đã có trong kho dữ liệu"),
    DocumentSource.UPLOAD: _("Tải tệp lên (PDF, PNG, JPEG, DOCX)"),
    DocumentSource.NATIONAL_DB: _("Lấy từ cơ sở dữ liệu quốc gia"),
    DocumentSource.PAPER: _("Nộp bản giấy tại bộ phận một cửa"),
    SKIP: _("Không nộp"),
}


@dataclass(frozen=True)
class Offer:
    """Which ways of providing a component are offered, in the order shown (the first is chosen
    unless the data store holds the paper, in which case reuse comes first)."""

    upload: bool = True
    paper: bool = False
    store: bool = True
    national_db: bool = True
    paper_first: bool = False  # at the counter, papers are handed in (unless the store holds them)
    all_optional: bool = False  # a supplement asks only for what the officer named


@dataclass
class Slot:
    """One component as the template shows it: its rule and its bound fields."""

    rule: ComponentRule
    source: BoundField
    file: BoundField
    store_item: BoundField | None
    kept: StoredFile | None
    kept_name: str
    errors: list[str] = field(default_factory=list)

    @property
    def required(self) -> bool:
        return self.rule.required


class ComponentsForm(forms.Form):
    """One group of fields per component: `c<n>_source`, `c<n>_file`, `c<n>_store_item`, `c<n>_kept`."""

    def __init__(
        self,
        *args: Any,
        components: Sequence[ComponentRule],
        offer: Offer,
        store_items: dict[str, list[StoreItem]] | None = None,
        kept_files: Callable[[int], StoredFile | None] = lambda file_id: None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.components = list(components)
        self.offer = offer
        self.store_items = store_items or {}
        self.kept: dict[int, StoredFile] = {}
        for rule in self.components:
            self._add_fields(rule)
            if self.is_bound:
                kept_id = self.data.get(self._name(rule, "kept"))
                if kept_id and str(kept_id).isdigit():
                    stored = kept_files(int(kept_id))
                    if stored is not None:
                        self.kept[rule.number] = stored

    @staticmethod
    def _name(rule: ComponentRule, part: str) -> str:
        return f"c{rule.number}_{part}"

    def _items(self, rule: ComponentRule) -> list[StoreItem]:
        return self.store_items.get(rule.document_type, []) if rule.document_type else []

    def _sources(self, rule: ComponentRule) -> list[str]:
        sources = []
        # What the store already holds is offered first: papers accepted once are not asked again.
        if self.offer.store and self._items(rule):
            sources.append(DocumentSource.STORE)
        if self.offer.paper and self.offer.paper_first:
            sources.append(DocumentSource.PAPER)
        if self.offer.upload:
            sources.append(DocumentSource.UPLOAD)
        if self.offer.national_db and rule.national_db:
            sources.append(DocumentSource.NATIONAL_DB)
        if self.offer.paper and not self.offer.paper_first:
            sources.append(DocumentSource.PAPER)
        if self.offer.all_optional or not rule.required:
            sources.append(SKIP)
        return sources

    def _add_fields(self, rule: ComponentRule) -> None:
        sources = self._sources(rule)
        labels = dict(SOURCE_LABELS)
        if rule.national_db:
            labels[DocumentSource.NATIONAL_DB] = _("Lấy từ %(db)s") % {
                "db": NationalDatabase(rule.national_db).label.lower()
            }
        if self.offer.all_optional or (not rule.required and DocumentSource.STORE not in sources):
            initial = SKIP
        else:
            initial = sources[0]
        self.fields[self._name(rule, "source")] = forms.ChoiceField(
            label=rule.name,
            choices=[(s, labels[s]) for s in sources],
            initial=initial,
            widget=forms.RadioSelect,
        )
        self.fields[self._name(rule, "file")] = forms.FileField(label=_("Chọn tệp"), required=False)
        self.fields[self._name(rule, "kept")] = forms.IntegerField(required=False, widget=forms.HiddenInput)
        items = self._items(rule)
        if items and self.offer.store:
            self.fields[self._name(rule, "store_item")] = forms.ChoiceField(
                label=_("Giấy tờ trong kho"),
                required=False,
                choices=[(str(i.pk), _store_item_label(i)) for i in items],
            )

    @property
    def slots(self) -> list[Slot]:
        out = []
        for rule in self.components:
            source = self[self._name(rule, "source")]
            store_name = self._name(rule, "store_item")
            slot = Slot(
                rule=rule,
                source=source,
                file=self[self._name(rule, "file")],
                store_item=self[store_name] if store_name in self.fields else None,
                kept=self.kept.get(rule.number),
                kept_name=self.add_prefix(self._name(rule, "kept")),
                errors=[*source.errors, *self[self._name(rule, "file")].errors],
            )
            out.append(slot)
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for rule in self.components:
            source = data.get(self._name(rule, "source"))
            if source == DocumentSource.UPLOAD:
                if not data.get(self._name(rule, "file")) and rule.number not in self.kept:
                    self.add_error(self._name(rule, "file"), _("Chưa chọn tệp cho giấy tờ này."))
            elif source == DocumentSource.STORE and not data.get(self._name(rule, "store_item")):
                self.add_error(self._name(rule, "source"), _("Chưa chọn giấy tờ trong kho."))
        return data

    def keep_uploads(self, upload: Callable[[Any], StoredFile]) -> bool:
        """Store every file chosen in this attempt with `upload`, even when other fields failed, so
        a corrected resubmission need not upload them again. A refused file is an error on its
        component. Returns whether every file was accepted."""
        accepted = True
        for rule in self.components:
            name = self._name(rule, "file")
            new = getattr(self, "cleaned_data", {}).get(name)
            if not new:
                continue
            try:
                self.kept[rule.number] = upload(new)
            except MotcuaError as exc:
                self.add_error(name, exc.message)
                accepted = False
        return accepted

    def document_inputs(self) -> tuple[list[DocumentInput], dict[int, int]]:
        """The components as the dossier services take them (after `keep_uploads`), and, for each
        input's index, the component number (to put a service's error next to its component)."""
        inputs: list[DocumentInput] = []
        numbers: dict[int, int] = {}
        for rule in self.components:
            source = self.cleaned_data[self._name(rule, "source")]
            if source == SKIP:
                continue
            file_id = None
            store_item_id = None
            if source == DocumentSource.UPLOAD:
                file_id = self.kept[rule.number].pk
            elif source == DocumentSource.STORE:
                store_item_id = int(self.cleaned_data[self._name(rule, "store_item")])
            numbers[len(inputs)] = rule.number
            inputs.append(
                DocumentInput(
                    component=rule.number, source=source, file_id=file_id, store_item_id=store_item_id
                )
            )
        return inputs, numbers

    def place_error(self, exc: MotcuaError, numbers: dict[int, int]) -> bool:
        """Put a service's error about `documents[i]…` next to component i; False if it is not ours."""
        where = exc.field or ""
        if where == "documents":
            self.add_error(None, exc.message)
            return True
        if where.startswith("documents["):
            index = where[len("documents[") :].split("]", 1)[0]
            number = numbers.get(int(index)) if index.isdigit() else None
            rule = next((r for r in self.components if r.number == number), None)
            if rule is not None:
                part = "file" if where.endswith(".file_id") else "source"
                self.add_error(self._name(rule, part), exc.message)
                return True
        return False


def _store_item_label(item: StoreItem) -> str:
    parts = [item.name]
    if item.number:
        parts.append(str(_("số %(n)s") % {"n": item.number}))
    if item.issued_on:
        parts.append(str(_("cấp ngày %(d)s") % {"d": item.issued_on.strftime("%d/%m/%Y")}))
    return " – ".join(parts)
