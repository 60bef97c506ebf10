from django.urls import path

from jixiao.web.cycle import exports, views

app_name = "cycle"
urlpatterns = [
    path("", views.home, name="home"),
    path("declarations/", views.declaration_list, name="declaration_list"),
    path("declarations/new/", views.declaration_new, name="declaration_new"),
    path("declarations/<int:pk>/", views.declaration_detail, name="declaration_detail"),
    path("declarations/<int:pk>/edit/", views.declaration_edit, name="declaration_edit"),
    path("declarations/<int:pk>/act/<str:action>/", views.declaration_act, name="declaration_act"),
    path("declarations/<int:pk>/adjust/", views.declaration_adjust, name="declaration_adjust"),
    path("declarations/<int:pk>/project-code/", views.project_code, name="project_code"),
    path("declarations/<int:pk>/delete/", views.declaration_delete, name="declaration_delete"),
    path("declarations/<int:pk>/carry/", views.declaration_carry, name="declaration_carry"),
    path("declarations/<int:pk>/shares/", views.declaration_shares, name="declaration_shares"),
    path("declarations/<int:pk>/evaluate/", views.evaluation_start, name="evaluation_start"),
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<int:pk>/act/<str:action>/", views.evaluation_act, name="evaluation_act"),
    path("evaluations/<int:pk>/preview/", views.evaluation_preview, name="evaluation_preview"),
    path("evaluations/<int:pk>/delete/", views.evaluation_delete, name="evaluation_delete"),
    path("<str:kind>/<int:pk>/source/", views.source_file, name="source_file"),
    path("<str:kind>s/<int:pk>/download.<str:fmt>", exports.download, name="record_download"),
    path("<str:kind>s/<int:pk>/print/", exports.print_form, name="record_print"),
    path("targets/check/", views.target_check, name="target_check"),
]
