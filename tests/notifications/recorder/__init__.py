"""A test-only delivery channel for worker subprocesses (see test_worker_process.py).

The "recorder" sender appends ``started <pid> <delivery id>`` to ``$OUTBOX_RECORD_FILE``, waits
while ``$OUTBOX_BLOCK_FILE`` exists (so a test can kill the worker mid-send), then appends
``sent <pid> <delivery id>``. The "sent" line is the side effect a real platform would see.
"""

from __future__ import annotations

import os
import time


def _append(line: str) -> None:
    fd = os.open(os.environ["OUTBOX_RECORD_FILE"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def record_sender(delivery) -> None:
    pid = os.getpid()
    _append(f"started {pid} {delivery.pk}")
    block = os.environ.get("OUTBOX_BLOCK_FILE", "")
    deadline = time.monotonic() + 60
    while block and os.path.exists(block) and time.monotonic() < deadline:
        time.sleep(0.02)
    # A platform's round trip (OUTBOX_RECORD_DELAY seconds), so a kill can land mid-batch.
    time.sleep(float(os.environ.get("OUTBOX_RECORD_DELAY", "0") or 0))
    _append(f"sent {pid} {delivery.pk}")
