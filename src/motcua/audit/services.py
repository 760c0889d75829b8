"""Writing and checking the audit chain (nhật ký kiểm toán).

Every event is hashed together with the previous event's hash, so an edit, a deletion or a
reordering of stored events breaks the chain and `verify_chain` finds it. Appends serialise on
the single `AuditChainHead` row, so concurrent writers never fork the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_ipv46_address
from django.db import models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext as _

from motcua.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent

HEAD_PK = 1
_ACTOR_LABEL_MAX = 255  # AuditEvent.actor_label


class AuditChainBroken(Exception):
    """The chain head is missing while events exist: appending would hide the damage."""


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of `verify_chain`: `ok`, how many events were checked and, if broken, where."""

    ok: bool
    count: int
    first_bad_seq: int | None = None
    reason: str = ""
    first_bad_id: int | None = None
    first_bad_action: str = ""


def normalize_json(value: Any) -> Any:
    """`value` as it will read back from a JSON column: dates, Decimals and UUIDs become strings
    (DjangoJSONEncoder), and floats become their shortest text, because PostgreSQL jsonb rewrites
    numbers (1e20 reads back as an integer) and the stored event must hash the same after a reload."""
    if value is None:
        return None
    return _floats_to_text(json.loads(json.dumps(value, cls=DjangoJSONEncoder)))


def _floats_to_text(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {key: _floats_to_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_floats_to_text(item) for item in value]
    return value


def _normalize_ip(ip: str | None) -> str | None:
    # The same cleaning GenericIPAddressField applies, so the hashed text is the stored text.
    if not ip:
        return None
    ip = ip.strip()
    try:
        validate_ipv46_address(ip)
    except ValidationError as exc:
        # A programming error (use accounts.client_ip.client_ip); PostgreSQL would refuse it anyway.
        raise ValueError(f"record_event: not an IP address: {ip!r}") from exc
    return clean_ipv6_address(ip) if ":" in ip else ip


def _iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_hash(event: AuditEvent) -> str:
    """SHA-256 (hex) of the canonical JSON of `event`'s content and its `prev_hash`."""
    payload = {
        "seq": event.seq,
        "at": _iso(event.at),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before,
        "after": event.after,
        "ip": event.ip,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_head() -> AuditChainHead:
    """The chain head, locked until the caller's transaction ends (SELECT … FOR UPDATE)."""
    # The data migration creates the head; a flushed test database or a partial restore may not have it.
    head, created = AuditChainHead.objects.select_for_update().get_or_create(
        pk=HEAD_PK, defaults={"seq": 0, "hash": GENESIS_HASH}
    )
    if created and AuditEvent.objects.exists():
        raise AuditChainBroken(
            _("Thiếu đầu chuỗi nhật ký trong khi đã có sự kiện; chạy `motcua audit verify`.")
        )
    return head


def record_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the audit chain, inside the caller's transaction.

    `actor` is the acting user (None or an anonymous user for system actions); `obj`, when given,
    supplies `object_type` (app_label.model) and `object_id` (its primary key) unless they are
    passed explicitly. `before`/`after` are stored as JSON (see `normalize_json`).
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    object_id = str(object_id)
    if not action:
        raise ValueError("record_event needs an action")
    # Programming errors: a silently truncated name would make the event unfindable.
    for name, value in (("action", action), ("object_type", object_type), ("object_id", object_id)):
        limit = getattr(AuditEvent._meta.get_field(name), "max_length", None) or 0
        if len(value) > limit:
            raise ValueError(f"record_event: {name} is longer than {limit} characters: {value!r}")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        head = _lock_head()
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor.pk if authenticated else None,
            actor_label=actor.get_username()[:_ACTOR_LABEL_MAX] if authenticated else "",
            action=action,
            object_type=object_type,
            object_id=object_id,
            before=normalize_json(before),
            after=normalize_json(after),
            ip=_normalize_ip(ip),
            prev_hash=head.hash,
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
        head.seq = event.seq
        head.hash = event.hash
        head.save(update_fields=["seq", "hash"])
    return event


def verify_chain(chunk_size: int = 2000) -> VerifyResult:
    """Walk the whole chain in order (constant memory) and report the first break, if any.

    Finds an edited event (its hash no longer matches its content), a deleted event (a gap in
    `seq`, or a `prev_hash` naming a missing event), a reordering (a `prev_hash` that names
    another event), a deleted tail (the head names an event that is gone) and events added
    behind the head's back. It cannot find a rewrite of the whole chain and head by someone with
    write access to the database; compare the head with a copy kept elsewhere for that.
    """
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    if head is None:
        if not AuditEvent.objects.exists():
            return VerifyResult(ok=True, count=0)
        first = AuditEvent.objects.order_by("seq").first()
        assert first is not None
        return VerifyResult(
            ok=False,
            count=0,
            first_bad_seq=first.seq,
            first_bad_id=first.pk,
            first_bad_action=first.action,
            reason=_("Thiếu đầu chuỗi nhật ký (bản ghi AuditChainHead đã bị xoá)."),
        )

    expected_seq = 1
    expected_prev = GENESIS_HASH
    count = 0
    # Events past the snapshot of the head are appends made while we walk; they are checked next time.
    events = AuditEvent.objects.filter(seq__lte=head.seq).order_by("seq").iterator(chunk_size=chunk_size)
    for event in events:
        reason = ""
        if event.seq != expected_seq:
            reason = _("Thiếu sự kiện #%(first)s–#%(last)s trước sự kiện này (đã bị xoá?).") % {
                "first": expected_seq,
                "last": event.seq - 1,
            }
        elif event.prev_hash != expected_prev:
            reason = _("Mã băm của sự kiện trước không khớp (sự kiện bị xoá, chèn hoặc đổi thứ tự).")
        elif event_hash(event) != event.hash:
            reason = _("Nội dung sự kiện đã bị sửa (mã băm không khớp).")
        if reason:
            return VerifyResult(
                ok=False,
                count=count,
                first_bad_seq=event.seq,
                first_bad_id=event.pk,
                first_bad_action=event.action,
                reason=reason,
            )
        count += 1
        expected_seq += 1
        expected_prev = event.hash

    if count != head.seq or expected_prev != head.hash:
        return VerifyResult(
            ok=False,
            count=count,
            first_bad_seq=count + 1,
            reason=_(
                "Đầu chuỗi ghi #%(head)s nhưng sự kiện cuối còn lại là #%(last)s "
                "(cuối chuỗi đã bị xoá hoặc sửa)."
            )
            % {"head": head.seq, "last": count},
        )
    beyond = AuditEvent.objects.filter(seq__gt=head.seq).order_by("seq").first()
    if beyond is not None:
        current = AuditChainHead.objects.filter(pk=HEAD_PK).first()
        # A genuine append moves the head in the same transaction, so an event past an unmoved
        # head was inserted by hand.
        if current is not None and current.seq == head.seq and current.hash == head.hash:
            return VerifyResult(
                ok=False,
                count=count,
                first_bad_seq=beyond.seq,
                first_bad_id=beyond.pk,
                first_bad_action=beyond.action,
                reason=_("Sự kiện nằm sau đầu chuỗi (được chèn trực tiếp vào cơ sở dữ liệu)."),
            )
    return VerifyResult(ok=True, count=count)
