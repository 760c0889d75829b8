"""A plain electronic result document (văn bản kết quả điện tử), generated when the approving
leader attaches none, so that every approved dossier has its result on file and in the applicant's
data store.

The document is a minimal Office Open XML (DOCX) file written with the standard library: Word and
LibreOffice open it, it carries Vietnamese text as it is, and it needs no extra package.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    "</Relationships>"
)
# A fixed timestamp inside the archive: the same result gives the same bytes (and the same hash).
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _paragraph(text: str, *, bold: bool = False, center: bool = False) -> str:
    props = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:p>{props}<w:r>{run_props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def build_docx(lines: list[tuple[str, bool, bool]]) -> bytes:
    """A DOCX whose body is `lines`, each (text, bold, centred)."""
    body = "".join(_paragraph(text, bold=bold, center=center) for text, bold, center in lines)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _RELS),
            ("word/document.xml", document),
        ):
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), content)
    return buffer.getvalue()


def result_docx(
    *,
    unit_name: str,
    code: str,
    procedure_name: str,
    result_name: str,
    applicant_name: str,
    applicant_id_number: str,
    decided_at: dt.datetime,
    decided_by: str,
    note: str,
) -> bytes:
    """The result of one approved dossier as a DOCX."""
    lines = [
        (unit_name.upper(), True, True),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, True),
        ("Độc lập - Tự do - Hạnh phúc", True, True),
        ("", False, False),
        ((result_name or "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH").upper(), True, True),
        ("", False, False),
        (f"Mã hồ sơ: {code}", False, False),
        (f"Thủ tục: {procedure_name}", False, False),
        (
            f"Người nộp: {applicant_name}"
            + (f" (số định danh {applicant_id_number})" if applicant_id_number else ""),
            False,
            False,
        ),
        (f"Kết quả: đã được giải quyết ngày {decided_at:%d/%m/%Y}.", False, False),
    ]
    if note:
        lines.append((f"Ghi chú: {note}", False, False))
    lines += [("", False, False), (f"Người phê duyệt: {decided_by}", False, False)]
    return build_docx(lines)
