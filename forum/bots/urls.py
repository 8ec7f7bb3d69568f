from django.urls import path

from . import views

app_name = "bots"
urlpatterns = [
    path("bots/telegram/webhook/", views.telegram_webhook, name="telegram_webhook"),
    path("bots/whatsapp/webhook/", views.whatsapp_webhook, name="whatsapp_webhook"),
    path("chat/", views.chat_page, name="chat"),
]
