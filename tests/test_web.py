"""`ras-chat web` through Starlette's TestClient: every route, CSRF, cookies that cannot be
borrowed or forged, the short reference (save, resume, rate limit), errors, and nothing
personal in addresses or logs. The browser tests are in test_web_browser.py."""

from __future__ import annotations

import logging
import re
import warnings

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)
warnings.filterwarnings("ignore", message=".*httpx2.*")

from starlette.testclient import TestClient  # noqa: E402

from ras_chat.store import open_store  # noqa: E402
from ras_chat.web.app import WebConfig, create_app, normal_reference, page_of, phone_links, texts, words  # noqa: E402
from ras_chat.web.security import COOKIE, Signer, Visitor  # noqa: E402
from ras_chat.web.testing import csrf_of, plan_answers, turn_of  # noqa: E402

HOST = "testserver"


@pytest.fixture
def db(target):
    return target


@pytest.fixture
def app(db):
    web = create_app(WebConfig(db=db, allowed_hosts=(HOST,), secret=b"s" * 32))
    yield web
    web.state.web.pool.shutdown()
    web.state.web.stores.close_all()  # each pool thread's connection (PostgreSQL counts them)


def client(app) -> TestClient:
    return TestClient(app, follow_redirects=True)


def start(c: TestClient):
    page = c.get("/")
    return c.post("/start", data={"csrf": csrf_of(page.text)})


def answer(c: TestClient, page, text: str = "", choice: list[str] | None = None):
    data = {"csrf": csrf_of(page.text), "turn": turn_of(page.text), "text": text}
    if choice:
        data["choice"] = choice
    return c.post("/answer", data=data)


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def h1(html: str) -> str:
    found = re.search(r"<h1[^>]*>(?:<label[^>]*>)?(.*?)(?:</label>)?</h1>", html, re.S)
    assert found, "no h1"
    return found.group(1).strip()


def people(db) -> list[str]:
    """The person's messages as stored."""
    with open_store(db) as store:
        sid = store.resolve("last")
        return [m["text"] for m in store.load(sid)["transcript"] if m["role"] == "person"]


def finish(c: TestClient, plan: str = "farzana"):
    page = start(c)
    for text in plan_answers(plan):
        assert page.url.path == "/question", f"ended early before {text!r}"
        page = answer(c, page, text)
    return page


# ----- pages, headers, the shape of every page ---------------------------------------------


def test_start_page_is_english_has_security_headers_and_no_inline_script_or_style(app):
    c = client(app)
    r = c.get("/")
    assert r.status_code == 200
    assert '<html lang="en-GB"' in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"
    cookie = r.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert "<style" not in r.text and " style=" not in r.text
    assert re.findall(r"<script(?![^>]*\bsrc=)", r.text) == []
    assert "<title>Talking about the help you need</title>" in r.text
    assert 'href="#main"' in r.text and 'id="main"' in r.text


def test_static_files_are_served_and_need_nothing_from_elsewhere(app):
    c = client(app)
    css = c.get("/static/app.css")
    js = c.get("/static/app.js")
    assert css.status_code == js.status_code == 200
    for text in (css.text, js.text):
        assert "http://" not in text and "https://" not in text and "@import" not in text


def test_every_question_page_names_the_question_in_its_title_and_heading(app, db):
    c = client(app)
    page = start(c)
    assert page.url.path == "/question"
    assert h1(page.text) == "Who is answering today?"
    assert "<title>Who is answering today? - Talking about the help you need</title>" in page.text
    # the choices are radios with labels bound to them, and the own-words box has its label
    assert re.search(r'<input class="choice-input" id="choice-1" name="choice" type="radio" value="1">', page.text)
    assert '<label class="choice-label" for="choice-1">' in page.text
    assert '<label class="label" for="answer-text">Or say it in your own words</label>' in page.text
    # the hint is bound to the group
    assert 'aria-describedby="choices-hint"' in page.text and 'id="choices-hint"' in page.text
    # the chat so far is an ordered list, announced politely
    assert '<ol class="chat" id="chat" aria-live="polite"' in page.text
    assert "Hello. I am here to help you think about the support you need." in plain(page.text)
    # a radio picked sends that choice's number; the next question is free text
    page = answer(c, page, choice=["1"])
    assert people(db) == ["Me, for myself"]  # a radio sends its label
    assert 'for="answer-text"' in page.text and "<textarea" in page.text
    assert h1(page.text) == "What would you like us to call you? You can say skip."


