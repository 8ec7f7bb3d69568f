"""The thread page's post form follows the page language (QA m1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .helpers import citizen, public_thread

pytestmark = pytest.mark.django_db


def test_post_form_help_text_is_in_the_page_language(client):
    user, _person = citizen()
    thread = public_thread()
    client.force_login(user)
    url = reverse("threads:detail", args=[thread.pk])

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You can use *italics*" in english
    assert "Puedes usar" not in english

    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Puedes usar *cursiva*" in spanish
    assert "Máximo 5000 caracteres" in spanish
