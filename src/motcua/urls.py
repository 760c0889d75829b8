from django.contrib import admin
from django.urls import include, path

from motcua.api import api

admin.site.site_header = "motcua – Quản trị hệ thống"
admin.site.site_title = "motcua"
admin.site.index_title = "Quản trị"

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("motcua.accounts.urls")),
    path("payments/", include("motcua.payments.urls")),
    path("dashboard/", include("motcua.scorecard.urls")),
    path("", include("motcua.web.urls")),
]

# Error pages in the site's layout, in Vietnamese (never a traceback).
handler403 = "motcua.web.views.errors.forbidden"
handler404 = "motcua.web.views.errors.not_found"
handler500 = "motcua.web.views.errors.server_error"
