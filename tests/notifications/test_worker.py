"""The outbox worker in-process: outcomes, retries, leases, unreachable recipients, limits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from forum.core.ratelimit import SendLimiter
from forum.notifications import registry
from forum.notifications.kinds import notice_of
from forum.notifications.models import Delivery, Notification
from forum.notifications.services import notification_create_many
from forum.notifications.worker import OutboxWorker, deliver_due
from forum.participation import services
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import ChannelIdentity
from tests import factories

pytestmark = pytest.mark.django_db
S = Delivery.Status


def _notify(person, idea=None, kind=Notification.Kind.STATUS_CHANGED, **payload):
    idea = idea or factories.idea(author=person)
    payload = {
        "code": idea.tracking_code,
        "title": idea.title,
        "from": "received",
        "to": "in_review",
    } | payload
    notice = notice_of(kind, payload)
    return notification_create_many(people=[person], notice=notice, idea=idea)[0]


def _make_due():
    Delivery.objects.filter(status=S.PENDING).update(
        available_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_inbox_delivery_is_marked_sent_exactly_once():
    person = factories.person()
    note = _notify(person)
    inbox = note.deliveries.get(channel="inbox")

    first = deliver_due()
    inbox.refresh_from_db()
    sent_at = inbox.sent_at
    second = deliver_due()

    assert first.outcomes == {inbox.pk: "sent"}
    assert second.claimed == 0
    inbox.refresh_from_db()
    assert inbox.status == S.SENT
    assert inbox.sent_at == sent_at
    assert inbox.attempts == 0


def test_email_in_the_persons_language_with_a_deterministic_message_id():
    en = factories.person(name="Ann", language="en", email="ann@example.com")
    es = factories.person(name="Ana", language="es", email="ana@example.cl")
    idea = factories.idea(author=en, title="Cursos de lengua de señas en Ñuble")
    services.support_add(idea=idea, person=es)
    services.idea_transition(
        idea=idea,
        to_status=IdeaStatus.IN_REVIEW,
        actor=None,
        public_message="Lo revisa la secretaría.",
    )

    deliver_due()

    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"ann@example.com", "ana@example.cl"}
    english, spanish = by_to["ann@example.com"], by_to["ana@example.cl"]
    code = f"{idea.tracking_code[:4]}-{idea.tracking_code[4:]}"
    assert english.subject == f"Idea {code}: Under review"
    assert "moved from “Received” to “Under review”" in english.body
    assert "Public message: Lo revisa la secretaría." in english.body
    assert spanish.subject == f"Idea {code}: En revisión"
    assert "pasó de «Recibida» a «En revisión»" in spanish.body
    for message in (english, spanish):
        assert f"http://127.0.0.1:8000/ideas/{idea.tracking_code}/" in message.body
    d_en = Delivery.objects.get(channel="email", address="ann@example.com")
    assert english.message()["Message-ID"] == f"<delivery-{d_en.pk}@foroabierto>"
    assert english.extra_headers["Message-ID"] == f"<delivery-{d_en.pk}@foroabierto>"
    assert d_en.status == S.SENT


def test_retry_later_backs_off_then_succeeds(channels, recorder_factory):
    sender = recorder_factory(registry.RetryLater("502 from the platform"), None)
    channels("chat", sender, identity_channel="telegram")
    person = factories.person()
    factories.identity(person, "telegram", "4242")
    note = _notify(person)
    delivery = note.deliveries.get(channel="chat")

    before = timezone.now()
    deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == S.PENDING
    assert delivery.attempts == 1
    assert "502 from the platform" in delivery.last_error
    # First backoff: 5 s ± 20 %.
    assert before + dt.timedelta(seconds=3.9) <= delivery.available_at
    assert delivery.available_at <= timezone.now() + dt.timedelta(seconds=6.1)

    assert deliver_due().claimed == 0  # not due yet: nothing is hammered
    _make_due()
    deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == S.SENT
    assert sender.calls == [delivery.pk, delivery.pk]


def test_retry_after_from_the_platform_is_honoured(channels, recorder_factory):
    channels(
        "chat", recorder_factory(registry.RetryLater("429", delay=30)), identity_channel="telegram"
    )
    person = factories.person()
    factories.identity(person, "telegram", "4243")
    delivery = _notify(person).deliveries.get(channel="chat")

    before = timezone.now()
    deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == S.PENDING
    assert before + dt.timedelta(seconds=30) <= delivery.available_at
    assert delivery.available_at <= timezone.now() + dt.timedelta(seconds=31)


def test_gives_up_after_max_attempts(channels, recorder_factory, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    sender = recorder_factory(*[registry.RetryLater("down")] * 10)
    channels("chat", sender, identity_channel="telegram")
    person = factories.person()
    factories.identity(person, "telegram", "4244")
    delivery = _notify(person).deliveries.get(channel="chat")

    for _round in range(5):
        deliver_due()
        _make_due()

    delivery.refresh_from_db()
    assert delivery.status == S.FAILED
    assert delivery.attempts == 3
    assert len(sender.calls) == 3


def test_an_unexpected_error_in_a_sender_is_retried_not_lost(channels, recorder_factory):
    channels("chat", recorder_factory(ValueError("bug")), identity_channel="telegram")
    person = factories.person()
    factories.identity(person, "telegram", "4245")
    delivery = _notify(person).deliveries.get(channel="chat")

    deliver_due()

    delivery.refresh_from_db()
    assert delivery.status == S.PENDING
    assert delivery.attempts == 1
    assert "ValueError: bug" in delivery.last_error


def test_unreachable_marks_identity_and_stops_sending_there(channels, recorder_factory):
    sender = recorder_factory(registry.Unreachable("403: bot was blocked by the user"))
    channels("chat", sender, identity_channel="telegram")
    person = factories.person()
    factories.identity(person, "telegram", "777")
    first = _notify(person).deliveries.get(channel="chat")
    second = _notify(person).deliveries.get(channel="chat")

    result = OutboxWorker(batch_size=1, channels=["chat"]).run_once()
    assert result.outcomes == {first.pk: "skipped"}

    identity = ChannelIdentity.objects.get(channel="telegram", external_id="777")
    assert identity.unreachable_at is not None
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.SKIPPED
    assert second.status == S.SKIPPED  # queued for the same chat: not tried again
    assert sender.calls == [first.pk]
    # Later notifications reach the inbox but create nothing for the blocked chat.
    later = _notify(person)
    assert list(later.deliveries.values_list("channel", flat=True)) == ["inbox"]
    deliver_due()
    assert sender.calls == [first.pk]


def test_unregistered_channel_keeps_the_delivery(channels):
    person = factories.person()
    note = _notify(person)
    fax = Delivery.objects.create(
        notification=note, channel="fax", address="+56 2 1234", available_at=timezone.now()
    )

    deliver_due()

    fax.refresh_from_db()
    assert fax.status == S.PENDING
    assert "not registered" in fax.last_error
    assert fax.available_at > timezone.now()
    assert fax.attempts == 0


def test_a_lease_taken_over_after_expiry_is_not_marked_twice(channels, recorder_factory):
    sender = recorder_factory()
    channels("chat", sender, identity_channel="telegram")
    person = factories.person()
    factories.identity(person, "telegram", "9000")
    delivery = _notify(person).deliveries.get(channel="chat")
    stuck = OutboxWorker(channels=["chat"], lease_seconds=60)
    [claimed] = stuck.claim()  # this worker "hangs" before sending

    assert OutboxWorker(channels=["chat"]).run_until_idle().claimed == 0  # lease still valid
    # A minute passes: the lease runs out, in the database and for the hung worker alike.
    expired = timezone.now() - dt.timedelta(seconds=1)
    Delivery.objects.filter(pk=delivery.pk).update(leased_until=expired)
    claimed.leased_until = expired
    rescuer = OutboxWorker(channels=["chat"]).run_until_idle()
    assert rescuer.outcomes == {delivery.pk: "sent"}
    delivery.refresh_from_db()
    assert delivery.attempts == 1  # the lost lease counts as a try
    sent_at = delivery.sent_at

    # The hung worker wakes up: its lease is gone, so it neither sends nor marks anything.
    assert stuck.process(claimed) == "released"
    delivery.refresh_from_db()
    assert delivery.status == S.SENT
    assert delivery.sent_at == sent_at
    assert sender.calls == [delivery.pk]


def test_stop_hands_back_the_rest_of_the_batch(channels, recorder_factory):
    worker = OutboxWorker(channels=["chat"])

    def sender(delivery):
        worker.stop()  # SIGTERM arrives while the first one is being sent

    channels("chat", sender, identity_channel="telegram")
    person = factories.person()
    factories.identity(person, "telegram", "9100")
    ids = [_notify(person).deliveries.get(channel="chat").pk for _ in range(3)]

    result = worker.run_once()

    assert result.outcomes == {ids[0]: "sent", ids[1]: "released", ids[2]: "released"}
    assert set(Delivery.objects.filter(pk__in=ids[1:]).values_list("status", flat=True)) == {
        S.PENDING
    }


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_channel_rate_and_per_chat_interval_are_enforced(channels, recorder_factory):
    sender = recorder_factory()
    channels(
        "chat", sender, identity_channel="telegram", rate_per_second=10, per_address_interval=1.0
    )
    a, b = factories.person(), factories.person()
    factories.identity(a, "telegram", "1")
    factories.identity(b, "telegram", "2")
    a1, a2 = (_notify(a).deliveries.get(channel="chat") for _ in range(2))
    b1 = _notify(b).deliveries.get(channel="chat")
    clock = FakeClock()
    worker = OutboxWorker(channels=["chat"], limiter=SendLimiter(clock=clock), sleep=clock.sleep)

    result = worker.run_once()

    # a1 goes; a2 must wait a second for chat 1, so it is handed back; b1 waits 0.1 s (10/s).
    assert result.outcomes == {a1.pk: "sent", a2.pk: "released", b1.pk: "sent"}
    assert sender.calls == [a1.pk, b1.pk]
    assert clock.sleeps == [pytest.approx(0.1)]
    a2.refresh_from_db()
    assert a2.status == S.PENDING
    assert a2.attempts == 0
    assert a2.available_at > timezone.now() + dt.timedelta(seconds=0.5)


def test_concurrent_senders_for_slow_platforms(channels) -> None:
    import threading

    barrier = threading.Barrier(3, timeout=10)
    seen: list[str] = []

    def slow_sender(delivery):
        barrier.wait()  # passes only when three sends are in flight at once
        seen.append(threading.current_thread().name)

    channels("chat", slow_sender, identity_channel="telegram")
    person = factories.person()
    factories.identity(person, "telegram", "9200")
    ids = [_notify(person).deliveries.get(channel="chat").pk for _ in range(3)]

    result = OutboxWorker(channels=["chat"], concurrency=3).run_until_idle()

    assert result.outcomes == dict.fromkeys(ids, "sent")
    assert len(set(seen)) == 3
    assert all(name.startswith("outbox-send") for name in seen)


def test_transactional_channel_commits_its_write_with_the_sent_mark(channels):
    from forum.participation.models import Person

    def flaky_local(delivery):
        Person.objects.filter(pk=delivery.notification.person_id).update(display_name="tocado")
        raise RuntimeError("after writing")

    channels("local", flaky_local, transactional=True)
    person = factories.person(name="intacto")
    note = _notify(person)
    local = Delivery.objects.create(
        notification=note, channel="local", address="", available_at=timezone.now()
    )

    result = OutboxWorker(channels=["local", "inbox"]).run_once()

    assert result.outcomes[local.pk] == "retried"
    assert result.outcomes[note.deliveries.get(channel="inbox").pk] == "sent"
    person.refresh_from_db()
    assert person.display_name == "intacto"  # the failed sender's write was rolled back
    local.refresh_from_db()
    assert local.status == S.PENDING
    assert local.attempts == 1


def test_outbox_worker_command_once_delivers_what_is_due():
    from django.core.management import call_command

    person = factories.person(email="x@example.cl")
    note = _notify(person)

    call_command("outbox_worker", "--once", "--batch", "1")

    assert set(note.deliveries.values_list("status", flat=True)) == {S.SENT}
    assert [m.to for m in mail.outbox] == [["x@example.cl"]]
