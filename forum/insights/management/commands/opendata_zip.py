"""Build the open-data ZIP of everything and its SHA-256 (nightly from cron, or by hand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from forum.insights import opendata


class Command(BaseCommand):
    help = "Escribe el ZIP de datos abiertos (CSV, JSON y datapackage.json) y su SHA-256."

    def handle(self, *args: Any, **options: Any) -> None:
        path = opendata.zip_path(build=True)
        self.stdout.write(f"{path}  sha256={opendata.zip_checksum_hex(path)}")
