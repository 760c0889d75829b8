from django.urls import path

from motcua.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
]
