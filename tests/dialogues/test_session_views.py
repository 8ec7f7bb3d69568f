"""The session as an attendee's phone and the room's projector show it, without JavaScript,
and the projector's socket pushing the new ranking when someone votes."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from forum.asgi import application
from forum.dialogues.models import CheckIn
from forum.dialogues.selectors import live as live_selectors
from forum.dialogues.services import live as s
from tests import factories
from tests.dialogues.session_helpers import room


def _phone(client, r):
    user = factories.user()
    client.force_login(user)
    return user, f"/dialogos/{r.dialogue.slug}/sesion/"


@pytest.mark.django_db
def test_a_phone_checks_in_with_the_code_votes_and_sends_its_word(client):
    r = room(code="QRS789", dots=2)
    _user, url = _phone(client, r)
    page = client.get(url).content.decode()
    assert "Registra tu asistencia" in page
    assert "Votar" not in page

    wrong = client.post(url, {"action": "checkin", "code": "ZZZ999"}, follow=True)
    assert "Ese no es el código de esta sesión" in wrong.content.decode()
    ok = client.post(url, {"action": "checkin", "code": "qrs789"}, follow=True).content.decode()
    assert "Tu asistencia quedó registrada" in ok
    assert "Te quedan 2 votos." in ok
    assert r.ideas[0].title in ok

    voted = client.post(
        url, {"action": "vote", "idea": r.ideas[0].tracking_code}, follow=True
    ).content.decode()
    assert "Voto registrado. Te quedan 1." in voted
    assert "Quitar mi voto" in voted
    client.post(url, {"action": "vote", "idea": r.ideas[1].tracking_code})
    full = client.post(
        url, {"action": "vote", "idea": r.ideas[2].tracking_code}, follow=True
    ).content.decode()
    assert "Ya usaste tus 2 votos" in full

    word = client.post(url, {"action": "word", "word": "Confianza"}, follow=True).content.decode()
    assert "Tu palabra ya está en la pantalla" in word

    screen = client.get(f"/dialogos/{r.dialogue.slug}/proyector/").content.decode()
    assert "QRS789" in screen
    assert "confianza" in screen
    assert (
        f'<span class="ranking-title">{r.ideas[0].title}</span> '
        '<span class="ranking-votes">1 voto</span>'
    ) in screen


@pytest.mark.django_db
def test_the_projectors_qr_link_fills_the_code_and_counts_a_qr_check_in(client):
    r = room(code="QRS789")
    _user, url = _phone(client, r)
    page = client.get(url + "?codigo=QRS789").content.decode()
    assert 'value="QRS789"' in page
    assert 'name="via" value="qr"' in page
    client.post(url, {"action": "checkin", "code": "QRS789", "via": "qr"})
    assert CheckIn.objects.get(dialogue=r.dialogue).method == CheckIn.Method.QR


@pytest.mark.django_db
def test_someone_not_signed_in_is_sent_to_log_in_and_back(client):
    r = room()
    url = f"/dialogos/{r.dialogue.slug}/sesion/"
    assert "Entrar" in client.get(url).content.decode()
    response = client.post(url, {"action": "checkin", "code": r.code})
    assert response.status_code == 302
    assert "/cuenta/entrar/?next=" in response["Location"]
    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_forged_or_hostile_session_posts_get_a_message_not_an_error(client):
    r = room()
    _user, url = _phone(client, r)
    client.post(url, {"action": "checkin", "code": r.code})
    for data in (
        {"action": "vote", "idea": "\x00"},
        {"action": "vote", "idea": "Z" * 5000},
        "action=checkin&code=%ED%A0%80%00",  # a lone surrogate's bytes and a NUL, raw
        {"action": "word", "word": "x" * 500},
        {"action": "rm -rf"},
    ):
        if isinstance(data, str):
            response = client.post(
                url, data, content_type="application/x-www-form-urlencoded", follow=True
            )
        else:
            response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert "message-error" in response.content.decode()


@pytest.mark.django_db
def test_only_the_tables_facilitator_enters_ideas_from_the_table_page(client):
    r = room()
    client.force_login(factories.user())
    url = f"/dialogos/{r.dialogue.slug}/mesa/1/"
    assert "Solo quien facilita" in client.get(url).content.decode()
    facilitator_user = factories.user()
    r.facilitator.user = facilitator_user
    r.facilitator.save()
    client.force_login(facilitator_user)
    page = client.post(url, {"title": "Ferias laborales por comuna"}, follow=True)
    assert "Ferias laborales por comuna" in page.content.decode()
    assert "registrada para la mesa" in page.content.decode()


@pytest.mark.django_db
def test_the_projector_page_costs_the_same_queries_for_a_small_and_a_big_room(
    client, django_assert_max_num_queries
):
    r = room(dots=3, ideas=30)
    for i in range(40):
        p = factories.person()
        s.checkin_record(dialogue=r.dialogue, person=p, method="code")
        s.vote_cast(dialogue=r.dialogue, idea=r.ideas[i % 30], person=p)
        s.closing_word_send(dialogue=r.dialogue, person=p, word=f"palabra{i % 7}")
    with django_assert_max_num_queries(12):
        assert client.get(f"/dialogos/{r.dialogue.slug}/proyector/").status_code == 200


async def _projector(dialogue_id: int) -> tuple[WebsocketCommunicator, dict]:
    """A projector connected to the dialogue's socket, and the snapshot it got on connect."""
    comm = WebsocketCommunicator(
        application,
        f"/ws/dialogos/{dialogue_id}/proyector/",
        headers=[(b"origin", b"http://testserver")],
    )
    connected, _ = await comm.connect(timeout=3)
    assert connected
    first = await comm.receive_json_from(timeout=3)
    assert first["type"] == "snapshot"
    return comm, first


