"""Public pages of dialogues and councils, the survey answer page, and staff's phase desk.

Views are thin: they read through ``selectors`` and write through ``services``. Every page
works without JavaScript; the QR code is an SVG file served from its own URL (no inline code
under the Content-Security-Policy).
"""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.convocation import pages as convocation_pages
from forum.participation.models import Dialogue, Person

from . import forms, permissions, phases, selectors, services
from .models import CheckIn, SurveyAnswer


def _bot_link(dialogue: Dialogue) -> str:
    """The Telegram deep link that files ideas under this dialogue ("" without a bot name)."""
    bot = (getattr(settings, "TELEGRAM_BOT_USERNAME", "") or "").lstrip("@")
    return f"https://t.me/{bot}?start=dlg_{dialogue.slug}" if bot else ""


def _join_url(request: HttpRequest, dialogue: Dialogue) -> str:
    """What the printed QR code opens: the dialogue's page, where the ways to take part are."""
    return request.build_absolute_uri(reverse("dialogues:detail", args=[dialogue.slug]))


def dialogue_list(request: HttpRequest) -> HttpResponse:
    dialogues = list(selectors.dialogue_list())
    by_phase = [
        (phase, Dialogue.Phase(phase).label, [d for d in dialogues if d.phase == phase])
        for phase in reversed(phases.ORDER)
    ]
    return render(
        request,
        "dialogues/dialogue_list.html",
        {"by_phase": by_phase, "totals": selectors.dialogues_totals()},
    )


