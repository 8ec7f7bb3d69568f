from django.urls import path

from . import answer_views, import_views, views

app_name = "convocation"
urlpatterns = [
    path("", views.index, name="index"),
    path("propuestas/<int:pk>/", views.proposal, name="proposal"),
    path("cupos/<int:pk>/cambiar/", views.swap, name="swap"),
    path("importar/", import_views.upload, name="import"),
    path("importar/<int:pk>/", import_views.job, name="import_job"),
    path("invitacion/<str:token>/", answer_views.answer, name="answer"),
    path("consentimiento/<str:token>/", answer_views.consent, name="consent"),
    path("consejo-nacional/", views.national, name="national"),
    path("regiones/<slug:slug>/", views.region, name="region"),
    path("dialogos/<slug:slug>/", views.dialogue, name="dialogue"),
    path("consejos/<slug:slug>/", views.council, name="council"),
]
