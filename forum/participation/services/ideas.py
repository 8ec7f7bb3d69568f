"""Ideas: submission, the one place a status changes, routing and answers."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forum.core.events import publish_on_commit
from forum.core.text import clean_plain_text

from .. import codes, events, handlers, selectors
from ..events import MODERATION_GROUP
from ..lifecycle import (
    ANSWERS,
    NEEDS_MESSAGE,
    RESERVED,
    IdeaStatus,
    IllegalTransition,
    SystemMessage,
    check_transition,
    system_message_text,
)
from ..models import (
    Council,
    Dialogue,
    Idea,
    IdeaCoauthor,
    Person,
    Region,
    StatusChange,
    Support,
    Topic,
)

if TYPE_CHECKING:
    # AUTH_USER_MODEL: the model the user foreign keys point to.
    pass

from forum.core.validation import full_clean

from .common import Actor, ParticipationError, actor_user

# ---------------------------------------------------------------- ideas


def _new_tracking_code() -> str:
    for _attempt in range(20):
        code = codes.generate_code()
        if not Idea.objects.filter(tracking_code=code).exists():
            return code
    raise RuntimeError("could not find a free tracking code")  # 20 collisions in 1e12: a bug


def _validate_idea_text(title: str, body: str) -> None:
    if not title:
        raise ParticipationError(
            _("Escribe tu idea: el texto no puede quedar vacío."), code="empty"
        )
    if len(title) > settings.IDEA_TITLE_MAX_LENGTH:
        raise ParticipationError(
            _(
                "El título tiene %(n)d caracteres; el máximo es %(max)d. Acórtalo y deja el "
                "detalle en la descripción."
            )
            % {"n": len(title), "max": settings.IDEA_TITLE_MAX_LENGTH},
            code="title_too_long",
        )
    if len(body) > settings.IDEA_MAX_LENGTH:
        raise ParticipationError(
            _(
                "Tu idea tiene %(n)d caracteres; el máximo es %(max)d. Resúmela y vuelve a "
                "enviarla: no hemos guardado nada todavía."
            )
            % {"n": len(body), "max": settings.IDEA_MAX_LENGTH},
            code="too_long",
        )


TITLE_FROM_TEXT_MAX = 120  # a title derived from a chat message: one line in lists


def split_title(text: str) -> tuple[str, str]:
    """A chat message has no title: its first sentence (or line) becomes the title and the rest
    the body, so the idea's page does not show the same words twice. A first sentence longer
    than the limit is no natural title: it is shortened on a word (with «…») and the body keeps
    the whole text, so nothing the person wrote is lost."""
    text = clean_plain_text(text)
    first, _newline, rest = text.partition("\n")
    match = re.search(r"[.?!…](?=\s)", first)
    if match is not None:
        rest = (first[match.end() :] + "\n" + rest).strip()
        first = first[: match.end()]
    first, rest = first.strip(), rest.strip()
    if len(first) > TITLE_FROM_TEXT_MAX:
        return first[:TITLE_FROM_TEXT_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…", text
    return first, rest


def idea_submit(
    *,
    author: Person | None,
    title: str,
    body: str = "",
    channel: str,
    region: Region | None = None,
    topic: Topic | None = None,
    dialogue: Dialogue | None = None,
    original_text: str = "",
    external_source: str = "",
    external_id: str = "",
    created_at: dt.datetime | None = None,
    auto_merge: bool = True,
    batch: bool = False,
) -> Idea:
    """Create an idea in status *received* with a fresh tracking code.

    Raises ParticipationError (nothing stored) on empty or over-long text. The registered
    ``handlers.on_idea_submitted`` handlers run in the transaction: moderation may merge an
    identical repost at once (then ``idea.merged_into`` is set on return), unless
    ``auto_merge`` is False; with ``batch`` nothing is merged or grouped on arrival (the caller
    groups the whole batch afterwards, as ``manage.py regroup`` does). Side effect after
    commit: ``idea.created`` on the moderators' queue group.
    """
    title = clean_plain_text(title).replace("\n", " ")
    body = clean_plain_text(body)
    _validate_idea_text(title, body)
    if region is None and dialogue is not None:
        region = dialogue.region
    if region is None and author is not None:
        region = author.region
    with transaction.atomic():
        idea = Idea(
            tracking_code=_new_tracking_code(),
            title=title,
            body=body,
            original_text=original_text,
            author=author,
            channel=channel,
            region=region,
            topic=topic,
            dialogue=dialogue,
            status=IdeaStatus.RECEIVED,
            external_source=external_source,
            external_id=external_id,
        )
        # The database enforces uniqueness and checks; validating them here costs a query each.
        full_clean(idea, validate_unique=False, validate_constraints=False)
        idea.save()
        if created_at is not None:
            Idea.objects.filter(pk=idea.pk).update(created_at=created_at)
            idea.created_at = created_at
        StatusChange.objects.create(
            idea=idea,
            from_status="",
            to_status=IdeaStatus.RECEIVED,
            public_message=_system_text(SystemMessage.RECEIVED, {}),
            system_message=SystemMessage.RECEIVED,
        )
        handlers.data_changed("idea")
        publish_on_commit(MODERATION_GROUP, events.idea_created(idea_id=idea.pk))
        handlers.submitted(handlers.IdeaSubmitted(idea=idea, auto_merge=auto_merge, batch=batch))
    return idea


def idea_recipient_ids(idea: Idea) -> set[int]:
    """The people who must hear about this idea: author, co-authors and supporters."""
    ids = {idea.author_id} if idea.author_id else set()
    ids.update(IdeaCoauthor.objects.filter(idea=idea).values_list("person_id", flat=True))
    ids.update(Support.objects.filter(idea=idea).values_list("person_id", flat=True))
    return ids


def idea_recipients(idea: Idea) -> list[Person]:
    """Everyone who must hear about this idea: author, co-authors and supporters, each once."""
    return list(Person.objects.filter(pk__in=idea_recipient_ids(idea)).order_by("pk"))


def _system_text(key: SystemMessage, params: dict[str, str]) -> str:
    # Stored in the site's language whoever triggered it; readers translate it from the key.
    with translation.override(settings.LANGUAGE_CODE):
        return system_message_text(key, params)


def idea_transition(
    *,
    idea: Idea,
    to_status: str,
    actor: Actor,
    public_message: str = "",
    system_message: SystemMessage | None = None,
    system_params: dict[str, str] | None = None,
    related_idea: Idea | None = None,
    notify: bool = True,
) -> StatusChange:
    """Move ``idea`` to ``to_status`` and record it; the one place where a status changes.

    Raises IllegalTransition for a move the lifecycle table does not allow, and for a status in
    ``lifecycle.RESERVED`` (only its services apply it: ``idea_transition_reserved``). Side
    effects: the registered handlers (``handlers.status_changed``: the notifications app writes
    a notice for every author and supporter to the outbox, same transaction), and
    ``idea.status_changed`` on the idea's group after commit. ``system_message`` (with its
    ``system_params``) instead of ``public_message`` when the system, not a person, explains
    the change.
    """
    return _transition(
        idea=idea,
        to_status=to_status,
        actor=actor,
        public_message=public_message,
        system_message=system_message,
        system_params=system_params,
        related_idea=related_idea,
        notify=notify,
        allowed=frozenset(),
    )


def idea_transition_reserved(
    *,
    by: str,
    idea: Idea,
    to_status: str,
    actor: Actor,
    system_message: SystemMessage | None = None,
    system_params: dict[str, str] | None = None,
    public_message: str = "",
    related_idea: Idea | None = None,
    notify: bool = True,
) -> StatusChange:
    """``idea_transition`` for the services that ``lifecycle.RESERVED`` names: ``by`` is the
    calling service's name, and a reserved ``to_status`` is applied only when the table lists
    it there (IllegalTransition otherwise). Only those services call this."""
    return _transition(
        idea=idea,
        to_status=to_status,
        actor=actor,
        public_message=public_message,
        system_message=system_message,
        system_params=system_params,
        related_idea=related_idea,
        notify=notify,
        allowed=RESERVED.get(to_status, frozenset()) & {by},
    )


def _transition(
    *,
    idea: Idea,
    to_status: str,
    actor: Actor,
    public_message: str,
    system_message: SystemMessage | None,
    system_params: dict[str, str] | None,
    related_idea: Idea | None,
    notify: bool,
    allowed: frozenset[str],
) -> StatusChange:
    """The one body of both entry points; ``allowed``: the reserved services the caller is
    (empty for ``idea_transition``)."""
    system_params = (system_params or {}) if system_message else {}
    public_message = (
        _system_text(system_message, system_params)
        if system_message
        else clean_plain_text(public_message)
    )
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        from_status = locked.status
        check_transition(from_status, to_status)
        if to_status in RESERVED and not allowed:
            raise IllegalTransition(from_status, to_status)
        if to_status in NEEDS_MESSAGE and not public_message:
            raise ParticipationError(
                _("Este cambio de estado necesita un mensaje público que explique la decisión."),
                code="message_required",
            )
        Idea.objects.filter(pk=idea.pk).update(status=to_status, updated_at=timezone.now())
        idea.status = to_status
        change = StatusChange.objects.create(
            idea=idea,
            from_status=from_status,
            to_status=to_status,
            actor=actor_user(actor),
            public_message=public_message,
            system_message=system_message or "",
            system_params=system_params,
            related_idea=related_idea,
        )
        handlers.status_changed(
            handlers.StatusChanged(
                idea=idea,
                change=change,
                from_status=from_status,
                to_status=to_status,
                public_message=public_message,
                system_message=system_message or "",
                system_params=system_params or {},
                notify=notify,
            )
        )
        publish_on_commit(
            MODERATION_GROUP,
            events.idea_status_changed(idea_id=idea.pk, status=to_status),
        )
    return change


def idea_history_note(
    *,
    idea: Idea,
    actor: Actor,
    system_message: SystemMessage,
    system_params: dict[str, str],
    related_idea: Idea | None = None,
) -> StatusChange:
    """Record in an idea's public history something that happened to it without changing its
    status (another idea merged into it, or that merge undone). Notifies nobody: the service
    that calls it sends its own notices."""
    return StatusChange.objects.create(
        idea=idea,
        from_status=idea.status,
        to_status=idea.status,
        actor=actor_user(actor),
        public_message=_system_text(system_message, system_params),
        system_message=system_message,
        system_params=system_params,
        related_idea=related_idea,
    )


def idea_set_status(
    *, idea: Idea, to_status: str, actor: Actor, public_message: str = ""
) -> StatusChange:
    """A moderator or secretary moves an idea (review, not admitted, agenda, implemented)."""
    if to_status in ANSWERS:
        return idea_answer(idea=idea, outcome=to_status, answer=public_message, actor=actor)
    return idea_transition(
        idea=idea, to_status=to_status, actor=actor, public_message=public_message
    )


def idea_route(
    *,
    idea: Idea,
    council: Council,
    actor: Actor,
    answer_due: dt.date | None = None,
    agenda_dialogue: Dialogue | None = None,
    public_message: str = "",
) -> StatusChange:
    """Send an idea to a council, with a due date for its answer (and optionally onto a
    dialogue's agenda). Notifies everyone concerned.

    Without ``answer_due`` the council's own answer period applies: a routed idea always has a
    due date, so it can become overdue."""
    if answer_due is None:
        answer_due = selectors.council_answer_due(council)
    with transaction.atomic():
        Idea.objects.filter(pk=idea.pk).update(
            council=council, answer_due=answer_due, agenda_dialogue=agenda_dialogue
        )
        idea.council, idea.answer_due, idea.agenda_dialogue = council, answer_due, agenda_dialogue
        change = idea_transition_reserved(
            by="idea_route",
            idea=idea,
            to_status=IdeaStatus.ROUTED,
            actor=actor,
            public_message=public_message,
            # The system's own message when the moderator typed none.
            system_message=None if public_message.strip() else SystemMessage.ROUTED,
            system_params={"council": council.name},
        )
        # Every idea a council must answer gets a public thread where the debate goes on
        # (the threads app's handler).
        handlers.routed(idea)
        if agenda_dialogue is not None:
            change = idea_transition(
                idea=idea,
                to_status=IdeaStatus.ON_AGENDA,
                actor=actor,
                system_message=SystemMessage.ON_AGENDA,
                system_params={"dialogue": agenda_dialogue.title},
            )
    return change


def idea_answer(*, idea: Idea, outcome: str, answer: str, actor: Actor) -> StatusChange:
    """Record the council's public answer; it becomes the idea's status and reaches everyone."""
    if outcome not in ANSWERS:
        raise ParticipationError(_("Respuesta desconocida."), code="bad_outcome")
    with transaction.atomic():
        change = idea_transition(idea=idea, to_status=outcome, actor=actor, public_message=answer)
        Idea.objects.filter(pk=idea.pk).update(public_answer=clean_plain_text(answer))
        idea.public_answer = clean_plain_text(answer)
    return change
