"""The open-data API: documented by a valid OpenAPI document, answering what it documents,
filtering and paginating, with no personal data and a query count that does not grow with rows."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi

from forum.participation import services
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import ActorCategory, Channel, Membership
from tests import factories
from tests.conftest import clear_cache

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = ["/api/ideas", "/api/dialogues", "/api/councils", "/api/regions", "/api/topics"]


@pytest.fixture
def spec(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _validate(spec: dict, path: str, response, status: int = 200) -> None:
    """Validate a real response against the schema the OpenAPI document declares for it."""
    operation = spec["paths"][path]["get"]
    declared = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    schema = {**declared, "components": spec["components"]}
    assert response["Content-Type"].startswith("application/json")
    Draft202012Validator(schema).validate(response.json())


def _routed_and_answered(actor) -> tuple:
    """An idea that went all the way to an answer, and one merged-looking related idea."""
    topic = factories.topic("Calidad de las OTEC")
    dialogue = factories.dialogue(title="Diálogo Concepción", slug="dialogo-concepcion")
    dialogue.topics.add(topic)
    idea = factories.idea(
        title="Fiscalizar mejor a las OTEC",
        body="Que SENCE publique notas.",
        topic=topic,
        dialogue=dialogue,
        channel=Channel.IN_PERSON,
    )
    services.idea_transition(idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=actor)
    services.idea_route(
        idea=idea, council=factories.council("biobio"), actor=actor, answer_due=timezone.localdate()
    )
    services.idea_answer(
        idea=idea,
        outcome=IdeaStatus.ANSWERED_PARTLY,
        actor=actor,
        answer="El consejo acoge en parte: se publicarán evaluaciones en 2026.",
    )
    return idea, topic, dialogue


def test_openapi_document_is_valid_and_described(spec):
    validate_openapi(spec)
    assert spec["info"]["title"]
    assert "CC BY 4.0" in spec["info"]["description"]
    for path in [*LIST_ENDPOINTS, "/api/ideas/{code}", "/api/stats"]:
        operation = spec["paths"][path]["get"]
        assert operation["summary"]
        assert operation["description"]


def test_every_endpoint_answers_what_the_schema_declares(client, spec, admin_user):
    idea, _topic, _dialogue = _routed_and_answered(admin_user)
    factories.idea(title="Otra idea sobre cobertura")
    for path in [*LIST_ENDPOINTS, "/api/stats"]:
        response = client.get(path)
        assert response.status_code == 200, path
        _validate(spec, path, response)
    response = client.get(f"/api/ideas/{idea.tracking_code}")
    assert response.status_code == 200
    _validate(spec, "/api/ideas/{code}", response)
    missing = client.get("/api/ideas/ZZZZ-ZZZZ")
    _validate(spec, "/api/ideas/{code}", missing, status=404)


def test_idea_detail_has_public_history_and_answer(client, admin_user):
    idea, _topic, _dialogue = _routed_and_answered(admin_user)
    # Looked up the way people type codes: lower case, with a space instead of the dash.
    code = idea.tracking_code.lower()
    data = client.get(f"/api/ideas/{code[:4]} {code[4:]}").json()
    assert data["code"] == idea.tracking_code
    assert data["formatted_code"] == f"{idea.tracking_code[:4]}-{idea.tracking_code[4:]}"
    assert data["status"] == "answered_partly"
    assert data["public_answer"].startswith("El consejo acoge en parte")
    assert data["council"] == {"slug": "cre-biobio", "name": factories.council("biobio").name}
    steps = [(h["from"], h["to"]) for h in data["history"]]
    assert steps == [
        (None, "received"),
        ("received", "in_review"),
        ("in_review", "routed"),
        ("routed", "answered_partly"),
    ]
    assert data["history"][-1]["public_message"].startswith("El consejo acoge en parte")
    assert data["history"][0]["to_label"] == "Recibida"


def test_merged_idea_points_to_its_canonical_idea(client):
    canonical = factories.idea(title="Cursos de lengua de señas para instructores")
    duplicate = factories.idea(title="Lengua de señas en los cursos")
    # The merge service belongs to moderation; the API only has to show the link.
    type(duplicate).objects.filter(pk=duplicate.pk).update(
        status=IdeaStatus.MERGED, merged_into=canonical
    )
    data = client.get(f"/api/ideas/{duplicate.tracking_code}").json()
    assert data["status"] == "merged"
    assert data["merged_into"] == canonical.tracking_code
    assert client.get(f"/api/ideas/{canonical.tracking_code}").json()["merged_ideas"] == [
        duplicate.tracking_code
    ]
    listed = client.get("/api/ideas", {"status": "merged"}).json()["results"]
    assert [i["merged_into"] for i in listed] == [canonical.tracking_code]


def test_unknown_or_hidden_code_is_a_json_404(client):
    response = client.get("/api/ideas/ABCD-EFGH")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "ABCD-EFGH" in response.json()["detail"]
    hidden = factories.idea(title="Idea oculta por moderación")
    type(hidden).objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    assert client.get(f"/api/ideas/{hidden.tracking_code}").status_code == 404
    assert client.get("/api/ideas/no-es-un-codigo").status_code == 404


def test_filters(client, admin_user):
    idea, topic, dialogue = _routed_and_answered(admin_user)
    arica = factories.region("arica-y-parinacota")
    other = factories.idea(title="Ampliar cobertura en Arica", region=arica)

    def codes(**params):
        return {i["code"] for i in client.get("/api/ideas", params).json()["results"]}

    assert codes() == {idea.tracking_code, other.tracking_code}
    assert codes(region="biobio") == {idea.tracking_code}
    assert codes(region="arica-y-parinacota") == {other.tracking_code}
    assert codes(topic=topic.slug) == {idea.tracking_code}
    assert codes(dialogue=dialogue.slug) == {idea.tracking_code}
    assert codes(council="cre-biobio") == {idea.tracking_code}
    assert codes(status="received") == {other.tracking_code}
    assert codes(status="answered_partly") == {idea.tracking_code}
    assert codes(q="cobertura") == {other.tracking_code}
    assert codes(q="otec") == {idea.tracking_code}
    assert codes(q=idea.tracking_code.lower()) == {idea.tracking_code}
    assert client.get("/api/ideas", {"status": "nonsense"}).status_code == 422
    dialogues = client.get("/api/dialogues", {"region": "biobio"}).json()
    assert [d["slug"] for d in dialogues] == [dialogue.slug]
    assert dialogues[0]["idea_count"] == 1
    assert dialogues[0]["topics"] == [{"slug": topic.slug, "name": topic.name}]
    assert client.get("/api/dialogues", {"region": "maule"}).json() == []


def test_order_by_supports(client):
    low = factories.idea(title="Poco apoyada")
    high = factories.idea(title="Muy apoyada")
    for _ in range(3):
        services.support_add(idea=high, person=factories.person())
    services.support_add(idea=low, person=factories.person())
    results = client.get("/api/ideas", {"order": "supports"}).json()["results"]
    assert [(i["code"], i["support_count"]) for i in results] == [
        (high.tracking_code, 3),
        (low.tracking_code, 1),
    ]
    results = client.get("/api/ideas", {"order": "recent"}).json()["results"]
    assert [i["code"] for i in results] == [high.tracking_code, low.tracking_code]


def test_pagination_walks_every_idea_once(client) -> None:
    created = {factories.idea(title=f"Idea número {n}").tracking_code for n in range(7)}
    seen: list[str] = []
    url = "/api/ideas?limit=3"
    pages = 0
    while url:
        data = client.get(url).json()
        assert data["count"] == 7
        seen += [i["code"] for i in data["results"]]
        url = data["next"]
        pages += 1
    assert pages == 3
    assert len(seen) == 7
    assert set(seen) == created
    last = client.get("/api/ideas", {"limit": 3, "offset": 6}).json()
    assert last["next"] is None
    assert "offset=3" in last["previous"]
    assert client.get("/api/ideas", {"limit": 500}).status_code == 422


def test_next_link_keeps_the_filters(client):
    for n in range(3):
        factories.idea(title=f"OTEC {n}")
    data = client.get("/api/ideas", {"q": "OTEC", "limit": 1}).json()
    assert "q=OTEC" in data["next"]
    assert data["next"].startswith("http://testserver/api/ideas?")


def _all_responses(client, codes: list[str]) -> list[str]:
    paths = [*LIST_ENDPOINTS, "/api/stats", "/api/ideas?order=supports&limit=100"]
    paths += [f"/api/ideas/{c}" for c in codes]
    bodies = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        bodies.append(response.content.decode())
    return bodies


FORBIDDEN_KEYS = {
    "author",
    "authors",
    "person",
    "user",
    "email",
    "actor",
    "external_id",
    "identity",
    "display_name",
    "username",
    "facilitators",
}


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(set(), *(_keys(v) for v in value))
    return set()


def test_no_personal_data_anywhere(client, admin_user):
    secretary = factories.user("secretaria-zyxwv", email="secretaria.zyxwv@sence.example")
    user = factories.user("quimey-traipi-xq", email="quimey.traipi.xq@correo.example")
    author = factories.person(user_obj=user)
    author.display_name = "Quimey Traipi Xq"
    author.save()
    factories.identity(author, Channel.TELEGRAM, "777123456789")
    council = factories.council("biobio")
    Membership.objects.create(
        council=council,
        person=author,
        actor_category=ActorCategory.EMPLOYERS,
        term_start=timezone.localdate(),
    )
    idea = factories.idea(author=author, title="Capacitación en Lebu", body="Cursos en Lebu.")
    services.support_add(idea=idea, person=author)
    services.idea_transition(idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=secretary)
    services.idea_route(idea=idea, council=council, actor=secretary)
    bodies = _all_responses(client, [idea.tracking_code])
    everything = "\n".join(bodies)
    for secret in [
        "Quimey",
        "Traipi",
        "quimey.traipi.xq@correo.example",
        "quimey-traipi-xq",
        "777123456789",
        "secretaria-zyxwv",
        "secretaria.zyxwv",
    ]:
        assert secret not in everything
    for body in bodies:
        leaked = _keys(json.loads(body)) & FORBIDDEN_KEYS
        assert not leaked, leaked


def test_script_in_an_idea_comes_back_as_a_json_string(client):
    payload = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
    idea = factories.idea(title=payload, body=payload)
    response = client.get(f"/api/ideas/{idea.tracking_code}")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["title"] == payload
    listed = client.get("/api/ideas")
    assert listed["Content-Type"].startswith("application/json")
    assert listed.json()["results"][0]["body"] == payload


def _make_rows(n: int, actor) -> list[str]:
    topic = factories.topic("Uso de tecnología")
    dialogue = factories.dialogue()
    dialogue.topics.add(topic, factories.topic())
    codes = []
    for i in range(n):
        idea = factories.idea(title=f"Idea {i}", topic=topic, dialogue=dialogue)
        if i % 2:
            services.idea_transition(idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=actor)
            services.idea_route(idea=idea, council=factories.council(), actor=actor)
        services.support_add(idea=idea, person=factories.person())
        codes.append(idea.tracking_code)
    factories.dialogue(council=factories.council("maule")).topics.add(topic)
    return codes


def _query_counts(client, extra_detail_code: str) -> dict[str, int]:
    counts = {}
    for path in [
        *LIST_ENDPOINTS,
        "/api/ideas?order=supports&limit=100",
        "/api/stats",
        f"/api/ideas/{extra_detail_code}",
    ]:
        clear_cache()  # the budget is for an uncached request (counts are cached briefly)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        counts["detail" if path.endswith(extra_detail_code) else path] = len(ctx)
    return counts


def test_query_count_does_not_grow_with_rows(client, admin_user):
    few = _make_rows(5, admin_user)
    counts_few = _query_counts(client, few[1])
    _make_rows(45, admin_user)
    counts_many = _query_counts(client, few[1])
    assert counts_few == counts_many
    # A list costs a couple of queries (count + page, or rows + one prefetch), not one per row.
    assert all(counts_many[path] <= 2 for path in LIST_ENDPOINTS)
    assert counts_many["detail"] <= 3
