"""``manage.py load_demo``: the seed report's demo, deterministic and idempotent.

``make run`` calls it on every start: when the demo is already there it only says so.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from forum.demo.load import counts, is_loaded, load, unload
from forum.demo.spec import DEFAULT_SEED, PASSWORD


class Command(BaseCommand):
    help = (
        "Carga la demo (16 diálogos, 411 participantes, 313 organizaciones, 1.820 ideas). "
        "Si ya está cargada no cambia nada."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Semilla del generador (misma semilla, mismo contenido).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Borra la demo cargada (con la misma --seed) y la vuelve a cargar.",
        )
        parser.add_argument("--quiet", action="store_true", help="Solo errores.")

    def handle(self, *args: Any, seed: int, reset: bool, quiet: bool, **options: Any) -> None:
        def log(line: str) -> None:
            if not quiet:
                self.stdout.write(line)

        if reset and is_loaded():
            with transaction.atomic():
                removed = unload(seed=seed)
            log(f"Demo borrada ({removed}).")
        if is_loaded():
            loaded = counts()
            log(
                f"La demo ya está cargada ({loaded['ideas']} ideas, {loaded['participants']} "
                "participantes); no se cambió nada."
            )
            return
        log(f"Cargando la demo (semilla {seed})…")
        report = load(seed=seed, log=log)
        c = report.counts
        log(
            f"Demo cargada en {report.seconds:.1f} s: {c['dialogues']} diálogos en "
            f"{c['regions']} regiones, {c['participants']} participantes, "
            f"{c['organisations']} organizaciones, {c['ideas']} ideas, {c['supports']} apoyos; "
            f"las 40 ideas más apoyadas reúnen el {report.top40_share:.1%} de los apoyos."
        )
        log("Estados: " + ", ".join(f"{k} {v}" for k, v in sorted(report.statuses.items())))
        log(f"Cuentas: demo / moderadora / secretaria / participante — clave «{PASSWORD}».")
