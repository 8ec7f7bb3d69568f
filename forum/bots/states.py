"""Named states of a bot conversation (stored in ``Conversation.state``).

```mermaid
stateDiagram-v2
    [*] --> NEW
    NEW --> AWAITING_CONSENT: any message / start
    AWAITING_CONSENT --> AWAITING_LANGUAGE: accept (Person + ChannelIdentity created)
    AWAITING_CONSENT --> NEW: decline (nothing stored)
    AWAITING_LANGUAGE --> AWAITING_REGION: es / en
    AWAITING_LANGUAGE --> AWAITING_LANGUAGE: an idea typed (kept as data["held"])
    AWAITING_REGION --> AWAITING_REGION: an idea typed (kept as data["held"])
    AWAITING_REGION --> IDLE: one of the 16 regions (button or typed name)
    AWAITING_REGION --> AWAITING_TOPIC: region chosen, an idea was held (continues with it)
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

Before consent nothing the person writes is stored, so an idea sent then is not kept (the bot
says so). After consent, an idea typed at the language or region question is held and the flow
continues with it once the questions are answered; ``/cancelar`` drops it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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

# What ``/mis_datos`` shows for a conversation's state.
LABELS = {
    NEW: _("sin comenzar"),
    AWAITING_CONSENT: _("esperando tu consentimiento"),
    AWAITING_LANGUAGE: _("esperando tu idioma"),
    AWAITING_REGION: _("esperando tu región"),
    IDLE: _("lista para recibir ideas"),
    AWAITING_TOPIC: _("esperando el tema de tu idea"),
    AWAITING_SIMILAR: _("revisando ideas parecidas"),
    CONFIRM_ERASE: _("confirmando el borrado de tus datos"),
}
