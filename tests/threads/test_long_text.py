"""A moderator's hide reason and a new thread's title are never cut: no browser maxlength (a
pasted text would lose its end without a word), the live counter's data-maxlength instead, and
an over-long text is refused whole, with its length said and the text back in the field."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.urls import reverse

from forum.moderation.models import AuditEntry
from forum.moderation.roles import MODERATION
from forum.participation.models import Membership
from forum.threads import services
from forum.threads.models import Post, Thread
from tests import factories as f

from .helpers import citizen, member, public_thread

pytestmark = pytest.mark.django_db

REASON = "Publicidad de cursos pagados que no tiene relación con el hilo. " * 5 + "FIN."
TITLE = "Preparación de la sesión de marzo: ferias laborales y cupos de capacitación. " * 3
TITLE += "FIN."


def _input(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def _counted_not_cut(tag: str, limit: int) -> None:
    assert "maxlength=" not in tag.replace("data-maxlength=", "")
    assert f'data-maxlength="{limit}"' in tag


def _value(tag: str) -> str:
    match = re.search(r'value="([^"]*)"', tag)
    return html_lib.unescape(match.group(1)) if match else ""


@pytest.fixture
def hiding(client):
    """A moderator on the hide page of someone's post: (post, url, the page's HTML)."""
    _u, person = citizen()
    post = services.post_create(thread=public_thread(), author=person, body="Compra mis cursos")
    client.force_login(f.user(is_staff=True, groups=[MODERATION]))
    url = reverse("threads:post_hide", args=[post.pk])
    return post, url, client.get(url).content.decode()


def test_the_hide_reason_has_a_counter_and_no_browser_cut(hiding):
    _post, _url, html = hiding
    _counted_not_cut(_input(html, "reason"), services.HIDE_REASON_MAX_LENGTH)
    assert "participation/charcount.js" in html


def test_an_over_long_hide_reason_is_refused_whole_and_kept(client, hiding):
    post, url, _html = hiding
    assert len(REASON) > services.HIDE_REASON_MAX_LENGTH
    audited = AuditEntry.objects.count()
    response = client.post(url, {"reason": REASON})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Tiene {len(REASON)} caracteres; el máximo es 300. Acórtalo y envíalo." in html
    tag = _input(html, "reason")
    assert _value(tag) == REASON  # the whole text, to shorten
    _counted_not_cut(tag, services.HIDE_REASON_MAX_LENGTH)
    post.refresh_from_db()
    assert post.hidden_at is None
    assert AuditEntry.objects.count() == audited
    # Shortened, it goes through and the thread shows it whole.
    response = client.post(url, {"reason": REASON[-250:]})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden_at is not None
    assert post.hidden_reason == REASON[-250:].strip()


def test_the_service_refuses_an_over_long_hide_reason_rather_than_cutting_it():
    _u, person = citizen()
    post = services.post_create(thread=public_thread(), author=person, body="Compra mis cursos")
    mod = f.user(is_staff=True, groups=[MODERATION])
    with pytest.raises(services.ThreadError) as refused:
        services.post_hide(post=post, actor=mod, reason="x" * 301)
    assert "301 caracteres; el máximo es 300" in refused.value.messages[0]
    assert Post.objects.get(pk=post.pk).hidden_at is None
    services.post_hide(post=post, actor=mod, reason="x" * 300)
    assert Post.objects.get(pk=post.pk).hidden_reason == "x" * 300


@pytest.fixture
def opening(client):
    """A council's secretary on the "open a thread" page: (council, the page's HTML)."""
    council = f.council("biobio")
    sec, _p = member(council, role=Membership.Role.SECRETARY)
    client.force_login(sec)
    return council, client.get(reverse("threads:open")).content.decode()


def test_the_thread_title_has_a_counter_and_no_browser_cut(opening):
    _council, html = opening
    _counted_not_cut(_input(html, "title"), 200)
    assert "participation/charcount.js" in html


def test_an_over_long_thread_title_is_refused_whole_and_kept(client, opening):
    council, _html = opening
    assert len(TITLE) > 200
    data = {"council": council.pk, "kind": "council", "title": TITLE, "visibility": "public"}
    response = client.post(reverse("threads:open"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Tiene {len(TITLE)} caracteres; el máximo es 200. Acórtalo y envíalo." in html
    tag = _input(html, "title")
    assert _value(tag) == TITLE
    _counted_not_cut(tag, 200)
    assert not Thread.objects.filter(council=council, kind=Thread.Kind.COUNCIL).exists()
    # Shortened, the thread opens with the title as typed.
    response = client.post(reverse("threads:open"), {**data, "title": TITLE[:200]})
    assert response.status_code == 302
    thread = Thread.objects.get(council=council, kind=Thread.Kind.COUNCIL)
    assert thread.title == TITLE[:200].strip()


def test_the_refusal_is_in_english_on_an_english_page(client, opening):
    council, _html = opening
    data = {"council": council.pk, "kind": "council", "title": TITLE, "visibility": "public"}
    response = client.post(reverse("threads:open"), data, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert f"It has {len(TITLE)} characters; the maximum is 200." in html


def test_the_service_refuses_an_over_long_thread_title_rather_than_cutting_it():
    # Any caller, not only the form: a 201-character title used to be saved cut to 200.
    council = f.council("biobio")
    with pytest.raises(services.ThreadError) as refused:
        services.thread_create(kind=Thread.Kind.COUNCIL, title="t" * 201, council=council)
    assert "201 caracteres; el máximo es 200" in refused.value.messages[0]
    assert not Thread.objects.filter(kind=Thread.Kind.COUNCIL).exists()
    thread = services.thread_create(kind=Thread.Kind.COUNCIL, title="t" * 200, council=council)
    assert thread.title == "t" * 200
