"""Account pages. Unnamespaced: ``LOGIN_URL = "login"``, and Django's password reset views
reverse ``password_reset_done`` / ``password_reset_complete`` by those plain names."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import accounts, views_account

urlpatterns = [
    path("entrar/", auth_views.LoginView.as_view(form_class=accounts.LoginForm), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("registro/", views_account.signup, name="signup"),
    path("registro/enviado/", views_account.signup_done, name="signup_done"),
    path(
        "registro/activar/<uidb64>/<token>/", views_account.signup_activate, name="signup_activate"
    ),
    path("clave/recuperar/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "clave/recuperar/enviado/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "clave/nueva/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "clave/lista/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The admin's login page shows its «Forgotten your password?» link when this name exists:
    # same page as above (never resolved through this entry, which comes second).
    path("clave/recuperar/", accounts.PasswordResetView.as_view(), name="admin_password_reset"),
]
