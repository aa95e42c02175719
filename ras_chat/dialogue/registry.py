"""The only Python a dialogue file can name: conditions, actions and choice providers.

A dialogue file refers to these by name (`when: [need_is_zero]`); the loader rejects any
name not listed here. Nothing is ever imported from a dotted path written in data.

Each function takes the session (`ras_chat.dialogue.session.Session`) and reads or
changes only its model (`session.state`); none touches the UI, storage or the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ras.eligibility import CARER_OUTCOME_WORDS
from ras.models import AREA_IDS, CARER_OUTCOME_IDS, OUTCOME_IDS
from ras_chat.dialogue.match import Option, contains_phrase, normalise
from ras_chat.dialogue.state import EARLIER, Frame, Pending

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.dialogue.session import Session

Condition = Callable[["Session"], bool]
Action = Callable[["Session"], None]
ChoiceProvider = Callable[["Session"], list[Option]]

CONDITIONS: dict[str, Condition] = {}
ACTIONS: dict[str, Action] = {}
CHOICES: dict[str, ChoiceProvider] = {}


def condition(fn: Condition) -> Condition:
    CONDITIONS[fn.__name__] = fn
    return fn


def action(fn: Action) -> Action:
    ACTIONS[fn.__name__] = fn
    return fn


def choices(fn: ChoiceProvider) -> ChoiceProvider:
    CHOICES[fn.__name__] = fn
    return fn


# ----- helpers -----------------------------------------------------------------------


def area_order(s: Session) -> list[str]:
    return list(s.state.area_order) or list(AREA_IDS)


def area_outcome_ids(s: Session, area: str | None) -> list[str]:
    return [o for o in OUTCOME_IDS if s.policy_at.outcomes[o].area == area]


def picked_outcomes(s: Session, area: str | None = None) -> list[str]:
    """The everyday things the person said are hard in `area` (default: the current part)."""
    return s.picked(area or s.state.cursor.get("area"))


def _words(by_id: Mapping[Any, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Words by part of life or everyday thing, keyed by plain text."""
    return {str(k): v for k, v in by_id.items()}


def suggest_areas_for(text: str, area_words: dict[str, tuple[str, ...]]) -> list[str]:
    """The areas a free-text answer touches, most phrases first (ties in the policy's order)."""
    norm = normalise(text)
    counts = {a: sum(1 for w in area_words.get(a, ()) if contains_phrase(norm, w)) for a in AREA_IDS}
    found = [a for a in AREA_IDS if counts[a]]
    return sorted(found, key=lambda a: (-counts[a], AREA_IDS.index(a)))


# ----- conditions --------------------------------------------------------------------


@condition
def answering_for_someone(s: Session) -> bool:
    return s.answer("who") == "on_behalf"


@condition
def has_suggestion(s: Session) -> bool:
    return bool(s.state.suggested)


@condition
def is_first_area(s: Session) -> bool:
    order = area_order(s)
    return bool(order) and s.state.cursor.get("area") == order[0]


@condition
def going_well_only(s: Session) -> bool:
    """The first part of life asks what is going well (what matters most was just said).
    After a change of where to start, a part keeps whichever of the two it was asked."""
    area = s.state.cursor.get("area")
    if s.answered("areas.{area}.going_well", area=area):
        return True
    if s.answered("areas.{area}.what_matters", area=area):
        return False
    # asked once: a new place to start (what matters most changed) does not ask it again
    if any(s.answered("areas.{area}.going_well", area=a) for a in AREA_IDS):
        return False
    return is_first_area(s)


@condition
def said_what_matters_here(s: Session) -> bool:
    """The other parts of life go straight to how much help is needed: what matters was
    said at the start. Only a part asked it before (a session saved by an older
    dialogue, or a change of where to start) keeps its question."""
    return s.answered("areas.{area}.what_matters", area=s.state.cursor.get("area"))


def work_area(s: Session) -> str:
    """The part of life that holds work, learning and volunteering (reg. 2(2)(h))."""
    return s.policy_at.outcomes["work_education"].area


def raised_work(s: Session) -> bool:
    """The person spoke of work, learning or money first: what matters most touched it,
    or they chose to start there (or its questions were answered before a change)."""
    area = work_area(s)
    if s.answered("areas.{area}.need", area=area):  # asked about it already (before a change)
        return True
    return area in s.state.suggested or area_order(s)[:1] == [area]


@condition
def may_be_retired(s: Session) -> bool:
    """At work, learning and money, when the person did not raise it: are they retired?"""
    return s.state.cursor.get("area") == work_area(s) and not raised_work(s) and not s.answered("retired")


