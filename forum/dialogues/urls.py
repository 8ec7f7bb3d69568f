from django.urls import path

from . import views, views_session

app_name = "dialogues"
urlpatterns = [
    path("dialogos/", views.dialogue_list, name="list"),
    path("dialogos/<slug:slug>/", views.dialogue_detail, name="detail"),
    # The session itself (Realización): the attendee's phone, the projector, a table's phone.
    path("dialogos/<slug:slug>/sesion/", views_session.session, name="session"),
    path("dialogos/<slug:slug>/proyector/", views_session.projector, name="projector"),
    path("dialogos/<slug:slug>/mesa/<int:number>/", views_session.table, name="table"),
    path("dialogos/<slug:slug>/qr.svg", views.dialogue_qr, name="qr"),
    path("dialogos/<slug:slug>/imprimir/", views.dialogue_print, name="print"),
    path("dialogos/<slug:slug>/mesas/<int:number>/", views.table_print, name="table_print"),
    path("dialogos/<slug:slug>/encuesta/<str:token>/", views.survey, name="survey"),
    path("dialogos/<slug:slug>/gestion/", views.manage, name="manage"),
    path("dialogos/<slug:slug>/gestion/<slug:action>/", views.manage_action, name="manage_action"),
    path("consejos/", views.council_list, name="council_list"),
    path("consejos/<slug:slug>/", views.council_detail, name="council_detail"),
]
