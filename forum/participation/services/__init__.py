"""Writes of the participation domain. Views, consumers, bots and commands call these.

Every service runs in ``transaction.atomic``; notifications go to the outbox in the same
transaction (through ``handlers``), real-time events are published after commit. One module per
area; callers import this package (``from forum.participation import services``):

- ``ideas``: ``idea_submit``, ``idea_transition`` (the one place a status changes) and
  ``idea_transition_reserved``, ``idea_set_status``, ``idea_route``, ``idea_answer``
- ``supports``: ``support_add``, ``support_remove``, ``ideas_recount_supports``
- ``people``: accounts, preferences, channel identities, «Mis datos» rectification and erasure
- ``common``: ``Actor``, ``ParticipationError``
"""

from .common import Actor, ParticipationError, actor_user, hide_reason_clean
from .ideas import (
    idea_answer,
    idea_history_note,
    idea_recipient_ids,
    idea_recipients,
    idea_route,
    idea_set_status,
    idea_submit,
    idea_transition,
    idea_transition_reserved,
    split_title,
)
from .people import (
    account_activate,
    account_erase,
    account_signup,
    account_update,
    identity_mark_reachable,
    identity_mark_unreachable,
    person_anonymise,
    person_for_user,
    person_update_preferences,
)
from .supports import ideas_recount_supports, support_add, support_remove

__all__ = [
    "Actor",
    "ParticipationError",
    "account_activate",
    "account_erase",
    "account_signup",
    "account_update",
    "actor_user",
    "hide_reason_clean",
    "idea_answer",
    "idea_history_note",
    "idea_recipient_ids",
    "idea_recipients",
    "idea_route",
    "idea_set_status",
    "idea_submit",
    "idea_transition",
    "idea_transition_reserved",
    "ideas_recount_supports",
    "identity_mark_reachable",
    "identity_mark_unreachable",
    "person_anonymise",
    "person_for_user",
    "person_update_preferences",
    "split_title",
    "support_add",
    "support_remove",
]
