"""The English catalog: compiled, in step with its source, and the language a visitor gets."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest

import motcua

pytestmark = pytest.mark.django_db

LOCALE = Path(motcua.__file__).parent / "locale" / "en" / "LC_MESSAGES"


def _singular_entries(po: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every entry without a plural or a context, read from the .po text."""
    entries, current, field = [], {}, None
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current.get("msgid") and not {"msgid_plural", "msgctxt"} & current.keys():
                entries.append((current["msgid"], current.get("msgstr", "")))
            current, field = {}, None
        elif line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgctxt ")):
            field, _, rest = line.partition(" ")
            current[field] = ast.literal_eval(rest)
        elif line.startswith('"') and field:
            current[field] += ast.literal_eval(line)
    return entries


def test_every_message_has_an_english_translation():
    untranslated = [msgid for msgid, msgstr in _singular_entries(LOCALE / "django.po") if not msgstr]
    assert untranslated == []


def test_the_compiled_catalog_matches_its_source():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        msgid
        for msgid, msgstr in _singular_entries(LOCALE / "django.po")
        if compiled.gettext(msgid) != msgstr
    ]
    assert stale == [], "run `make messages` to recompile django.mo"


def test_a_browser_in_english_still_gets_vietnamese_with_the_chosen_language_middleware(
    client, world, settings
):
    settings.MIDDLEWARE = [
        m.replace(
            "django.middleware.locale.LocaleMiddleware", "motcua.web.middleware.ChosenLanguageMiddleware"
        )
        for m in settings.MIDDLEWARE
    ]
    body = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="vi">' in body
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_english_pages_keep_data_in_vietnamese(client, world):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/procedures/9.000001/").content.decode()
    assert "Dossier components" in body
    assert "Chứng thực bản sao từ bản chính giấy tờ, văn bản" in body
