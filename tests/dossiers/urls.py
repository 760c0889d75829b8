"""URLs for the dossier API tests: the project's own, once it mounts /api/dossiers; until then the
project's API with the dossier router added under the same prefix and the same error handlers."""

from django.urls import include, path
from ninja import NinjaAPI

from motcua import urls
from motcua.api import api

if any(prefix.strip("/") == "dossiers" for prefix, _router in api._routers):
    urlpatterns = urls.urlpatterns
else:
    test_api = NinjaAPI(urls_namespace="api")
    test_api._exception_handlers = dict(api._exception_handlers)
    test_api.add_router("/dossiers", "motcua.dossiers.api.router")
    urlpatterns = [path("api/", test_api.urls), path("accounts/", include("motcua.accounts.urls"))]
