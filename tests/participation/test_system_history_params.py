"""The system's history messages with parameters follow the reader's language.

«Tu idea fue derivada a %(council)s.», «En la agenda de «%(dialogue)s».», «Fusionada con
%(code)s.» and «Fusión con %(code)s deshecha.» used to be stored as Spanish text and shown so on
English pages, in the bot's /estado and in the API. The stored text stays Spanish.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from forum.bots import engine
from forum.bots.messages import Incoming
from forum.bots.models import Conversation
from forum.moderation.services import idea_merge, idea_route_cluster, idea_unmerge
from forum.participation.lifecycle import IdeaStatus, SystemMessage
from forum.participation.models import StatusChange
from tests import factories

pytestmark = pytest.mark.django_db

TYPED = "La secretaría del Biobío la revisará en su próxima sesión."


def _scenario() -> dict:
    """Four ideas whose last message is each of the four, made by a moderator browsing in
    English (the stored text must still be Spanish)."""
    council = factories.council()
    dialogue = factories.dialogue(title="Mesa de empleo de Lota", council=council)
    routed = factories.idea(title="Cursos de soldadura en Coronel")
    on_agenda = factories.idea(title="Becas para operadores de grúa")
    canonical = factories.idea(title="Talleres de electricidad")
    merged = factories.idea(title="Cursos de electricidad")
    unmerged = factories.idea(title="Electricidad básica")
    with translation.override("en"):
        idea_route_cluster(idea=routed, council=council, actor=None)
        idea_route_cluster(idea=on_agenda, council=council, actor=None, agenda_dialogue=dialogue)
        idea_merge(canonical=canonical, merged=[merged, unmerged], actor=None)
        unmerged.refresh_from_db()
        idea_unmerge(merged_idea=unmerged, actor=None, reason="No era la misma propuesta")
    code = canonical.formatted_code
    return {
        "council": council,
        "ideas": {"routed": routed, "on_agenda": on_agenda, "merged": merged, "unmerged": unmerged},
        "es": {
            "routed": f"Tu idea fue derivada al {council.name}.",
            "on_agenda": "En la agenda de «Mesa de empleo de Lota».",
            "merged": f"Fusionada con {code}.",
            "unmerged": f"Fusión con {code} deshecha.",
        },
        "en": {
            "routed": f"Your idea was referred to {council.name}.",
            "on_agenda": "On the agenda of “Mesa de empleo de Lota”.",
            "merged": f"Merged with {code}.",
            "unmerged": f"Merge with {code} undone.",
        },
    }


def _page(client, idea, language):
    url = reverse("participation:idea_detail", args=[idea.formatted_code])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_public_history_shows_each_system_message_in_the_page_language(client):
    s = _scenario()
    for name, idea in s["ideas"].items():
        english = _page(client, idea, "en")
        assert s["en"][name] in english, name
        assert s["es"][name] not in english, name
        assert s["es"][name] in _page(client, idea, "es"), name


def test_status_page_history_translates_them_too(client):
    s = _scenario()
    user = factories.user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_idea"))
    client.force_login(user)
    idea = s["ideas"]["on_agenda"]
    url = reverse("participation:idea_status", args=[idea.formatted_code])

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert s["en"]["routed"] in english
    assert s["en"]["on_agenda"] in english
    assert "Tu idea fue derivada" not in english


def test_stored_text_stays_spanish_with_its_key_and_parameters():
    s = _scenario()
    keys = {
        "routed": SystemMessage.ROUTED,
        "on_agenda": SystemMessage.ON_AGENDA,
        "merged": SystemMessage.MERGED,
        "unmerged": SystemMessage.MERGE_UNDONE,
    }
    for name, idea in s["ideas"].items():
        last = StatusChange.objects.filter(idea=idea).last()
        assert last is not None
        assert last.system_message == keys[name]
        assert last.public_message == s["es"][name]
    routed = StatusChange.objects.get(idea=s["ideas"]["routed"], to_status=IdeaStatus.ROUTED)
    assert routed.system_params == {"council": s["council"].name}


def test_a_renamed_council_keeps_its_name_of_the_day(client):
    s = _scenario()
    name = s["council"].name
    type(s["council"]).objects.filter(pk=s["council"].pk).update(name="Consejo renombrado")

    assert f"Your idea was referred to {name}." in _page(client, s["ideas"]["routed"], "en")


def test_a_typed_routing_message_is_shown_as_typed(client):
    idea = factories.idea()
    with translation.override("en"):
        idea_route_cluster(idea=idea, council=factories.council(), actor=None, public_message=TYPED)
    change = StatusChange.objects.get(idea=idea, to_status=IdeaStatus.ROUTED)
    assert (change.system_message, change.public_message) == ("", TYPED)
    assert TYPED in _page(client, idea, "en")
    assert "Your idea was referred" not in _page(client, idea, "en")


def _estado(idea, language: str) -> str:
    person = factories.person(language=language)
    external_id = f"chat-{language}-{idea.pk}"
    factories.identity(person, "webchat", external_id)
    Conversation.objects.create(
        channel="webchat", external_id=external_id, person=person, state="idle"
    )
    replies = engine.handle(
        Incoming(channel="webchat", external_id=external_id, text=f"/estado {idea.tracking_code}")
    )
    return "\n".join(r.text for r in replies)


def test_bot_status_shows_the_last_system_message_in_the_conversation_language():
    s = _scenario()
    for name, idea in s["ideas"].items():
        english = _estado(idea, "en")
        assert s["en"][name] in english, (name, english)
        assert s["es"][name] not in english, name
        assert s["es"][name] in _estado(idea, "es"), name


def test_bot_status_shows_a_typed_message_as_typed():
    idea = factories.idea()
    idea_route_cluster(idea=idea, council=factories.council(), actor=None, public_message=TYPED)
    assert TYPED in _estado(idea, "en")


def _api_messages(client, idea, language=None) -> list[str]:
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = client.get(f"/api/ideas/{idea.tracking_code}", **headers)
    assert response.status_code == 200, response.content
    return [entry["public_message"] for entry in response.json()["history"]]


def test_api_history_uses_the_request_language_for_system_messages(client):
    s = _scenario()
    for name, idea in s["ideas"].items():
        if name == "merged":
            continue  # a merged idea is still public, checked below through the same path
        english = _api_messages(client, idea, "en")
        assert english[-1] == s["en"][name], name
        assert english[0] == "Idea received."
        assert _api_messages(client, idea, "es")[-1] == s["es"][name]
        assert _api_messages(client, idea)[-1] == s["es"][name]  # no header: Spanish as before
    merged = s["ideas"]["merged"]
    assert _api_messages(client, merged, "en")[-1] == s["en"]["merged"]


def test_api_keeps_a_typed_message_as_typed(client):
    idea = factories.idea()
    idea_route_cluster(idea=idea, council=factories.council(), actor=None, public_message=TYPED)
    assert _api_messages(client, idea, "en")[-1] == TYPED


def test_migration_marks_existing_rows_it_recognises_only():
    migration = importlib.import_module(
        "forum.participation.migrations.0008_statuschange_system_params"
    )
    idea = factories.idea()
    rows = [
        ("in_review", "routed", "Tu idea fue derivada a Consejo del Biobío."),
        ("in_review", "routed", "Your idea was referred to Consejo del Biobío."),
        ("in_review", "routed", TYPED),
        ("routed", "on_agenda", "En la agenda de «Mesa de Lota»."),
        ("routed", "on_agenda", "On the agenda of “Mesa de Lota”."),
        ("routed", "on_agenda", "En la agenda de la sesión de marzo del consejo."),
        ("received", "merged", "Fusionada con ABCD-2345."),
        ("received", "merged", "Merged with ABCD-2345."),
        ("merged", "received", "Fusión con ABCD-2345 deshecha."),
        ("merged", "received", "Merge with ABCD-2345 undone."),
        ("merged", "received", "Fusión con ABCD-2345 deshecha por error de la moderación."),
    ]
    legacy = [
        StatusChange.objects.create(idea=idea, from_status=f, to_status=t, public_message=m)
        for f, t, m in rows
    ]

    migration.mark_system_messages(apps, None)

    marked = [StatusChange.objects.get(pk=c.pk) for c in legacy]
    assert [(c.system_message, c.system_params, c.public_message) for c in marked] == [
        ("routed", {"council": "Consejo del Biobío"}, "Tu idea fue derivada a Consejo del Biobío."),
        ("routed", {"council": "Consejo del Biobío"}, "Tu idea fue derivada a Consejo del Biobío."),
        ("", {}, TYPED),
        ("on_agenda", {"dialogue": "Mesa de Lota"}, "En la agenda de «Mesa de Lota»."),
        ("on_agenda", {"dialogue": "Mesa de Lota"}, "En la agenda de «Mesa de Lota»."),
        ("", {}, "En la agenda de la sesión de marzo del consejo."),
        ("merged", {"code": "ABCD-2345"}, "Fusionada con ABCD-2345."),
        ("merged", {"code": "ABCD-2345"}, "Fusionada con ABCD-2345."),
        ("merge_undone", {"code": "ABCD-2345"}, "Fusión con ABCD-2345 deshecha."),
        ("merge_undone", {"code": "ABCD-2345"}, "Fusión con ABCD-2345 deshecha."),
        ("", {}, "Fusión con ABCD-2345 deshecha por error de la moderación."),
    ]
    with translation.override("en"):
        assert marked[1].message == "Your idea was referred to Consejo del Biobío."


def test_the_routing_notice_gives_the_system_message_in_each_recipients_language():
    from forum.notifications.models import Notification
    from forum.notifications.render import render_notification

    author = factories.person()
    council = factories.council()
    idea = factories.idea(title="Cursos de soldadura en Coronel", author=author)
    with translation.override("en"):  # whoever routes it, the notice follows the reader
        idea_route_cluster(idea=idea, council=council, actor=None)
    note = Notification.objects.filter(
        person=author, kind=Notification.Kind.STATUS_CHANGED, payload__to=IdeaStatus.ROUTED
    ).get()
    en = render_notification(note, "en").text
    es = render_notification(note, "es").text
    assert f"Your idea was referred to {council.name}." in en
    assert "Tu idea fue derivada" not in en
    assert f"Tu idea fue derivada al {council.name}." in es
