from django.urls import path

from jixiao.web.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("packs/", views.packs, name="packs"),
]
