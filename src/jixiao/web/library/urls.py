"""URLs of the indicator library (指标库)."""

from django.urls import path

from jixiao.web.library import views

app_name = "library"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("refresh/", views.refresh, name="refresh"),
    path("suggest/", views.suggest, name="suggest"),
    path("<str:code>/", views.entry_detail, name="entry"),
    path("<str:code>/edit/", views.entry_edit, name="edit"),
    path("<str:code>/merge/", views.entry_merge, name="merge"),
    path("<str:code>/<str:step>/", views.entry_step, name="step"),
]
