from django.urls import path

from jixiao.web.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
]
