"""Policy files load strictly, and every value carries a date, a unit and a reference."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from ras.engine import calculate
from ras.models import AssessmentRecord
from ras.policy import DataFileError, builtin_policies, load_policy

EXAMPLE = Path(builtin_policies()["example"])
RECORD = AssessmentRecord.model_validate(
    {
        "schema": "ras-assessment/1",
        "client_group": "learning_disability",
        "impairment": True,
        "wellbeing_impact": True,
        "unable_outcomes": ["work_education", "community_services"],
        "areas": {"health": {"need": 2, "risk": 2, "unpaid_support": "some"}},
    }
)


def council_copy(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "council.yaml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(builtin_policies()))
def test_every_shipped_policy_loads_and_every_value_has_a_reference_and_unit(name):
    policy = load_policy(name)
    for when in policy.dates():
        try:
            at = policy.at(when)
        except DataFileError:
            continue  # a date before some parameter starts
        for source in at.sources:
            assert source.unit and source.label
            assert source.references and all(r.title and r.address for r in source.references)


def test_no_policy_figure_appears_in_engine_code():
    """Figures from the example policy must live in data, never as numbers in ras/*.py."""
    from decimal import Decimal

    figures = {Decimal(f) for f in ("4.60", "5.20", "5.60", "4.40", "32.14", "0.15", "0.30", "0.75", "1.25", "0.90", "1.10", "700", "350", "115", "295", "675", "3.5")}
    root = Path(__file__).parents[1] / "ras"
    engine = [root / "engine.py", root / "eligibility.py", root / "models.py", root / "money.py", root / "cli.py"]
    engine += [*(root / "methods").glob("*.py"), *(root / "policy").glob("*.py")]
    for path in engine:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = None
            if isinstance(node, ast.Constant) and type(node.value) in (int, float):
                value = Decimal(str(node.value))
            elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Decimal" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    value = Decimal(arg.value)
            assert value not in figures, f"policy figure {value} in {path}:{node.lineno}"


def test_a_misplaced_key_is_an_error_naming_file_line_and_key(tmp_path):
    path = council_copy(tmp_path, "    need_points:\n", "    need_pionts:\n")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    message = str(info.value)
    assert str(path) in message
    assert "parameters.points.need_pionts" in message
    assert re.search(r"line \d+", message)


def test_a_missing_reference_is_an_error_naming_the_key(tmp_path):
    path = council_copy(tmp_path, "{value: [0, 2, 5, 9, 14], reference: hartlepool}", "{value: [0, 2, 5, 9, 14], reference: nowhere}")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "nowhere" in str(info.value)
    assert "parameters.points.need_points.values.2026-04-01.reference" in str(info.value)


def test_a_value_without_a_reference_is_an_error(tmp_path):
    path = council_copy(tmp_path, "{value: [0, 2, 5, 9, 14], reference: hartlepool}", "{value: [0, 2, 5, 9, 14]}")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "reference" in str(info.value)


def test_duplicate_keys_are_an_error(tmp_path):
    path = council_copy(tmp_path, "  work:\n    worker_name:", "  health:\n    worker_name: x\n    person_name: y\n  work:\n    worker_name:")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "duplicate key 'health'" in str(info.value)


def test_a_wrong_table_shape_names_the_dated_value(tmp_path):
    path = council_copy(tmp_path, "[0, 2, 5, 9, 14]", "[0, 2, 5, 9]")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "parameters.points.need_points.values.2026-04-01.value" in str(info.value)


def test_dates_out_of_order_are_an_error(tmp_path):
    path = council_copy(
        tmp_path,
        "        2026-04-01: {value: [0, 25, 60, 120, 200], reference: doncaster}",
        "        2027-04-01: {value: [0, 25, 60, 120, 200], reference: doncaster}\n        2026-04-01: {value: [0, 20, 50, 100, 180], reference: doncaster}",
    )
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "in order" in str(info.value)


def test_bands_must_cover_every_score(tmp_path):
    path = council_copy(tmp_path, "{band: enhanced, from: 19, to: 32,", "{band: enhanced, from: 19, to: 30,")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "0 to 32" in str(info.value)


def test_a_council_file_changes_names_tables_and_default_method_without_code(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("id: example", "id: riverside")
    text = text.replace("person_name: Looking after yourself and staying well", "person_name: Keeping well and looking after yourself")
    text = text.replace("2026-04-01: {value: bands, reference: spec}", "2026-04-01: {value: grid, reference: spec}")
    text = text.replace("{value: [0, 25, 60, 120, 200], reference: doncaster}", "{value: [0, 30, 70, 140, 220], reference: doncaster}")
    path = tmp_path / "riverside.yaml"
    path.write_text(text, encoding="utf-8")
    at = load_policy(path).at(dt.date(2026, 6, 1))
    got = calculate(RECORD, at)
    assert got.method == "grid"
    assert got.policy == "riverside"
    assert got.elements[0].name == "Keeping well and looking after yourself"
    assert str(got.elements[0].amount) == "35.00"  # 70 x 0.5


def test_values_change_on_their_effective_date(tmp_path):
    path = council_copy(
        tmp_path,
        "        2026-04-01: {value: [0, 25, 60, 120, 200], reference: doncaster}",
        "        2026-04-01: {value: [0, 25, 60, 120, 200], reference: doncaster}\n        2027-04-01: {value: [0, 30, 70, 140, 220], reference: doncaster}",
    )
    policy = load_policy(path)
    before = calculate(RECORD, policy.at(dt.date(2027, 3, 31)), "grid")
    after = calculate(RECORD, policy.at(dt.date(2027, 4, 1)), "grid")
    assert (str(before.elements[0].amount), str(after.elements[0].amount)) == ("30.00", "35.00")
    assert after.policy_effective_from == "2027-04-01"


def test_a_date_before_any_value_is_an_error_not_a_guess():
    with pytest.raises(DataFileError) as info:
        load_policy("example").at(dt.date(2020, 1, 1))
    assert "no value in force on 2020-01-01" in str(info.value)


def test_a_broken_yaml_file_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("policy:\n  id: x\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert "line" in str(info.value)


# ----- the law's fixed points, bounds and references (issues 16 and 19) -------------------------


def _refused(path: Path) -> DataFileError:
    with pytest.raises(DataFileError) as info:
        load_policy(path)
    assert str(path) in str(info.value) and re.search(r"line \d+", str(info.value))
    return info.value


def test_the_eligibility_threshold_is_law_not_a_council_setting(tmp_path):
    path = council_copy(tmp_path, "2015-04-01: {value: 2, reference: eligibility-regs}", "2015-04-01: {value: 3, reference: eligibility-regs}")
    err = _refused(path)
    assert err.key.startswith("parameters.general.min_unable_outcomes")
    assert "must be 2, not 3" in err.detail and "SI 2015/313" in err.detail and "not a council setting" in err.detail


@pytest.mark.parametrize("key", ["unable_ways", "carer_unable_ways", "carer_min_unable_outcomes"])
def test_a_council_file_cannot_set_the_ways_of_being_unable(tmp_path, key):
    """reg. 2(3) (four ways) and reg. 3 (carers) are law: a key that tries to set them is refused, naming the law."""
    path = council_copy(tmp_path, "    min_unable_outcomes:\n",
                        f"    {key}:\n      label: x\n      unit: y\n      values: {{2026-04-01: {{value: 3, reference: spec}}}}\n"
                        "    min_unable_outcomes:\n")
    err = _refused(path)
    assert err.key == f"parameters.general.{key}" and "set by law" in err.detail and "SI 2015/313" in err.detail


@pytest.mark.parametrize(
    "old, new, key",
    [
        ("older_people: 4.60", "older_people: -4.60", "price_per_point.older_people"),
        ("older_people: 4.60", "older_people: 0", "price_per_point.older_people"),
        ("older_people: 4.60", "older_people: 1e999999", "price_per_point.older_people"),
        ("{band: basic, from: 1, to: 8, base: 20, step: 10}", "{band: basic, from: 1, to: 8, base: 1e30, step: 10}", "bands"),
        ("{band: basic, from: 1, to: 8, base: 20, step: 10}", "{band: basic, from: 1, to: 8, base: -20, step: 10}", "bands"),
        ("homecare: 32.14", "homecare: 1e9", "service_rates.homecare"),
        ("health: [0, 3.5, 7, 14, 28]", "health: [0, 3.5, 7, 14, 999]", "hours_by_need.health"),
        ("value: [0, 25, 60, 120, 200]", "value: [0, 25, 60, 120, 1e30]", "amount_by_risk"),
        ("{none: 1, some: 0.5, most: 0}", "{none: 1, some: 5, most: 0}", "support_factor.some"),
    ],
)
def test_money_figures_must_be_positive_and_sane(tmp_path, old, new, key):
    err = _refused(council_copy(tmp_path, old, new))
    param, _, leaf = key.partition(".")
    assert f".{param}.values." in err.key and err.key.rsplit(".value", 1)[1].startswith(f".{leaf}" if leaf else ""), err.key


def test_a_negative_price_per_point_never_gives_a_negative_budget(tmp_path):
    """The issue's case: price_per_point -4.60 passed the check and gave "Weekly: -£125.12"."""
    err = _refused(council_copy(tmp_path, "older_people: 4.60", "older_people: -4.60"))
    assert "greater than 0" in err.detail


@pytest.mark.parametrize("address", ["seeds/004", "docs/example-policy.md", "specs/domain-brief.md", "ftp://example.org/x"])
def test_a_reference_that_leads_nowhere_is_found_by_the_check(tmp_path, address):
    from ras.policy.references import check_file_references

    path = council_copy(tmp_path, 'address: "https://www.legislation.gov.uk/uksi/2015/313"', f'address: "{address}"')
    load_policy(path)  # it still loads (a moved local file must not stop a council's budgets) ...
    with pytest.raises(DataFileError) as info:  # ... but the check names it
        check_file_references(path)
    err = info.value
    assert err.key == "references.eligibility-regs.address" and "leads nowhere" in err.detail
    assert str(path) in str(err) and err.line


def test_a_reference_to_a_file_beside_the_policy_or_in_the_repository_is_fine(tmp_path):
    from ras.policy.references import check_file_references

    (tmp_path / "our-figures.md").write_text("How we set our figures.\n", encoding="utf-8")
    check_file_references(council_copy(tmp_path, 'address: "https://www.legislation.gov.uk/uksi/2015/313"', 'address: "our-figures.md"'))
    check_file_references(council_copy(tmp_path, 'address: "https://www.legislation.gov.uk/uksi/2015/313"', 'address: "docs/engine.md"'))


def test_every_shipped_reference_leads_somewhere():
    from ras.charging import load_charging_rules, load_statement_texts
    from ras.policy.references import resolves

    base = EXAMPLE.parent
    refs = [*load_policy("example").file.references.values(), *load_charging_rules().file.references.values(),
            *load_statement_texts().references.values()]
    assert refs and all(resolves(r.address, base) for r in refs)
    assert not [r.address for r in refs if r.address.startswith(("seeds/", "specs/"))]


def test_policy_check_fails_on_a_reference_that_leads_nowhere(tmp_path, capsys):
    from ras.cli import main

    path = council_copy(tmp_path, 'address: "https://www.legislation.gov.uk/uksi/2015/313"', 'address: "seeds/004"')
    assert main(["policy", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "leads nowhere" in err and str(path) in err and len(err.strip().splitlines()) == 1


def test_policy_check_warns_when_the_charging_figures_have_aged(capsys):
    from ras.cli import main

    assert main(["policy", "check", "--as-of", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert "years 2024-25, 2025-26, 2026-27" in out and "WARNING" not in out
    assert main(["policy", "check", "--as-of", "2027-04-06"]) == 0
    out = capsys.readouterr().out
    assert "WARNING" in out and "latest charging figures are for 2026-27" in out


def test_a_figure_marked_estimate_needs_its_basis(tmp_path):
    from ras.charging import load_charging_rules

    text = Path(load_charging_rules().path).read_text(encoding="utf-8")
    path = tmp_path / "rules.yaml"
    path.write_text(text.replace("{value: 6, reference: charging-regs}", "{value: 6, reference: charging-regs, status: estimate}", 1), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_charging_rules(path)
    assert "reablement_free_weeks" in str(info.value) and "needs a `basis`" in str(info.value)


@pytest.mark.parametrize("old, new", [("{value: 23250.00, reference: [charging-regs, circular-2024, circular-2025]}",
                                       "{value: 1e30, reference: [charging-regs, circular-2024, circular-2025]}"),
                                      ("2024-04-01: {value: 10.85,", "2024-04-01: {value: -10.85,"),
                                      ("2026-04-06: {value: 120.40,", "2026-04-06: {value: 0,")])
def test_charging_figures_are_positive_and_sane(tmp_path, old, new):
    from ras.charging import load_charging_rules

    text = Path(load_charging_rules().path).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "rules.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_charging_rules(path)
    assert str(path) in str(info.value) and info.value.line
