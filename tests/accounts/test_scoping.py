"""Who may see which unit's members: the scoping rules of motcua.accounts.scoping, through the API."""

import datetime as dt

import pytest

from motcua.accounts.choices import Role
from motcua.accounts.models import Membership
from motcua.accounts.scoping import has_role, units_for
from motcua.orgs.choices import UnitLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(make):
    """A province, a district with communes A and B, and commune C in another district."""
    province = make.unit("P", level=UnitLevel.PROVINCE, name="UBND tỉnh")
    district = make.unit("D", parent=province, level=UnitLevel.DISTRICT, name="UBND huyện")
    a = make.unit("A", parent=district, name="UBND xã A")
    b = make.unit("B", parent=district, name="UBND xã B")
    other = make.unit("D2", parent=province, level=UnitLevel.DISTRICT)
    c = make.unit("C", parent=other, name="UBND xã C")
    make.user("mot_cua_a", unit=a, role=Role.COUNTER_OFFICER, full_name="Cán bộ A")
    make.user("xu_ly_b", unit=b, role=Role.PROCESSING_OFFICER, full_name="Cán bộ B")
    return {"P": province, "D": district, "A": a, "B": b, "C": c}


def members(client, user, code):
    client.force_login(user)
    return client.get("/api/accounts/members", {"unit": code})


def test_an_officer_of_commune_a_sees_its_members(client, make, tree):
    officer = make.user(unit=tree["A"], role=Role.PROCESSING_OFFICER)

    response = members(client, officer, "A")

    assert response.status_code == 200
    assert {m["username"] for m in response.json()} == {"mot_cua_a", officer.username}
    assert "Cán bộ tiếp nhận (một cửa)" in {m["role_label"] for m in response.json()}


def test_an_officer_of_commune_a_is_refused_commune_b(client, make, tree):
    officer = make.user(unit=tree["A"], role=Role.COUNTER_OFFICER)

    response = members(client, officer, "B")

    assert response.status_code == 403
    assert response.json() == {"error": "forbidden", "detail": "Không có quyền xem đơn vị này"}


def test_a_district_leader_sees_its_communes_but_not_others(client, make, tree):
    leader = make.user(unit=tree["D"], role=Role.UNIT_LEADER)

    assert [m["username"] for m in members(client, leader, "B").json()] == ["xu_ly_b"]
    assert members(client, leader, "A").status_code == 200
    assert members(client, leader, "C").status_code == 403
    assert members(client, leader, "P").status_code == 403
    assert set(units_for(leader).values_list("code", flat=True)) == {"D", "A", "B"}


@pytest.mark.parametrize("role", [Role.PROVINCE_ADMIN, Role.REFORM_MANAGER])
def test_province_wide_roles_see_every_unit(client, make, tree, role):
    admin = make.user(unit=tree["P"], role=role)

    for code in "PDABC":
        assert members(client, admin, code).status_code == 200
    assert units_for(admin).count() == 6


def test_a_superuser_sees_every_unit(client, make, tree):
    assert members(client, make.user(is_superuser=True), "C").status_code == 200


def test_a_citizen_sees_no_unit(client, make, tree):
    citizen = make.citizen()

    assert members(client, citizen, "A").status_code == 403
    assert not units_for(citizen).exists()
    assert not Membership.objects.restrict(citizen).exists()


def test_an_unknown_unit_is_not_found(client, make, tree):
    response = members(client, make.user(is_superuser=True), "KHONG-CO")
    assert response.status_code == 404
    assert "KHONG-CO" in response.json()["detail"]


def test_signed_out_callers_must_sign_in(client, tree):
    assert client.get("/api/accounts/members", {"unit": "A"}).status_code == 401


def test_a_role_counts_only_while_it_is_in_force(make, tree):
    today = dt.date.today()
    officer = make.user()
    Membership.objects.create(
        user=officer, unit=tree["A"], role=Role.COUNTER_OFFICER, valid_to=today - dt.timedelta(days=1)
    )
    Membership.objects.create(
        user=officer, unit=tree["B"], role=Role.COUNTER_OFFICER, valid_from=today + dt.timedelta(days=1)
    )

    assert not units_for(officer).exists()
    assert not has_role(officer, Role.COUNTER_OFFICER)


def test_members_whose_role_has_ended_are_not_listed(client, make, tree):
    former = make.user("da_nghi")
    Membership.objects.create(
        user=former, unit=tree["A"], role=Role.COUNTER_OFFICER, valid_to=dt.date(2020, 1, 1)
    )
    leader = make.user(unit=tree["A"], role=Role.UNIT_LEADER)

    assert "da_nghi" not in {m["username"] for m in members(client, leader, "A").json()}


def test_a_deactivated_official_sees_nothing(make, tree):
    officer = make.user(unit=tree["A"], role=Role.UNIT_LEADER, is_active=False)
    assert not units_for(officer).exists()


def test_an_officer_sees_only_memberships_in_their_units_and_their_own(make, tree):
    officer = make.user(unit=tree["A"], role=Role.COUNTER_OFFICER)
    visible = set(Membership.objects.restrict(officer).values_list("user__username", flat=True))
    assert visible == {"mot_cua_a", officer.username}
