"""The web faces' URLs (namespace "web"): the citizen portal at the root, the officer workspace
under /office/, VNeID sign-in under /sign-in/vneid/. The dashboard is another app's (/dashboard/)."""

from django.urls import path

from motcua.web.views import applicant, dossier, identity, office, portal

app_name = "web"
urlpatterns = [
    # The citizen portal.
    path("", portal.home, name="home"),
    path("procedures/", portal.procedures, name="procedures"),
    path("procedures/<str:code>/", portal.procedure, name="procedure"),
    path("procedures/<str:code>/submit/", applicant.submit, name="submit"),
    path("lookup/", portal.lookup, name="lookup"),
    path("my/dossiers/", applicant.my_dossiers, name="my-dossiers"),
    path("my/store/", applicant.my_store, name="my-store"),
    path("my/store/<int:pk>/file/", applicant.store_file, name="store-file"),
    path("dossiers/<str:code>/", applicant.dossier, name="dossier"),
    path("dossiers/<str:code>/files/<int:file_id>/", dossier.dossier_file, name="dossier-file"),
    path("dossiers/<str:code>/forms/<str:form>.pdf", dossier.printed_form, name="dossier-form"),
    path("dossiers/<str:code>/do/<str:action>/", applicant.applicant_action, name="applicant-action"),
    # The officer workspace.
    path("office/", office.queue, name="queue"),
    path("office/receive/", office.receive, name="receive"),
    path("office/receive/<str:code>/", office.receive_form, name="receive-form"),
    path("office/overview/", office.overview, name="overview"),
    path("office/dossiers/<str:code>/", office.office_dossier, name="office-dossier"),
    path("office/dossiers/<str:code>/do/<str:action>/", office.office_action, name="office-action"),
    # Sign-in with the national identity (VNeID).
    path("sign-in/vneid/", identity.start, name="vneid-start"),
    path("sign-in/vneid/callback/", identity.callback, name="vneid-callback"),
    path("sign-in/vneid/simulator/", identity.simulator, name="vneid-simulator"),
]