def retired_skips_area_for(s: Session) -> bool:
    """Someone retired who did not raise work, learning or money is not asked about it."""
    return not raised_work(s) and s.answer("retired") == "yes"


@condition
def retired_skips_area(s: Session) -> bool:
    return s.state.cursor.get("area") == work_area(s) and retired_skips_area_for(s)


@condition
def single_outcome_area(s: Session) -> bool:
    return len(area_outcome_ids(s, s.state.cursor.get("area"))) == 1


@condition
def need_is_zero(s: Session) -> bool:
    return s.answer("areas.{area}.need", area=s.state.cursor.get("area")) == "0"


@condition
def has_picked_outcomes(s: Session) -> bool:
    return bool(picked_outcomes(s))


@condition
def more_picked_outcomes(s: Session) -> bool:
    picked = picked_outcomes(s)
    current = s.state.cursor.get("outcome")
    return current in picked and picked.index(current) < len(picked) - 1


@condition
def more_areas(s: Session) -> bool:
    order = area_order(s)
    current = s.state.cursor.get("area")
    return current in order and order.index(current) < len(order) - 1


@condition
def is_eligible(s: Session) -> bool:
    alloc = s.result(force=True)
    return alloc is not None and alloc.eligible


@condition
def has_carer(s: Session) -> bool:
    return s.answer("carer.present") == "yes"


@condition
def carer_talk_now(s: Session) -> bool:
    return s.answer("carer.offer") == "now"


@condition
def carer_ready(s: Session) -> bool:
    return s.answer("carer.ready") == "yes"


def money_question_ids(s: Session) -> list[str]:
    """The ids of the money questions, in the order of the charging question list."""
    return [q.id for q in s.money_questions().questions]


@condition
def more_money_questions(s: Session) -> bool:
    ids = money_question_ids(s)
    current = s.state.cursor.get("money")
    return current in ids and ids.index(current) < len(ids) - 1


# ----- actions -----------------------------------------------------------------------


@action
def first_money_question(s: Session) -> None:
    s.state.cursor = {**s.state.cursor, "money": money_question_ids(s)[0]}


@action
def next_money_question(s: Session) -> None:
    ids = money_question_ids(s)
    current = s.state.cursor.get("money")
    nxt = ids[ids.index(current) + 1] if current in ids else ids[0]
    s.state.cursor = {**s.state.cursor, "money": nxt}


@action
def estimate_money(s: Session) -> None:
    """Work out the charge estimate from the money answers (kept in the session state)."""
    s.estimate_money()



@action
def offer_money_again(s: Session) -> None:
    """After "tell me how you worked it out": the money offer is asked again."""
    key = s.key_for("money.offer")
    if key:
        s.state.answers.pop(key, None)


@action
def note_who(s: Session) -> None:
    value = s.answer("who")
    s.state.who = value if isinstance(value, str) else None


@action
def suggest_areas(s: Session) -> None:
    text = s.answer("what_matters")
    s.state.suggested = suggest_areas_for(text, _words(s.dialogue.spec.area_words)) if isinstance(text, str) else []
    key = s.key_for("start_area")
    if s.state.suggested and isinstance(text, str) and key is not None and not s.answered("start_area"):
        # where to start follows from what matters most: said back, not asked ("back" picks another)
        s.state.hints[key] = Pending(kind="confirm", said=text, values=(s.state.suggested[0],), how=EARLIER, confidence=1.0)


@action
def start_areas(s: Session) -> None:
    chosen = s.answer("start_area")
    if chosen not in AREA_IDS:
        chosen = (s.state.suggested or list(AREA_IDS))[0]
    rest = [a for a in s.state.suggested if a != chosen] + [a for a in AREA_IDS if a not in s.state.suggested and a != chosen]
    s.state.area_order = [chosen, *rest]
    s.state.cursor = {"area": chosen, "outcome": None}


@action
def next_area(s: Session) -> None:
    order = area_order(s)
    current = s.state.cursor.get("area")
    i = order.index(current) + 1 if current in order else 0
    s.state.cursor = {"area": order[min(i, len(order) - 1)], "outcome": None}


@action
def first_picked_outcome(s: Session) -> None:
    picked = picked_outcomes(s)
    s.state.cursor = {**s.state.cursor, "outcome": picked[0] if picked else None}


@action
def next_picked_outcome(s: Session) -> None:
    picked = picked_outcomes(s)
    current = s.state.cursor.get("outcome")
    i = picked.index(current) + 1 if current in picked else 0
    s.state.cursor = {**s.state.cursor, "outcome": picked[min(i, len(picked) - 1)] if picked else None}


