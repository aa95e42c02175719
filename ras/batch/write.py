"""Writing `ras-batch-result/1` and `ras-batch-compare/1` lines from a chunk's figures, as bytes."""

from __future__ import annotations

import itertools
import json

import msgspec
import numpy as np

from ras.batch.read import _A, Cases
from ras.batch.schema import COMPARE_SCHEMA, RESULT_SCHEMA
from ras.batch.tables import Figures, Tables, eligibility_index, figures
from ras.models import AREA_IDS, METHODS
from ras.policy.model import PolicyAt

_FIGURES = (
    b'"weekly":"%s","annual":"%s","range":{"low":"%s","high":"%s"},"band":%s,'
    b'"reference_cost":"%s","shortfall":"%s","elements":{'
    + b",".join(b'"%s":"%%s"' % a.encode() for a in AREA_IDS)
    + b"}"
)


def _head(policy: PolicyAt, method: str | None) -> bytes:
    """The fields every line of the run shares, as a piece of the line's template."""
    fields = {
        "policy": policy.id,
        "policy_effective_from": policy.effective_from.isoformat(),
        "as_of": policy.as_of.isoformat(),
    }
    if method:
        fields["method"] = method
    return json.dumps(fields, separators=(",", ":"))[1:-1].encode().replace(b"%", b"%%")


def _ids(cases: Cases) -> list[bytes]:
    encode = msgspec.json.encode
    return list(map(encode, cases.ids))


def _synthetic(cases: Cases) -> np.ndarray | itertools.repeat:
    if not cases.synthetic.any():
        return itertools.repeat(b"")
    return np.where(cases.synthetic, b'"synthetic":true,', b"").astype(object)


def _figure_columns(fig: Figures, tables: Tables) -> list:
    band_json = np.array([b"null", *(json.dumps(b).encode() for b in tables.band_names)], dtype=object)
    # every money column of the chunk in one array, so each distinct amount is looked up once
    money = tables.texts(
        np.column_stack(
            (fig.weekly, fig.annual, fig.low, fig.high, fig.reference_cost, fig.shortfall, fig.elements)
        )
    )
    return [
        *(money[:, k] for k in range(4)),
        band_json[fig.band + 1],
        money[:, 4],
        money[:, 5],
        *(money[:, 6 + k] for k in range(_A)),
    ]


def result_lines(cases: Cases, tables: Tables, method: str) -> bytes:
    """`ras-batch-result/1` lines for the chunk (each ending in a newline)."""
    fig = figures(cases, tables, method)
    template = (
        b'{"schema":"' + RESULT_SCHEMA.encode() + b'","id":%s,"line":%d,%s'
        + _head(tables.policy, method)
        + b",%s,"
        + _FIGURES
        + b"}\n"
    )
    rows = zip(
        _ids(cases),
        cases.lines,
        _synthetic(cases),
        tables.eligibility_json[eligibility_index(cases)],
        *_figure_columns(fig, tables),
    )
    return b"".join(map(template.__mod__, rows))


def compare_lines(cases: Cases, tables: Tables) -> bytes:
    """`ras-batch-compare/1` lines for the chunk: every method side by side."""
    cache: dict = {}
    figs = {m: figures(cases, tables, m, cache) for m in METHODS}
    template = (
        b'{"schema":"' + COMPARE_SCHEMA.encode() + b'","id":%s,"line":%d,%s'
        + _head(tables.policy, None)
        + b',%s,"methods":{'
        + b",".join(b'"' + m.encode() + b'":{' + _FIGURES + b"}" for m in METHODS)
        + b"}}\n"
    )
    columns = [
        _ids(cases),
        cases.lines,
        _synthetic(cases),
        tables.eligibility_json[eligibility_index(cases)],
    ]
    for m in METHODS:
        columns += _figure_columns(figs[m], tables)
    return b"".join(map(template.__mod__, zip(*columns)))