def test_a_multiple_choice_question_is_checkboxes_and_sends_the_numbers_ticked(app, db):
    c = client(app)
    page = start(c)
    # farzana's answers up to the question where she picks two things (plan line "1 and 4")
    answers = plan_answers("farzana")
    for text in answers[: answers.index("1 and 4")]:
        page = answer(c, page, text)
    assert 'type="checkbox"' in page.text
    assert "Choose all that fit" in page.text
    page = answer(c, page, choice=["1", "4"])
    assert people(db)[-1] == "1 and 4"


def test_a_whole_assessment_ends_on_the_result_with_its_explanation_and_letter(app, db):
    c = client(app)
    page = finish(c)
    assert page.url.path == "/result"
    text = plain(page.text)
    # the spec's figure for Farzana (bands method, standard band): £195.00 a week;
    # a year is 52 weeks: 195.00 x 52 = 10,140.00
    assert "£195.00 a week" in text and "£10,140.00" in text
    assert "<title>Your result - Talking about the help you need</title>" in page.text
    assert 'href="/explanation"' in page.text and 'href="/letter"' in page.text
    # a finished talk has no question: /question goes to the result
    assert c.get("/question").url.path == "/result"
    explained = c.get("/explanation")
    assert explained.status_code == 200 and '<ol class="list list--number">' in explained.text
    assert "£195.00" in plain(explained.text)
    letter = c.get("/letter")
    assert letter.status_code == 200
    assert "How we worked out your budget" in letter.text and "£195.00" in plain(letter.text)
    assert "data-print-button" in letter.text and "<style" not in letter.text
    # the worker's summary (professional terms) is not on the person's page
    assert "Audit chain" not in letter.text


def test_result_explanation_and_letter_wait_for_the_end(app):
    c = client(app)
    start(c)
    assert c.get("/result").url.path == "/question"
    assert c.get("/explanation").url.path == "/question"
    assert c.get("/letter").url.path == "/question"


def test_an_empty_answer_shows_the_sessions_error_in_a_summary_that_links_to_the_field(app):
    c = client(app)
    page = start(c)
    page = answer(c, page)  # nothing picked, nothing typed: the session says so
    assert page.status_code == 200
    assert page.text.count('class="error-summary"') == 1
    assert '<a href="#choice-1">' in page.text and 'id="choice-1"' in page.text
    assert "<title>Error: Who is answering today?" in page.text
    assert 'class="error-message" id="answer-error"' in page.text
    assert 'aria-describedby="choices-hint answer-error"' in page.text
    # the words are the dialogue's (texts.empty_answer), not the page's
    from ras_chat.dialogue.loader import load_dialogue

    assert load_dialogue().spec.texts.empty_answer in plain(page.text)
    # answered, the error goes
    page = answer(c, page, "1")
    assert 'class="error-summary"' not in page.text


def test_back_goes_to_the_last_question_and_says_what_was_answered(app):
    c = client(app)
    page = answer(c, start(c), "1")
    assert "What would you like us to call you" in h1(page.text)
    page = c.post("/back", data={"csrf": csrf_of(page.text), "turn": turn_of(page.text)})
    assert h1(page.text) == "Who is answering today?"
    assert "Before, you said: Me, for myself." in plain(page.text)


def test_help_shows_the_questions_help_in_the_chat(app):
    from ras_chat.dialogue.loader import load_dialogue

    c = client(app)
    page = start(c)
    page = c.post("/help", data={"csrf": csrf_of(page.text), "turn": turn_of(page.text)})
    assert h1(page.text) == "Who is answering today?"
    help_text = load_dialogue().states["who"].help
    assert help_text in plain(page.text)
    assert "msg--help" in page.text


