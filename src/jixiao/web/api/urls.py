"""URLs of the API app: the versioned API, the tokens page, and JSON 404s for everything else under /api/."""

from django.urls import URLPattern, URLResolver, path, re_path

from jixiao.web.api import views
from jixiao.web.api.api import api
from jixiao.web.api.errors import json_errors, not_found

app_name = "api"
_patterns, _app, _namespace = api.urls


def _answering_json(p: URLPattern | URLResolver) -> URLPattern:
    """The pattern with its view wrapped: ninja answers a wrong method in plain text, this in JSON too."""
    assert isinstance(p, URLPattern)  # ninja makes one pattern per path, never an include
    return URLPattern(p.pattern, json_errors(p.callback), p.default_args, p.name)


_v1 = [_answering_json(p) for p in _patterns]

urlpatterns = [
    path("v1/", (_v1, _app, _namespace)),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
    # a person typing /api/tokens gets the slash appended; every other unknown path is a JSON 404
    re_path(r"^(?!tokens$).*$", not_found),
]
