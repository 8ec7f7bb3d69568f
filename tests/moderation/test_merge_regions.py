"""Issue 18 item 9: the merge page shows each candidate's region, council and status, and a
merge across regions is warned about and needs its own explicit confirmation."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from forum.moderation import services
from forum.moderation.models import Merge
from tests import factories
from tests.moderation.moderation_helpers import moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_client(client):
    user = moderator("moderadora")
    client.force_login(user)
    client.user = user
    return client


def _pair(mod_client, *, other_region="los-lagos"):
    magallanes = factories.idea(
        title="Cursos de soldadura en Punta Arenas", region=factories.region("magallanes")
    )
    lagos = factories.idea(
        title="Cursos de soldadura en Puerto Montt", region=factories.region(other_region)
    )
    if other_region == "los-lagos":
        services.idea_route_cluster(
            idea=lagos, council=factories.council("los-lagos"), actor=mod_client.user
        )
    lagos.refresh_from_db()
    return magallanes, lagos


def _post(mod_client, idea, canonical, merged, **extra):
    versions = json.dumps({str(i.pk): i.updated_at.isoformat() for i in (idea, canonical, merged)})
    data = {
        "candidate": [idea.pk, canonical.pk, merged.pk],
        "canonical": canonical.pk,
        "merged": [merged.pk],
        "public_text": "",
        "public_title": "",
        "reason": "Misma propuesta",
        "versions": versions,
        **extra,
    }
    return mod_client.post(reverse("moderation:merge", args=[idea.pk]), data)


def test_the_merge_page_shows_region_council_and_status_of_each_candidate(mod_client):
    magallanes, lagos = _pair(mod_client)
    html = mod_client.get(
        reverse("moderation:merge", args=[magallanes.pk]), {"candidate": [lagos.pk]}
    ).content.decode()
    assert "Región: Magallanes" in html
    assert "Región: Los Lagos" in html
    assert f"Consejo: {factories.council('los-lagos').name}" in html
    assert "Consejo: sin derivar" in html
    assert "Derivada" in html  # the routed one's status


def test_a_cross_region_merge_warns_and_needs_the_box_ticked(mod_client):
    magallanes, lagos = _pair(mod_client)
    review = _post(mod_client, magallanes, lagos, magallanes).content.decode()
    assert "Atención: estas ideas son de regiones distintas" in review
    assert 'name="cross_region"' in review
    # Confirming without ticking the box merges nothing and says why.
    again = _post(mod_client, magallanes, lagos, magallanes, confirm="True").content.decode()
    assert "confírmalo marcando la casilla" in again
    assert not Merge.objects.exists()
    done = _post(mod_client, magallanes, lagos, magallanes, confirm="True", cross_region="on")
    assert done.status_code == 302
    assert Merge.objects.filter(canonical=lagos, merged=magallanes).exists()


def test_a_merge_within_one_region_asks_nothing_more(mod_client):
    one, two = _pair(mod_client, other_region="magallanes")
    review = _post(mod_client, one, two, one).content.decode()
    assert "regiones distintas" not in review
    assert 'name="cross_region"' not in review
    assert _post(mod_client, one, two, one, confirm="True").status_code == 302