def test_a_repeated_form_is_not_a_second_answer(app, db):
    c = client(app)
    page = start(c)
    data = {"csrf": csrf_of(page.text), "turn": turn_of(page.text), "text": "1"}
    c.post("/answer", data=data)
    c.post("/answer", data=data)  # a double click, or the browser's back and send again
    assert people(db) == ["1"]


def test_check_your_answers_shows_the_summary_with_a_change_button(app):
    c = client(app)
    page = start(c)
    answers = plan_answers("farzana")
    for text in answers[: answers.index("yes", answers.index("later"))]:
        page = answer(c, page, text)
    assert h1(page.text) == "Is this right?"
    assert 'class="summary-card"' in page.text and "Here is what you told me." in page.text
    assert "What matters most: I want to go to college" in plain(page.text)
    change = re.search(r'<input type="hidden" name="choice" value="(\d+)">\s*<button type="submit" class="link-button">Change', page.text)
    assert change
    page = c.post("/answer", data={"csrf": csrf_of(page.text), "turn": turn_of(page.text), "choice": change.group(1)})
    assert h1(page.text) == "Which answer would you like to change?"


def test_a_safety_stop_shows_the_sessions_words_with_999_and_samaritans_as_phone_links(app):
    c = client(app)
    page = answer(c, start(c), "1")
    page = answer(c, page, "my son hits me")
    assert page.url.path == "/result"
    assert '<a class="link" href="tel:999">999</a>' in page.text
    assert '<a class="link" href="tel:116123">116 123</a>' in page.text
    assert "<title>Getting you help" in page.text
    assert 'href="/explanation"' not in page.text


def test_phone_links_escape_the_rest_of_the_text():
    out = str(phone_links("<b>call 999</b> or 116 123; not 1999"))
    assert out == '&lt;b&gt;call <a class="link" href="tel:999">999</a>&lt;/b&gt; or <a class="link" href="tel:116123">116 123</a>; not 1999'


def test_unknown_message_kinds_are_shown_as_say_and_the_page_works_nothing_out(tmp_path):
    from ras_chat.dialogue.session import Message
    from ras_chat.ui.testing import fixed_session

    session = fixed_session()
    session.opening()
    odd = Message(role="assistant", text="A new kind of message", at=session.state.updated, state="who", kind="confirm_new")
    session.state.transcript.insert(0, odd)
    page = page_of(session)
    assert page.history[0] is odd and page.question == session.current_question
    web = create_app(WebConfig(db=str(tmp_path / "s.db"), allowed_hosts=None)).state.web
    html = web.env.get_template("_macros.html").module.message(odd, 1)
    assert "msg--say" in html and "confirm_new" not in html and "A new kind of message" in html


# ----- CSRF and other visitors --------------------------------------------------------------


def test_a_form_without_the_right_csrf_token_is_refused_and_changes_nothing(app, db):
    c = client(app)
    page = c.get("/")
    assert c.post("/start", data={}).status_code == 403
    assert c.post("/start", data={"csrf": "x" * 43}).status_code == 403
    with open_store(db) as store:
        assert store.count_sessions() == 0
    page = c.post("/start", data={"csrf": csrf_of(page.text)})
    turn = turn_of(page.text)
    for path in ("/answer", "/back", "/help", "/save"):
        r = c.post(path, data={"turn": turn, "text": "1"})
        assert r.status_code == 403, path
        assert "This page has expired" in r.text
    assert people(db) == []
    # another visitor's token does not work with this cookie
    other = client(app)
    theirs = csrf_of(other.get("/").text)
    assert c.post("/answer", data={"csrf": theirs, "turn": turn, "text": "1"}).status_code == 403


