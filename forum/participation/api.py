"""Read-only open-data API (django-ninja). No personal data is ever serialised here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Foro Abierto — datos abiertos",
    version="1.0",
    description="API de solo lectura: ideas, historial público, diálogos, consejos, regiones.",
    urls_namespace="api",
)
