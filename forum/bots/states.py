"""Named states of a bot conversation (stored in ``Conversation.state``).

```mermaid
stateDiagram-v2
    [*] --> NEW
    NEW --> AWAITING_CONSENT: any message / start
    AWAITING_CONSENT --> AWAITING_LANGUAGE: accept (Person + ChannelIdentity created)
    AWAITING_CONSENT --> NEW: decline (nothing stored)
    AWAITING_LANGUAGE --> AWAITING_REGION: es / en
    AWAITING_REGION --> IDLE: one of the 16 regions
    IDLE --> AWAITING_TOPIC: text (or photo caption) = idea draft
    AWAITING_TOPIC --> AWAITING_SIMILAR: topic chosen, similar ideas found
    AWAITING_TOPIC --> IDLE: topic chosen, nothing similar (idea_submit, tracking code)
    AWAITING_SIMILAR --> IDLE: apoyar esta (support_add)
    AWAITING_SIMILAR --> IDLE: la mía es distinta (idea_submit, tracking code)
    IDLE --> CONFIRM_ERASE: borrar
    CONFIRM_ERASE --> NEW: yes (personal data erased)
    CONFIRM_ERASE --> IDLE: no
    IDLE --> AWAITING_LANGUAGE: idioma
```

Commands work in every state after consent (``/estado CODE`` also before): ``/estado``
``/status``, ``/mis_ideas``, ``/apoyar CODE``, ``/idioma``, ``/region``, ``/ayuda``,
``/mis_datos``, ``/borrar``, ``/cancelar``. A command interrupts a draft (the draft is dropped
with a notice).
"""

from __future__ import annotations

NEW = "new"
AWAITING_CONSENT = "awaiting_consent"
AWAITING_LANGUAGE = "awaiting_language"
AWAITING_REGION = "awaiting_region"
IDLE = "idle"
AWAITING_TOPIC = "awaiting_topic"
AWAITING_SIMILAR = "awaiting_similar"
CONFIRM_ERASE = "confirm_erase"

ALL = (
    NEW,
    AWAITING_CONSENT,
    AWAITING_LANGUAGE,
    AWAITING_REGION,
    IDLE,
    AWAITING_TOPIC,
    AWAITING_SIMILAR,
    CONFIRM_ERASE,
)
