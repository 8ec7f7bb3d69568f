"""The group queue: proposed duplicate groups first, one decision per group; and the author's
«Mi idea es distinta» on the web."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from forum.participation.codes import normalise_code
from forum.participation.models import Idea

from .. import forms, selectors, services
from ..diff import word_diff
from ..models import DuplicateGroup
from ..services import ModerationError
from .common import error_text, login_required_403, moderator_required

GROUPS_PER_PAGE = 10


@require_GET
@moderator_required
def groups(request: HttpRequest) -> HttpResponse:
    form = forms.QueueFilterForm(request.GET or None, with_status=False)
    filters = form.filters()
    page = Paginator(selectors.duplicate_groups(filters), GROUPS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = selectors.group_rows(list(page.object_list))
    for row in rows:
        canonical = row.canonical
        row.pairs = [  # type: ignore[attr-defined]
            (
                member,
                *word_diff(
                    f"{canonical.title}. {canonical.body}", f"{member.title}. {member.body}"
                ),
            )
            for member in row.members[1:]
        ]
    return render(
        request,
        "moderation/groups.html",
        {
            "page": page,
            "rows": rows,
            "form": form,
            "filtered": bool(filters),
            "system_merges": selectors.system_merges(),
        },
    )


def _member(group: DuplicateGroup, raw: str) -> Idea:
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(Idea, pk=int(raw), duplicate_group__group=group)


@require_http_methods(["POST"])
@moderator_required
def group_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """One form per group, one decision per button: ``merge``, ``split``, ``drop:<idea id>``,
    ``canonical:<idea id>``. Anything else is a 400."""
    group = get_object_or_404(DuplicateGroup, pk=pk)
    action, _sep, arg = request.POST.get("action", "").partition(":")
    reason = request.POST.get("reason", "")
    if len(reason) > forms.REASON_MAX_LENGTH:  # refused whole, never cut
        messages.error(
            request,
            _("El motivo tiene %(n)s caracteres; el máximo es %(max)s.")
            % {"n": len(reason), "max": forms.REASON_MAX_LENGTH},
        )
        return redirect(_safe_back(request))
    try:
        if action == "merge" and not arg:
            expected = [int(x) for x in request.POST.getlist("member") if x.isdigit()]
            records = services.group_merge_all(
                group=group, actor=request.user, reason=reason, expected_members=expected
            )
            messages.success(
                request,
                ngettext(
                    "Listo: %(n)s idea fusionada en la canónica.",
                    "Listo: %(n)s ideas fusionadas en la canónica.",
                    len(records),
                )
                % {"n": len(records)},
            )
        elif action == "drop" and arg:
            services.group_drop_member(
                group=group, idea=_member(group, arg), actor=request.user, reason=reason
            )
            messages.success(request, _("Listo: esa idea ya no se propone con este grupo."))
        elif action == "canonical" and arg:
            services.group_set_canonical(group=group, idea=_member(group, arg), actor=request.user)
            messages.success(request, _("Listo: nueva idea canónica propuesta."))
        elif action == "split" and not arg:
            chosen = [_member(group, raw) for raw in request.POST.getlist("split")]
            services.group_split(group=group, ideas=chosen, actor=request.user, reason=reason)
            messages.success(request, _("Listo: el grupo quedó separado en dos."))
        else:
            return HttpResponse(status=400)
    except ModerationError as exc:
        messages.error(request, error_text(exc))
    return redirect(_safe_back(request))


def _safe_back(request: HttpRequest) -> str:
    page = request.POST.get("next_page", "")
    url = reverse("moderation:groups")
    return f"{url}?page={page}" if page.isdigit() else url


@require_http_methods(["GET", "POST"])
@login_required_403
def declare_distinct(request: HttpRequest, code: str) -> HttpResponse:
    """The web «Mi idea es distinta»: GET asks, POST undoes the system's merge (the author
    only)."""
    idea = get_object_or_404(
        Idea.objects.select_related("merged_into"), tracking_code=normalise_code(code)
    )
    person = getattr(request.user, "person", None)
    if person is None or idea.author_id != person.pk:
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.idea_declare_distinct(idea=idea, person=person)
        except ModerationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("Listo: tu idea %(code)s quedó separada y el equipo de moderación la revisará.")
                % {"code": idea.formatted_code},
            )
        return redirect("participation:idea_detail", code=idea.formatted_code)
    return render(request, "moderation/declare_distinct.html", {"idea": idea})


def idea_page_context(request: HttpRequest, idea: Idea) -> dict[str, str]:
    """``participation.handlers.on_idea_page``: the author of an idea the system merged on
    arrival sees «Mi idea es distinta» on its page and on the confirmation page."""
    if idea.merged_into_id is None or not request.user.is_authenticated:
        return {}
    person = getattr(request.user, "person", None)
    if person is None or idea.author_id != person.pk or services.auto_merge_of(idea) is None:
        return {}
    return {"distinct_url": reverse("moderation:declare_distinct", args=[idea.formatted_code])}
