"""The panel in real headless Chromium (Debian's package through Playwright's executable_path), on both
databases: log in with a link, the breached ticket in red on top, filters, the ticket page, a team lead's
reassignment with the new technician's ping, a refusal, and the report's charts."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from panel_world import PanelWorld
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import select

from bot.texts import PANEL_EVENTS as L_EVENTS
from bot.texts import PANEL_LABELS as L
from storage.models import Notification, NotificationStatus, Team, Ticket

RED = "rgb(253, 232, 232)"  # tr.breached in panel.css


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for all the browser tests; Playwright's own browser download is never used."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is missing: `make test` installs it (scripts/ensure-chromium.sh)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="tr-TR")  # a phone
    yield context.new_page()
    context.close()


def _log_in(page: Page, panel: PanelWorld, who: str) -> None:
    page.goto(panel.link(who))
    page.get_by_role("button", name=L["enter"]).click()
    expect(page.get_by_role("heading", name=L["board"])).to_be_visible()


def test_a_manager_sees_the_breach_on_top_in_red_filters_and_opens_a_ticket(
    page: Page, panel: PanelWorld
) -> None:
    _log_in(page, panel, "manager")
    rows = page.locator("table.board tbody tr")
    expect(rows).to_have_count(4)
    first = rows.first
    expect(first).to_contain_text(panel.numbers["breached"])
    expect(first).to_contain_text(L["urgency_breached"])
    expect(first).to_have_css("background-color", RED)
    expect(rows.nth(1)).to_contain_text(L["urgency_warning"])
    with panel.sessions() as session:
        other_team = session.scalars(select(Team.id).where(Team.code == "05.23")).one()
    page.get_by_label(L["team"]).select_option(str(other_team))
    page.get_by_role("button", name=L["apply"]).click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(panel.numbers["other_team"])
    page.get_by_role("link", name=panel.numbers["other_team"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(panel.numbers["other_team"])
    expect(page.locator("table.details")).to_contain_text("Ayşe Çalışkan")
    expect(page.get_by_role("heading", name=L["timeline"])).to_be_visible()


def test_a_team_lead_reassigns_and_the_new_technician_is_pinged(page: Page, panel: PanelWorld) -> None:
    _log_in(page, panel, "lead")
    number = panel.numbers["breached"]
    page.get_by_role("link", name=number).click()
    page.get_by_label(L["reassign_to"]).select_option(str(panel.people["tech2"]))
    page.get_by_role("button", name=L["reassign"]).click()
    expect(page.get_by_role("status")).to_have_text(L["done_reassigned"])
    expect(page.locator("table.details")).to_contain_text("Tuba Teknisyen")
    ping = page.locator("table.notifications tr", has_text="Tuba Teknisyen").filter(
        has_text=L_EVENTS["assigned"]
    )
    expect(ping).to_have_count(1)
    with panel.sessions() as session:
        ticket_id = session.scalars(select(Ticket.id).where(Ticket.number == number)).one()
        pings = session.scalars(
            select(Notification).where(
                Notification.ticket_id == ticket_id,
                Notification.recipient_id == panel.people["tech2"],
                Notification.kind == "assigned",
            )
        ).all()
    assert [n.status for n in pings] == [NotificationStatus.PENDING]
    assert panel.pokes, "the scheduler was not told to look at the new notification"


def test_a_technician_of_another_team_is_refused(page: Page, panel: PanelWorld) -> None:
    _log_in(page, panel, "other_tech")
    expect(page.locator("table.board")).not_to_contain_text(panel.numbers["breached"])
    response = page.goto(f"{panel.base_url}/talep/{panel.numbers['breached']}")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name=L["refused_title"])).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Ayşe Çalışkan")


def test_the_report_draws_its_charts(page: Page, panel: PanelWorld) -> None:
    _log_in(page, panel, "manager")
    page.get_by_role("link", name=L["report"]).click()
    charts = page.locator("svg.chart")
    expect(charts).to_have_count(6)
    for title in (L["chart_weekly_sla"], L["chart_daily"], L["chart_workload"]):
        expect(page.locator("svg.chart title", has_text=title)).to_have_count(1)
    expect(page.locator("svg.chart rect").first).to_be_visible()
    box = charts.first.bounding_box()
    assert box is not None and box["width"] <= 390  # fits the phone's screen
