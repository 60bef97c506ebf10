from django.urls import path

from jixiao.web.summary import views

app_name = "summary"
urlpatterns = [
    path("", views.summary_table, name="table"),
    path("download.<str:fmt>", views.summary_download, name="download"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
