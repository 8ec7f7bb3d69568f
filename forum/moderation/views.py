"""Moderator and council-secretary pages. Thin: check permission, read, call a service."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forum.participation.codes import normalise_code
from forum.participation.lifecycle import ANSWERS, IdeaStatus
from forum.participation.models import Council, Idea
from forum.participation.services import person_for_user

from . import forms, permissions, selectors, services
from .diff import word_diff
from .matcher import looks_like_probe
from .services import ModerationError

# Content that can be reported / hidden, by the short name used in URLs.
CONTENT_MODELS = {"idea": ("participation", "Idea"), "post": ("threads", "Post")}


def _login_or_403(check: Callable[[HttpRequest], bool]):
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


moderator_required = _login_or_403(lambda r: permissions.can_moderate(r.user))
login_required_403 = _login_or_403(lambda r: permissions.can_report(r.user))


def _content_model(kind: str) -> type[models.Model]:
    if kind not in CONTENT_MODELS:
        raise Http404
    try:
        return apps.get_model(*CONTENT_MODELS[kind])
    except LookupError as exc:
        raise Http404 from exc


def _content(kind: str, pk: int) -> models.Model:
    return get_object_or_404(_content_model(kind), pk=pk)


def _error_text(exc: ModerationError) -> str:
    return " ".join(exc.messages)


# ---------------------------------------------------------------- queue


@require_GET
@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.queue_ideas(), 20).get_page(request.GET.get("page"))
    rows = selectors.queue_rows(list(page.object_list))
    for row in rows:
        row.probe = looks_like_probe(row.idea.title, row.idea.body)  # type: ignore[attr-defined]
        row.pairs = []  # type: ignore[attr-defined]
        for other, score in row.similar:
            mine, theirs = word_diff(
                f"{row.idea.title}. {row.idea.body}", f"{other.title}. {other.body}"
            )
            row.pairs.append(  # type: ignore[attr-defined]
                {
                    "idea": other,
                    "score": score,
                    "mine": mine,
                    "theirs": theirs,
                }
            )
    # "New" means newer than anything in the queue now, whatever page this is.
    last_id = selectors.queue_last_id()
    return render(
        request,
        "moderation/queue.html",
        {
            "page": page,
            "rows": rows,
            "last_id": last_id,
        },
    )


@require_GET
@moderator_required
def queue_json(request: HttpRequest) -> JsonResponse:
    """Queue ideas newer than ``?after=<id>`` (what a reconnecting page missed)."""
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    ideas = list(selectors.queue_after(after))
    return JsonResponse(
        {
            "ideas": [
                {
                    "id": i.pk,
                    "code": i.formatted_code,
                    "title": i.title,
                    "status": i.status,
                    "created_at": i.created_at.isoformat(),
                    "url": reverse("moderation:idea", args=[i.pk]),
                }
                for i in ideas
            ],
            "last_id": max([after, *(i.pk for i in ideas)]),
        }
    )


# ---------------------------------------------------------------- one idea


@require_GET
@moderator_required
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _idea_page(request, pk)


def _idea_page(
    request: HttpRequest, pk: int, *, unmerge_form: forms.ReasonForm | None = None
) -> HttpResponse:
    idea = get_object_or_404(
        Idea.objects.select_related("merged_into", "council", "author", "region"), pk=pk
    )
    return render(
        request,
        "moderation/idea.html",
        {
            "idea": idea,
            "children": selectors.merged_children(idea),
            "merge": selectors.active_merge_of(idea),
            "merges": selectors.merges_of(idea)[:50],
            "similar": selectors.similar_ideas(idea.title, idea.body, limit=5, exclude=idea.pk)
            if idea.merged_into_id is None
            else [],
            "audit": selectors.audit_log(target_type="participation.idea", target_id=str(idea.pk))[
                :50
            ],
            "unmerge_form": unmerge_form or forms.ReasonForm(),
            "hide_form": forms.HideForm(),
        },
    )


# Ideas a moderator's word search adds to the merge page (each shown side by side).
SEARCH_LIMIT = 10


def _merge_candidates(request: HttpRequest, idea: Idea) -> tuple[list[Idea], dict[int, float]]:
    ids = [idea.pk]
    scores = {
        other.pk: score
        for other, score in selectors.similar_ideas(idea.title, idea.body, limit=5, exclude=idea.pk)
    }
    ids += list(scores)
    extra = request.POST.getlist("candidate") or request.GET.getlist("candidate")
    for raw in extra:
        if raw.isdigit():
            ids.append(int(raw))
    code = (request.GET.get("code") or "").strip()
    if code:
        normal = normalise_code(code)
        found = Idea.objects.filter(tracking_code=normal).values_list("pk", flat=True).first()
        if found:
            ids.append(found)
        else:
            messages.warning(
                request, _("No encontramos una idea con el código %(code)s.") % {"code": code}
            )
    words = (request.GET.get("q") or "").strip()
    if words:
        matches = selectors.search_ideas(words, limit=SEARCH_LIMIT, exclude=idea.pk)
        if matches:
            ids += [other.pk for other in matches]
        else:
            messages.warning(
                request,
                _(
                    "Ninguna otra idea contiene todas estas palabras: %(words)s. "
                    "Prueba con menos palabras, por ejemplo solo el lugar."
                )
                % {"words": words},
            )
    by_id = Idea.objects.in_bulk(ids)
    seen: list[Idea] = []
    for pk in ids:
        if pk in by_id and by_id[pk] not in seen:
            seen.append(by_id[pk])
    return seen, scores


# How far along its life an idea is: the further, the better a canonical idea it makes.
_ADVANCE: dict[str, int] = {
    IdeaStatus.NOT_ADMITTED: 0,
    IdeaStatus.RECEIVED: 1,
    IdeaStatus.IN_REVIEW: 2,
    IdeaStatus.ROUTED: 3,
    IdeaStatus.ON_AGENDA: 4,
    **dict.fromkeys(ANSWERS, 5),
    IdeaStatus.IMPLEMENTED: 6,
}


def _default_merge(pair: list[Idea], form: forms.MergeForm) -> dict[str, Any]:
    """The merge the page proposes for the idea and its closest match: the most advanced,
    then most supported, then oldest one stays; the other is ticked only if it can merge."""
    can_stay = [i for i in pair if i.pk not in form.canonical_refusals]
    if not can_stay:
        return {"merged": []}
    canonical = max(can_stay, key=lambda i: (_ADVANCE.get(i.status, 0), i.support_count, -i.pk))
    merged = [i.pk for i in pair if i != canonical and i.pk not in form.merge_refusals]
    return {"canonical": canonical.pk, "merged": merged}


@require_http_methods(["GET", "POST"])
@moderator_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=pk)
    candidates, scores = _merge_candidates(request, idea)
    versions = json.dumps({str(i.pk): i.updated_at.isoformat() for i in candidates})
    if request.method == "POST":
        form = forms.MergeForm(request.POST, candidates=candidates)
        if form.is_valid():
            data = form.cleaned_data
            canonical = form.candidates[data["canonical"]]
            merged = [form.candidates[m] for m in data["merged"]]
            if not data["confirm"]:
                confirm = forms.MergeForm(
                    initial={
                        **data,
                        "versions": json.dumps({str(k): v for k, v in data["versions"].items()}),
                        "confirm": True,
                    },
                    candidates=candidates,
                )
                return render(
                    request,
                    "moderation/merge_confirm.html",
                    {
                        "idea": idea,
                        "form": confirm,
                        "canonical": canonical,
                        "merged": merged,
                        "candidates": candidates,
                        "data": data,
                    },
                )
            try:
                services.idea_merge(
                    canonical=canonical,
                    merged=merged,
                    actor=request.user,
                    public_text=data["public_text"] or None,
                    public_title=data["public_title"] or None,
                    reason=data["reason"],
                    expected_versions=data["versions"],
                )
            except ModerationError as exc:
                messages.error(request, _error_text(exc))
                return redirect("moderation:merge", pk=idea.pk)
            messages.success(
                request,
                ngettext(
                    "Fusión hecha: %(n)d idea en %(code)s.",
                    "Fusión hecha: %(n)d ideas en %(code)s.",
                    len(merged),
                )
                % {"n": len(merged), "code": canonical.formatted_code},
            )
            return redirect("moderation:idea", pk=canonical.pk)
    else:
        form = forms.MergeForm(initial={"versions": versions}, candidates=candidates)
        form.initial.update(_default_merge(candidates[:2], form))
    sides = []
    for other in candidates[1:]:
        mine, theirs = word_diff(f"{idea.title}. {idea.body}", f"{other.title}. {other.body}")
        sides.append({"idea": other, "mine": mine, "theirs": theirs, "score": scores.get(other.pk)})
    return render(
        request,
        "moderation/merge.html",
        {
            "idea": idea,
            "form": form,
            "candidates": candidates,
            "sides": sides,
        },
    )


@require_POST
@moderator_required
def unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea, pk=pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        if form.data.get("reason", "").strip():
            # Too long: never cut. The page again, with the whole reason to shorten.
            return _idea_page(request, pk, unmerge_form=form)
        messages.error(request, _("Indica el motivo para deshacer la fusión."))
        return redirect("moderation:idea", pk=pk)
    try:
        services.idea_unmerge(
            merged_idea=idea, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ModerationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("Fusión deshecha: %(code)s vuelve a ser independiente.")
            % {"code": idea.formatted_code},
        )
    return redirect("moderation:idea", pk=pk)


@require_http_methods(["GET", "POST"])
@moderator_required
def route(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea.objects.select_related("merged_into", "region"), pk=pk)
    initial = {}
    if idea.region_id:
        initial["council"] = Council.objects.filter(region_id=idea.region_id).first()
    form = forms.RouteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.idea_route_cluster(
                idea=idea,
                council=data["council"],
                actor=request.user,
                answer_due=data["answer_due"],
                agenda_dialogue=data["agenda_dialogue"],
                public_message=data["public_message"],
            )
        except ModerationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request, _("Idea derivada a %(council)s.") % {"council": data["council"].name}
            )
            return redirect("moderation:idea", pk=idea.pk)
    return render(
        request,
        "moderation/route.html",
        {
            "idea": idea,
            "form": form,
            "children": selectors.merged_children(idea),
        },
    )


@require_GET
@moderator_required
def overdue(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/overdue.html", {"groups": selectors.overdue_by_council()})


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
    target = _content(kind, pk)
    form = forms.HideForm(request.POST)
    if form.is_valid():
        try:
            service(target=target, actor=request.user, reason=form.cleaned_data["reason"])
        except ModerationError as exc:
            messages.error(request, _error_text(exc))
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
    target = _content(kind, pk)
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
    target = _content(kind, pk)
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
            messages.error(request, _error_text(exc))
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
    return render(request, "moderation/audit.html", {"page": page, "form": form})


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
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request, _("Respuesta publicada para %(code)s.") % {"code": idea.formatted_code}
            )
            return redirect("moderation:council", slug=c.slug)
    return render(request, "moderation/answer.html", {"council": c, "idea": idea, "form": form})
