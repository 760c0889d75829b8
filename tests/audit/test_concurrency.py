"""Concurrent appends serialise on the chain head: the chain never forks."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from motcua.audit.models import AuditEvent
from motcua.audit.services import record_event, verify_chain

THREADS = 8
EVENTS_PER_THREAD = 25


@pytest.mark.django_db(transaction=True)
def test_eight_writers_append_one_unbroken_chain(on_postgres):
    start = threading.Barrier(THREADS)

    def append(worker: int) -> None:
        try:
            start.wait()
            for n in range(EVENTS_PER_THREAD):
                record_event(actor=None, action="test.concurrent", object_id=f"{worker}-{n}")
        finally:
            connection.close()

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(append, range(THREADS)))

    total = THREADS * EVENTS_PER_THREAD
    result = verify_chain()
    assert (result.ok, result.count) == (True, total), result.reason
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, total + 1))
    # No fork: every event has its own predecessor.
    assert len(set(AuditEvent.objects.values_list("prev_hash", flat=True))) == total
