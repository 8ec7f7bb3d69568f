from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("cola.json", views.queue_json, name="queue_json"),
    path("grupos/", views.groups, name="groups"),
    path("grupos/<int:pk>/", views.group_decide, name="group_decide"),
    path("mi-idea-es-distinta/<str:code>/", views.declare_distinct, name="declare_distinct"),
    path("ideas/<int:pk>/", views.idea_detail, name="idea"),
    path("ideas/<int:pk>/fusionar/", views.merge, name="merge"),
    path("ideas/<int:pk>/separar/", views.unmerge, name="unmerge"),
    path("ideas/<int:pk>/derivar/", views.route, name="route"),
    path("atrasadas/", views.overdue, name="overdue"),
    path("reportes/", views.reports, name="reports"),
    path("contenido/<str:kind>/<int:pk>/ocultar/", views.hide, name="hide"),
    path("contenido/<str:kind>/<int:pk>/restaurar/", views.restore, name="restore"),
    path("contenido/<str:kind>/<int:pk>/descartar/", views.dismiss, name="dismiss"),
    path("reportar/<str:kind>/<int:pk>/", views.report, name="report"),
    path("auditoria/", views.audit, name="audit"),
    path("consejos/", views.councils, name="councils"),
    path("consejos/<slug:slug>/", views.council, name="council"),
    path("consejos/<slug:slug>/ideas/<int:pk>/responder/", views.answer, name="answer"),
]
