"""A late dossier's apology with a new appointment (form 04), and how the applicant is told."""

import logging

import pytest
from django.core import mail

from motcua.dossiers import services
from motcua.dossiers.models import Apology
from motcua.errors import InvalidInput
from tests.dossiers.conftest import vn


def _late_online_dossier(world):
    dossier = world.submit(at=vn(2023, 3, 6, 8, 0))
    services.accept_online(world.counter, dossier, at=vn(2023, 3, 6, 9, 0))
    services.complete_step(world.counter, dossier, at=vn(2023, 3, 6, 10, 0))
    return dossier  # due 13/3/2023 17:00, long past


def test_an_apology_gives_a_new_date_but_the_dossier_stays_late_against_the_first(
    world, django_capture_on_commit_callbacks, caplog
):
    dossier = _late_online_dossier(world)
    promised = dossier.due_at

    with caplog.at_level(logging.INFO, logger="motcua.sms"), django_capture_on_commit_callbacks(execute=True):
        apology = services.apologize(
            world.processor, dossier, vn(2999, 3, 20, 17, 0), "Chờ xác minh của công an"
        )

    assert dossier.due_at == promised
    assert (apology.original_due_at, apology.new_due_at) == (promised, vn(2999, 3, 20, 17, 0))
    assert apology.issued_by == world.processor
    assert apology.notified_email == "dan@example.vn" and apology.notified_phone == world.citizen.phone

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dan@example.vn"]
    assert dossier.code in mail.outbox[0].subject
    assert "20/03/2999" in mail.outbox[0].body
    assert any(
        world.citizen.phone in r.getMessage() and dossier.code in r.getMessage() for r in caplog.records
    )


def test_no_one_is_told_before_the_transaction_commits(world, django_capture_on_commit_callbacks):
    dossier = _late_online_dossier(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.apologize(world.processor, dossier, vn(2999, 3, 20, 17, 0), "Chậm")
    assert len(callbacks) >= 1 and mail.outbox == []


def test_a_counter_dossier_is_apologised_for_on_paper_only(world, django_capture_on_commit_callbacks):
    dossier = world.receive(received_at=vn(2023, 3, 6, 8, 0))
    with django_capture_on_commit_callbacks(execute=True):
        apology = services.apologize(world.counter, dossier, vn(2999, 1, 1, 17, 0), "Chậm")
    assert apology.notified_email == "" and mail.outbox == []


def test_the_new_date_must_be_later_than_the_promised_one(world):
    dossier = world.receive(received_at=vn(2023, 3, 6, 8, 0))
    with pytest.raises(InvalidInput, match="Ngày hẹn mới"):
        services.apologize(world.counter, dossier, vn(2023, 3, 10, 17, 0), "Chậm")
    assert not Apology.objects.exists()
