"""`Unit.path`, the materialized path of primary keys, stays right however a unit is created or moved."""

import pytest
from django.core.exceptions import ValidationError

from motcua.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_a_new_unit_gets_its_parents_path_plus_its_own_key(make):
    root = make.unit(level="province")
    child = Unit.objects.create(
        code="C.1", name="Đơn vị con", kind="department", level="province", parent=root
    )
    assert root.path == f"/{root.pk}/"
    assert child.path == f"/{root.pk}/{child.pk}/"
    assert Unit.objects.get(pk=child.pk).path == child.path


def test_moving_a_unit_moves_its_whole_subtree(make):
    first, second = make.unit(level="province"), make.unit(level="province")
    district = make.unit(parent=first, level="district")
    commune = make.unit(parent=district)
    district.parent = second
    district.save()
    commune.refresh_from_db()
    assert commune.path == f"/{second.pk}/{district.pk}/{commune.pk}/"
    assert set(Unit.objects.subtree(second)) == {second, district, commune}
    assert set(Unit.objects.subtree(first)) == {first}


def test_a_unit_cannot_be_put_below_itself(make):
    top = make.unit(level="province")
    below = make.unit(parent=top)
    top.parent = below
    with pytest.raises(ValidationError) as caught:
        top.full_clean()
    assert "parent" in caught.value.error_dict
    with pytest.raises(ValueError):
        top.save()
    top.refresh_from_db()
    assert top.parent is None and top.path == f"/{top.pk}/"


def test_the_unit_leader_scope_follows_a_moved_subtree(make):
    from motcua.accounts.scoping import units_for

    first, second = make.unit(level="district"), make.unit(level="district")
    commune = make.unit(parent=first)
    leader = make.user(role="unit_leader", unit=second)
    assert commune not in units_for(leader, "change")
    commune.parent = second
    commune.save()
    assert commune in units_for(leader, "change")
