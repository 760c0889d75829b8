"""Reads of the procedure catalog.

The catalog is public information (Nghị định 63/2010: procedures are published), so these reads
are not scoped to a user's units; only procedures marked `published` are shown to the public.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from motcua.catalog.models import Component, FeeLine, Procedure, ProcessStep
from motcua.catalog.search import query_words
from motcua.errors import NotFound

_LEVEL_FLAGS = {"province": "at_province", "district": "at_district", "commune": "at_commune"}


def public_procedures() -> QuerySet[Procedure]:
    """Procedures visible to everyone: those announced and made public."""
    return Procedure.objects.filter(published=True)


def matching(queryset: QuerySet[Procedure], query: str) -> QuerySet[Procedure]:
    """Narrow to procedures whose name, code or field contain every word of `query`, ignoring
    case and Vietnamese diacritics ("dang ky khai sinh" finds "Đăng ký khai sinh")."""
    for word in query_words(query):
        queryset = queryset.filter(search_text__icontains=word)
    return queryset


def search_procedures(
    *,
    query: str | None = None,
    level: str | None = None,
    field: str | None = None,
    online_level: str | None = None,
    queryset: QuerySet[Procedure] | None = None,
) -> QuerySet[Procedure]:
    """Public procedures filtered by a text query, an administrative level, a field and an online level."""
    procedures = public_procedures() if queryset is None else queryset
    if query:
        procedures = matching(procedures, query)
    if level:
        procedures = procedures.filter(**{_LEVEL_FLAGS[level]: True})
    if field:
        procedures = procedures.filter(field=field)
    if online_level:
        procedures = procedures.filter(online_level=online_level)
    return procedures.order_by("code")


def field_counts() -> list[dict[str, object]]:
    """Each field (lĩnh vực) of the public catalog with its number of procedures, by name."""
    rows = public_procedures().values("field").annotate(count=Count("id")).order_by("field")
    return [{"field": row["field"], "count": row["count"]} for row in rows]


def procedure_detail(code: str) -> Procedure:
    """One public procedure with its components, fee lines and steps loaded; NotFound otherwise."""
    procedure = (
        public_procedures()
        .select_related("province_unit")
        .prefetch_related(
            Prefetch("components", queryset=Component.objects.order_by("order", "id")),
            Prefetch("fee_lines", queryset=FeeLine.objects.order_by("order", "id")),
            Prefetch("steps", queryset=ProcessStep.objects.order_by("order")),
        )
        .filter(code=code)
        .first()
    )
    if procedure is None:
        raise NotFound(f"Không có thủ tục mã {code}", field="code")
    return procedure
