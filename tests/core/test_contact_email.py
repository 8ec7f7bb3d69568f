"""The privacy page gives the address to write to about one's data (QA m11)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_privacy_page_shows_the_contact_address(client, settings):
    settings.CONTACT_EMAIL = "datos@ejemplo.cl"
    html = client.get(reverse("participation:privacy")).content.decode()
    assert 'Escríbenos a <a href="mailto:datos@ejemplo.cl">datos@ejemplo.cl</a>' in html
    assert "correo del sitio" not in html

    english = client.get(reverse("participation:privacy"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'Write to <a href="mailto:datos@ejemplo.cl">datos@ejemplo.cl</a>' in (
        english.content.decode()
    )


def test_contact_address_is_escaped(client, settings):
    settings.CONTACT_EMAIL = '"><script>x</script>'
    html = client.get(reverse("participation:privacy")).content.decode()
    assert "<script>x" not in html
