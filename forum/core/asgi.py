"""HTTP entry for the messaging platforms' webhooks.

Telegram and Meta POST signed JSON to ``/bots/telegram/webhook/`` and ``/bots/whatsapp/webhook/``
and expect a quick 2xx. Those requests use none of the browser middleware (sessions, CSRF,
locale, authentication, messages, clickjacking headers): the views check the platform's secret
or signature themselves and are CSRF-exempt. Under ASGI Django runs each ``MiddlewareMixin``
hook through ``sync_to_async``, so the browser stack costs about a dozen thread hand-offs per
request; for a webhook that must take a few hundred updates per second per process that is
most of its cost. :class:`WebhookASGIHandler` is Django's own ASGI handler (same URLconf,
request signals, exception handling, so connections still go back to the pool at the end of
each request) with an empty middleware chain, and :func:`route_http` sends only those exact
paths to it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

WEBHOOK_PATHS = frozenset({"/bots/telegram/webhook/", "/bots/whatsapp/webhook/"})
# The load balancer's health probe (forum/core/health.py) takes the same road: it comes with the
# backend's address as Host (not in ALLOWED_HOSTS) over plain HTTP (no SSL redirect wanted).
HEALTH_PATHS = frozenset({"/salud/", "/health/"})

ASGIApp = Callable[
    [dict[str, Any], Callable[..., Awaitable[Any]], Callable[..., Awaitable[Any]]], Awaitable[None]
]


class WebhookASGIHandler(ASGIHandler):
    """Django's ASGI handler without middleware (see the module docstring)."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler.load_middleware with an empty settings.MIDDLEWARE (its private names).
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        get_response = self._get_response_async if is_async else self._get_response  # type: ignore[attr-defined]
        self._middleware_chain = convert_exception_to_response(get_response)

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        response = await super().get_response_async(request)
        # What CommonMiddleware would add: a plain Content-Length instead of a chunked body.
        if isinstance(response, HttpResponse) and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response


def route_http(site: ASGIApp, webhooks: ASGIApp) -> ASGIApp:
    """An ASGI app that gives the webhook and health paths to ``webhooks`` and everything else to
    ``site``."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("path") in WEBHOOK_PATHS or scope.get("path") in HEALTH_PATHS:
            await webhooks(scope, receive, send)
        else:
            await site(scope, receive, send)

    return app
