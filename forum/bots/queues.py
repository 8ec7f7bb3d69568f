"""The bots' two durable job queues (:mod:`forum.core.jobs`): inbound updates and replies.

- ``UPDATES``: every platform update, stored by the webhook before it answers 200 (the webhook
  does nothing else; the worker's kind ``updates`` takes them all at once). Processing one
  only writes to the database, so it runs under the row lock (:meth:`~forum.core.jobs.Queue.
  run_locked`): exactly once. Failed tries wait 5, 10, 20 … 600 s; the fifth failure is dead.
- ``REPLIES``: the bot's outgoing messages (``ChatMessage`` rows, direction out, ``pending``
  until the platform accepted them). Sending is an HTTP call, so a reply is *claimed* with a
  visibility timeout: ``available_at`` moves past the lease while the worker that processed the
  update sends it, and comes due again (kind ``replies``) only if that one died or failed.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

from forum.core import jobs

from .models import ChatMessage, InboundUpdate

MAX_UPDATE_ATTEMPTS = 5

UPDATES = jobs.Queue(
    name="updates",
    model=InboundUpdate,
    ready=(InboundUpdate.Status.PENDING, InboundUpdate.Status.FAILED),
    done=InboundUpdate.Status.PROCESSED,
    dead=InboundUpdate.Status.DEAD,
    error_field="error",
    order=("id",),
    max_attempts=lambda: MAX_UPDATE_ATTEMPTS,
    backoff_cap=600.0,
    jitter=0.0,
)

REPLIES = jobs.Queue(
    name="replies",
    model=ChatMessage,
    base=Q(direction=ChatMessage.Direction.OUT),
    ready=(ChatMessage.Status.PENDING,),
    done=ChatMessage.Status.SENT,
    dead=ChatMessage.Status.FAILED,
    order=("id",),
    max_attempts=lambda: int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 8)),
    backoff_cap=600.0,
    jitter=0.0,
)
