"""The public pages as a participant or a staff member uses them, without JavaScript."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Permission
from django.core import mail as django_mail
from django.urls import reverse

from forum.notifications.models import Notification
from forum.participation import services
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Channel, Idea, Person, StatusChange, Support
from tests import factories
from tests.conftest import clear_cache

pytestmark = pytest.mark.django_db


def _participant(client, username="participante"):
    user = factories.user(username)
    client.force_login(user)
    return user, factories.person(user_obj=user)


def _staff(client):
    user = factories.user("moderadora", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_idea"))
    client.force_login(user)
    return user


def _page_text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- anonymous pages


@pytest.mark.parametrize(
    "url_name",
    [
        "participation:home",
        "participation:idea_list",
        "participation:track",
        "participation:privacy",
        "login",
        "signup",
    ],
)
def test_public_pages_render_for_anonymous(client, url_name):
    factories.idea()
    factories.dialogue(title="Diálogo de Concepción", place="Aula Magna UdeC")
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert "Foro Abierto" in _page_text(response)


def test_home_shows_figures_dialogues_and_councils(client):
    factories.dialogue(title="Diálogo de Concepción", place="Aula Magna UdeC")
    factories.idea()
    text = _page_text(client.get("/"))
    assert "Diálogo de Concepción" in text
    assert "Aula Magna UdeC" in text
    assert "Consejo" in text  # the councils list
    assert reverse("participation:track") in text
    assert reverse("participation:idea_submit") in text


def test_privacy_page_mentions_law(client):
    assert "21.719" in _page_text(client.get(reverse("participation:privacy")))


def test_submit_requires_login(client):
    response = client.get(reverse("participation:idea_submit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------- idea page


def test_idea_page_shows_history_and_never_the_author(client, admin_user):
    author_user = factories.user(
        "mariajose", email="maria.jose@correo.cl", first_name="María José", last_name="Pérez"
    )
    author = factories.person(user_obj=author_user)
    idea = factories.idea(author=author, title="Cursos de lengua de señas", body="Para todos")
    services.idea_set_status(
        idea=idea,
        to_status=IdeaStatus.IN_REVIEW,
        actor=admin_user,
        public_message="La revisa el equipo regional.",
    )
    response = client.get(reverse("participation:idea_detail", args=[idea.formatted_code]))
    text = _page_text(response)
    assert response.status_code == 200
    assert "Cursos de lengua de señas" in text
    assert "La revisa el equipo regional." in text
    assert "Recibida" in text
    assert "En revisión" in text
    for private in (
        "María José",
        "Pérez",
        "mariajose",
        "maria.jose@correo.cl",
        admin_user.username,
    ):
        assert private not in text


def test_idea_page_redirects_lowercase_code_to_canonical(client):
    idea = factories.idea()
    response = client.get(f"/ideas/{idea.tracking_code.lower()}/")
    assert response.status_code == 302
    assert response["Location"] == f"/ideas/{idea.formatted_code}/"


def test_unknown_or_hidden_idea_is_404(client):
    idea = factories.idea()
    Idea.objects.filter(pk=idea.pk).update(hidden_at="2026-01-01T00:00:00Z")
    assert client.get(f"/ideas/{idea.formatted_code}/").status_code == 404
    assert client.get("/ideas/ZZZZ-ZZZZ/").status_code == 404


def test_merged_idea_links_to_canonical(client):
    canonical = factories.idea(title="Idea que reúne")
    merged = factories.idea(title="Idea repetida")
    Idea.objects.filter(pk=merged.pk).update(status=IdeaStatus.MERGED, merged_into=canonical)
    text = _page_text(client.get(f"/ideas/{merged.formatted_code}/"))
    assert f"/ideas/{canonical.formatted_code}/" in text
    assert "Idea que reúne" in text


def test_answered_idea_shows_public_answer(client, admin_user):
    idea = factories.idea()
    services.idea_set_status(idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=admin_user)
    services.idea_route(idea=idea, council=factories.council(), actor=admin_user)
    services.idea_answer(
        idea=idea,
        outcome=IdeaStatus.ANSWERED_PARTLY,
        answer="El consejo incluirá dos cursos en 2027.",
        actor=admin_user,
    )
    text = _page_text(client.get(f"/ideas/{idea.formatted_code}/"))
    assert "Respuesta del consejo" in text
    assert "El consejo incluirá dos cursos en 2027." in text


def test_xss_title_is_escaped_everywhere(client):
    payload = "<script>alert(1)</script>"
    idea = factories.idea(title=payload, body=f"texto {payload}")
    for url in (f"/ideas/{idea.formatted_code}/", "/ideas/"):
        text = _page_text(client.get(url))
        assert payload not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


# ---------------------------------------------------------------- tracking


@pytest.mark.parametrize("typed", ["{lower_dashed}", " {upper_spaced} ", "{confusable}"])
def test_track_finds_idea_whatever_the_typing(client, typed):
    idea = factories.idea()
    Idea.objects.filter(pk=idea.pk).update(tracking_code="AB1DEF0H")
    variants = {
        "lower_dashed": "ab1d-ef0h",
        "upper_spaced": "AB1D EF0H",
        "confusable": "abId-efoh",  # I for 1, o for 0, as people type from a printed slip
    }
    response = client.get(reverse("participation:track"), {"code": typed.format(**variants)})
    assert response.status_code == 302
    assert response["Location"] == "/ideas/AB1D-EF0H/"


def test_track_accepts_l_for_one(client):
    idea = factories.idea()
    Idea.objects.filter(pk=idea.pk).update(tracking_code="AB1DEF0H")
    response = client.get(reverse("participation:track"), {"code": "ablDEFOH"})
    assert response["Location"] == "/ideas/AB1D-EF0H/"


def test_track_unknown_code_explains_and_keeps_form(client):
    response = client.get(reverse("participation:track"), {"code": "zzzz-zzzz"})
    text = _page_text(response)
    assert response.status_code == 200
    assert "No encontramos ninguna idea con el código ZZZZ-ZZZZ" in text
    assert 'name="code"' in text


def test_track_malformed_code_explains(client):
    response = client.get(reverse("participation:track"), {"code": "hola"})
    assert response.status_code == 200
    assert "no parece un código de seguimiento" in _page_text(response)


def test_track_does_not_find_hidden_idea(client):
    idea = factories.idea()
    Idea.objects.filter(pk=idea.pk).update(hidden_at="2026-01-01T00:00:00Z")
    response = client.get(reverse("participation:track"), {"code": idea.tracking_code})
    assert response.status_code == 200


# ---------------------------------------------------------------- submit


def test_submit_idea_shows_tracking_code(client):
    _user, person = _participant(client)
    topic = factories.topic("Calidad de las OTEC")
    response = client.post(
        reverse("participation:idea_submit"),
        {
            "title": "Evaluar a las OTEC con la opinión de quienes egresan",
            "body": "Una encuesta al terminar cada curso.",
            "region": factories.region("biobio").pk,
            "topic": topic.pk,
        },
        follow=True,
    )
    idea = Idea.objects.get()
    assert idea.author == person
    assert idea.channel == Channel.WEB
    assert idea.topic == topic
    text = _page_text(response)
    assert idea.formatted_code in text
    assert 'class="tracking-code"' in text


def test_confirmation_page_is_only_for_the_author(client):
    idea = factories.idea()
    url = reverse("participation:idea_submitted", args=[idea.formatted_code])
    assert client.get(url)["Location"] == f"/ideas/{idea.formatted_code}/"
    _participant(client)
    assert client.get(url).status_code == 302


def test_submit_too_long_body_keeps_text_and_stores_nothing(client):
    _participant(client)
    body = "Capacitación en oficios digitales para jóvenes de Lota. " * 180
    body = body[:10_000]
    response = client.post(
        reverse("participation:idea_submit"),
        {
            "title": "Una idea muy larga",
            "body": body,
        },
    )
    text = _page_text(response)
    assert response.status_code == 200
    assert Idea.objects.count() == 0
    assert "el máximo es 5000" in text
    # The participant's text is still in the textarea (escaped exactly once).
    assert body.strip() in text
    assert "Una idea muy larga" in text


def test_submit_empty_title_is_an_error(client):
    _participant(client)
    response = client.post(reverse("participation:idea_submit"), {"title": "   ", "body": "x"})
    assert response.status_code == 200
    assert Idea.objects.count() == 0
    assert 'class="errorlist' in _page_text(response)


# ---------------------------------------------------------------- supports


def test_support_double_post_makes_one_support(client):
    _user, person = _participant(client)
    idea = factories.idea()
    url = reverse("participation:idea_support", args=[idea.formatted_code])
    client.post(url)
    response = client.post(url, follow=True)
    assert Support.objects.filter(idea=idea, person=person).count() == 1
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert "Ya apoyabas esta idea" in _page_text(response)


def test_support_requires_post_and_login(client):
    idea = factories.idea()
    url = reverse("participation:idea_support", args=[idea.formatted_code])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Support.objects.count() == 0


def test_support_is_csrf_protected(admin_user):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(admin_user)
    idea = factories.idea()
    response = csrf_client.post(reverse("participation:idea_support", args=[idea.formatted_code]))
    assert response.status_code == 403
    assert Support.objects.count() == 0


def test_unsupport(client):
    _user, person = _participant(client)
    idea = factories.idea()
    services.support_add(idea=idea, person=person)
    client.post(reverse("participation:idea_unsupport", args=[idea.formatted_code]))
    idea.refresh_from_db()
    assert idea.support_count == 0
    assert not Support.objects.exists()


def test_dot_budget_exhausted_message(client):
    _user, person = _participant(client)
    dialogue = factories.dialogue(title="Diálogo Biobío", dot_budget=1)
    first = factories.idea(dialogue=dialogue)
    second = factories.idea(dialogue=dialogue)
    client.post(reverse("participation:idea_support", args=[first.formatted_code]))
    response = client.post(
        reverse("participation:idea_support", args=[second.formatted_code]), follow=True
    )
    text = _page_text(response)
    assert "Ya usaste tus 1 votos de «Diálogo Biobío»" in text
    assert Support.objects.filter(person=person).count() == 1


def test_support_redirects_back_to_list_but_never_offsite(client):
    _participant(client)
    idea = factories.idea()
    url = reverse("participation:idea_support", args=[idea.formatted_code])
    assert client.post(url, {"next": "/ideas/?page=2"})["Location"] == "/ideas/?page=2"
    assert client.post(url, {"next": "https://evil.example/"})["Location"] == (
        f"/ideas/{idea.formatted_code}/"
    )


# ---------------------------------------------------------------- list


def test_list_filters_search_and_order(client):
    biobio, maule = factories.region("biobio"), factories.region("maule")
    otec = factories.topic("OTEC")
    a = factories.idea(title="Fiscalizar OTEC en Concepción", region=biobio, topic=otec)
    b = factories.idea(title="Cursos de soldadura en Talca", region=maule)
    Idea.objects.filter(pk=b.pk).update(support_count=9)
    text = _page_text(client.get("/ideas/", {"region": "biobio"}))
    assert a.title in text
    assert b.title not in text
    text = _page_text(client.get("/ideas/", {"topic": otec.slug}))
    assert a.title in text
    assert b.title not in text
    text = _page_text(client.get("/ideas/", {"q": "soldadura"}))
    assert b.title in text
    assert a.title not in text
    text = _page_text(client.get("/ideas/", {"q": a.tracking_code.lower()}))
    assert a.title in text
    assert b.title not in text
    text = _page_text(client.get("/ideas/", {"order": "supports"}))
    assert text.index(b.title) < text.index(a.title)
    text = _page_text(client.get("/ideas/", {"status": IdeaStatus.IN_REVIEW}))
    assert a.title not in text
    assert b.title not in text


def test_list_ignores_bad_filter_values(client):
    factories.idea(title="Idea visible")
    response = client.get("/ideas/", {"region": "atlantida", "page": "abc"})
    assert response.status_code == 200
    assert "Idea visible" in _page_text(response)
    factories.idea(title="Idea del Maule", region=factories.region("maule"))
    text = _page_text(client.get("/ideas/", {"region": "maule", "status": "inventado"}))
    assert "Idea del Maule" in text
    assert "Idea visible" not in text


def test_list_pagination_keeps_filters(client):
    region = factories.region("maule")
    author = factories.person()
    for n in range(23):
        factories.idea(author=author, title=f"Idea del Maule {n}", region=region)
    response = client.get("/ideas/", {"region": "maule", "q": "Maule"})
    text = _page_text(response)
    assert len(response.context["ideas"]) == 20
    found = re.search(r'rel="next" href="([^"]+)"', text)
    assert found is not None
    next_link = found.group(1)
    assert "region=maule" in next_link
    assert "q=Maule" in next_link
    assert "page=2" in next_link
    page2 = client.get("/ideas/" + next_link.replace("&amp;", "&"))
    assert len(page2.context["ideas"]) == 3


def test_search_pages_without_counting(client):
    author = factories.person()
    for n in range(21):
        factories.idea(author=author, title=f"Cursos de soldadura {n}")
    factories.idea(author=author, title="Otra cosa")
    response = client.get("/ideas/", {"q": "soldadura"})
    text = _page_text(response)
    assert len(response.context["ideas"]) == 20
    assert 'rel="next"' in text
    page2 = client.get("/ideas/", {"q": "soldadura", "page": "2"})
    assert len(page2.context["ideas"]) == 1
    assert 'rel="next"' not in _page_text(page2)
    assert 'rel="prev"' in _page_text(page2)
    assert client.get("/ideas/", {"q": "soldadura", "page": "x"}).status_code == 200


def _make_ideas(n: int) -> None:
    author = factories.person()
    topic = factories.topic("Cobertura")
    dialogue = factories.dialogue()
    for i in range(n):
        factories.idea(author=author, title=f"Idea {i}", topic=topic, dialogue=dialogue)


@pytest.mark.parametrize("logged_in", [False, True])
def test_list_query_budget_does_not_grow_with_rows(client, logged_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if logged_in:
        _user, person = _participant(client)
    counts = []
    for n in (5, 50):
        _make_ideas(n - Idea.objects.count())
        if logged_in:
            idea = Idea.objects.first()
            assert idea is not None
            services.support_add(idea=idea, person=person)
        clear_cache()  # the budget is for an uncached request (the count is cached briefly)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/ideas/")
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    # anonymous: count, page, regions, topics, dialogues; logged in adds session, user,
    # person, the supported-ids lookup, the two permission lookups of the navigation and its
    # unread-notices count.
    assert counts[1] <= (12 if logged_in else 5), counts


def test_my_ideas_lists_own_coauthored_and_supported(client):
    _user, person = _participant(client)
    own = factories.idea(author=person, title="Mi propia idea")
    co = factories.idea(title="Idea en coautoría")
    from forum.participation.models import IdeaCoauthor

    IdeaCoauthor.objects.create(idea=co, person=person)
    other = factories.idea(title="Idea ajena que apoyo")
    services.support_add(idea=other, person=person)
    factories.idea(title="Idea que no me toca")
    text = _page_text(client.get(reverse("participation:my_ideas")))
    assert own.title in text
    assert co.title in text
    assert other.title in text
    assert "Idea que no me toca" not in text


# ---------------------------------------------------------------- accounts


def test_signup_creates_user_and_person_with_consent(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "camila",
            "email": "Camila@Example.cl",
            "password1": "una-clave-larga-99",
            "password2": "una-clave-larga-99",
            "region": factories.region("maule").pk,
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("signup_done")
    person = Person.objects.get(user__username="camila")
    assert person.consent_at is not None
    assert person.region is not None
    assert person.region.slug == "maule"
    assert person.email == "camila@example.cl"
    # Not signed in until the address is confirmed: the link comes by mail.
    assert client.get(reverse("participation:my_ideas")).status_code == 302
    (mail,) = django_mail.outbox
    assert mail.to == ["camila@example.cl"]
    found = re.search(r"https?://\S+/cuenta/registro/activar/\S+/", str(mail.body))
    assert found is not None
    link = found.group(0)
    response = client.get(urlparse(link).path)
    assert response.status_code == 302
    assert client.get(reverse("participation:my_ideas")).status_code == 200
    # The link works once.
    client.logout()
    assert client.get(urlparse(link).path).status_code == 400


def test_signup_without_consent_is_refused(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "camila",
            "email": "camila@example.cl",
            "password1": "una-clave-larga-99",
            "password2": "una-clave-larga-99",
        },
    )
    assert response.status_code == 200
    assert "necesitamos tu consentimiento" in _page_text(response)
    assert not Person.objects.exists()


def test_login_and_logout(client):
    factories.user("ana", password="clave-segura-123")
    response = client.post(reverse("login"), {"username": "ana", "password": "clave-segura-123"})
    assert response.status_code == 302
    assert "Salir" in _page_text(client.get("/"))
    client.post(reverse("logout"))
    assert "Entrar" in _page_text(client.get("/"))


# ---------------------------------------------------------------- staff status form


def test_participant_gets_403_on_status_form(client):
    _participant(client)
    idea = factories.idea()
    url = reverse("participation:idea_status", args=[idea.formatted_code])
    assert client.get(url).status_code == 403
    assert client.post(url, {"to_status": IdeaStatus.IN_REVIEW}).status_code == 403
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.RECEIVED


def test_anonymous_is_sent_to_login_from_status_form(client):
    idea = factories.idea()
    response = client.get(reverse("participation:idea_status", args=[idea.formatted_code]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_status_change_records_history_and_notifies(client):
    staff = _staff(client)
    author = factories.person()
    supporter = factories.person()
    idea = factories.idea(author=author)
    services.support_add(idea=idea, person=supporter)
    url = reverse("participation:idea_status", args=[idea.formatted_code])
    page = _page_text(client.get(url))
    assert 'value="in_review"' in page
    assert 'value="not_admitted"' in page
    assert 'value="merged"' not in page  # merges happen in the moderation queue
    response = client.post(
        url, {"to_status": IdeaStatus.IN_REVIEW, "public_message": "Empezamos a revisarla."}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.IN_REVIEW
    change = StatusChange.objects.filter(idea=idea).latest("id")
    assert (change.from_status, change.to_status, change.actor) == (
        IdeaStatus.RECEIVED,
        IdeaStatus.IN_REVIEW,
        staff,
    )
    assert change.public_message == "Empezamos a revisarla."
    notified = set(Notification.objects.filter(idea=idea).values_list("person_id", flat=True))
    assert notified == {author.pk, supporter.pk}
    assert "Empezamos a revisarla." in _page_text(client.get(response["Location"]))


def test_staff_routes_with_council_and_due_date(client):
    _staff(client)
    idea = factories.idea()
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.IN_REVIEW)
    url = reverse("participation:idea_status", args=[idea.formatted_code])
    response = client.post(url, {"to_status": IdeaStatus.ROUTED})
    assert response.status_code == 200
    assert "Elige el consejo" in _page_text(response)
    council = factories.council("maule")
    response = client.post(
        url, {"to_status": IdeaStatus.ROUTED, "council": council.pk, "answer_due": "2027-03-31"}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ROUTED
    assert idea.council == council
    assert str(idea.answer_due) == "2027-03-31"


def test_staff_answer_requires_message_and_sets_public_answer(client):
    _staff(client)
    idea = factories.idea()
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.ON_AGENDA)
    url = reverse("participation:idea_status", args=[idea.formatted_code])
    response = client.post(url, {"to_status": IdeaStatus.ANSWERED_ACCEPTED})
    assert response.status_code == 200
    assert "respuesta pública" in _page_text(response)
    client.post(
        url,
        {
            "to_status": IdeaStatus.ANSWERED_ACCEPTED,
            "public_message": "Se acoge: habrá intérprete en cada curso.",
        },
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ANSWERED_ACCEPTED
    assert idea.public_answer == "Se acoge: habrá intérprete en cada curso."


def test_staff_not_admitted_without_message_shows_service_error(client):
    _staff(client)
    idea = factories.idea()
    url = reverse("participation:idea_status", args=[idea.formatted_code])
    response = client.post(url, {"to_status": IdeaStatus.NOT_ADMITTED})
    assert response.status_code == 200
    assert "necesita un mensaje público" in _page_text(response)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.RECEIVED


def test_staff_illegal_transition_is_a_form_error(client):
    _staff(client)
    idea = factories.idea()
    url = reverse("participation:idea_status", args=[idea.formatted_code])
    response = client.post(url, {"to_status": IdeaStatus.IMPLEMENTED})
    assert response.status_code == 200
    assert 'class="errorlist' in _page_text(response)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.RECEIVED


# ---------------------------------------------------------------- language


def test_language_switch_changes_html_lang(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/ideas/"})
    assert response.status_code == 302
    assert response["Location"] == "/ideas/"
    text = _page_text(client.get("/ideas/"))
    assert '<html lang="en">' in text
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert '<html lang="es">' in _page_text(client.get("/"))


def test_navigation_depends_on_role(client):
    text = _page_text(client.get("/"))
    assert "Mis ideas" not in text
    assert "Moderación" not in text
    _participant(client)
    text = _page_text(client.get("/"))
    assert "Mis ideas" in text
    assert "Moderación" not in text
    _staff(client)
    assert "Moderación" in _page_text(client.get("/"))


def test_pages_load_nothing_from_other_sites_and_label_every_control(client):
    factories.idea()
    for url in ("/", "/ideas/", reverse("participation:track"), reverse("signup")):
        text = _page_text(client.get(url))
        assert 'name="viewport"' in text
        assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', text), url
        controls = re.findall(r'<(?:select|textarea|input)[^>]*\bid="([^"]+)"', text)
        assert controls, url  # every one of these pages has a form (at least the language one)
        for control_id in controls:
            assert f'for="{control_id}"' in text, (url, control_id)


def test_routed_idea_page_links_to_its_debate_and_offers_a_report(client, admin_user):
    from forum.participation import services as participation
    from forum.participation.lifecycle import IdeaStatus
    from forum.threads.models import Thread

    idea = factories.idea(title="Cursos de lengua de señas para monitores")
    participation.idea_transition(idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=admin_user)
    participation.idea_route(idea=idea, council=factories.council(), actor=admin_user)
    thread = Thread.objects.get(idea=idea)
    url = reverse("participation:idea_detail", args=[idea.formatted_code])
    html = client.get(url).content.decode()
    assert reverse("threads:detail", args=[thread.pk]) in html
    report_url = reverse("moderation:report", args=["idea", idea.pk])
    assert report_url not in html  # anonymous readers are not offered to report
    client.force_login(factories.user())
    assert report_url in client.get(url).content.decode()


def test_a_new_idea_shows_on_the_list_at_once_even_with_a_cached_count(client):
    _make_ideas(3)
    assert client.get("/ideas/").status_code == 200  # caches the count
    fresh = factories.idea(title="Idea recién llegada sobre OTEC")
    html = client.get("/ideas/").content.decode()
    assert fresh.title in html
