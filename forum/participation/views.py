"""Public pages of the participation domain. Reads go through selectors, writes through services.

Every page works without JavaScript: plain GET forms for filters and tracking, POST forms (with
CSRF) for supports and status changes.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import codes, handlers, selectors, services
from .forms import IdeaFilterForm, IdeaStatusForm, IdeaSubmitForm, TrackForm
from .lifecycle import ANSWERS, OPEN_FOR_SUPPORT, IdeaStatus, IllegalTransition
from .models import Channel, Dialogue, Idea, Person
from .permissions import can_change_status

IDEAS_PER_PAGE = 20
HOME_STATS_CACHE_KEY = "participation:headline_stats"
HOME_DIALOGUES_CACHE_KEY = "participation:home:dialogues"
HOME_COUNCILS_CACHE_KEY = "participation:home:councils"


def _person(request: HttpRequest) -> Person | None:
    """The participant behind the logged-in account, without creating one on a read."""
    if not request.user.is_authenticated:
        return None
    try:
        return request.user.person
    except Person.DoesNotExist:
        return None


def _idea_url(idea: Idea) -> str:
    return reverse("participation:idea_detail", args=[idea.formatted_code])


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# ---------------------------------------------------------------- public pages


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/home.html",
        {
            # Four aggregates over every idea: a minute-old figure is fine on a home page.
            "stats": cache.get_or_set(HOME_STATS_CACHE_KEY, selectors.headline_stats, 60),
            # Per-council and per-dialogue idea counts cost ~0.1 s at 100,000 ideas.
            "dialogues": cache.get_or_set(
                HOME_DIALOGUES_CACHE_KEY, lambda: list(selectors.active_dialogues()[:12]), 60
            ),
            "councils": cache.get_or_set(
                HOME_COUNCILS_CACHE_KEY, lambda: list(selectors.councils()), 60
            ),
            "track_form": TrackForm(),
        },
    )


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/privacy.html")


def idea_list(request: HttpRequest) -> HttpResponse:
    form = IdeaFilterForm(request.GET or None)
    data: dict = {}
    if form.is_bound:
        # A stale or mistyped value drops only that filter: cleaned_data keeps the valid ones.
        form.is_valid()
        data = form.cleaned_data
    filters = selectors.IdeaFilters(
        region=data["region"].slug if data.get("region") else None,
        topic=data["topic"].slug if data.get("topic") else None,
        status=data.get("status") or None,
        dialogue=data["dialogue"].slug if data.get("dialogue") else None,
        q=(data.get("q") or "").strip() or None,
        order=data.get("order") or "relevance",
    )
    # A search we could not apply (too long) lists nothing rather than every idea: the form
    # shows why.
    search_refused = bool(form.is_bound and form.errors.get("q"))
    qs = selectors.idea_list(filters)
    number = _page_number(request.GET.get("page"))
    page: Page | None
    if search_refused:
        page = None
    elif filters.q:
        # Counted: on PostgreSQL the full-text index answers the count (docs/performance.md).
        page = Paginator(qs, IDEAS_PER_PAGE).get_page(number)
    else:
        page = _CachedCountPaginator(qs, IDEAS_PER_PAGE).get_page(number)
    ideas = list(page.object_list) if page is not None else []
    supported_ids = selectors.supported_idea_ids(_person(request), ideas)
    for idea in ideas:
        idea.is_supported = idea.pk in supported_ids
        idea.is_open = idea.status in OPEN_FOR_SUPPORT
    return render(
        request,
        "participation/idea_list.html",
        {
            "form": form,
            "selects": _filter_selects(form, filters),
            "page": page,
            "ideas": ideas,
            "search_refused": search_refused,
            "filtered": search_refused
            or any([filters.region, filters.topic, filters.status, filters.dialogue, filters.q]),
        },
    )


class _CachedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        return selectors.cached_count(cast(QuerySet, self.object_list))  # querysets only


def _page_number(raw: str | None) -> int:
    """``?page=`` as ``Paginator.get_page`` reads it (junk is the first page, a number past the
    end the last one), except that zero and negative numbers are the first page, not the last."""
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def _filter_selects(form: IdeaFilterForm, filters: selectors.IdeaFilters) -> list[dict]:
    """The filter drop-downs as plain data. Rendering ~80 options through Django's per-option
    widget templates cost a third of the list page; a loop in the page template is cheap."""
    selected = {
        "region": filters.region,
        "topic": filters.topic,
        "status": filters.status,
        "dialogue": filters.dialogue,
        "order": filters.order,
    }
    selects = []
    for name, value in selected.items():
        field = form.fields[name]
        options = [(str(v), str(label)) for v, label in field.choices]  # type: ignore[attr-defined]
        selects.append(
            {"name": name, "label": field.label, "options": options, "selected": value or ""}
        )
    return selects


def _public_idea_or_404(code: str) -> Idea:
    idea = selectors.idea_by_code(code)
    if idea is None:
        raise Http404(_("No encontramos una idea con ese código."))
    return idea


def idea_detail(request: HttpRequest, code: str) -> HttpResponse:
    idea = _public_idea_or_404(code)
    if code != idea.formatted_code:
        return redirect(_idea_url(idea), permanent=False)
    person = _person(request)
    return render(
        request,
        "participation/idea_detail.html",
        {
            # The idea's public thread (the threads app), when there is one the reader may see.
            "thread": None,
            "thread_url": None,
            **handlers.idea_page_context(request, idea),
            "idea": idea,
            "history": list(selectors.idea_history(idea)),
            "supported": idea.pk in selectors.supported_idea_ids(person, [idea]),
            "open_for_support": idea.status in OPEN_FOR_SUPPORT,
            "can_change_status": can_change_status(request.user),
            "is_answered": idea.status in ANSWERS or idea.status == IdeaStatus.IMPLEMENTED,
        },
    )


def idea_submitted(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation with the tracking code, for the idea's author; anyone else gets the
    public page."""
    idea = _public_idea_or_404(code)
    person = _person(request)
    if person is None or idea.author_id != person.pk:
        return redirect(_idea_url(idea))
    return render(
        request,
        "participation/idea_submitted.html",
        {"idea": idea, **handlers.idea_page_context(request, idea)},
    )


