"""`motcua audit verify` passes an intact chain and names the first event that was tampered with."""

import pytest
from django.core.management import CommandError, call_command

from motcua.audit.models import AuditEvent
from motcua.audit.services import event_hash, record_event, verify_chain
from tests.audit import tampering

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    """Five events: test.1 … test.5."""
    return [record_event(actor=None, action=f"test.{n}", after={"n": n}) for n in range(1, 6)]


def verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    assert failure.value.returncode == 1
    return str(failure.value)


def test_an_intact_chain_verifies(chain, capsys):
    call_command("audit", "verify")
    assert "Nhật ký toàn vẹn: 5 sự kiện" in capsys.readouterr().out


def test_an_empty_chain_verifies(capsys):
    call_command("audit", "verify")
    assert "Nhật ký toàn vẹn: 0 sự kiện" in capsys.readouterr().out


def test_an_edited_event_is_named(chain, capsys):
    tampering.edit(3, "test.forged")

    message = verify_fails()
    assert f"#3 (id={chain[2].pk}, test.forged)" in message
    assert "đã bị sửa" in message
    result = verify_chain()
    assert (result.ok, result.count, result.first_bad_seq) == (False, 2, 3)


def test_an_edited_event_with_a_recomputed_hash_breaks_the_next_link(chain, capsys):
    event = AuditEvent.objects.get(seq=3)
    event.action = "test.forged"
    tampering.sql(
        f"UPDATE {tampering.EVENTS} SET action = %s, hash = %s WHERE seq = 3",
        [event.action, event_hash(event)],
    )

    message = verify_fails()
    assert f"#4 (id={chain[3].pk}, test.4)" in message
    assert "không khớp" in message


def test_a_deleted_event_is_named_by_the_gap_it_leaves(chain, capsys):
    tampering.delete(2)

    message = verify_fails()
    assert f"#3 (id={chain[2].pk}, test.3)" in message
    assert "Thiếu sự kiện #2–#2" in message


def test_a_deleted_first_event_is_found(chain, capsys):
    tampering.delete(1)
    assert verify_chain().first_bad_seq == 2


def test_two_swapped_events_are_found(chain, capsys):
    tampering.swap(2, 3)

    message = verify_fails()
    # The event now in second place (formerly third) does not follow the first.
    assert f"#2 (id={chain[2].pk}, test.3)" in message
    assert "đổi thứ tự" in message


def test_a_deleted_tail_is_found_through_the_head(chain, capsys):
    tampering.delete(5)
    tampering.delete(4)

    message = verify_fails()
    assert "#4" in message
    assert "Đầu chuỗi ghi #5 nhưng sự kiện cuối còn lại là #3" in message


def test_an_event_inserted_past_the_head_is_found(chain, capsys):
    last = chain[-1]
    tampering.sql(
        f"INSERT INTO {tampering.EVENTS}"
        " (seq, at, actor_label, action, object_type, object_id, prev_hash, hash)"
        " VALUES (6, %s, '', 'test.injected', '', '', %s, %s)",
        [last.at, last.hash, "f" * 64],
    )

    message = verify_fails()
    assert "#6" in message and "test.injected" in message


def test_a_deleted_head_is_found(chain, capsys):
    tampering.delete_head()

    assert "AuditChainHead" in verify_fails()


def test_tail_prints_the_latest_events_oldest_first(chain, capsys):
    call_command("audit", "tail", "-n", "2")

    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["#4", "#5"]
    assert "test.5" in lines[1] and "(hệ thống)" in lines[1]


def test_head_prints_the_last_sequence_number_and_hash(chain, capsys):
    call_command("audit", "head")
    assert capsys.readouterr().out.strip() == f"5 {chain[-1].hash}"
