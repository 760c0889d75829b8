import datetime as dt

import pytest

from motcua.documents import services as documents
from motcua.dossiers import services
from motcua.dossiers.choices import Status
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.services import Applicant, DocumentInput
from motcua.errors import Forbidden, InvalidInput, NotFound, StateError
from tests.dossiers.conftest import vn


def test_a_counter_receipt_starts_received_with_code_promise_and_first_step(world):
    dossier = world.receive(received_at=vn(2023, 3, 6, 8, 30))

    assert dossier.status == Status.RECEIVED
    assert dossier.code == "000.21.01.H42-230306-0001"
    assert dossier.received_at == vn(2023, 3, 6, 8, 30)
    assert dossier.due_at == vn(2023, 3, 13, 17, 0)  # 5 working days after Monday 6/3/2023
    assert dossier.received_by == world.counter
    assert dossier.procedure_version.number == 1
    steps = list(dossier.steps.order_by("order"))
    assert [s.name for s in steps] == [
        "Tiếp nhận hồ sơ",
        "Thẩm định hồ sơ",
        "Phê duyệt, ký kết quả",
        "Trả kết quả",
    ]
    assert dossier.current_step == steps[0]
    assert steps[0].started_at == dossier.received_at and steps[0].assigned_to == world.counter
    assert steps[-1].due_at == dossier.due_at


def test_the_applicants_account_owns_a_counter_dossier(world):
    dossier = world.receive()
    assert dossier.applicant == world.citizen


def test_documents_record_source_availability_and_digitization(world):
    dossier = world.receive()
    docs = {d.name: d for d in dossier.documents.all()}
    assert docs["Tờ khai theo mẫu"].source == "upload" and docs["Tờ khai theo mẫu"].digitized
    assert docs["Căn cước công dân"].source == "paper" and not docs["Căn cước công dân"].digitized
    # The national population database holds the citizen: the ID card need not have been asked for.
    assert docs["Căn cước công dân"].available


def test_a_component_pulled_from_the_national_database_is_digitized_and_reused(world):
    dossier = world.receive(
        documents=[
            DocumentInput(component=1, source="upload", file_id=world.upload(world.counter)),
            DocumentInput(component=2, source="national_db"),
        ]
    )
    doc = dossier.documents.get(name="Căn cước công dân")
    assert (doc.source, doc.available, doc.digitized, doc.registry_reference) == (
        "national_db",
        True,
        True,
        "042090000001",
    )


def test_a_missing_required_component_is_refused_by_name(world):
    with pytest.raises(InvalidInput, match="Căn cước công dân") as error:
        world.receive(
            documents=[DocumentInput(component=1, source="upload", file_id=world.upload(world.counter))]
        )
    assert error.value.field == "documents"
    assert not Dossier.objects.exists()


def test_an_expired_store_document_is_refused_with_its_end_date(world):
    item = documents.add_store_item(
        actor=None,
        owner_kind="person",
        owner_id_number=world.citizen.citizen_id,
        document_type="cccd",
        name="Căn cước công dân",
        valid_until=dt.date(2020, 5, 31),
    )
    with pytest.raises(InvalidInput, match="Giấy tờ trong kho đã hết hiệu lực ngày 31/05/2020"):
        world.receive(
            documents=[
                DocumentInput(component=1, source="upload", file_id=world.upload(world.counter)),
                DocumentInput(component=2, source="store", store_item_id=item.pk),
            ]
        )


def test_another_persons_store_document_cannot_be_used(world):
    item = documents.add_store_item(
        actor=None, owner_kind="person", owner_id_number="042999999999", document_type="cccd", name="CCCD"
    )
    with pytest.raises(InvalidInput, match="không tìm thấy giấy tờ này trong kho"):
        world.receive(
            documents=[
                DocumentInput(component=1, source="upload", file_id=world.upload(world.counter)),
                DocumentInput(component=2, source="store", store_item_id=item.pk),
            ]
        )


def test_a_national_database_without_the_record_is_a_clear_refusal(world):
    with pytest.raises(InvalidInput, match="Không tìm thấy dữ liệu của số định danh 042111111111"):
        services.receive_at_counter(
            world.counter,
            world.commune,
            world.procedure,
            Applicant(name="Người lạ", id_number="042111111111"),
            [
                DocumentInput(component=1, source="upload", file_id=world.upload(world.counter)),
                DocumentInput(component=2, source="national_db"),
            ],
        )


