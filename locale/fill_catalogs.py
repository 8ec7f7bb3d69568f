#!/usr/bin/env python
"""Fill Foro Abierto's gettext catalogs after `make messages`.

Source strings are Spanish (Chile), so:

* ``es``: every msgstr becomes its msgid (plural entries: ``[msgid, msgid_plural]``). The catalog
  is then explicitly complete and a Spanish request never falls back by accident.
* ``en``: translations come from the translation memory ``locale/en_memory.json`` (the source of
  truth, kept in git), so a string that moved to another file or template keeps its English text
  after the next ``makemessages``. Entries without a memory translation are reported.

Memory format: a JSON object ``{key: translation}`` where key is the msgid
(``"context\\u0004msgid"`` for ``pgettext`` entries) and translation is a
string, or ``[singular, plural]`` for entries with ``msgid_plural``.

Usage (from the repository root)::

    .venv/bin/python locale/fill_catalogs.py            # fill es + en, report missing en entries
    .venv/bin/python locale/fill_catalogs.py --check    # also exit 1 when anything is missing
    .venv/bin/python locale/fill_catalogs.py --missing missing.json
                                                    # write missing en msgids as a memory skeleton
    .venv/bin/python locale/fill_catalogs.py --prune    # drop memory entries no catalog uses
    .venv/bin/python locale/fill_catalogs.py --harvest  # copy en translations typed straight into
                                                    # the .po files (non-fuzzy) into the memory

Pure Python: needs only Babel (already a dependency), not GNU gettext.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

LOCALE_DIR = Path(__file__).resolve().parent
MEMORY = LOCALE_DIR / "en_memory.json"
DOMAINS = ("django", "djangojs")
CONTEXT_SEP = "\x04"

# %(name)s, %s, %d, %0.1f …  and  {name} / {0} / {name!r:>3}  (not {{ or }}).
_PERCENT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGoc%]")
_BRACES = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*|\d*)(?:[!:][^{}]*)?\}(?!\})")


def placeholders(text: str) -> tuple[set[str], set[str]]:
    """The python-format and str.format placeholders of ``text`` (``%%`` excluded)."""
    percent = {p for p in _PERCENT.findall(text) if p != "%%"}
    braces = {f"{{{name}}}" for name in _BRACES.findall(text)}
    return percent, braces


def key_of(message: Message) -> str:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return f"{message.context}{CONTEXT_SEP}{msgid}" if message.context else msgid


def ids_of(message: Message) -> list[str]:
    return list(message.id) if message.pluralizable else [message.id]


def strings_of(message: Message) -> list[str]:
    if message.pluralizable:
        return list(message.string or ())
    return [message.string or ""]


def po_path(lang: str, domain: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def load(lang: str, domain: str) -> Catalog | None:
    path = po_path(lang, domain)
    if not path.exists():
        return None
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=domain)


def save(catalog: Catalog, lang: str, domain: str) -> None:
    catalog.fuzzy = False  # the header: Babel refuses to compile a "fuzzy" catalog
    catalog.project = "Foro Abierto"
    catalog.version = "1"
    catalog.language_team = f"Foro Abierto <{lang}>"
    catalog.last_translator = "Foro Abierto (locale/fill_catalogs.py)"
    catalog.revision_date = catalog.creation_date  # stable: no diff when nothing changed
    catalog.header_comment = (
        f"# Foro Abierto {domain} catalog ({lang}); source strings are Spanish (Chile).\n"
        "# Do not edit English msgstr here: edit locale/en_memory.json and run\n"
        "# `.venv/bin/python locale/fill_catalogs.py` (see docs/i18n.md)."
    )
    with po_path(lang, domain).open("wb") as fh:
        write_po(fh, catalog, width=79, sort_output=False)


def load_memory() -> dict[str, str | list[str]]:
    if not MEMORY.exists():
        return {}
    return json.loads(MEMORY.read_text(encoding="utf-8"))


def save_memory(memory: dict) -> None:
    text = json.dumps(dict(sorted(memory.items())), ensure_ascii=False, indent=1)
    MEMORY.write_text(text + "\n", encoding="utf-8")


def problems_of(message: Message) -> list[str]:
    """Why this en entry is not a usable translation ([] when it is)."""
    found = []
    strings = strings_of(message)
    if message.fuzzy:
        found.append("fuzzy")
    if not strings or any(not s for s in strings):
        found.append("untranslated")
        return found
    wanted, got = set(), set()
    for source in ids_of(message):
        wanted |= set().union(*placeholders(source))
    for target in strings:
        got |= set().union(*placeholders(target))
    if wanted != got:
        found.append(f"placeholders differ: {sorted(wanted)} vs {sorted(got)}")
    return found


def settle(message: Message) -> None:
    """Mark a filled entry as reviewed: not fuzzy, no trace of the msgid it was matched from.

    ``msgmerge`` writes that old msgid as ``#| msgid "…"`` lines; Babel reads them back as
    translator comments (``| msgid "…"``), which would then stay on the entry for good.
    """
    message.flags.discard("fuzzy")
    message.previous_id = []
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]


def fill_es(domain: str) -> int:
    catalog = load("es", domain)
    if catalog is None:
        return 0
    count = 0
    for message in catalog:
        if not message.id:
            continue
        message.string = tuple(message.id) if message.pluralizable else message.id
        settle(message)
        count += 1
    save(catalog, "es", domain)
    return count


def fill_en(
    domain: str, memory: dict, harvest: bool
) -> tuple[int, list[tuple[Message, list[str]]]]:
    catalog = load("en", domain)
    if catalog is None:
        return 0, []
    count, missing = 0, []
    for message in catalog:
        if not message.id:
            continue
        count += 1
        key = key_of(message)
        known = memory.get(key)
        if known is not None:
            if message.pluralizable:
                known = [known, known] if isinstance(known, str) else list(known)
                message.string = tuple(known[:2])
            else:
                message.string = known if isinstance(known, str) else known[0]
            settle(message)
        elif harvest and not message.fuzzy and all(strings_of(message)):
            memory[key] = list(message.string) if message.pluralizable else message.string
        problems = problems_of(message)
        if problems:
            missing.append((message, problems))
    save(catalog, "en", domain)
    return count, missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when an en entry is missing")
    parser.add_argument(
        "--harvest",
        action="store_true",
        help="add non-fuzzy en translations found in the .po files to the memory",
    )
    parser.add_argument(
        "--missing", metavar="FILE", help="write the missing en entries as a JSON memory skeleton"
    )
    parser.add_argument(
        "--prune", action="store_true", help="remove memory entries that no catalog uses any more"
    )
    args = parser.parse_args(argv)

    memory = load_memory()
    skeleton: dict[str, str | list[str]] = {}
    all_missing = 0
    for domain in DOMAINS:
        es_count = fill_es(domain)
        en_count, missing = fill_en(domain, memory, args.harvest)
        if not (es_count or en_count):
            continue
        done = en_count - len(missing)
        print(f"{domain}: es {es_count} entries filled; en {done}/{en_count} translated")
        for message, problems in missing:
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
            print(f"  en {domain}: {key_of(message)!r} ({'; '.join(problems)}) [{where}]")
            skeleton[key_of(message)] = ["", ""] if message.pluralizable else ""
        all_missing += len(missing)
    used = {key_of(m) for d in DOMAINS if (c := load("en", d)) is not None for m in c if m.id}
    unused = sorted(set(memory) - used)
    if unused:
        print(
            f"memory: {len(unused)} entries not used by any catalog"
            + (" (pruned)" if args.prune else "")
        )
        if args.prune:
            for key in unused:
                del memory[key]
    if args.harvest or (args.prune and unused):
        save_memory(memory)
    if args.missing:
        Path(args.missing).write_text(
            json.dumps(skeleton, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    return 1 if (args.check and all_missing) else 0


if __name__ == "__main__":
    sys.exit(main())
