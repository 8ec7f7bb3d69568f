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

from django.db.models import IntegerField, Value

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from .models import Dialogue, Idea, StatusChange


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
    # True for one idea of a batch that is grouped afterwards, all at once (an import, the
    # demo): nothing is merged or placed on arrival.
    batch: bool = False


# Extra context for an idea's public page: (request, idea) -> {name: value}.
IdeaPageContext = Callable[["HttpRequest", "Idea"], dict[str, Any]]

# Ideas that look like a draft: (title, body, limit) -> [(idea, score 0-100)], best first.
SimilarIdeas = Callable[[str, str, int], list[tuple["Idea", float]]]

_status_changed: list[Callable[[StatusChanged], None]] = []
_similar: list[SimilarIdeas] = []
_routed: list[Callable[[Idea], None]] = []
_idea_page: list[IdeaPageContext] = []
_data_changed: list[Callable[[str], None]] = []
# Where a person lands after logging in: (user) -> a URL, or None to let the next one decide.
Landing = Callable[[Any], "str | None"]
_landing: list[Landing] = []
_submitted: list[Callable[[IdeaSubmitted], None]] = []
# Dialogues annotated with ``attendance``: (queryset) -> queryset.
DialogueAttendance = Callable[["QuerySet[Dialogue]"], "QuerySet[Dialogue]"]
_attendance: list[DialogueAttendance] = []


def on_status_changed(handler: Callable[[StatusChanged], None]) -> None:
    """Call ``handler`` after every recorded status change, inside its transaction."""
    if handler not in _status_changed:
        _status_changed.append(handler)


def on_routed(handler: Callable[[Idea], None]) -> None:
    """Call ``handler`` when an idea is routed to a council, inside the routing's transaction."""
    if handler not in _routed:
        _routed.append(handler)


def on_data_changed(handler: Callable[[str], None]) -> None:
    """Call ``handler(what)`` inside the transaction of any write that changes a public figure
    (``"idea"``, ``"support"``, ``"person"``, ``"hidden"``), e.g. to drop cached aggregates.
    Status changes have their own registry (``on_status_changed``)."""
    if handler not in _data_changed:
        _data_changed.append(handler)


def data_changed(what: str) -> None:
    for handler in _data_changed:
        handler(what)


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


def on_landing(provider: Landing) -> None:
    """Let ``provider`` choose where a user lands after logging in (its role's home page)."""
    if provider not in _landing:
        _landing.append(provider)


def landing_url(user: Any) -> str | None:
    """The first landing page a registered provider gives ``user``; None: the default one."""
    for provider in _landing:
        url = provider(user)
        if url:
            return url
    return None


def provide_similar_ideas(provider: SimilarIdeas) -> None:
    """The duplicate matcher (the moderation app's, the one the bots use) answers
    :func:`similar_ideas`; registered at start-up, the last registration wins."""
    _similar[:] = [provider]


def similar_ideas(title: str, body: str, limit: int) -> list[tuple[Idea, float]]:
    """Ideas that look like this draft, from the registered matcher; none without one."""
    return _similar[0](title, body, limit) if _similar else []


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


def provide_dialogue_attendance(provider: DialogueAttendance) -> None:
    """The dialogues app counts a dialogue's attendance (its session's check-ins) for
    :func:`with_dialogue_attendance`; registered at start-up, the last registration wins."""
    _attendance[:] = [provider]


def with_dialogue_attendance(dialogues: QuerySet[Dialogue]) -> QuerySet[Dialogue]:
    """``dialogues`` annotated with ``attendance`` by the registered provider; 0 without one."""
    if _attendance:
        return _attendance[0](dialogues)
    return dialogues.annotate(attendance=Value(0, output_field=IntegerField()))
