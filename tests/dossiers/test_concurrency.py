"""Two people acting at once never lose an update; codes stay unique under concurrent intake."""

import threading

import pytest
from django.db import connection

from motcua.audit.models import AuditEvent
from motcua.audit.services import verify_chain
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import Applicant, DocumentInput
from motcua.errors import StateError


def test_a_stale_copy_of_the_dossier_is_refused(world):
    dossier = world.receive()
    stale = Dossier.objects.get(pk=dossier.pk)
    services.complete_step(world.counter, dossier)

    with pytest.raises(StateError, match="cập nhật bởi người khác"):
        services.request_supplement(world.counter, stale, "Bổ sung")


def test_an_api_client_may_name_the_version_it_saw(world):
    dossier = world.receive()
    with pytest.raises(StateError, match="cập nhật bởi người khác"):
        services.complete_step(world.counter, dossier, version=dossier.version + 5)
    services.complete_step(world.counter, dossier, version=dossier.version)


def _run_together(*jobs):
    """Start every job at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # the outcome is what the test inspects
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_officers_at_once_one_wins_and_nothing_is_lost(on_postgres, world):
    dossier = world.receive()
    services.complete_step(world.counter, dossier)
    seen_by_one = Dossier.objects.get(pk=dossier.pk)
    seen_by_two = Dossier.objects.get(pk=dossier.pk)
    start = seen_by_one.version

    results = _run_together(
        lambda: services.complete_step(world.processor, seen_by_one, "Đủ điều kiện"),
        lambda: services.request_supplement(world.counter, seen_by_two, "Bổ sung tờ khai"),
    )

    wins = [r for r in results if isinstance(r, Dossier)]
    losses = [r for r in results if isinstance(r, StateError)]
    assert len(wins) == 1 and len(losses) == 1, results
    final = Dossier.objects.get(pk=dossier.pk)
    assert final.version == start + 1
    assert final.status == wins[0].status
    assert (
        AuditEvent.objects.filter(action__in=["dossier.complete_step", "dossier.request_supplement"]).count()
        == 2
    )
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_codes_stay_unique_and_gapless_under_concurrent_intake(on_postgres, world):
    files = [world.upload(world.counter, f"to-khai-{i}") for i in range(6)]

    def intake(file_id):
        return lambda: (
            services.receive_at_counter(
                world.counter,
                world.commune,
                world.procedure,
                Applicant(name="Người nộp"),
                [
                    DocumentInput(component=1, source="upload", file_id=file_id),
                    DocumentInput(component=2, source="paper"),
                ],
            ).code
        )

    codes = _run_together(*(intake(f) for f in files))

    assert all(isinstance(c, str) for c in codes), codes
    assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == [1, 2, 3, 4, 5, 6]
    assert verify_chain().ok
