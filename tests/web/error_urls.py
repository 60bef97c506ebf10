"""The project's URLs plus one view that fails, for the tests of the 500 page (``test_error_pages``)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from jixiao.web.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request: HttpRequest) -> HttpResponse:
    """A view with a bug in it."""
    raise RuntimeError("secret-internal-detail")


urlpatterns = [*urlpatterns, path("broken/", broken)]
