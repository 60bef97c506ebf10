from django.urls import path

from jixiao.web.rectification import views

app_name = "rectification"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_new, name="new"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/submit/", views.item_submit, name="submit"),
    path("<int:pk>/<str:verb>/", views.item_conclude, name="conclude"),
    path("files/<int:pk>/", views.evidence_file, name="file"),
]
