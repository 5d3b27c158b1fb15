"""The library's tree read in bulk: one query per table (cases, interventions, cycles, sessions,
recordings, clips, stills, tags), for the whole library or for one case.

A query per child made the library window's reload grow with the library (a query for every
session, clip...); these few queries cost about the same for 1 case or 300. Rows come back in the
order the per-parent repository queries give (`SessionRepository.of_cycle` etc.), so grouping
them by parent keeps each parent's children in that order.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Result, Select, func, select

from vigstudio.domain import model

from . import schema
from .repositories import Repos, _enum_fields

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_T = TypeVar("_T", bound="DataclassInstance")


@dataclass
class TreeRows:
    cases: list[model.Case] = field(default_factory=list)
    interventions: list[model.Intervention] = field(default_factory=list)
    cycles: list[model.Cycle] = field(default_factory=list)
    sessions: list[model.Session] = field(default_factory=list)
    recordings: list[model.Recording] = field(default_factory=list)
    clips: list[model.Clip] = field(default_factory=list)
    stills: list[model.Still] = field(default_factory=list)
    annotations: list[model.Annotation] = field(default_factory=list)
    session_of_recording: dict[int, int] = field(default_factory=dict)
    clip_counts: dict[int, int] = field(default_factory=dict)  # by session id
    still_counts: dict[int, int] = field(default_factory=dict)


def tree_rows(repos: Repos, case_id: int | None = None, *, annotations: bool = True,
              items: bool = True) -> TreeRows:
    """Every row of the tree (of case `case_id` only, when given); `annotations=False` leaves the
    tags out, `items=False` the clips and stills too, counting them per session instead (a view that
    shows only how many there are does not need them)."""
    s = repos.orm_session
    case, inter, cyc, ses, rec = (schema.CaseRow, schema.InterventionRow, schema.CycleRow, schema.SessionRow,
                                  schema.RecordingRow)

    def rows(cls: type[_T], stmt: Select[Any]) -> list[_T]:
        return _to_domain_fast(cls, s.execute(stmt))

    def of_case(stmt: Select[Any], *joins: tuple[Any, Any]) -> Select[Any]:
        """`stmt` joined up to the interventions and limited to the case, when one is asked for."""
        if case_id is None:
            return stmt
        for target, on in joins:
            stmt = stmt.join(target, on)
        return stmt.where(inter.case_id == case_id)

    up_to_intervention = [(inter, cyc.intervention_id == inter.id)]
    # Sessions belong to their intervention directly (a WWW session has no cycle).
    session_up = [(inter, ses.intervention_id == inter.id)]
    up_to_session = [(ses, rec.session_id == ses.id), *session_up]

    out = TreeRows()
    case_stmt = columns(case, model.Case).order_by(case.code)
    out.cases = rows(model.Case, case_stmt if case_id is None else case_stmt.where(case.id == case_id))
    if not out.cases:
        return out
    out.interventions = rows(model.Intervention, of_case(columns(inter, model.Intervention).order_by(inter.id)))
    out.cycles = rows(model.Cycle, of_case(columns(cyc, model.Cycle).order_by(cyc.number, cyc.id), *up_to_intervention))
    out.sessions = rows(model.Session, of_case(columns(ses, model.Session).order_by(ses.date, ses.id), *session_up))
    out.recordings = rows(model.Recording, of_case(columns(rec, model.Recording).order_by(rec.imported_at, rec.id), *up_to_session))
    out.session_of_recording = {r.saved_id: r.session_id for r in out.recordings}
    clip, still, tag = schema.ClipRow, schema.StillRow, schema.AnnotationRow
    if not items:
        for counts, table in ((out.clip_counts, clip), (out.still_counts, still)):
            counted = cast("Select[Any]", select(rec.session_id, func.count(table.id))
                           .join(rec, table.recording_id == rec.id).group_by(rec.session_id))
            counts.update({session_id: count for session_id, count in s.execute(of_case(counted, *up_to_session))})
        return out
    out.clips = rows(model.Clip, of_case(columns(clip, model.Clip).join(rec, clip.recording_id == rec.id)
                                         .order_by(clip.position, clip.id), *up_to_session))
    out.stills = rows(model.Still, of_case(columns(still, model.Still).join(rec, still.recording_id == rec.id)
                                           .order_by(still.position, still.frame, still.id), *up_to_session))
    if annotations:
        out.annotations = rows(model.Annotation, of_case(
            columns(tag, model.Annotation).join(clip, tag.clip_id == clip.id).join(rec, clip.recording_id == rec.id)
            .order_by(tag.frame.nulls_first(), tag.id), *up_to_session))
    return out


def tags_of_session(repos: Repos, session_id: int) -> dict[int, list[model.Annotation]]:
    """The tags of every clip of the session by clip id, in one query (ordered as `of_clip` orders them)."""
    tag, clip, rec = schema.AnnotationRow, schema.ClipRow, schema.RecordingRow
    stmt = (columns(tag, model.Annotation).join(clip, tag.clip_id == clip.id).join(rec, clip.recording_id == rec.id)
            .where(rec.session_id == session_id).order_by(tag.frame.nulls_first(), tag.id))
    found: dict[int, list[model.Annotation]] = {}
    for annotation in _to_domain_fast(model.Annotation, repos.orm_session.execute(stmt)):
        found.setdefault(annotation.clip_id, []).append(annotation)
    return found


def columns(table: Any, cls: type) -> Select[Any]:
    """SELECT of the table's columns in the order of the domain dataclass's fields."""
    return select(*(table.__table__.c[f.name] for f in dataclasses.fields(cls)))


def _to_domain_fast(cls: type[_T], result: Result[Any]) -> list[_T]:
    """Plain result rows (no ORM objects) straight into the dataclass, by position: the per-row cost of
    ORM loading and attribute lookups dominated a read of thousands of rows."""
    enums = _enum_fields(cast(type, cls))
    convert = [(i, enums[f.name]) for i, f in enumerate(dataclasses.fields(cls)) if f.name in enums]
    out: list[_T] = []
    for row in result:
        values = list(row)
        for i, kind in convert:
            if values[i] is not None:
                values[i] = kind(values[i])
        out.append(cls(*values))
    return out
