"""Reports, hiding and restoring content (ideas and thread posts)."""

from __future__ import annotations

from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forum.participation.services import person_for_user

from .. import forms, selectors, services
from ..services import ModerationError
from .common import (
    CONTENT_MODELS,
    content,
    error_text,
    login_required_403,
    moderator_required,
)

# ---------------------------------------------------------------- reports, hide, restore


@require_GET
@moderator_required
def reports(request: HttpRequest) -> HttpResponse:
    items = selectors.reported_content()
    for item in items:
        item.kind = next(  # type: ignore[attr-defined]
            (
                k
                for k, (app, model) in CONTENT_MODELS.items()
                if item.content_type.app_label == app and item.content_type.model == model.lower()
            ),
            "",
        )
    return render(
        request,
        "moderation/reports.html",
        {
            "items": items,
            "hidden": selectors.hidden_ideas()[:100],
            "hide_form": forms.HideForm(),
        },
    )


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    nxt = request.POST.get("next", "")
    # Only back to a page of this site ("/\\evil.example" is another host to a browser).
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(nxt)
    return redirect(fallback)


def _change_visibility(
    request: HttpRequest, kind: str, pk: int, service, done: str, *, restoring: bool
):
    """Hide or restore with the reason from the form; both show it to the author."""
    target = content(kind, pk)
    form = forms.HideForm(request.POST)
    if form.is_valid():
        try:
            service(target=target, actor=request.user, reason=form.cleaned_data["reason"])
        except ModerationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, done)
    elif form.data.get("reason", "").strip():
        # Too long: never cut (the author would read a stub). The form again, with the whole
        # text to shorten and how long it is; nothing was changed.
        return render(
            request,
            "moderation/visibility_form.html",
            {
                "form": form,
                "restoring": restoring,
                "title": getattr(target, "title", "") or str(getattr(target, "body", ""))[:120],
                "next": request.POST.get("next", ""),
            },
        )
    else:
        messages.error(request, _("Indica el motivo: se le mostrará a la autora o autor."))
    return _back(request, reverse("moderation:reports"))


@require_POST
@moderator_required
def hide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _change_visibility(
        request,
        kind,
        pk,
        services.content_hide,
        _("Contenido oculto. Se conserva y puede restaurarse."),
        restoring=False,
    )


@require_POST
@moderator_required
def restore(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _change_visibility(
        request,
        kind,
        pk,
        services.content_restore,
        _("Contenido visible de nuevo."),
        restoring=True,
    )


@require_POST
@moderator_required
def dismiss(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    target = content(kind, pk)
    services.content_dismiss_reports(
        target=target, actor=request.user, reason=request.POST.get("reason", "")
    )
    messages.success(request, _("Reportes revisados; el contenido sigue visible."))
    return _back(request, reverse("moderation:reports"))


def _content_url(kind: str, target: models.Model) -> str:
    """The public page showing ``target``: where a person who reported it goes back to."""
    if kind == "idea":
        if getattr(target, "hidden_at", None) is not None:  # its page is a 404 now
            return reverse("participation:idea_list")
        return reverse("participation:idea_detail", args=[target.formatted_code])  # type: ignore[attr-defined]
    thread_id = getattr(target, "thread_id", None)
    if kind == "post" and thread_id is not None:
        return reverse("threads:detail", args=[thread_id]) + f"#post-{target.pk}"
    return "/"


@require_http_methods(["GET", "POST"])
@login_required_403
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Any logged-in person flags an idea or a post (not a moderation page)."""
    target = content(kind, pk)
    if getattr(target, "hidden_at", None) is not None:
        messages.info(request, _("Este contenido ya está oculto y en revisión."))
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = person_for_user(user=request.user)  # type: ignore[arg-type]  # login_required
        try:
            _report, created = services.content_report(
                reporter=person, target=target, reason=form.cleaned_data["reason"]
            )
        except ModerationError as exc:
            messages.error(request, error_text(exc))
        else:
            if created:
                messages.success(request, _("Gracias: el equipo de moderación lo revisará."))
            else:
                messages.info(request, _("Ya habías reportado este contenido."))
            return _back(request, _content_url(kind, target))
    return render(
        request,
        "moderation/report_form.html",
        {
            "form": form,
            "target": target,
            "kind": kind,
            "title": getattr(target, "title", "") or str(getattr(target, "body", ""))[:120],
        },
    )
