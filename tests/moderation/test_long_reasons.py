"""A moderator's hide/restore reason, a report's reason, a routing's public message and a
merge's or unmerge's texts that run over their limit are refused whole, with the text kept and
its length said, never cut: no browser maxlength (a pasted text would be cut without a word), a
live counter from data-maxlength."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from forum.moderation import services
from forum.moderation.models import AuditEntry, Merge, Report
from forum.notifications.models import Notification
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea
from tests import factories
from tests.moderation.moderation_helpers import moderator

pytestmark = pytest.mark.django_db


def _textarea(html: str, name: str) -> str:
    textarea = re.search(rf"<textarea[^>]*name=\"{name}\"[^>]*>", html)
    assert textarea is not None
    return textarea.group(0)


def _no_browser_cut(tag: str, limit: int) -> None:
    assert "maxlength=" not in tag.replace("data-maxlength=", "")
    assert f'data-maxlength="{limit}"' in tag


@pytest.fixture
def mod_client(client):
    client.force_login(moderator("moderadora"))
    return client


def test_reports_page_has_a_counter_not_a_browser_cut(mod_client, settings):
    settings.REPORTS_TO_HIDE = 5
    idea = factories.idea(title="Contenido dudoso")
    services.content_report(reporter=factories.person(), target=idea, reason="spam")
    html = mod_client.get(reverse("moderation:reports")).content.decode()
    _no_browser_cut(_textarea(html, "reason"), 300)
    assert "participation/charcount" in html
    html = mod_client.get(reverse("moderation:idea", args=[idea.pk])).content.decode()
    _no_browser_cut(_textarea(html, "reason"), 300)


@pytest.mark.parametrize("restoring", [False, True])
def test_an_over_long_hide_or_restore_reason_is_refused_whole(mod_client, restoring):
    idea = factories.idea(title="Contenido dudoso")
    if restoring:
        services.content_hide(target=idea, actor=moderator("otra"), reason="Spam")
    before = Idea.objects.get(pk=idea.pk)
    notified = Notification.objects.count()
    audited = AuditEntry.objects.count()
    reason = "Motivo largo del equipo de moderación. " * 10 + "FIN."
    assert len(reason) > 300
    url = reverse("moderation:restore" if restoring else "moderation:hide", args=["idea", idea.pk])
    response = mod_client.post(url, {"reason": reason, "next": "/moderacion/reportes/"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "FIN.</textarea>" in html  # the whole reason, to shorten
    assert f"Tiene {len(reason)} caracteres; el máximo es 300" in html
    _no_browser_cut(_textarea(html, "reason"), 300)
    assert 'name="next" value="/moderacion/reportes/"' in html
    idea.refresh_from_db()
    assert (idea.hidden_at, idea.hidden_reason) == (before.hidden_at, before.hidden_reason)
    assert Notification.objects.count() == notified
    assert AuditEntry.objects.count() == audited
    # Shortened, it goes through as usual.
    response = mod_client.post(url, {"reason": reason[-200:], "next": "/moderacion/reportes/"})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.hidden_at is None) == restoring
    if not restoring:
        assert idea.hidden_reason == reason[-200:].strip()


def test_the_service_refuses_an_over_long_reason_rather_than_cutting_it():
    idea = factories.idea(title="Contenido dudoso")
    with pytest.raises(services.ModerationError):
        services.content_hide(target=idea, actor=moderator(), reason="x" * 301 + " FIN")
    idea.refresh_from_db()
    assert idea.hidden_at is None
    services.content_hide(target=idea, actor=moderator("otra"), reason="x" * 300)
    idea.refresh_from_db()
    assert idea.hidden_reason == "x" * 300


def test_an_over_long_report_is_refused_with_the_text_kept(client):
    user = factories.user()
    factories.person(user_obj=user)
    client.force_login(user)
    idea = factories.idea(title="Contenido dudoso")
    url = reverse("moderation:report", args=["idea", idea.pk])
    html = client.get(url).content.decode()
    _no_browser_cut(_textarea(html, "reason"), 500)
    assert "participation/charcount" in html
    reason = "Esto es publicidad engañosa. " * 20 + "FIN."
    response = client.post(url, {"reason": reason})
    assert response.status_code == 200
    html = response.content.decode()
    assert "FIN.</textarea>" in html
    assert f"Tiene {len(reason)} caracteres; el máximo es 500" in html
    assert not Report.objects.exists()


def test_an_over_long_routing_message_is_refused_with_the_text_kept(mod_client):
    council = factories.council("biobio")
    idea = factories.idea(title="Para derivar")
    url = reverse("moderation:route", args=[idea.pk])
    html = mod_client.get(url).content.decode()
    _no_browser_cut(_textarea(html, "public_message"), 1000)
    assert "participation/charcount" in html
    message = "Mensaje público para la autora. " * 40 + "FIN."
    response = mod_client.post(url, {"council": council.pk, "public_message": message})
    assert response.status_code == 200
    html = response.content.decode()
    assert "FIN.</textarea>" in html
    assert f"Tiene {len(message)} caracteres; el máximo es 1000" in html
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.RECEIVED


def _field(html: str, name: str) -> str:
    field = re.search(rf"<(?:textarea|input)[^>]*name=\"{name}\"[^>]*>", html)
    assert field is not None
    return field.group(0)


def test_the_moderators_idea_page_counts_both_reasons(mod_client):
    canonical = factories.idea(title="Más cursos de grúa horquilla en Coronel")
    dup = factories.idea(title="Cursos de grúa horquilla en Coronel")
    services.idea_merge(canonical=canonical, merged=[dup], actor=moderator("otra"))
    html = mod_client.get(reverse("moderation:idea", args=[dup.pk])).content.decode()
    unmerge, hide = re.findall(r"<textarea[^>]*name=\"reason\"[^>]*>", html)
    _no_browser_cut(unmerge, 1000)
    _no_browser_cut(hide, 300)
    assert "participation/charcount.js" in html


def test_the_merge_page_counts_its_texts(mod_client):
    idea = factories.idea(title="Cursos de grúa horquilla en Coronel")
    html = mod_client.get(reverse("moderation:merge", args=[idea.pk])).content.decode()
    _no_browser_cut(_field(html, "public_title"), 200)
    _no_browser_cut(_field(html, "public_text"), 5000)
    _no_browser_cut(_field(html, "reason"), 1000)
    assert "participation/charcount.js" in html


def test_an_over_long_unmerge_reason_is_refused_with_the_text_kept(mod_client):
    canonical = factories.idea(title="Más cursos de grúa horquilla en Coronel")
    dup = factories.idea(title="Cursos de grúa horquilla en Coronel")
    services.idea_merge(canonical=canonical, merged=[dup], actor=moderator("otra"))
    reason = "La fusión juntó dos propuestas distintas. " * 30 + "FIN."
    response = mod_client.post(reverse("moderation:unmerge", args=[dup.pk]), {"reason": reason})
    assert response.status_code == 200
    html = response.content.decode()
    assert "FIN.</textarea>" in html
    assert f"Tiene {len(reason)} caracteres; el máximo es 1000" in html
    dup.refresh_from_db()
    assert dup.merged_into == canonical
    response = mod_client.post(reverse("moderation:unmerge", args=[dup.pk]), {"reason": "Otra"})
    dup.refresh_from_db()
    assert dup.merged_into is None


def test_an_over_long_merged_text_comes_back_before_the_confirmation(mod_client):
    canonical = factories.idea(title="Más cursos de grúa horquilla en Coronel")
    dup = factories.idea(title="Cursos de grúa horquilla en Coronel")
    url = reverse("moderation:merge", args=[dup.pk])
    versions = mod_client.get(url).context["form"].initial["versions"]
    text = "Cursos de grúa horquilla en Coronel y Lota, con práctica. " * 90 + "FIN."
    response = mod_client.post(
        url,
        {
            "candidate": [dup.pk, canonical.pk],
            "canonical": canonical.pk,
            "merged": [dup.pk],
            "public_title": "",
            "public_text": text,
            "reason": "Misma propuesta",
            "versions": versions,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confirmar la fusión" not in html
    assert "FIN.</textarea>" in html
    assert f"Tiene {len(text)} caracteres; el máximo es 5000" in html
    assert not Merge.objects.exists()