def track(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("code") or request.GET.get("codigo")
    form = TrackForm({"code": raw} if raw is not None else None)
    if raw is not None and form.is_valid():
        normalised = codes.normalise_code(form.cleaned_data["code"])
        if normalised is None:
            form.add_error(
                "code",
                _(
                    "«%(code)s» no parece un código de seguimiento: son 8 letras y números "
                    "(por ejemplo ABCD-1234). Revisa que lo hayas copiado completo."
                )
                % {"code": form.cleaned_data["code"]},
            )
        else:
            idea = selectors.idea_by_code(normalised)
            if idea is not None:
                return redirect(_idea_url(idea))
            form.add_error(
                "code",
                _(
                    "No encontramos ninguna idea con el código %(code)s. Revisa el código que "
                    "recibiste al enviarla; si la idea fue retirada por moderación, no aparece "
                    "aquí."
                )
                % {"code": codes.format_code(normalised)},
            )
    return render(request, "participation/track.html", {"form": form})


# ---------------------------------------------------------------- participants


@login_required
def idea_submit(request: HttpRequest) -> HttpResponse:
    person = services.person_for_user(user=request.user)  # type: ignore[arg-type]
    if request.method == "POST":
        form = IdeaSubmitForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            # Before creating a new idea, the ideas that already say the same (as the bots
            # do): support one of them, or confirm that this one is different («distinct»).
            similar = (
                []
                if request.POST.get("distinct")
                else selectors.similar_open_ideas(data["title"], data.get("body") or "")
            )
            if similar:
                return render(
                    request,
                    "participation/idea_submit.html",
                    {
                        "form": form,
                        "max_length": settings.IDEA_MAX_LENGTH,
                        "similar": _with_support_state(person, similar),
                    },
                )
            try:
                idea = services.idea_submit(
                    author=person,
                    title=data["title"],
                    body=data.get("body") or "",
                    channel=Channel.WEB,
                    region=data.get("region"),
                    topic=data.get("topic"),
                    dialogue=data.get("dialogue"),
                    # «La mía es distinta»: the person said so; a moderator decides, the system
                    # does not merge it into an identical idea (it is still grouped with it).
                    auto_merge=not request.POST.get("distinct"),
                )
            except services.ParticipationError as exc:
                fields = {"too_long": "body", "title_too_long": "title", "empty": "title"}
                field = fields.get(getattr(exc, "code", None) or "")
                form.add_error(field, exc)
            else:
                return redirect("participation:idea_submitted", code=idea.formatted_code)
    else:
        # A dialogue's page links here with ?dialogo=<slug>: the idea is filed under it.
        dialogue = Dialogue.objects.filter(
            slug=request.GET.get("dialogo", ""), is_active=True
        ).first()
        form = IdeaSubmitForm(
            initial={
                "region": dialogue.region_id if dialogue else person.region_id,
                "dialogue": dialogue.pk if dialogue else None,
            }
        )
    return render(
        request,
        "participation/idea_submit.html",
        {
            "form": form,
            "max_length": settings.IDEA_MAX_LENGTH,
        },
    )


def _with_support_state(person: Person | None, ideas: list[Any]) -> list[Any]:
    """The ideas, marked for the support buttons (as the idea list marks its rows)."""
    supported_ids = selectors.supported_idea_ids(person, ideas)
    for idea in ideas:
        idea.is_supported = idea.pk in supported_ids  # type: ignore[attr-defined,unused-ignore]
        idea.is_open = idea.status in OPEN_FOR_SUPPORT  # type: ignore[attr-defined,unused-ignore]
    return ideas


SIMILAR_MAX_QUERY = 1000  # characters of a draft the live suggestions look at


def idea_similar(request: HttpRequest) -> JsonResponse:
    """Ideas that look like a draft being typed (``?title=&body=``), for the submit form's
    live suggestions (participation/similar.js); the same matcher as the bots and the form's
    own «¿Es alguna de estas?» step."""
    title = (request.GET.get("title") or "").strip()[:SIMILAR_MAX_QUERY]
    body = (request.GET.get("body") or "").strip()[:SIMILAR_MAX_QUERY]
    ideas = selectors.similar_open_ideas(title, body) if len(title) + len(body) >= 10 else []
    return JsonResponse(
        {
            "ideas": [
                {
                    "code": idea.formatted_code,
                    "title": idea.title,
                    "status": str(idea.get_status_display()),
                    "supports": ngettext("%(n)s apoyo", "%(n)s apoyos", idea.support_count)
                    % {"n": number_format(idea.support_count, force_grouping=True)},
                    "url": _idea_url(idea),
                    "support_url": reverse(
                        "participation:idea_support", args=[idea.formatted_code]
                    ),
                }
                for idea in ideas
            ]
        }
    )


def _login_then(request: HttpRequest, idea: Idea) -> HttpResponse:
    messages.info(request, _("Entra con tu cuenta para apoyar ideas."))
    return redirect_to_login(_idea_url(idea))


@require_POST
def idea_support(request: HttpRequest, code: str) -> HttpResponse:
    idea = _public_idea_or_404(code)
    if not request.user.is_authenticated:
        return _login_then(request, idea)
    person = services.person_for_user(user=request.user)
    try:
        support, created = services.support_add(idea=idea, person=person, channel=Channel.WEB)
    except services.ParticipationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if not created:
            messages.info(request, _("Ya apoyabas esta idea."))
        elif support.idea_id != idea.pk:
            messages.success(
                request, _("Esta idea fue fusionada: tu apoyo se sumó a la idea que la reúne.")
            )
        else:
            messages.success(request, _("¡Gracias! Tu apoyo quedó registrado."))
    return redirect(_safe_next(request, _idea_url(idea)))


@require_POST
def idea_unsupport(request: HttpRequest, code: str) -> HttpResponse:
    idea = _public_idea_or_404(code)
    if not request.user.is_authenticated:
        return _login_then(request, idea)
    person = services.person_for_user(user=request.user)
    if services.support_remove(idea=idea, person=person):
        messages.success(request, _("Quitaste tu apoyo a esta idea."))
    else:
        messages.info(request, _("No apoyabas esta idea."))
    return redirect(_safe_next(request, _idea_url(idea)))


@login_required
def landing(request: HttpRequest) -> HttpResponse:
    """Where login leads: a role's own page (a secretary's council inbox, the moderators'
    queue: registered by the apps that own them), otherwise «Mis ideas»."""
    return redirect(handlers.landing_url(request.user) or reverse("participation:my_ideas"))


@login_required
def my_ideas(request: HttpRequest) -> HttpResponse:
    person = services.person_for_user(user=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "participation/my_ideas.html",
        {
            "own": list(selectors.ideas_of_person(person)),
            "supported": list(selectors.supported_by(person)),
        },
    )


# ---------------------------------------------------------------- staff


def idea_status(request: HttpRequest, code: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_change_status(request.user):
        raise PermissionDenied(_("Solo moderación y administración cambian estados."))
    normalised = codes.normalise_code(code)
    idea = get_object_or_404(
        Idea.objects.select_related("region", "topic", "council", "dialogue"),
        tracking_code=normalised or "",
    )
    form = IdeaStatusForm(request.POST or None, idea=idea)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        to_status = data["to_status"]
        message = data.get("public_message") or ""
        try:
            if to_status == IdeaStatus.ROUTED:
                services.idea_route(
                    idea=idea,
                    council=data["council"],
                    actor=request.user,
                    answer_due=data.get("answer_due"),
                    public_message=message,
                )
            elif to_status in ANSWERS:
                services.idea_answer(
                    idea=idea, outcome=to_status, answer=message, actor=request.user
                )
            else:
                services.idea_set_status(
                    idea=idea, to_status=to_status, actor=request.user, public_message=message
                )
        except IllegalTransition as exc:
            form.add_error(None, str(exc))
        except services.ParticipationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Estado actualizado: %(status)s.") % {"status": IdeaStatus(to_status).label},
            )
            return redirect(_safe_next(request, _idea_url(idea)))
    return render(
        request,
        "participation/idea_status.html",
        {
            "idea": idea,
            "form": form,
            "history": list(selectors.idea_history(idea)),
            "next": _safe_next(request, ""),
        },
    )