def test_another_visitor_never_sees_or_continues_a_conversation(app, db):
    alice = client(app)
    page = answer(alice, start(alice), "1")
    page = answer(alice, page, "Alice's own private words")
    bob = client(app)
    assert bob.get("/question").url.path == "/"  # no cookie: the start page
    bob_page = start(bob)
    assert "Alice's own private words" not in bob_page.text
    # a cookie made up or edited to name Alice's session is ignored
    with open_store(db) as store:
        alice_id = next(
            s.id for s in store.list_sessions() if any("Alice" in m["text"] for m in store.load(s.id)["transcript"])
        )
    forged = Signer(b"another secret, not the server's").cookie(Visitor.new(alice_id))
    mallory = client(app)
    mallory.cookies.set(COOKIE, forged)
    r = mallory.get("/question")
    assert r.url.path == "/" and "Alice" not in r.text
    real = Signer(b"s" * 32).cookie(Visitor.new("bob"))
    body, mac = real.split(".")
    import base64
    import json

    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data["s"] = alice_id
    edited = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).rstrip(b"=").decode()
    mallory.cookies.set(COOKIE, f"{edited}.{mac}")
    r = mallory.get("/question")
    assert r.url.path == "/" and "Alice" not in r.text
    for path in ("/result", "/explanation", "/letter"):
        assert "Alice" not in mallory.get(path).text


def test_an_old_cookie_is_not_accepted(app):
    signer = Signer(b"s" * 32)
    old = Visitor("token", "some-session", issued=1_000_000)
    assert signer.read(signer.cookie(old)) is None
    fresh = Visitor.new("some-session")
    assert signer.read(signer.cookie(fresh)) == fresh


# ----- save and come back later -------------------------------------------------------------


def save(c: TestClient, page) -> str:
    r = c.post("/save", data={"csrf": csrf_of(page.text)})
    assert r.status_code == 200
    found = re.search(r'<strong class="reference" id="reference">([a-z ]+)</strong>', r.text)
    assert found, "no reference on the saved page"
    return found.group(1)


def resume(c: TestClient, reference: str):
    page = c.get("/resume")
    return c.post("/resume", data={"csrf": csrf_of(page.text), "reference": reference})


def test_save_gives_four_plain_words_that_bring_the_conversation_back_in_another_browser(app, db):
    c = client(app)
    page = answer(c, start(c), "1")
    question = h1(page.text)
    reference = save(c, page)
    assert len(reference.split()) == 4 and all(w in words() for w in reference.split())
    # saved and signed out: this browser no longer carries on by itself
    assert c.get("/question").url.path == "/"
    elsewhere = client(app)
    page = resume(elsewhere, "  " + reference.upper().replace(" ", "-") + " ")
    assert page.url.path == "/question"
    assert h1(page.text) == question
    assert "Welcome back. Let us carry on where you stopped." in plain(page.text)
    page = answer(elsewhere, page, "I want to go to college")
    assert people(db) == ["1", "I want to go to college"]
    # only the hash of the words is stored
    with open_store(db) as store:
        rows = store._q("SELECT ref_hash FROM session_references").fetchall()
        assert len(rows) == 1 and reference not in rows[0][0]


def test_a_new_reference_replaces_the_old_one(app):
    c = client(app)
    page = start(c)
    first = save(c, page)
    page = resume(c, first)
    second = save(c, page)
    assert first != second
    assert resume(client(app), first).status_code == 400
    assert resume(client(app), second).url.path == "/question"


def test_wrong_references_are_refused_with_an_error_that_links_to_the_box(app):
    c = client(app)
    r = resume(c, "")
    assert r.status_code == 400 and '<a href="#reference">Type the 4 words you wrote down</a>' in r.text
    r = resume(c, "not our words at all")
    assert r.status_code == 400 and "Your reference is 4 words" in r.text
    pool = words()
    r = resume(c, " ".join(pool[:4]))
    assert r.status_code == 400 and "We could not find those words" in r.text
    assert "<title>Error: " in r.text
    assert pool[0] not in re.sub(r"<title>.*?</title>", "", r.text).split('name="reference"')[1].split(">")[0]


def test_references_are_rate_limited_per_visitor_even_for_the_right_words(app):
    from ras_chat.store.references import PER_CLIENT

    c = client(app)
    reference = save(c, start(c))
    pool = words()
    guesser = client(app)
    for i in range(PER_CLIENT):
        assert resume(guesser, " ".join(pool[i : i + 4])).status_code == 400
    r = resume(guesser, reference)
    assert r.status_code == 429 and "too many tries" in plain(r.text).lower()


