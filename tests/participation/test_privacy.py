"""Law 21.719 across the apps: what a person did in the bots, the threads, moderation and the
notices all shows in their export, and all of it that names them goes when they erase it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from forum.bots.models import ChatMessage, Conversation
from forum.moderation import services as moderation
from forum.moderation.models import Report
from forum.notifications.models import Delivery, Notification
from forum.participation import privacy, services
from forum.participation.models import (
    ActorCategory,
    ChannelIdentity,
    Idea,
    IdeaCoauthor,
    Membership,
    Person,
    Support,
)
from forum.threads import services as threads
from forum.threads.models import Follow, Post
from tests import factories
from tests.moderation.moderation_helpers import admin_user, moderator

pytestmark = pytest.mark.django_db

PASSWORD = "clave-segura-123"  # the factories' default
REFUSAL = (
    "Tu cuenta tiene o tuvo un rol de moderación, administración o consejo, y el registro de "
    "auditoría debe seguir mostrando quién hizo cada acción. Por eso no puedes borrarla desde "
    "aquí: escríbenos a {email} y un administrador atenderá tu solicitud."
)


def _lucia(client):
    """A signed-in participant who used the web chat bot and Telegram, wrote and supports
    ideas, co-authors one, sat on a council, posted (and edited) in a thread, follows another,
    reported an idea and a post, and got notices. Returns (user, person, facts)."""
    user = factories.user("lucia.f", email="lucia@example.cl")
    person = factories.person(user_obj=user)
    Person.objects.filter(pk=person.pk).update(display_name="Lucía Fernández")
    person.refresh_from_db()
    client.force_login(user)
    client.post("/chat/", {"text": "Una feria laboral en Punta Arenas"})
    factories.identity(person, external_id="777001")
    other = factories.person(name="Bruno Díaz")
    own = factories.idea(author=person, title="Talleres de soldadura en Ñuble")
    theirs = factories.idea(author=other, title="Bolsa de empleo para jóvenes en Arica")
    services.support_add(idea=theirs, person=person)
    IdeaCoauthor.objects.create(idea=theirs, person=person)
    Membership.objects.create(
        council=factories.council(),
        person=person,
        actor_category=ActorCategory.TRAINING_PROVIDERS,
        term_start=dt.date(2020, 1, 1),
        term_end=dt.date(2021, 12, 31),  # a past term: it does not keep the account
    )
    thread = threads.thread_ensure_for_idea(idea=own)
    post = threads.post_create(thread=thread, author=person, body="Yo enseño soldadura")
    threads.post_edit(post=post, actor=user, body="Yo enseño soldadura los sábados")
    their_thread = threads.thread_ensure_for_idea(idea=theirs)
    threads.thread_follow(thread=their_thread, person=person)
    bruno = factories.person(user_obj=factories.user("bruno"))
    their_post = threads.post_create(thread=their_thread, author=bruno, body="Hola a todos")
    moderation.content_report(reporter=person, target=theirs, reason="Repite otra idea")
    moderation.content_report(reporter=person, target=their_post, reason="Fuera de tema")
    services.idea_set_status(idea=own, to_status="in_review", actor=moderator("moderadora"))
    chat_idea = Idea.objects.get(title="Una feria laboral en Punta Arenas")
    facts = {
        "own": own,
        "theirs": theirs,
        "chat_idea": chat_idea,
        "post": post,
        "thread": thread,
        "their_thread": their_thread,
        "their_post": their_post,
    }
    return user, person, facts


def test_the_export_has_every_apps_part_in_the_usual_order(client):
    _user, person, f = _lucia(client)
    data = json.loads(client.get(reverse("participation:my_data_download")).content)
    assert data == privacy.person_export(person)
    assert list(data) == [
        "persona",
        "cuenta",
        "identidades",
        "ideas",
        "coautorias",
        "apoyos",
        "consejos",
        "mensajes_en_hilos",
        "hilos_seguidos",
        "dialogos",
        "reportes",
        "avisos",
        "conversaciones",
        "convocatorias",
    ]
    assert data["persona"]["nombre"] == "Lucía Fernández"
    assert data["cuenta"]["usuario"] == "lucia.f"
    assert {"canal": "telegram", "id": "777001"} in data["identidades"]
    assert [i["codigo"] for i in data["ideas"]] == [
        f["chat_idea"].formatted_code,
        f["own"].formatted_code,
    ]
    assert data["ideas"][0]["canal"] == "webchat"
    assert data["coautorias"] == [
        {"codigo": f["theirs"].formatted_code, "titulo": f["theirs"].title}
    ]
    assert [s["codigo"] for s in data["apoyos"]] == [f["theirs"].formatted_code]
    [council] = data["consejos"]
    assert (council["inicio"], council["fin"]) == ("2020-01-01", "2021-12-31")
    [post] = data["mensajes_en_hilos"]
    assert post["texto"] == "Yo enseño soldadura los sábados"
    assert post["versiones_anteriores"] == ["Yo enseño soldadura"]
    assert post["hilo"] == f["thread"].pk
    assert data["hilos_seguidos"] == [
        {"hilo": f["thread"].pk, "titulo": f["thread"].title},
        {"hilo": f["their_thread"].pk, "titulo": f["their_thread"].title},
    ]
    assert [(r["tipo"], r["motivo"]) for r in data["reportes"]] == [
        ("idea", "Repite otra idea"),
        ("mensaje", "Fuera de tema"),
    ]
    assert data["reportes"][0]["idea"] == f["theirs"].formatted_code
    assert data["reportes"][1]["mensaje"] == f["their_post"].pk
    assert {(n["tipo"], n["idea"]) for n in data["avisos"]} == {
        ("Cambio de estado", f["own"].formatted_code),
        ("Nuevo mensaje en un hilo", f["theirs"].formatted_code),
    }
    [conversation] = data["conversaciones"]
    assert conversation["canal"] == "webchat"
    assert conversation["mensajes_guardados"] > 0


def test_erasure_leaves_no_personal_row_in_any_app_and_keeps_the_contributions(client):
    user, person, f = _lucia(client)
    conversation = Conversation.objects.get(person=person)
    before = privacy.person_export(person)
    supports = Support.objects.count()

    response = client.post(reverse("participation:my_data_erase"), {"password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active

    # participation: no name, e-mail, consent or channel to reach them.
    person.refresh_from_db()
    assert person.erased_at is not None
    assert (person.display_name, person.email, person.region, person.consent_at) == (
        "",
        "",
        None,
        None,
    )
    assert not ChannelIdentity.objects.filter(person=person).exists()
    # notifications, threads, bots: their notices, follows and chat history are gone; the
    # conversation keeps only the chat id.
    assert not Notification.objects.filter(person=person).exists()
    assert not Delivery.objects.filter(notification__person=person).exists()
    assert not Follow.objects.filter(person=person).exists()
    assert not Conversation.objects.filter(person=person).exists()
    assert not ChatMessage.objects.filter(conversation=conversation).exists()
    conversation.refresh_from_db()
    assert (conversation.state, conversation.data) == ("new", {})
    # Ideas, co-authorship, supports, posts and reports stay, by the anonymous person.
    assert set(Idea.objects.filter(author=person)) == {f["own"], f["chat_idea"]}
    assert IdeaCoauthor.objects.filter(person=person, idea=f["theirs"]).exists()
    assert Support.objects.count() == supports
    assert Post.objects.filter(pk=f["post"].pk, author=person).exists()
    assert Report.objects.filter(reporter=person).count() == 2

    after = privacy.person_export(person)
    assert after["persona"]["nombre"] == ""
    assert after["persona"]["correo"] == ""
    assert after["cuenta"]["usuario"].startswith("borrada-")
    assert after["cuenta"]["correo"] == ""
    for gone in ("identidades", "hilos_seguidos", "avisos", "conversaciones"):
        assert after[gone] == [], gone
    for kept in ("ideas", "coautorias", "apoyos", "consejos", "mensajes_en_hilos", "reportes"):
        assert after[kept] == before[kept], kept
    assert "lucia" not in json.dumps(after).lower()
    assert "777001" not in json.dumps(after)


def test_a_bot_only_participant_is_erased_the_same_way():
    person = factories.person(name="Camila Pérez")
    factories.identity(person, external_id="888002")
    idea = factories.idea(author=person, channel="telegram")
    thread = threads.thread_ensure_for_idea(idea=idea)
    threads.thread_follow(thread=thread, person=person)
    services.idea_set_status(idea=idea, to_status="in_review", actor=moderator())
    assert Notification.objects.filter(person=person).exists()

    privacy.person_erase(person=person)

    assert person.erased_at is not None
    assert person.display_name == ""
    assert not ChannelIdentity.objects.filter(person=person).exists()
    assert not Notification.objects.filter(person=person).exists()
    assert not Follow.objects.filter(person=person).exists()
    assert Idea.objects.get(pk=idea.pk).author_id == person.pk


def test_a_moderator_is_refused_with_the_usual_message():
    mod = moderator("moderadora")
    assert privacy.account_erase_refusal(user=mod) == REFUSAL.format(email=settings.CONTACT_EMAIL)
    with pytest.raises(services.ParticipationError) as refused:
        services.account_erase(user=mod)
    assert refused.value.code == "has_role"
    mod.refresh_from_db()
    assert mod.is_active
    assert mod.username == "moderadora"


def test_roles_and_traces_in_every_app_keep_the_account():
    secretary = factories.user("secretaria")
    moderation.council_secretary_assign(
        user=secretary, council=factories.council(), actor=admin_user()
    )
    member = factories.user("consejera")
    Membership.objects.create(
        council=factories.council(),
        person=factories.person(user_obj=member),
        actor_category=ActorCategory.TRAINING_PROVIDERS,
        term_start=dt.date(2020, 1, 1),
    )
    former = moderator("ex-moderador")
    post = threads.post_create(
        thread=threads.thread_ensure_for_idea(idea=factories.idea()),
        author=factories.person(user_obj=factories.user()),
        body="Un mensaje que alguien ocultó",
    )
    threads.post_hide(post=post, actor=former, reason="Fuera de tema")
    former.groups.clear()
    for user in (secretary, member, former):
        assert privacy.account_erase_refusal(user=user) == REFUSAL.format(
            email=settings.CONTACT_EMAIL
        ), user.username
    assert privacy.account_erase_refusal(user=factories.user()) is None


def test_the_section_order_does_not_depend_on_the_registration_order(monkeypatch):
    person = factories.person()
    reverse_order = dict(reversed(list(privacy._HANDLERS.items())))
    monkeypatch.setattr(privacy, "_HANDLERS", reverse_order)
    assert list(privacy.person_export(person)) == list(privacy.SECTIONS)


def test_an_app_cannot_register_a_section_that_is_unknown_or_anothers(monkeypatch):
    monkeypatch.setattr(privacy, "_HANDLERS", dict(privacy._HANDLERS))
    with pytest.raises(ImproperlyConfigured):
        privacy.register("elsewhere", sections=("secretos",), export=lambda person: {})
    with pytest.raises(ImproperlyConfigured):
        privacy.register("elsewhere", sections=("avisos",), export=lambda person: {})
    assert {h.app for h in privacy.handlers()} == {
        "participation",
        "notifications",
        "moderation",
        "convocation",
        "threads",
        "dialogues",
        "bots",
    }
