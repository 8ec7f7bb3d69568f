"""Debian's Chromium through Playwright, for every browser test (``apt-get install chromium``).

One launch for all of them, so a flag or the binary's path changes in one place.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# CHROMIUM= (empty) hides the browser, as on a newcomer's machine without it (.ci/run's first pass).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# For ``BrowserContext.add_init_script``: records every Content-Security-Policy violation the
# page reports in ``window.__violations``. Playwright runs it through the DevTools protocol,
# which the page's policy does not govern, before any script of the page.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
