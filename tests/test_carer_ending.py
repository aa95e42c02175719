"""The end of the conversation tells the person their carer's result, when the carer had
a talk of their own: in plain words, in every front end that shows the end (the plain
mode, the Textual result screen, the web result page), from the message catalogue.

Real conversations, driven by the field each question sets (tests/talk_by_field.py),
never by position. Which answers give which result is worked out here from the rule of
reg. 3 of the Care and Support (Eligibility Criteria) Regulations 2015 (SI 2015/313):

    met  =  the needs come from caring (always so in the carer's own talk)
        and (caring puts the carer's health at risk  OR  at least one thing is hard)
        and caring has a big effect on the carer's life

An answer the carer did not know ("I don't know") is not a "no": when reading it as a
"yes" (or, for what is hard, as every thing) would make the rule met, the carer's result
is "not sure yet"; when even that would not, the result is "not met".
"""

from __future__ import annotations

import asyncio
import io

import pytest
from talk_by_field import CLOCK, PERSON, Talk, pick, talk, with_carer_talk

from ras.eligibility import carer_eligibility
from ras_chat.app.summary import carer_ending, carer_result, handoff_summary
from ras_chat.plain import run_plain

SAVED = "Your carer's answers are saved too."
MET = [
    "From what your carer told us, their needs look like ones the council must help with.",
    "This is true even if you do not get help yourself.",
    "A worker will talk with your carer about help of their own.",
]
NOT_MET = [
    "From what your carer told us, the council does not have to help them right now.",
    "A worker will still talk with your carer. They can tell your carer about other help for carers.",
]
NOT_SURE = [
    "We do not know enough yet to tell if the council must help your carer.",
    "A worker will talk with your carer to find out. They will talk about help of their own too.",
]
WORDS = {"met": MET, "not_met": NOT_MET, "not_sure": NOT_SURE}
DONT_KNOW = "I don't know"

CASES = [
    # (health at risk, what is hard, big effect) -> result, and why (by the rule above)
    pytest.param(pick("yes"), pick("none"), pick("yes"), "met", id="health-at-risk-and-a-big-effect"),
    # health no, but two things hard: the middle part is met by the things
    pytest.param(pick("no"), pick("home_habitable", "recreation"), pick("yes"), "met", id="two-things-hard-and-a-big-effect"),
    # health yes and a thing hard, but no big effect: the last part fails
    pytest.param(pick("yes"), pick("nutrition"), pick("no"), "not_met", id="no-big-effect"),
    # a big effect, but neither health at risk nor a thing hard: the middle part fails
    pytest.param(pick("no"), pick("none"), pick("yes"), "not_met", id="no-health-risk-and-nothing-hard"),
    # the effect not known; even a big effect would not meet it (the middle part fails)
    pytest.param(pick("no"), pick("none"), DONT_KNOW, "not_met", id="effect-not-known-but-it-could-not-be-met"),
    # the effect not known; health at risk, so a big effect would meet it: not sure
    pytest.param(pick("yes"), pick("none"), DONT_KNOW, "not_sure", id="effect-not-known-and-it-could-be-met"),
    # health not known, nothing hard, a big effect: health at risk would meet it
    pytest.param(DONT_KNOW, pick("none"), pick("yes"), "not_sure", id="health-not-known"),
    # what is hard not known, health no, a big effect: one thing hard would meet it
    pytest.param(pick("no"), DONT_KNOW, pick("yes"), "not_sure", id="what-is-hard-not-known"),
]


def carer_part(lines: list[str]) -> list[str]:
    """The summary's lines from the carer's (saved) line to just before the reference."""
    start = lines.index(SAVED)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Your reference"))
    return lines[start:end]


@pytest.mark.parametrize(("health", "hard", "effect", "expected"), CASES)
def test_the_summary_says_the_carers_result_in_plain_words(health, hard, effect, expected):
    session, driver = talk(with_carer_talk(health=health, hard=hard, effect=effect))
    assert {"carer.health_at_risk", "carer.unable_outcomes", "carer.wellbeing_impact"} <= set(driver.asked), driver.asked
    assert carer_result(session) == expected
    lines = handoff_summary(session)
    assert carer_part(lines) == [SAVED, *WORDS[expected]]
    # after the amount and before the reference, each result's own words only
    assert lines.index(SAVED) > next(i for i, ln in enumerate(lines) if ln.startswith("Starting amount"))
    for other, words in WORDS.items():
        if other != expected:
            assert not set(words) & set(lines), other


def test_a_met_result_is_the_engines_own_rule():
    """The ending asks the engine's reg. 3 rule, not a copy of it: the record the exports
    carry gives the same answer."""
    session, _ = talk(with_carer_talk(health=pick("yes"), hard=pick("none"), effect=pick("yes")))
    record = session.carer_record()
    assert record is not None and record.health_at_risk and record.wellbeing_impact and record.unable_outcomes == ()
    assert carer_eligibility(record).eligible and carer_result(session) == "met"


