"""Inter-agency processing (liên thông): a step done by a department, and who sees the dossier."""

import pytest

from motcua.dossiers import selectors, services
from motcua.dossiers.models import Dossier
from motcua.errors import Forbidden, InvalidInput, StateError


def _at_department_step(world):
    dossier = world.receive(procedure=world.interagency)
    services.complete_step(world.counter, dossier)
    return dossier


def visible(user, dossier) -> bool:
    return Dossier.objects.restrict(user).filter(pk=dossier.pk).exists()


def test_the_department_sees_the_dossier_only_once_forwarded_and_then_both_do(world):
    dossier = _at_department_step(world)
    assert visible(world.processor, dossier)
    assert not visible(world.dept_officer, dossier)

    services.forward(world.processor, dossier, world.department, "Đề nghị Sở cho ý kiến")

    assert visible(world.dept_officer, dossier)
    assert visible(world.processor, dossier)
    assert dossier.current_step.name == "Lấy ý kiến sở" and dossier.current_step.unit == world.department
    # Another commune still sees nothing.
    assert not visible(world.counter_b, dossier)


def test_the_department_completes_its_step_and_the_dossier_comes_back(world):
    dossier = _at_department_step(world)
    services.forward(world.processor, dossier, world.department, "Xin ý kiến")

    # The commune's officer holds no role at the department's step.
    with pytest.raises(Forbidden, match="không có quyền"):
        services.complete_step(world.processor, dossier)
    services.complete_step(world.dept_officer, dossier, "Sở thống nhất")

    assert dossier.current_step.name == "Phê duyệt, ký kết quả"
    assert dossier.current_step.unit == world.commune
    assert visible(world.dept_officer, dossier)  # the department keeps sight of what it handled


def test_a_step_for_another_agency_cannot_be_completed_in_place(world):
    dossier = _at_department_step(world)
    with pytest.raises(StateError, match="do đơn vị khác thực hiện") as error:
        services.complete_step(world.processor, dossier)
    assert "forward" in error.value.details["allowed"]
    assert "complete_step" not in error.value.details["allowed"]


def test_forwarding_needs_a_unit_of_the_kind_the_step_names(world):
    dossier = _at_department_step(world)
    with pytest.raises(InvalidInput, match="Sở, ban, ngành"):
        services.forward(world.processor, dossier, world.district, "sai nơi")


def test_a_step_of_the_receiving_unit_is_not_forwarded(world):
    dossier = world.receive()
    with pytest.raises(StateError, match="hoàn thành bước") as error:
        services.forward(world.counter, dossier, world.department)
    assert "complete_step" in error.value.details["allowed"]
    assert "forward" not in error.value.details["allowed"]


def test_two_steps_of_the_same_agency_in_a_row_stay_there(world):
    from motcua.catalog.models import ProcessStep
    from motcua.catalog.services import publish_version

    ProcessStep.objects.filter(procedure=world.interagency, order=4).update(unit_kind="department")
    publish_version(world.interagency, actor=None)
    dossier = _at_department_step(world)
    services.forward(world.processor, dossier, world.department, "Xin ý kiến")
    services.complete_step(world.dept_officer, dossier)

    assert dossier.current_step.name == "Phê duyệt, ký kết quả"
    assert dossier.current_step.unit == world.department
    # The department's leader decides; the result goes back to the commune's counter.
    services.approve(world.dept_leader, dossier)
    assert dossier.current_step.name == "Trả kết quả" and dossier.current_step.unit == world.commune
    assert dossier.result_file is not None


def test_the_holding_unit_follows_the_open_step_and_falls_back_to_the_dossier_unit(world):
    dossier = _at_department_step(world)
    stored = lambda: Dossier.objects.values_list("held_by", flat=True).get(pk=dossier.pk)  # noqa: E731
    assert stored() == world.commune.pk

    services.forward(world.processor, dossier, world.department, "Xin ý kiến")
    assert stored() == world.department.pk
    # The queue of "held at my units" reads that column: the department's officer has it, the
    # commune's processing officer no longer does.
    assert dossier.pk in [d.pk for d in selectors.queue(world.dept_officer, all_roles=True)]
    assert dossier.pk not in [d.pk for d in selectors.queue(world.processor, all_roles=True)]

    services.complete_step(world.dept_officer, dossier, "Sở thống nhất")
    assert stored() == world.commune.pk
    assert dossier.pk in [d.pk for d in selectors.queue(world.processor, all_roles=True)]
