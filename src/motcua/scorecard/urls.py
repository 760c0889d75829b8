"""The reform dashboard's pages, mounted at /dashboard/ (namespace `dashboard`)."""

from django.urls import path

from motcua.scorecard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("trends/", views.trends, name="trends"),
    path("units/", views.units, name="units"),
    path("indicators/<str:code>/", views.indicator, name="indicator"),
    path("drilldown/", views.drilldown, name="drilldown"),
    path("reported/", views.reported, name="reported"),
    path("reported/new/", views.report_value, name="report-value"),
    path("reported/<int:pk>/review/", views.review, name="review"),
    path("reported/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("export/<str:fmt>/", views.export, name="export"),
]
