"""The applicant's data store: what it offers a new dossier, and validity."""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.catalog.models import Component, ProcessStep
from motcua.documents import services
from tests import factories


@pytest.fixture
def procedure(db):
    procedure = factories.procedure("9.100001", online_level="full")
    Component.objects.create(procedure=procedure, order=1, name="Tờ khai", required=True)
    Component.objects.create(
        procedure=procedure, order=2, name="Giấy khai sinh", document_type="giay_khai_sinh"
    )
    Component.objects.create(procedure=procedure, order=3, name="Căn cước công dân", document_type="cccd")
    ProcessStep.objects.create(
        procedure=procedure, order=1, name="Xử lý", role="processing_officer", time_share=Decimal(100)
    )
    return procedure


def put(owner, document_type, **fields):
    return services.add_store_item(
        actor=None,
        owner_kind="person",
        owner_id_number=owner.citizen_id,
        document_type=document_type,
        name=fields.pop("name", document_type),
        **fields,
    )


def test_each_component_is_offered_what_the_store_holds_of_its_type(procedure):
    citizen = factories.citizen()
    birth = put(citizen, "giay_khai_sinh", issued_on=dt.date(2020, 1, 1))
    put(factories.citizen(), "cccd")  # someone else's

    offers = {o.component: o for o in services.offer_from_store(citizen, procedure)}

    assert offers[2].items == [birth] and offers[2].reusable
    assert offers[3].items == [] and not offers[3].reusable
    assert offers[1].items == [] and offers[1].document_type == ""


def test_expired_documents_are_not_offered_but_listed_with_the_reason(procedure):
    citizen = factories.citizen()
    old = put(citizen, "cccd", valid_until=dt.date(2021, 12, 31))
    fresh = put(citizen, "cccd", valid_until=dt.date(2040, 1, 1), issued_on=dt.date(2022, 1, 1))

    offer = next(
        o for o in services.offer_from_store(citizen, procedure, on=dt.date(2023, 6, 1)) if o.component == 3
    )

    assert offer.items == [fresh] and offer.expired == [old]
    assert services.expired_reason(old) == "Giấy tờ trong kho đã hết hiệu lực ngày 31/12/2021"


def test_a_document_is_valid_through_its_last_day():
    from motcua.documents.models import StoreItem

    item = StoreItem(valid_until=dt.date(2023, 6, 1))
    assert services.is_valid(item, dt.date(2023, 6, 1))
    assert not services.is_valid(item, dt.date(2023, 6, 2))
    assert services.is_valid(StoreItem(valid_until=None), dt.date(2999, 1, 1))


def test_a_store_item_needs_an_owner_and_a_type(db):
    with pytest.raises(Exception, match="số định danh"):
        services.add_store_item(
            actor=None, owner_kind="person", owner_id_number="", document_type="x", name="x"
        )
    with pytest.raises(Exception, match="loại giấy tờ"):
        services.add_store_item(
            actor=None, owner_kind="person", owner_id_number="1", document_type="", name="x"
        )
