"""The audit log, and the councils' pages where secretaries answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    mine = permissions.answerable_councils(request.user)
    if not mine:
        raise PermissionDenied
    if len(mine) == 1:
        return redirect("moderation:council", slug=mine[0].slug)
    return render(request, "moderation/councils.html", {"councils": mine})


def _council_for(request: HttpRequest, slug: str) -> Council:
    council = get_object_or_404(Council, slug=slug)
    if not permissions.can_answer_for(request.user, council):
        raise PermissionDenied
    return council


# Each idea on a council's page carries its own answer form: a phone-sized page of them.
COUNCIL_PAGE_SIZE = 20


@require_GET
def council(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    c = _council_for(request, slug)
    page = Paginator(selectors.council_inbox(c), COUNCIL_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "moderation/council.html",
        {
            "council": c,
            "page": page,
            "ideas": page.object_list,
            "answered": selectors.council_answered(c),
            "overdue_ids": set(selectors.overdue_ideas_ids(c)),
            "form": forms.AnswerForm(),
            "answer_max_length": forms.ANSWER_MAX_LENGTH,
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
    return render(request, "moderation/answer.html", {"council": c, "idea": idea, "form": form})