def test_a_file_uploaded_by_someone_else_cannot_be_attached(world):
    someone_elses = world.upload(world.citizen, "cua-nguoi-khac")
    with pytest.raises(NotFound):
        world.receive(
            documents=[
                DocumentInput(component=1, source="upload", file_id=someone_elses),
                DocumentInput(component=2, source="paper"),
            ]
        )


def test_only_a_counter_officer_of_the_unit_receives(world):
    with pytest.raises(Forbidden):
        services.receive_at_counter(
            world.counter_b, world.commune, world.procedure, Applicant(name="A"), world.counter_documents()
        )
    with pytest.raises(Forbidden):
        services.receive_at_counter(
            world.processor, world.commune, world.procedure, Applicant(name="A"), world.counter_documents()
        )


def test_a_receipt_in_the_future_is_refused(world):
    with pytest.raises(InvalidInput, match="tương lai"):
        world.receive(received_at=vn(2999, 1, 1, 8, 0))


def test_an_online_dossier_is_new_until_accepted_and_counts_from_acceptance(world):
    dossier = world.submit(at=vn(2023, 3, 6, 9, 0))
    assert dossier.status == Status.NEW
    assert dossier.channel == "online"
    assert dossier.received_at is None and dossier.due_at is None
    assert dossier.code.startswith("000.21.01.H42-230306-")
    assert not dossier.steps.exists()

    services.accept_online(world.counter, dossier, at=vn(2023, 3, 7, 10, 0))

    assert dossier.status == Status.RECEIVED
    assert dossier.received_at == vn(2023, 3, 7, 10, 0)
    assert dossier.due_at == vn(2023, 3, 14, 17, 0)
    assert dossier.steps.count() == 4


def test_a_full_online_procedure_takes_no_paper(world):
    with pytest.raises(InvalidInput, match="toàn trình"):
        world.submit(
            documents_in=[
                DocumentInput(component=1, source="upload", file_id=world.upload(world.citizen)),
                DocumentInput(component=2, source="paper"),
            ]
        )


def test_partial_online_papers_are_handed_in_and_scanned_at_acceptance(world):
    dossier = world.submit(
        procedure=world.interagency,
        documents_in=[
            DocumentInput(component=1, source="upload", file_id=world.upload(world.citizen)),
            DocumentInput(component=2, source="paper"),
        ],
    )
    paper = dossier.documents.get(source="paper")
    assert not paper.digitized

    scan = world.upload(world.counter, "ban-quet-cccd")
    services.accept_online(world.counter, dossier, scans={2: scan})

    paper.refresh_from_db()
    assert paper.digitized and paper.file_id == scan


def test_a_procedure_not_offered_online_cannot_be_filed_online(world):
    world.procedure.online_level = "none"
    world.procedure.save()
    from motcua.catalog.services import publish_version

    publish_version(world.procedure, actor=None)
    with pytest.raises(InvalidInput, match="chưa cung cấp dịch vụ công trực tuyến"):
        world.submit()


def test_a_refusal_at_intake_keeps_its_reasons(world):
    dossier = world.submit()
    services.refuse_at_intake(world.counter, dossier, "Tờ khai không đúng mẫu")

    assert dossier.status == Status.NOT_RECEIVED
    assert dossier.refusal.reasons == "Tờ khai không đúng mẫu"
    assert dossier.refusal.refused_by == world.counter
    assert dossier.received_at is None


def test_a_refusal_needs_reasons(world):
    dossier = world.submit()
    with pytest.raises(InvalidInput):
        services.refuse_at_intake(world.counter, dossier, "  ")


def test_a_received_dossier_cannot_be_refused_at_intake(world):
    dossier = world.receive()
    with pytest.raises(StateError) as error:
        services.refuse_at_intake(world.counter, dossier, "muộn")
    assert "complete_step" in error.value.details["allowed"]


def test_a_dossier_keeps_the_procedure_version_it_started_under(world):
    from motcua.catalog.services import publish_version

    dossier = world.receive()
    world.procedure.duration_days = 30
    world.procedure.save()
    publish_version(world.procedure, actor=None)

    later = world.receive()
    assert dossier.procedure_version.number == 1 and later.procedure_version.number == 2
    assert (later.due_at - dossier.due_at).days > 20
    assert DossierDocument.objects.filter(dossier=later).count() == 2
