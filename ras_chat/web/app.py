"""The web front end: server-rendered pages over the headless session and the store.

Every request reads the conversation from the store, lets the session do the turn, saves
it, and redirects (post, redirect, get), so no state lives in the process and several
processes can share one PostgreSQL. The session's work is synchronous; it runs in the
thread pool so one slow save never holds up other visitors. Each pool thread keeps its
own store connection (a `Store` is not shared between threads).

Pages show the session's `Message`s by their `kind`; nothing is worked out here.
"""

from __future__ import annotations

import dataclasses
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ras_chat.web.guard import MAX_BODY, Guard
from ras_chat.web.page import Page, page_of
from ras_chat.web.security import COOKIE, MAX_AGE_S, Signer, Visitor, client_key
from ras_chat.web.stores import Stores, WebConfig
from ras_chat.web.turns import Conversations
from ras_chat.web.words import HERE, choice_words, normal_reference, phone_links, shown_kind, texts, words

log = logging.getLogger("ras_chat.web")

# ----- the application ----------------------------------------------------------------------


class WebApp:
    def __init__(self, config: WebConfig):
        self.config = config
        self.signer = Signer(config.secret)
        self.stores = Stores(config.db)
        self.work = Conversations(config)
        # a pool of our own: its threads live as long as the app, so each keeps one store
        # connection (opening one runs SQLite's integrity check) and there are never more
        # than `threads` connections per process (PostgreSQL counts them)
        from concurrent.futures import ThreadPoolExecutor

        self.pool = ThreadPoolExecutor(max_workers=config.threads, thread_name_prefix="ras-web")
        self.env = Environment(
            loader=FileSystemLoader(str(HERE / "templates")),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["t"] = texts()
        self.env.filters["phones"] = phone_links
        self.env.filters["kind"] = shown_kind

    # -- plumbing --

    def warm_up(self) -> None:
        """Compile the templates and load the dialogue, policy and charging data once before
        the first visitor, so the first pages are not the slow ones (nothing is saved)."""
        from ras_chat.dialogue.session import Session

        for name in self.env.list_templates(extensions=["html"]):
            self.env.get_template(name)
        Session.start(policy_name=self.config.policy).opening()

    def visitor(self, request: Request) -> Visitor | None:
        return self.signer.read(request.cookies.get(COOKIE))

    def render(self, request: Request, name: str, visitor: Visitor | None, status: int = 200, **context: Any) -> HTMLResponse:
        if visitor is None:
            visitor = Visitor.new()
        else:  # the cookie's 12 hours start again with every page seen
            visitor = dataclasses.replace(visitor, issued=int(time.time()))
        context.setdefault("skip_to", None)
        html = self.env.get_template(name).render(csrf=self.signer.csrf(visitor), **context)
        response = HTMLResponse(html, status_code=status)
        self.set_cookie(response, visitor)
        return response

    def set_cookie(self, response: Response, visitor: Visitor) -> None:
        response.set_cookie(
            COOKIE,
            self.signer.cookie(visitor),
            max_age=MAX_AGE_S,
            httponly=True,
            samesite="strict",
            secure=self.config.secure_cookies,
            path="/",
        )

    def redirect(self, to: str, visitor: Visitor | None = None) -> RedirectResponse:
        response = RedirectResponse(to, status_code=303)
        if visitor is not None:
            self.set_cookie(response, visitor)
        return response

    def plain_page(self, request: Request, title_key: str, line_key: str, status: int) -> HTMLResponse:
        return self.render(request, "message.html", self.visitor(request), status=status, title_key=title_key, line_key=line_key)

    async def form(self, request: Request) -> tuple[Visitor | None, Any] | Response:
        """The posted form when its CSRF token matches this visitor's cookie, else a 403 page."""
        form = await request.form()
        visitor = self.visitor(request)
        if not self.signer.csrf_ok(visitor, form.get("csrf")):
            return self.plain_page(request, "expired_title", "expired_line", 403)
        return visitor, form

    async def in_thread(self, func: Callable[..., Any], *args: Any) -> Any:
        """Run `func(store, *args)` in the pool: the session's and the store's work is
        synchronous, and must not hold up the other visitors."""
        import asyncio

        from ras_chat.store import SessionNotFound
        from ras_chat.store.references import TooManyTries

        def run() -> Any:
            try:
                return func(self.stores.get(), *args)
            except (TooManyTries, SessionNotFound):
                raise
            except Exception:
                self.stores.drop()  # the connection may be in a bad state: a new one next time
                raise

        return await asyncio.get_running_loop().run_in_executor(self.pool, run)

    # -- pages --

    async def start_page(self, request: Request) -> Response:
        visitor = self.visitor(request)
        return self.render(request, "start.html", visitor, title=texts()["start_title"], has_session=bool(visitor and visitor.session_id))

    async def start(self, request: Request) -> Response:
        got = await self.form(request)
        if isinstance(got, Response):
            return got
        sid = await self.in_thread(self.work.start)
        return self.redirect("/question", Visitor.new(sid))

    async def question(self, request: Request) -> Response:
        visitor = self.visitor(request)
        if visitor is None or visitor.session_id is None:
            return self.redirect("/")
        page = await self.in_thread(self.work.page, visitor.session_id)
        if page is None:
            return self.redirect("/", Visitor.new())
        if page.question is None:
            return self.redirect("/result")
        return self.render(request, "question.html", visitor, page=page, skip_to="question-heading")

    async def _act(self, request: Request, action: Callable[[Any, Any], list]) -> Response:
        got = await self.form(request)
        if isinstance(got, Response):
            return got
        visitor, form = got
        if visitor is None or visitor.session_id is None:
            return self.redirect("/")
        known = await self.in_thread(self.work.turn, visitor.session_id, form.get("turn"), lambda s: action(s, form))
        return self.redirect("/question" if known else "/")

    async def answer(self, request: Request) -> Response:
        def send(session: Any, form: Any) -> list:
            typed = str(form.get("text") or "").strip()
            picked = [str(v) for v in form.getlist("choice") if str(v).isdigit()]
            # the person's own words win over a ticked choice; nothing given: the session says so
            return session.send(typed or choice_words(session.current_question, picked))

        return await self._act(request, send)

    async def back(self, request: Request) -> Response:
        return await self._act(request, lambda s, form: s.go_back())

    async def help(self, request: Request) -> Response:
        return await self._act(request, lambda s, form: s.help())

    async def save(self, request: Request) -> Response:
        got = await self.form(request)
        if isinstance(got, Response):
            return got
        visitor, _ = got
        if visitor is None or visitor.session_id is None:
            return self.redirect("/")
        reference = await self.in_thread(self.work.save, visitor.session_id)
        if reference is None:
            return self.redirect("/", Visitor.new())
        # saved and signed out: on a shared computer the next person cannot carry on
        response = self.render(request, "saved.html", Visitor.new(), title=texts()["saved_title"], reference=reference)
        return response

    async def resume_page(self, request: Request) -> Response:
        return self.render(request, "resume.html", self.visitor(request), title=texts()["resume_title"], error=None, typed="")

    async def resume(self, request: Request) -> Response:
        from ras_chat.store.references import TooManyTries

        got = await self.form(request)
        if isinstance(got, Response):
            return got
        visitor, form = got
        typed = str(form.get("reference") or "")[:200]
        t = texts()
        error = None
        if not typed.strip():
            error, status = t["resume_empty"], 400
        else:
            client = client_key(request.client.host if request.client else None, self.signer)
            try:
                sid = await self.in_thread(self.work.find, normal_reference(typed), client)
            except TooManyTries:
                error, status = t["resume_too_many"], 429
            else:
                if sid is not None:
                    await self.in_thread(self.work.welcome_back, sid)
                    return self.redirect("/question", Visitor.new(sid))
                error = t["resume_shape"] if normal_reference(typed) is None else t["resume_not_found"]
                status = 400
        # the words typed are not shown again: they may be most of someone's reference
        return self.render(request, "resume.html", visitor, status=status, title=t["resume_title"], error=error, typed="")

    async def _finished_page(self, request: Request) -> tuple[Visitor, Page, Any, Any] | Response:
        visitor = self.visitor(request)
        if visitor is None or visitor.session_id is None:
            return self.redirect("/")
        got = await self.in_thread(self.work.ended, visitor.session_id)
        if got is None:
            return self.redirect("/", Visitor.new())
        return visitor, *got

    async def result(self, request: Request) -> Response:
        got = await self._finished_page(request)
        if isinstance(got, Response):
            return got
        visitor, page, alloc, standing = got
        if page.question is not None:
            return self.redirect("/question")
        from ras_chat.app.summary import carer_ending, standing_lines
        from ras_chat.dialogue.catalogue import say

        messages = page.session.state.transcript
        safety = [m for m in messages if m.kind == "safety"]
        results = [m for m in messages if m.kind == "result"]
        # signed off or changed by a worker since: the amount that stands, not the first figures
        agreed = standing_lines(standing) if standing is not None and standing.eligible and not safety else []
        last_person = max((i for i, m in enumerate(messages) if m.role == "person"), default=-1)
        ending = [m for m in messages[last_person + 1 :] if m.kind not in ("result", "safety") and m.role == "assistant"]
        title = texts()["safety_title"] if safety else texts()["result_title"]
        return self.render(
            request, "result.html", visitor, title=title, safety=safety, results=[] if agreed else results, agreed=agreed,
            carer=carer_ending(page.session), carer_heading=say("summary.carer_heading"), ending=ending,
            has_result=alloc is not None and not safety,
        )

    async def explanation(self, request: Request) -> Response:
        got = await self._finished_page(request)
        if isinstance(got, Response):
            return got
        visitor, page, alloc, _standing = got
        if alloc is None:
            return self.redirect("/question" if page.question is not None else "/result")
        return self.render(request, "explanation.html", visitor, title=texts()["explanation_title"], steps=list(alloc.explanation))

    async def letter(self, request: Request) -> Response:
        visitor = self.visitor(request)
        if visitor is None or visitor.session_id is None:
            return self.redirect("/")
        body = await self.in_thread(self.work.letter, visitor.session_id)
        if body is None:
            return self.redirect("/question")
        return self.render(request, "letter.html", visitor, title=texts()["letter_title"], body=Markup(body))

    async def not_found(self, request: Request, exc: Exception) -> Response:
        return self.plain_page(request, "not_found_title", "not_found_line", 404)

    async def broken(self, request: Request, exc: Exception) -> Response:
        # never the exception's text: it may hold what a person typed
        ref = uuid.uuid4().hex[:8]
        log.error("error %s on %s %s: %s", ref, request.method, request.url.path, type(exc).__name__)
        return self.plain_page(request, "broken_title", "broken_line", 500)

    async def method_not_allowed(self, request: Request, exc: Exception) -> Response:
        return self.plain_page(request, "not_found_title", "not_found_line", 405)


def create_app(config: WebConfig | None = None) -> Guard:
    """The ASGI application (the pages behind `Guard`); its `state.web` is the WebApp."""
    config = config or WebConfig()
    web = WebApp(config)
    routes = [
        Route("/", web.start_page, methods=["GET"]),
        Route("/start", web.start, methods=["POST"]),
        Route("/question", web.question, methods=["GET"]),
        Route("/answer", web.answer, methods=["POST"]),
        Route("/back", web.back, methods=["POST"]),
        Route("/help", web.help, methods=["POST"]),
        Route("/save", web.save, methods=["POST"]),
        Route("/resume", web.resume_page, methods=["GET"]),
        Route("/resume", web.resume, methods=["POST"]),
        Route("/result", web.result, methods=["GET"]),
        Route("/explanation", web.explanation, methods=["GET"]),
        Route("/letter", web.letter, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={404: web.not_found, 405: web.method_not_allowed, 500: web.broken, Exception: web.broken},
        lifespan=_lifespan(web),
    )
    app.state.web = web
    # open the store once now: a broken database stops the command before it listens
    web.stores.get()
    web.warm_up()
    return Guard(app, config, web)


def _lifespan(web: WebApp) -> Any:
    import contextlib

    @contextlib.asynccontextmanager
    async def lifespan(app: Any):
        yield
        web.pool.shutdown(wait=True)
        web.stores.close_all()

    return lifespan


__all__ = [
    "MAX_BODY", "Page", "Stores", "WebApp", "WebConfig", "create_app", "normal_reference", "page_of", "phone_links",
    "texts", "words",
]
