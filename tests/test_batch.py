"""The vectorised batch path (ras.batch) gives the one-record engine's figures to the penny.

Every comparison runs the engine (`ras.engine.calculate`) on the same record and checks
each figure of the batch line against it; the hand-worked cases write their arithmetic.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ras import batch
from ras.engine import calculate
from ras.errors import validation_message
from ras.finance import figures
from ras.models import (
    AREA_IDS,
    CLIENT_GROUPS,
    METHODS,
    OUTCOME_IDS,
    SUPPORT_LEVELS,
    AssessmentRecord,
)

AS_OF = "2026-06-01"


# ----- helpers ---------------------------------------------------------------------------


def random_record(rng: random.Random, i: int) -> dict:
    """A valid record, spread over every group, level, support and eligibility; some optional fields."""
    areas = {}
    for area in AREA_IDS:
        roll = rng.random()
        if roll < 0.08:
            continue  # left out: need 0, risk 0, no support
        if roll < 0.12:
            areas[area] = {}  # given but empty: the same
            continue
        answer = {"need": rng.randint(0, 4), "risk": rng.randint(0, 4), "unpaid_support": rng.choice(SUPPORT_LEVELS)}
        if rng.random() < 0.1:
            del answer["unpaid_support"]
        areas[area] = answer
    record = {
        "schema": "ras-assessment/1",
        "client_group": rng.choice(CLIENT_GROUPS),
        "impairment": rng.random() < 0.9,
        "wellbeing_impact": rng.random() < 0.9,
        "unable_outcomes": rng.sample(OUTCOME_IDS, rng.choice([0, 1, 2, 2, 3, 4, 6, 10])),
        "areas": areas,
    }
    if rng.random() < 0.8:
        record["fluctuating"] = rng.random() < 0.25
    if rng.random() < 0.7:
        record["id"] = f"case-{i}"
    if rng.random() < 0.05:
        record["notes"] = "Lives alone, \"daughter\" visits; café on Fridays"
        record["unable_reasons"] = {o: ["without_help"] for o in record["unable_outcomes"]}
    return record


def run_batch(lines: list[str], policy, method: str | None = None, *, compare=False, explain=False, chunk=batch.CHUNK_LINES):
    out = io.BytesIO()
    problems: list[tuple[int, str]] = []
    batch.run(
        io.BytesIO("".join(line + "\n" for line in lines).encode()),
        out,
        policy,
        method,
        compare=compare,
        explain=explain,
        problem=lambda n, m: problems.append((n, m)),
        chunk_lines=chunk,
    )
    return [json.loads(line) for line in out.getvalue().decode().splitlines()], problems


def engine_figures(alloc) -> dict:
    """The engine's allocation as the batch line gives it (money as the Decimal's text)."""
    return {
        "eligible": alloc.eligible,
        "eligibility": {"eligible": alloc.eligibility.eligible, "conditions": alloc.eligibility.conditions},
        "weekly": str(alloc.weekly),
        "annual": str(alloc.annual),
        "range": {"low": str(alloc.range.low), "high": str(alloc.range.high)},
        "band": alloc.band,
        "reference_cost": str(alloc.reference_cost),
        "shortfall": str(alloc.shortfall),
        "elements": {e.area: str(e.amount) for e in alloc.elements},
    }


def batch_figures(line: dict) -> dict:
    keys = ("eligible", "eligibility", "weekly", "annual", "range", "band", "reference_cost", "shortfall", "elements")
    return {k: line[k] for k in keys}


def odd_figures(policy):
    """Figures with awkward fractions, so half-pennies turn up and rounding is tested."""
    p = figures.scale(policy, "points", "1.0731")
    p = figures.scale(p, "bands", "1.137")
    p = figures.scale(p, "grid", "0.8573")
    return figures.scale(p, "costed", "1.0427")


def assert_same_as_engine(records: list[dict], tables, chunk=batch.CHUNK_LINES) -> None:
    lines = [json.dumps(r) for r in records]
    models = [AssessmentRecord.model_validate(r) for r in records]
    seen = set()
    for method in METHODS:
        results, problems = run_batch(lines, tables, method, chunk=chunk)
        assert problems == []
        assert len(results) == len(records)
        for n, (line, record, model) in enumerate(zip(results, records, models), 1):
            assert line["line"] == n and line["id"] == record.get("id") and line["method"] == method
            expected = engine_figures(calculate(model, tables, method))
            assert batch_figures(line) == expected, (method, n, record)
            seen.add((method, record["client_group"], line["eligible"]))
    assert seen == {(m, g, e) for m in METHODS for g in CLIENT_GROUPS for e in (True, False)}
    compared, problems = run_batch(lines, tables, compare=True, chunk=chunk)
    assert problems == []
    for line, model in zip(compared, models):
        for method in METHODS:
            assert line["methods"][method] == {
                k: v for k, v in engine_figures(calculate(model, tables, method)).items() if k not in ("eligible", "eligibility")
            }


# ----- the same as the engine, to the penny ------------------------------------------------


@pytest.mark.parametrize("odd", [False, True], ids=["example figures", "odd figures"])
def test_5000_random_records_every_method_every_group_as_the_engine(policy, odd):
    rng = random.Random(18)
    records = [random_record(rng, i) for i in range(5000)]
    # small chunks, so records cross chunk edges and the bands table fills as it goes
    assert_same_as_engine(records, odd_figures(policy) if odd else policy, chunk=997)


@pytest.mark.slow
@pytest.mark.parametrize("odd", [False, True], ids=["example figures", "odd figures"])
def test_100000_random_records_every_method_every_group_as_the_engine(policy, odd):
    rng = random.Random(100_000 + odd)
    tables = odd_figures(policy) if odd else policy
    for part in range(10):  # ten runs of 10,000, so the test holds 10,000 results at a time, not 100,000
        records = [random_record(rng, part * 10_000 + i) for i in range(10_000)]
        assert_same_as_engine(records, tables)


def test_every_answer_in_every_area_and_group_as_the_engine(policy):
    """All 75 answers (need x risk x support) in each area, for every group: the whole table."""
    records = []
    for group in CLIENT_GROUPS:
        for n in range(5):
            for r in range(5):
                for s in SUPPORT_LEVELS:
                    answer = {"need": n, "risk": r, "unpaid_support": s}
                    other = {"need": 4 - n, "risk": r, "unpaid_support": SUPPORT_LEVELS[(n + r) % 3]}
                    records.append(
                        {
                            "schema": "ras-assessment/1",
                            "client_group": group,
                            "impairment": True,
                            "wellbeing_impact": True,
                            "unable_outcomes": ["nutrition", "hygiene"],
                            "fluctuating": (n + r) % 2 == 0,
                            "areas": {"health": answer, "choice": other, "work": answer, "community": other},
                        }
                    )
    for method in METHODS:
        results, _ = run_batch([json.dumps(r) for r in records], policy, method)
        for line, record in zip(results, records):
            assert batch_figures(line) == engine_figures(calculate(AssessmentRecord.model_validate(record), policy, method))


BASE = {
    "schema": "ras-assessment/1",
    "client_group": "older_people",
    "impairment": True,
    "wellbeing_impact": True,
    "unable_outcomes": ["nutrition", "hygiene"],
}


def test_worked_by_hand_points_with_reference_cost_and_shortfall(policy):
    record = {
        **BASE,
        "areas": {
            "health": {"need": 2, "risk": 3, "unpaid_support": "none"},
            "choice": {"need": 1, "risk": 0, "unpaid_support": "some"},
            "community": {"need": 4, "risk": 4, "unpaid_support": "most"},
        },
    }
    [line], _ = run_batch([json.dumps(record)], policy, "points")
    # health: need points 5 x weight 3 + risk points 5 = 20 points x 4.60 = 92.00
    # choice: 2 x 1 + 0 = 2 points x 4.60 = 9.20, less 15% = 7.82
    # work: nothing; community: 14 x 2 + 10 = 38 points x 4.60 = 174.80, less 30% = 122.36
    assert line["elements"] == {"health": "92.00", "choice": "7.82", "work": "0.00", "community": "122.36"}
    assert line["weekly"] == "222.18"  # 92.00 + 7.82 + 122.36
    assert line["annual"] == "11553.36"  # 222.18 x 52
    assert line["range"] == {"low": "199.96", "high": "244.40"}  # x0.90 = 199.962, x1.10 = 244.398
    # costed (the reference): health 7 h x 32.14 = 224.98; choice 1 h less 50% = 0.5 h x 32.14 = 16.07;
    # community 10 h less 75% = 2.5 h x 16.00 = 40.00; 224.98 + 16.07 + 40.00 = 281.05
    assert line["reference_cost"] == "281.05"
    assert line["shortfall"] == "58.87"  # 281.05 - 222.18
    assert line["eligible"] is True and line["band"] is None


def test_worked_by_hand_half_a_penny_rounds_up_and_bands_share_by_score(policy):
    record = {
        **BASE,
        "fluctuating": True,
        "areas": {
            "health": {"need": 1, "risk": 4, "unpaid_support": "some"},
            "choice": {"need": 1, "risk": 0},
            "community": {"need": 4, "risk": 4, "unpaid_support": "most"},
        },
    }
    [costed], _ = run_batch([json.dumps(record)], policy, "costed")
    # health: 3.5 h less 50% = 1.75 h x 32.14 = 56.245: half a penny, up to 56.25
    assert costed["elements"]["health"] == "56.25"
    [bands], _ = run_batch([json.dumps(record)], policy, "bands")
    # scores 5 + 1 + 0 + 8 = 14: standard, 115 + 20 x (14 - 9) = 215.00
    # health 215 x 5/14 = 76.785.. -> 76.79; choice 215 x 1/14 = 15.357.. -> 15.36;
    # community (the last area with a score) takes the rest: 215.00 - 76.79 - 15.36 = 122.85
    assert bands["band"] == "standard" and bands["weekly"] == "215.00"
    assert bands["elements"] == {"health": "76.79", "choice": "15.36", "work": "0.00", "community": "122.85"}
    assert bands["range"] == {"low": "193.50", "high": "268.75"}  # needs change: x0.90 and x1.25


@pytest.mark.parametrize(
    "change, condition",
    [
        ({"impairment": False}, "impairment_or_illness"),
        ({"wellbeing_impact": False}, "significant_impact_on_wellbeing"),
        ({"unable_outcomes": ["nutrition"]}, "unable_to_achieve_outcomes"),
        ({"unable_outcomes": []}, "unable_to_achieve_outcomes"),
    ],
)
def test_not_eligible_gives_nothing_under_every_method_and_names_the_condition(policy, change, condition):
    record = {**BASE, **change, "areas": {a: {"need": 4, "risk": 4} for a in AREA_IDS}}
    [line], _ = run_batch([json.dumps(record)], policy, compare=True)
    assert line["eligible"] is False
    assert line["eligibility"]["conditions"][condition] is False
    for method in METHODS:
        got = line["methods"][method]
        assert got["weekly"] == got["annual"] == got["reference_cost"] == got["shortfall"] == "0.00"
        assert got["band"] is None and set(got["elements"].values()) == {"0.00"}


def test_edges_need_zero_the_maximum_and_each_support_level_as_the_engine(policy):
    top = {a: {"need": 4, "risk": 4, "unpaid_support": "none"} for a in AREA_IDS}
    records = [
        {**BASE, "areas": {}},  # need 0 everywhere: eligible, nothing to pay
        {**BASE, "areas": {a: {"need": 0, "risk": 4} for a in AREA_IDS}},  # risk with no need
        {**BASE, "client_group": "learning_disability", "fluctuating": True, "areas": top},  # the most there is
        *({**BASE, "areas": {a: {"need": 3, "risk": 2, "unpaid_support": s} for a in AREA_IDS}} for s in SUPPORT_LEVELS),
        {**BASE, "unable_outcomes": list(OUTCOME_IDS), "areas": top},  # all ten outcomes
    ]
    for method in METHODS:
        results, _ = run_batch([json.dumps(r) for r in records], policy, method)
        for line, record in zip(results, records):
            assert batch_figures(line) == engine_figures(calculate(AssessmentRecord.model_validate(record), policy, method))
    [empty], _ = run_batch([json.dumps(records[0])], policy, "bands")
    assert empty["weekly"] == "0.00" and empty["band"] == "none" and empty["eligible"] is True
    [most], _ = run_batch([json.dumps(records[2])], policy, "bands")
    # score 32: enhanced, 350 + 25 x 13 = 675.00 (under the cap of 700); needs change: x1.25 = 843.75
    assert most["weekly"] == "675.00" and most["range"]["high"] == "843.75"


def test_money_as_the_engine_prints_it():
    assert batch.money_text(0) == b"0.00"
    assert batch.money_text(5) == b"0.05"
    assert batch.money_text(123456) == b"1234.56"
    assert batch.money_text(-150) == b"-1.50"


def test_rounding_of_a_product_is_half_up_on_the_exact_value():
    pence = np.array([5, 15, 25, -5, 100, 0])
    # x 0.5: 2.5 -> 3, 7.5 -> 8, 12.5 -> 13, -2.5 -> -3 (away from zero, as ROUND_HALF_UP), 50, 0
    assert batch.times_rounded(pence, Decimal("0.5")).tolist() == [3, 8, 13, -3, 50, 0]
    # x 52.143: 100 -> 5214.3 -> 5214
    assert batch.times_rounded(np.array([100]), Decimal("52.143")).tolist() == [5214]


# ----- reading: exactly what the engine accepts, with the engine's words -------------------


def test_the_fast_reader_knows_the_engine_models_fields_and_no_others():
    fields = {f.alias or name for name, f in AssessmentRecord.model_fields.items()}
    known = set(batch.RECORD_FIELDS) - {"schema_"} | {"schema"}
    assert known <= fields  # nothing the engine would refuse as unknown
    assert fields - known <= set(batch.ENGINE_ONLY_FIELDS)  # the rest is read by the engine's model


def test_bad_lines_are_named_by_number_with_the_engines_message_and_the_rest_carry_on(policy):
    good = json.dumps({**BASE, "id": "a"})
    bad = {
        2: "{oops",
        3: json.dumps({**BASE, "areas": {"health": {"need": 5}}}),
        4: json.dumps({**BASE, "unable_outcomes": ["nutrition", "nutrition"]}),
        5: json.dumps({**BASE, "areas": {"health": {"need": 1.0}}}),
        6: json.dumps({**BASE, "impairment": "yes"}),
        7: json.dumps({**BASE, "colour": "blue"}),
        8: json.dumps({"schema": "ras-carer/1", "needs_from_caring": True, "wellbeing_impact": True}),
        9: json.dumps({**BASE, "synthetic": "yes"}),
        10: json.dumps({**BASE, "actual_weekly_cost": -3}),
    }
    lines = [good, *bad.values(), "", "   ", json.dumps({**BASE, "id": "b"})]
    results, problems = run_batch(lines, policy, "grid")
    assert [(r["id"], r["line"]) for r in results] == [("a", 1), ("b", 13)]  # the two blank lines are skipped
    assert [n for n, _ in problems] == list(bad)
    for (n, message), text in zip(problems, bad.values()):
        if n in (9, 10):
            continue  # a history line's own keys: checked as `ras calibrate` checks them
        with pytest.raises(ValidationError) as engine_error:
            AssessmentRecord.model_validate_json(text)
        assert message == validation_message(engine_error.value)
    assert problems[-2:] == [(9, "synthetic: should be true or false"), (10, "actual_weekly_cost: should be 0 or more")]


def test_what_only_the_engine_model_accepts_is_still_accepted(policy):
    # `schema_` is the model's own name for `schema`; a repeated key: the last one counts
    odd = [
        (
            '{"schema_":"ras-assessment/1","client_group":"older_people","impairment":true,"wellbeing_impact":true,'
            '"unable_outcomes":["nutrition","toilet"],"areas":{"work":{"need":7,"need":2,"risk":3}}}'
        )
    ]
    results, problems = run_batch(odd, policy, "grid")
    assert problems == []
    assert results[0]["elements"]["work"] == "120.00"  # need 2 counts (some need), so risk 3 pays 120.00
    assert results[0]["weekly"] == engine_figures(
        calculate(AssessmentRecord.model_validate_json(odd[0]), policy, "grid")
    )["weekly"]


TRICKY = [
    # keys given twice: the last one counts, for the engine and for batch alike
    (
        '"unable_outcomes":["nutrition","toilet"],"areas":{"health":{"need":3,"risk":3},"health":{"need":1}},'
        '"fluctuating":false,"fluctuating":true,"client_group":"mental_health"}'
    ),
    '"unable_outcomes":["nutrition"],"unable_outcomes":["nutrition","toilet"],"areas":{"health":{"need":3,"risk":3,"risk":1}}}',
    '"id":"x","id":null,"unable_outcomes":["nutrition","toilet"]}',
    '"unable_outcomes":["nutrition","hygiene"],"unable_outcomes":["toilet","toilet"]}',
    '"id":"a\\u0000b","unable_outcomes":["nutrition","toilet"]}\r',
    '"id":"\\ud800"}',
    '"areas":{"health":{"need":100000000000000000000000}}}',
    '"areas":{"health":{"need":true}}}',
    '"unable_outcomes":"nutrition"}',
]


@pytest.mark.parametrize("tail", TRICKY)
def test_tricky_lines_are_read_as_the_engine_reads_them(policy, tail):
    text = '{"schema":"ras-assessment/1","client_group":"older_people","impairment":true,"wellbeing_impact":true,' + tail
    results, problems = run_batch([text], policy, "points")
    try:
        model = AssessmentRecord.model_validate_json(text)
    except ValidationError:
        assert results == [] and len(problems) == 1
        return
    assert problems == []
    assert batch_figures(results[0]) == engine_figures(calculate(model, policy, "points"))
    assert results[0]["id"] == model.id


def test_not_utf8_is_a_named_bad_line_not_a_crash(policy):
    out = io.BytesIO()
    problems = []
    data = json.dumps(BASE).encode() + b"\n" + b'{"schema":"ras-assessment/1","notes":"\xff"}\n'
    batch.run(io.BytesIO(data), out, policy, "points", problem=lambda n, m: problems.append((n, m)))
    assert len(out.getvalue().splitlines()) == 1
    # `{"schema":"ras-assessment/1","notes":"` is 38 bytes, so the bad byte is the 39th
    assert problems == [(2, "cannot be read as UTF-8 text (invalid start byte at byte 39)")]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 9) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)
top_keys = st.sampled_from(
    ["schema", "client_group", "impairment", "wellbeing_impact", "unable_outcomes", "fluctuating", "areas", "id",
     "notes", "flags", "unable_reasons", "area_notes", "what_matters", "synthetic", "actual_weekly_cost", "other"]
)
answer_keys = st.sampled_from(["need", "risk", "unpaid_support", "other"])
good_values = st.sampled_from(
    [0, 1, 4, "none", "most", "older_people", "ras-assessment/1", True, False, ["nutrition", "hygiene"], [], {}]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    changes=st.lists(st.tuples(top_keys, json_values | good_values), max_size=3),
    answer_changes=st.lists(st.tuples(st.sampled_from(AREA_IDS), answer_keys, json_values | good_values), max_size=3),
    drop=st.lists(top_keys, max_size=2),
)
def test_the_batch_reader_accepts_and_refuses_exactly_as_the_engine(policy, changes, answer_changes, drop):
    record = json.loads(json.dumps({**BASE, "areas": {a: {"need": 2, "risk": 1, "unpaid_support": "some"} for a in AREA_IDS}}))
    for key, value in changes:
        record[key] = value
    for area, key, value in answer_changes:
        if isinstance(record.get("areas"), dict) and isinstance(record["areas"].get(area), dict):
            record["areas"][area][key] = value
    for key in drop:
        record.pop(key, None)
    text = json.dumps(record)
    results, problems = run_batch([text], policy, "points")
    plain = {k: v for k, v in record.items() if k not in batch.HISTORY_KEYS}
    try:
        model = AssessmentRecord.model_validate_json(json.dumps(plain))
    except ValidationError:
        model = None
    history_ok = type(record.get("synthetic", False)) is bool and (
        record.get("actual_weekly_cost") is None or batch._cost_problem(record["actual_weekly_cost"]) is None
    )
    if model is None or not history_ok:
        assert results == [] and len(problems) == 1
    else:
        assert problems == []
        assert batch_figures(results[0]) == engine_figures(calculate(model, policy, "points"))
        assert results[0]["id"] == model.id


# ----- explanations, synth, the command --------------------------------------------------


def test_explain_gives_the_engines_full_result_with_the_records_id(policy):
    records = [{**BASE, "id": "x-1", "areas": {"health": {"need": 3, "risk": 2}}}, {**BASE, "impairment": False}]
    results, _ = run_batch([json.dumps(r) for r in records], policy, "bands", explain=True)
    for n, (line, record) in enumerate(zip(results, records), 1):
        expected = calculate(AssessmentRecord.model_validate(record), policy, "bands").dump()
        assert line == {"id": record.get("id"), "line": n, **expected}
        assert line["explanation"]
    compared, _ = run_batch([json.dumps(records[0])], policy, compare=True, explain=True)
    assert compared[0]["id"] == "x-1" and set(compared[0]) == {"id", "line", *METHODS}
    assert compared[0]["grid"] == calculate(AssessmentRecord.model_validate(records[0]), policy, "grid").dump()


def test_result_lines_match_their_published_schemas(policy):
    records = [{**BASE, "id": "s"}, {**BASE, "impairment": False}]
    results, _ = run_batch([json.dumps(r) for r in records], policy, "bands")
    for line in results:
        assert batch.BatchResult.model_validate(line).model_dump(mode="json", by_alias=True, exclude_unset=True) == line
    compared, _ = run_batch([json.dumps(r) for r in records], policy, compare=True)
    for line in compared:
        assert batch.BatchCompare.model_validate(line).model_dump(mode="json", by_alias=True, exclude_unset=True) == line


def ras(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ras.cli", *args], check=False, capture_output=True, timeout=120)


def test_ras_synth_output_goes_straight_into_calculate_batch(tmp_path, policy):
    path = tmp_path / "made-up.jsonl"
    made = ras("synth", "--n", "300", "--seed", "4", "--out", str(path), "--as-of", AS_OF)
    assert made.returncode == 0, made.stderr
    out = ras("calculate", "--batch", str(path), "--method", "costed", "--as-of", AS_OF)
    assert out.returncode == 0 and out.stderr == b""
    results = [json.loads(line) for line in out.stdout.decode().splitlines()]
    sources = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(results) == 300
    for line, source in zip(results, sources):
        assert line["id"] == source["id"] and line["synthetic"] is True  # made up, and still says so
        plain = {k: v for k, v in source.items() if k not in batch.HISTORY_KEYS}
        assert batch_figures(line) == engine_figures(calculate(AssessmentRecord.model_validate(plain), policy, "costed"))


def test_the_command_streams_batch_and_compare_and_exits_2_on_a_bad_line(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({**BASE, "id": "one"}) + "\n{oops\n")
    out = ras("calculate", "--batch", str(path), "--method", "grid", "--as-of", AS_OF)
    assert out.returncode == 2
    [line] = [json.loads(x) for x in out.stdout.splitlines()]
    assert line["id"] == "one" and line["schema"] == "ras-batch-result/1"
    assert f"{path}: line 2:".encode() in out.stderr and b"Traceback" not in out.stderr
    out = ras("compare", "--batch", str(path), "--as-of", AS_OF)
    assert out.returncode == 2
    assert set(json.loads(out.stdout.splitlines()[0])["methods"]) == set(METHODS)
    missing = ras("calculate", "--batch", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and b"file not found" in missing.stderr and b"Traceback" not in missing.stderr


def test_batch_writes_to_a_replaced_standard_output_too(tmp_path):
    from contextlib import redirect_stdout

    from ras.cli import main

    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({**BASE, "id": "in-process"}) + "\n")
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(["calculate", "--batch", str(path), "--as-of", AS_OF]) == 0
    [line] = [json.loads(x) for x in buffer.getvalue().splitlines()]
    assert line["id"] == "in-process" and line["method"] == "bands"  # the policy's default method


@pytest.mark.skipif("not_known" not in AssessmentRecord.model_fields, reason="this tree's model has no ras-assessment/2")
def test_a_version_2_record_with_answers_not_known_is_read_as_the_engine_reads_it(policy):
    v2 = {**BASE, "schema": "ras-assessment/2", "not_known": ["areas.work.need"], "areas": {"health": {"need": 2, "risk": 2}}}
    wrong = {**BASE, "not_known": ["areas.work.need"]}  # not_known needs version 2
    results, problems = run_batch([json.dumps(v2), json.dumps(wrong)], policy, "points")
    assert batch_figures(results[0]) == engine_figures(calculate(AssessmentRecord.model_validate(v2), policy, "points"))
    with pytest.raises(ValidationError) as engine_error:
        AssessmentRecord.model_validate(wrong)
    assert problems == [(2, validation_message(engine_error.value))]
