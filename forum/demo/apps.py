from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: only the ``load_demo`` command and the content it loads."""

    name = "forum.demo"
    label = "demo"
