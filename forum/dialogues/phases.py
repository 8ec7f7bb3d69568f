"""The four phases of a dialogue and the transitions allowed between them (pure; no Django
models). ``services.dialogue_advance`` applies one after its own checks.

```mermaid
stateDiagram-v2
    guidelines --> planning: topics or guiding questions set
    planning --> realisation: agenda and tables published
    realisation --> celebration: people checked in and ideas to show
```

Moving back is not a transition: a dialogue that must start again is a new dialogue.
"""

from __future__ import annotations

GUIDELINES = "guidelines"
PLANNING = "planning"
REALISATION = "realisation"
CELEBRATION = "celebration"

ORDER: tuple[str, ...] = (GUIDELINES, PLANNING, REALISATION, CELEBRATION)

ALLOWED: dict[str, frozenset[str]] = {
    GUIDELINES: frozenset({PLANNING}),
    PLANNING: frozenset({REALISATION}),
    REALISATION: frozenset({CELEBRATION}),
    CELEBRATION: frozenset(),
}


def is_allowed(from_phase: str, to_phase: str) -> bool:
    return to_phase in ALLOWED.get(from_phase, frozenset())


def next_phase(phase: str) -> str | None:
    """The one phase a dialogue in ``phase`` may move to (None at the end)."""
    following = ALLOWED.get(phase, frozenset())
    return next(iter(following)) if following else None


def index(phase: str) -> int:
    return ORDER.index(phase) if phase in ORDER else -1
