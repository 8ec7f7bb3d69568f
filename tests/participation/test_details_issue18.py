"""Issue 18 item 16: the small things a newcomer notices. Thousands separators, «tú» in the
password help, «derivada al Consejo…», no «---------» choice, a «participantes» figure that
does not grow with bare sign-ups; and, in Chromium on a phone, a menu of at most two rows and
room between the top bar and an idea's code."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum.moderation import services as moderation
from forum.participation.models import Idea
from forum.threads.models import Thread
from tests import factories
from tests.moderation.moderation_helpers import moderator

pytestmark = pytest.mark.django_db


def test_big_numbers_have_chiles_thousands_separator(client):
    idea = factories.idea()
    Idea.objects.filter(pk=idea.pk).update(support_count=1820)
    home = client.get("/").content.decode()
    assert '<span class="stat-number">1.820</span>' in home
    page = client.get(reverse("participation:idea_detail", args=[idea.formatted_code]))
    assert '<span class="support-count">1.820</span>' in page.content.decode()
    client.cookies["django_language"] = "en"
    assert '<span class="stat-number">1,820</span>' in client.get("/").content.decode()


def test_the_password_help_speaks_tu(client):
    html = client.get(reverse("signup")).content.decode()
    assert "Tu contraseña" in html
    assert "Su contraseña" not in html
    assert "introduzca" not in html


def test_routed_says_derivada_al_consejo(client):
    idea = factories.idea()
    council = factories.council("biobio")
    moderation.idea_route_cluster(idea=idea, council=council, actor=moderator())
    html = client.get(reverse("participation:idea_detail", args=[idea.formatted_code]))
    assert f"Tu idea fue derivada al {council.name}." in html.content.decode()


def test_no_dashes_as_an_empty_choice(client):
    idea = factories.idea()
    client.force_login(moderator("moderadora"))
    pages = [
        reverse("moderation:route", args=[idea.pk]),
        reverse("participation:idea_submit"),
        reverse("participation:idea_list"),
    ]
    for url in pages:
        assert "---------" not in client.get(url).content.decode(), url


def test_the_thread_form_has_no_dashes_either(admin_client):
    factories.council("biobio")
    html = admin_client.get(reverse("threads:open")).content.decode()
    assert "---------" not in html
    assert Thread.objects.count() == 0


def test_participants_are_people_who_took_part_not_bare_accounts(client):
    factories.idea()  # its author took part
    before = client.get("/").context["stats"].participants
    for _ in range(3):
        factories.person(user_obj=factories.user())  # signed up, did nothing yet
    from django.core.cache import cache

    cache.clear()
    assert client.get("/").context["stats"].participants == before == 1
