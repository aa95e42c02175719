"""The debrief after a practice conversation: your record against the reference.

Pure: two records and a policy in, a `Debrief` out. Area by area (need, risk, unpaid
support, everyday things ticked), then client group and whether needs come and go; for
each difference, what that one answer alone does to each method's amount; your amount
against the reference under every method; the rules of the engine that fired; and tips
drawn from the councils' experience (the seeds).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from ras.engine import compare
from ras.models import AREA_IDS, METHODS, OUTCOME_IDS, Allocation, AssessmentRecord
from ras.policy import PolicyAt
from ras_chat.training.whatif import MethodMove, get_answer, moves, what_if

WHY = {
    "need": "How much help is needed drives every method: need points in points, the score in bands, "
    "whether the part of life counts in grid, and the hours in costed.",
    "risk": "What would happen without help adds points, moves the bands score and sets the grid amount; "
    "costed counts hours by need, not risk.",
    "unpaid_support": "Help from family that can carry on takes a share off in points, scales the grid amount and "
    "takes hours off in costed; bands ignores it (carers have their own system). The needs stay recorded either way.",
    "outcomes": "The everyday things a person cannot achieve decide eligibility (at least two, with a big effect on "
    "well-being: SI 2015/313 reg. 2); once someone is eligible they do not change the amount.",
    "client_group": "Points use a price per point for each client group, so the group changes the money there.",
    "fluctuating": "Needs that come and go widen the range the worker plans within; the weekly amount is the same.",
    "impairment": "Needs must come from a physical or mental impairment or illness (reg. 2(1)(a)) to be eligible.",
    "wellbeing_impact": "A big effect on well-being (reg. 2(1)(c)) is one of the three eligibility conditions.",
}

FIELD_LABELS = {"need": "help needed (0-4)", "risk": "without help (0-4)", "unpaid_support": "unpaid support"}


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Difference(_Out):
    path: str
    label: str
    yours: Any
    reference: Any
    why: str
    alone: tuple[MethodMove, ...]
    """Each method's amount for the reference record, before and after taking only your answer."""

    def money_line(self) -> str:
        moved = [f"{m.method} {m.change:+.2f}" for m in self.alone if m.change]
        bands = [f"band {m.band_before or '-'} -> {m.band_after or '-'}" for m in self.alone if m.band_before != m.band_after]
        if not moved and not bands:
            return "On its own this does not change any amount."
        return "On its own, a week: " + ", ".join(moved + bands) + "."


class AreaCheck(_Out):
    area: str
    name: str
    worker_name: str
    yours: dict[str, Any]
    reference: dict[str, Any]
    differences: tuple[Difference, ...]

    @property
    def same(self) -> bool:
        return not self.differences


class MoneyCheck(_Out):
    method: str
    yours: Decimal
    reference: Decimal
    band_yours: str | None
    band_reference: str | None
    shortfall_yours: Decimal
    shortfall_reference: Decimal
    elements: tuple[tuple[str, Decimal, Decimal], ...]
    """(part of life, yours, reference) for the elements that differ."""

    @property
    def difference(self) -> Decimal:
        return self.yours - self.reference


class RulesFired(_Out):
    method: str
    yours: tuple[str, ...]
    reference: tuple[str, ...]

    @property
    def only_yours(self) -> tuple[str, ...]:
        return tuple(r for r in self.yours if r not in self.reference)

    @property
    def only_reference(self) -> tuple[str, ...]:
        return tuple(r for r in self.reference if r not in self.yours)


class Debrief(_Out):
    areas: tuple[AreaCheck, ...]
    about: tuple[Difference, ...]
    """Differences outside the four parts of life: client group, needs that come and go, eligibility answers."""
    eligible_yours: bool
    eligible_reference: bool
    money: tuple[MoneyCheck, ...]
    rules: tuple[RulesFired, ...]
    tips: tuple[str, ...]

    @property
    def differences(self) -> tuple[Difference, ...]:
        return tuple(d for a in self.areas for d in a.differences) + self.about

    @property
    def matches(self) -> bool:
        return not self.differences


def _area_values(record: AssessmentRecord, area: str, policy: PolicyAt) -> dict[str, Any]:
    a = record.areas.get(area)
    ticked = [o for o in OUTCOME_IDS if policy.outcomes[o].area == area and o in record.unable_outcomes]
    return {"need": a.need, "risk": a.risk, "unpaid_support": a.unpaid_support, "outcomes": ticked}