@pytest.mark.django_db(transaction=True)
async def test_the_projector_socket_pushes_the_new_ranking_after_a_vote():
    r = await database_sync_to_async(room)(dots=2)
    voter = await database_sync_to_async(factories.person)()
    await database_sync_to_async(s.checkin_record)(dialogue=r.dialogue, person=voter, method="qr")
    comm, first = await _projector(r.dialogue.pk)
    assert first["attendance"] == 1
    assert first["ranking"] == []
    await database_sync_to_async(s.vote_cast)(dialogue=r.dialogue, idea=r.ideas[1], person=voter)
    pushed = await comm.receive_json_from(timeout=3)
    assert pushed["ranking"] == [
        {"code": r.ideas[1].tracking_code, "title": r.ideas[1].title, "votes": 1}
    ]
    await comm.send_to(text_data="hello")  # the projector only listens
    assert (await comm.receive_output(timeout=3))["type"] == "websocket.close"
    await comm.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_projector_for_an_unknown_dialogue_is_closed():
    comm = WebsocketCommunicator(
        application, "/ws/dialogos/999999/proyector/", headers=[(b"origin", b"http://testserver")]
    )
    connected, _ = await comm.connect(timeout=3)
    assert connected
    assert (await comm.receive_output(timeout=3)) == {"type": "websocket.close", "code": 4404}


@pytest.mark.django_db(transaction=True)
async def test_two_projectors_share_one_read_of_the_session_per_vote(monkeypatch):
    r = await database_sync_to_async(room)(dots=2)
    voter = await database_sync_to_async(factories.person)()
    await database_sync_to_async(s.checkin_record)(dialogue=r.dialogue, person=voter, method="qr")
    reads: list[int] = []
    real = live_selectors.session_snapshot

    def counted(dialogue_id: int):
        reads.append(dialogue_id)
        return real(dialogue_id)

    monkeypatch.setattr(live_selectors, "session_snapshot", counted)
    screens = [(await _projector(r.dialogue.pk))[0] for _n in range(2)]
    assert len(reads) == 2  # each screen's own first picture on connect

    for n, idea in enumerate(r.ideas[:2], start=1):
        await database_sync_to_async(s.vote_cast)(dialogue=r.dialogue, idea=idea, person=voter)
        pushed = [await screen.receive_json_from(timeout=3) for screen in screens]
        assert pushed[0] == pushed[1]
        assert pushed[0]["votes"] == n
        assert len(reads) == 2 + n  # one read per vote, whichever number of screens
    for screen in screens:
        await screen.disconnect()
