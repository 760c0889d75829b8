"""Opening an exchange bundle: a directory, or a `.zip` of one.

A zip may hold the files at its root or inside one top-level folder. Files are read as UTF-8 with
an optional byte-order mark; every file can be opened any number of times, so the importer can
stream `dossiers.jsonl` twice (validate, then write) without holding it in memory.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from motcua.errors import LoadError

MANIFEST = "manifest.json"
UNITS = "units.csv"
PROCEDURES = "procedures.csv"
DOSSIERS = "dossiers.jsonl"
REPORTED = "reported.csv"
REQUIRED_FILES = (MANIFEST, UNITS, PROCEDURES, DOSSIERS)


class Bundle:
    """Read access to the files of one bundle. Use as a context manager (it closes the zip)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._prefix = ""
        if self.path.is_dir():
            return
        if not self.path.exists():
            raise LoadError([(str(self.path), None, None, _("không tìm thấy gói dữ liệu"))])
        if not zipfile.is_zipfile(self.path):
            raise LoadError([(str(self.path), None, None, _("không phải thư mục hay tệp .zip"))])
        self._zip = zipfile.ZipFile(self.path)
        self._prefix = _zip_prefix(self._zip)

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    @property
    def name(self) -> str:
        return self.path.name

    def has(self, name: str) -> bool:
        if self._zip is None:
            return (self.path / name).is_file()
        try:
            self._zip.getinfo(self._prefix + name)
        except KeyError:
            return False
        return True

    def size(self, name: str) -> int:
        """Uncompressed size in bytes (for progress bars)."""
        if self._zip is None:
            return (self.path / name).stat().st_size
        return self._zip.getinfo(self._prefix + name).file_size

    def open_binary(self, name: str) -> IO[bytes]:
        if self._zip is None:
            return open(self.path / name, "rb")  # noqa: SIM115 - the caller closes it
        return self._zip.open(self._prefix + name)

    @contextlib.contextmanager
    def open_text(self, name: str) -> Iterator[IO[str]]:
        """The file as text: UTF-8, a leading byte-order mark dropped, newlines kept for the csv module."""
        with self.open_binary(name) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            try:
                yield text
            finally:
                text.detach()

    def lines(self, name: str) -> Iterator[tuple[int, bytes]]:
        """(line number, raw bytes) of every line, the byte-order mark of the first one removed."""
        with self.open_binary(name) as raw:
            for number, line in enumerate(raw, start=1):
                if number == 1 and line.startswith(codecs.BOM_UTF8):
                    line = line[len(codecs.BOM_UTF8) :]
                yield number, line

    def count_lines(self, name: str) -> int:
        """The number of lines of a file (a last line without a newline counts), read in large blocks."""
        count, last = 0, b"\n"
        with self.open_binary(name) as raw:
            while block := raw.read(1 << 20):
                count += block.count(b"\n")
                last = block[-1:]
        return count + (last != b"\n")

    @contextlib.contextmanager
    def local_path(self, name: str) -> Iterator[Path]:
        """A file system path of the file (a temporary copy when the bundle is a zip)."""
        if self._zip is None:
            yield self.path / name
            return
        with tempfile.TemporaryDirectory(prefix="motcua-bundle-") as tmp:
            target = Path(tmp) / name
            with self.open_binary(name) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            yield target


def _zip_prefix(archive: zipfile.ZipFile) -> str:
    """'' when the files sit at the root of the zip, else 'folder/' for the one top-level folder."""
    names = [n for n in archive.namelist() if not n.startswith("__MACOSX/")]
    if MANIFEST in names:
        return ""
    tops = {n.split("/", 1)[0] for n in names if "/" in n}
    if len(tops) == 1:
        prefix = tops.pop() + "/"
        if prefix + MANIFEST in names:
            return prefix
    return ""