def _difference(path: str, label: str, why_key: str, yours: Any, reference: AssessmentRecord, policy: PolicyAt) -> Difference:
    alone = what_if(reference, (path, yours), policy).methods
    return Difference(
        path=path, label=label, yours=yours, reference=get_answer(reference, path), why=WHY[why_key], alone=alone
    )


def _rules(alloc: Allocation) -> tuple[str, ...]:
    seen: list[str] = []
    for step in alloc.explanation:
        if step.rule not in seen:
            seen.append(step.rule)
    return tuple(seen)


def debrief(trainee_record: AssessmentRecord, reference_record: AssessmentRecord, policy: PolicyAt) -> Debrief:
    """Your record against the reference: what differs, why it matters, and in money."""
    yours, ref = trainee_record, reference_record
    areas = []
    for area in AREA_IDS:
        names = policy.areas[area]
        mine, theirs = _area_values(yours, area, policy), _area_values(ref, area, policy)
        diffs = []
        for field in ("need", "risk", "unpaid_support"):
            if mine[field] != theirs[field]:
                diffs.append(
                    _difference(f"areas.{area}.{field}", f"{names.person_name}: {FIELD_LABELS[field]}", field, mine[field], ref, policy)
                )
        for o in OUTCOME_IDS:
            if policy.outcomes[o].area != area:
                continue
            if (o in mine["outcomes"]) != (o in theirs["outcomes"]):
                label = f"{names.person_name}: cannot achieve {policy.outcomes[o].person_name} ({policy.outcomes[o].regulation})"
                diffs.append(_difference(f"outcomes.{o}", label, "outcomes", o in mine["outcomes"], ref, policy))
        areas.append(
            AreaCheck(area=area, name=names.person_name, worker_name=names.worker_name, yours=mine, reference=theirs, differences=tuple(diffs))
        )
    about = []
    for field, label in (
        ("client_group", "Where the need comes from (client group)"),
        ("fluctuating", "Needs come and go"),
        ("impairment", "Needs come from an impairment or illness"),
        ("wellbeing_impact", "A big effect on well-being"),
    ):
        if getattr(yours, field) != getattr(ref, field):
            about.append(_difference(field, label, field, getattr(yours, field), ref, policy))

    mine_all, ref_all = compare(yours, policy), compare(ref, policy)
    money = tuple(
        MoneyCheck(
            method=m.method, yours=m.after, reference=m.before, band_yours=m.band_after, band_reference=m.band_before,
            shortfall_yours=m.shortfall_after, shortfall_reference=m.shortfall_before,
            elements=tuple((e.name, e.after, e.before) for e in m.elements),
        )
        for m in moves(ref_all, mine_all)
    )
    rules = tuple(RulesFired(method=m, yours=_rules(mine_all[m]), reference=_rules(ref_all[m])) for m in METHODS)
    first_mine, first_ref = mine_all[METHODS[0]], ref_all[METHODS[0]]
    result = Debrief(
        areas=tuple(areas), about=tuple(about), eligible_yours=first_mine.eligible, eligible_reference=first_ref.eligible,
        money=money, rules=rules, tips=(),
    )
    default = policy.method_or_default(None)
    return result.model_copy(update={"tips": tips_for(result, yours, ref_all[default])})


# ----- tips from the seeds -----------------------------------------------------------------

TIP_SAME_ANSWERS = (
    "The same answers must give the same starting point. Hartlepool: \u201cIf Jeannette and I answer the "
    "questionnaire in the same way, we will come out with the same starting point.\u201d Where your amount "
    "differs from the reference, it is because an answer differs: find which one."
)
TIP_MATCHED = (
    "Your record matches the reference, so your amount does too: the same answers give the same starting "
    "point (Hartlepool)."
)
TIP_WHAT_MATTERS = (
    "Ask what matters first. Coventry builds support on the outcomes a person wants, not a list of what they "
    "cannot do; an everyday thing missed or added changes eligibility."
)
TIP_JARGON = (
    "Avoid jargon. Coventry's social worker found the system \u201cdoesn't mean a lot to families\u201d and "
    "kept to plain words; Hartlepool's questionnaire uses simple language, not jargon."
)
TIP_STARTING_POINT = (
    "The budget is a starting point for support planning, not the end point (Hartlepool, Coventry). "
    "Say so to the person, and plan from what they want to achieve."
)
TIP_SHORTFALL = (
    "The amount is below the reference cost of support: check it is sufficient (Care Act guidance 11.10). "
    "Hartlepool allocates outside the tables in about 20% of cases, for people in crisis."
)
TIP_NOT_KNOWN = (
    "Answers the person was not sure about count as nothing until someone asks again. Go back to each one "
    "with them before the amount is agreed."
)
TIP_NOT_ELIGIBLE = (
    "When the council is not likely to pay, say so kindly and early, and talk about other help: groups, "
    "equipment, advice. Needs can change; they can ask again."
)
TIP_SUPPORT = (
    "Unpaid help changes the money in most methods but never the needs recorded. Ask whether family can keep "
    "on helping, and offer a carer their own talk."
)


