"""Moderator pages as a moderator uses them: queue with diffs, merge with confirmation, routing,
reports, council answers. Without JavaScript; user text always escaped."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from forum.moderation import services
from forum.moderation.models import AuditEntry, Merge
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea
from tests import factories
from tests.moderation.moderation_helpers import _fresh_index, moderator, secretary, support  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_client(client):
    user = moderator("moderadora")
    client.force_login(user)
    client.user = user
    return client


def _merge_form(
    candidates, canonical, merged, versions, reason="Misma propuesta", *, confirm=False
):
    """The merge page's POST: the ideas shown, the canonical one, those merged into it."""
    data = {
        "candidate": [i.pk for i in candidates],
        "canonical": canonical.pk,
        "merged": [i.pk for i in merged],
        "public_text": "",
        "public_title": "",
        "reason": reason,
        "versions": versions,
    }
    if confirm:
        data["confirm"] = "True"
    return data


def test_queue_shows_duplicates_side_by_side_with_differences(mod_client):
    old = factories.idea(
        title="Cursos de soldadura para mujeres en Talcahuano", body="Curso gratuito con sala cuna"
    )
    new = factories.idea(
        title="Curso de soldadura para mujeres de Talcahuano",
        body="Curso gratuito con sala cuna y transporte",
    )
    html = mod_client.get(reverse("moderation:queue")).content.decode()
    assert new.title in html
    assert old.formatted_code in html
    assert 'class="diff-ins">y transporte</mark>' in html.replace("\n", "")
    assert "Similitud" in html
    assert 'data-ws-path="/ws/moderacion/"' in html


def test_user_text_is_escaped_everywhere(mod_client):
    evil = "<script>alert(1)</script> Cursos de soldadura <a onclick=alert(1)>en Talcahuano"
    factories.idea(title="Cursos de soldadura en Talcahuano", body="para mujeres")
    idea = factories.idea(title="Cursos de soldadura en Talcahuano ya", body=evil)
    for url in (
        reverse("moderation:queue"),
        reverse("moderation:idea", args=[idea.pk]),
        reverse("moderation:merge", args=[idea.pk]),
    ):
        html = mod_client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<a onclick" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


def test_queue_query_count_does_not_grow_with_rows(mod_client, django_assert_max_num_queries):
    factories.idea(title="Capacitación en oficios para jóvenes de Lota")
    factories.idea(title="Capacitación en oficios para los jóvenes de Lota")
    mod_client.get(reverse("moderation:queue"))  # builds the index
    # 16: the filters' region, topic and council choices are three of them.
    with django_assert_max_num_queries(16) as few:
        mod_client.get(reverse("moderation:queue"))
    budget = len(few)  # read now: each request resets the connection's query log
    for n in range(15):
        factories.idea(title=f"Otra idea {n} sobre capacitación en oficios digitales")
    mod_client.get(reverse("moderation:queue"))  # the index catches up with the new ideas
    with django_assert_max_num_queries(budget):
        mod_client.get(reverse("moderation:queue"))


def test_queue_json_lists_what_a_page_missed(mod_client):
    a = factories.idea()
    b = factories.idea()
    data = mod_client.get(reverse("moderation:queue_json"), {"after": a.pk}).json()
    assert [i["id"] for i in data["ideas"]] == [b.pk]
    assert data["last_id"] == b.pk


