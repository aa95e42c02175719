"""The money part in the hand-off and its exports (json, md, html, fhir), from real
conversations driven by the test plans and saved turn by turn in a real database.

Farzana (tests/plans/farzana_pays_part.plan) answers the money part: her budget is £195.00
a week (£10,140.00 a year over 52 weeks); on 2026-05-04 (the 2026-27 figures) her estimated
part is £250 + £6 - £120.40 = £135.60 a week (x 52 = £7,051.20 a year) and the council's part
£195 - £135.60 = £59.40 a week (£10,140.00 - £7,051.20 = £3,088.80 a year). In farzana.plan
she skips it. (Before issue 16 the 2025-26 £112.50 was carried into 2026-27: £143.50.)
"""

from __future__ import annotations

import html
import json
from decimal import Decimal
from pathlib import Path

import pytest
from store_helpers import message, sample_record, sample_result, seed_from_plan, snapshot

from ras_chat.__main__ import main
from ras_chat.dialogue.text import MAX_READING_GRADE, reading_grade
from ras_chat.exports.fhir import questionnaire_response
from ras_chat.exports.handoff import (
    REMOVED,
    SCHEMA_FILE,
    Handoff,
    build_handoff,
    handoff_schema_text,
    read_handoff,
    redact,
)
from ras_chat.exports.letter import letter_blocks, letter_html, letter_markdown
from ras_chat.store import open_store

PLANS = Path(__file__).parent / "plans"
PAYS_PART = PLANS / "farzana_pays_part.plan"
SKIPS = PLANS / "farzana.plan"
D = Decimal


def export(store, sid) -> Handoff:
    return build_handoff(store.details(sid), audit_chain_intact=not store.verify_audit())


def fhir_answers(h: Handoff) -> dict[str, list]:
    """linkId -> answers, through every level of the validated QuestionnaireResponse."""
    data = json.loads(questionnaire_response(h).model_dump_json(exclude_none=True))
    found: dict[str, list] = {}

    def walk(items):
        for it in items or []:
            found.setdefault(it["linkId"], []).extend(it.get("answer", []))
            walk(it.get("item"))

    walk(data["item"])
    return found


@pytest.fixture
def paid(target):
    with open_store(target) as store:
        return export(store, seed_from_plan(store, PAYS_PART))


@pytest.fixture
def skipped(target):
    with open_store(target) as store:
        return export(store, seed_from_plan(store, SKIPS))


# ----- the record -------------------------------------------------------------------------------


def test_the_handoff_carries_the_finance_record_the_charge_and_the_split(paid):
    assert paid.money.status == "answered" and paid.money.answers == 17  # the offer and 16 money questions
    assert paid.money.finance.capital == D("15750.00") and paid.money.finance.care_cost == D("195.00")
    c = paid.money.charge
    assert (c.tariff_income, c.mig, c.weekly_charge, c.council_pays) == (D("6.00"), D("120.40"), D("135.60"), D("59.40"))
    b = paid.budget
    assert b.parts_known
    assert (b.weekly_total, b.yearly_total) == (D("195.00"), D("10140.00"))
    assert (b.person_weekly, b.person_yearly) == (D("135.60"), D("7051.20"))
    assert (b.council_weekly, b.council_yearly) == (D("59.40"), D("3088.80"))
    assert b.person_weekly + b.council_weekly == b.weekly_total
    data = json.loads(paid.dump_json())
    assert data["schema"] == "ras-handoff/4"
    assert data["money"]["charge"]["schema"] == "ras-charge/2" and data["money"]["finance"]["schema"] == "ras-finance/2"
    assert data["money"]["charge"]["year"] == "2026-27"
    assert data["budget"]["person_weekly"] == "135.60" and data["budget"]["council_weekly"] == "59.40"
    assert "finance officer" in data["money"]["note"]
    assert read_handoff(paid.dump_json()) == paid


def test_a_skipped_money_part_gives_no_split(skipped):
    assert skipped.money.status == "skipped"
    assert skipped.money.finance is None and skipped.money.charge is None
    b = skipped.budget
    assert not b.parts_known and b.weekly_total == D("195.00") and b.yearly_total == D("10140.00")
    assert b.person_weekly is b.council_weekly is b.person_yearly is b.council_yearly is None
    assert any("not worked out" in line for line in b.summary)


def test_the_schema_file_is_the_current_version_and_in_step_with_the_model():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert SCHEMA_FILE.read_text(encoding="utf-8") == handoff_schema_text()
    assert schema["properties"]["schema"]["const"] == "ras-handoff/4"
    assert {"money", "budget"} <= set(schema["properties"])
    assert {"MoneyPart", "FinanceRecord", "ChargeResult", "BudgetStatement"} <= set(schema["$defs"])


