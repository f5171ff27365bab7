"""The panel's HTTP side: routes, the login by one-time link, the session cookie, CSRF, and rendering.

Every page runs its database work and its rendering in a worker thread, in one transaction. Nothing of a
request's URL or cookies is logged (the login link and the cookie are secrets): the access log is off.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session, sessionmaker
from yarl import URL

from bot import texts
from bot.panel import charts, views
from bot.panel.signing import Signer
from catalog.calendar import BusinessCalendar
from catalog.clock import Clock
from storage import panel_auth

log = logging.getLogger(__name__)

COOKIE = "talepbot_panel"
STATIC = Path(__file__).with_name("static")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the login link's token must not leak through the Referer header
    "Cache-Control": "no-store",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
ViewFn = Callable[[views.Ctx], views.View]


@dataclass(frozen=True)
class PanelConfig:
    secret: str
    session_hours: float
    secure_cookie: bool  # the public URL is https: the cookie is only sent over TLS
    # PANEL_PUBLIC_URL's scheme, host and port: behind a proxy the Host header may name another address.
    public_origin: str | None = None


def environment(calendar: BusinessCalendar) -> Environment:
    env = Environment(loader=PackageLoader("bot.panel", "templates"), autoescape=select_autoescape(["html"]))
    env.globals.update(L=texts.PANEL_LABELS, T=texts, charts=charts)
    env.filters["when"] = lambda t: texts.format_time(t, calendar.zone) if t else "–"
    env.filters["day"] = lambda d: d.strftime("%d.%m.%Y")
    env.filters["minutes"] = lambda m: "–" if m is None else texts.panel_duration(m)
    env.filters["pct"] = lambda v: "–" if v is None else f"%{v:.1f}".replace(".", ",")
    return env


class Panel:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        calendar: BusinessCalendar,
        clock: Clock,
        config: PanelConfig,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._calendar = calendar
        self._clock = clock
        self._config = config
        self._signer = Signer(config.secret)
        self._on_change = on_change
        self._env = environment(calendar)

    def app(self) -> web.Application:
        app = web.Application(middlewares=[_security_headers, self._same_origin])
        app.router.add_get("/giris/{token}", self._login_form)
        app.router.add_post("/giris/{token}", self._login)
        app.router.add_post("/cikis", self._logout)
        app.router.add_get("/", self._page(views.board_page))
        app.router.add_get("/talep/{number}", self._page(views.ticket_page))
        app.router.add_post("/talep/{number}/yonlendir", self._page(views.reassign))
        app.router.add_post("/talep/{number}/not", self._page(views.add_note))
        app.router.add_get("/rapor", self._page(views.report_page))
        app.router.add_get("/rapor.csv", self._page(views.report_csv))
        app.router.add_get("/ekipler", self._page(views.teams_page))
        app.router.add_static("/static/", STATIC)
        return app

    # --- rendering ---

    def _html(self, template: str, status: int = 200, **values: Any) -> web.Response:
        body = self._env.get_template(template).render(**values)
        return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")

    def _message(self, status: int, title: str, message: str, **values: Any) -> web.Response:
        return self._html("message.html", status, title=title, message=message, **values)

    def _form_refused(self) -> web.Response:
        """A form without this session's CSRF token, or posted by another site."""
        return self._message(403, texts.PANEL_LABELS["refused_title"], texts.PANEL_LABELS["bad_csrf"])

    def _no_session(self) -> web.Response:
        response = self._message(
            401, texts.PANEL_LABELS["no_session_title"], texts.PANEL_LABELS["how_to_link"]
        )
        response.del_cookie(COOKIE, path="/")
        return response

    # --- requests from other sites ---

    @web.middleware
    async def _same_origin(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """A form posted by another site is refused. The login form has no session to bind a CSRF token to,
        and a page elsewhere could post an attacker's own link and sign the visitor in as the attacker."""
        if request.method != "POST" or self._from_own_pages(request):
            return await handler(request)
        log.warning("panel: a POST from another site was refused")
        return self._form_refused()

    def _from_own_pages(self, request: web.Request) -> bool:
        """Browsers say where a request comes from in Sec-Fetch-Site, which no page can set; older ones
        only in Origin (under our no-referrer policy even our own forms' is "null" there, so only the
        newer header lets them through). A client that sends neither is no browser: it is left to the
        session's CSRF token, and has no visitor to sign in."""
        site = request.headers.get("Sec-Fetch-Site")
        if site is not None:
            return site in ("same-origin", "none")  # "none": typed or opened from a bookmark
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        if origin.rstrip("/").lower() == (self._config.public_origin or "").lower():
            return True
        return URL(origin).raw_authority.lower() == request.host.lower()

    # --- login and logout ---

    async def _login_form(self, request: web.Request) -> web.Response:
        """Only a button: a chat app's link preview GETs the URL, and must not spend the link."""
        return self._html("login.html", token=request.match_info["token"])

    async def _login(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        lifetime = timedelta(hours=self._config.session_hours)

        def redeem() -> str | None:
            with self._sessions() as session, session.begin():
                return panel_auth.redeem_link(session, token, self._clock.now(), lifetime)

        session_token = await asyncio.to_thread(redeem)
        if session_token is None:
            return self._message(403, texts.PANEL_LABELS["login_title"], texts.PANEL_LABELS["bad_link"])
        response = _see_other("/")
        response.set_cookie(
            COOKIE,
            self._signer.cookie(session_token),
            max_age=int(lifetime.total_seconds()),
            path="/",
            httponly=True,
            samesite="Strict",
            secure=self._config.secure_cookie,
        )
        return response

    async def _logout(self, request: web.Request) -> web.Response:
        token = self._signer.session_token(request.cookies.get(COOKIE))
        form = await request.post()
        if token is None:
            return self._no_session()
        if not self._signer.csrf_ok(token, _text(form.get("csrf"))):
            return self._form_refused()

        def end() -> None:
            with self._sessions() as session, session.begin():
                panel_auth.end_session(session, token, self._clock.now())

        await asyncio.to_thread(end)
        response = self._message(200, texts.PANEL_LABELS["login_title"], texts.PANEL_LABELS["logged_out"])
        response.del_cookie(COOKIE, path="/")
        return response

    # --- pages behind the session ---

    def _page(self, view: ViewFn) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            token = self._signer.session_token(request.cookies.get(COOKIE))
            if token is None:
                return self._no_session()
            form: dict[str, str] = {}
            if request.method == "POST":
                form = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
                if not self._signer.csrf_ok(token, form.get("csrf")):
                    return self._form_refused()
            response = await asyncio.to_thread(self._serve, view, token, request, form)
            if response.status == 303 and self._on_change is not None:
                self._on_change()
            return response

        return handler

    def _serve(
        self, view: ViewFn, token: str, request: web.Request, form: dict[str, str]
    ) -> web.StreamResponse:
        try:
            return self._serve_in_transaction(view, token, request, form)
        except _Refusal as refusal:  # rolled back: a refused or failed action changes nothing
            return refusal.response

    def _serve_in_transaction(
        self, view: ViewFn, token: str, request: web.Request, form: dict[str, str]
    ) -> web.StreamResponse:
        with self._sessions() as session, session.begin():
            now = self._clock.now()
            person = panel_auth.session_person(session, token, now)
            if person is None:
                return self._no_session()
            ctx = views.Ctx(session, person, now, self._calendar, request.query, form, request.match_info)
            common = {"me": person, "csrf": self._signer.csrf(token), "now": now, "path": request.path}
            try:
                result = view(ctx)
            except views.Problem as problem:
                title = texts.PANEL_LABELS["refused_title" if problem.status == 403 else "app"]
                raise _Refusal(self._message(problem.status, title, problem.message, **common)) from None
            if isinstance(result, views.Redirect):
                return _see_other(result.location)
            if isinstance(result, views.Download):
                return web.Response(
                    text=result.body,
                    content_type="text/csv",
                    charset="utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{result.filename}"'},
                )
            return self._html(result.template, result.status, **common, **result.values)


class _Refusal(Exception):
    """Leaves the transaction (rolling it back) with the page that explains why."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


def _see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


@web.middleware
async def _security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        exc.headers.update(SECURITY_HEADERS)
        raise
    response.headers.update(SECURITY_HEADERS)
    return response


@dataclass
class PanelServer:
    runner: web.AppRunner
    host: str
    port: int

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start_panel(panel: Panel, host: str, port: int) -> PanelServer:
    """Serves the panel on host:port (0: a free port); OSError when the address cannot be bound."""
    runner = web.AppRunner(panel.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    bound = runner.addresses[0][1]
    log.info("panel: listening on %s:%s", host, bound)
    return PanelServer(runner, host, bound)
