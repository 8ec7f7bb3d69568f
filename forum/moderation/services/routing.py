"""Routing an idea (with its merge cluster) to a council, and the council's answer."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from forum.participation import selectors as participation_selectors
from forum.participation import services as participation
from forum.participation.lifecycle import IdeaStatus, IllegalTransition, SystemMessage
from forum.participation.models import Council, Dialogue, Idea, StatusChange

from .audit import audit_record
from .common import Actor, ModerationError, idea_state


def idea_route_cluster(
    *,
    idea: Idea,
    council: Council,
    actor: Actor,
    answer_due: dt.date | None = None,
    agenda_dialogue: Dialogue | None = None,
    public_message: str = "",
    reason: str = "",
) -> StatusChange:
    """Route an idea (with every idea merged into it) to a council.

    A merged idea is routed through its canonical idea, whose supporters and co-authors already
    include everyone from the cluster. An idea still *received* first moves to *in review*.
    """
    with transaction.atomic():
        locking = Idea.objects.select_for_update()
        try:
            target = participation_selectors.canonical_of(locking.get(pk=idea.pk), queryset=locking)
        except participation_selectors.MergeChainError as exc:
            raise ModerationError(exc.messages[0], code=exc.code) from exc
        before = {
            **idea_state(target),
            "council": target.council_id,
            "answer_due": str(target.answer_due or ""),
        }
        try:
            if target.status == IdeaStatus.RECEIVED:
                participation.idea_transition(
                    idea=target,
                    to_status=IdeaStatus.IN_REVIEW,
                    actor=actor,
                    notify=False,
                    system_message=SystemMessage.IN_REVIEW,
                )
            change = participation.idea_route(
                idea=target,
                council=council,
                actor=actor,
                answer_due=answer_due,
                agenda_dialogue=agenda_dialogue,
                public_message=public_message,
            )
        except IllegalTransition as exc:
            raise ModerationError(str(exc), code="illegal_status") from exc
        except participation.ParticipationError as exc:
            raise ModerationError(exc.messages, code=exc.code) from exc
        cluster = list(
            Idea.objects.filter(merged_into=target).values_list("tracking_code", flat=True)
        )
        audit_record(
            actor=actor,
            action="idea.route",
            target=target,
            before=before,
            after={
                **idea_state(target),
                "council": council.slug,
                "answer_due": str(target.answer_due or ""),
                "agenda_dialogue": agenda_dialogue.slug if agenda_dialogue else None,
                "cluster": cluster,
            },
            reason=reason or public_message,
        )
    idea.refresh_from_db()
    return change


def council_answer(*, idea: Idea, outcome: str, answer: str, actor: Actor) -> StatusChange:
    """The council's public answer (through ``idea_answer``), audited."""
    with transaction.atomic():
        before = idea_state(idea)
        try:
            change = participation.idea_answer(
                idea=idea, outcome=outcome, answer=answer, actor=actor
            )
        except IllegalTransition as exc:
            raise ModerationError(str(exc), code="illegal_status") from exc
        except participation.ParticipationError as exc:
            raise ModerationError(exc.messages, code=exc.code) from exc
        audit_record(
            actor=actor,
            action="idea.answer",
            target=idea,
            before=before,
            after={**idea_state(idea), "answer": idea.public_answer[:2000]},
            reason="",
        )
    return change
