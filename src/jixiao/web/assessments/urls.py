"""Ex-ante assessment pages (under /work/assessments/)."""

from django.urls import path

from jixiao.web.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("experts/", views.expert_pool, name="experts"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/content/", views.assessment_content, name="content"),
    path("<int:pk>/files/", views.assessment_files, name="files"),
    path("<int:pk>/files/<int:file_pk>/", views.assessment_file, name="file"),
    path("<int:pk>/draw/", views.assessment_draw, name="draw"),
    path("<int:pk>/score/", views.assessment_score, name="score"),
    path("<int:pk>/conclude/", views.assessment_conclude, name="conclude"),
    path("<int:pk>/adjustments/", views.assessment_adjustments, name="adjustments"),
    path("<int:pk>/report.<str:fmt>", views.assessment_report, name="report"),
]
