from django.urls import path

from . import views

app_name = "threads"
urlpatterns = [
    path("", views.thread_list, name="list"),
    path("nuevo/", views.thread_open, name="open"),
    path("<int:thread_id>/", views.thread_detail, name="detail"),
    path("<int:thread_id>/publicar/", views.post_create, name="post_create"),
    path("<int:thread_id>/seguir/", views.thread_follow, name="follow"),
    path("idea/<str:code>/", views.idea_thread, name="idea_thread"),
    path("mensajes/<int:post_id>/editar/", views.post_edit, name="post_edit"),
    path("mensajes/<int:post_id>/eliminar/", views.post_delete, name="post_delete"),
    path("mensajes/<int:post_id>/historial/", views.post_history, name="post_history"),
    path("mensajes/<int:post_id>/ocultar/", views.post_hide, name="post_hide"),
    path("mensajes/<int:post_id>/restaurar/", views.post_restore, name="post_restore"),
]
