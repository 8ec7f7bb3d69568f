"""Supports: one per person and idea, within a dialogue's vote budget; the counters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .. import handlers, selectors
from ..lifecycle import (
    OPEN_FOR_SUPPORT,
)
from ..models import (
    Channel,
    Idea,
    Person,
    Support,
)

if TYPE_CHECKING:
    # AUTH_USER_MODEL: the model the user foreign keys point to.
    pass

from .common import ParticipationError

# ---------------------------------------------------------------- supports


def support_add(*, idea: Idea, person: Person, channel: str = Channel.WEB) -> tuple[Support, bool]:
    """Support an idea once. A double tap or a concurrent request returns the existing support
    (``created`` False). A merged idea's support goes to the idea it was merged into.

    Raises ParticipationError when the idea no longer takes supports or the dialogue's vote
    budget is used up.
    """
    with transaction.atomic():
        # Lock the person: serialises one person's concurrent supports (budget, double taps).
        Person.objects.select_for_update().filter(pk=person.pk).first()
        with_dialogue = Idea.objects.select_related("dialogue")
        try:
            target = selectors.canonical_of(with_dialogue.get(pk=idea.pk), queryset=with_dialogue)
        except selectors.MergeChainError as exc:
            raise ParticipationError(exc.messages[0], code=exc.code) from exc
        existing = Support.objects.filter(idea=target, person=person).first()
        if existing is not None:
            return existing, False
        if target.status not in OPEN_FOR_SUPPORT or target.hidden_at is not None:
            raise ParticipationError(
                _("Esta idea ya no recibe apoyos (estado: %(status)s).")
                % {"status": target.get_status_display()},
                code="closed",
            )
        dialogue = target.dialogue
        if dialogue is not None and dialogue.dot_budget is not None:
            used = Support.objects.filter(person=person, dialogue=dialogue).count()
            if used >= dialogue.dot_budget:
                raise ParticipationError(
                    _("Ya usaste tus %(n)d votos de «%(dialogue)s». Quita un apoyo para dar otro.")
                    % {"n": dialogue.dot_budget, "dialogue": dialogue.title},
                    code="budget",
                )
        try:
            with transaction.atomic():
                support = Support.objects.create(
                    idea=target, person=person, dialogue=dialogue, channel=channel
                )
        except IntegrityError:
            # Another request won the race (the unique constraint decides): one support.
            return Support.objects.get(idea=target, person=person), False
        Idea.objects.filter(pk=target.pk).update(support_count=F("support_count") + 1)
        handlers.data_changed("support")
    return support, True


def support_remove(*, idea: Idea, person: Person) -> bool:
    with transaction.atomic():
        deleted, _rows = Support.objects.filter(idea=idea, person=person).delete()
        if deleted:
            Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
            handlers.data_changed("support")
    return bool(deleted)


def ideas_recount_supports(*, ideas: Iterable[Idea] | None = None) -> None:
    """Recompute the denormalised support counters (after bulk loads)."""

    qs = Idea.objects.all() if ideas is None else Idea.objects.filter(pk__in=[i.pk for i in ideas])
    counts = (
        Support.objects.filter(idea=OuterRef("pk"))
        .values("idea")
        .annotate(c=Count("id"))
        .values("c")
    )
    qs.update(support_count=Coalesce(Subquery(counts), 0))
    handlers.data_changed("support")
