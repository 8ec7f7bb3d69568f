"""Channel-agnostic messages between platform adapters and the conversation engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from forum.core.text import storable


class Kind:
    TEXT = "text"  # a typed message (or a photo's caption)
    BUTTON = "button"  # a button press / list choice: ``data`` holds the button's payload
    UNSUPPORTED = "unsupported"  # sticker, voice note, photo without caption, location…
    EDITED = "edited"  # an edited message: ideas are not changed after sending


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()
    # Answers a message refused whole for its length (an idea past IDEA_MAX_LENGTH): the web
    # chat gives the person's text back in its input box to shorten, instead of losing it.
    refused_too_long: bool = False


@dataclass(frozen=True)
class Incoming:
    channel: str  # "telegram" | "whatsapp" | "webchat"
    external_id: str  # where to answer: Telegram chat id, WhatsApp user, web chat session id
    kind: str = Kind.TEXT
    text: str = ""
    data: str = ""
    # Platform hint for the language before the person chooses one ("es", "en-US"…).
    language_hint: str = ""
    # Group chats: only commands addressed to the bot reach the engine.
    is_group: bool = False
    # A web account already signed in (consent given on the web): its Person id.
    person_id: int | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Every channel's text reaches the engine through here: without NUL and lone
        # surrogates, which no text column can store (PostgreSQL refuses the row, whatever the
        # page or platform it came from).
        for name in ("external_id", "text", "data", "language_hint"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, storable(value))
        for key, value in list(self.extra.items()):
            if isinstance(value, str):
                self.extra[key] = storable(value)


def split_text(text: str, limit: int) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` characters, on line breaks or spaces when
    possible, never inside a word unless a single word is longer than the limit."""
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut < limit // 2:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks
