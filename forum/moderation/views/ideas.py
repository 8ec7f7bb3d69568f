"""The moderators' queue and one idea: merges, unmerges, routing, what is overdue."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forum.participation.codes import normalise_code
from forum.participation.lifecycle import ANSWERS, IdeaStatus
from forum.participation.models import Council, Idea

from .. import forms, selectors, services
from ..diff import word_diff
from ..matcher import looks_like_probe
from ..services import ModerationError
from .common import (
    error_text,
    moderator_required,
)

# ---------------------------------------------------------------- queue


@require_GET
@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    form = forms.QueueFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.queue_ideas(filters), 20).get_page(request.GET.get("page"))
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
            "form": form,
            "filtered": bool(filters),
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
            "audit": selectors.audit_in_words(
                list(
                    selectors.audit_log(target_type="participation.idea", target_id=str(idea.pk))[
                        :50
                    ]
                )
            ),
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
    by_id = Idea.objects.select_related("region", "council").in_bulk(ids)
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


def _merge_confirm_page(
    request: HttpRequest,
    idea: Idea,
    form: forms.MergeForm,
    candidates: list[Idea],
    *,
    shown: forms.MergeForm | None = None,
) -> HttpResponse:
    """The merge's last step: what stays, what goes in, and a warning (with a box to tick)
    when the ideas come from different regions or councils. ``form``: the validated choices;
    ``shown``: the form the page carries (the confirmation's hidden fields)."""
    chosen = form.chosen()
    canonical, merged = chosen[0], chosen[1:]
    regions = sorted({i.region.name for i in chosen if i.region is not None})
    councils = sorted({i.council.name for i in chosen if i.council is not None})
    return render(
        request,
        "moderation/merge_confirm.html",
        {
            "idea": idea,
            "form": shown or form,
            "canonical": canonical,
            "merged": merged,
            "candidates": candidates,
            "data": form.cleaned_data,
            "cross_region": form.regions_differ(),
            "regions": regions,
            "councils": councils if len(councils) > 1 else [],
        },
    )


@require_http_methods(["GET", "POST"])
@moderator_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    idea = get_object_or_404(Idea.objects.select_related("region", "council"), pk=pk)
    candidates, scores = _merge_candidates(request, idea)
    versions = json.dumps({str(i.pk): i.updated_at.isoformat() for i in candidates})
    if request.method == "POST":
        form = forms.MergeForm(request.POST, candidates=candidates)
        if not form.is_valid() and "cross_region" in form.errors and len(form.errors) == 1:
            # Confirmed without ticking the cross-region box: the confirmation page again.
            return _merge_confirm_page(request, idea, form, candidates)
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
                return _merge_confirm_page(request, idea, form, candidates, shown=confirm)
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
                messages.error(request, error_text(exc))
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
        messages.error(request, error_text(exc))
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
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request, _("Idea derivada al %(council)s.") % {"council": data["council"].name}
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
