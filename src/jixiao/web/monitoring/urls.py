from django.urls import path

from jixiao.web.cycle import exports
from jixiao.web.monitoring.views import actions, alerts, execution, records, rounds, schedule

app_name = "monitoring"
urlpatterns = [
    path("", rounds.round_list, name="round_list"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/close/", rounds.round_close, name="round_close"),
    path("rounds/<int:pk>/schedule/", schedule.round_schedule, name="round_schedule"),
    path("alerts/", alerts.alert_list, name="alert_list"),
    path("rounds/<int:pk>/execution/", execution.execution_upload, name="execution_upload"),
    path("rounds/<int:pk>/execution/imports/<int:job>/", execution.execution_import, name="execution_import"),
    path("rounds/<int:pk>/execution/<str:token>/", execution.execution_preview, name="execution_preview"),
    path("rounds/<int:pk>/execution/<str:token>/apply/", execution.execution_apply, name="execution_apply"),
    path("records/<int:pk>/", records.record_detail, name="record_detail"),
    path("records/<int:pk>/edit/", records.record_edit, name="record_edit"),
    path("records/<int:pk>/preview/", records.record_preview, name="record_preview"),
    path("records/<int:pk>/act/<str:action>/", records.record_act, name="record_act"),
    # the form as a file or on paper, drawn by the exporters as the other records' are (cycle.exports)
    path("records/<int:pk>/download.<str:fmt>", exports.download, {"kind": "monitoring"}, name="record_download"),
    path("records/<int:pk>/print/", exports.print_form, {"kind": "monitoring"}, name="record_print"),
    # what follows the alerts: actions raised on a form, a round's list, an action's page and steps
    path("records/<int:pk>/actions/new/", actions.action_raise, name="action_raise"),
    path("rounds/<int:pk>/actions/", actions.round_actions, name="round_actions"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/submit/", actions.action_submit, name="action_submit"),
    path("actions/<int:pk>/adjust/", actions.action_adjust, name="action_adjust"),
    path("actions/<int:pk>/cancel/", actions.action_cancel, name="action_cancel"),
    path("actions/<int:pk>/<str:verb>/", actions.action_conclude, name="action_conclude"),
    path("evidence/<int:pk>/", actions.evidence_file, name="evidence_file"),
]
