"""Each kind of notification survives the trip through the database's JSON, and rows written
by earlier code still read and render."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from forum.notifications.kinds import (
    KINDS,
    ContactConsent,
    DialoguePhase,
    DialogueResults,
    DialogueSurvey,
    Hidden,
    Invitation,
    Merged,
    Restored,
    StatusChanged,
    ThreadPost,
    ThreadReply,
    UnknownNotice,
    Unmerged,
    notice_of,
)
from forum.notifications.models import Notification
from forum.notifications.render import render_notification

K = Notification.Kind
WHEN = dt.datetime(2026, 11, 23, 22, 52, tzinfo=dt.UTC)

EXAMPLES = [
    StatusChanged(
        code="ABCD2345",
        title="Más OTEC en Aysén",
        from_status="in_review",
        to_status="routed",
        message="",
        system_message="routed",
        system_params={"council": "Consejo de Aysén"},
        change_id=41,
    ),
    StatusChanged(code="ABCD2345", title="Más OTEC", to_status="received", message="Gracias"),
    Merged(
        code="AAAA1111",
        canonical_code="BBBB2222",
        title="Curso de señas",
        canonical_title="Lengua de señas en OTEC",
        reason="Misma propuesta",
    ),
    Unmerged(
        code="AAAA1111",
        canonical_code="BBBB2222",
        title="Curso de señas",
        to_status="in_review",
        reason="Eran distintas",
    ),
    Hidden(code="AAAA1111", title="Curso de señas", reason="Datos personales"),
    Restored(title="Mi mensaje", reason="Revisado", post_id=91, thread_id=7),
    ThreadPost(thread_id=3, thread_title="Foro Biobío", post_id=12, excerpt="¿Cuándo?"),
    ThreadReply(thread_id=3, thread_title="Foro Biobío", post_id=13, excerpt="En marzo."),
    DialoguePhase(slug="dialogo-biobio", title="Diálogo Biobío", phase="planning"),
    DialogueSurvey(slug="dialogo-biobio", title="Diálogo Biobío", token="abc:def", dialogue_id=4),
    DialogueResults(
        slug="dialogo-biobio",
        title="Diálogo Biobío",
        summary="El consejo responde en marzo.",
        routed=[
            {"code": "AAAA1111", "title": "OTEC", "council": "Consejo", "due": "2027-03-01"},
            {"code": "BBBB2222", "title": "Señas", "council": "Consejo", "due": ""},
        ],
    ),
    Invitation(
        token="AbCdEfGh1234",
        space="Diálogo de Empleabilidad del Maule",
        organisation="Viña Los Robles",
        date="2026-11-05",
        place="Talca",
        path="/convocatoria/dialogos/dialogo-maule/",
        reminder=False,
        answer_path="/convocatoria/invitacion/AbCdEfGh1234/",
    ),
    ContactConsent(
        token="ZyXwVuTs9876",
        proposer="Gerencia Viña Los Robles",
        space="Diálogo de Empleabilidad del Maule",
        organisation="Viña Los Robles",
        date="2026-11-05",
        path="/convocatoria/consentimiento/ZyXwVuTs9876/",
    ),
]


def _row(kind, payload):
    # Unsaved: rendering needs no database.
    return Notification(kind=kind, payload=payload, created_at=WHEN)


def test_every_kind_has_its_class_and_an_example():
    assert set(KINDS) == {k.value for k in K}
    assert {type(n).kind for n in EXAMPLES} == set(KINDS)


@pytest.mark.parametrize("notice", EXAMPLES, ids=lambda n: f"{n.kind}")
def test_round_trip_through_json_and_render_in_both_languages(notice):
    stored = json.loads(json.dumps(notice.to_payload()))

    again = type(notice).from_payload(stored)
    assert again == notice
    assert notice_of(notice.kind, stored) == notice

    es = render_notification(_row(notice.kind, stored), "es")
    en = render_notification(_row(notice.kind, stored), "en")
    assert es.subject
    assert en.subject
    assert es.subject != en.subject
    assert es.text.endswith(f"Ver más: {es.url}")
    assert en.text.endswith(f"See more: {en.url}")
    assert es.url == en.url
    assert es.url.startswith("http://127.0.0.1:8000/")
    assert es.tracking_code == notice.tracking_code


def test_a_row_written_by_the_earlier_code_still_renders():
    # A status change's payload exactly as notify_status_changed wrote it before the kinds had
    # classes (a system message, its parameters, the change's id).
    old = {
        "code": "ABCD2345",
        "title": "Más OTEC en Aysén",
        "from": "in_review",
        "to": "routed",
        "message": "",
        "system_message": "routed",
        "system_params": {"council": "Consejo de Aysén"},
        "change_id": 41,
    }
    notice = notice_of(K.STATUS_CHANGED, old)
    assert notice == EXAMPLES[0]
    assert notice.to_payload() == old

    es = render_notification(_row(K.STATUS_CHANGED, old), "es")
    en = render_notification(_row(K.STATUS_CHANGED, old), "en")
    assert es.subject == "Idea ABCD-2345: Derivada a un consejo"
    assert "Mensaje público: Tu idea fue derivada al Consejo de Aysén." in es.text
    assert en.subject == "Idea ABCD-2345: Referred to a council"
    assert "Public message: Your idea was referred to Consejo de Aysén." in en.text
    assert es.url == "http://127.0.0.1:8000/ideas/ABCD2345/"


def test_rows_written_by_earlier_producers_keep_their_keys():
    # What moderation and threads stored before: the same JSON comes back out.
    rows = {
        K.MERGED: {
            "code": "AAAA1111",
            "canonical_code": "BBBB2222",
            "title": "T",
            "canonical_title": "C",
            "reason": "",
        },
        K.HIDDEN: {"reason": "spam", "title": "Mi mensaje", "post_id": 91, "thread_id": 7},
        K.RESTORED: {"reason": "", "title": "T", "code": "AAAA1111"},
        K.THREAD_POST: {"thread_id": 3, "thread_title": "t", "post_id": 12, "excerpt": "e"},
    }
    for kind, payload in rows.items():
        assert notice_of(kind, payload).to_payload() == payload


def test_an_unknown_kind_or_a_mangled_row_renders_something_safe():
    unknown = render_notification(_row("poll_opened", {"title": "Encuesta", "x": [1]}), "es")
    assert unknown.subject == "poll_opened"
    assert "«Encuesta»" in unknown.text
    assert isinstance(notice_of("poll_opened", {}), UnknownNotice)

    mangled = render_notification(_row(K.THREAD_REPLY, ["not", "a", "dict"]), "en")
    assert mangled.subject.startswith("Someone replied")
    odd = notice_of(K.HIDDEN, {"title": None, "thread_id": "x", "post_id": "12"})
    assert odd == Hidden(post_id=12)


def test_an_invitation_renders_its_answer_buttons_in_the_readers_language():
    notice = EXAMPLES[-2]
    es = render_notification(_row(notice.kind, notice.to_payload()), "es")
    en = render_notification(_row(notice.kind, notice.to_payload()), "en")
    assert [label for label, _data in es.buttons] == [
        "Asistiré",
        "No puedo",
        "Propongo a otra persona",
    ]
    assert [data for _label, data in en.buttons] == [
        "cv:AbCdEfGh1234:yes",
        "cv:AbCdEfGh1234:no",
        "cv:AbCdEfGh1234:other",
    ]
    assert "Viña Los Robles" in en.text
    assert en.url.endswith("/convocatoria/dialogos/dialogo-maule/")


def test_a_contact_consent_request_says_who_proposed_and_links_its_page():
    notice = EXAMPLES[-1]
    en = render_notification(_row(notice.kind, notice.to_payload()), "en")
    assert "Gerencia Viña Los Robles" in en.text
    assert "Law 21.719" in en.text
    assert en.url.endswith("/convocatoria/consentimiento/ZyXwVuTs9876/")
    assert [label for label, _data in en.buttons] == ["I agree", "I don't agree"]
    assert [data for _label, data in en.buttons] == ["cc:ZyXwVuTs9876:yes", "cc:ZyXwVuTs9876:no"]
