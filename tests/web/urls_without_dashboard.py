"""The site's URLs without the reform dashboard, as an installation without it would have them."""

from motcua.urls import handler403, handler404, handler500
from motcua.urls import urlpatterns as site_urlpatterns

urlpatterns = [p for p in site_urlpatterns if getattr(p, "namespace", None) != "dashboard"]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
