"""Each event is chained to the previous one, and what is hashed is what is stored."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import transaction

from motcua.audit.models import GENESIS_HASH, AppendOnlyError, AuditChainHead, AuditEvent
from motcua.audit.services import event_hash, record_event, verify_chain

pytestmark = pytest.mark.django_db


def test_each_event_links_to_the_previous_one():
    first = record_event(actor=None, action="test.first")
    second = record_event(actor=None, action="test.second")

    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (2, second.hash)


def test_the_hash_still_matches_after_reading_the_event_back(make):
    officer = make.user("canbo")
    record_event(
        actor=officer,
        action="test.values",
        object_type="dossiers.dossier",
        object_id="H42.01-260101-0001",
        before={"due": dt.date(2026, 1, 5), "fee": Decimal("50000.50"), "ratio": 0.1, "big": 1e20},
        after={
            "at": dt.datetime(2026, 1, 2, 8, 30, 15, 123456, tzinfo=dt.UTC),
            "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "nested": {"z": [1, 2.5, None, True], "a": "Hà Tĩnh – Đức Thọ"},
            7: "integer key",
        },
        ip="2001:DB8::0:1",
    )

    stored = AuditEvent.objects.get(action="test.values")
    assert event_hash(stored) == stored.hash
    assert stored.before == {"due": "2026-01-05", "fee": "50000.50", "ratio": "0.1", "big": "1e+20"}
    assert stored.after["nested"] == {"z": [1, "2.5", None, True], "a": "Hà Tĩnh – Đức Thọ"}
    assert stored.after["7"] == "integer key"
    assert stored.ip == "2001:db8::1"
    assert stored.actor_id == officer.pk and stored.actor_label == "canbo"
    assert verify_chain().ok


def test_the_object_names_its_type_and_id(make):
    unit = make.unit("H42.99")
    event = record_event(actor=None, action="test.object", obj=unit)
    assert (event.object_type, event.object_id) == ("orgs.unit", str(unit.pk))


def test_an_explicit_type_and_id_win_over_the_object(make):
    unit = make.unit()
    event = record_event(actor=None, action="test.object", obj=unit, object_type="x.y", object_id="7")
    assert (event.object_type, event.object_id) == ("x.y", "7")


def test_an_event_is_rolled_back_with_the_change_it_records():
    record_event(actor=None, action="test.kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(actor=None, action="test.lost")
        raise RuntimeError("the change failed")

    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.kept"]
    assert AuditChainHead.objects.get().seq == 1
    assert record_event(actor=None, action="test.next").seq == 2
    assert verify_chain().ok


def test_an_overlong_action_is_a_programming_error():
    with pytest.raises(ValueError, match="action"):
        record_event(actor=None, action="x" * 65)


def test_an_address_that_is_not_an_ip_is_a_programming_error():
    with pytest.raises(ValueError, match="not an IP address"):
        record_event(actor=None, action="test.ip", ip="unknown")


def test_a_stored_event_cannot_be_changed_or_deleted_through_the_orm():
    event = record_event(actor=None, action="test.sealed")
    event.action = "test.forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.sealed"


def test_a_missing_head_is_recreated_only_for_an_empty_chain():
    AuditChainHead.objects.all().delete()
    assert record_event(actor=None, action="test.first").seq == 1
    assert verify_chain().ok
