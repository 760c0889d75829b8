"""No page reads the database once per row: a list of twenty costs the queries of a list of one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.documents import services as documents
from motcua.dossiers import services
from motcua.dossiers.services import Applicant, DocumentInput
from tests import factories
from tests.web.world import pdf

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grows_not(client, url, add_rows) -> None:
    add_rows(1)
    one = _queries(client, url)
    add_rows(19)
    twenty = _queries(client, url)
    assert twenty == one, f"{url}: {one} queries for 1 row, {twenty} for 20"


def test_the_queue(client, world):
    client.force_login(world.counter)
    _grows_not(client, "/office/", lambda n: [world.receive() for _ in range(n)])


def test_the_queue_of_a_leader_with_every_role(client, world):
    client.force_login(world.leader)
    _grows_not(client, "/office/?all_roles=on", lambda n: [world.submit() for _ in range(n)])


def test_my_dossiers(client, world):
    client.force_login(world.citizen)
    _grows_not(client, "/my/dossiers/", lambda n: [world.submit() for _ in range(n)])


def test_the_overview(client, world):
    client.force_login(world.leader)

    def more_units(n):
        for _ in range(n):
            commune = factories.unit(parent=world.district)
            counter = factories.user(unit=commune, role="counter_officer")
            services.receive_at_counter(
                counter,
                commune,
                world.procedure,
                Applicant(name="Người nộp"),
                [DocumentInput(component=1, source="paper"), DocumentInput(component=2, source="paper")],
            )

    _grows_not(client, "/office/overview/", more_units)


def test_the_catalog(client, world):
    _grows_not(
        client,
        "/procedures/?q=thu+tuc",
        lambda n: [factories.procedure(name="Thủ tục thử", at_commune=True) for _ in range(n)],
    )


def test_the_data_store(client, world):
    client.force_login(world.citizen)

    def items(n):
        for i in range(n):
            documents.add_store_item(
                actor=None,
                owner_kind="person",
                owner_id_number=world.citizen.citizen_id,
                owner=world.citizen,
                document_type=f"loai_{i}",
                name=f"Giấy tờ {i}",
                file=documents.store_upload(pdf(f"kho-{i}"), world.citizen),
            )

    _grows_not(client, "/my/store/", items)


def test_a_dossier_page_with_many_events_and_papers(client, world):
    dossier = world.receive()
    client.force_login(world.counter)

    def events(n):
        for _ in range(n):
            services.request_supplement(world.counter, dossier, "Thiếu giấy", ["Tờ khai"])
            services.supply(world.counter, dossier, [DocumentInput(component=1, source="paper")])

    _grows_not(client, f"/office/dossiers/{dossier.code}/", events)
