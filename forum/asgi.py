"""ASGI entry point: HTTP through Django, WebSockets through Channels.

The platforms' webhook POSTs skip the browser middleware (``forum.core.asgi``)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from forum.core.asgi import WebhookASGIHandler, route_http  # noqa: E402
from forum.core.backpressure import paced  # noqa: E402
from forum.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Streamed downloads wait for a slow client instead of piling up in daphne's memory.
        "http": paced(route_http(django_asgi_app, WebhookASGIHandler())),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
