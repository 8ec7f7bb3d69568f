from django.urls import path

from . import mydata, views

app_name = "participation"
urlpatterns = [
    path("", views.home, name="home"),
    path("privacidad/", views.privacy, name="privacy"),
    path("ideas/", views.idea_list, name="idea_list"),
    path("ideas/nueva/", views.idea_submit, name="idea_submit"),
    path("ideas/parecidas/", views.idea_similar, name="idea_similar"),
    path("ideas/<str:code>/", views.idea_detail, name="idea_detail"),
    path("ideas/<str:code>/apoyar/", views.idea_support, name="idea_support"),
    path("ideas/<str:code>/quitar-apoyo/", views.idea_unsupport, name="idea_unsupport"),
    path("ideas/<str:code>/estado/", views.idea_status, name="idea_status"),
    path("ideas/<str:code>/enviada/", views.idea_submitted, name="idea_submitted"),
    path("seguir/", views.track, name="track"),
    path("mis-ideas/", views.my_ideas, name="my_ideas"),
    path("inicio/", views.landing, name="landing"),
    path("mis-datos/", mydata.my_data, name="my_data"),
    path("mis-datos/descargar/", mydata.my_data_download, name="my_data_download"),
    path("mis-datos/borrar/", mydata.my_data_erase, name="my_data_erase"),
    path("mis-datos/borrados/", mydata.my_data_erased, name="my_data_erased"),
]
