"""The Care Act s.26 budget statement: parts add up, words are plain data, strict loading."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ras.charging import FinanceRecord, estimate_charge, load_charging_rules
from ras.charging.statement import budget_statement, load_statement_texts
from ras.engine import calculate
from ras.models import AssessmentRecord
from ras.policy import load_policy
from ras.policy.yamlio import DataFileError

D = Decimal
AS_OF = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def allocation():
    policy = load_policy("example").at(AS_OF)
    record = AssessmentRecord.model_validate({
        "schema": "ras-assessment/1", "client_group": "learning_disability", "impairment": True,
        "wellbeing_impact": True, "unable_outcomes": ["nutrition", "work_education"],
        "areas": {"health": {"need": 2, "risk": 3}, "work": {"need": 3, "risk": 2}},
    })
    alloc = calculate(record, policy)
    assert alloc.weekly > 0
    return alloc


@pytest.fixture(scope="module")
def rules():
    return load_charging_rules().at(AS_OF)


@pytest.fixture(scope="module")
def texts():
    return load_statement_texts()


def charge_for(alloc, rules, **kw):
    base = dict(capital="0", age_group="25-pension", care_cost=alloc.weekly)
    base.update(kw)
    return estimate_charge(FinanceRecord.model_validate(base), rules)


def test_person_and_council_parts_add_up_to_the_total(allocation, rules, texts):
    charge = charge_for(allocation, rules, capital="15750", income=[{"kind": "esa", "weekly": "200"}])
    s = budget_statement(allocation, charge, texts)
    assert s.parts_known
    assert s.person_weekly + s.council_weekly == s.weekly_total == allocation.weekly
    assert s.person_yearly + s.council_yearly == s.yearly_total == allocation.annual
    assert s.person_weekly == charge.weekly_charge


@settings(max_examples=100, deadline=None)
@given(capital=st.decimals(0, 40000, places=2), income=st.decimals(0, 1500, places=2), care=st.decimals(0, 900, places=2))
def test_parts_always_add_up_and_person_never_pays_more_than_the_total(allocation, rules, texts, capital, income, care):
    charge = charge_for(allocation, rules, capital=capital, income=[{"kind": "other", "weekly": income}], care_cost=care)
    s = budget_statement(allocation, charge, texts)
    assert s.person_weekly + s.council_weekly == s.weekly_total
    assert s.person_yearly + s.council_yearly == s.yearly_total
    assert D(0) <= s.person_weekly <= s.weekly_total


def test_without_a_charge_the_parts_are_not_worked_out_yet(allocation, rules, texts):
    s = budget_statement(allocation, None, texts, rules=rules)
    assert not s.parts_known and s.person_weekly is None and s.council_weekly is None
    assert any("money check decides" in line for line in s.summary)
    assert {f.id for f in s.free_services} == {"reablement", "equipment", "minor_adaptations"}


def test_a_charge_with_a_missing_figure_leaves_the_parts_unknown(allocation, texts):
    # before 6 April 2024 the file has no minimum income figure
    charge = charge_for(allocation, load_charging_rules().at(dt.date(2024, 1, 1)), age_group="pension")
    s = budget_statement(allocation, charge, texts)
    assert not s.parts_known and s.council_weekly is None


def test_full_cost_is_said_plainly(allocation, rules, texts):
    s = budget_statement(allocation, charge_for(allocation, rules, capital="30000"), texts)
    assert s.full_cost and s.council_weekly == D("0.00")
    assert texts.texts.full_cost in s.summary


def test_no_direct_payment_is_offered_when_the_council_pays_nothing(allocation, rules, texts):
    """Care Act s.31: a direct payment is the council's part; with £0 there is none to offer."""
    paid_all = budget_statement(allocation, charge_for(allocation, rules, capital="30000"), texts)
    dp = next(x for x in paid_all.sections if x.id == "direct_payments")
    assert dp.lines == (texts.texts.no_direct_payment,)
    assert "no direct payment" in paid_all.text()
    shared = budget_statement(allocation, charge_for(allocation, rules, income=[{"kind": "esa", "weekly": "150"}]), texts)
    assert shared.council_weekly > 0
    lines = next(x for x in shared.sections if x.id == "direct_payments").lines
    assert lines[0].startswith("You can ask for your budget as money paid to you.")