def test_an_old_saved_session_still_exports_and_an_old_record_still_reads(tmp_path):
    # a snapshot saved before the money part existed: no finance, charge or money answers
    with open_store(tmp_path / "s.db") as store:
        record = sample_record()
        store.save_turn(snapshot("old", 2, status="handed_off"), [message(0), message(1)], record=record, result=sample_result(record))
        h = export(store, "old")
    assert h.money.status == "not_reached" and h.money.charge is None
    assert h.budget is not None and not h.budget.parts_known
    assert questionnaire_response(h).status == "completed"
    assert "not worked out yet" in letter_markdown(h)
    v1 = json.loads(h.dump_json())
    v1["schema"] = "ras-handoff/1"
    del v1["money"], v1["budget"]
    old = read_handoff(v1)
    assert old.schema_ == "ras-handoff/4" and old.money is None and old.budget is None
    assert "Not in this record" in letter_markdown(old)


# ----- the letter and the worker's summary -----------------------------------------------------


@pytest.mark.parametrize("render", [letter_markdown, letter_html], ids=["md", "html"])
def test_the_letter_states_the_total_and_both_parts_as_an_estimate(paid, render):
    text = html.unescape(render(paid))
    letter, worker = text.split("Summary for the worker")
    for words in (
        "Your personal budget is £195.00 a week. That is £10,140.00 a year.",
        "You pay £135.60 a week. That is £7,051.20 a year.",
        "The council pays £59.40 a week. That is £3,088.80 a year.",
        "Your part is a first guess. A money check with a finance officer decides it.",
        "How we worked out your part",
        "What you can spend it on",
        "direct payment",
        "Ombudsman",
    ):
        assert words in letter, words
    # every term of the sum is named (issue 20): income, savings, to live on, home, disability costs
    assert ("£250.00 income + £6.00 from savings - £120.40 to live on - £0.00 for your home - "
            "£0.00 for extra disability costs = £135.60 a week.") in letter
    for words in ("Personal budget statement (Care Act 2014 s.26)", "Person", "Council", "£135.60", "£59.40",
                  "£7,051.20", "£3,088.80", "Minimum Income Guarantee", "£120.40", "not a financial assessment"):
        assert words in worker, words


@pytest.mark.parametrize("render", [letter_markdown, letter_html], ids=["md", "html"])
def test_the_letter_says_plainly_when_the_money_part_was_skipped(skipped, render):
    text = html.unescape(render(skipped))
    letter, worker = text.split("Summary for the worker")
    assert "You chose to skip the money questions." in letter
    assert "Your part and the council's part are not worked out yet." in letter
    assert "You pay £" not in letter and "The council pays £" not in letter
    assert "How we worked out your part" not in letter
    assert "skipped by the person" in worker and "not worked out" in worker
    assert "No person/council split is stated" in worker


def test_our_money_sentences_read_at_about_age_nine(paid, skipped, tmp_path, monkeypatch):
    texts = []
    for h in (paid, skipped, _pension_age(tmp_path, monkeypatch)):
        words = set(h.budget.summary) | {line for s in h.budget.sections for line in s.lines}
        words |= set(h.money.charge.missing) if h.money.charge else set()
        blocks = letter_blocks(h)
        start = next(i for i, b in enumerate(blocks) if b.kind == "h2" and b.text == h.budget.title)
        texts += [b.text for b in blocks[start:] if b.kind == "p" and b.text not in words]
    text = " ".join(texts)
    assert "skip the money questions" in text and "could not make a first guess" in text
    assert reading_grade(text) <= MAX_READING_GRADE  # the one measure `dialogue check` uses
    assert max(len(s.split()) for s in text.split(".")) <= 15


def _pension_age(tmp_path, monkeypatch) -> Handoff:
    """Farzana at pension age, with charging rules that lack the pension-age figure (a council
    file that has not filled it in): the estimate names it and invents none."""
    from ras.charging import rules as charging_rules

    text = charging_rules.default_rules_path().read_text(encoding="utf-8")
    start, end = text.index("  mig_single_pension:"), text.index("  mig_lone_parent:")
    rules_file = tmp_path / "no-pension-figure.yaml"
    rules_file.write_text(text[:start] + text[end:], encoding="utf-8")
    monkeypatch.setattr(charging_rules, "default_rules_path", lambda: rules_file)
    plan = tmp_path / "farzana_pension_age.plan"
    plan.write_text(PAYS_PART.read_text(encoding="utf-8").replace("> 25 or over\n", "> Pension age or over\n"), encoding="utf-8")
    with open_store(tmp_path / "pension.db") as store:
        return export(store, seed_from_plan(store, plan, session_id="pension-age"))


