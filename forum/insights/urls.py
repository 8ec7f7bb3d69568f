from django.urls import path, re_path

from . import views

app_name = "insights"
urlpatterns = [
    path("resultados/", views.results, name="results"),
    path("resultados/metrica/", views.success, name="success"),
    path("resultados/region/<slug:slug>/", views.results_region, name="region"),
    path("resultados/consejo/<slug:slug>/", views.results_council, name="council"),
    path("resultados/dialogo/<slug:slug>/", views.results_dialogue, name="dialogue"),
    path("datos/", views.data_index, name="data"),
    path("datos/datapackage.json", views.datapackage, name="datapackage"),
    path("datos/foro-abierto-datos.zip", views.data_zip, name="zip"),
    path("datos/foro-abierto-datos.zip.sha256", views.data_zip_checksum, name="zip_checksum"),
    re_path(r"^datos/(?P<name>[a-z_]+)\.(?P<fmt>csv|json)$", views.data_file, name="file"),
]
