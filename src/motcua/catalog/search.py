"""Accent-insensitive matching of Vietnamese text.

A procedure stores `search_text`: its name, code and field folded to lowercase ASCII
("Đăng ký khai sinh" → "dang ky khai sinh"). A query is folded the same way and each of its
words must occur in that key, so the search behaves identically on SQLite and PostgreSQL
without collations or extensions.
"""

from __future__ import annotations

import unicodedata

# đ/Đ are letters of their own, not d plus a combining mark, so NFD leaves them alone.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lowercase `text`, drop Vietnamese diacritics (đ → d) and collapse whitespace."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def query_words(query: str) -> list[str]:
    """The folded words of a search query, each of which must match."""
    return fold(query).split()