def tips_for(d: Debrief, yours: AssessmentRecord, reference_alloc: Allocation) -> tuple[str, ...]:
    tips = [TIP_SAME_ANSWERS if not d.matches else TIP_MATCHED]
    paths = [x.path for x in d.differences]
    if any(p.startswith("outcomes.") for p in paths):
        tips.append(TIP_WHAT_MATTERS)
    if any(p.endswith(".unpaid_support") for p in paths):
        tips.append(TIP_SUPPORT)
    if yours.flags and any(": dont_know:" in f or ": skipped:" in f or ": gave_up:" in f for f in yours.flags):
        tips.append(TIP_NOT_KNOWN)
    if not d.eligible_reference:
        tips.append(TIP_NOT_ELIGIBLE)
    if reference_alloc.eligible and reference_alloc.shortfall > 0:
        tips.append(TIP_SHORTFALL)
    tips += [TIP_WHAT_MATTERS] if TIP_WHAT_MATTERS not in tips else []
    tips += [TIP_JARGON, TIP_STARTING_POINT]
    return tuple(tips)


def debrief_lines(d: Debrief) -> list[str]:
    """The debrief as plain text (plain mode, the command line)."""
    out = ["Debrief: your record against the reference", ""]
    for a in d.areas:
        y, r = a.yours, a.reference
        mark = "same" if a.same else "DIFFERENT"
        out.append(f"{a.name} ({a.worker_name}): {mark}")
        out.append(
            f"  yours:     need {y['need']}, risk {y['risk']}, unpaid support {y['unpaid_support']}, "
            f"cannot achieve: {', '.join(y['outcomes']) or 'none'}"
        )
        out.append(
            f"  reference: need {r['need']}, risk {r['risk']}, unpaid support {r['unpaid_support']}, "
            f"cannot achieve: {', '.join(r['outcomes']) or 'none'}"
        )
        for x in a.differences:
            out += _difference_lines(x)
    for x in d.about:
        out.append(f"{x.label}: DIFFERENT")
        out += _difference_lines(x)
    if not d.about:
        out.append("Client group, needs that come and go, eligibility answers: same")
    out += ["", f"Eligible: yours {'yes' if d.eligible_yours else 'no'}, reference {'yes' if d.eligible_reference else 'no'}"]
    out += ["", f"{'method':<8} {'yours':>9} {'reference':>10} {'difference':>11}  band (yours / reference)  shortfall (yours / reference)"]
    for m in d.money:
        band = f"{m.band_yours or '-'} / {m.band_reference or '-'}"
        out.append(f"{m.method:<8} {m.yours:>9} {m.reference:>10} {m.difference:>+11}  {band:<24}  {m.shortfall_yours} / {m.shortfall_reference}")
        for name, mine, theirs in m.elements:
            out.append(f"           {name}: {mine} / {theirs}")
    out += ["", "Rules that fired (the engine's explanation steps):"]
    for fired in d.rules:
        line = f"  {fired.method}: {', '.join(fired.yours)}"
        if fired.only_yours or fired.only_reference:
            line += f"  [only yours: {', '.join(fired.only_yours) or '-'}; only the reference: {', '.join(fired.only_reference) or '-'}]"
        out.append(line)
    out += ["", "Tips:"] + [f"  - {t}" for t in d.tips]
    return out


def _difference_lines(x: Difference) -> list[str]:
    return [
        f"  * {x.label}: you {_shown(x.yours)}, reference {_shown(x.reference)}",
        f"    Why it matters: {x.why}",
        f"    {x.money_line()}",
    ]


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


__all__ = ["AreaCheck", "Debrief", "Difference", "MoneyCheck", "RulesFired", "debrief", "debrief_lines", "tips_for"]