def test_a_missing_minimum_income_figure_gives_no_split_and_says_which(tmp_path, monkeypatch):
    h = _pension_age(tmp_path, monkeypatch)
    assert h.money.status == "answered" and h.money.finance.age_group == "pension"
    assert h.money.charge.mig is None and h.money.charge.weekly_charge is None
    assert not h.budget.parts_known
    letter, worker = letter_markdown(h).split("Summary for the worker")
    assert "could not make a first guess" in letter
    assert "minimum income figure in force on 2026-05-04 for people over pension age, on your own" in letter
    assert "You pay £" not in letter
    assert "MISSING from the charging rules" in worker


# ----- FHIR --------------------------------------------------------------------------------------


def test_fhir_carries_the_charge_and_both_parts(paid):
    found = fhir_answers(paid)
    assert found["money.status"][0]["valueCoding"]["code"] == "answered"
    gbp = lambda v: [{"valueQuantity": {"value": v, "unit": "GBP", "system": "urn:iso:std:iso:4217", "code": "GBP"}}]  # noqa: E731
    assert found["money.charge.weekly_charge"] == gbp(135.6)
    assert found["money.charge.council_pays"] == gbp(59.4)
    assert found["money.charge.mig"] == gbp(120.4)
    assert found["budget.weekly_total"] == gbp(195.0)
    assert found["budget.person_weekly"] == gbp(135.6)
    assert found["budget.council_weekly"] == gbp(59.4)
    assert found["budget.council_yearly"] == gbp(3088.8)
    assert found["budget.parts_known"] == [{"valueBoolean": True}]


def test_fhir_for_a_skipped_money_part_has_no_parts(skipped):
    found = fhir_answers(skipped)
    assert found["money.status"][0]["valueCoding"]["code"] == "skipped"
    assert found["budget.parts_known"] == [{"valueBoolean": False}]
    assert not any(k.startswith(("money.charge", "money.finance", "budget.person", "budget.council")) for k in found)


# ----- redaction --------------------------------------------------------------------------------


def test_redact_keeps_the_money_figures_and_removes_money_free_text(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        sid = seed_from_plan(store, PAYS_PART)
        details = store.details(sid)
    # a finance record may carry free text (a council's import, or a later question list)
    snap = details["snapshot"]
    snap["finance"] = {**snap["finance"], "id": "NHS 943 476 5919", "notes": "Aunt Shazia helps with bills",
                       "dre": [{"what": "Taxi to the Leeds day centre", "weekly": "12.00"}]}
    snap["charge"]["steps"] = [*snap["charge"]["steps"], {"rule": "charge.dre_itemised", "amount": "12.00",
                               "text": "You keep £12.00 a week for extra costs of your disability (Taxi to the Leeds day centre)."}]
    h = redact(build_handoff(details))
    out = h.dump_json() + letter_markdown(h) + letter_html(h) + questionnaire_response(h).model_dump_json()
    for secret in ("943 476", "Shazia", "Leeds"):
        assert secret not in out, secret
    f = h.money.finance
    assert f.id is None and f.notes is None and f.dre[0].what == REMOVED and f.dre[0].weekly == D("12.00")
    assert f.capital == D("15750.00") and [i.weekly for i in f.income] == [D("250.00"), D("28.70")]
    assert h.money.charge.weekly_charge == D("135.60") and h.budget.person_weekly == D("135.60")
    # the person's typed amounts are removed from their own messages, but not cut out of the figures
    said = [m.text for m in h.transcript if m.role == "assistant"]
    assert any("£14,250.00" in t and "£250.00 or part of it" in t for t in said)
    assert "Anything you skipped" in said[-2]
    assert not any(m.text in ("about £15,750", "250") for m in h.transcript if m.role == "person")


def test_export_command_writes_the_split_in_every_format(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        seed_from_plan(store, PAYS_PART)
    outputs = {}
    for fmt in ("json", "md", "html", "fhir"):
        assert main(["export", "last", "--format", fmt, "--db", db]) == 0
        outputs[fmt] = capsys.readouterr().out
    assert json.loads(outputs["json"])["budget"]["council_yearly"] == "3088.80"
    assert "The council pays £59.40 a week." in outputs["md"] and "The council pays £59.40 a week." in outputs["html"]
    assert '"linkId": "budget.person_weekly"' in outputs["fhir"]
