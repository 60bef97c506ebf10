from django.urls import path

from jixiao.web.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("p/<int:pk>/", views.detail, name="detail"),
    path("p/<int:pk>.json", views.download, name="download"),
    path("p/<int:pk>.<str:fmt>", views.download_form, name="download_form"),
]
