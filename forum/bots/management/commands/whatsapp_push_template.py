"""Submit the WhatsApp push template (used after the 24-hour window) for Meta's review."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forum.bots import whatsapp, whatsapp_templates


class Command(BaseCommand):
    help = (
        "Envía a Meta, para su revisión, la plantilla de avisos de WhatsApp "
        "(WHATSAPP_PUSH_TEMPLATE) en cada idioma de WHATSAPP_PUSH_TEMPLATE_LANGUAGES, y las de "
        "invitación y consentimiento con botones (WHATSAPP_INVITATION_TEMPLATE, "
        "WHATSAPP_CONSENT_TEMPLATE) si están configuradas."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--print", action="store_true", help="Solo mostrar los textos, sin llamar a Meta."
        )

    def handle(self, *args, **options):
        name, languages = whatsapp.push_template()
        if not name:
            raise CommandError(
                "WHATSAPP_PUSH_TEMPLATE no está configurado (nombre de la plantilla)."
            )
        unknown = sorted(set(languages) - set(whatsapp_templates.PUSH_TEMPLATE_BODIES))
        if unknown:
            raise CommandError(f"Sin texto de plantilla para: {', '.join(unknown)}.")
        if options["print"]:
            for ours, theirs in languages.items():
                self.stdout.write(
                    f"{name} [{theirs}]: {whatsapp_templates.PUSH_TEMPLATE_BODIES[ours]}"
                )
                for kind, spec in self._with_buttons():
                    buttons = " | ".join(whatsapp_templates.labels(kind, ours))
                    self.stdout.write(
                        f"{whatsapp_templates.button_template(kind)} [{theirs}]: "
                        f"{spec.bodies[ours]} [{buttons}]"
                    )
            return
        account = str(getattr(settings, "WHATSAPP_BUSINESS_ACCOUNT_ID", "") or "")
        token = str(getattr(settings, "WHATSAPP_ACCESS_TOKEN", "") or "")
        if not account or not token:
            raise CommandError(
                "Faltan WHATSAPP_BUSINESS_ACCOUNT_ID o WHATSAPP_ACCESS_TOKEN "
                "(o use --print y regístrela a mano en WhatsApp Manager)."
            )
        failed = False
        submissions = [(name, ours, theirs, None) for ours, theirs in languages.items()] + [
            (whatsapp_templates.button_template(kind), ours, theirs, kind)
            for kind, _spec in self._with_buttons()
            for ours, theirs in languages.items()
        ]
        for name, ours, theirs, kind in submissions:
            if kind is None:
                outcome, detail = whatsapp_templates.create_push_template(
                    settings.WHATSAPP_API_URL, account, token, name, ours, theirs
                )
            else:
                outcome, detail = whatsapp_templates.create_button_template(
                    settings.WHATSAPP_API_URL, account, token, kind, ours, theirs
                )
            if outcome == "created":
                self.stdout.write(f"{name} [{theirs}]: enviada, estado {detail or 'PENDING'}.")
            elif outcome == "exists":
                self.stdout.write(f"{name} [{theirs}]: ya existe.")
            else:
                failed = True
                self.stderr.write(f"{name} [{theirs}]: error: {detail}")
        if failed:
            raise CommandError("Meta rechazó al menos una plantilla (ver arriba).")

    def _with_buttons(self):
        """The templates with quick-reply buttons that are configured (invitation, consent)."""
        return [
            (kind, spec)
            for kind, spec in whatsapp_templates.BUTTON_TEMPLATES.items()
            if whatsapp_templates.button_template(kind)
        ]
