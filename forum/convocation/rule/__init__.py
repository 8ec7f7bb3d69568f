"""The convocation rule: whom to invite to a dialogue or a council renewal.

Pure Python, no Django (like ``forum.moderation.matcher``): the same inputs always give the same
list, and every pick carries the reason it was made. See ``docs/convocation.md``.
"""

from .propose import (
    CATEGORIES,
    DEFAULT_FATIGUE_CAP,
    DEFAULT_SHARES,
    Candidate,
    Pick,
    Proposal,
    Reason,
    Shortfall,
    Target,
    propose,
    quotas,
)
from .rotation import national_rotation

__all__ = [
    "CATEGORIES",
    "DEFAULT_FATIGUE_CAP",
    "DEFAULT_SHARES",
    "Candidate",
    "Pick",
    "Proposal",
    "Reason",
    "Shortfall",
    "Target",
    "national_rotation",
    "propose",
    "quotas",
]
