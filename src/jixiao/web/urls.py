"""URL map of the web application."""

from django.urls import include, path

urlpatterns = [
    path("", include("jixiao.web.portal.urls")),
    path("accounts/", include("jixiao.web.accounts.urls")),
    path("work/imports/", include("jixiao.web.imports.urls")),
    path("work/summary/", include("jixiao.web.summary.urls")),
    path("work/monitoring/", include("jixiao.web.monitoring.urls")),
    path("work/notices/", include("jixiao.web.notices.urls")),
    path("work/assessments/", include("jixiao.web.assessments.urls")),
    path("work/library/", include("jixiao.web.library.urls")),
    path("work/results/", include("jixiao.web.results.urls")),
    path("work/rectification/", include("jixiao.web.rectification.urls")),
    path("work/", include("jixiao.web.cycle.urls")),
    path("audit/", include("jixiao.web.audit.urls")),
    path("orgs/", include("jixiao.web.orgs.urls")),
    path("api/", include("jixiao.web.api.urls")),
]

handler400 = "jixiao.web.views.bad_request"
handler403 = "jixiao.web.views.permission_denied"
handler404 = "jixiao.web.views.page_not_found"
handler500 = "jixiao.web.views.server_error"
