"""Policies as data: loading and looking up dated parameters (the engine's only I/O)."""

from ras.policy.loader import Policy, builtin_policies, load_policy, resolve_policy
from ras.policy.model import PolicyAt
from ras.policy.yamlio import DataFileError

__all__ = ["DataFileError", "Policy", "PolicyAt", "builtin_policies", "load_policy", "resolve_policy"]
