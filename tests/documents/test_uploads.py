"""Uploads: kept once per content, checked by size, by type (magic bytes) and by the scanners."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from motcua.audit.models import AuditEvent
from motcua.documents import services
from motcua.documents.models import FileUpload, StoredFile
from motcua.documents.scanning import EICAR, InfectedFile
from motcua.dossiers.result_document import build_docx
from motcua.errors import InvalidInput, NotFound
from tests import factories

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(content: bytes, name: str = "tep.pdf", user=None):
    return services.store_upload(ContentFile(content, name=name), user)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (
            build_docx([("Xin chào", False, False)]),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_types_are_recognised_by_their_content(content, content_type):
    stored = upload(content, name="ten-bat-ky.bin")
    assert stored.content_type == content_type


@pytest.mark.django_db
def test_a_file_is_kept_under_its_hash(settings):
    stored = upload(PDF)
    path = Path(settings.MEDIA_ROOT) / stored.sha256[:2] / stored.sha256[2:4] / stored.sha256
    assert services.stored_path(stored) == path
    assert path.read_bytes() == PDF
    assert stored.size == len(PDF)


@pytest.mark.django_db
def test_the_same_content_is_stored_once_but_every_upload_is_recorded():
    first, second = factories.citizen(), factories.citizen()
    a = upload(PDF, "a.pdf", first)
    b = upload(PDF, "b.pdf", second)
    assert a.pk == b.pk and StoredFile.objects.count() == 1
    assert set(FileUpload.objects.values_list("user_id", flat=True)) == {first.pk, second.pk}
    # Each may attach it, because each uploaded it.
    assert services.attachable_file(second, a.pk) == a
    assert AuditEvent.objects.filter(action="file.upload").count() == 2


@pytest.mark.django_db
def test_a_file_someone_else_uploaded_is_not_attachable():
    owner, other = factories.citizen(), factories.citizen()
    stored = upload(PDF, user=owner)
    with pytest.raises(NotFound):
        services.attachable_file(other, stored.pk)


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("not-word.txt", "a zip that is not a Word document")
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 an executable", b"<html><script>alert(1)</script></html>", _plain_zip()],
    ids=["exe", "html", "zip"],
)
def test_other_types_are_refused_whatever_their_name(content):
    with pytest.raises(InvalidInput, match="chỉ nhận PDF, PNG, JPEG, DOCX"):
        upload(content, name="trong-nhu-pdf.pdf")
    assert not StoredFile.objects.exists()


@pytest.mark.django_db
def test_an_empty_file_is_refused():
    with pytest.raises(InvalidInput, match="Tệp rỗng"):
        upload(b"")


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 1024
    with pytest.raises(InvalidInput, match="vượt quá dung lượng cho phép"):
        upload(PDF + b"x" * 2000)
    assert not StoredFile.objects.exists()


class Stream:
    """An upload whose size is known only by reading it (a chunked request body)."""

    name = "lon.pdf"

    def chunks(self, chunk_size=None):
        yield PDF
        for _ in range(10):
            yield b"x" * 500


@pytest.mark.django_db
def test_a_stream_is_cut_off_at_the_size_limit_and_leaves_nothing_behind(settings):
    settings.MAX_UPLOAD_BYTES = 2048
    with pytest.raises(InvalidInput, match="vượt quá dung lượng cho phép"):
        services.store_upload(Stream(), None)
    assert list((Path(settings.MEDIA_ROOT) / "tmp").iterdir()) == []
    assert not StoredFile.objects.exists()


@pytest.mark.django_db
def test_the_default_scanner_rejects_the_eicar_test_string():
    with pytest.raises(InvalidInput, match="EICAR"):
        upload(PDF + EICAR + b"\n%%EOF\n")
    assert not StoredFile.objects.exists()


def _infected(path: Path) -> None:
    if b"malware" in path.read_bytes():
        raise InfectedFile("Phát hiện Trojan.Thu")


def _broken(path: Path) -> None:
    raise ConnectionError("clamd is down")


@pytest.mark.django_db
def test_configured_scanners_replace_the_default(settings):
    settings.UPLOAD_SCANNERS = ["tests.documents.test_uploads._infected"]
    with pytest.raises(InvalidInput, match="Trojan.Thu"):
        upload(PDF + b"malware")
    # The default EICAR check is not configured any more.
    assert upload(PDF + EICAR).content_type == "application/pdf"


@pytest.mark.django_db
def test_a_scanner_that_fails_rejects_the_file(settings):
    settings.UPLOAD_SCANNERS = ["tests.documents.test_uploads._broken"]
    with pytest.raises(InvalidInput, match="Không kiểm tra được mã độc"):
        upload(PDF)
