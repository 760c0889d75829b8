"""Which file types may be uploaded, recognised by their content (magic bytes), never by their name."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str


PDF = FileType("application/pdf", "pdf", "PDF")
PNG = FileType("image/png", "png", "PNG")
JPEG = FileType("image/jpeg", "jpg", "JPEG")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "DOCX")
ALLOWED = (PDF, PNG, JPEG, DOCX)

_SIGNATURES = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))


def detect(path: Path) -> FileType | None:
    """The allowed type of the file at `path`, or None when it is none of them.

    A DOCX is a ZIP archive, so the ZIP signature alone is not enough: it must also hold the Word
    document part (`word/document.xml`) and the content-types part that every OOXML file has.
    """
    with path.open("rb") as handle:
        head = handle.read(8)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if {"word/document.xml", "[Content_Types].xml"} <= names:
            return DOCX
    return None
