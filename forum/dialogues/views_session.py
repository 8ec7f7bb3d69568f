"""The session's pages (Realización): the attendee's phone page, the facilitator's table page and
the projector. Thin: read through selectors, write through ``session_services``. Every page
works without JavaScript; the projector updates live over its socket when JavaScript runs and
reloads itself every few seconds when it does not."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forum.participation.models import Channel, Dialogue, Idea
from forum.participation.services import person_for_user

from .models import CheckIn, DialogueSpace, Table
from .selectors import live as session_selectors
from .services import live as session_services

Phase = Dialogue.Phase


def _dialogue(slug: str) -> Dialogue:
    return get_object_or_404(Dialogue.objects.select_related("council", "region"), slug=slug)


def _session_url(dialogue: Dialogue) -> str:
    return reverse("dialogues:session", args=[dialogue.slug])


@require_http_methods(["GET", "POST"])
def session(request: HttpRequest, slug: str) -> HttpResponse:
    """An attendee's phone: check in with the session code (or the projector's QR, which carries
    it), then vote with the dialogue's dots and send the closing word."""
    dialogue = _dialogue(slug)
    space = DialogueSpace.objects.filter(dialogue=dialogue).first()
    person = person_for_user(user=request.user) if request.user.is_authenticated else None
    if request.method == "POST":
        if person is None:
            return HttpResponseRedirect(f"{reverse('login')}?next={_session_url(dialogue)}")
        _act(request, dialogue, person)
        return HttpResponseRedirect(_session_url(dialogue))
    state = session_selectors.attendee_state(dialogue, person)
    ballot = session_selectors.ballot(dialogue) if state.checked_in else Idea.objects.none()
    return render(
        request,
        "dialogues/session/session.html",
        {
            "dialogue": dialogue,
            "space": space,
            "person": person,
            "state": state,
            "ballot": ballot,
            "in_session": dialogue.phase == Phase.REALISATION,
            "code": (request.GET.get("codigo") or "")[:16],
        },
    )


def _act(request: HttpRequest, dialogue: Dialogue, person) -> None:
    action = request.POST.get("action", "")
    try:
        if action == "checkin":
            code = request.POST.get("code", "")
            found = session_services.dialogue_by_session_code(code)
            if found is None or found.pk != dialogue.pk:
                raise session_services.SessionError(
                    _("Ese no es el código de esta sesión: revísalo en la pantalla de la sala.")
                )
            method = CheckIn.Method.QR if request.POST.get("via") == "qr" else CheckIn.Method.CODE
            session_services.checkin_record(dialogue=dialogue, person=person, method=method)
            messages.success(request, _("¡Bienvenida/o! Tu asistencia quedó registrada."))
        elif action in ("vote", "unvote"):
            code = request.POST.get("idea", "")
            # Tracking codes are 8 letters and digits: anything else (a NUL, which PostgreSQL
            # refuses in a query) is not looked up at all.
            idea = (
                Idea.objects.filter(tracking_code=code).first()
                if len(code) == 8 and code.isascii() and code.isalnum()
                else None
            )
            if idea is None:
                raise session_services.SessionError(_("Esa idea no está en votación."))
            if action == "vote":
                left = session_services.vote_cast(dialogue=dialogue, idea=idea, person=person)
                messages.success(request, _("Voto registrado. Te quedan %(n)d.") % {"n": left})
            else:
                left = session_services.vote_withdraw(dialogue=dialogue, idea=idea, person=person)
                messages.success(request, _("Voto retirado. Te quedan %(n)d.") % {"n": left})
        elif action == "word":
            session_services.closing_word_send(
                dialogue=dialogue, person=person, word=request.POST.get("word", "")
            )
            messages.success(request, _("¡Gracias! Tu palabra ya está en la pantalla."))
        else:
            messages.error(request, _("No entendí esa acción."))
    except session_services.SessionError as exc:
        messages.error(request, " ".join(exc.messages))


def projector(request: HttpRequest, slug: str) -> HttpResponse:
    """The room's big screen: the session code, how to join, the live ranking and the words."""
    dialogue = _dialogue(slug)
    space = DialogueSpace.objects.filter(dialogue=dialogue).first()
    snapshot = session_selectors.session_snapshot(dialogue.pk)
    join_url = request.build_absolute_uri(_session_url(dialogue))
    if space is not None:
        join_url += f"?codigo={space.session_code}"
    return render(
        request,
        "dialogues/session/projector.html",
        {
            "dialogue": dialogue,
            "space": space,
            "snapshot": snapshot,
            "join_url": join_url,
            "ws_path": f"/ws/dialogos/{dialogue.pk}/proyector/",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def table(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The facilitator's phone page for one table: enter the table's ideas as they come."""
    dialogue = _dialogue(slug)
    table = get_object_or_404(
        Table.objects.select_related("topic"), dialogue=dialogue, number=number
    )
    person = person_for_user(user=request.user)  # type: ignore[arg-type]
    if request.method == "POST":
        try:
            idea = session_services.table_idea_enter(
                table=table,
                actor=person,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
            )
            messages.success(
                request, _("Idea %(code)s registrada para la mesa.") % {"code": idea.formatted_code}
            )
        except session_services.SessionError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("dialogues:table", args=[slug, number]))
    ideas = Idea.objects.filter(table_idea__table=table).order_by("created_at")
    return render(
        request,
        "dialogues/session/table.html",
        {
            "dialogue": dialogue,
            "table": table,
            "ideas": ideas,
            "is_facilitator": table.facilitator_id == person.pk,
            "in_session": dialogue.phase == Phase.REALISATION,
            "channel": Channel.IN_PERSON,
        },
    )
