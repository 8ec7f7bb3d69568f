"""The notification inbox (``/avisos/``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from forum.participation.services import person_for_user

from . import selectors, services
from .render import format_when, render_notification

PAGE_SIZE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    person = person_for_user(user=request.user)  # type: ignore[arg-type]  # login_required
    language = translation.get_language() or "es"
    page = Paginator(selectors.inbox(person), PAGE_SIZE).get_page(request.GET.get("page"))
    items = [
        {
            "notification": n,
            "rendered": render_notification(n, language),
            "when": format_when(n.created_at, language),
            "unread": n.read_at is None,
        }
        for n in page.object_list
    ]
    unread_total = selectors.unread_count(person)
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "items": items,
            "unread_total": unread_total,
            "notifications_unread": unread_total,  # the header badge: no second count query
        },
    )


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    person = person_for_user(user=request.user)  # type: ignore[arg-type]  # login_required
    count = services.notification_mark_read(person=person)
    if count:
        messages.success(
            request,
            ngettext(
                "Marcamos %(n)d aviso como leído.", "Marcamos %(n)d avisos como leídos.", count
            )
            % {"n": count},
        )
    return redirect("notifications:inbox")
