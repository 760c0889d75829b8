"""The HTTP API (Django Ninja). OpenAPI at /api/openapi.json, documentation at /api/docs.

Each app contributes a router from its `api.py`; this module only assembles them and turns
domain errors into clear 4xx answers.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from motcua import __version__
from motcua.errors import MotcuaError

api = NinjaAPI(
    title="motcua API",
    version=__version__,
    description=(
        "Hệ thống thông tin giải quyết thủ tục hành chính và bảng theo dõi kế hoạch cải cách hành chính.\n\n"
        "Authentication: a session cookie (with the CSRF header for changes) or `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
)

api.add_router("/units", "motcua.orgs.api.router")
api.add_router("/procedures", "motcua.catalog.api.router")
api.add_router("/calendar", "motcua.calendar.api.router")
api.add_router("/accounts", "motcua.accounts.api.router")
api.add_router("/audit", "motcua.audit.api.router")
api.add_router("/dossiers", "motcua.dossiers.api.router")
api.add_router("/payments", "motcua.payments.api.router")
api.add_router("/feedback", "motcua.feedback.api.router")
api.add_router("/forms", "motcua.dossiers.forms.api.router")
api.add_router("/scorecard", "motcua.scorecard.api.router")


@api.exception_handler(MotcuaError)
def _domain_error(request: HttpRequest, exc: MotcuaError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        errors.append({"field": ".".join(loc), "detail": err.get("msg", "")})
    return api.create_response(
        request, {"error": "invalid", "detail": "Dữ liệu không hợp lệ", "errors": errors}, status=422
    )


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": f, "detail": " ".join(str(m) for e in errs for m in e.messages)}
            for f, errs in exc.error_dict.items()
        ]
    else:
        errors = [{"field": "", "detail": m} for m in exc.messages]
    return api.create_response(
        request, {"error": "invalid", "detail": "Dữ liệu không hợp lệ", "errors": errors}, status=422
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"error": "not_found", "detail": str(exc) or "Không tìm thấy"}, status=404
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"error": "forbidden", "detail": str(exc) or "Không có quyền"}, status=403
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"error": "unauthenticated", "detail": "Cần đăng nhập"}, status=401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"error": "http_error", "detail": str(exc)}, status=exc.status_code)
