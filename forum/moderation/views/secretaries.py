"""The audit log, and the councils' pages where secretaries answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from forum.participation.models import Council, Idea

from .. import forms, permissions, selectors, services
from ..services import ModerationError
from .common import (
    error_text,
    moderator_required,
)

# ---------------------------------------------------------------- audit


@require_GET
@moderator_required
def audit(request: HttpRequest) -> HttpResponse:
    form = forms.AuditFilterForm(request.GET)
    form.is_valid()  # the fields that are valid filter; a bad one is left out
    data = form.cleaned_data
    qs = selectors.audit_log(
        action=data.get("accion") or None,
        target_type=request.GET.get("tipo") or None,
        target_id=data.get("id") or None,
        text=data.get("q") or None,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    entries = selectors.audit_in_words(list(page.object_list))
    return render(
        request, "moderation/audit.html", {"page": page, "entries": entries, "form": form}
    )


# ---------------------------------------------------------------- councils (secretaries)


@require_GET
def councils(request: HttpRequest) -> HttpResponse:
    """The councils one answers for (a secretary of one goes straight to hers); moderators
    see every council with what it has waiting and overdue."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    mine = permissions.answerable_councils(request.user)
    moderator = permissions.can_moderate(request.user)
    if not mine and not moderator:
        raise PermissionDenied
    if len(mine) == 1 and not moderator:
        return redirect("moderation:council", slug=mine[0].slug)
    shown = mine or list(Council.objects.select_related("region"))
    return render(
        request,
        "moderation/councils.html",
        {"councils": selectors.councils_overview(shown), "answers": bool(mine)},
    )


def _council_for(request: HttpRequest, slug: str, *, to_answer: bool = True) -> Council:
    council = get_object_or_404(Council, slug=slug)
    allowed = (
        permissions.can_answer_for(request.user, council)
        if to_answer
        else permissions.can_view_council(request.user, council)
    )
    if not allowed:
        raise PermissionDenied
    return council


# A compact list: one line per idea, the answer form on its own page (one at a time).
COUNCIL_PAGE_SIZE = 50


@require_GET
def council(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    c = _council_for(request, slug, to_answer=False)
    form = forms.CouncilInboxFilterForm(request.GET)
    form.is_valid()  # a bad value drops only that filter
    show = form.cleaned_data.get("mostrar") or ""
    topic = form.cleaned_data.get("tema")
    page = Paginator(
        selectors.council_inbox(c, show=show, topic=topic.slug if topic else ""),
        COUNCIL_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/council.html",
        {
            "council": c,
            "page": page,
            "ideas": page.object_list,
            "filter_form": form,
            "filtered": bool(show or topic),
            "can_answer": permissions.can_answer_for(request.user, c),
            "answered": selectors.council_answered(c),
            "overdue_ids": set(selectors.overdue_ideas_ids(c)),
        },
    )


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    c = _council_for(request, slug)
    idea = get_object_or_404(Idea, pk=pk, council=c)
    form = forms.AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.council_answer(
                idea=idea,
                outcome=form.cleaned_data["outcome"],
                answer=form.cleaned_data["answer"],
                actor=request.user,
            )
        except ModerationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request, _("Respuesta publicada para %(code)s.") % {"code": idea.formatted_code}
            )
            return redirect("moderation:council", slug=c.slug)
    return render(
        request,
        "moderation/answer.html",
        {
            "council": c,
            "idea": idea,
            "form": form,
            "overdue": idea.answer_due is not None and idea.answer_due < timezone.localdate(),
        },
    )
