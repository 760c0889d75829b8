"""The site's URLs with a stub dashboard (another app's in production) and a page that fails, for
the layout tests; `urls_without_dashboard` is the site as installed without the dashboard."""

from django.http import HttpResponse
from django.urls import include, path

from motcua.accounts.views import SignInView
from motcua.urls import handler403, handler404, handler500
from tests.web.urls_without_dashboard import urlpatterns as without_dashboard


def _dashboard(request):
    return HttpResponse("dashboard")


def _broken(request):
    raise RuntimeError("a bug with a secret in its message: SECRET-TRACE")


urlpatterns = [
    path("dashboard/", include(([path("", _dashboard, name="home")], "dashboard"))),
    path("broken/", _broken),
    # The site's sign-in page in the layout, as the accounts app would serve it.
    path("sign-in/", SignInView.as_view(template_name="web/sign_in.html")),
    *without_dashboard,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
