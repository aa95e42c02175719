"""Every reference in a data file must lead somewhere: a public address or a file that exists.

`ras policy check` checks this for the policy, the charging rules and the statement words
(`check_file_references`), and the tests check it for every shipped file. Loading does not:
a council's policy still loads when a local file it names has moved; the check says so.

An address is either an `https://` (or `http://`) address, or the path of a file that
exists: in full, relative to the data file's own folder, or relative to the folder that
holds the `ras` package (the repository root when working from a checkout). A path that leads nowhere (say `seeds/004`,
a file kept outside the repository) is an error naming the file, line and key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from ras.policy.yamlio import DataFileError, YamlDoc, loc_text

_WEB = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?$")
PACKAGE_ROOT = Path(__file__).resolve().parents[2]
"""The folder holding the `ras` package: the repository root in a checkout."""


def resolves(address: str, base: Path) -> bool:
    """True when `address` is a web address or names a file that exists."""
    if _WEB.match(address):
        return True
    if "://" in address or address.startswith("~"):
        return False
    if address.startswith("/"):  # a local file named in full, e.g. the history a calibration used
        return Path(address).is_file()
    for root in (base, PACKAGE_ROOT):
        try:
            if (root / address).is_file():
                return True
        except OSError:  # pragma: no cover - a name the file system cannot hold
            continue
    return False


def check_addresses(doc: YamlDoc, references: Mapping, prefix: tuple = ("references",)) -> None:
    """Raise DataFileError for the first reference whose address leads nowhere."""
    base = Path(doc.path).resolve().parent
    for name, ref in references.items():
        if not resolves(ref.address, base):
            loc = (*prefix, name, "address")
            raise DataFileError(
                doc.path,
                f"address {ref.address!r} leads nowhere: give a public address (https://...) "
                "or the path of a file in the repository",
                line=doc.line_of(loc),
                key=loc_text(loc),
            )


def check_file_references(path: str | Path) -> int:
    """Check the `references` of a data file (policy, charging rules, statement words).
    Returns how many there are; raises DataFileError naming the file, line and key of the
    first that leads nowhere."""
    from ras.policy.yamlio import read_yaml

    doc = read_yaml(path)
    refs = doc.data.get("references") if isinstance(doc.data, dict) else None
    if not isinstance(refs, dict):
        return 0

    class _Ref:
        def __init__(self, address: object):
            self.address = str(address)

    found = {name: _Ref(ref.get("address", "")) for name, ref in refs.items() if isinstance(ref, dict)}
    check_addresses(doc, found)
    return len(found)
