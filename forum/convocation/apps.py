from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConvocationConfig(AppConfig):
    name = "forum.convocation"
    label = "convocation"
    verbose_name = _("Convocatoria")

    def ready(self) -> None:
        from . import privacy

        privacy.register()
