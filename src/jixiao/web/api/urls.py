"""URLs of the API app: the versioned API, the tokens page, and JSON 404s for everything else under /api/."""

from django.urls import URLPattern, path, re_path

from jixiao.web.api import views
from jixiao.web.api.api import api
from jixiao.web.api.errors import json_errors, not_found

app_name = "api"
_patterns, _app, _namespace = api.urls
# ninja answers a wrong method in plain text; every pattern is wrapped so that it answers in JSON too
_v1 = [URLPattern(p.pattern, json_errors(p.callback), p.default_args, p.name) for p in _patterns]

urlpatterns = [
    path("v1/", (_v1, _app, _namespace)),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
    # a person typing /api/tokens gets the slash appended; every other unknown path is a JSON 404
    re_path(r"^(?!tokens$).*$", not_found),
]
