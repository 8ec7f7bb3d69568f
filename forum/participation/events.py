"""Real-time event groups of the participation app (shapes: ``forum/moderation/events.py``)."""

from __future__ import annotations

# The moderators' queue (moderation.consumers) listens here; participation publishes the ideas
# that arrive and the statuses that change, moderation its merges and content decisions.
MODERATION_GROUP = "moderation.queue"
