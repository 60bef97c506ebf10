from django.urls import path

from jixiao.web.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.read, name="read"),
    path("deadlines/", views.deadline_page, name="deadlines"),
    path("deadlines/<int:pk>/remove/", views.deadline_remove, name="deadline_remove"),
    path("batch/<str:kind>/", views.batch_approve, name="batch"),
]
