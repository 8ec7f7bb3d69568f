"""Security headers that Django's ``SecurityMiddleware`` does not send.

``Content-Security-Policy``: every script, style, font, image and connection of a page comes
from this site. The platform shows text written by anyone (ideas, posts, imported proposals
with real XSS probes in them); templates escape it and ``nh3`` sanitises the rich text, and the
policy is the second line: were an escape ever missed, an injected ``<script>`` or ``onclick``
would not run and could not send anything elsewhere. No template has inline scripts, inline
styles or event-handler attributes, so the policy needs neither ``'unsafe-inline'`` nor nonces;
keep it that way (tests/core/test_security_headers.py loads the pages in Chromium and fails on
any violation).

``Permissions-Policy``: no page needs the camera, microphone, location or payments.

Both come from settings (``CONTENT_SECURITY_POLICY``, ``PERMISSIONS_POLICY``, defaults in
``forum/settings.py``; empty turns a header off), and ``CONTENT_SECURITY_POLICY_REPORT_ONLY``
sends the policy as ``Content-Security-Policy-Report-Only`` to try a stricter one without
breaking pages. Django's
own debug pages (an error under ``DEBUG``) use inline styles and scripts, so they are sent
without the policy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


def _headers() -> list[tuple[str, str]]:
    headers = []
    csp = settings.CONTENT_SECURITY_POLICY
    if csp:
        report_only = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
        name = "Content-Security-Policy" + ("-Report-Only" if report_only else "")
        headers.append((name, csp))
    permissions = settings.PERMISSIONS_POLICY
    if permissions:
        headers.append(("Permissions-Policy", permissions))
    return headers


def _add_headers(response: HttpResponseBase) -> HttpResponseBase:
    if settings.DEBUG and response.status_code >= 400:
        return response  # Django's technical error pages have inline styles and scripts
    for name, value in _headers():
        if name not in response:  # a view may set its own
            response[name] = value
    return response


class SecurityHeadersMiddleware:
    """Adds ``Content-Security-Policy`` and ``Permissions-Policy`` to every response.

    Sync and async capable, like the rest of the chain (ServeStatic's middleware is
    async-only; a sync-only one here would push every request through a thread).
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.async_mode:
            return self._acall(request)
        return _add_headers(self.get_response(request))

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        return _add_headers(await self.get_response(request))
