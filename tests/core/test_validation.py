"""``core.validation.full_clean``: Django's ``full_clean`` minus the existence query of a foreign
key the service already holds; every error a person could cause is still reported the same."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.core.validation import full_clean
from forum.threads.models import Post, Thread
from tests import factories

pytestmark = pytest.mark.django_db


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_held_objects_are_not_looked_up_again():
    idea = factories.idea(title="Cursos de soldadura para jóvenes de Lota")
    thread = Thread(kind=Thread.Kind.IDEA, title=idea.title, idea=idea, council=factories.council())
    with CaptureQueriesContext(connection) as queries:
        full_clean(thread)
    tables = " ".join(q["sql"] for q in queries)
    # Django's own full_clean asks for the idea and the council by primary key; held, they exist.
    assert '"participation_idea"' not in tables
    assert '"participation_council"' not in tables
    # The one-thread-per-idea rule is still checked before the insert.
    assert '"threads_thread"' in tables


def test_the_same_errors_as_djangos_full_clean():
    author = factories.person()
    thread = Thread.objects.create(kind=Thread.Kind.TOPIC, title="Hilo")
    too_long = Thread(kind="nada", title="x" * 300, council=factories.council())
    assert set(_errors(lambda: full_clean(too_long))) == {"kind", "title"}
    assert _errors(lambda: full_clean(too_long)) == _errors(too_long.full_clean)
    # A foreign key given by id only is not held: it is still checked against the database.
    dangling = Post(thread_id=999_999, author=author, body="Hola", body_html="Hola")
    assert "thread" in _errors(lambda: full_clean(dangling))
    assert _errors(lambda: full_clean(dangling)) == _errors(dangling.full_clean)
    # A required key left empty is reported as Django reports it.
    orphan = Post(thread=thread, body="Hola", body_html="Hola")
    assert _errors(lambda: full_clean(orphan)) == _errors(orphan.full_clean)
    # A held object that was never saved is not trusted either.
    unsaved = Post(thread=Thread(kind=Thread.Kind.TOPIC, title="x"), author=author, body="Hola")
    with pytest.raises(ValidationError):
        full_clean(unsaved)