def test_a_partner_cannot_be_paid_wherever_they_live(allocation, rules, texts):
    """Direct Payments Regulations 2014 reg. 3: a spouse, civil partner or partner, wherever they live."""
    spend = next(x for x in budget_statement(allocation, None, texts, rules=rules).sections if x.id == "spend")
    assert "You cannot pay your husband, wife or partner, wherever they live." in spend.lines


def test_statement_covers_every_part_of_section_26_and_seed_004(allocation, rules, texts):
    s = budget_statement(allocation, None, texts, rules=rules)
    assert [x.id for x in s.sections] == ["spend", "other_funding", "direct_payments", "top_ups", "review"]
    funding = {i.id for x in s.sections for i in x.items}
    assert funding == {"nhs", "access_to_work", "housing"}
    assert all(x.references for x in s.sections)
    body = s.text()
    for words in ("a week", "a year", "direct payment", "complain", "pay extra"):
        assert words in body


def test_statement_words_avoid_jargon_and_are_short(allocation, rules, texts):
    body = budget_statement(allocation, None, texts, rules=rules).text().lower()
    for word in ("eligib", "indicative", "ras ", "resource allocation", "means-test", "assessment"):
        assert word not in body
    assert max(len(x.split()) for x in _sentences(body)) <= 20


def _sentences(body: str) -> list[str]:
    parts = [body]
    for mark in ("\n", ". ", ": ", "? "):
        parts = [p for part in parts for p in part.split(mark)]
    return [p for p in parts if p.strip(" -.")]


def test_statement_reading_age_is_about_nine(allocation, rules, texts):
    """Flesch-Kincaid grade, with the one function `ras-chat dialogue check` uses (textstat)."""
    from ras_chat.dialogue.text import MAX_READING_GRADE, reading_grade

    body = budget_statement(allocation, None, texts, rules=rules).text()
    grade = reading_grade(_sentences(body))
    # grade 4 to 5 is a reading age of about 9 to 10
    assert grade <= MAX_READING_GRADE, grade
    print(f"statement grade {grade:.1f}")


# ----- strict loading -------------------------------------------------------------------

SHIPPED = Path(load_statement_texts.__globals__["default_statement_path"]())


def _broken(tmp_path, old, new):
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "statement.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_unknown_key_in_statement_is_an_error_naming_file_and_key(tmp_path):
    path = _broken(tmp_path, "  title: Your personal budget", "  title: Your personal budget\n  titel: x")
    with pytest.raises(DataFileError) as err:
        load_statement_texts(path)
    assert str(path) in str(err.value) and "texts.titel" in str(err.value)


def test_unknown_reference_in_statement_is_an_error(tmp_path):
    path = _broken(tmp_path, "reference: access-to-work", "reference: atw")
    with pytest.raises(DataFileError) as err:
        load_statement_texts(path)
    assert "atw" in str(err.value) and "sections.1.items.1.reference" in str(err.value)


def test_unknown_placeholder_in_statement_is_an_error(tmp_path):
    path = _broken(tmp_path, "{weekly} a week. That is {yearly} a year.\"\n  no_budget",
                   "{weekly} a week. That is {total} a year.\"\n  no_budget")
    with pytest.raises(DataFileError) as err:
        load_statement_texts(path)
    assert "{total}" in str(err.value)


def test_a_missing_section_is_an_error(tmp_path):
    path = _broken(tmp_path, "  - id: top_ups", "  - id: review2")
    with pytest.raises(DataFileError) as err:
        load_statement_texts(path)
    assert "sections" in str(err.value)


def test_the_statement_says_which_years_figures_it_used_and_when_they_may_be_old(allocation, texts):
    now = budget_statement(allocation, charge_for(allocation, load_charging_rules().at(dt.date(2026, 12, 1)),
                                                   income=[{"kind": "esa", "weekly": "150"}]), texts)
    assert "This first guess uses the money figures for 2026-27." in now.summary
    assert texts.texts.figures_may_be_old not in now.summary
    later = budget_statement(allocation, charge_for(allocation, load_charging_rules().at(dt.date(2027, 5, 1)),
                                                     income=[{"kind": "esa", "weekly": "150"}]), texts)
    assert "This first guess uses the money figures for 2026-27." in later.summary
    assert texts.texts.figures_may_be_old in later.summary
