"""An approved dossier's electronic result, the applicant's data store, and reuse in the next dossier."""

import zipfile

from motcua.documents import services as documents
from motcua.documents.models import StoreItem
from motcua.dossiers import services
from motcua.dossiers.choices import Outcome, Status
from motcua.dossiers.services import DocumentInput


def _approved(world, **approve_kwargs):
    dossier = world.receive()
    services.complete_step(world.counter, dossier)
    services.complete_step(world.processor, dossier)
    services.approve(world.leader, dossier, note="Đồng ý", **approve_kwargs)
    return dossier


def test_approval_issues_an_electronic_result_and_puts_it_in_the_store(world):
    dossier = _approved(world)

    assert (dossier.status, dossier.outcome) == (Status.PROCESSED, Outcome.APPROVED)
    assert dossier.finished_at is not None
    assert (dossier.result_electronic, dossier.result_digitized, dossier.result_to_store) == (
        True,
        True,
        True,
    )
    # No file uploaded: a result document was generated, a real DOCX naming the dossier.
    assert dossier.result_file.content_type.endswith("wordprocessingml.document")
    with zipfile.ZipFile(documents.stored_path(dossier.result_file)) as docx:
        assert dossier.code in docx.read("word/document.xml").decode()

    item = StoreItem.objects.get(source_dossier=dossier)
    assert item.owner_id_number == world.citizen.citizen_id and item.owner == world.citizen
    assert item.issuer == world.commune.name
    assert item.document_type == "ket_qua_9_000001"
    assert item.file == dossier.result_file
    # The return step is next, at the counter.
    assert dossier.current_step.name == "Trả kết quả"


def test_an_uploaded_result_file_is_the_one_issued(world):
    signed = world.upload(world.leader, "quyet-dinh-da-ky")
    dossier = _approved(world, result_file_id=signed)
    assert dossier.result_file_id == signed


def test_the_result_is_returned_online(world):
    dossier = _approved(world)
    services.return_result(world.counter, dossier, "online")
    assert dossier.status == Status.RETURNED
    assert dossier.returned_at is not None and dossier.return_method == "online"


def test_a_result_in_the_store_is_offered_and_reused_by_the_next_dossier(world):
    first = _approved(world)

    offers = documents.offer_from_store(world.citizen, world.procedure)
    offer = next(o for o in offers if o.component == 3)
    assert [i.source_dossier_id for i in offer.items] == [first.pk]
    assert offer.reusable
    assert not next(o for o in offers if o.component == 1).reusable

    second = world.submit(
        documents_in=[
            DocumentInput(component=1, source="upload", file_id=world.upload(world.citizen, "to-khai-2")),
            DocumentInput(component=2, source="national_db"),
            DocumentInput(component=3, source="store", store_item_id=offer.items[0].pk),
        ]
    )
    reused = second.documents.get(name="Giấy xác nhận trước đây (nếu có)")
    assert (reused.source, reused.available, reused.digitized) == ("store", True, True)
    assert reused.file == first.result_file


def test_an_uploaded_copy_of_a_stored_paper_counts_as_asked_again(world):
    _approved(world)
    second = world.submit(
        documents_in=[
            DocumentInput(component=1, source="upload", file_id=world.upload(world.citizen, "to-khai-3")),
            DocumentInput(component=2, source="national_db"),
            DocumentInput(component=3, source="upload", file_id=world.upload(world.citizen, "ban-chup")),
        ]
    )
    doc = second.documents.get(name="Giấy xác nhận trước đây (nếu có)")
    assert (doc.source, doc.available) == ("upload", True)


def test_a_dossier_without_applicant_identity_keeps_its_result_out_of_any_store(world):
    from motcua.dossiers.services import Applicant

    dossier = services.receive_at_counter(
        world.counter,
        world.commune,
        world.procedure,
        Applicant(name="Khách vãng lai"),
        world.counter_documents(),
    )
    services.complete_step(world.counter, dossier)
    services.complete_step(world.processor, dossier)
    services.approve(world.leader, dossier)
    assert dossier.result_electronic and not dossier.result_to_store
    assert not StoreItem.objects.exists()
