"""A new idea arrives: an identical repost is merged into its twin by the system at once, any
other idea is placed in a proposed duplicate group (docs/moderation.md, "Merged on arrival")."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.translation import gettext as _

from forum.participation import handlers
from forum.participation.models import Channel, Idea, Person

from ..models import Merge
from .common import ModerationError
from .groups import group_place, identical_twin, status_changed
from .merge import idea_merge
from .unmerge import idea_unmerge

log = logging.getLogger(__name__)


def auto_merge_enabled() -> bool:
    """``AUTO_MERGE_IDENTICAL`` (settings; env ``AUTO_MERGE_IDENTICAL=0`` switches it off)."""
    return bool(getattr(settings, "AUTO_MERGE_IDENTICAL", True))


def idea_arrived(event: handlers.IdeaSubmitted) -> None:
    """``participation.handlers.on_idea_submitted``: merge an identical repost into its twin
    (actor: the system; audited, undoable), or place the new idea in a group."""
    idea = event.idea
    if idea.channel == Channel.IMPORT or event.batch:
        # A bulk import or a batch: ``manage.py regroup`` (``groups_place_ungrouped``) groups
        # them afterwards at once, with the index caught up once.
        return
    if event.auto_merge and auto_merge_enabled():
        twin = identical_twin(idea)
        if twin is not None:
            try:
                idea_merge(
                    canonical=twin,
                    merged=[idea],
                    actor=None,
                    reason=_("Texto idéntico a una idea existente: fusión automática al llegar."),
                    auto=True,
                )
                return
            except ModerationError:
                log.info("automatic merge of %s into %s refused", idea.pk, twin.pk)
    group_place(idea=idea)


def auto_merge_of(idea: Idea) -> Merge | None:
    """The system's live merge of ``idea`` on arrival, if that is what holds it."""
    return Merge.objects.filter(
        merged=idea, undone_at__isnull=True, actor__isnull=True, snapshot__auto=True
    ).first()


def idea_declare_distinct(*, idea: Idea, person: Person) -> Idea:
    """The author's «Mi idea es distinta»: undo the system's merge of their idea on arrival; the
    idea goes back to the moderators' queue, grouped with the idea it was merged into so a
    moderator decides. Refused (ModerationError) for someone else's idea or an idea a moderator
    merged."""
    if idea.author_id != person.pk:
        raise ModerationError(_("Solo quien envió la idea puede separarla."), code="not_author")
    if auto_merge_of(idea) is None:
        raise ModerationError(
            _("Esta idea no está fusionada automáticamente; ya la revisa el equipo de moderación."),
            code="not_auto_merged",
        )
    return idea_unmerge(
        merged_idea=idea,
        actor=None,
        reason=_("Quien envió la idea dice que es distinta de aquella en que se fusionó."),
    )


def register() -> None:
    handlers.on_idea_submitted(idea_arrived)
    handlers.on_status_changed(status_changed)
