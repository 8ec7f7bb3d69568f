from django.urls import path

from . import session_views

app_name = "dialogues_session"

urlpatterns = [
    path("<slug:slug>/sesion/", session_views.session, name="session"),
    path("<slug:slug>/proyector/", session_views.projector, name="projector"),
    path("<slug:slug>/mesa/<int:number>/", session_views.table, name="table"),
]
