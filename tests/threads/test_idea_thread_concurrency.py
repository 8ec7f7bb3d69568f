"""Two people write the first message of an idea's conversation at the same instant, on
PostgreSQL: both messages are kept, in one thread."""

from __future__ import annotations

import pytest

from forum.threads import services
from forum.threads.models import Post, Thread
from tests import factories
from tests.moderation.moderation_helpers import _fresh_index  # noqa: F401
from tests.moderation.test_services_concurrency import _race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("_round", range(3))
def test_two_first_messages_at_once_open_one_thread(_round):
    idea = factories.idea(title=f"Baños públicos en la feria de Angol {_round}")
    people = [factories.person(user_obj=factories.user()) for _ in range(2)]
    outcomes = _race(
        [
            lambda: services.idea_post_create(idea=idea, author=people[0], body="Primera"),
            lambda: services.idea_post_create(idea=idea, author=people[1], body="Segunda"),
        ]
    )
    assert all(isinstance(o, Post) for o in outcomes), outcomes
    thread = Thread.objects.get(idea=idea)
    assert sorted(thread.posts.values_list("body", flat=True)) == ["Primera", "Segunda"]
