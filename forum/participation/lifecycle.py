"""The public lifecycle of an idea: statuses and the table of allowed transitions.

```mermaid
stateDiagram-v2
    [*] --> received
    received --> in_review
    received --> merged
    received --> not_admitted
    in_review --> merged
    in_review --> routed
    in_review --> not_admitted
    routed --> on_agenda
    routed --> merged
    routed --> answered_accepted
    routed --> answered_partly
    routed --> answered_rejected
    on_agenda --> answered_accepted
    on_agenda --> answered_partly
    on_agenda --> answered_rejected
    not_admitted --> in_review: reconsidered
    merged --> received: unmerge restores
    merged --> in_review: unmerge restores
    merged --> routed: unmerge restores
    answered_accepted --> implemented
    answered_partly --> implemented
```

``merged`` is left only by an unmerge, which restores the status the idea had before.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdeaStatus(models.TextChoices):
    RECEIVED = "received", _("Recibida")
    IN_REVIEW = "in_review", _("En revisión")
    MERGED = "merged", _("Fusionada con otra idea")
    ROUTED = "routed", _("Derivada a un consejo")
    NOT_ADMITTED = "not_admitted", _("No admitida")
    ON_AGENDA = "on_agenda", _("En la agenda del consejo")
    ANSWERED_ACCEPTED = "answered_accepted", _("Respondida: acogida")
    ANSWERED_PARTLY = "answered_partly", _("Respondida: acogida en parte")
    ANSWERED_REJECTED = "answered_rejected", _("Respondida: no acogida")
    IMPLEMENTED = "implemented", _("Implementada")


class SystemMessage(models.TextChoices):
    """History messages the system writes itself (not a person): pages show them translated.

    Some take parameters (``StatusChange.system_params``), filled in as they were when the
    message was written: a council or dialogue renamed later keeps its old name here.
    """

    RECEIVED = "received", _("Idea recibida.")
    IN_REVIEW = "in_review", _("En revisión.")
    # Every council's name starts with «Consejo»: «derivada al Consejo Regional…».
    ROUTED = "routed", _("Tu idea fue derivada al %(council)s.")
    ON_AGENDA = "on_agenda", _("En la agenda de «%(dialogue)s».")
    MERGED = "merged", _("Fusionada con %(code)s.")
    MERGE_UNDONE = "merge_undone", _("Fusión con %(code)s deshecha.")
    # On the canonical idea: an idea merged into it, and that merge undone (no status change).
    ABSORBED = "absorbed", _("Se le fusionó la idea %(code)s, con sus apoyos.")
    ABSORBED_UNDONE = "absorbed_undone", _("Se deshizo la fusión de la idea %(code)s.")


def system_message_text(key: str, params: Mapping[str, str] | None = None) -> str:
    """A system message in the active language; raises ValueError for an unknown key and
    KeyError for a missing parameter."""
    label = str(SystemMessage(key).label)
    return label % dict(params or {})


def shown_message(key: str | None, params: Mapping[str, str] | None, stored: str) -> str:
    """A status change's public message as a reader sees it: a system message in the active
    language, what a person typed (``stored``) as typed. A key or parameters this code no
    longer knows fall back to the stored text."""
    if key:
        try:
            return system_message_text(key, params)
        except (KeyError, TypeError, ValueError):
            pass
    return stored


S = IdeaStatus
ANSWERS = frozenset({S.ANSWERED_ACCEPTED, S.ANSWERED_PARTLY, S.ANSWERED_REJECTED})

TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.IN_REVIEW, S.MERGED, S.NOT_ADMITTED}),
    S.IN_REVIEW: frozenset({S.MERGED, S.ROUTED, S.NOT_ADMITTED}),
    S.ROUTED: frozenset({S.ON_AGENDA, S.MERGED}) | ANSWERS,
    S.ON_AGENDA: ANSWERS,
    S.NOT_ADMITTED: frozenset({S.IN_REVIEW}),
    S.MERGED: frozenset({S.RECEIVED, S.IN_REVIEW, S.ROUTED}),
    S.ANSWERED_ACCEPTED: frozenset({S.IMPLEMENTED}),
    S.ANSWERED_PARTLY: frozenset({S.IMPLEMENTED}),
    S.ANSWERED_REJECTED: frozenset(),
    S.IMPLEMENTED: frozenset(),
}

# Statuses that only dedicated services may move an idea to, because the move carries more
# than a status (a merge moves supports, a route sets the council): each status and the public
# services that may apply it, through ``services.idea_transition_reserved(by=...)``. The plain
# ``idea_transition`` refuses them. An unmerge puts back the status the idea had, routed too.
RESERVED: dict[str, frozenset[str]] = {
    S.MERGED: frozenset({"idea_merge"}),
    S.ROUTED: frozenset({"idea_route", "idea_unmerge"}),
}
# Statuses that require a public message explaining them.
NEEDS_MESSAGE = frozenset({S.NOT_ADMITTED}) | ANSWERS
# Statuses that show the council's answer.
OPEN_FOR_SUPPORT = frozenset({S.RECEIVED, S.IN_REVIEW, S.ROUTED, S.ON_AGENDA})


class IllegalTransition(Exception):
    """Raised when an idea is asked to move to a status its current one does not lead to."""

    def __init__(self, from_status: str, to_status: str) -> None:
        self.from_status = from_status
        self.to_status = to_status
        allowed = ", ".join(str(IdeaStatus(s).label) for s in sorted(TRANSITIONS[from_status]))
        super().__init__(
            _(
                "Una idea en estado «%(from)s» no puede pasar a «%(to)s». "
                "Estados posibles: %(allowed)s."
            )
            % {
                "from": IdeaStatus(from_status).label,
                "to": IdeaStatus(to_status).label,
                "allowed": allowed or _("ninguno (estado final)"),
            }
        )


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS[status]


def check_transition(from_status: str, to_status: str) -> None:
    if to_status not in TRANSITIONS.get(from_status, frozenset()):
        raise IllegalTransition(from_status, to_status)
