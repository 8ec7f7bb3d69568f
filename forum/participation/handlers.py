"""What the apps above participation do when an idea moves, or add to its page: registered at
start-up.

participation is the base domain: notifications and threads stand above it and it cannot call
them. Each registers its handler from ``AppConfig.ready()`` (notifications writes the outbox rows
of a status change, threads opens a routed idea's public thread and shows it on the idea's page).
Handlers of a change run synchronously inside its transaction, so what they write commits or
rolls back with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Idea, StatusChange


@dataclass(frozen=True)
class StatusChanged:
    idea: Idea
    change: StatusChange
    from_status: str
    to_status: str
    public_message: str
    # The system's own explanation (rendered in each reader's language), when there is one.
    system_message: str = ""
    system_params: dict[str, str] = field(default_factory=dict)
    # False when the caller tells the people concerned itself (a merge's own notice).
    notify: bool = True


@dataclass(frozen=True)
class IdeaSubmitted:
    idea: Idea
    # False when the person said their idea differs from the similar ones offered («La mía es
    # distinta»): it must not be merged into an identical one on arrival.
    auto_merge: bool = True


# Extra context for an idea's public page: (request, idea) -> {name: value}.
IdeaPageContext = Callable[["HttpRequest", "Idea"], dict[str, Any]]

_status_changed: list[Callable[[StatusChanged], None]] = []
_routed: list[Callable[[Idea], None]] = []
_idea_page: list[IdeaPageContext] = []
_submitted: list[Callable[[IdeaSubmitted], None]] = []


def on_status_changed(handler: Callable[[StatusChanged], None]) -> None:
    """Call ``handler`` after every recorded status change, inside its transaction."""
    if handler not in _status_changed:
        _status_changed.append(handler)


def on_routed(handler: Callable[[Idea], None]) -> None:
    """Call ``handler`` when an idea is routed to a council, inside the routing's transaction."""
    if handler not in _routed:
        _routed.append(handler)


def on_idea_submitted(handler: Callable[[IdeaSubmitted], None]) -> None:
    """Call ``handler`` after a new idea is stored, inside ``idea_submit``'s transaction (the
    moderation app groups duplicates and merges identical reposts)."""
    if handler not in _submitted:
        _submitted.append(handler)


def submitted(event: IdeaSubmitted) -> None:
    for handler in _submitted:
        handler(event)


def on_idea_page(provider: IdeaPageContext) -> None:
    """Add ``provider``'s names to the context of every idea's public page."""
    if provider not in _idea_page:
        _idea_page.append(provider)


def idea_page_context(request: HttpRequest, idea: Idea) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for provider in _idea_page:
        context.update(provider(request, idea))
    return context


def status_changed(event: StatusChanged) -> None:
    for handler in _status_changed:
        handler(event)


def routed(idea: Idea) -> None:
    for handler in _routed:
        handler(idea)