@action
def note_carer_coping(s: Session) -> None:
    coping = s.answer("carer.coping")
    if coping in ("struggling", "at_breaking_point"):
        words = {"struggling": "is finding caring hard", "at_breaking_point": "cannot carry on caring like this"}[coping]
        s.flag_once(
            "carer_struggling",
            "attention" if coping == "struggling" else "urgent",
            f"The family carer {words} (as told by the person). Offer a carer's assessment (Care Act s.10).",
        )


@action
def note_carer_offer(s: Session) -> None:
    """A carer who would like their own talk later (or was not ready) is flagged for the worker."""
    offer = s.answer("carer.offer")
    ready = s.answer("carer.ready")
    if offer == "later" or (offer == "now" and ready == "no"):
        s.flag_once(
            "carer_later",
            "info",
            "The family carer would like a carer's assessment of their own later (Care Act s.10): arrange it.",
        )


@action
def compute_result(s: Session) -> None:
    s.state.checked = True


@action
def change_one(s: Session) -> None:
    """Go to the one answer picked to change (`change_answers`); the check comes after it."""
    picked = s.state.last_choice
    for item in s.answer_items():
        if item.key == picked:
            s.state.jump = Frame(state=item.state, area=item.area, outcome=item.outcome)
            return


# ----- choice providers --------------------------------------------------------------


def _with_numbers(items: list[tuple[str, str, tuple[str, ...], bool]]) -> list[Option]:
    return [Option(i + 1, value, label, words, only) for i, (value, label, words, only) in enumerate(items)]


@choices
def areas(s: Session) -> list[Option]:
    """The parts of life, those the person's words touched first."""
    order = list(s.state.suggested) + [a for a in AREA_IDS if a not in s.state.suggested]
    words = _words(s.dialogue.spec.area_words)
    return _with_numbers([(a, s.policy_at.areas[a].person_name, tuple(words.get(a, ())), False) for a in order])


def _scale(s: Session, name: str) -> list[Option]:
    labels = getattr(s.policy_at.scales, name)
    words = getattr(s.dialogue.spec.scale_words, name)
    return _with_numbers([(str(i), label, tuple(words.get(i, ())), False) for i, label in enumerate(labels)])


@choices
def need_scale(s: Session) -> list[Option]:
    return _scale(s, "need")


@choices
def risk_scale(s: Session) -> list[Option]:
    return _scale(s, "risk")


@choices
def support_scale(s: Session) -> list[Option]:
    labels = s.policy_at.scales.unpaid_support
    words = s.dialogue.spec.scale_words.unpaid_support
    return _with_numbers([(k, labels[k], tuple(words.get(k, ())), False) for k in ("none", "some", "most")])


@choices
def area_outcomes(s: Session) -> list[Option]:
    area = s.state.cursor.get("area")
    words = _words(s.dialogue.spec.outcome_words)
    items: list[tuple[str, str, tuple[str, ...], bool]] = [
        (o, s.policy_at.outcomes[o].person_name.capitalize(), tuple(words.get(o, ())), False)
        for o in OUTCOME_IDS
        if s.policy_at.outcomes[o].area == area
    ]
    items.append(("none", s.dialogue.spec.texts.none_hard, ("none", "none of these", "nothing", "no"), True))
    return _with_numbers(items)


@choices
def carer_outcomes(s: Session) -> list[Option]:
    items: list[tuple[str, str, tuple[str, ...], bool]] = [
        (o, CARER_OUTCOME_WORDS[o].capitalize(), (CARER_OUTCOME_WORDS[o],), False) for o in CARER_OUTCOME_IDS
    ]
    items.append(("none", s.dialogue.spec.texts.none_hard, ("none", "none of these", "nothing", "no"), True))
    return _with_numbers(items)


@choices
def money_options(s: Session) -> list[Option]:
    """The choices of the money question being asked (from the charging question list)."""
    q = s.money_question()
    if q is None:
        return []
    # the parts of a label also pick it ("25 or over" for "25 or over, but not yet pension age")
    return _with_numbers(
        [(o.value, o.label, tuple(part.strip() for part in o.label.split(",") if part.strip() != o.label), False) for o in q.options]
    )


@choices
def change_answers(s: Session) -> list[Option]:
    """Every answer in the check-your-answers list, to pick the one to change."""
    return _with_numbers([(item.key, item.name, (), False) for item in s.answer_items() if item.key])
