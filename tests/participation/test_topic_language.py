"""Topics are rows, not gettext strings: their English name shows on English pages, in the API
and in the bots' topic buttons (issue 18, item 5)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from forum.participation.models import Topic
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return Topic.objects.create(
        name="Calidad de las OTEC",
        name_en="Quality of training providers (OTEC)",
        slug="calidad-otec-t",
    )


def test_idea_pages_show_the_topic_in_the_pages_language(client, topic):
    idea = factories.idea(title="Fiscalizar de verdad la calidad de las OTEC", topic=topic)
    client.cookies["django_language"] = "en"
    detail = client.get(f"/ideas/{idea.formatted_code}/").content.decode()
    assert "Quality of training providers (OTEC)" in detail
    listing = client.get("/ideas/").content.decode()
    assert "Quality of training providers (OTEC)" in listing
    client.cookies["django_language"] = "es"
    assert "Calidad de las OTEC" in client.get(f"/ideas/{idea.formatted_code}/").content.decode()


def test_the_api_names_topics_in_the_requests_language(client, topic):
    factories.idea(title="Fiscalizar de verdad la calidad de las OTEC", topic=topic)
    english = client.get("/api/topics", headers={"accept-language": "en"}).json()
    assert {t["name"] for t in english} >= {"Quality of training providers (OTEC)"}
    spanish = client.get("/api/topics", headers={"accept-language": "es"}).json()
    assert {t["name"] for t in spanish} >= {"Calidad de las OTEC"}
    ideas = client.get("/api/ideas", headers={"accept-language": "en"}).json()
    assert ideas["results"][0]["topic"]["name"] == "Quality of training providers (OTEC)"


def test_the_migration_names_the_seed_topics_in_english():
    seed = Topic.objects.create(name="Uso de tecnología", slug="uso-tecnologia")
    migration = importlib.import_module("forum.participation.migrations.0010_topic_name_en")
    migration.forwards(apps, None)
    seed.refresh_from_db()
    assert seed.name_en == "Use of technology"


def test_the_api_describes_topics_in_the_requests_language(client):
    Topic.objects.create(
        name="Empleabilidad",
        slug="empleabilidad-t",
        description="Del curso al empleo: intermediación, orientación y apoyo.",
        description_en="From the course to a job: placement, guidance and support.",
    )
    english = client.get("/api/topics", headers={"accept-language": "en"}).json()
    assert "From the course to a job: placement, guidance and support." in {
        t["description"] for t in english
    }
    spanish = client.get("/api/topics", headers={"accept-language": "es"}).json()
    assert "Del curso al empleo: intermediación, orientación y apoyo." in {
        t["description"] for t in spanish
    }


def test_a_topic_without_an_english_description_keeps_its_own(client):
    Topic.objects.create(name="Tema local", slug="tema-local-t", description="Solo en castellano.")
    english = client.get("/api/topics", headers={"accept-language": "en"}).json()
    assert "Solo en castellano." in {t["description"] for t in english}


def test_the_migration_describes_the_seed_topics_in_english():
    seed = Topic.objects.create(name="Uso de tecnología", slug="uso-tecnologia")
    migration = importlib.import_module("forum.participation.migrations.0016_topic_description_en")
    migration.forwards(apps, None)
    seed.refresh_from_db()
    assert seed.description_en == "Technology to train, apply and follow up."
