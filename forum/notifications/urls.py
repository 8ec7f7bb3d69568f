from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("avisos/", views.inbox, name="inbox"),
    path("avisos/marcar-leidos/", views.mark_all_read, name="mark_all_read"),
]
