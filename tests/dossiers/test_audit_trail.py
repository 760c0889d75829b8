"""Every action leaves its audit event, in order, and the chain verifies."""

from io import StringIO

import pytest
from django.core.management import call_command

from motcua.audit.models import AuditEvent
from motcua.audit.services import verify_chain
from motcua.dossiers import services
from motcua.errors import StateError


def test_a_whole_lifecycle_is_audited_action_by_action(world):
    dossier = world.submit()
    services.accept_online(world.counter, dossier)
    services.complete_step(world.counter, dossier)
    services.assign(world.leader, dossier, world.processor)
    services.request_supplement(world.processor, dossier, "Bổ sung")
    services.supply(world.citizen, dossier)
    services.apologize(world.processor, dossier, dossier.due_at.replace(year=2999), "Chậm")
    services.complete_step(world.processor, dossier)
    services.approve(world.leader, dossier)
    services.return_result(world.counter, dossier, "online")

    actions = list(
        AuditEvent.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "dossier.submit_online",
        "dossier.accept_online",
        "dossier.complete_step",
        "dossier.assign",
        "dossier.request_supplement",
        "dossier.supply",
        "dossier.apologize",
        "dossier.complete_step",
        "dossier.approve",
        "dossier.return_result",
    ]
    approve = AuditEvent.objects.get(action="dossier.approve")
    assert approve.before["status"] == "processing" and approve.after["status"] == "processed"
    assert AuditEvent.objects.filter(action="store.add").exists()
    assert verify_chain().ok
    call_command("audit", "verify", stdout=StringIO())  # the operator's check agrees


def test_refusal_withdrawal_and_stop_are_audited(world):
    refused = world.submit()
    services.refuse_at_intake(world.counter, refused, "Sai mẫu")
    withdrawn = world.receive()
    services.withdraw(world.counter, withdrawn, "Đơn xin rút")
    stopped = world.receive()
    services.stop(world.leader, stopped, "Dừng")

    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "dossier.refuse_at_intake",
        "dossier.withdraw",
        "dossier.stop",
        "dossier.receive_at_counter",
    }
    assert verify_chain().ok


def test_a_refused_action_leaves_no_event(world):
    dossier = world.receive()
    before = AuditEvent.objects.count()
    with pytest.raises(StateError):
        services.approve(world.leader, dossier)
    assert AuditEvent.objects.count() == before
