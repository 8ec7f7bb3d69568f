from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from forum.core.health import health
from forum.participation.accounts import AdminLoginForm
from forum.participation.api import api

# The admin's login counts and refuses failed attempts like the site's (accounts.py).
admin.site.login_form = AdminLoginForm

# Error pages that give their database connection back (under daphne they are rendered outside
# the request's thread: forum/core/errors.py).
handler400 = "forum.core.errors.bad_request"
handler403 = "forum.core.errors.permission_denied"
handler404 = "forum.core.errors.page_not_found"
handler500 = "forum.core.errors.server_error"

urlpatterns = [
    re_path(r"^(?:salud|health)/$", health, name="health"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/", api.urls),
    path("cuenta/", include("forum.participation.account_urls")),
    path("moderacion/", include("forum.moderation.urls")),
    path("hilos/", include("forum.threads.urls")),
    path("convocatoria/", include("forum.convocation.urls")),
    path("", include("forum.insights.urls")),
    path("", include("forum.dialogues.urls")),
    path("", include("forum.bots.urls")),
    path("", include("forum.notifications.urls")),
    path("", include("forum.participation.urls")),
]

if settings.DEBUG:
    pass
