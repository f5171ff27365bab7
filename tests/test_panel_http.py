"""The panel over real HTTP on both databases: links, sessions, CSRF, every refusal, and what each role
sees of a requester's personal data."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from dialog_world import Chat, dialog_services, telegram
from panel_world import NOW, REQUESTER_PHONE, PanelWorld

from bot import texts
from bot.cli import main
from bot.engine.engine import DialogEngine
from bot.panel.server import COOKIE
from bot.settings import get_settings
from bot.texts import PANEL_LABELS as L
from catalog.calendar import BusinessCalendar
from catalog.model import Catalog
from storage import tickets
from storage.models import ChatChannel, Notification, Person, PersonKind, Ticket
from storage.people import record_kvkk_acceptance
from storage.privacy import purge


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def test_a_link_shows_only_a_button_and_a_get_does_not_spend_it(panel: PanelWorld) -> None:
    client = panel.client()
    path = panel.link("lead").removeprefix(panel.base_url)
    page = client.get(path)  # what a chat app's link preview does
    assert page.status_code == 200 and L["enter"] in page.text and 'method="post"' in page.text
    assert COOKIE not in client.cookies
    login = client.post(path)
    assert login.status_code == 303 and login.headers["location"] == "/"
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=43200" in cookie
    board = client.get("/")
    assert board.status_code == 200 and "Leyla Lider" in board.text


def test_a_link_is_single_use_and_expires(panel: PanelWorld) -> None:
    path = panel.link("lead").removeprefix(panel.base_url)
    assert panel.client().post(path).status_code == 303
    reused = panel.client().post(path)
    assert reused.status_code == 403 and L["bad_link"] in reused.text
    late = panel.link("lead").removeprefix(panel.base_url)
    panel.clock.advance(timedelta(minutes=10, seconds=1))
    expired = panel.client().post(late)
    assert expired.status_code == 403 and L["bad_link"] in expired.text
    assert panel.client().post("/giris/not-a-token").status_code == 403


def test_no_session_explains_how_to_get_a_link(panel: PanelWorld) -> None:
    client = panel.client()
    for path in ("/", f"/talep/{panel.numbers['breached']}", "/rapor", "/ekipler", "/rapor.csv"):
        page = client.get(path)
        assert page.status_code == 401 and "/panel" in page.text, path
    client.cookies.set(COOKIE, "forged.0000")
    assert client.get("/").status_code == 401


def test_a_session_ends_at_logout_at_expiry_and_when_the_person_is_deactivated(panel: PanelWorld) -> None:
    client = panel.client("lead")
    stolen = client.cookies[COOKIE]
    page = client.get("/")
    assert client.post("/cikis", data={"csrf": "wrong"}).status_code == 403
    out = client.post("/cikis", data={"csrf": _csrf(page.text)})
    assert out.status_code == 200 and L["logged_out"] in out.text
    replay = panel.client()
    replay.cookies.set(COOKIE, stolen)
    assert replay.get("/").status_code == 401

    expiring = panel.client("lead")
    panel.clock.advance(timedelta(hours=12, seconds=1))
    assert expiring.get("/").status_code == 401

    panel.clock.advance(-timedelta(hours=12, seconds=1))
    manager = panel.client("manager")
    with panel.sessions() as session, session.begin():
        session.get_one(Person, panel.people["manager"]).active = False
    assert manager.get("/").status_code == 401


def test_posts_without_the_session_s_csrf_token_are_refused(panel: PanelWorld) -> None:
    lead = panel.client("lead")
    number = panel.numbers["breached"]
    for data in ({}, {"csrf": "x" * 64}, {"csrf": _csrf(panel.client("manager").get("/").text)}):
        refused = lead.post(f"/talep/{number}/not", data={**data, "metin": "deneme"})
        assert refused.status_code == 403 and L["bad_csrf"] in refused.text
    with panel.sessions() as session:
        assert not [e for e in session.get_one(Ticket, _id(panel, number)).events if e.kind == "note"]


def _id(panel: PanelWorld, number: str) -> int:
    with panel.sessions() as session:
        ticket = session.query(Ticket).filter_by(number=number).one()
        return ticket.id


def test_every_refusal_is_a_turkish_403(panel: PanelWorld) -> None:
    other = panel.client("other_tech")
    number = panel.numbers["breached"]
    page = other.get(f"/talep/{number}")
    assert page.status_code == 403 and L["not_your_ticket"] in page.text and 'lang="tr"' in page.text
    tech = panel.client("tech")
    csrf = _csrf(tech.get("/").text)
    reassign = tech.post(f"/talep/{number}/yonlendir", data={"csrf": csrf, "atanan": panel.people["tech2"]})
    assert reassign.status_code == 403 and L["leads_only"] in reassign.text
    note = tech.post(f"/talep/{number}/not", data={"csrf": csrf, "metin": "deneme"})
    assert note.status_code == 403 and L["leads_only"] in note.text
    assert tech.get("/rapor").status_code == 403 and tech.get("/rapor.csv").status_code == 403
    lead = panel.client("lead")
    foreign = lead.post(
        f"/talep/{panel.numbers['other_team']}/yonlendir",
        data={"csrf": _csrf(lead.get("/").text), "atanan": panel.people["tech"]},
    )
    assert foreign.status_code == 403
    with panel.sessions() as session:
        assert session.get_one(Ticket, _id(panel, number)).assignee_id == panel.people["tech"]


def test_talepbot_panel_link_prints_a_working_link_for_staff_only(
    panel: PanelWorld, cli_database: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANEL_PUBLIC_URL", panel.base_url + "/")
    get_settings.cache_clear()
    assert main(["panel", "link", "LEYLA@belediye.bel.tr"]) == 0
    url = capsys.readouterr().out.strip()
    assert url.startswith(panel.base_url + "/giris/")
    client = panel.client()
    assert client.post(url.removeprefix(panel.base_url)).status_code == 303
    assert "Leyla Lider" in client.get("/").text
    assert main(["panel", "link", "0532 000 06 04"]) == 0  # Orhan, by phone in any spelling
    assert main(["panel", "link", REQUESTER_PHONE]) == 1  # an employee: no panel
    assert "no active IT staff member" in capsys.readouterr().err


def test_personal_data_only_for_the_ticket_s_team_and_managers(panel: PanelWorld) -> None:
    number = panel.numbers["breached"]
    for who in ("lead", "tech", "manager"):
        page = panel.client(who).get(f"/talep/{number}")
        assert page.status_code == 200 and "Ayşe Çalışkan" in page.text and REQUESTER_PHONE in page.text, who
    # Tamer is reassigned a ticket of the other team: he sees it, but not who asked for it.
    with panel.sessions() as session, session.begin():
        ticket = session.get_one(Ticket, _id(panel, panel.numbers["other_team"]))
        tech = session.get_one(Person, panel.people["tech"])
        ticket.assignee_id = tech.id  # assigned across teams without moving the ticket
    page = panel.client("tech").get(f"/talep/{panel.numbers['other_team']}")
    assert page.status_code == 200
    assert "Ayşe Çalışkan" not in page.text and REQUESTER_PHONE not in page.text and L["hidden"] in page.text


def test_a_team_lead_reassigns_and_the_new_technician_is_pinged(panel: PanelWorld) -> None:
    lead = panel.client("lead")
    number = panel.numbers["breached"]
    page = lead.get(f"/talep/{number}")
    assert L["reassign"] in page.text
    done = lead.post(
        f"/talep/{number}/yonlendir", data={"csrf": _csrf(page.text), "atanan": panel.people["tech2"]}
    )
    assert done.status_code == 303 and panel.pokes
    with panel.sessions() as session:
        ticket = session.get_one(Ticket, _id(panel, number))
        assert ticket.assignee_id == panel.people["tech2"]
        pings = session.query(Notification).filter_by(ticket_id=ticket.id, recipient_id=panel.people["tech2"])
        assert [n.kind for n in pings if n.kind == "assigned"] == ["assigned"]
    note = lead.post(f"/talep/{number}/not", data={"csrf": _csrf(page.text), "metin": "Öncelik verin"})
    assert note.status_code == 303
    assert "Öncelik verin" in lead.get(f"/talep/{number}").text


def test_technicians_see_their_team_managers_everything(panel: PanelWorld) -> None:
    tech_board = panel.client("tech").get("/").text
    assert panel.numbers["breached"] in tech_board and panel.numbers["other_team"] not in tech_board
    manager_board = panel.client("manager").get("/").text
    assert all(number in manager_board for number in panel.numbers.values())


def test_the_report_agrees_with_the_cli_figures_and_exports_csv(panel: PanelWorld) -> None:
    manager = panel.client("manager")
    page = manager.get("/rapor", params={"bas": "2026-03-01", "son": "2026-03-02"})
    assert page.status_code == 200 and page.text.count("<svg") == 6
    csv = manager.get("/rapor.csv", params={"bas": "2026-03-01", "son": "2026-03-02"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    total = next(line for line in csv.text.splitlines() if line.startswith("toplam"))
    assert total.split(";")[3:5] == ["4", "0"]  # four opened; response: the one decided was missed
    bad = manager.get("/rapor", params={"bas": "dün"})
    assert bad.status_code == 400 and L["bad_date"] in bad.text


def test_staff_page_lists_teams_reach_and_open_tickets(panel: PanelWorld) -> None:
    page = panel.client("tech").get("/ekipler")
    assert page.status_code == 200
    assert "Orhan Öteki" in page.text and "Leyla Lider" in page.text and "Ayşe Çalışkan" not in page.text
    assert "+905320000604" not in page.text


def test_roles_are_shown_in_turkish(panel: PanelWorld) -> None:
    assert "Leyla Lider (Ekip lideri)" in panel.client("lead").get("/").text


def test_staff_get_a_link_from_the_bot_with_panel_and_others_do_not(panel: PanelWorld) -> None:
    services = dialog_services()
    services = replace(services, config=replace(services.config, panel_url=panel.base_url))
    engine = DialogEngine(panel.sessions, services)
    tech = Chat(engine, telegram(602), now=panel.clock.now())
    [reply] = tech.command("panel")
    assert reply.no_preview  # a chat app's preview must not spend the link
    url = re.search(r"http://\S+", reply.text)
    assert url is not None and url.group(0).startswith(panel.base_url + "/giris/")
    client = panel.client()
    assert client.post(url.group(0).removeprefix(panel.base_url)).status_code == 303
    assert "Tamer Teknisyen" in client.get("/").text
    employee = Chat(engine, telegram(606), now=panel.clock.now())
    employee.command("panel")
    assert employee.text == texts.STAFF_ONLY


def test_a_purged_ticket_shows_what_the_purge_left(panel: PanelWorld, catalog: Catalog) -> None:
    with panel.sessions() as session, session.begin():
        citizen = Person(kind=PersonKind.CITIZEN, created_at=NOW)
        record_kvkk_acceptance(citizen, "2026-11", NOW)
        citizen.name, citizen.phone = "Mehmet Yılmaz", "+905329998877"
        session.add(citizen)
        session.flush()
        service = catalog.by_id("05.23.012")
        assert service is not None
        ticket = tickets.open_ticket(
            session,
            service=service,
            requester=citizen,
            now=NOW,
            calendar=BusinessCalendar.from_config(),
            channel=ChatChannel.TELEGRAM,
            text="e-Belediye şifremi unuttum",
            contact="+905329998877",
        )
        number = ticket.number
        tickets.cancel(session, number, citizen, NOW + timedelta(minutes=5))
        assert purge(session, NOW + timedelta(days=1), timedelta(0)) == 1
    page = panel.client("manager").get(f"/talep/{number}")
    assert page.status_code == 200 and L["purged"] in page.text
    assert (
        "Mehmet Yılmaz" not in page.text and "+905329998877" not in page.text and "şifremi" not in page.text
    )
    assert "05.23.012" in page.text  # the service and the history stay


def test_the_board_s_refresh_gets_only_its_rows(panel: PanelWorld) -> None:
    """What panel.js fetches every minute: the board's counts and table, for the same filters."""
    lead = panel.client("lead")
    part = lead.get("/", params={"parca": "1", "durum": "assigned"})
    assert part.status_code == 200 and "<html" not in part.text and "<table" in part.text
    assert panel.numbers["breached"] in part.text and panel.numbers["other_team"] not in part.text
    page = lead.get("/")
    assert '<script src="/static/panel.js"></script>' in page.text
    assert lead.get("/static/panel.js").status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_a_form_posted_by_another_site_is_refused_and_spends_nothing(panel: PanelWorld) -> None:
    """Login CSRF: a page elsewhere posting an attacker's own link would sign the visitor in as him."""
    path = panel.link("lead").removeprefix(panel.base_url)
    client = panel.client()
    for headers in (
        {"Origin": "https://elsewhere.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        refused = client.post(path, headers=headers)
        assert refused.status_code == 403 and L["bad_csrf"] in refused.text and COOKIE not in client.cookies
    own = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}  # our own form under no-referrer
    assert client.post(path, headers=own).status_code == 303  # the link was not spent
    lead = panel.client("lead")
    number = panel.numbers["breached"]
    form = {"csrf": _csrf(lead.get("/").text), "metin": "x"}
    for origin in ("https://elsewhere.example", panel.base_url.replace("127.0.0.1", "localhost")):
        note = lead.post(f"/talep/{number}/not", data=form, headers={"Origin": origin})
        assert note.status_code == 403 and L["bad_csrf"] in note.text, origin
    with panel.sessions() as session:
        assert not [e for e in session.get_one(Ticket, _id(panel, number)).events if e.kind == "note"]
    assert lead.post(f"/talep/{number}/not", data=form, headers={"Origin": panel.base_url}).status_code == 303