def test_merge_through_the_web_asks_for_confirmation(mod_client):
    carla = factories.person()
    canonical = factories.idea(title="Más cursos de grúa horquilla en Coronel")
    dup = factories.idea(title="Cursos de grúa horquilla en Coronel")
    support(dup, carla)
    url = reverse("moderation:merge", args=[dup.pk])
    page = mod_client.get(url)
    assert page.status_code == 200
    versions = page.context["form"].initial["versions"]
    data = _merge_form([dup, canonical], canonical, [dup], versions)
    confirm = mod_client.post(url, data)
    assert confirm.status_code == 200
    assert "Confirmar la fusión" in confirm.content.decode()
    assert not Merge.objects.exists()
    done = mod_client.post(url, {**data, "confirm": "True"})
    assert done.status_code == 302
    dup.refresh_from_db()
    canonical.refresh_from_db()
    assert dup.merged_into == canonical
    assert canonical.support_count == 1
    # The merged idea's page offers the unmerge; using it restores the idea.
    page = mod_client.get(reverse("moderation:idea", args=[dup.pk])).content.decode()
    assert "Deshacer la fusión" in page
    mod_client.post(reverse("moderation:unmerge", args=[dup.pk]), {"reason": "Eran distintas"})
    dup.refresh_from_db()
    assert dup.merged_into is None
    assert dup.status == IdeaStatus.RECEIVED


def test_word_search_on_the_merge_page_brings_in_a_rewording_to_merge(mod_client):
    idea = factories.idea(
        title="Zona de estacionamiento para residentes en Boca Sur",
        body="Los autos de otros sectores ocupan todas las calles del barrio.",
    )
    other = factories.idea(
        title="Parquímetros en Boca Sur",
        body="No hay dónde dejar el auto cerca de la feria los domingos.",
    )
    factories.idea(title="Zona de estacionamiento para residentes en Lota Alto")
    url = reverse("moderation:merge", args=[idea.pk])
    page = mod_client.get(url)
    assert other not in page.context["candidates"]  # not similar enough to be suggested

    page = mod_client.get(url, {"q": "boca SUR"})
    assert page.context["candidates"] == [idea, other]
    html = page.content.decode()
    assert "No hay dónde dejar el auto" in html
    assert 'value="boca SUR"' in html  # the search stays in the box

    versions = page.context["form"].initial["versions"]
    done = mod_client.post(
        url,
        _merge_form(
            [idea, other], idea, [other], versions, "Misma propuesta, otras palabras", confirm=True
        ),
    )
    assert done.status_code == 302
    other.refresh_from_db()
    assert other.merged_into == idea


def test_word_search_with_no_match_says_what_to_try(mod_client):
    idea = factories.idea(title="Más buses nocturnos en Coronel")
    page = mod_client.get(
        reverse("moderation:merge", args=[idea.pk]), {"q": "Coronel <script>x</script>"}
    )
    assert page.context["candidates"] == [idea]
    html = page.content.decode()
    assert "Ninguna otra idea contiene todas estas palabras" in html
    assert "<script>x</script>" not in html


def test_merge_with_stale_page_is_refused(mod_client):
    canonical = factories.idea(title="Paraderos techados en Chillán")
    dup = factories.idea(title="Paradero techado en Chillán")
    url = reverse("moderation:merge", args=[dup.pk])
    versions = mod_client.get(url).context["form"].initial["versions"]
    # Someone else merges dup meanwhile.
    services.idea_merge(canonical=factories.idea(title="Otra"), merged=[dup], actor=mod_client.user)
    response = mod_client.post(
        url,
        _merge_form([dup, canonical], canonical, [dup], versions, "x", confirm=True),
        follow=True,
    )
    assert "cambió" in response.content.decode() or "ya está fusionada" in response.content.decode()
    assert Merge.objects.count() == 1