def test_the_overall_limit_counts_every_visitor_together(db):
    from ras_chat.store.references import TooManyTries, find_reference

    with open_store(db) as store:
        for i in range(5):
            assert find_reference(store, None, client=f"visitor {i}", overall=5) is None
        with pytest.raises(TooManyTries):
            find_reference(store, "any words at all", client="visitor 99", overall=5)


def test_a_reference_stops_working_after_its_days(db):
    import datetime as dt

    from ras_chat.store.references import find_reference, save_reference

    with open_store(db) as store:
        store.save_turn({"id": "s1", "status": "in_progress"}, [])
        day = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
        save_reference(store, "s1", "apple bread cake door", days=30, now=day)
        assert find_reference(store, "apple bread cake door", client="me", now=day + dt.timedelta(days=29)) == "s1"
        assert find_reference(store, "apple bread cake door", client="me", now=day + dt.timedelta(days=31)) is None


def test_the_word_list_is_2048_plain_different_words():
    from ras_chat.dialogue.understand import detect_safety

    pool = words()
    assert len(pool) == len(set(pool)) == 2048
    assert all(w.isalpha() and w.islower() and 3 <= len(w) <= 7 for w in pool)
    # no word of a reference, typed back in, reads as a disclosure of harm
    assert [w for w in pool if detect_safety(w).level != "none"] == []
    # a typed reference: case, spaces, hyphens and commas do not matter
    assert normal_reference(f"{pool[5].upper()}-{pool[9]},  {pool[1]} {pool[2]}") == f"{pool[5]} {pool[9]} {pool[1]} {pool[2]}"
    assert normal_reference(f"{pool[5]} {pool[9]} {pool[1]}") is None
    assert normal_reference("zzzz " + " ".join(pool[:3])) is None


# ----- errors, limits, hosts -----------------------------------------------------------------


def test_unknown_pages_and_methods_get_a_plain_page_with_the_same_headers(app):
    c = client(app)
    r = c.get("/no/such/page")
    assert r.status_code == 404 and "Page not found" in r.text
    assert "content-security-policy" in r.headers
    assert c.get("/answer").status_code == 405


def test_another_host_name_is_refused(app):
    c = TestClient(app, base_url="http://evil.example")
    assert c.get("/").status_code == 400


def test_a_body_too_large_is_refused_before_it_is_read(app):
    c = client(app)
    page = c.get("/")
    r = c.post("/start", data={"csrf": csrf_of(page.text), "pad": "x" * 70_000})
    assert r.status_code == 413 and "That was too long" in r.text


def test_an_error_shows_a_kind_page_and_logs_nothing_the_person_typed(app, caplog, monkeypatch):
    from ras_chat.dialogue.session import Session

    c = TestClient(app, raise_server_exceptions=False)
    page = start(c)

    def broken(self, text):
        raise RuntimeError(f"could not handle {text!r}")

    monkeypatch.setattr(Session, "send", broken)
    with caplog.at_level(logging.DEBUG):
        r = answer(c, page, "Purple Elephant Secret")
    assert r.status_code == 500 and "Sorry, something went wrong" in r.text
    assert "Traceback" not in r.text and "Purple" not in r.text
    assert "Purple" not in caplog.text and "RuntimeError" in caplog.text


def test_nothing_personal_in_addresses_or_logs(app, caplog):
    secret_words = "Zebra Marmalade Quixote"
    c = client(app)
    seen_urls: list[str] = []
    with caplog.at_level(logging.DEBUG):
        page = answer(c, start(c), "1")
        page = answer(c, page, f"I want {secret_words}")
        reference = save(c, page)
        page = resume(client(app), reference)
        for r in [page, *page.history]:
            seen_urls.append(str(r.url))
            seen_urls.append(r.headers.get("location", ""))
    assert seen_urls
    for url in seen_urls:
        assert "Zebra" not in url and reference.split()[0] not in url.split("/")[-1]
        assert re.fullmatch(r"((http://testserver)?/[a-z]*)?", url), url
    assert "Zebra" not in caplog.text and reference not in caplog.text


