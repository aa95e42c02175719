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
import datetime as dt
import logging
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ras_chat.web.security import COOKIE, HEADERS, MAX_AGE_S, Signer, Visitor, client_key

HERE = Path(__file__).parent
log = logging.getLogger("ras_chat.web")

KNOWN_KINDS = ("question", "say", "help", "result", "safety", "error", "summary", "answer")
MAX_BODY = 64 * 1024
"""Bytes a form may send (an answer is cut to 2,000 characters by the session anyway)."""
REFERENCE_WORDS = 4


@lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    with open(HERE / "texts.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=1)
def words() -> tuple[str, ...]:
    lines = (HERE / "words.txt").read_text(encoding="utf-8").splitlines()
    found = tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))
    assert len(found) == len(set(found)) == 2048, "words.txt must hold 2,048 different words"
    return found


def new_reference() -> str:
    """Four words picked with `secrets` (44 bits), as the person will type them."""
    pool = words()
    return " ".join(secrets.choice(pool) for _ in range(REFERENCE_WORDS))


def normal_reference(text: str) -> str | None:
    """What a person typed, as a reference ("Maple-river  candle,tiger" -> "maple river candle tiger"),
    or None when it is not 4 of our words."""
    found = re.findall(r"[a-z]+", (text or "").lower())
    if len(found) != REFERENCE_WORDS or any(w not in _word_set() for w in found):
        return None
    return " ".join(found)


@lru_cache(maxsize=1)
def _word_set() -> frozenset[str]:
    return frozenset(words())


# ----- configuration and the store per thread -----------------------------------------------


@dataclass
class WebConfig:
    db: str | None = None
    """A SQLite path or a postgresql:// address (None: Settings)."""
    policy: str = "example"
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    secure_cookies: bool = False
    """Mark the cookie Secure (set when serving beyond this computer, behind HTTPS)."""
    allowed_hosts: tuple[str, ...] | None = ("127.0.0.1", "localhost", "[::1]")
    """Host headers answered (None: any). Guards against DNS rebinding on 127.0.0.1."""
    clock: Callable[[], dt.datetime] | None = None
    """For tests: the sessions' clock."""
    threads: int = 8
    """Threads for the sessions' and the store's work (and so store connections)."""


class Stores:
    """One store connection per thread, opened on first use. A pool thread that ends
    (anyio lets idle ones go) takes its connection with it: only the thread holds it, and
    the set here is weak, for closing what is left at shutdown."""

    def __init__(self, target: str | None):
        import weakref

        self.target = target
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: weakref.WeakSet[Any] = weakref.WeakSet()

    def get(self):
        store = getattr(self._local, "store", None)
        if store is None:
            from ras_chat.store import open_store

            store = open_store(self.target)
            self._local.store = store
            with self._lock:
                self._all.add(store)
        return store

    def drop(self) -> None:
        """Forget this thread's connection (after an error it may be in a bad state)."""
        store = getattr(self._local, "store", None)
        self._local.store = None
        if store is not None:
            with self._lock:
                self._all.discard(store)
            try:
                store.close()
            except Exception:
                pass

    def close_all(self) -> None:
        with self._lock:
            stores = list(self._all)
            self._all.clear()
        for store in stores:
            try:
                store.close()
            except Exception:  # another thread's SQLite connection: it goes with the process
                pass


