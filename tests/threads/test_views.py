"""Thread pages without JavaScript: plain forms and page loads."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from forum.moderation.roles import MODERATION
from forum.participation.models import Membership
from forum.threads import services
from forum.threads.models import Post
from tests import factories as f

from .helpers import citizen, council_thread, internal_thread, member, public_thread

pytestmark = pytest.mark.django_db

XSS_PROBES = [
    "<script>alert(1)</script>",
    "<a onclick=alert(1)>x</a>",
    "[x](javascript:alert(1))",
    '"><img src=x onerror=alert(1)>',
]


def _detail(thread):
    return reverse("threads:detail", args=[thread.pk])


def test_anonymous_reads_public_thread_and_is_asked_to_log_in(client):
    _u, person = citizen()
    thread = public_thread()
    services.post_create(thread=thread, author=person, body="Propongo **cursos** nocturnos")
    resp = client.get(_detail(thread))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "<strong>cursos</strong>" in html
    assert "Inicia sesión para participar" in html
    assert 'id="post-form"' not in html


def test_internal_thread_is_404_for_outsiders(client):
    council = f.council("biobio")
    thread = internal_thread(council)
    assert client.get(_detail(thread)).status_code == 404
    outsider, _ = citizen()
    client.force_login(outsider)
    assert client.get(_detail(thread)).status_code == 404
    assert thread.title not in client.get(reverse("threads:list")).content.decode()
    insider, _ = member(council)
    client.force_login(insider)
    assert client.get(_detail(thread)).status_code == 200
    assert thread.title in client.get(reverse("threads:list")).content.decode()


def test_post_reply_edit_delete_through_forms(client):
    user, person = citizen()
    _o, other = citizen()
    thread = public_thread()
    first = services.post_create(thread=thread, author=other, body="¿Cursos en Lota?")
    client.force_login(user)

    resp = client.post(
        reverse("threads:post_create", args=[thread.pk]),
        {"body": "Sí, *urgente*", "reply_to": first.pk},
    )
    post = Post.objects.get(author=person)
    assert resp.status_code == 302
    assert resp["Location"].endswith(f"#post-{post.pk}")
    assert post.reply_to == first
    html = client.get(_detail(thread)).content.decode()
    assert "<em>urgente</em>" in html
    assert "En respuesta a" in html
    assert "¿Cursos en Lota?" in html  # the quote

    resp = client.post(reverse("threads:post_edit", args=[post.pk]), {"body": "Sí, urgente."})
    assert resp.status_code == 302
    html = client.get(_detail(thread)).content.decode()
    assert reverse("threads:post_history", args=[post.pk]) in html
    assert ">editado<" in html
    history = client.get(reverse("threads:post_history", args=[post.pk])).content.decode()
    assert "Sí, *urgente*" in history  # previous version, as text

    assert client.get(reverse("threads:post_delete", args=[post.pk])).status_code == 200
    client.post(reverse("threads:post_delete", args=[post.pk]))
    html = client.get(_detail(thread)).content.decode()
    assert "mensaje eliminado" in html
    assert "Sí, urgente." not in html


def test_reply_link_prefills_form(client):
    user, _p = citizen()
    _o, other = citizen()
    thread = public_thread()
    first = services.post_create(thread=thread, author=other, body="hola")
    client.force_login(user)
    html = client.get(_detail(thread) + f"?responder={first.pk}").content.decode()
    assert f'name="reply_to" value="{first.pk}"' in html
    assert "Respondiendo a" in html


def test_others_cannot_edit_or_delete(client):
    _u, person = citizen()
    other, _o = citizen()
    post = services.post_create(thread=public_thread(), author=person, body="mío")
    client.force_login(other)
    assert client.get(reverse("threads:post_edit", args=[post.pk])).status_code == 404
    assert client.post(reverse("threads:post_delete", args=[post.pk])).status_code == 404
    post.refresh_from_db()
    assert post.deleted_at is None


def test_too_long_post_shows_clear_error_and_keeps_text(client):
    user, _p = citizen()
    thread = public_thread()
    client.force_login(user)
    resp = client.post(reverse("threads:post_create", args=[thread.pk]), {"body": "a" * 5001})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "5001" in html
    assert "a" * 5001 in html  # nothing lost
    assert not Post.objects.exists()


def test_anonymous_post_redirects_to_login(client):
    thread = public_thread()
    resp = client.post(reverse("threads:post_create", args=[thread.pk]), {"body": "hola"})
    assert resp.status_code == 302
    assert "next=" in resp["Location"]
    assert not Post.objects.exists()


def test_non_member_gets_no_form_and_is_refused_in_council_thread(client):
    council = f.council("biobio")
    thread = council_thread(council)
    user, _p = citizen()
    client.force_login(user)
    html = client.get(_detail(thread)).content.decode()
    assert 'id="post-form"' not in html
    resp = client.post(reverse("threads:post_create", args=[thread.pk]), {"body": "hola"})
    assert resp.status_code == 403
    assert not Post.objects.exists()


def test_secretary_posts_minutes_with_badge(client):
    council = f.council("biobio")
    thread = council_thread(council)
    sec, _s = member(council, role=Membership.Role.SECRETARY)
    client.force_login(sec)
    html = client.get(_detail(thread)).content.decode()
    assert 'name="is_minutes"' in html
    client.post(
        reverse("threads:post_create", args=[thread.pk]),
        {"body": "Acuerdos:\n\n- Curso de soldadura\n- Feria laboral", "is_minutes": "on"},
    )
    html = client.get(_detail(thread)).content.decode()
    assert "Acta de reunión" in html
    assert "<li>Curso de soldadura</li>" in html
    plain, _m = member(council)
    client.force_login(plain)
    assert 'name="is_minutes"' not in client.get(_detail(thread)).content.decode()


def test_moderator_hides_with_reason(client):
    _u, person = citizen()
    thread = public_thread()
    post = services.post_create(thread=thread, author=person, body="texto ofensivo")
    mod = f.user(is_staff=True, groups=[MODERATION])
    client.force_login(mod)
    client.post(reverse("threads:post_hide", args=[post.pk]), {"reason": "Lenguaje ofensivo"})
    client.logout()
    html = client.get(_detail(thread)).content.decode()
    assert "oculto por moderación:" in html
    assert "Lenguaje ofensivo" in html
    assert "texto ofensivo" not in html
    post.refresh_from_db()
    assert post.body == "texto ofensivo"


def test_follow_and_unfollow(client):
    user, person = citizen()
    thread = public_thread()
    client.force_login(user)
    client.post(reverse("threads:follow", args=[thread.pk]))
    assert thread.follows.filter(person=person).exists()
    assert "Dejar de seguir" in client.get(_detail(thread)).content.decode()
    client.post(reverse("threads:follow", args=[thread.pk]), {"action": "unfollow"})
    assert not thread.follows.filter(person=person).exists()


def test_list_filters_by_council_and_topic(client):
    biobio = f.council("biobio")
    rm = f.council("metropolitana")
    a = council_thread(biobio, title="Hilo del Biobío")
    b = council_thread(rm, title="Hilo metropolitano")
    t = public_thread(title="Hilo con tema")
    html = client.get(reverse("threads:list"), {"consejo": biobio.slug}).content.decode()
    assert a.title in html
    assert b.title not in html
    assert t.topic is not None
    html = client.get(reverse("threads:list"), {"tema": t.topic.slug}).content.decode()
    assert t.title in html
    assert a.title not in html


def test_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    for i in range(3):
        public_thread(title=f"Hilo {i}")
    with django_assert_max_num_queries(8):
        client.get(reverse("threads:list"))
    for i in range(10):
        public_thread(title=f"Otro hilo {i}")
    with django_assert_max_num_queries(8):
        client.get(reverse("threads:list"))


def test_thread_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    thread = public_thread()
    _u, person = citizen()
    for i in range(3):
        services.post_create(thread=thread, author=person, body=f"m {i}")
    with django_assert_max_num_queries(10) as few:
        client.get(_detail(thread))
    posts = Post.objects.filter(thread=thread)
    for i in range(15):
        services.post_create(thread=thread, author=person, body=f"r {i}", reply_to=posts.first())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_detail(thread))


@pytest.mark.parametrize("probe", XSS_PROBES)
def test_xss_probes_render_inert(client, probe):
    _u, person = citizen()
    thread = public_thread()
    services.post_create(thread=thread, author=person, body=f"antes {probe} después")
    html = client.get(_detail(thread)).content.decode()
    body = html.split('class="post-body">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body
    assert "onclick" not in body.replace("onclick=alert(1)&gt;", "")
    assert "<img" not in body
    assert "javascript:" not in body.replace("(javascript:alert(1))", "")
    assert 'href="javascript' not in html


def test_madrid_probe_descriptions_render_inert(client):
    """Real imported HTML from Decide Madrid (with its XSS/SSRF probes) as post bodies."""
    import csv

    from tests.shared_data import MADRID, require

    path = require(MADRID)
    with path.open(encoding="utf-8") as fh:
        rows = [
            r
            for r in csv.DictReader(fh, delimiter=";")
            if any(
                k in r["description"].lower()
                for k in ("<script", "onerror", "javascript:", "onclick", "<iframe")
            )
        ]
    assert rows, "the data set has probes"
    _u, person = citizen()
    thread = public_thread()
    for row in rows[:20]:
        services.post_create(thread=thread, author=person, body=row["description"][:5000])
    html = client.get(_detail(thread)).content.decode()
    for chunk in html.split('class="post-body">')[1:]:
        body = chunk.split("</div>", 1)[0]
        lowered = body.lower()
        assert "<script" not in lowered
        assert "<iframe" not in lowered
        assert "<img" not in lowered
        assert 'href="javascript' not in lowered
        assert not re.search(r"<[a-z][^>]*\son\w+\s*=", lowered)


def test_secretary_opens_internal_agenda_item_thread(client):
    council = f.council("biobio")
    other = f.council("metropolitana")
    sec, _s = member(council, role=Membership.Role.SECRETARY)
    client.force_login(sec)
    assert "Abrir un hilo del consejo" in client.get(reverse("threads:list")).content.decode()
    html = client.get(reverse("threads:open")).content.decode()
    assert council.name in html
    assert other.name not in html  # only their own council
    resp = client.post(
        reverse("threads:open"),
        {
            "council": council.pk,
            "kind": "agenda_item",
            "title": "Punto 3: ferias laborales",
            "meeting_date": "2026-12-10",
            "visibility": "council_internal",
        },
    )
    from forum.threads.models import Thread

    thread = Thread.objects.get(title="Punto 3: ferias laborales")
    assert resp.status_code == 302
    assert thread.kind == Thread.Kind.AGENDA_ITEM
    assert thread.is_internal
    assert thread.agenda_item is not None
    assert thread.agenda_item.meeting_date == dt.date(2026, 12, 10)
    # Another council's id is refused by the form, not silently accepted.
    resp = client.post(
        reverse("threads:open"),
        {"council": other.pk, "kind": "council", "title": "Intruso", "visibility": "public"},
    )
    assert resp.status_code == 200
    assert not Thread.objects.filter(title="Intruso").exists()


def test_members_and_citizens_cannot_open_threads(client):
    council = f.council("biobio")
    plain, _m = member(council)
    client.force_login(plain)
    assert client.get(reverse("threads:open")).status_code == 404
    assert "Abrir un hilo" not in client.get(reverse("threads:list")).content.decode()
    with pytest.raises(services.ThreadPermissionDenied):
        services.thread_open(actor=plain, council=council, title="x")


def test_a_reader_reports_a_post_from_the_thread_page(client):
    _u, author = citizen()
    reader_user, _reader = citizen()
    thread = public_thread()
    post = services.post_create(thread=thread, author=author, body="Compra seguidores aquí")
    client.force_login(reader_user)
    html = client.get(_detail(thread)).content.decode()
    report_url = reverse("moderation:report", args=["post", post.pk])
    assert report_url in html
    resp = client.post(report_url, {"reason": "Publicidad"}, follow=True)
    assert resp.status_code == 200
    from forum.moderation.models import Report

    assert Report.objects.filter(object_id=post.pk, reason="Publicidad").count() == 1
    # Authors are not offered to report their own post.
    client.force_login(author.user)
    assert report_url not in client.get(_detail(thread)).content.decode()