def test_texts_of_the_pages_follow_the_dialogue_rules():
    from ras_chat.dialogue.text import MAX_SENTENCE_WORDS, jargon_in, sentences
    from ras_chat.dialogue.text import words as count_words

    def lines(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            for v in value:
                yield from lines(v)
        elif isinstance(value, dict):
            for v in value.values():
                yield from lines(v)

    found = list(lines(texts()))
    assert len(found) > 40
    for line in found:
        assert not jargon_in(line), line
        for sentence in sentences(line):
            assert count_words(sentence) <= MAX_SENTENCE_WORDS, sentence


# ----- the command ----------------------------------------------------------------------------


def test_the_command_refuses_other_addresses_without_allow_remote_and_a_secret(monkeypatch, capsys, tmp_path):
    from ras_chat.__main__ import main

    monkeypatch.delenv("RAS_CHAT_WEB_SECRET", raising=False)
    assert main(["web", "--host", "0.0.0.0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err
    assert main(["web", "--host", "0.0.0.0", "--allow-remote"]) == 2
    assert "RAS_CHAT_WEB_SECRET" in capsys.readouterr().err
    monkeypatch.setenv("RAS_CHAT_WEB_SECRET", "short")
    assert main(["web", "--host", "0.0.0.0", "--allow-remote"]) == 2
    assert "too short" in capsys.readouterr().err
    secret = tmp_path / "secret"
    secret.write_text("x" * 40)
    import argparse

    from ras_chat.commands.web import check, register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(["web", "--host", "0.0.0.0", "--allow-remote", "--secret-file", str(secret)])
    assert check(args) == (None, b"x" * 40)
    monkeypatch.delenv("RAS_CHAT_WEB_SECRET")
    assert check(parser.parse_args(["web"])) == (None, None)  # 127.0.0.1: a fresh secret each start


def test_the_store_migration_adds_the_reference_tables(db):
    from ras_chat.store import schema

    with open_store(db) as store:
        assert store.schema_version() == schema.LATEST >= 3
        store._q("SELECT ref_hash, session_id, created, expires FROM session_references").fetchall()
        store._q("SELECT client, at FROM reference_tries").fetchall()


def test_a_thread_that_ends_lets_its_store_connection_go(tmp_path):
    import gc
    import threading

    from ras_chat.web.app import Stores

    stores = Stores(str(tmp_path / "s.db"))
    worker = threading.Thread(target=stores.get)
    worker.start()
    worker.join()
    gc.collect()
    assert len(stores._all) == 0
    stores.get()
    assert len(stores._all) == 1


def test_two_processes_sharing_the_store_carry_on_one_conversation(db):
    """Everything is in the store: a visitor sent to another process (a load balancer)
    carries on, and each process sees the turns the other took."""
    one = create_app(WebConfig(db=db, allowed_hosts=(HOST,), secret=b"s" * 32))
    two = create_app(WebConfig(db=db, allowed_hosts=(HOST,), secret=b"s" * 32))
    try:
        a = client(one)
        page = answer(a, start(a), "1")  # process one
        b = client(two)
        b.cookies.set(COOKIE, a.cookies.get(COOKIE))
        page = b.get("/question")  # process two: the same question
        assert "What would you like us to call you" in h1(page.text)
        page = answer(b, page, "Sam")
        page = a.get("/question")  # back on process one, which had kept the older session
        assert "We will use the name Sam" in plain(page.text)
        assert "What would you like us to call you" not in h1(page.text)
        assert people(db) == ["1", "Sam"]
    finally:
        for app in (one, two):
            app.state.web.pool.shutdown()
            app.state.web.stores.close_all()


def test_the_web_front_end_loads_without_the_textual_app(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from ras_chat.web.app import create_app, WebConfig; "
        f"create_app(WebConfig(db={str(tmp_path / 's.db')!r}, allowed_hosts=None)); "
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'ras_chat.ui'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