def dialogue_detail(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = selectors.dialogue_by_slug(slug)
    if dialogue is None:
        raise Http404
    space = getattr(dialogue, "space", None)
    celebrated = dialogue.phase == phases.CELEBRATION
    published = bool(space and space.results_published_at)
    context = {
        "dialogue": dialogue,
        "space": space,
        "timeline": selectors.dialogue_timeline(dialogue),
        "questions": list(selectors.guiding_questions(dialogue)),
        "agenda": list(selectors.agenda_points(dialogue))
        if space and space.agenda_published_at
        else [],
        "origins": selectors.dialogue_idea_origins(dialogue),
        "ideas": selectors.dialogue_ideas(dialogue, limit=30),
        "results": selectors.dialogue_results(dialogue) if celebrated else None,
        "results_published": published,
        "bot_link": _bot_link(dialogue),
        "open_for_ideas": dialogue.is_active and dialogue.phase != phases.CELEBRATION,
        "can_run": permissions.can_run_dialogues(request.user),
        **convocation_pages.space_context(dialogue=dialogue),
    }
    return render(request, "dialogues/dialogue_detail.html", context)


def dialogue_qr(request: HttpRequest, slug: str) -> HttpResponse:
    """The QR code to print (SVG): it opens the dialogue's page."""
    dialogue = get_object_or_404(Dialogue, slug=slug)
    buffer = io.BytesIO()
    segno.make(_join_url(request, dialogue), error="m").save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False, title=dialogue.title
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def dialogue_print(request: HttpRequest, slug: str) -> HttpResponse:
    """A sheet to print for the room: where, when, the session code and the QR code."""
    dialogue = selectors.dialogue_by_slug(slug)
    if dialogue is None:
        raise Http404
    return render(
        request,
        "dialogues/dialogue_print.html",
        {
            "dialogue": dialogue,
            "space": getattr(dialogue, "space", None),
            "join_url": _join_url(request, dialogue),
            "bot_link": _bot_link(dialogue),
            "questions": list(selectors.guiding_questions(dialogue)),
        },
    )


def table_print(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """One table's sheet (names of the people seated): staff only, never public."""
    if not permissions.can_run_dialogues(request.user):
        return HttpResponseForbidden(_("Solo el equipo del foro puede ver las mesas."))
    dialogue = get_object_or_404(Dialogue, slug=slug)
    table = selectors.table_for_print(dialogue, number)
    if table is None:
        raise Http404
    return render(
        request,
        "dialogues/table_print.html",
        {"dialogue": dialogue, "table": table, "questions": selectors.guiding_questions(dialogue)},
    )


def survey(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """«¿Cómo evalúas el método?»: the page the survey notice links to (no login needed)."""
    dialogue = get_object_or_404(Dialogue, slug=slug)
    pair = services.survey_token_read(token)
    if pair is None or pair[0] != dialogue.pk:
        raise Http404
    person = Person.objects.filter(pk=pair[1], erased_at__isnull=True).first()
    if person is None or not CheckIn.objects.filter(dialogue=dialogue, person=person).exists():
        raise Http404
    existing = SurveyAnswer.objects.filter(dialogue=dialogue, person=person).first()
    form = forms.SurveyForm(
        request.POST or None,
        initial={"rating": existing.rating, "comment": existing.comment} if existing else None,
    )
    if request.method == "POST" and form.is_valid():
        services.survey_answer_submit(
            dialogue=dialogue,
            person=person,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data.get("comment") or "",
        )
        messages.success(request, _("Gracias: guardamos tu respuesta."))
        return redirect("dialogues:detail", slug=dialogue.slug)
    return render(request, "dialogues/survey.html", {"dialogue": dialogue, "form": form})


# ---------------------------------------------------------------- staff desk


def manage(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff's desk for one dialogue: what the next phase needs, and the buttons for it."""
    if not permissions.can_run_dialogues(request.user):
        return HttpResponseForbidden(_("Solo el equipo del foro puede gestionar diálogos."))
    dialogue = selectors.dialogue_by_slug(slug)
    if dialogue is None:
        raise Http404
    following = phases.next_phase(dialogue.phase)
    return render(
        request,
        "dialogues/manage.html",
        {
            "dialogue": dialogue,
            "space": getattr(dialogue, "space", None),
            "next_phase": Dialogue.Phase(following).label if following else None,
            "refusal": services.advance_refusal(dialogue, following) if following else None,
            "questions": list(selectors.guiding_questions(dialogue)),
            "agenda": list(selectors.agenda_points(dialogue)),
            "tables": selectors.tables_with_seats(dialogue),
            "question_form": forms.QuestionForm(),
            "results_form": forms.ResultsForm(),
        },
    )


@require_POST
def manage_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    if not permissions.can_run_dialogues(request.user):
        return HttpResponseForbidden(_("Solo el equipo del foro puede gestionar diálogos."))
    dialogue = get_object_or_404(Dialogue, slug=slug)
    actor = request.user
    try:
        if action == "avanzar":
            change = services.dialogue_advance(dialogue=dialogue, actor=actor)
            messages.success(
                request,
                _("El diálogo pasó a «%(phase)s».")
                % {"phase": Dialogue.Phase(change.to_phase).label},
            )
        elif action == "pregunta":
            question = forms.QuestionForm(request.POST)
            if question.is_valid():
                services.guiding_question_add(
                    actor=actor, dialogue=dialogue, text=question.cleaned_data["text"]
                )
        elif action == "proponer-agenda":
            services.agenda_propose(actor=actor, dialogue=dialogue)
        elif action == "publicar-agenda":
            services.agenda_publish(actor=actor, dialogue=dialogue)
        elif action == "armar-mesas":
            services.tables_seat(
                actor=actor, dialogue=dialogue, people=selectors.dialogue_convened_people(dialogue)
            )
        elif action == "publicar-mesas":
            services.tables_publish(actor=actor, dialogue=dialogue)
        elif action == "enviar-encuesta":
            sent = services.survey_send(actor=actor, dialogue=dialogue)
            messages.success(request, _("Encuesta enviada a %(n)d personas.") % {"n": sent})
        elif action == "publicar-resultados":
            form = forms.ResultsForm(request.POST)
            summary = form.cleaned_data["summary"] if form.is_valid() else ""
            sent = services.results_publish(actor=actor, dialogue=dialogue, summary=summary)
            messages.success(request, _("Resultados enviados a %(n)d personas.") % {"n": sent})
        else:
            raise Http404
    except services.DialogueError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("dialogues:manage", slug=dialogue.slug)


# ---------------------------------------------------------------- councils


def council_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "dialogues/council_list.html", {"councils": list(selectors.council_list())}
    )


def council_detail(request: HttpRequest, slug: str) -> HttpResponse:
    council = selectors.council_by_slug(slug)
    if council is None:
        raise Http404
    members = selectors.council_members(council)
    chair = next((m for m in members if m.role == m.Role.CHAIR), None)
    return render(
        request,
        "dialogues/council_detail.html",
        {
            "council": council,
            "chair": chair,
            "members": [m for m in members if m is not chair],
            "meetings": selectors.council_meetings(council),
            "answers": selectors.council_answers(council),
            "dialogues": list(selectors.council_dialogues(council)),
            # The balance of its latest renewal list and what each category brings.
            **convocation_pages.space_context(council=council),
        },
    )
