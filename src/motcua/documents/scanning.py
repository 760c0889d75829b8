"""The scanning hook for uploads (quét mã độc).

`settings.UPLOAD_SCANNERS` lists dotted paths of callables `scanner(path: Path) -> None`, run on
every upload before it is kept. A scanner raises `InfectedFile` with a reason to reject the file;
any other exception also rejects it (an unavailable scanner must not let files through). The
default, `reject_eicar`, only recognises the EICAR test string, so that the hook can be checked
end to end; an installation plugs in a real engine (for example a ClamAV client) next to it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

DEFAULT_SCANNERS = ["motcua.documents.scanning.reject_eicar"]

# The industry-standard harmless test signature every antivirus engine reports as infected.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
_CHUNK = 1 << 20


class InfectedFile(Exception):
    """A scanner found malicious content; the message says what."""


def reject_eicar(path: Path) -> None:
    """Reject a file that contains the EICAR test string anywhere."""
    overlap = len(EICAR) - 1
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            window = tail + chunk
            if EICAR in window:
                raise InfectedFile(_("Tệp chứa mẫu mã độc thử nghiệm EICAR."))
            tail = window[-overlap:]


def scanners() -> list[Callable[[Path], None]]:
    """The configured scanners, in order."""
    paths = getattr(settings, "UPLOAD_SCANNERS", None)
    return [import_string(p) for p in (DEFAULT_SCANNERS if paths is None else paths)]
