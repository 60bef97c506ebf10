from django.urls import path

from jixiao.web.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
    path("<int:pk>/files/<int:file_pk>/", views.file_check, name="check"),
    path("<int:pk>/files/<int:file_pk>/correct/", views.file_correct, name="correct"),
    path(
        "<int:pk>/files/<int:file_pk>/corrections/<int:correction_pk>/withdraw/",
        views.correction_withdraw,
        name="withdraw",
    ),
    path("<int:pk>/files/<int:file_pk>/pages/<int:page>.png", views.file_page, name="page"),
]
