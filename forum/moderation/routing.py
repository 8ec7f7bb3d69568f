from django.urls import path

from .consumers import ModerationQueueConsumer

websocket_urlpatterns = [
    path("ws/moderacion/", ModerationQueueConsumer.as_asgi()),
]
