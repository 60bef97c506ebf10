from django.urls import path

from jixiao.web.monitoring.views import execution, records, rounds

app_name = "monitoring"
urlpatterns = [
    path("", rounds.round_list, name="round_list"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/close/", rounds.round_close, name="round_close"),
    path("rounds/<int:pk>/execution/", execution.execution_upload, name="execution_upload"),
    path("rounds/<int:pk>/execution/<str:token>/", execution.execution_preview, name="execution_preview"),
    path("rounds/<int:pk>/execution/<str:token>/apply/", execution.execution_apply, name="execution_apply"),
    path("records/<int:pk>/", records.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", records.record_edit, name="record_edit"),
    path("records/<int:pk>/preview/", records.record_preview, name="record_preview"),
    path("records/<int:pk>/act/<str:action>/", records.record_act, name="record_act"),
]