class _SessionLocks:
    """One lock per conversation in this process, so a double click cannot interleave two
    turns. Across processes the form's turn number catches a stale or repeated form."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, sid: str) -> threading.Lock:
        with self._guard:
            if len(self._locks) > 10_000:
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            return self._locks.setdefault(sid, threading.Lock())


class _SessionCache:
    """Sessions this process restored lately, each kept with the version it was saved at
    (`updated`, message count). Every request first reads that version from the store
    (one small row) and uses the kept session only while it matches: the store stays the
    only state, and a turn taken by another process is always seen. It saves rebuilding
    the session (validation, a deep copy and the state machine) on every page."""

    def __init__(self, limit: int = 256):
        import collections

        self.limit = limit
        self._items: collections.OrderedDict[str, tuple[tuple, Any]] = collections.OrderedDict()
        self._guard = threading.Lock()

    def get(self, sid: str, version: tuple) -> Any | None:
        with self._guard:
            hit = self._items.get(sid)
            if hit is None or hit[0] != version:
                return None
            self._items.move_to_end(sid)
            return hit[1]

    def put(self, sid: str, version: tuple, session: Any) -> None:
        with self._guard:
            self._items[sid] = (version, session)
            self._items.move_to_end(sid)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def drop(self, sid: str) -> None:
        with self._guard:
            self._items.pop(sid, None)


def _version(store: Any, sid: str) -> tuple | None:
    row = store._q("SELECT updated, message_count FROM sessions WHERE id = ?", (sid,)).fetchone()
    return tuple(row) if row else None


# ----- what a page shows --------------------------------------------------------------------


_PHONE = re.compile(r"\b(999|116 123)\b")


def phone_links(text: str) -> Markup:
    """The message text, escaped, with 999 and 116 123 as tel: links."""
    out = []
    last = 0
    for m in _PHONE.finditer(text):
        out.append(escape(text[last : m.start()]))
        number = m.group(1)
        out.append(Markup('<a class="link" href="tel:{}">{}</a>').format(number.replace(" ", ""), number))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def choice_words(question: Any, picked: list[str]) -> str:
    """What a ticked choice sends: one radio sends its label (so the chat reads "Me, for
    myself", not "1"), unless the label has a digit the session could read as a number;
    ticked boxes send their numbers ("1 and 4"), which the session reads as they are."""
    if len(picked) == 1 and question is not None and not question.multiple:
        label = next((c.label for c in question.choices if str(c.number) == picked[0]), None)
        if label and not any(ch.isdigit() for ch in label):
            return label
    return " and ".join(picked)


def shown_kind(message: Any) -> str:
    kind = getattr(message, "kind", "say") or "say"
    return kind if kind in KNOWN_KINDS else "say"


@dataclass
class Page:
    """A conversation as a page shows it: every field comes from the session as it is."""

    session: Any
    history: list[Any]
    question: Any | None
    error: str | None
    summary: list[Any]
    news: list[Any]
    turn: int
    progress: str | None

    @property
    def split(self) -> int:
        """Where the latest exchange starts in `history`: the question last answered."""
        asked = [i for i, m in enumerate(self.history) if m.kind == "question"]
        return asked[-1] if asked else 0

    @property
    def earlier(self) -> list[tuple[int, Any]]:
        """(number in the transcript, message) before the latest exchange."""
        return [(i + 1, m) for i, m in enumerate(self.history[: self.split]) if m.role != "person" or m.text]

    @property
    def recent(self) -> list[tuple[int, Any]]:
        """(number in the transcript, message) from the question last answered; on "check
        your answers" the summary is left out here, as it is shown as a card."""
        last_person = max((i for i, m in enumerate(self.history) if m.role == "person"), default=-1)
        return [
            (i + 1, m)
            for i, m in enumerate(self.history)
            if i >= self.split
            and not (self.summary and m.kind == "summary")
            # the latest error is shown as the error summary and beside the field, not a third time
            and not (self.error and i > last_person and m.kind == "error")
            and not (m.role == "person" and not m.text)  # an empty answer has nothing to show
        ]

    @property
    def title(self) -> str:
        return self.question.text if self.question is not None else ""


def page_of(session: Any) -> Page:
    messages = list(session.state.transcript)
    question = session.current_question
    history = messages
    if question is not None and messages and messages[-1].kind == "question":
        history = messages[:-1]
    last_person = max((i for i, m in enumerate(messages) if m.role == "person"), default=-1)
    latest = messages[last_person + 1 :]
    errors = [m.text for m in latest if m.kind == "error"]
    summary = [m for m in latest if m.kind == "summary"] if question is not None else []
    news = [m for m in latest if m.kind not in ("question", "summary") and m.role == "assistant"]
    return Page(
        session=session,
        history=history,
        question=question,
        error=errors[-1] if errors else None,
        summary=summary,
        news=news,
        turn=len(messages),
        progress=session.progress()[2] if not session.finished else None,
    )


# ----- the application ----------------------------------------------------------------------


class WebApp:
    def __init__(self, config: WebConfig):
        self.config = config
        self.signer = Signer(config.secret)
        self.stores = Stores(config.db)
        self.locks = _SessionLocks()
        self.cache = _SessionCache()
        # a pool of our own: its threads live as long as the app, so each keeps one store
        # connection (opening one runs SQLite's integrity check) and there are never more
        # than `threads` connections per process (PostgreSQL counts them)
        from concurrent.futures import ThreadPoolExecutor

        self.pool = ThreadPoolExecutor(max_workers=config.threads, thread_name_prefix="ras-web")
        self._sqlite_writes = threading.Lock()
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

    def clock(self) -> dt.datetime:
        return self.config.clock() if self.config.clock else dt.datetime.now(dt.UTC)

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

    # -- the session, read and changed in a pool thread --

    def _restore(self, store: Any, sid: str):
        """The session as the store has it now (the kept copy while its version matches)."""
        from ras_chat.dialogue.session import Session
        from ras_chat.store import SessionNotFound

        version = _version(store, sid)
        if version is None:
            self.cache.drop(sid)
            return None
        session = self.cache.get(sid, version)
        if session is not None:
            return session
        try:
            snapshot = store.load(sid)
        except SessionNotFound:
            return None
        kwargs = {"clock": self.config.clock} if self.config.clock else {}
        session = Session.restore(snapshot, **kwargs)
        self.cache.put(sid, version, session)
        return session

    def _saved(self, store: Any, session: Any, new: list) -> None:
        """Save a turn; keep the session with its new version (dropped if saving fails)."""
        from ras_chat.app import save_session_turn

        sid = session.state.id
        self.cache.drop(sid)
        with self.writing(store):
            save_session_turn(store, session, new)
        version = _version(store, sid)
        if version is not None:
            self.cache.put(sid, version, session)

    def writing(self, store: Any) -> Any:
        """SQLite has one writer at a time. Its own wait for the lock sleeps in growing steps
        (up to 100 ms), so under load a waiting thread wakes late; the threads of this
        process queue on a lock of ours instead and each write starts as soon as the last
        one is done. PostgreSQL locks rows, and needs none."""
        import contextlib

        return self._sqlite_writes if store.kind == "sqlite" else contextlib.nullcontext()

    def _page(self, store: Any, sid: str) -> Page | None:
        with self.locks.get(sid):
            session = self._restore(store, sid)
            return page_of(session) if session is not None else None

    def _turn(self, store: Any, sid: str, turn: str | None, action: Callable[[Any], list]) -> bool:
        """Do one turn if the form was made for the conversation as it stands; save it."""
        with self.locks.get(sid):
            session = self._restore(store, sid)
            if session is None:
                return False
            if session.finished or turn != str(len(session.state.transcript)):
                return True  # a repeated or stale form (a double click, the browser's back): nothing to do
            self.cache.drop(sid)  # changed from here on: kept again only once saved
            new = action(session)
            self._saved(store, session, new)
            return True

    def _start(self, store: Any) -> str:
        from ras_chat.dialogue.session import Session

        kwargs = {"clock": self.config.clock} if self.config.clock else {}
        session = Session.start(policy_name=self.config.policy, **kwargs)
        self._saved(store, session, session.opening())
        return session.state.id

    def _welcome_back(self, store: Any, sid: str) -> None:
        with self.locks.get(sid):
            session = self._restore(store, sid)
            if session is not None and not session.finished:
                self.cache.drop(sid)
                self._saved(store, session, session.opening())

    def _save(self, store: Any, sid: str) -> str | None:
        from ras_chat.store.references import save_reference

        if _version(store, sid) is None:
            return None
        reference = new_reference()
        with self.writing(store):
            save_reference(store, sid, reference, now=self.clock())
        return reference

    def _find(self, store: Any, reference: str | None, client: str) -> str | None:
        from ras_chat.store.references import find_reference

        with self.writing(store):
            return find_reference(store, reference, client=client, now=self.clock())

    def _letter(self, store: Any, sid: str) -> str | None:
        from ras_chat.exports.handoff import build_handoff
        from ras_chat.exports.letter import letter_blocks, to_html_body

        details = store.details(sid)
        if not details.get("result"):
            return None
        return to_html_body(letter_blocks(build_handoff(details)))

    # -- pages --

    async def start_page(self, request: Request) -> Response:
        visitor = self.visitor(request)
        return self.render(request, "start.html", visitor, title=texts()["start_title"], has_session=bool(visitor and visitor.session_id))

    async def start(self, request: Request) -> Response:
        got = await self.form(request)
        if isinstance(got, Response):
            return got
        sid = await self.in_thread(self._start)
        return self.redirect("/question", Visitor.new(sid))

    async def question(self, request: Request) -> Response:
        visitor = self.visitor(request)
        if visitor is None or visitor.session_id is None:
            return self.redirect("/")
        page = await self.in_thread(self._page, visitor.session_id)
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
        if visitor.session_id is None:
            return self.redirect("/")
        known = await self.in_thread(self._turn, visitor.session_id, form.get("turn"), lambda s: action(s, form))
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
        if visitor.session_id is None:
            return self.redirect("/")
        reference = await self.in_thread(self._save, visitor.session_id)
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
                sid = await self.in_thread(self._find, normal_reference(typed), client)
            except TooManyTries:
                error, status = t["resume_too_many"], 429
            else:
                if sid is not None:
                    await self.in_thread(self._welcome_back, sid)
                    return self.redirect("/question", Visitor.new(sid))
                error = t["resume_shape"] if normal_reference(typed) is None else t["resume_not_found"]
                status = 400
        # the words typed are not shown again: they may be most of someone's reference
        return self.render(request, "resume.html", visitor, status=status, title=t["resume_title"], error=error, typed="")

    def _ended(self, store: Any, sid: str) -> tuple[Page, Any] | None:
        """The page and the engine's result (None before the answers are checked)."""
        with self.locks.get(sid):
            session = self._restore(store, sid)
            if session is None:
                return None
            return page_of(session), session.result()

    async def _finished_page(self, request: Request) -> tuple[Visitor, Page, Any] | Response:
        visitor = self.visitor(request)
        if visitor is None or visitor.session_id is None:
            return self.redirect("/")
        got = await self.in_thread(self._ended, visitor.session_id)
        if got is None:
            return self.redirect("/", Visitor.new())
        return visitor, *got

    async def result(self, request: Request) -> Response:
        got = await self._finished_page(request)
        if isinstance(got, Response):
            return got
        visitor, page, alloc = got
        if page.question is not None:
            return self.redirect("/question")
        messages = page.session.state.transcript
        safety = [m for m in messages if m.kind == "safety"]
        results = [m for m in messages if m.kind == "result"]
        last_person = max((i for i, m in enumerate(messages) if m.role == "person"), default=-1)
        ending = [m for m in messages[last_person + 1 :] if m.kind not in ("result", "safety") and m.role == "assistant"]
        title = texts()["safety_title"] if safety else texts()["result_title"]
        return self.render(
            request, "result.html", visitor, title=title, safety=safety, results=results, ending=ending,
            has_result=alloc is not None and not safety,
        )

    async def explanation(self, request: Request) -> Response:
        got = await self._finished_page(request)
        if isinstance(got, Response):
            return got
        visitor, page, alloc = got
        if alloc is None:
            return self.redirect("/question" if page.question is not None else "/result")
        return self.render(request, "explanation.html", visitor, title=texts()["explanation_title"], steps=list(alloc.explanation))

    async def letter(self, request: Request) -> Response:
        visitor = self.visitor(request)
        if visitor is None or visitor.session_id is None:
            return self.redirect("/")
        body = await self.in_thread(self._letter, visitor.session_id)
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


def create_app(config: WebConfig | None = None) -> Starlette:
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


class Guard:
    """ASGI middleware: the Host header check, a cap on request bodies, and the security
    headers on every response (set here so no route can forget them)."""

    def __init__(self, app: Any, config: WebConfig, web: WebApp):
        self.app = app
        self.web = web
        self.state = app.state
        self.allowed = {h.lower() for h in config.allowed_hosts} if config.allowed_hosts is not None else None

    def _host_ok(self, scope: dict) -> bool:
        if self.allowed is None:
            return True
        host = ""
        for name, value in scope.get("headers") or []:
            if name == b"host":
                host = value.decode("latin-1").lower()
                break
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in self.allowed

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                path = scope.get("path", "")
                cache = b"public, max-age=3600" if path.startswith("/static/") else b"no-store"
                message["headers"] = headers + HEADERS + [(b"cache-control", cache)]
            await send(message)

        if not self._host_ok(scope):
            await Response("Unknown host", status_code=400, media_type="text/plain")(scope, receive, send_with_headers)
            return
        length = next((v for k, v in scope.get("headers") or [] if k == b"content-length"), b"0")
        try:
            too_big = int(length) > MAX_BODY
        except ValueError:
            too_big = True
        if too_big:
            request = Request(scope)
            response = self.web.plain_page(request, "too_big_title", "too_big_line", 413)
            await response(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, _capped(receive), send_with_headers)
        except Exception as exc:
            # the error page has been sent by the app's handler; nothing of the
            # exception's text goes to the server's log (it may hold what a person typed)
            if not started:
                log.error("error on %s %s: %s", scope.get("method"), scope.get("path"), type(exc).__name__)
                await Response("Sorry, something went wrong", status_code=500, media_type="text/plain")(
                    scope, receive, send_with_headers
                )


def _capped(receive: Any) -> Any:
    """Refuse a body that grows past MAX_BODY without saying its length (chunked)."""
    seen = 0

    async def inner() -> dict:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise ValueError("request body too large")
        return message

    return inner
