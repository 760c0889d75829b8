"""Moving a dossier through its internal steps, and the state machine's refusals."""

import pytest

from motcua.accounts.choices import Role
from motcua.dossiers import services, workflow
from motcua.dossiers.choices import Outcome, Status
from motcua.errors import Forbidden, InvalidInput, NotFound, StateError
from tests import factories


def test_each_completed_step_hands_the_dossier_to_the_next(world):
    dossier = world.receive()
    services.complete_step(world.counter, dossier, "Chuyển công chức tư pháp")
    assert dossier.status == Status.PROCESSING
    assert dossier.current_step.name == "Thẩm định hồ sơ"
    assert dossier.current_step.started_at is not None

    services.complete_step(world.processor, dossier, "Đủ điều kiện")
    assert dossier.current_step.name == "Phê duyệt, ký kết quả"

    first, second = dossier.steps.order_by("order")[:2]
    assert (first.finished_by, first.note) == (world.counter, "Chuyển công chức tư pháp")
    assert (second.finished_by, second.note) == (world.processor, "Đủ điều kiện")


def test_a_step_is_done_by_the_role_it_names(world):
    dossier = world.receive()
    services.complete_step(world.counter, dossier)
    with pytest.raises(Forbidden, match="Cán bộ xử lý"):
        services.complete_step(world.counter, dossier)


def test_an_officer_of_another_commune_cannot_even_find_the_dossier(world):
    dossier = world.receive()
    with pytest.raises(NotFound):
        services.complete_step(world.counter_b, dossier)


def test_a_leader_assigns_the_step_and_only_the_assignee_or_a_leader_finishes_it(world):
    other = factories.user("xl_a2", unit=world.commune, role=Role.PROCESSING_OFFICER)
    dossier = world.receive()
    services.complete_step(world.counter, dossier)

    services.assign(world.leader, dossier, other)
    assert dossier.assigned_to == other and dossier.current_step.assigned_to == other

    with pytest.raises(InvalidInput, match="đã được giao cho"):
        services.complete_step(world.processor, dossier)
    services.complete_step(other, dossier)


def test_a_step_cannot_be_given_to_someone_without_its_role_there(world):
    dossier = world.receive()
    services.complete_step(world.counter, dossier)
    with pytest.raises(InvalidInput, match="không giữ vai trò"):
        services.assign(world.leader, dossier, world.dept_officer)


def test_the_decision_step_ends_only_with_a_decision(world):
    dossier = world.receive()
    services.complete_step(world.counter, dossier)
    services.complete_step(world.processor, dossier)

    with pytest.raises(StateError) as error:
        services.complete_step(world.leader, dossier)
    assert {"approve", "reject", "stop"} <= set(error.value.details["allowed"])
    assert "complete_step" not in error.value.details["allowed"]


def test_approval_before_the_decision_step_is_refused(world):
    dossier = world.receive()
    with pytest.raises(StateError, match="chưa đến bước quyết định") as error:
        services.approve(world.leader, dossier)
    assert "complete_step" in error.value.details["allowed"]


def test_an_illegal_transition_names_the_allowed_actions(world):
    dossier = world.receive()
    services.withdraw(world.citizen, dossier, "Không còn nhu cầu")

    with pytest.raises(StateError) as error:
        services.complete_step(world.counter, dossier)
    assert error.value.status == 409
    assert error.value.details["allowed"] == []
    assert "Công dân rút hồ sơ" in error.value.message


def test_the_table_lists_what_each_state_allows():
    allowed_from_new = {name for name, t in workflow.TRANSITIONS.items() if Status.NEW in t.sources}
    assert allowed_from_new == {"accept_online", "refuse_at_intake", "withdraw"}
    assert workflow.TRANSITIONS["return_result"].sources == {Status.PROCESSED}
    assert workflow.TRANSITIONS["approve"].roles == {Role.UNIT_LEADER}


def test_allowed_actions_follow_state_step_and_role(world):
    dossier = world.receive()
    steps = list(dossier.steps.all())
    assert "complete_step" in workflow.allowed_actions(dossier, steps, world.counter)
    assert "complete_step" not in workflow.allowed_actions(dossier, steps, world.processor)
    assert workflow.allowed_actions(dossier, steps, world.citizen) == ["withdraw"]


def test_waiting_for_payment_and_settling_it(world):
    dossier = world.receive()
    services.complete_step(world.counter, dossier)
    services.mark_waiting_payment(world.processor, dossier, note="Chờ nộp lệ phí")
    assert dossier.status == Status.WAITING_PAYMENT
    with pytest.raises(StateError):
        services.complete_step(world.processor, dossier)

    services.payment_settled(dossier)
    assert dossier.status == Status.PROCESSING


def test_a_stopped_dossier_is_finished_with_its_reasons(world):
    dossier = world.receive()
    services.request_supplement(world.counter, dossier, "Bổ sung")
    services.stop(world.leader, dossier, "Quá hạn bổ sung")

    assert (dossier.status, dossier.outcome) == (Status.STOPPED, Outcome.STOPPED)
    assert dossier.finished_at is not None and dossier.result_note == "Quá hạn bổ sung"
    assert dossier.current_step is None and dossier.paused_at is None


def test_a_rejection_is_processed_and_returned(world):
    dossier = world.receive()
    services.complete_step(world.counter, dossier)
    services.complete_step(world.processor, dossier)
    services.reject(world.leader, dossier, "Không đủ điều kiện")
    assert (dossier.status, dossier.outcome) == (Status.PROCESSED, Outcome.REJECTED)
    assert dossier.current_step.name == "Trả kết quả"

    services.return_result(world.counter, dossier, "counter")
    assert dossier.status == Status.RETURNED and dossier.current_step is None


def test_the_applicant_withdraws_while_not_finished(world):
    dossier = world.receive()
    services.complete_step(world.counter, dossier)
    services.withdraw(world.citizen, dossier, "Đã giải quyết ở nơi khác")

    assert (dossier.status, dossier.outcome) == (Status.WITHDRAWN, Outcome.WITHDRAWN)
    assert dossier.result_note == "Đã giải quyết ở nơi khác"


def test_a_finished_dossier_cannot_be_withdrawn(world):
    dossier = world.receive()
    services.stop(world.leader, dossier, "Dừng")
    with pytest.raises(StateError):
        services.withdraw(world.citizen, dossier, "muộn")


def test_someone_elses_dossier_cannot_be_withdrawn(world):
    dossier = world.receive()
    stranger = factories.citizen()
    with pytest.raises(NotFound):
        services.withdraw(stranger, dossier, "không phải của tôi")


def test_supplied_documents_replace_those_on_file(world):
    from motcua.dossiers.services import DocumentInput

    dossier = world.receive()
    services.request_supplement(world.counter, dossier, "Bản CCCD không rõ", ["Căn cước công dân (bản rõ)"])
    scan = world.upload(world.citizen, "cccd-ro")
    services.supply(world.citizen, dossier, [DocumentInput(component=2, source="upload", file_id=scan)])

    ids = dossier.documents.filter(name="Căn cước công dân")
    assert ids.count() == 1
    assert (ids.get().source, ids.get().digitized, ids.get().file_id) == ("upload", True, scan)
    assert dossier.documents.count() == 2
