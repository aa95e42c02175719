"""The engine's data: the assessment record going in, the allocation coming out.

Input models forbid unknown fields so a typo is an error that names the field, never a
silently ignored answer. Every model is frozen: a record is a fact about one moment.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

AREA_IDS: tuple[str, ...] = ("health", "choice", "work", "community")
"""The four outcome areas (Coventry), in the order every method reports them."""

OUTCOME_IDS: tuple[str, ...] = (
    "nutrition",
    "hygiene",
    "toilet",
    "clothing",
    "home_safety",
    "home_environment",
    "relationships",
    "work_education",
    "community_services",
    "child_care",
)
"""The ten Care Act outcomes, SI 2015/313 reg. 2(2)(a) to (j)."""

CARER_OUTCOME_IDS: tuple[str, ...] = (
    "child_care",
    "caring_for_others",
    "home_habitable",
    "nutrition",
    "relationships",
    "work_education",
    "community_services",
    "recreation",
)
"""The eight carer outcomes, SI 2015/313 reg. 3(2)(b)(i) to (viii)."""

AreaId = Literal["health", "choice", "work", "community"]
OutcomeId = Literal[
    "nutrition",
    "hygiene",
    "toilet",
    "clothing",
    "home_safety",
    "home_environment",
    "relationships",
    "work_education",
    "community_services",
    "child_care",
]
CarerOutcomeId = Literal[
    "child_care",
    "caring_for_others",
    "home_habitable",
    "nutrition",
    "relationships",
    "work_education",
    "community_services",
    "recreation",
]
ClientGroup = Literal["older_people", "physical_disability", "learning_disability", "mental_health"]
CLIENT_GROUPS: tuple[str, ...] = ("older_people", "physical_disability", "learning_disability", "mental_health")
UnpaidSupport = Literal["none", "some", "most"]
SUPPORT_LEVELS: tuple[str, ...] = ("none", "some", "most")
Level = Annotated[int, Field(ge=0, le=4, strict=True)]
MethodName = Literal["points", "bands", "grid", "costed"]
METHODS: tuple[str, ...] = ("points", "bands", "grid", "costed")

# reg. 2(3): the four ways an adult is "unable to achieve" an outcome; carers have three (reg. 3(3)).
UnableWay = Literal["without_help", "pain_or_distress", "unsafe", "takes_longer"]
UNABLE_WAYS: tuple[str, ...] = ("without_help", "pain_or_distress", "unsafe", "takes_longer")
"""The four ways of reg. 2(3) that make an everyday thing one the person is unable to achieve."""
CarerUnableWay = Literal["without_help", "pain_or_distress", "unsafe"]


def _no_repeated_outcomes(value: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(value)) != len(value):
        raise ValueError("an outcome is listed more than once")
    return value


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AreaAnswer(_Input):
    """What was heard about one area: need (0-4), risk if unmet (0-4), unpaid support."""

    need: Level = 0
    risk: Level = 0
    unpaid_support: UnpaidSupport = "none"


class Areas(_Input):
    """The four areas; an area left out counts as need 0, risk 0, no unpaid support."""

    health: AreaAnswer = AreaAnswer()
    choice: AreaAnswer = AreaAnswer()
    work: AreaAnswer = AreaAnswer()
    community: AreaAnswer = AreaAnswer()

    def get(self, area: str) -> AreaAnswer:
        return getattr(self, area)


ASSESSMENT_SCHEMAS = ("ras-assessment/1", "ras-assessment/2")


class AssessmentRecord(_Input):
    """`ras-assessment/1`: the contract between the conversation and the engine.

    `ras-assessment/2` is /1 with `not_known`: the answers not known yet (skipped, not
    sure, or never understood), as record fields (`areas.work.need`). Their values in the
    record are the least they can be (a need of 0), so an amount worked out from it is the
    least it could be, and says so. A record with nothing unknown is written as /1."""

    schema_: Literal["ras-assessment/1", "ras-assessment/2"] = Field(alias="schema")
    client_group: ClientGroup
    impairment: StrictBool
    wellbeing_impact: StrictBool
    unable_outcomes: tuple[OutcomeId, ...] = ()
    fluctuating: StrictBool = False
    areas: Areas = Areas()
    # Optional context: the engine accepts a record without these and never prices them.
    id: str | None = None
    unable_reasons: dict[OutcomeId, tuple[UnableWay, ...]] | None = None
    what_matters: str | None = None
    area_notes: dict[AreaId, str] | None = None
    notes: str | None = None
    flags: tuple[str, ...] | None = None
    not_known: tuple[str, ...] | None = None
    """ras-assessment/2 only: record fields whose answer is not known yet."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    _no_repeats = field_validator("unable_outcomes")(_no_repeated_outcomes)

    @model_validator(mode="after")
    def _not_known_needs_version_2(self) -> AssessmentRecord:
        if self.not_known and self.schema_ != "ras-assessment/2":
            raise ValueError("`not_known` is part of ras-assessment/2: set schema to ras-assessment/2")
        return self

    def dump(self) -> dict:
        """The record as JSON-ready data, with `schema` spelled as in the spec."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


CARER_SCHEMAS = ("ras-carer/1", "ras-carer/2")

CARER_FIELDS: tuple[str, ...] = (
    "health_at_risk",
    "unable_outcomes",
    "wellbeing_impact",
    "cared_for_relationship",
    "hours_caring_per_week",
    "coping",
    "willing_to_continue",
)
"""The carer record's answer fields, in the record's order (the names `not_known` uses)."""

CARER_REG3_FIELDS: tuple[str, ...] = ("health_at_risk", "unable_outcomes", "wellbeing_impact")
"""The answer fields reg. 3 reads (needs from caring is not asked: the carer's own talk is that)."""


class CarerRecord(_Input):
    """`ras-carer/1`: a carer's own assessment (SI 2015/313 reg. 3).

    `ras-carer/2` is /1 with `not_known`: the carer's answers not known yet (skipped, not
    sure, or never understood), by field name (`health_at_risk`). A reg. 3 answer not known
    holds its least value in the record (no, or none), and the context ones are left out,
    so reg. 3 read on it alone is the least it could be: `carer_eligibility` reads
    `not_known` too. A record with nothing unknown is written as /1."""

    schema_: Literal["ras-carer/1", "ras-carer/2"] = Field(alias="schema")
    needs_from_caring: StrictBool
    """reg. 3(1)(a): the needs arise from providing necessary care for an adult."""
    health_at_risk: StrictBool = False
    """reg. 3(1)(b)(i): the carer's physical or mental health is, or is at risk of, getting worse."""
    unable_outcomes: tuple[CarerOutcomeId, ...] = ()
    """reg. 3(1)(b)(ii) and 3(2)(b): the outcomes the carer is unable to achieve."""
    unable_reasons: dict[CarerOutcomeId, tuple[CarerUnableWay, ...]] | None = None
    wellbeing_impact: StrictBool
    """reg. 3(1)(c): as a consequence there is, or is likely to be, a significant impact on wellbeing."""
    cared_for_relationship: str | None = None
    hours_caring_per_week: Annotated[float, Field(ge=0, le=168)] | None = None
    coping: Literal["coping", "struggling", "at_breaking_point"] | None = None
    willing_to_continue: StrictBool | None = None
    notes: str | None = None
    not_known: tuple[str, ...] | None = None
    """ras-carer/2 only: the answer fields (CARER_FIELDS) not known yet."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    _no_repeats = field_validator("unable_outcomes")(_no_repeated_outcomes)

    @model_validator(mode="after")
    def _not_known_needs_version_2(self) -> CarerRecord:
        if not self.not_known:
            return self
        if self.schema_ != "ras-carer/2":
            raise ValueError("`not_known` is part of ras-carer/2: set schema to ras-carer/2")
        for name in self.not_known:
            if name not in CARER_FIELDS:
                raise ValueError(f"`not_known`: {name!r} is not a carer answer field ({', '.join(CARER_FIELDS)})")
            value = getattr(self, name)
            least = name in CARER_REG3_FIELDS and value in (False, ())
            if not (least or value is None):
                raise ValueError(f"`not_known` names {name!r}, but the record gives it a value: leave it at no, none or out")
        return self

    def dump(self) -> dict:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


# ----- results -------------------------------------------------------------------------

Money = Decimal


class _Output(BaseModel):
    model_config = ConfigDict(frozen=True)


class Eligibility(_Output):
    """Whether the Care Act criteria are met, and why, in plain words."""

    eligible: bool
    conditions: dict[str, bool]
    """Each condition of the regulation by name, true when met."""
    reason: str
    """One or two plain sentences a person can follow."""
    rule: str
    """Where the rule comes from (regulation and paragraph)."""


class CarerEligibility(Eligibility):
    """reg. 3's result for a carer: met, not met, or not known yet.

    Not known yet when the known answers do not meet it but the answers not known could:
    `eligible` is false, `not_known` names those answers (record fields) and the condition
    they could meet is None in `conditions`. A condition that answers not known could not
    change is true or false as before; a result with `not_known` empty is decided."""

    conditions: dict[str, bool | None]  # type: ignore[assignment]  # a condition may be None: not known yet
    not_known: tuple[str, ...] = ()

    @property
    def decided(self) -> bool:
        return not self.not_known

    @property
    def result(self) -> Literal["eligible", "not_eligible", "not_known"]:
        return "eligible" if self.eligible else "not_known" if self.not_known else "not_eligible"


class Element(_Output):
    area: str
    name: str
    """The area's person-facing name from the policy."""
    amount: Money
    why: str


class Step(_Output):
    """One step of the explanation, in order, from answers to total."""

    rule: str
    """A stable id of the rule applied, e.g. `points.area_points`."""
    text: str
    amount: Money | None = None


class MoneyRange(_Output):
    low: Money
    high: Money


class Allocation(_Output):
    """`ras-allocation/1`: what the engine gives back for one record."""

    schema_: Literal["ras-allocation/1"] = Field("ras-allocation/1", alias="schema")
    policy: str
    policy_effective_from: str
    as_of: str
    method: MethodName
    eligible: bool
    eligibility: Eligibility
    weekly: Money
    annual: Money
    range: MoneyRange
    band: str | None
    reference_cost: Money
    shortfall: Money
    elements: tuple[Element, ...]
    explanation: tuple[Step, ...]
    needs: dict[str, AreaAnswer]
    """The needs as assessed, never changed by unpaid support (only money is)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, ser_json_inf_nan="constants")

    def dump(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)
