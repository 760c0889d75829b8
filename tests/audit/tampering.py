"""Raw SQL that bypasses the ORM's append-only guard, as someone with database access would."""

from django.db import connection

from motcua.audit.models import AuditChainHead, AuditEvent

EVENTS = connection.ops.quote_name(AuditEvent._meta.db_table)
HEAD = connection.ops.quote_name(AuditChainHead._meta.db_table)


def sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def edit(seq: int, action: str) -> None:
    sql(f"UPDATE {EVENTS} SET action = %s WHERE seq = %s", [action, seq])


def delete(seq: int) -> None:
    sql(f"DELETE FROM {EVENTS} WHERE seq = %s", [seq])


def swap(a: int, b: int) -> None:
    sql(f"UPDATE {EVENTS} SET seq = -1 WHERE seq = %s", [a])
    sql(f"UPDATE {EVENTS} SET seq = %s WHERE seq = %s", [a, b])
    sql(f"UPDATE {EVENTS} SET seq = %s WHERE seq = -1", [b])


def delete_head() -> None:
    sql(f"DELETE FROM {HEAD}")
