"""Filing a dossier online: the unit, the components (the data store first, uploads, national
databases), errors in Vietnamese next to their field with what was typed kept."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.models import StoreItem
from motcua.dossiers.models import Dossier
from tests.web.world import PDF

pytestmark = pytest.mark.django_db

URL = "/procedures/9.000001/submit/"


def _pdf(name="to-khai.pdf", text="to khai"):
    return SimpleUploadedFile(name, PDF + text.encode(), content_type="application/pdf")


@pytest.fixture
def citizen_client(client, world):
    client.force_login(world.citizen)
    return client


def _data(world, **overrides):
    data = {
        "unit": world.commune.code,
        "phone": "0912345678",
        "email": "an@example.vn",
        "address": "Thôn 1, xã Thạch Bằng",
        "c1_source": "upload",
        "c1_file": _pdf(),
        "c2_source": "store",
        "c2_store_item": str(StoreItem.objects.get(owner=world.citizen).pk),
        "c3_source": "skip",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_form_offers_the_units_and_the_stored_id_card_first(citizen_client, world):
    body = citizen_client.get(URL).content.decode()
    assert f'<option value="{world.commune.code}"' in body
    assert "Dùng giấy tờ đã có trong kho dữ liệu" in body
    stored = StoreItem.objects.get(owner=world.citizen)
    assert f'<option value="{stored.pk}">Căn cước công dân – số 042090001234 – cấp ngày' in body
    # Reuse is the choice made for the component the store holds.
    assert re.search(r'<input[^>]*name="c2_source" value="store"[^>]*checked', body)
    # A full-process procedure takes no paper.
    assert "Nộp bản giấy tại bộ phận một cửa" not in body


def test_submitting_files_the_dossier_and_shows_it(citizen_client, world):
    response = citizen_client.post(URL, _data(world))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{dossier.code}/"
    assert dossier.status == "new" and dossier.channel == "online"
    assert dossier.applicant == world.citizen
    assert dossier.contact_phone == "0912345678"
    sources = sorted(dossier.documents.values_list("source", flat=True))
    assert sources == ["store", "upload"]
    page = citizen_client.get(response["Location"]).content.decode()
    assert f"Đã nộp hồ sơ {dossier.code}." in page
    assert "Mới đăng ký" in page


def test_a_missing_file_is_said_next_to_its_component_and_the_rest_is_kept(citizen_client, world):
    response = citizen_client.post(URL, _data(world, c1_file=None))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Chưa chọn tệp cho giấy tờ này." in body
    assert 'value="0912345678"' in body
    assert 'value="Thôn 1, xã Thạch Bằng"' in body
    assert f'<option value="{world.commune.code}" selected>' in body
    assert not Dossier.objects.exists()


def test_no_unit_chosen_is_said_in_vietnamese(citizen_client, world):
    response = citizen_client.post(URL, _data(world, unit=""))
    assert response.status_code == 400
    assert "Trường này là bắt buộc." in response.content.decode()


def test_a_refused_file_type_is_said_next_to_it(citizen_client, world):
    text = SimpleUploadedFile("ghi-chu.txt", b"chi la van ban", content_type="text/plain")
    response = citizen_client.post(URL, _data(world, c1_file=text))
    assert response.status_code == 400
    assert "Loại tệp không được chấp nhận" in response.content.decode()
    assert not Dossier.objects.exists()


def test_an_upload_is_kept_when_another_field_fails(citizen_client, world):
    # The file is stored on the first attempt; the unit is missing.
    first = citizen_client.post(URL, _data(world, unit="")).content.decode()
    assert "Đã tải lên: to-khai.pdf" in first
    kept = first.split('name="c1_kept" value="', 1)[1].split('"', 1)[0]
    # The second attempt sends the kept file's id instead of the file.
    response = citizen_client.post(URL, _data(world, c1_file=None, c1_kept=kept))
    assert response.status_code == 302
    assert Dossier.objects.get().documents.filter(source="upload").exists()


def test_another_persons_upload_cannot_be_slipped_in(citizen_client, world):
    theirs = world.upload(world.other_citizen, "cua-nguoi-khac")
    response = citizen_client.post(URL, _data(world, c1_file=None, c1_kept=str(theirs)))
    assert response.status_code == 400
    assert "Chưa chọn tệp cho giấy tờ này." in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_component_can_be_pulled_from_the_national_database(citizen_client, world):
    response = citizen_client.post(URL, _data(world, c2_source="national_db", c2_store_item=None))
    assert response.status_code == 302
    assert Dossier.objects.get().documents.filter(source="national_db").exists()


def test_a_national_database_the_applicant_is_not_in_is_said_next_to_the_component(client, world, make):
    newcomer = make.citizen("042099000077", full_name="Lê Văn Mới")
    client.force_login(newcomer)
    response = client.post(URL, _data(world, c2_source="national_db", c2_store_item=None))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Không tìm thấy dữ liệu của số định danh 042099000077" in body
    assert 'id="component-2-error"' in body


def test_a_partial_online_procedure_offers_paper(citizen_client, world):
    world.procedure.online_level = "partial"
    world.procedure.save()
    body = citizen_client.get(URL).content.decode()
    assert "Nộp bản giấy tại bộ phận một cửa" in body
    response = citizen_client.post(URL, _data(world, c1_source="paper", c1_file=None))
    assert response.status_code == 302
    assert Dossier.objects.get().documents.filter(source="paper").exists()
