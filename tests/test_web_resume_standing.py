"""The web result page on resume shows the amount that stands (agreed where a worker signed
it off), in the same words as the plain mode and the Textual app, and the carer's result
when the carer had a talk of their own.

A real conversation through the web pages (Starlette's TestClient), answered by the field
each question sets (tests/talk_by_field.py), never by position; saved with its reference
words; a worker changes and signs it off through the review API; another browser carries
on with the words and reads the result page.

The worker sets £480.00 a week, outside the tables. The example policy counts a year as 52
weeks, so a year is £480.00 x 52 = £24,960.00. The person skipped the money part, so the
page says nothing of who pays what.
"""

from __future__ import annotations

import re
import warnings

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)
warnings.filterwarnings("ignore", message=".*httpx2.*")

from starlette.testclient import TestClient  # noqa: E402
from talk_by_field import PERSON, answer_on_the_web, pick, with_carer_talk  # noqa: E402

from ras_chat.dialogue.session import Session  # noqa: E402
from ras_chat.review import load_review, make_change, set_amount, sign_off  # noqa: E402
from ras_chat.store import open_store  # noqa: E402
from ras_chat.web.app import WebConfig, create_app  # noqa: E402
from ras_chat.web.testing import csrf_of  # noqa: E402

HOST = "testserver"
AGREED = "Agreed amount: £480.00 a week (£24,960.00 a year)."
SET = "Amount a worker set: £480.00 a week (£24,960.00 a year)."
CARER_MET = [
    "Your carer's answers are saved too.",
    "From what your carer told us, their needs look like ones the council must help with.",
    "A worker will talk with your carer about help of their own.",
]


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "data" / "sessions.db")


@pytest.fixture
def app(db):
    web = create_app(WebConfig(db=db, allowed_hosts=(HOST,), secret=b"s" * 32))
    yield web
    web.state.web.pool.shutdown()
    web.state.web.stores.close_all()


def plain(html: str) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return text.replace("&#39;", "'").replace("&#x27;", "'").replace("&amp;", "&")


def talk_on_the_web(c: TestClient, db: str, script: dict) -> tuple[str, str, object]:
    """Start, save at the first question and carry on with the reference words (as a person
    who stops and comes back does), then answer each question the web page asks with the
    script's answer for the field it sets (read from the session as the store has it),
    until the result page. Gives the session's id, its reference words and the page."""
    page = c.post("/start", data={"csrf": csrf_of(c.get("/").text)})
    with open_store(db) as store:
        sid = store.resolve("last")
    reference = save(c, page)
    page = resume(c, reference)
    assert page.url.path == "/question"
    page = answer_on_the_web(c, db, sid, page, script, limit=150)
    assert page.url.path == "/result", f"not at the result after 150 answers: {page.url.path}"
    return sid, reference, page


def save(c: TestClient, page) -> str:
    r = c.post("/save", data={"csrf": csrf_of(page.text)})
    found = re.search(r'<strong class="reference" id="reference">([a-z ]+)</strong>', r.text)
    assert found, "no reference on the saved page"
    return found.group(1)


def resume(c: TestClient, reference: str):
    form = c.get("/resume")
    return c.post("/resume", data={"csrf": csrf_of(form.text), "reference": reference})


def resumed_result(app, reference: str):
    """Another browser carries on with the reference words: a finished conversation opens
    at its result."""
    page = resume(TestClient(app, follow_redirects=True), reference)
    assert page.url.path == "/result", page.url.path
    return page


def first_weekly(db: str, sid: str) -> str:
    """The engine's first figure, as the page would show it ("£195.00")."""
    from ras.money import pounds

    with open_store(db) as store:
        result = Session.restore(store.load(sid)).result()
    assert result is not None and result.eligible
    return pounds(result.weekly)


