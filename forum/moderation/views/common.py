"""What the moderation pages share: the permission decorators and the content kinds."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .. import permissions
from ..services import ModerationError

# Content that can be reported / hidden, by the short name used in URLs.
CONTENT_MODELS = {"idea": ("participation", "Idea"), "post": ("threads", "Post")}


def login_or_403(check: Callable[[HttpRequest], bool]):
    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


moderator_required = login_or_403(lambda r: permissions.can_moderate(r.user))
login_required_403 = login_or_403(lambda r: permissions.can_report(r.user))


def content_model(kind: str) -> type[models.Model]:
    if kind not in CONTENT_MODELS:
        raise Http404
    try:
        return apps.get_model(*CONTENT_MODELS[kind])
    except LookupError as exc:
        raise Http404 from exc


def content(kind: str, pk: int) -> models.Model:
    return get_object_or_404(content_model(kind), pk=pk)


def error_text(exc: ModerationError) -> str:
    return " ".join(exc.messages)
