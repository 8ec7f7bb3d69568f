"""The error pages (400, 403, 404, 500), giving back the database connection they used.

Under ASGI (daphne), Django turns an exception raised by a view (``Http404``,
``PermissionDenied``…) into its error page in ``convert_exception_to_response``, which runs
``response_for_exception`` through ``sync_to_async(thread_sensitive=False)``: in a thread of
asgiref's pool, not the request's thread. Rendering the page touches the database there (the
signed-in user for the menu, the session), so that thread opens a connection; but
``request_started``/``request_finished``, which close or recycle connections, run on the
request's thread, never on that one. The connection stayed open for the life of the process.
After a PostgreSQL restart it was dead, and every 403/404 page that landed on that thread was a
500 (issue 14: "for at least nine minutes"), while ``/salud/``, which opens a connection of its
own, said "ok".

Each handler here renders the page completely, then closes this thread's connection (a pooled
one goes back to the pool), so the next error page starts from a fresh, checked connection.
Not inside a transaction: the test client renders error pages on the test's own thread.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.views import defaults


def _closing(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def handler(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if render is not None and not getattr(response, "is_rendered", True):
                render()
            return response
        finally:
            for conn in connections.all(initialized_only=True):
                if not conn.in_atomic_block:
                    conn.close()

    return handler


bad_request = _closing(defaults.bad_request)
permission_denied = _closing(defaults.permission_denied)
page_not_found = _closing(defaults.page_not_found)
server_error = _closing(defaults.server_error)
