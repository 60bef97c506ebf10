"""The project's URLconf plus ``/bench/bare/``: the cheapest Django view, the baseline of the web benchmark.

The bare view goes through the whole middleware stack of the project
(sessions, CSRF, CSP, axes...) but touches no template and, for an
anonymous client, no database: what every page costs before it does any
work of its own.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from jixiao.web import urls as project_urls


def bare(request: HttpRequest) -> HttpResponse:
    """Two bytes of plain text."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include(project_urls)),
]

handler403 = getattr(project_urls, "handler403", "django.views.defaults.permission_denied")
handler404 = getattr(project_urls, "handler404", "django.views.defaults.page_not_found")
