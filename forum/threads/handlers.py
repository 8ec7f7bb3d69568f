"""How a moderator's hide or restore of a post reaches the moderation app: registered at
start-up.

Hiding content is the moderation app's action for any kind of content (an idea or a post): it
keeps the audit row, tells the author and resolves the open reports. moderation stands above
threads, so threads cannot call it; the moderation app registers its actions here from
``AppConfig.ready()``, and ``post_hide``/``post_restore`` (threads' services, which check the
thread's own rules first) hand the post to them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from .models import Post

# (target=, actor=, reason=) -> the target, hidden or shown again.
ContentAction = Callable[..., Any]

_actions: dict[str, ContentAction] = {}


def register_moderation(*, hide: ContentAction, restore: ContentAction) -> None:
    _actions.update(hide=hide, restore=restore)


def _action(name: str) -> ContentAction:
    try:
        return _actions[name]
    except KeyError:
        raise ImproperlyConfigured(
            "Hiding posts needs the moderation app (forum.moderation) in INSTALLED_APPS."
        ) from None


def hide(*, post: Post, actor: Any, reason: str) -> None:
    _action("hide")(target=post, actor=actor, reason=reason)


def restore(*, post: Post, actor: Any, reason: str) -> None:
    _action("restore")(target=post, actor=actor, reason=reason)
