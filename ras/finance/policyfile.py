"""Write a calibrated policy: a copy of the source policy file with the fitted figures
added as new dated values, each naming a new reference to the history they came from.

The earlier values stay, so the file still says what was in force before, and
`--as-of` can show either. The copy gets its own id and title (the source's, with the
method and date), so that reports tell the two apart. Money is written as plain numbers (4.60, not '4.60').
Comments in the source are not kept (PyYAML); a header says where the file came from.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ras.finance.figures import PARAMETER
from ras.policy.yamlio import read_yaml


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    if "." in text:
        return dumper.represent_scalar("tag:yaml.org,2002:float", text)
    return dumper.represent_scalar("tag:yaml.org,2002:int", text)


def _list(dumper: yaml.SafeDumper, value: list) -> yaml.SequenceNode:
    # a short list of numbers or words on one line, as in the shipped policy; others as blocks
    flat = all(isinstance(v, (int, str, Decimal)) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


def _dict(dumper: yaml.SafeDumper, value: dict) -> yaml.MappingNode:
    flat = len(value) <= 6 and all(isinstance(v, (int, str, Decimal)) and len(str(v)) < 40 for v in value.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flat)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(list, _list)
_Dumper.add_representer(dict, _dict)


def calibrated_policy_text(
    source: str | Path,
    method: str,
    value: Any,
    effective_from: dt.date,
    reference_title: str,
    reference_address: str,
    header: str,
) -> str:
    """The YAML text of the new policy file. Raises ValueError when the date is not after the current values."""
    doc = read_yaml(source)
    data = doc.data
    section, name = PARAMETER[method]
    param = data["parameters"][section][name]
    values = param["values"]
    latest = max(values)
    if effective_from <= latest:
        raise ValueError(
            f"--effective-from {effective_from} must be after the latest date of "
            f"parameters.{section}.{name} in {source} ({latest})"
        )
    references = data["references"]
    key = f"calibration-{method}-{effective_from.isoformat()}"
    n = 2
    base = key
    while key in references:
        key = f"{base}-{n}"
        n += 1
    references[key] = {"title": reference_title, "address": reference_address}
    values[effective_from] = {"value": value, "reference": key}
    # its own id and name, so a report says "'example-points-2027-04-01' against 'example'"
    about = data["policy"]
    about["id"] = f"{about['id']}-{method}-{effective_from.isoformat()}"
    about["title"] = f"{about['title']}, with {method} figures calibrated from {effective_from.isoformat()}"
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comment + body
