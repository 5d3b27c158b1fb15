"""Bounded, seeded fuzzing with hypothesis: the same few hundred cases on every run, quick.

`FUZZ` is the settings every fuzz test uses (derandomized, no example database written into the
worktree, no deadline: the first case pays for warming caches). `json_values` generates any JSON
value, with the awkward ones over-represented: huge and negative integers, floats, long strings,
control characters and escape sequences, nesting.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=200, derandomize=True, deadline=None, database=None, print_blob=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

awkward_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\n", "\x1b[31mred\x1b[0m", "\u202egnp.exe", "a\tb", "../../etc/passwd", "/abs",
                     "clips/", "x" * 10_000, "2026-13-45", "filming", "P1", "\x00", "0" * 64, "a" * 32]),
)
awkward_numbers = st.one_of(
    st.integers(min_value=-3, max_value=100),
    st.sampled_from([2**31, 2**63, 10**30, -(2**63), 0]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
json_scalars = st.one_of(st.none(), awkward_numbers, awkward_text)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(awkward_text, inner, max_size=4)), max_leaves=12)


def paths_in(value, prefix=()):
    """Every (path) into a JSON document, for replacing one value somewhere inside it."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths_in(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths_in(child, (*prefix, index))


def replaced(document, path, new):
    """A copy of `document` with the value at `path` replaced by `new` (or deleted, for `DELETE`)."""
    import copy

    if not path:
        return new
    doc = copy.deepcopy(document)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    if new is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return doc


DELETE = object()


def deeply_nested(depth: int = 100_000) -> str:
    return "[" * depth + "]" * depth