def test_a_carer_talk_stopped_part_way_is_not_sure_yet():
    """The carer tells of harm in their first answer: the talk stops there (a safety stop),
    before the answers reg. 3 needs; the ending says it cannot tell yet, after the urgent line."""
    script = {
        **with_carer_talk(health=pick("yes"), hard=pick("none"), effect=pick("yes")),
        "carer.relationship": "I look after my husband, he hits me and I am scared of him",
    }
    session, driver = talk(script)
    assert any(f.code == "safety" for f in session.state.flags)
    assert "carer.wellbeing_impact" not in driver.asked
    # what the carer said is kept for the worker; the reg. 3 answers never given are not
    # known yet (never a "no"), so the record is ras-carer/2 and reg. 3 waits on all three
    record = session.carer_record()
    assert record is not None and record.schema_ == "ras-carer/2"
    assert record.not_known == ("health_at_risk", "unable_outcomes", "wellbeing_impact")
    assert carer_eligibility(record).result == "not_known"
    assert carer_result(session) == "not_sure"
    lines = handoff_summary(session)
    assert lines[2].startswith("A worker has been asked to contact you urgently")
    assert carer_part(lines) == [SAVED, *NOT_SURE]


@pytest.mark.parametrize(
    "carer",
    [
        pytest.param({"carer.offer": pick("later")}, id="a-talk-later"),
        pytest.param({"carer.offer": pick("no")}, id="no-talk"),
        pytest.param({"carer.offer": pick("now"), "carer.ready": pick("no")}, id="not-ready-now"),
        pytest.param({"carer.present": pick("no")}, id="no-carer"),
    ],
)
def test_no_carer_words_without_a_carer_talk(carer):
    session, driver = talk({**PERSON, **carer})
    assert not [k for k in driver.asked if k in ("carer.health_at_risk", "carer.wellbeing_impact")]
    assert carer_result(session) is None and carer_ending(session) == []
    text = "\n".join(handoff_summary(session))
    assert SAVED not in text
    for words in WORDS.values():
        assert not [w for w in words if w in text]
    assert "Starting amount" in text  # the rest of the ending is there


# ----- every front end --------------------------------------------------------------------


class ByField(io.StringIO):
    """Standard input for the plain mode that types, each time a line is read, the script's
    answer to the question the session asks now."""

    def __init__(self, driver: Talk, session) -> None:
        super().__init__()
        self.driver, self.session = driver, session

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if self.session.finished:
            return ""
        return self.driver.next_line(self.session) + "\n"


def test_the_plain_mode_prints_the_carers_result_at_the_end():
    from ras_chat.dialogue.session import Session

    session = Session.start(session_id="ending-plain", clock=lambda: CLOCK)
    script = with_carer_talk(health=pick("no"), hard=pick("none"), effect=pick("yes"))
    out = io.StringIO()
    assert run_plain(session, stdin=ByField(Talk(script), session), stdout=out) == 0
    assert session.finished
    printed = out.getvalue().splitlines()
    end = printed[printed.index("Summary") :]
    assert carer_part(end) == [SAVED, *NOT_MET]


async def answer_in_the_app(pilot, session, driver) -> None:
    """Through the app's own handler, answer each question with the driver's words for the
    field it sets, until the talk ends."""
    from ras_chat.ui.events import AnswerSubmitted

    await pilot.pause()
    for _ in range(150):
        if session.finished:
            break
        pilot.app.post_message(AnswerSubmitted(driver.next_line(session)))
        await pilot.pause()
    await pilot.pause()


def test_the_textual_result_screen_shows_the_carers_result():
    from textual.widgets import Static

    from ras_chat.ui.app import make_app
    from ras_chat.ui.screens.result import ResultScreen
    from ras_chat.ui.testing import fixed_session

    session = fixed_session()
    driver = Talk(with_carer_talk(health=pick("yes"), hard=pick("none"), effect=pick("yes")))

    async def go() -> tuple[str, list[int]]:
        app = make_app(session)
        async with app.run_test(size=(80, 24)) as pilot:
            await answer_in_the_app(pilot, session, driver)
            assert isinstance(app.screen, ResultScreen), app.screen
            carer = app.screen.query_one("#result-carer", Static)
            bottoms = [carer.region.bottom, app.screen.query_one("#result-note").region.bottom]
            return str(carer.render()), bottoms

    shown, bottoms = asyncio.run(go())
    assert shown == " ".join([SAVED, *MET])
    # at 80x24 the carer's part and the reference note are both in view, above the footer (row 23)
    assert max(bottoms) <= 23, bottoms


def test_the_textual_result_screen_has_no_carer_part_without_a_carer_talk():
    from ras_chat.ui.app import make_app
    from ras_chat.ui.screens.result import ResultScreen
    from ras_chat.ui.testing import fixed_session

    session = fixed_session()
    driver = Talk({**PERSON, "carer.offer": pick("later")})

    async def go() -> int:
        app = make_app(session)
        async with app.run_test(size=(100, 40)) as pilot:
            await answer_in_the_app(pilot, session, driver)
            assert isinstance(app.screen, ResultScreen), app.screen
            return len(app.screen.query("#result-carer"))

    assert asyncio.run(go()) == 0
