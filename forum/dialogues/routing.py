from django.urls import path

from .consumers import ProjectorConsumer

websocket_urlpatterns = [
    path("ws/dialogos/<int:dialogue_id>/proyector/", ProjectorConsumer.as_asgi()),
]
