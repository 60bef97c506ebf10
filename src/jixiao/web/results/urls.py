from django.urls import path

from jixiao.web.results import views

app_name = "results"
urlpatterns = [
    path("", views.page, name="page"),
    path("<int:pk>/", views.detail, name="detail"),
    path("batch/", views.batch_accept, name="batch"),
    path("close/", views.close, name="close"),
    path("download/<str:fmt>/", views.download, name="download"),
]
