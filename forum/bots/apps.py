from django.apps import AppConfig


class BotsConfig(AppConfig):
    name = "forum.bots"
    label = "bots"
