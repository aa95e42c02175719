"""Draft a practice case's script from its reference record (a developer's tool).

    python scripts/make_case_scripts.py                 # print every draft
    python scripts/make_case_scripts.py ID [ID...]      # only these
    python scripts/make_case_scripts.py --write ID      # write dialogues/cases/ID.yaml
                                                        # (keeps a saved script; --redraft drafts it again)

It drives a real session, answering each question with the first natural phrase (from
TALK and PHRASES below) that the session matches to the wanted answer, else the number.
The expected figures are never the engine's: a case file keeps its hand-worked `expected`
block (the arithmetic in `working`), and a new case gets a TODO skeleton to work out by
hand from the policy's tables. A draft is only a start: read it, edit it by hand to sound like the person, and let the test
(tests/test_training_cases.py) replay the saved script. Never run by the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import yaml

from ras.models import METHODS, AssessmentRecord, CarerRecord
from ras_chat.dialogue.match import first_phrase, is_command, match_many, match_one
from ras_chat.training.cases import cases_folder
from ras_chat.training.replay import start_session

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-06-01"

NEED = {0: ["no, I manage that fine", "no help"], 1: ["a little help now and then", "now and then"],
        2: ["some help most days"], 3: ["a lot, every day", "every day"], 4: ["all the time, day and night", "all the time"]}
RISK = {0: ["nothing much would change"], 1: ["it would be harder but I would manage"],
        2: ["things would slowly get worse", "I would go downhill"], 3: ["I could fall and get hurt", "I could get ill"],
        4: ["I would be in danger straight away"]}
SUPPORT = {"none": ["no one helps with that", "nobody"], "some": ["family help a bit", "some"],
           "most": ["they do most of it", "most of it"]}
OUTCOME = {"nutrition": "eating", "hygiene": "washing", "toilet": "the toilet", "clothing": "getting dressed",
           "home_safety": "moving about and the stairs", "relationships": "seeing friends",
           "community_services": "getting to the shops", "child_care": "the kids"}
WAYS = ["I can't do it on my own, I need help", "I need reminding", "it's not safe", "it worries me", "it takes ages"]
GROUP = {"older_people": "I am getting older", "physical_disability": "my body, it is a physical disability",
         "learning_disability": "I have a learning disability", "mental_health": "my mental health"}

# Per case: the person's own words. areas: what matters / what is going well, by area.
TALK: dict[str, dict] = {
    "learning-at-college": {
        "teaches": "The worked example (seed 000): bands gives \u00a3195.00 a week, standard band. Compare the four methods and the shortfall against the reference cost.",
        "matters": "I want to go to college and learn to cook and shop so I can live on my own one day",
        "areas": {"work": "I'm kind and I like meeting new people", "health": "I want to be healthy. I can make toast and tea",
                  "choice": "having my own flat one day. I keep my room tidy with my aunt", "community": "seeing my friends. I go to a youth club on Fridays"},
        "has_carer": "yes, my aunt", "answers": {"carer_coping": "she's fine, she is coping well", "carer_offer": "later"},
        "unsafe": ["community_services"],
    },
    "daughter-does-most": {
        "teaches": "Unpaid help changes the money in most methods but not the needs recorded, and bands ignores it. The daughter should be offered her own talk.",
        "matters": "staying in my own home, and seeing my friends from church again",
        "areas": {"choice": "my home is my own and I want to stay here. My daughter Karen is very good to me",
                  "health": "I want to keep clean and eat proper meals. Karen helps me wash and cooks for me",
                  "work": "I'm retired, there's nothing I need there", "community": "I miss church. My friend Joan rings me on Sundays"},
        "has_carer": "yes, my daughter", "answers": {"carer_coping": "she's tired, it's hard for her with her own family", "carer_offer": "later"},
        "unsafe": ["home_safety"],
    },
    "comes-and-goes": {
        "teaches": "Needs that come and go: the weekly amount is the same, the range is wider. Ask about the bad weeks, not only today.",
        "matters": "keeping my job and not letting things slide when I'm unwell",
        "areas": {"work": "I like my job at the warehouse, my boss is understanding",
                  "health": "eating properly when I'm low. I'm good at cooking when I'm well",
                  "choice": "keeping on top of the bills. I have a routine that helps",
                  "community": "not losing my friends. My brother checks on me when he can"},
        "has_carer": "no, not really", "answers": {},
    },
    "not-likely-support": {
        "teaches": "Not eligible: say so kindly, explain why in plain words, and talk about other help. Every method gives 0.00.",
        "matters": "keeping the house clean, it's getting too much for my hands",
        "areas": {"choice": "I like things tidy. I can still do the washing up slowly",
                  "health": "I'm alright, I wash and dress and cook for myself", "work": "I'm retired",
                  "community": "I see my pals at the club twice a week"},
        "has_carer": "no", "answers": {},
    },
    "crisis-outside-tables": {
        "teaches": "A crisis: the tables give a starting point, but the shortfall against the cost of support shows funding outside the tables is needed (Hartlepool: about 20% of cases).",
        "matters": "getting home from hospital and managing to wash and get to the toilet",
        "areas": {"health": "I'm determined, and the physio says I'm doing well",
                  "choice": "being in charge of my own day again, not waiting for people",
                  "work": "I want to go back to my job in IT one day, my boss says they'll adapt things",
                  "community": "seeing my mates and getting to the pub. My wife takes me out at the weekend"},
        "has_carer": "yes, my wife", "answers": {"carer_coping": "she's struggling, it's hard for her with work", "carer_offer": "later"},
        "unsafe": ["home_safety", "toilet"],
    },
    "keeps-working": {
        "teaches": "Work matters: a high risk in work, learning and money changes points, bands and grid, not costed.",
        "matters": "keeping my job, I love my work",
        "areas": {"work": "I'm good at my job and my manager is flexible",
                  "health": "getting ready in the morning without it taking two hours. My partner helps before work",
                  "choice": "sharing the housework fairly at home", "community": "seeing friends at the weekend"},
        "has_carer": "yes, my partner", "answers": {"carer_coping": "he's coping well", "carer_offer": "no thanks"},
    },
    "lonely-after-loss": {
        "teaches": "Ask what matters: for Tom, friends and fishing come first, so start there. Needs with no unpaid help count in full.",
        "matters": "getting out and seeing my friends again, and going fishing",
        "areas": {"community": "I used to love fishing with my mates at the lake",
                  "health": "eating properly again. I used to be a good cook",
                  "choice": "the flat is a mess, I want to sort it", "work": "I don't want to work right now"},
        "has_carer": "no, nobody", "answers": {},
    },
    "lives-alone-no-family": {
        "teaches": "Lives alone, no family near: no unpaid help, high risk. The neighbour is moving away, so her help cannot carry on.",
        "matters": "staying in my own home",
        "areas": {"choice": "I like my little house and my garden",
                  "health": "remembering to eat and to take my tablets", "work": "I'm far too old for that",
                  "community": "my neighbour pops in but she is moving away"},
        "has_carer": "no", "answers": {},
        "unsafe": ["home_safety"],
    },
    "unsure-answers": {
        "teaches": "\"I don't know\" is recorded as not known, never as an answer, and flagged for the worker: each one counts as nothing until someone asks again.",
        "matters": "I don't know",
        "start": "health",
        "areas": {"health": "I can make a cup of tea", "choice": "keeping the house like my wife did",
                  "work": "nothing", "community": "nothing"},
        "dont_know": ["what_matters_most", "area_going_well:health", "area_matters:choice", "area_need:work",
                      "area_need:community", "fluctuating"],
        "dont_know_words": {"what_matters_most": "I don't know", "area_going_well:health": "not sure",
                            "area_matters:choice": "dunno", "area_need:work": "I don't know",
                            "area_need:community": "no idea", "fluctuating": "I'm not sure"},
        "has_carer": "no", "answers": {},
    },
    "safety-disclosure": {
        "teaches": "A safety disclosure stops the questions at once: the calm message, 999 and Samaritans, an urgent flag. Safety comes before money.",
        "matters": "being able to wash and dress myself and getting out of the house",
        "areas": {"health": "I can walk a bit with my stick",
                  "choice": "having a say at home", "work": "nothing", "community": "getting out to the shops"},
        "disclose_at": "area_support:health",
        "disclosure": "my partner helps me but he shouts at me and sometimes he hurts me",
        "has_carer": "yes", "answers": {},
    },
    "carer-at-breaking-point": {
        "teaches": "A carer's own talk: the carer can be eligible in their own right (SI 2015/313 reg. 3), even when the person cared for is not.",
        "who": "on_behalf", "who_words": "I'm his wife, I'm answering for him",
        "matters": "he needs help to wash and dress and he gets up all night",
        "areas": {"health": "he still loves his music and the grandchildren visit",
                  "choice": "he likes to be in his own chair in his own home",
                  "work": "he's retired", "community": "his brother still comes round on Thursdays"},
        "has_carer": "yes, me, his wife",
        "answers": {"carer_coping": "I can't carry on like this", "carer_offer": "yes now", "carer_ready": "yes, I'm ready",
                    "carer_relationship": "I look after my husband Len. He has dementia",
                    "carer_hours": "all the time, day and night", "carer_health": "yes, I'm exhausted and my back is bad",
                    "carer_hard": "seeing family and friends and having time for yourself",
                    "carer_effect": "yes, a big effect", "carer_continue": "yes but I need to do less"},
        "unsafe": ["home_safety"],
    },
}

EXTRA = [
    {
        "id": "carer-at-breaking-point",
        "name": "Hazel Brook",
        "summary": "A wife at breaking point who cares for her husband with dementia, and has her own carer's talk.",
        "story": "Hazel is 67. Her husband Len is 74 and has dementia. She helps him wash, dress and eat, and he gets up "
        "in the night. She has not had a full night's sleep for months and her back hurts. She loves Len but says "
        "she cannot carry on like this. First she answers for Len, then she has a talk of her own.",
        "record": {"schema": "ras-assessment/1", "client_group": "older_people", "impairment": True, "wellbeing_impact": True,
                   "unable_outcomes": ["nutrition", "hygiene", "toilet", "clothing", "home_safety", "home_environment"],
                   "fluctuating": False,
                   "areas": {"health": {"need": 4, "risk": 3, "unpaid_support": "most"},
                             "choice": {"need": 3, "risk": 3, "unpaid_support": "most"},
                             "work": {"need": 0, "risk": 0, "unpaid_support": "none"},
                             "community": {"need": 2, "risk": 2, "unpaid_support": "some"}}},
        "carer_record": {"schema": "ras-carer/1", "needs_from_caring": True, "health_at_risk": True,
                         "unable_outcomes": ["relationships", "recreation"], "wellbeing_impact": True,
                         "cared_for_relationship": "I look after my husband Len. He has dementia",
                         "hours_caring_per_week": 70.0, "coping": "at_breaking_point", "willing_to_continue": True},
    }
]


def pick(session, wanted, phrases):
    """The first phrase the session would match to `wanted` (a value or list of values)."""
    spec = session.spec
    d = session.dialogue.spec
    options = session.options()
    for p in phrases:
        if first_phrase(p, d.safety.phrases) or any(is_command(p, c) for c in (d.commands.back, d.commands.help,
                                                                                 d.commands.repeat, d.commands.skip,
                                                                                 d.commands.dont_know)):
            continue
        if spec.kind == "multi":
            got = match_many(p, options)
            if got is not None and sorted(o.value for o in got) == sorted(wanted):
                return p
        else:
            got = match_one(p, options, yes=d.yes_words, no=d.no_words)
            if got is not None and got.value == wanted:
                return p
    by_value = {o.value: o.number for o in options}
    if spec.kind == "multi":
        return " and ".join(str(by_value[v]) for v in wanted)
    return str(by_value[wanted])


def draft(case_id: str, record: AssessmentRecord, carer: CarerRecord | None, talk: dict) -> list[str]:
    s = start_session(SimpleNamespace(id=case_id, policy="example", as_of=dt.date.fromisoformat(AS_OF)))
    s.opening()
    script: list[str] = []
    dont_know = set(talk.get("dont_know", ()))
    for _ in range(200):
        if s.finished:
            break
        name = s.state.state
        key = s._key(name)  # noqa: SLF001 - a developer's tool
        area = s.state.cursor.get("area")
        if talk.get("disclose_at") == key:
            script.append(talk["disclosure"])
            s.send(script[-1])
            continue
        if key in dont_know or name in dont_know:
            answer = talk.get("dont_know_words", {}).get(key, "I don't know")
        elif name == "who":
            answer = pick(s, talk.get("who", "self"), [talk.get("who_words", "just me")])
        elif name == "ask_name":
            answer = talk.get("name_words", "skip")
        elif name == "ask_retired":
            work = talk["areas"].get("work", "")
            answer = work if "retired" in work or "too old" in work else "no, I am not retired"
        elif s.state.pending is not None and s.state.pending.how == "earlier":
            answer = "yes"  # "You said ... It sounds like ... Is that right?": check it in the draft
        elif name == "what_matters_most":
            answer = talk["matters"]
        elif name == "confirm_areas":
            first = talk.get("start", None)
            answer = "yes" if first is None else pick(s, first, [])
        elif name in ("area_matters", "area_going_well"):
            answer = talk["areas"][area]
        elif name == "area_need":
            answer = pick(s, str(record.areas.get(area).need), NEED[record.areas.get(area).need])
        elif name == "area_support":
            answer = pick(s, record.areas.get(area).unpaid_support, SUPPORT[record.areas.get(area).unpaid_support])
        elif name == "area_risk":
            answer = pick(s, str(record.areas.get(area).risk), RISK[record.areas.get(area).risk])
        elif name == "area_outcomes":
            want = [o for o in record.unable_outcomes if s.policy_at.outcomes[o].area == area] or ["none"]
            words = " and ".join(OUTCOME.get(o, o) for o in want) if want != ["none"] else "none of those"
            answer = pick(s, want, [words])
        elif name == "outcome_ways":
            o = s.state.cursor.get("outcome")
            if o in record.unable_outcomes:
                answer = pick(s, ["without_help"], WAYS[:2]) if o not in talk.get("unsafe", ()) else pick(s, ["unsafe"], ["it's not safe"])
            else:
                answer = pick(s, ["none"], ["no, I can manage that", "none"])
        elif name == "client_group":
            answer = pick(s, record.client_group, [GROUP[record.client_group]])
        elif name == "fluctuating":
            answer = pick(s, "yes" if record.fluctuating else "no",
                          ["yes, I have good days and bad days"] if record.fluctuating else ["no, about the same"])
        elif name == "has_carer":
            answer = talk.get("has_carer", "no, nobody")
        elif name in talk.get("answers", {}):
            answer = talk["answers"][name]
        elif name == "check_answers":
            answer = "yes, that's right"
        else:
            raise SystemExit(f"{case_id}: no answer planned for {name}")
        script.append(answer)
        s.send(answer)
    return script


EXPECTED_NOTE = (
    "# expected: worked out by hand from the example policy's tables (ras policy show example),\n"
    "# not by the engine. Every line of `working` with an = is checked by tests/test_training_cases.py,\n"
    "# and the engine must give the same figures.\n"
)
MONEY_KEYS = ("reference_cost", "weekly", "annual", "shortfall")


def expected(item: dict) -> dict:
    """The case's hand-worked figures as written in its file, or a skeleton to fill in.

    Never the engine's figures: a test that checks the engine against its own output
    cannot fail. Work each figure out from the policy's tables and write the arithmetic
    in `working` (see any case file); the test checks every line and then the engine."""
    if item.get("expected"):
        return _money_as_text(item["expected"])
    todo = ["TODO: work this out by hand from the policy's tables, one line per area, then weekly, annual, shortfall"]
    return {
        "working": ["TODO: impairment? how many everyday things not managed (two or more needed)? effect on wellbeing?"],
        "eligible": "TODO",
        "reference_cost": "TODO",
        "methods": {m: {"working": todo, "weekly": "TODO", "annual": "TODO", "band": None, "shortfall": "TODO"} for m in METHODS},
        **({"carer": {"eligible": "TODO"}} if item.get("carer_record") else {}),
    }


def _money_as_text(data):
    """Money read back by yaml.safe_load as floats (195.0), written again as 195.00."""
    if isinstance(data, dict):
        return {k: f"{v:.2f}" if k in MONEY_KEYS and isinstance(v, (int, float)) and not isinstance(v, bool)
                else _money_as_text(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_money_as_text(v) for v in data]
    return data


def sources() -> list[dict]:
    """The people: case files already written, else the first notes in _stories.yaml."""
    found = {}
    stories = cases_folder() / "_stories.yaml"
    if stories.exists():
        for item in yaml.safe_load(stories.read_text(encoding="utf-8")):
            found[item["id"]] = item
    for path in sorted(cases_folder().glob("*.yaml")):
        if not path.name.startswith("_"):
            found[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in EXTRA:
        found.setdefault(item["id"], item)
    return list(found.values())


def write_case(item: dict, script: list[str], exp: dict) -> str:
    talk = TALK.get(item["id"], {})
    data = {
        "id": item["id"], "name": item["name"], "summary": item["summary"],
        "story": " ".join(item["story"].split()),
        "teaches": item.get("teaches") or talk.get("teaches", "TODO"),
        "policy": "example", "as_of": AS_OF,
        "ends": "safety" if talk.get("disclose_at") else "handoff",
        "script": script, "record": item["record"],
    }
    if item.get("carer_record"):
        data["carer_record"] = item["carer_record"]
    data["expected"] = exp
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    text = text.replace("\nexpected:\n", "\n" + EXPECTED_NOTE + "expected:\n", 1)
    return re.sub(r"'(\d+\.\d\d)'", r"\1", text)  # money as written figures (read back as Decimal)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("ids", nargs="*")
    p.add_argument("--write", action="store_true", help="write dialogues/cases/ID.yaml (overwrites)")
    p.add_argument("--redraft", action="store_true", help="draft the script again from TALK (loses hand edits)")
    args = p.parse_args(argv)
    for item in sources():
        if args.ids and item["id"] not in args.ids:
            continue
        record = AssessmentRecord.model_validate(item["record"])
        carer = CarerRecord.model_validate(item["carer_record"]) if item.get("carer_record") else None
        talk = TALK.get(item["id"])
        keep = item.get("script") and not args.redraft
        script = list(item["script"]) if keep or not talk else draft(item["id"], record, carer, talk)
        text = write_case(item, script, expected(item))
        if args.write:
            (cases_folder() / f"{item['id']}.yaml").write_text(text, encoding="utf-8")
            print(f"wrote {item['id']}")
        else:
            print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
