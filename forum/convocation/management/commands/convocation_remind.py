"""Remind invited and confirmed contacts of the meetings of the next days (run daily, e.g. from
cron or a systemd timer; a contact is reminded once).

    python manage.py convocation_remind --days 2
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from forum.convocation.services import invitations_remind


class Command(BaseCommand):
    help = _("Envía recordatorios de los encuentros de los próximos días a quienes se invitó.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=2)

    def handle(self, *args, **opts) -> None:
        count = invitations_remind(days_before=opts["days"])
        self.stdout.write(_("Recordatorios enviados: %(n)s.") % {"n": count})
