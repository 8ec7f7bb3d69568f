"""Static files through ServeStatic, with a missing file answered 404 under DEBUG too.

Under ``DEBUG`` ServeStatic (4.x) raises ``MissingFileError`` for a path under ``STATIC_URL``
that no finder knows, so that the error page lists the directories it searched. Its changelog
calls that a verbose 404 page (1.2.0), but Django turns any exception other than ``Http404`` into
a 500: ``make run`` answered a typo'd stylesheet with "Internal Server Error" and a traceback,
and a browser or test that checks status codes saw a server failure. Raised as ``Http404``, the
same message shows on Django's DEBUG 404 page. Without ``DEBUG`` ServeStatic passes the request
on and the URLconf answers 404 as before.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from servestatic.middleware import ServeStaticMiddleware
from servestatic.responders import MissingFileError


class StaticFilesMiddleware(ServeStaticMiddleware):
    """``servestatic.middleware.ServeStaticMiddleware`` (async-only), missing file → 404."""

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            return await super().__call__(request)
        except MissingFileError as exc:
            # Only ServeStatic raises this; views below are already turned into responses by
            # Django's convert_exception_to_response around each middleware.
            raise Http404(str(exc)) from exc
