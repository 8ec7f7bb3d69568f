"""The audit page's text search: words of a moderator's reason or of the before/after summaries
find their rows, together with the other filters and across pages."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.urls import reverse

from forum.moderation import services
from tests import factories
from tests.moderation.moderation_helpers import moderator

pytestmark = pytest.mark.django_db

URL = "/moderacion/auditoria/"


@pytest.fixture
def mod_client(client):
    client.force_login(moderator("moderadora"))
    return client


def _found(client, **params) -> list[tuple[str, str]]:
    page = client.get(URL, params).context["page"]
    return [(e.action, e.reason) for e in page.object_list]


def test_the_audit_url():
    assert reverse("moderation:audit") == URL


def test_search_finds_words_of_the_reason_and_of_the_before_after(mod_client):
    actor = moderator("otra")
    canonical = factories.idea(title="Talleres de oficios")
    dup = factories.idea(title="Más talleres de oficios")
    services.idea_merge(
        canonical=canonical,
        merged=[dup],
        actor=actor,
        public_title="Talleres de oficios en Ñuble",
        reason="Misma propuesta en Chillán",
    )
    spam = factories.idea(title="Compre ahora")
    services.content_hide(target=spam, actor=actor, reason="Publicidad y datos personales")
    services.content_restore(target=spam, actor=actor, reason="Era una idea real")

    # The reason, whatever the case.
    assert _found(mod_client, q="chillán") == [("idea.merge", "Misma propuesta en Chillán")]
    # The before/after summaries: the merge's new title; the hidden reason the restore undid.
    assert _found(mod_client, q="oficios en Ñuble") == [
        ("idea.merge", "Misma propuesta en Chillán")
    ]
    assert _found(mod_client, q="DATOS PERSONALES") == [
        ("content.restore", "Era una idea real"),
        ("content.hide", "Publicidad y datos personales"),
    ]
    # With the other filters.
    assert _found(mod_client, q="publicidad", accion="content.restore") == [
        ("content.restore", "Era una idea real")
    ]
    assert _found(mod_client, q="publicidad", id=str(canonical.pk)) == []
    assert _found(mod_client, q="nada parecido") == []
    assert len(_found(mod_client, q="")) == 3


def test_the_search_stays_in_the_form_and_in_the_page_links(mod_client):
    actor = moderator("otra")
    for n in range(51):
        services.content_hide(
            target=factories.idea(title=f"Aviso {n}"), actor=actor, reason=f"Spam número {n}"
        )
    services.content_hide(target=factories.idea(), actor=actor, reason="Otra cosa")
    page = mod_client.get(URL, {"q": "spam número"}).content.decode()
    assert re.search(r'<input[^>]*name="q"[^>]*value="spam número"', page)
    assert "Página 1 de 2" in page
    assert len(re.findall(r">Spam número \d+</td>", page)) == 50
    next_link = re.search(r'href="([^"]*)">Siguiente', page)
    assert next_link is not None
    following = html_lib.unescape(next_link[1])
    assert "q=spam+n%C3%BAmero" in following
    second = mod_client.get(URL + following).content.decode()
    assert "Página 2 de 2" in second
    assert len(re.findall(r">Spam número \d+</td>", second)) == 1
    assert "Otra cosa" not in page + second
