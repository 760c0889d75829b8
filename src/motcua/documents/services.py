"""Stored files and the applicant's data store (kho dữ liệu điện tử của tổ chức, cá nhân).

Uploads are kept content-addressed under MEDIA_ROOT (`ab/cd/<sha256>`), so one content is stored
once however often it is uploaded. Each upload is checked before it is kept: its size against
`settings.MAX_UPLOAD_BYTES`, its type by its first bytes against an allow-list (PDF, PNG, JPEG,
DOCX), and its content by the scanners of `settings.UPLOAD_SCANNERS`. Every refusal says why.

The data store holds what an applicant already had accepted (components and digitized results),
so that a new dossier offers those papers instead of asking for them again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.choices import ApplicantKind
from motcua.audit.services import record_event
from motcua.documents import filetypes
from motcua.documents.models import FileUpload, StoredFile, StoreItem
from motcua.documents.scanning import InfectedFile, scanners
from motcua.errors import InvalidInput, NotFound

logger = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024


class Upload(Protocol):
    """What `store_upload` reads: a Django `File` (an uploaded file, a `ContentFile`…)."""

    name: str | None

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]: ...


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def stored_path(stored: StoredFile) -> Path:
    """Where the bytes of `stored` are kept: MEDIA_ROOT/ab/cd/<sha256>."""
    sha = stored.sha256
    return media_root() / sha[:2] / sha[2:4] / sha


def open_stored(stored: StoredFile) -> IO[bytes]:
    """The stored bytes, opened for reading."""
    return stored_path(stored).open("rb")


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def _spool(upload: Upload, directory: Path, limit: int) -> tuple[Path, str, int]:
    """Copy the upload into a temporary file beside the store, hashing it; refuse it past `limit`."""
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(dir=directory, prefix="upload-", delete=False) as handle:
        path = Path(handle.name)
        try:
            for chunk in upload.chunks(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise InvalidInput(
                        _("Tệp vượt quá dung lượng cho phép (%(limit)s).") % {"limit": _megabytes(limit)},
                        field="file",
                    )
                digest.update(chunk)
                handle.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return path, digest.hexdigest(), size


def _scan(path: Path) -> None:
    for scanner in scanners():
        try:
            scanner(path)
        except InfectedFile as exc:
            raise InvalidInput(_("Tệp bị từ chối: %(reason)s") % {"reason": exc}, field="file") from exc
        except Exception as exc:
            # Fail closed: a scanner that cannot answer must not let the file through.
            logger.exception("upload scanner %r failed", scanner)
            raise InvalidInput(
                _("Không kiểm tra được mã độc trong tệp; vui lòng thử lại sau."), field="file"
            ) from exc


def store_upload(upload: Upload, user: Any, *, ip: str | None = None) -> StoredFile:
    """Keep an uploaded file and record who uploaded it; the same content is stored only once.

    Refused with `InvalidInput` (field "file") when it is empty, larger than
    `settings.MAX_UPLOAD_BYTES`, not a PDF, PNG, JPEG or DOCX by its content, or rejected by a
    scanner of `settings.UPLOAD_SCANNERS`.
    """
    name = os.path.basename(upload.name or "") or "tep"
    size_hint = getattr(upload, "size", None)
    limit = max_upload_bytes()
    if size_hint is not None and size_hint > limit:
        raise InvalidInput(
            _("Tệp vượt quá dung lượng cho phép (%(limit)s).") % {"limit": _megabytes(limit)}, field="file"
        )
    root = media_root()
    spool_dir = root / "tmp"
    spool_dir.mkdir(parents=True, exist_ok=True)
    temp, sha, size = _spool(upload, spool_dir, limit)
    try:
        if size == 0:
            raise InvalidInput(_("Tệp rỗng."), field="file")
        _scan(temp)
        kind = filetypes.detect(temp)
        if kind is None:
            allowed = ", ".join(t.label for t in filetypes.ALLOWED)
            raise InvalidInput(
                _("Loại tệp không được chấp nhận; chỉ nhận %(allowed)s.") % {"allowed": allowed}, field="file"
            )
        final = root / sha[:2] / sha[2:4] / sha
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            temp.unlink()
        else:
            os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)

    with transaction.atomic():
        stored = StoredFile.objects.filter(sha256=sha).first()
        if stored is None:
            try:
                with transaction.atomic():
                    stored = StoredFile.objects.create(
                        sha256=sha,
                        size=size,
                        content_type=kind.content_type,
                        original_name=name[:255],
                        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
                    )
            except IntegrityError:
                # Someone stored the same content a moment ago.
                stored = StoredFile.objects.get(sha256=sha)
        FileUpload.objects.create(
            file=stored,
            user=user if getattr(user, "is_authenticated", False) else None,
            original_name=name[:255],
        )
        record_event(
            actor=user,
            action="file.upload",
            obj=stored,
            after={"sha256": sha, "size": size, "content_type": kind.content_type, "name": name},
            ip=ip,
        )
    return stored


def attachable_file(user: Any, file_id: int) -> StoredFile:
    """The stored file `file_id`, if `user` uploaded it; otherwise `NotFound` (another's file stays hidden)."""
    stored = StoredFile.objects.filter(pk=file_id, uploads__user=user).first() if user else None
    if stored is None or not getattr(user, "is_authenticated", False):
        raise NotFound(_("Không tìm thấy tệp đã tải lên số %(id)s.") % {"id": file_id}, field="file")
    return stored


# --- the data store ------------------------------------------------------------------------------


def identity_number(user: Any) -> str:
    """The number that identifies `user` as an applicant: citizen ID, else tax code ("" if none)."""
    if user is None:
        return ""
    return getattr(user, "citizen_id", None) or getattr(user, "tax_code", None) or ""


def store_items_of(id_number: str, owner: Any = None) -> Any:
    """Every item in the data store of the person or organisation `id_number` (or of account `owner`)."""
    condition = Q(owner_id_number=id_number) if id_number else Q(pk__in=[])
    if owner is not None and getattr(owner, "is_authenticated", False):
        condition |= Q(owner=owner)
    return StoreItem.objects.filter(condition).select_related("file", "source_dossier")


def is_valid(item: StoreItem, on: dt.date) -> bool:
    """A stored document is valid on `on` unless its validity ended before that day."""
    return item.valid_until is None or item.valid_until >= on


def expired_reason(item: StoreItem) -> str:
    assert item.valid_until is not None
    return _("Giấy tờ trong kho đã hết hiệu lực ngày %(date)s") % {
        "date": item.valid_until.strftime("%d/%m/%Y")
    }


def add_store_item(
    *,
    actor: Any,
    owner_kind: str,
    owner_id_number: str,
    document_type: str,
    name: str,
    owner: Any = None,
    number: str = "",
    issuer: str = "",
    issued_on: dt.date | None = None,
    valid_until: dt.date | None = None,
    file: StoredFile | None = None,
    source_dossier: Any = None,
) -> StoreItem:
    """Put a document into an applicant's data store (an accepted component or a digitized result)."""
    if not owner_id_number:
        raise InvalidInput(_("Thiếu số định danh của chủ kho dữ liệu."), field="owner_id_number")
    if owner_kind not in ApplicantKind.values:
        raise InvalidInput(_("Loại chủ kho dữ liệu không hợp lệ."), field="owner_kind")
    if not document_type:
        raise InvalidInput(_("Thiếu loại giấy tờ."), field="document_type")
    with transaction.atomic():
        item = StoreItem.objects.create(
            owner_kind=owner_kind,
            owner_id_number=owner_id_number,
            owner=owner,
            document_type=document_type,
            name=name[:500],
            number=number,
            issuer=issuer[:255],
            issued_on=issued_on,
            valid_until=valid_until,
            file=file,
            source_dossier=source_dossier,
        )
        record_event(
            actor=actor,
            action="store.add",
            obj=item,
            after={
                "owner_id_number": owner_id_number,
                "document_type": document_type,
                "name": item.name,
                "issuer": item.issuer,
                "file": file.sha256 if file else None,
                "source_dossier": getattr(source_dossier, "code", None),
            },
        )
    return item


@dataclass
class ComponentOffer:
    """For one component of a procedure: what the applicant's data store already holds for it.

    `items` are the valid documents of the component's type (newest first), offered instead of
    asking again; `expired` are those whose validity has ended, listed so the applicant is told why
    they are not offered.
    """

    component: int  # the component's number in the procedure version
    name: str
    document_type: str
    required: bool
    items: list[StoreItem] = field(default_factory=list)
    expired: list[StoreItem] = field(default_factory=list)

    @property
    def reusable(self) -> bool:
        return bool(self.items)


def offer_from_store(applicant: Any, procedure: Any, *, on: dt.date | None = None) -> list[ComponentOffer]:
    """For each component of `procedure` (its current version), the matching documents in the
    data store of `applicant` (a user), so that a new dossier reuses them instead of asking again.
    Matching is by the component's document type; one query for the whole procedure."""
    from motcua.dossiers.rules import rules_for_procedure

    on = on or timezone.localdate()
    components = rules_for_procedure(procedure).components
    wanted = {c.document_type for c in components if c.document_type}
    by_type: dict[str, list[StoreItem]] = {}
    if wanted:
        items = store_items_of(identity_number(applicant), applicant).filter(document_type__in=wanted)
        for item in items.order_by("-issued_on", "-created_at", "-id"):
            by_type.setdefault(item.document_type, []).append(item)
    offers = []
    for component in components:
        found = by_type.get(component.document_type, []) if component.document_type else []
        offers.append(
            ComponentOffer(
                component=component.number,
                name=component.name,
                document_type=component.document_type,
                required=component.required,
                items=[i for i in found if is_valid(i, on)],
                expired=[i for i in found if not is_valid(i, on)],
            )
        )
    return offers


def valid_items_by_type(
    id_number: str, owner: Any, types: Iterable[str], on: dt.date
) -> dict[str, StoreItem]:
    """The newest valid store item of each of `types` (one query): what "already accepted" means."""
    wanted = {t for t in types if t}
    found: dict[str, StoreItem] = {}
    if not wanted:
        return found
    items = store_items_of(id_number, owner).filter(document_type__in=wanted)
    for item in items.order_by("-issued_on", "-created_at", "-id"):
        if is_valid(item, on):
            found.setdefault(item.document_type, item)
    return found