def test_route_form_routes_and_audits(mod_client):
    idea = factories.idea()
    council = factories.council("biobio")
    response = mod_client.post(
        reverse("moderation:route", args=[idea.pk]),
        {
            "council": council.pk,
            "answer_due": "2030-01-31",
            "public_message": "",
        },
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ROUTED
    assert idea.council == council
    assert str(idea.answer_due) == "2030-01-31"
    assert AuditEntry.objects.filter(action="idea.route", target_id=str(idea.pk)).exists()


def test_overdue_page_lists_per_council(mod_client):
    idea = factories.idea(title="Idea atrasada del Biobío")
    services.idea_route_cluster(
        idea=idea,
        council=factories.council("biobio"),
        actor=mod_client.user,
        answer_due=dt.date(2020, 1, 1),
    )
    html = mod_client.get(reverse("moderation:overdue")).content.decode()
    assert "Idea atrasada del Biobío" in html
    assert factories.council("biobio").name in html


def test_reports_page_hide_and_restore(mod_client, settings):
    settings.REPORTS_TO_HIDE = 5
    idea = factories.idea(title="Contenido dudoso")
    services.content_report(reporter=factories.person(), target=idea, reason="<b>spam</b>")
    html = mod_client.get(reverse("moderation:reports")).content.decode()
    assert "Contenido dudoso" in html
    assert "&lt;b&gt;spam&lt;/b&gt;" in html
    mod_client.post(reverse("moderation:hide", args=["idea", idea.pk]), {"reason": "Spam"})
    idea.refresh_from_db()
    assert idea.hidden_at is not None
    mod_client.post(reverse("moderation:restore", args=["idea", idea.pk]), {"reason": "Revisado"})
    idea.refresh_from_db()
    assert idea.hidden_at is None


def test_audit_page_lists_actions(mod_client):
    canonical, dup = factories.idea(), factories.idea()
    services.idea_merge(
        canonical=canonical, merged=[dup], actor=mod_client.user, reason="Motivo visible"
    )
    html = mod_client.get(reverse("moderation:audit")).content.decode()
    assert "idea.merge" in html
    assert "Motivo visible" in html


def _secretary_on_council_page(client):
    """A council secretary, logged in, on her council's page with one idea routed to it."""
    council = factories.council("biobio")
    sec = secretary(council, "secretaria")
    idea = factories.idea(title="Derivada al Biobío")
    services.idea_route_cluster(idea=idea, council=council, actor=moderator())
    client.force_login(sec)
    page = client.get(reverse("moderation:council", args=[council.slug])).content.decode()
    return council, sec, idea, page


def test_secretary_answers_from_their_council_page(client):
    council, sec, idea, page = _secretary_on_council_page(client)
    assert "Derivada al Biobío" in page
    response = client.post(
        reverse("moderation:answer", args=[council.slug, idea.pk]),
        {
            "outcome": IdeaStatus.ANSWERED_ACCEPTED,
            "answer": "Se incluirá en el plan 2027.",
        },
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ANSWERED_ACCEPTED
    assert idea.public_answer == "Se incluirá en el plan 2027."
    entry = AuditEntry.objects.get(action="idea.answer")
    assert entry.actor == sec
    assert json.dumps(entry.after)  # before/after stored as JSON


def _answer_textarea(html: str) -> str:
    found = re.search(r"<textarea[^>]*name=\"answer\"[^>]*>", html)
    assert found is not None, "no answer textarea on the page"
    return found.group(0)


def test_an_over_long_council_answer_is_refused_whole_never_cut(client):
    council, _sec, idea, _page = _secretary_on_council_page(client)
    # No browser maxlength that would cut a pasted answer; the live counter gets the limit.
    page = client.get(reverse("moderation:answer", args=[council.slug, idea.pk])).content.decode()
    textarea = _answer_textarea(page)
    assert "maxlength=" not in textarea.replace("data-maxlength=", "")
    assert 'data-maxlength="5000"' in textarea
    long_answer = "Respuesta del consejo. " * 300 + "FIN."
    response = client.post(
        reverse("moderation:answer", args=[council.slug, idea.pk]),
        {"outcome": IdeaStatus.ANSWERED_ACCEPTED, "answer": long_answer},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "FIN.</textarea>" in html  # the whole text is still there to shorten
    textarea = _answer_textarea(html)
    assert "maxlength=" not in textarea.replace("data-maxlength=", "")
    idea.refresh_from_db()
    assert idea.status != IdeaStatus.ANSWERED_ACCEPTED


def test_merged_idea_keeps_text_and_links_to_canonical(mod_client):
    canonical = factories.idea(title="Canónica")
    dup = factories.idea(title="Texto original de la duplicada")
    services.idea_merge(
        canonical=canonical, merged=[dup], actor=mod_client.user, public_text="Texto unificado"
    )
    html = mod_client.get(reverse("moderation:idea", args=[dup.pk])).content.decode()
    assert "Texto original de la duplicada" in html
    assert reverse("moderation:idea", args=[canonical.pk]) in html
    assert Idea.objects.get(pk=canonical.pk).body == "Texto unificado"


def test_live_banner_counts_from_the_newest_idea_on_any_page(mod_client):
    ideas = [factories.idea(title=f"Idea de prueba número {n}") for n in range(25)]
    page2 = mod_client.get(reverse("moderation:queue"), {"page": 2}).content.decode()
    newest = max(i.pk for i in ideas)
    assert f'data-last-id="{newest}"' in page2


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/ideas/", "/ideas/"),
        ("//evil.example/", "/moderacion/reportes/"),
        ("/\\evil.example/", "/moderacion/reportes/"),
        ("https://evil.example/", "/moderacion/reportes/"),
    ],
)
def test_moderation_actions_only_return_to_pages_of_this_site(mod_client, next_url, expected):
    idea = factories.idea(title="Contenido dudoso")
    response = mod_client.post(
        reverse("moderation:hide", args=["idea", idea.pk]), {"reason": "Spam", "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == expected


def _on_agenda(idea):
    services.idea_route_cluster(idea=idea, council=factories.council("biobio"), actor=None)
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.ON_AGENDA)
    idea.refresh_from_db()
    return idea


def test_merge_page_proposes_only_a_merge_the_system_accepts(mod_client):
    agenda = _on_agenda(factories.idea(title="Cursos de grúa horquilla en Coronel"))
    new = factories.idea(title="Cursos de grúa horquilla para Coronel")
    page = mod_client.get(reverse("moderation:merge", args=[new.pk]))
    form = page.context["form"]
    assert [c.pk for c in page.context["candidates"]] == [new.pk, agenda.pk]
    # The idea on the council's agenda cannot be merged: it stays, the new one merges into it.
    assert form.initial["canonical"] == agenda.pk
    assert form.initial["merged"] == [new.pk]
    html = page.content.decode()
    box = html.split(f'value="{agenda.pk}"')[-1].split(">")[0]  # the "merged" checkbox
    assert "disabled" in box
    assert "En la agenda del consejo" in html
    assert "no puede pasar a" in html


def test_merge_page_keeps_the_more_supported_idea_when_statuses_tie(mod_client):
    popular = factories.idea(title="Paraderos techados en Chillán")
    support(popular, factories.person())
    new = factories.idea(title="Paradero techado en Chillán")
    form = mod_client.get(reverse("moderation:merge", args=[new.pk])).context["form"]
    assert form.initial["canonical"] == popular.pk
    assert form.initial["merged"] == [new.pk]


def test_merge_review_refuses_an_idea_that_cannot_be_merged(mod_client):
    agenda = _on_agenda(factories.idea(title="Cursos de grúa horquilla en Coronel"))
    new = factories.idea(title="Cursos de grúa horquilla para Coronel")
    url = reverse("moderation:merge", args=[new.pk])
    versions = mod_client.get(url).context["form"].initial["versions"]
    review = mod_client.post(
        url,
        _merge_form([new, agenda], new, [agenda], versions),
    )
    html = review.content.decode()
    assert review.status_code == 200
    assert "Confirmar la fusión" not in html
    assert f"No se puede fusionar {agenda.formatted_code}" in html
    assert not Merge.objects.exists()


def test_merge_success_message_counts_in_words(mod_client):
    canonical = factories.idea(title="Más cursos de grúa horquilla en Coronel")
    dup = factories.idea(title="Cursos de grúa horquilla en Coronel")
    url = reverse("moderation:merge", args=[dup.pk])
    versions = mod_client.get(url).context["form"].initial["versions"]
    done = mod_client.post(
        url,
        _merge_form([dup, canonical], canonical, [dup], versions, confirm=True),
        follow=True,
    )
    assert f"Fusión hecha: 1 idea en {canonical.formatted_code}." in done.content.decode()


def test_route_form_refuses_a_due_date_in_the_past(mod_client):
    idea = factories.idea()
    council = factories.council("biobio")
    response = mod_client.post(
        reverse("moderation:route", args=[idea.pk]),
        {"council": council.pk, "answer_due": "2020-01-01", "public_message": ""},
    )
    assert response.status_code == 200
    assert "ya pasó" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.RECEIVED
    assert idea.answer_due is None


@pytest.mark.parametrize("next_url", [None, "https://evil.example/"])
def test_after_reporting_an_idea_the_person_is_back_on_it(client, next_url):
    user = factories.user()
    factories.person(user_obj=user)
    client.force_login(user)
    idea = factories.idea(title="Contenido dudoso")
    data = {"reason": "Publicidad"} | ({"next": next_url} if next_url else {})
    response = client.post(reverse("moderation:report", args=["idea", idea.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("participation:idea_detail", args=[idea.formatted_code])


def test_after_reporting_a_post_the_person_is_back_on_the_thread(client):
    from forum.threads import services as threads
    from tests.threads.helpers import citizen, public_thread

    user, _person = citizen()
    client.force_login(user)
    thread = public_thread()
    _author_user, author = citizen()
    post = threads.post_create(thread=thread, author=author, body="Compra aquí barato")
    link = reverse("moderation:report", args=["post", post.pk])
    assert (
        f'name="next" value="/hilos/{thread.pk}/"'
        in client.get(link, {"next": f"/hilos/{thread.pk}/"}).content.decode()
    )
    response = client.post(link, {"reason": "Publicidad"})
    assert response["Location"] == f"{reverse('threads:detail', args=[thread.pk])}#post-{post.pk}"


def test_council_page_lists_overdue_ideas_first(client):
    from django.utils import timezone

    council = factories.council("biobio")
    sec = secretary(council, "secretaria")
    today = timezone.localdate()
    for n in range(22):
        due = None if n % 2 else today + dt.timedelta(days=30 + n)
        services.idea_route_cluster(
            idea=factories.idea(title=f"Derivada {n}"), council=council, actor=None, answer_due=due
        )
    late = factories.idea(title="La atrasada")
    services.idea_route_cluster(
        idea=late, council=council, actor=None, answer_due=today - dt.timedelta(days=3)
    )
    client.force_login(sec)
    url = reverse("moderation:council", args=[council.slug])
    first = client.get(url).content.decode()
    # One compact line per idea, each with its «Responder» link (the form is on its own page).
    assert first.count(">Responder</a>") == 23
    assert first.index("La atrasada") < first.index("Derivada 0")
    assert "atrasada</span>" in first
    assert "23 ideas por responder" in first


def test_audit_page_speaks_in_words_and_filters_by_a_known_action(mod_client):
    canonical, dup = factories.idea(), factories.idea()
    services.idea_merge(canonical=canonical, merged=[dup], actor=mod_client.user, reason="Igual")
    routed = factories.idea()
    services.idea_route_cluster(idea=routed, council=factories.council(), actor=mod_client.user)
    url = reverse("moderation:audit")
    html = mod_client.get(url).content.decode()
    assert '<option value="idea.merge">Fusión de ideas</option>' in html
    assert ">Fusión de ideas</span>" in html
    assert f">Idea {canonical.formatted_code}</a>" in html
    assert "participation.idea #" not in html
    page = mod_client.get(url, {"accion": "idea.route"})
    assert [e.action for e in page.context["page"].object_list] == ["idea.route"]
    assert '<option value="idea.route" selected>' in page.content.decode()
    # A made-up action is ignored rather than an error.
    assert mod_client.get(url, {"accion": "<b>x</b>"}).status_code == 200
