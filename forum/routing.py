"""WebSocket routes of every app, gathered for the ASGI router."""

from forum.bots.routing import websocket_urlpatterns as bots_ws
from forum.dialogues.routing import websocket_urlpatterns as dialogues_ws
from forum.moderation.routing import websocket_urlpatterns as moderation_ws
from forum.threads.routing import websocket_urlpatterns as threads_ws

websocket_urlpatterns = [*threads_ws, *bots_ws, *moderation_ws, *dialogues_ws]
