"""What a space's page shows of its convocation, for this app's pages and the dialogues app's
(a dialogue's and a council's public page): the balance of its latest list by category (chart and
table: counts only, never names) and what each category is there to bring. Templates:
``convocation/_balance.html`` and ``convocation/_category_roles.html``."""

from __future__ import annotations

from typing import Any

from forum.participation.models import Council, Dialogue

from . import charts, reasons, selectors


def balance_context(proposal) -> dict[str, Any]:
    """The one place a page's «who is convened» figures come from: the list's balance by category
    and its total of invited organisations (the sum of the same rows, so the two never differ)."""
    rows = selectors.balance(proposal) if proposal is not None else []
    groups, height, width = charts.balance_chart(rows)
    return {
        "balance": rows,
        "invited_total": sum(row.invited for row in rows),
        "chart_groups": groups,
        "chart_height": height,
        "chart_width": width,
        "roles": reasons.category_roles(),
    }


def space_context(*, dialogue: Dialogue | None = None, council: Council | None = None) -> dict:
    """The context ``_balance.html`` and ``_category_roles.html`` need for one space."""
    return balance_context(selectors.latest_proposal(dialogue=dialogue, council=council))
