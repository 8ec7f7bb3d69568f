"""The process-wide duplicate index, kept in step with the database.

Each process (web worker, bot worker, management command) builds its own
:class:`~forum.moderation.matcher.DuplicateIndex` from the database on first use, then keeps
it current two ways:

- *in-process*: the moderation services call :func:`index_add` / :func:`index_remove` after
  their transaction commits (merge, unmerge, hide, restore, text edits);
- *across processes*: before every query, :func:`catch_up` reads the ideas created or updated
  since the newest change it has already applied (a cursor), and adds or removes them. Hiding,
  merging and editing all bump ``updated_at``. A row whose transaction commits late can carry a
  time older than the cursor; every ``CATCH_UP_RESCAN_SECONDS`` catch-up therefore re-reads the
  last ``CATCH_UP_WINDOW`` as well, so such a row is seen a few seconds late but never missed.
  Every ``FULL_REBUILD_SECONDS`` the index is rebuilt from scratch, which bounds any drift.

  (Before the cursor every query re-read the whole window: a burst of N writes cost N²/2 row
  reads, two thirds of the demo load's time.)

Results are always re-checked against the database (visible, not merged) before they are
shown, so a stale entry can cost a suggestion but never shows a hidden or merged idea.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea

from .matcher import SUGGEST_THRESHOLD, DuplicateIndex, Match

# Ideas that are never offered as duplicates.
EXCLUDED_STATUSES = (IdeaStatus.MERGED, IdeaStatus.NOT_ADMITTED)
# How far back catch-up looks before the last sync (covers slow transactions and clock skew).
CATCH_UP_WINDOW = dt.timedelta(seconds=120)
# Minimum pause between two catch-up queries in one process (0: look every time; one cheap
# query on an indexed column).
CATCH_UP_INTERVAL_SECONDS = 0.0
# How often catch-up also re-reads the whole window for late commits (the bound on how late a
# slowly committed change can be seen by another process).
CATCH_UP_RESCAN_SECONDS = 5.0
FULL_REBUILD_SECONDS = 15 * 60


def indexable(idea_values: dict) -> bool:
    return (
        idea_values["hidden_at"] is None
        and idea_values["merged_into_id"] is None
        and idea_values["status"] not in EXCLUDED_STATUSES
    )


def _visible_ideas():
    return Idea.objects.filter(hidden_at__isnull=True, merged_into__isnull=True).exclude(
        status__in=EXCLUDED_STATUSES
    )


class IdeaIndex:
    """A DuplicateIndex plus what is needed to keep it in step with the database."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._index: DuplicateIndex | None = None
        self._synced_at: dt.datetime | None = None
        self._built_at = 0.0
        self._checked_at = 0.0
        # The newest created_at/updated_at applied (the cursor) and when the window was last
        # re-read.
        self._cursor: dt.datetime | None = None
        self._rescanned_at = 0.0
        # updated_at of each indexed idea, so catch-up re-normalises only what changed.
        self._versions: dict[str, dt.datetime] = {}
        self._held = False

    # -- building -----------------------------------------------------------------------
    def _build(self) -> DuplicateIndex:
        started = timezone.now()
        index = DuplicateIndex()
        versions: dict[str, dt.datetime] = {}
        rows = _visible_ideas().values_list("pk", "title", "body", "updated_at").order_by("pk")
        for pk, title, body, updated_at in rows.iterator(chunk_size=2000):
            index.add(str(pk), title, body)
            versions[str(pk)] = updated_at
        self._index = index
        self._versions = versions
        self._synced_at = self._cursor = started
        self._built_at = self._checked_at = self._rescanned_at = time.monotonic()
        return index

    def reset(self) -> None:
        with self._lock:
            self._index = None
            self._synced_at = self._cursor = None
            self._versions = {}

    def get(self) -> DuplicateIndex:
        """The index, built on first use and caught up with the database."""
        with self._lock:
            if self._index is None or time.monotonic() - self._built_at > FULL_REBUILD_SECONDS:
                return self._build()
            if not self._held:
                self.catch_up()
            return self._index

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Catch up once, then query without catching up (a batch over ideas that are all in
        the database already: ``manage.py regroup``). Right after a bulk import every row is
        "recent", and a catch-up per query would re-read them all each time."""
        with self._lock:
            self.catch_up(force=True)
            self._held = True
            try:
                yield
            finally:
                self._held = False

    def catch_up(self, *, force: bool = False) -> int:
        """Apply ideas created/updated since the last sync; return how many rows were read.

        ``force`` looks now and re-reads the whole window (late commits included)."""
        with self._lock:
            if self._index is None or self._synced_at is None or self._cursor is None:
                self._build()
                return 0
            now_mono = time.monotonic()
            if not force and now_mono - self._checked_at < CATCH_UP_INTERVAL_SECONDS:
                return 0
            started = timezone.now()
            rescan = force or now_mono - self._rescanned_at >= CATCH_UP_RESCAN_SECONDS
            since = self._synced_at - CATCH_UP_WINDOW if rescan else self._cursor
            n = self._apply_since(since, started)
            if rescan:
                self._synced_at = started
                self._rescanned_at = now_mono
            self._checked_at = now_mono
            return n

    def _apply_since(self, since: dt.datetime, started: dt.datetime) -> int:
        """Add, refresh or drop every idea created or updated at or after ``since``; move the
        cursor to the newest time read (never past ``started``: a clock ahead of ours must not
        make the cursor skip rows)."""
        assert self._index is not None
        assert self._cursor is not None
        # First only the small columns; texts are read for rows that really changed.
        recent = Idea.objects.filter(
            Q(created_at__gte=since) | Q(updated_at__gte=since)
        ).values_list("pk", "created_at", "updated_at", "hidden_at", "merged_into_id", "status")
        changed: dict[int, dt.datetime] = {}
        newest = self._cursor
        n = 0
        for pk, created_at, updated_at, hidden_at, merged_into_id, status in recent.iterator(
            chunk_size=5000
        ):
            n += 1
            newest = max(newest, created_at, updated_at)
            key = str(pk)
            if indexable(
                {"hidden_at": hidden_at, "merged_into_id": merged_into_id, "status": status}
            ):
                if self._versions.get(key) != updated_at or key not in self._index:
                    changed[pk] = updated_at
            else:
                self._index.remove(key)
                self._versions.pop(key, None)
        if changed:
            texts = Idea.objects.filter(pk__in=list(changed)).values_list(
                "pk", "title", "body", "updated_at"
            )
            for pk, title, body, updated_at in texts.iterator(chunk_size=2000):
                self._index.add(str(pk), title, body)
                self._versions[str(pk)] = updated_at
        self._cursor = min(newest, started)
        return n

    # -- in-process updates -------------------------------------------------------------
    def add(self, pk: int, title: str, body: str) -> None:
        with self._lock:
            if self._index is not None:
                self._index.add(str(pk), title, body)
                # Unknown version: the next catch-up re-reads it from the database.
                self._versions.pop(str(pk), None)

    def remove(self, pk: int) -> None:
        with self._lock:
            if self._index is not None:
                self._index.remove(str(pk))
                self._versions.pop(str(pk), None)

    def query(
        self,
        title: str,
        body: str = "",
        *,
        limit: int = 5,
        exclude: int | None = None,
        min_score: float | None = None,
    ) -> list[Match]:
        """Suggested duplicates (a person decides): at least the suggestion threshold, or
        ``min_score`` (the duplicate groups use the clustering threshold)."""
        with self._lock:
            index = self.get()
            return index.query(
                title,
                body,
                limit=limit,
                exclude=str(exclude) if exclude is not None else None,
                min_score=suggest_min_score() if min_score is None else min_score,
            )

    def score_to(self, title: str, body: str, pk: int) -> float:
        """This text's score against one indexed idea (0 when it is not indexed)."""
        with self._lock:
            if self._index is None:
                self.get()
            assert self._index is not None
            return self._index.score_to(title, body, str(pk))

    def query_many(
        self, items: list[tuple[str, str, int | None]], *, limit: int = 5
    ) -> list[list[Match]]:
        """Several queries after a single catch-up (a page of the moderators' queue)."""
        with self._lock:
            index = self.get()
            cutoff = suggest_min_score()
            return [
                index.query(
                    title,
                    body,
                    limit=limit,
                    exclude=str(exclude) if exclude is not None else None,
                    min_score=cutoff,
                )
                for title, body, exclude in items
            ]

    def search(self, text: str, *, limit: int = 10, exclude: int | None = None) -> list[int]:
        """Ideas containing every word of ``text`` (a moderator's search), title hits first."""
        with self._lock:
            keys = self.get().search(
                text, limit=limit, exclude=str(exclude) if exclude is not None else None
            )
        return [int(k) for k in keys]


def suggest_min_score() -> float:
    """``MATCHER_SUGGEST_MIN_SCORE`` (settings), default the matcher's SUGGEST_THRESHOLD."""
    return float(getattr(settings, "MATCHER_SUGGEST_MIN_SCORE", SUGGEST_THRESHOLD))


_shared = IdeaIndex()


def shared_index() -> IdeaIndex:
    return _shared


def index_add(pk: int, title: str, body: str) -> None:
    _shared.add(pk, title, body)


def index_remove(pk: int) -> None:
    _shared.remove(pk)
