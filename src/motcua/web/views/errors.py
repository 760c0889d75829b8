"""The error pages, in the site's layout and in Vietnamese: 403, 404 and 500.

Wired in `motcua/urls.py` (handler403/404/500); Django's own 400 and CSRF-failure pages use the
templates `400.html` and `403_csrf.html` of this app. None of them ever shows a traceback; the 500
page renders without the database (the error may be the database), so it has no navigation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from motcua.errors import Forbidden, NotFound

logger = logging.getLogger(__name__)

_LAST_RESORT = (
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi hệ thống</title></head>'
    "<body><main><h1>Lỗi hệ thống</h1><p>Đã có lỗi xảy ra. Vui lòng thử lại sau.</p>"
    '<p><a href="/">Về trang chủ</a></p></main></body></html>'
)


def _message(exception: Exception | None) -> str:
    # Only the messages we raise on purpose are meant for the reader (Http404("…"),
    # PermissionDenied("…")); Django's own resolver messages are English and technical.
    if exception is None or not exception.args or not isinstance(exception.args[0], str):
        return ""
    return exception.args[0]


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/403.html", {"message": _message(exception)}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _message(exception)
    # The URL resolver's 404 carries a dict of technical details, not a message.
    return render(request, "web/errors/404.html", {"message": message}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        body = loader.get_template("web/errors/500.html").render({})
    except Exception:
        logger.exception("the 500 page itself failed to render")
        body = _LAST_RESORT
    return HttpResponseServerError(body)


def domain_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn the domain's NotFound and Forbidden, raised by a selector or a service while a page is
    built, into the 404 and 403 pages (with the domain's message)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapped
