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
    IDLE --> AWAITING_TOPIC: text (or photo caption) of four words or more = idea draft
    IDLE --> IDLE: greeting, thanks, help, a plain request (intents.py: «¿cómo va ABCD-1234?»)
    IDLE --> CONFIRM_IDEA: a short text or question (asked: is it an idea?)
    CONFIRM_IDEA --> AWAITING_TOPIC: yes (the text becomes the draft)
    CONFIRM_IDEA --> IDLE: no, cancelar
    AWAITING_TOPIC --> AWAITING_SIMILAR: topic chosen, similar ideas found
    AWAITING_TOPIC --> IDLE: topic chosen, nothing similar (idea_submit, tracking code)
    AWAITING_SIMILAR --> IDLE: apoyar esta (support_add)
    AWAITING_SIMILAR --> IDLE: la mía es distinta (idea_submit, tracking code)
    IDLE --> RATE_LIMITED: an idea over the rate limit (kept as data["draft"])
    AWAITING_TOPIC --> RATE_LIMITED: nothing similar, over the limit (draft + topic kept)
    AWAITING_SIMILAR --> RATE_LIMITED: la mía es distinta, over the limit (draft + topic kept)
    RATE_LIMITED --> RATE_LIMITED: enviar mi idea too soon, or a new text (replaces the draft)
    RATE_LIMITED --> AWAITING_TOPIC: enviar mi idea after the wait (no topic chosen yet)
    RATE_LIMITED --> IDLE: enviar mi idea after the wait, topic chosen (idea_submit)
    RATE_LIMITED --> IDLE: descartar / cancelar
    RATE_LIMITED --> AWAITING_LANGUAGE: idioma (draft held as data["held"]; /region likewise)
    IDLE --> CONFIRM_ERASE: borrar
    CONFIRM_ERASE --> NEW: yes (personal data erased)
    CONFIRM_ERASE --> IDLE: no
    IDLE --> AWAITING_LANGUAGE: idioma
    any --> DELEGATE_NAME: an invitation's «Propongo a otra persona» (the state is kept aside)
    DELEGATE_NAME --> DELEGATE_REACH: a name
    DELEGATE_REACH --> any: an e-mail or WhatsApp number (invitation_delegate), or /cancelar
```

Commands work in every state after consent (``/estado CODE`` also before): ``/estado``
``/status``, ``/mis_ideas``, ``/apoyar CODE``, ``/idioma``, ``/region``, ``/ayuda``,
``/mis_datos``, ``/borrar``, ``/cancelar``. A command interrupts a draft at the topic or
similar-ideas question (the draft is dropped with a notice).

The per-person rate limit (``BOTS_SUBMISSIONS_PER_WINDOW`` ideas per
``BOTS_SUBMISSION_WINDOW_SECONDS``) never drops an idea: it is kept as the draft (RATE_LIMITED)
with the minutes until the oldest idea in the window leaves it, and buttons *Enviar mi idea*
(``send``: refused again while still limited, else on from where it stopped) and *Descartar*
(``drop``, like ``/cancelar``). A new text replaces it, as it replaces any draft. Commands that
only read (``/estado``, ``/mis_ideas``, ``/apoyar``…) leave it kept; ``/idioma`` and ``/region``
hold it through their question like an idea typed there; ``/borrar`` drops it.

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
CONFIRM_IDEA = "confirm_idea"
RATE_LIMITED = "rate_limited"
# «Propongo a otra persona de mi organización»: asking the other person's name, then how to
# reach them. Works before the privacy notice too (the invitee consented as a contact); the
# state it interrupted is kept in ``data["delegate"]`` and restored after.
DELEGATE_NAME = "delegate_name"
DELEGATE_REACH = "delegate_reach"
DELEGATING = (DELEGATE_NAME, DELEGATE_REACH)

ALL = (
    NEW,
    AWAITING_CONSENT,
    AWAITING_LANGUAGE,
    AWAITING_REGION,
    IDLE,
    AWAITING_TOPIC,
    AWAITING_SIMILAR,
    CONFIRM_ERASE,
    CONFIRM_IDEA,
    RATE_LIMITED,
    DELEGATE_NAME,
    DELEGATE_REACH,
)

# States whose ``data["draft"]`` is an idea on its way: a new text replaces it.
WITH_DRAFT = (AWAITING_TOPIC, AWAITING_SIMILAR, RATE_LIMITED)

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
    RATE_LIMITED: _("guardando tu idea hasta que puedas enviarla"),
    CONFIRM_IDEA: _("preguntando si tu mensaje es una idea"),
    DELEGATE_NAME: _("esperando el nombre de la persona que propones"),
    DELEGATE_REACH: _("esperando el contacto de la persona que propones"),
}
