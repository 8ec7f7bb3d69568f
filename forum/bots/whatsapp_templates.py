"""WhatsApp message templates: what Meta accepts outside the 24-hour customer-service window.

- The **push template** (``WHATSAPP_PUSH_TEMPLATE``): any notice, as the idea's code and the news
  on one line.
- **Templates with quick-reply buttons**, one per notice kind that has answer buttons: the
  convocation's invitation (``WHATSAPP_INVITATION_TEMPLATE``: «Asistiré», «No puedo», «Propongo a
  otra persona», payloads ``cv:<token>:yes|no|other``) and the consent request of a person
  proposed in someone's place (``WHATSAPP_CONSENT_TEMPLATE``: «Acepto», «No acepto», payloads
  ``cc:<token>:yes|no``). The button labels are registered with the template; each message
  carries its payloads, and a press comes back to the webhook as a ``button`` message with that
  payload (:func:`forum.bots.whatsapp.to_incoming`), answered by the engine like any button.

``manage.py whatsapp_push_template`` submits those configured for Meta's review; docs/bots.md
shows the texts for registering them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from django.utils import translation

from forum.notifications import kinds


@dataclass(frozen=True)
class ButtonTemplate:
    setting: str  # the setting that names the approved template
    bodies: dict[str, str]  # per language; {{1}} is the notice's text on one line
    examples: dict[str, str]


BUTTON_TEMPLATES = {
    "invitation": ButtonTemplate(
        setting="WHATSAPP_INVITATION_TEMPLATE",
        bodies={
            "es": "Invitación de Foro Abierto: {{1}} Responde con los botones.",
            "en": "Invitation from Foro Abierto: {{1}} Answer with the buttons.",
        },
        examples={
            "es": "Invitamos a Viña Los Robles a «Diálogo del Maule», el 2026-11-05.",
            "en": "We invite Viña Los Robles to «Maule dialogue» on 2026-11-05.",
        },
    ),
    "contact_consent": ButtonTemplate(
        setting="WHATSAPP_CONSENT_TEMPLATE",
        bodies={
            "es": "Foro Abierto: {{1}} Responde con los botones.",
            "en": "Foro Abierto: {{1}} Answer with the buttons.",
        },
        examples={
            "es": "Ana Díaz, de Viña Los Robles, te propuso para asistir a «Diálogo del Maule».",
            "en": "Ana Díaz, of Viña Los Robles, proposed you to attend «Maule dialogue».",
        },
    ),
}


def button_template(kind: str) -> str:
    """The approved template with quick-reply buttons for a notice kind ("" if none is set)."""
    spec = BUTTON_TEMPLATES.get(kind)
    return str(getattr(settings, spec.setting, "") or "") if spec else ""


def labels(kind: str, language: str) -> list[str]:
    """The kind's button labels in ``language``: the same the bots' pushes show."""
    sample = "x"  # any token: only the labels are read
    notice = kinds.KINDS[kind](token=sample)  # type: ignore[call-arg]
    with translation.override(language):
        return [label for label, _data in notice.buttons()]


# The push template's body per language, as registered with Meta ("utility" category):
# {{1}} the idea's tracking code, {{2}} the news on one line. ``whatsapp_push_template``
# submits them; docs/bots.md shows them for registering by hand in WhatsApp Manager.
PUSH_TEMPLATE_BODIES = {
    "es": "Novedades sobre la idea {{1}} en Foro Abierto: {{2}} "
    "Responde a este mensaje para ver el detalle.",
    "en": "News about idea {{1}} on Foro Abierto: {{2}} Reply to this message to see the details.",
}
PUSH_TEMPLATE_EXAMPLES = {
    "es": ["WF41-51RJ", "La idea pasó de «Recibida» a «En revisión»."],
    "en": ["WF41-51RJ", "The idea moved from “Received” to “Under review”."],
}
# Graph API: this template name and language already exist (error 100, subcode 2388024).
TEMPLATE_EXISTS_SUBCODE = 2388024


def create_push_template(
    base_url: str, business_account_id: str, token: str, name: str, ours: str, theirs: str
) -> tuple[str, str]:
    """Submit the push template in one language for Meta's review. Returns (outcome, detail):
    ``created`` with its review status, ``exists``, or ``failed`` with Meta's message."""
    component: dict[str, Any] = {
        "type": "BODY",
        "text": PUSH_TEMPLATE_BODIES[ours],
        "example": {"body_text": [PUSH_TEMPLATE_EXAMPLES[ours]]},
    }
    return _submit(base_url, business_account_id, token, name, theirs, [component])


def create_button_template(
    base_url: str, business_account_id: str, token: str, kind: str, ours: str, theirs: str
) -> tuple[str, str]:
    """Submit one kind's template with quick-reply buttons (:data:`BUTTON_TEMPLATES`) in one
    language, as :func:`create_push_template` does."""
    spec = BUTTON_TEMPLATES[kind]
    components: list[dict[str, Any]] = [
        {
            "type": "BODY",
            "text": spec.bodies[ours],
            "example": {"body_text": [[spec.examples[ours]]]},
        },
        {
            "type": "BUTTONS",
            "buttons": [{"type": "QUICK_REPLY", "text": label} for label in labels(kind, ours)],
        },
    ]
    return _submit(base_url, business_account_id, token, button_template(kind), theirs, components)


def _submit(
    base_url: str,
    business_account_id: str,
    token: str,
    name: str,
    theirs: str,
    components: list[dict[str, Any]],
) -> tuple[str, str]:
    body = {"name": name, "language": theirs, "category": "UTILITY", "components": components}
    url = f"{base_url.rstrip('/')}/{business_account_id}/message_templates"
    try:
        response = httpx.post(
            url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=15
        )
    except httpx.HTTPError as exc:
        return "failed", f"{type(exc).__name__}: {exc}"
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if response.status_code < 300:
        return "created", str(answer.get("status", ""))
    error = answer.get("error") or {}
    if error.get("error_subcode") == TEMPLATE_EXISTS_SUBCODE:
        return "exists", str(error.get("message", ""))
    return "failed", f"HTTP {response.status_code}: {error.get('message', response.text[:200])}"
