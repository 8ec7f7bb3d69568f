"""The convocation and the dialogue meet: an invited person checking in at the session counts as
attended in the convocation's balance, and the dialogue's public page shows that balance (counts
by category, never names) with what each category is there to bring."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from forum.convocation import selectors as cv_selectors
from forum.convocation import services as cv_services
from forum.convocation.models import Invitation, Seat
from forum.dialogues.models import DialogueSpace
from forum.dialogues.services import live as session_services
from forum.participation.models import Dialogue
from tests import factories
from tests.convocation.helpers import contact, registry

pytestmark = pytest.mark.django_db


def test_checking_in_at_the_session_marks_the_invitation_attended_and_the_page_shows_it(client):
    registry(1)
    dialogue = factories.dialogue(
        title="Diálogo del Biobío", slug="dialogo-biobio", date=dt.date(2026, 9, 1)
    )
    proposal = cv_services.proposal_create(
        actor=None, dialogue=dialogue, size=5, today=dt.date(2026, 9, 1)
    )
    cv_services.proposal_invite(actor=None, proposal=proposal)
    invitation = Invitation.objects.select_related("seat__organisation").first()
    assert invitation is not None

    Dialogue.objects.filter(pk=dialogue.pk).update(phase=Dialogue.Phase.REALISATION)
    dialogue.refresh_from_db()
    DialogueSpace.objects.create(dialogue=dialogue, session_code="BIO123")
    session_services.checkin_record(dialogue=dialogue, person=invitation.person, method="code")

    assert Seat.objects.get(pk=invitation.seat_id).state == Seat.State.ATTENDED
    assert sum(r.attended for r in cv_selectors.balance(proposal)) == 1

    page = client.get(f"/dialogos/{dialogue.slug}/").content.decode()
    assert "Equilibrio por categoría" in page
    assert "Qué aporta cada categoría de actor" in page
    assert "<td>1</td>" in page  # the attended column of the invited person's category
    assert invitation.person.display_name not in page


def test_a_council_page_says_what_each_category_brings(client):
    council = factories.council("biobio")
    page = client.get(f"/consejos/{council.slug}/").content.decode()
    assert "Qué aporta cada categoría de actor" in page
    assert "Oferta de capacitación e inserción laboral" in page


def test_the_dialogue_page_says_one_convened_figure_the_organisations_invited(client):
    orgs = registry(2)
    contact(orgs["employers"][0])  # two contacts: two invitations, one organisation
    dialogue = factories.dialogue(title="Diálogo de Ñuble", slug="dialogo-nuble")
    proposal = cv_services.proposal_create(
        actor=None, dialogue=dialogue, size=6, today=dt.date(2026, 9, 1)
    )
    cv_services.proposal_invite(actor=None, proposal=proposal)
    invited = Invitation.objects.filter(seat__proposal=proposal).values("seat").distinct().count()
    assert invited > 0

    page = client.get(f"/dialogos/{dialogue.slug}/").content.decode()
    total = re.search(r'id="cv-invited-total">(\d+) organizaci', page)
    assert total is not None
    rows = re.findall(r'<tr><th scope="row">[^<]+</th><td>\d+</td><td>(\d+)</td>', page)
    assert rows  # the table by category
    assert int(total.group(1)) == sum(int(n) for n in rows) == invited
    assert "Quiénes están convocados" not in page  # no second figure counted another way
