"""What the browser tests share: where screenshots go, the WCAG tags, and small page helpers."""

from pathlib import Path

from playwright.sync_api import Page

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / ".artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
    "narrow": {"width": 320, "height": 640},
    # The coordinator's screens: a 1366 px laptop and a tablet.
    "laptop": {"width": 1366, "height": 768},
    "tablet": {"width": 768, "height": 1024},
}
# The sizes the public pages are checked at.
PUBLIC_VIEWPORTS = ["desktop", "phone", "narrow"]


def save_screenshot(page: Page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path


def wait_for_fonts(page: Page) -> None:
    page.evaluate("async () => { await document.fonts.ready; }")


def format_axe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", " / ")
                lines.append(f"        {summary}")
    return "\n".join(lines)


def signed_in_page(context_factory, live_server, user, **context_options) -> Page:
    """A page in a new browser context signed in as `user` (staff with a verified device)."""
    from django.test import Client

    from tests.conftest import log_in

    client = log_in(Client(), user)
    context = context_factory(**context_options)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()