def test_resume_on_the_web_shows_the_agreed_amount_not_the_first(app, db):
    c = TestClient(app, follow_redirects=True)
    script = with_carer_talk(health=pick("yes"), hard=pick("none"), effect=pick("yes"))
    sid, reference, page = talk_on_the_web(c, db, script)
    first = first_weekly(db, sid)
    assert first != "£480.00"
    before = plain(page.text)
    # at the end of the talk: the first figures, and the carer's result (health at risk and
    # a big effect: met, by reg. 3)
    assert f"Your starting amount is {first} a week." in before
    for line in CARER_MET:
        assert line in before

    with open_store(db) as store:
        make_change(store, sid, set_amount("480.00"), why="Night care, outside the tables", who="Jo Worker")
        make_change(store, sid, sign_off(), why="Agreed with Sam", who="Jo Worker")
        assert load_review(store, sid).signed_off is not None

    after = plain(resumed_result(app, reference).text)
    assert AGREED in after
    assert f"The first amount was {first} a week." in after
    # the first figure only as "the first amount": not as the amount that stands
    assert after.count(first) == 1
    assert "Your starting amount" not in after and "Starting amount" not in after
    for line in CARER_MET:
        assert line in after
    # the same words the plain mode prints on resume (one function, one catalogue)
    from ras_chat.app.summary import handoff_summary, note_standing

    with open_store(db) as store:
        note_standing(store, sid)
        session = Session.restore(store.load(sid))
    printed = handoff_summary(session)
    assert AGREED in printed and f"The first amount was {first} a week." in printed


def test_an_amount_set_but_not_signed_off_is_said_as_set_by_a_worker(app, db):
    c = TestClient(app, follow_redirects=True)
    sid, reference, _ = talk_on_the_web(c, db, {**PERSON, "carer.offer": pick("later")})
    first = first_weekly(db, sid)
    with open_store(db) as store:
        make_change(store, sid, set_amount("480.00"), why="Night care, outside the tables", who="Jo Worker")
    after = plain(resumed_result(app, reference).text)
    assert SET in after and AGREED not in after
    assert f"The first amount was {first} a week." in after
    # no carer talk: no carer words
    assert "Your carer" not in after


def test_a_session_nobody_changed_keeps_its_first_figures_on_the_web(app, db):
    c = TestClient(app, follow_redirects=True)
    sid, reference, _ = talk_on_the_web(c, db, {**PERSON, "carer.offer": pick("no")})
    first = first_weekly(db, sid)
    after = plain(resumed_result(app, reference).text)
    assert f"Your starting amount is {first} a week." in after
    assert "Agreed amount" not in after and "Amount a worker set" not in after and "The first amount" not in after


# ----- the same in a real browser (the system's Chromium, nothing downloaded) -------------


def test_in_chromium_carrying_on_by_keyboard_shows_the_agreed_amount_and_the_carers_result(db):
    from test_web_browser import ARGS, CHROMIUM, _axe, _need_browser

    from ras_chat.web.testing import served

    _need_browser()
    from playwright.sync_api import sync_playwright

    app = create_app(WebConfig(db=db, allowed_hosts=(HOST, "127.0.0.1"), secret=b"s" * 32))
    try:
        c = TestClient(app, follow_redirects=True)
        script = with_carer_talk(health=pick("no"), hard=pick("home_habitable", "recreation"), effect=pick("yes"))
        sid, reference, _ = talk_on_the_web(c, db, script)
        first = first_weekly(db, sid)
        with open_store(db) as store:
            make_change(store, sid, set_amount("480.00"), why="Night care, outside the tables", who="Jo Worker")
            make_change(store, sid, sign_off(), why="Agreed with Sam", who="Jo Worker")
        with served(app) as site, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                page = browser.new_page()
                page.goto(site + "/resume")
                page.keyboard.press("Tab")
                for _ in range(20):  # Tab to the reference box, as a keyboard user does
                    if page.evaluate("() => document.activeElement.id") == "reference":
                        break
                    page.keyboard.press("Tab")
                page.keyboard.type(reference)
                page.keyboard.press("Enter")
                page.wait_for_url("**/result")
                body = page.locator("main").inner_text()
                violations = _axe(page)
            finally:
                browser.close()
    finally:
        app.state.web.pool.shutdown()
        app.state.web.stores.close_all()
    assert AGREED in body
    assert f"The first amount was {first} a week." in body and body.count(first) == 1
    assert "Your starting amount" not in body
    # two things hard for the carer and a big effect: met (reg. 3)
    for line in CARER_MET:
        assert line in body
    assert violations == []
