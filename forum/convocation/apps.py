from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConvocationConfig(AppConfig):
    name = "forum.convocation"
    label = "convocation"
    verbose_name = _("Convocatoria")

    def ready(self) -> None:
        from forum.core import jobs

        from . import imports, privacy

        privacy.register()
        # `manage.py work --kind convocation_imports`: the staff page's CSV imports.
        jobs.register_kind("convocation_imports", lambda options: imports.ImportsJob())
