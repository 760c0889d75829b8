"""Domain errors. Services raise these; the API and the CLI turn them into clear 4xx answers and messages."""

from __future__ import annotations


class MotcuaError(Exception):
    """Base of every error a user can cause. `status` is the HTTP status the API answers with."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"error": self.code, "detail": self.message}
        if self.field:
            body["field"] = self.field
        body.update({k: v for k, v in self.details.items() if v is not None})
        return body


class InvalidInput(MotcuaError):
    """A value is malformed or out of range (names the field)."""

    status = 400
    code = "invalid"


class NotFound(MotcuaError):
    status = 404
    code = "not_found"


class Forbidden(MotcuaError):
    """The user may not read or change this object."""

    status = 403
    code = "forbidden"


class StateError(MotcuaError):
    """The action is not allowed in the object's current state (names the allowed actions)."""

    status = 409
    code = "conflict"


class LoadError(MotcuaError):
    """A data file has errors. `errors` lists every one as (file, line, field, message); nothing was loaded."""

    code = "load_error"

    def __init__(self, errors: list[tuple[str, int | None, str | None, str]]) -> None:
        self.errors = errors
        lines = [
            f"{file}:{line if line is not None else '-'}: {field or '-'}: {message}"
            for file, line, field, message in errors
        ]
        super().__init__(f"{len(errors)} error(s):\n" + "\n".join(lines))
