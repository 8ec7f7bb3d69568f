"""The group queue: groups first, one decision per group, filters; the idea queue's filters;
the author's web «Mi idea es distinta»."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum.moderation.models import AuditEntry, DuplicateGroup, Merge, NotDuplicate
from forum.participation import services as participation
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea
from tests import factories
from tests.moderation.moderation_helpers import _fresh_index, moderator, support  # noqa: F401

pytestmark = pytest.mark.django_db

OTEC = [
    ("Fiscalizar la calidad de las OTEC en el Biobío", "Nadie fiscaliza los cursos de las OTEC."),
    ("Fiscalizar de verdad la calidad de las OTEC del Biobío", "Nadie fiscaliza a las OTEC."),
    ("Más fiscalización a las OTEC en Biobío", "La calidad de los cursos de las OTEC es mala."),
]


@pytest.fixture
def mod_client(client):
    client.force_login(moderator("moderadora"))
    return client


def _otec(**kw):
    return [factories.idea(title=t, body=b, **kw) for t, b in OTEC]


def test_groups_come_first_with_the_canonical_and_the_differences(mod_client):
    a, b, c = _otec()
    support(c, factories.person())
    lone = factories.idea(title="Más horas en el consultorio de Lota")
    html = mod_client.get(reverse("moderation:groups")).content.decode()
    assert "1 grupo" in html
    assert "3 ideas" in html
    assert a.title in html
    assert b.formatted_code in html
    assert c.formatted_code in html
    assert lone.title not in html
    assert 'class="diff-ins">' in html
    assert "Región de Biobío" in html or "Biobío" in html
    assert f'value="drop:{b.pk}"' in html
    assert f'value="canonical:{c.pk}"' in html
    assert "Fusionar todas en la canónica" in html


def test_merge_all_in_one_decision_carries_the_supports(mod_client):
    a, b, c = _otec()
    fan = factories.person()
    support(b, fan)
    group = DuplicateGroup.objects.get()
    response = mod_client.post(
        reverse("moderation:group_decide", args=[group.pk]),
        {"action": "merge", "member": [a.pk, b.pk, c.pk], "reason": "iguales"},
    )
    assert response.status_code == 302
    assert set(Idea.objects.filter(merged_into=a).values_list("pk", flat=True)) == {b.pk, c.pk}
    a.refresh_from_db()
    assert a.support_count == 1
    assert AuditEntry.objects.filter(action="group.merge").exists()
    assert not DuplicateGroup.objects.exists()


def test_a_stale_page_does_not_merge(mod_client):
    a, b, _c = _otec()
    group = DuplicateGroup.objects.get()
    response = mod_client.post(
        reverse("moderation:group_decide", args=[group.pk]),
        {"action": "merge", "member": [a.pk, b.pk]},
        follow=True,
    )
    assert "El grupo cambió" in response.content.decode()
    assert not Merge.objects.exists()


def test_drop_canonical_and_split(mod_client):
    a, b, c = _otec()
    group = DuplicateGroup.objects.get()
    url = reverse("moderation:group_decide", args=[group.pk])
    mod_client.post(url, {"action": f"canonical:{c.pk}"})
    group.refresh_from_db()
    assert group.canonical_id == c.pk
    mod_client.post(url, {"action": f"drop:{b.pk}"})
    assert NotDuplicate.objects.count() == 2
    assert set(Idea.objects.filter(duplicate_group__group=group).values_list("pk", flat=True)) == {
        a.pk,
        c.pk,
    }
    assert mod_client.post(url, {"action": "nonsense"}).status_code == 400
    assert mod_client.post(url, {"action": "drop:abc"}).status_code == 404


def test_split_keeps_the_parts_apart(mod_client):
    a, b, c = _otec()
    group = DuplicateGroup.objects.get()
    url = reverse("moderation:group_decide", args=[group.pk])
    mod_client.post(url, {"action": "split", "split": [c.pk]})
    assert set(Idea.objects.filter(duplicate_group__group=group).values_list("pk", flat=True)) == {
        a.pk,
        b.pk,
    }
    assert NotDuplicate.objects.count() == 2


def test_filters_by_region_and_channel(mod_client):
    _otec()
    factories.region("maule")
    html = mod_client.get(reverse("moderation:groups"), {"region": "maule"}).content.decode()
    assert "0 grupos" in html
    html = mod_client.get(reverse("moderation:groups"), {"canal": "telegram"}).content.decode()
    assert "0 grupos" in html
    html = mod_client.get(reverse("moderation:groups"), {"canal": "web"}).content.decode()
    assert "1 grupo" in html


def test_idea_queue_filters_and_status(mod_client):
    a, _b, _c = _otec()
    other = factories.idea(title="Ciclovía en Talca", region=factories.region("maule"))
    html = mod_client.get(reverse("moderation:queue"), {"region": "maule"}).content.decode()
    assert other.title in html
    assert a.title not in html
    assert "1 idea" in html
    mod = moderator("otra")
    participation.idea_transition(
        idea=other, to_status=IdeaStatus.NOT_ADMITTED, actor=mod, public_message="No procede."
    )
    html = mod_client.get(reverse("moderation:queue"), {"estado": "not_admitted"}).content.decode()
    assert other.title in html
    assert a.title not in html


def test_group_queue_query_count_does_not_grow(mod_client, django_assert_max_num_queries):
    _otec()
    mod_client.get(reverse("moderation:groups"))
    with django_assert_max_num_queries(20) as few:
        mod_client.get(reverse("moderation:groups"))
    budget = len(few)
    for n in range(4):
        factories.idea(title=f"Ciclovía protegida número {n} en avenida Pedro de Valdivia")
        factories.idea(title=f"Ciclovía segura número {n} en la avenida Pedro de Valdivia")
    assert DuplicateGroup.objects.count() >= 2
    with django_assert_max_num_queries(budget):
        mod_client.get(reverse("moderation:groups"))


def test_the_author_separates_an_auto_merged_idea_on_the_web(client):
    first = factories.idea(title=OTEC[0][0], body=OTEC[0][1])
    user = factories.user("autora")
    author = factories.person(user_obj=user)
    repost = factories.idea(title=OTEC[0][0], body=OTEC[0][1], author=author)
    assert repost.merged_into_id == first.pk
    client.force_login(user)
    page = client.get(reverse("participation:idea_submitted", args=[repost.formatted_code]))
    html = page.content.decode()
    assert "Mi idea es distinta" in html
    url = reverse("moderation:declare_distinct", args=[repost.formatted_code])
    assert f'action="{url}"' in html
    # Someone else may not.
    intruder = factories.user("intrusa")
    factories.person(user_obj=intruder)
    other = client.__class__()
    other.force_login(intruder)
    assert other.post(url).status_code == 403
    assert client.post(url).status_code == 302
    repost.refresh_from_db()
    assert repost.merged_into_id is None
    assert DuplicateGroup.objects.filter(members__idea=repost).exists()
