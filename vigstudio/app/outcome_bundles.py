"""Anonymous outcomes bundles: each practitioner's scores brought into the lead's library, so the
service's outcome report covers every practitioner without a shared database or a server.

Making (practitioner): every case of the library that has completions or rated goals gets a random
token, kept in the library (`outcome_tokens`), so the same case has the same token in every export;
`outcomes.json` (`app.outcome_doc`) holds only scores, time points, months, intervention kinds and goal
ratings. The bundle is age-encrypted to the lead (a contact) and signed like every bundle; it leaves
the library, so making it is audited.

Importing (lead): all or nothing. The whole file is decrypted and authenticated, the tar checked
against its signed manifest, the signer looked up among the contacts (`app.senders`: an unknown
sender is refused with the fingerprint unless accepted), the document checked; then, in ONE
transaction, the practitioner's earlier data (same signing key) is replaced by this bundle's. A bundle
made before the one held (its signed creation time) is refused as a replay; so is the same bundle twice.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vigstudio import __version__
from vigstudio.app import keys, outcomes, senders
from vigstudio.app.changes import Change, ChangeAction, ChangeKind
from vigstudio.app.outcome_doc import DOC_NAME, completion_entry, document, read_outcomes_doc
from vigstudio.app.progress import Progress, ProgressCallback, as_progress
from vigstudio.bundle import BundleRefused, Member, fingerprint, make_manifest, open_bundle_file, write_bundle
from vigstudio.bundle.signing import decode_key, encode_key
from vigstudio.domain.errors import NotFound
from vigstudio.domain.measures import Score
from vigstudio.domain.model import AuditEvent, BundleKind, CaseOrigin, InterventionKind, new_uid, utcnow
from vigstudio.domain.outcomes import Completion, Goal, time_point_order
from vigstudio.domain.service_outcomes import (
    ImportedCompletion,
    OutcomeSource,
    OutcomeToken,
    month_of,
    month_start,
)

if TYPE_CHECKING:
    from vigstudio.app.library import LibraryService
    from vigstudio.store.repositories import Repos


@dataclass(frozen=True)
class OutcomesExported:
    path: Path
    uid: str
    to: str  # the contact's display name
    cases: int
    completions: int
    goals: int


@dataclass(frozen=True)
class OutcomesImported:
    source_id: int
    sender: str
    uid: str
    exported_at: dt.datetime
    cases: int
    completions: int
    goals: int
    replaced: bool  # an earlier bundle of this practitioner's was replaced
    not_reported: tuple[str, ...] = ()  # measures this library's catalogue does not know


@dataclass(frozen=True)
class SourceInfo:
    """A practitioner whose outcomes this library holds (their latest bundle)."""

    id: int
    name: str
    fingerprint: str
    exported_at: dt.datetime
    imported_at: dt.datetime
    cases: int
    completions: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "fingerprint": self.fingerprint,
                "exported_at": self.exported_at.isoformat(), "imported_at": self.imported_at.isoformat(),
                "cases": self.cases, "completions": self.completions}


def case_kind(kinds: Iterable[InterventionKind]) -> str | None:
    """vig, www or both: a case's interventions as the report groups them (None: neither)."""
    found = set(kinds) & {InterventionKind.VIG, InterventionKind.WWW}
    if found == {InterventionKind.VIG, InterventionKind.WWW}:
        return "both"
    return next(iter(found)).value if found else None


# -- making -----------------------------------------------------------------------------------------


def export_outcomes_bundle(service: LibraryService, to: str | int, out_path: Path | str, *,
                           progress: Progress | ProgressCallback | None = None) -> OutcomesExported:
    """Write this library's anonymous outcomes, encrypted to the contact `to` (name or id)."""
    progress = as_progress(progress, "outcomes export")
    contact = keys.find_contact(service, to)
    progress(0.0, "gathering the scores")
    cases = _ensure_tokens(service)
    doc, completions, goals = _document(service, cases)
    progress(0.5, "encrypting the bundle")
    member = Member.from_bytes(DOC_NAME, json.dumps(doc, indent=1, sort_keys=True).encode("utf-8"))
    uid = new_uid()
    manifest = make_manifest(BundleKind.OUTCOMES.value, uid, __version__, None, [member], keys.sender(service),
                             [contact.public_key])
    path = write_bundle(out_path, manifest, [member], keys.signing_key(service), [contact.public_key])
    with service.edit() as repos:
        repos.audit.append(AuditEvent(
            "outcomes_export", f"bundle {uid} to contact {contact.id} cases {len(doc['cases'])} completions "
                               f"{completions} goals {goals} (anonymous scores, leaves the library)"))
    progress(1.0, "bundle written")
    return OutcomesExported(path, uid, contact.display_name, len(doc["cases"]), completions, goals)


def _ensure_tokens(service: LibraryService) -> dict[int, str]:
    """Every reportable case with outcomes gets its random token once (kept); case id → token."""
    with service.edit() as repos:
        wanted = _reportable_cases(repos, _goals_by_case(repos))
        tokens = repos.outcome_tokens.by_case()
        for case_id in sorted(wanted - set(tokens)):
            token = secrets.token_hex(16)
            repos.outcome_tokens.add(OutcomeToken(case_id, token))
            tokens[case_id] = token
    return {case_id: tokens[case_id] for case_id in wanted}


def _reportable_cases(repos: Repos, goals: dict[int, list[Goal]]) -> set[int]:
    """This library's own families (not demo, not supervision copies) with completions or goals."""
    own = {c.saved_id for c in repos.cases.list() if not c.is_demo and c.origin == CaseOrigin.LOCAL}
    with_data = {c.case_id for c in repos.completions.all()} | set(goals)
    return own & with_data


def _goals_by_case(repos: Repos) -> dict[int, list[Goal]]:
    """Every goal by its case, in a few reads (not a read per case: a service has hundreds)."""
    case_of_intervention = {i.saved_id: i.case_id for i in repos.interventions.list()}
    case_of_cycle = {c.saved_id: case_of_intervention[c.intervention_id] for c in repos.cycles.list()}
    found: dict[int, list[Goal]] = {}
    for goal in sorted(repos.goals.list(), key=lambda g: (g.cycle_id, g.position, g.saved_id)):
        found.setdefault(case_of_cycle[goal.cycle_id], []).append(goal)
    return found


def _document(service: LibraryService, tokens: dict[int, str]) -> tuple[dict[str, Any], int, int]:
    cat = outcomes.catalogue(service)
    with service.read() as repos:
        found = [c for c in repos.completions.all() if c.case_id in tokens]
        goals = _goals_by_case(repos)
        kinds_of: dict[int, set[InterventionKind]] = {}
        for i in repos.interventions.list():
            kinds_of.setdefault(i.case_id, set()).add(i.kind)
    kinds = {case_id: case_kind(kinds_of.get(case_id, set())) for case_id in tokens}
    by_case: dict[int, list[Completion]] = {}
    for c in found:
        by_case.setdefault(c.case_id, []).append(c)
    cases, n_completions, n_goals = [], 0, 0
    for case_id, token in sorted(tokens.items(), key=lambda item: item[1]):  # token order: random
        entries = []
        for c in sorted(by_case.get(case_id, []), key=lambda c: (time_point_order(c.when), c.date, c.id or 0)):
            measure = cat.measure(c.measure)
            s = outcomes.score_of(measure, c)
            entries.append(completion_entry(measure.id, measure.version, c.when, month_of(c.date), s.total,
                                            s.subscales, s.band, s.caseness))
        rated = [{"start": g.start_score, "end": g.end_score} for g in goals.get(case_id, [])]
        cases.append({"token": token, "kind": kinds[case_id], "completions": entries, "goals": rated})
        n_completions += len(entries)
        n_goals += len(rated)
    return document(cat.name, cat.version, cases), n_completions, n_goals


# -- importing --------------------------------------------------------------------------------------


def import_outcomes_bundle(service: LibraryService, path: Path | str, *,
                           accept_sender: senders.AcceptSender | None = None,
                           progress: Progress | ProgressCallback | None = None) -> OutcomesImported:
    """Import a practitioner's anonymous outcomes, all or nothing, replacing their earlier bundle's."""
    progress = as_progress(progress, "outcomes import")
    progress(0.0, "decrypting and checking the bundle")
    identity = keys.identity(service)
    opened = open_bundle_file(path, [identity])
    if opened.kind != BundleKind.OUTCOMES.value:
        raise BundleRefused(f"this is a {opened.kind} bundle, not an outcomes bundle: open it with Sharing → "
                            "Open bundle… (vigstudio bundle open); nothing was imported")
    if str(identity.to_public()) not in opened.to:
        raise BundleRefused("this bundle was made for someone else and passed on (it is not addressed to this "
                            "library's key); nothing was imported")
    trust = senders.identify(service, opened, accept_sender)
    doc = read_outcomes_doc(opened)
    exported_at = _created_at(opened.manifest.get("created_at"))
    signing = encode_key(trust.sender.signing_key)
    progress(0.6, "saving")
    with service.edit() as repos:
        earlier = repos.outcome_sources.by_signing_key(signing)
        _refuse_replay(earlier, opened.uid, exported_at)
        contact = trust.commit(repos)
        source = earlier or OutcomeSource(signing, contact.display_name, opened.uid, exported_at)
        source.name, source.bundle_uid, source.exported_at = contact.display_name, opened.uid, exported_at
        source.contact_id, source.imported_at = contact.id, utcnow()
        source.cases, source.completions = len(doc.cases), doc.completions
        if earlier is None:
            repos.outcome_sources.add(source)
        else:
            repos.outcome_sources.update(source)
        repos.outcome_sources.replace_data(source.saved_id, [c for case in doc.cases for c in case.completions],
                                           [g for case in doc.cases for g in case.goals])
        replaced = f" replacing bundle {earlier.bundle_uid}" if earlier else ""
        repos.audit.append(AuditEvent(
            "outcomes_import", f"bundle {opened.uid} source {source.id} from contact {contact.id} cases "
                               f"{len(doc.cases)} completions {doc.completions}{replaced}"))
    trust.announce(service)
    service.emit(Change(ChangeKind.MEASURE, ChangeAction.UPDATED if earlier else ChangeAction.ADDED,
                        (source.saved_id,)))
    progress(1.0, "imported")
    known = set(outcomes.catalogue(service).ids())
    unknown = sorted({c.measure for case in doc.cases for c in case.completions} - known)
    return OutcomesImported(source.saved_id, contact.display_name, opened.uid, exported_at, len(doc.cases),
                            doc.completions, doc.goals, earlier is not None, tuple(unknown))


def _created_at(value: object) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise BundleRefused("the bundle's manifest does not say when it was made; nothing was imported")
    return when.astimezone(dt.UTC)


def _refuse_replay(earlier: OutcomeSource | None, uid: str, exported_at: dt.datetime) -> None:
    if earlier is None:
        return
    if earlier.bundle_uid == uid:
        raise BundleRefused(f"this outcomes bundle ({uid}) is already imported; nothing changed")
    if exported_at <= earlier.exported_at:
        raise BundleRefused(f"this outcomes bundle was made on {_shown(exported_at)}, before the one already held "
                            f"from {earlier.name} (made {_shown(earlier.exported_at)}): an older bundle cannot "
                            "replace a newer one; nothing was imported")


def _shown(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


# -- the sources the lead holds ---------------------------------------------------------------------


def sources(service: LibraryService) -> list[SourceInfo]:
    """Every practitioner whose outcomes this library holds, with when their bundle was made."""
    with service.read() as repos:
        return sources_in(repos)


def sources_in(repos: Repos) -> list[SourceInfo]:
    """`sources`, read in the caller's transaction (a report reads everything in one snapshot)."""
    found = repos.outcome_sources.list()
    names = {c.id: c.display_name for c in repos.contacts.list()}
    return [SourceInfo(s.saved_id, names.get(s.contact_id, s.name) if s.contact_id is not None else s.name,
                       fingerprint(decode_key(s.signing_key)), s.exported_at, s.imported_at, s.cases, s.completions)
            for s in sorted(found, key=lambda s: (s.exported_at, s.saved_id))]


def forget_source(service: LibraryService, source_id: int) -> None:
    """Remove a practitioner's imported outcomes (audited); their next bundle can be imported afresh."""
    with service.edit() as repos:
        found = repos.outcome_sources.find(source_id)
        if found is None:
            raise NotFound("outcomes source", source_id)
        repos.outcome_sources.delete(source_id)
        repos.audit.append(AuditEvent("outcomes_forget", f"source {source_id} bundle {found.bundle_uid}"))
    service.emit(Change(ChangeKind.MEASURE, ChangeAction.DELETED, (source_id,)))


@dataclass(frozen=True)
class ImportedCase:
    """An imported case's completions, in the practitioner's order, as the report pairs them."""

    key: tuple[int, str]  # (source id, token)
    kind: str | None
    completions: list[tuple[Completion, Score]]


def imported_cases(service: LibraryService, month_from: str | None = None,
                   month_to: str | None = None) -> tuple[list[ImportedCase], list[tuple[str | None, int, int]]]:
    """Imported completions as (completion, score) pairs per case, within the months given (`YYYY-MM`);
    and the imported goals rated at both ends as (kind, start, end)."""
    with service.read() as repos:
        return imported_cases_in(repos, month_from, month_to)


def imported_cases_in(repos: Repos, month_from: str | None = None, month_to: str | None = None
                      ) -> tuple[list[ImportedCase], list[tuple[str | None, int, int]]]:
    """`imported_cases`, read in the caller's transaction."""
    rows = repos.outcome_sources.completions()
    goal_rows = repos.outcome_sources.goals()
    cases: dict[tuple[int, str], ImportedCase] = {}
    for row in rows:
        if (month_from and row.month < month_from) or (month_to and row.month > month_to):
            continue
        key = (row.source_id, row.token)
        case = cases.setdefault(key, ImportedCase(key, row.kind, []))
        case.completions.append((_as_completion(row), Score(row.total, dict(row.subscales), row.band, row.caseness)))
    goals: list[tuple[str | None, int, int]] = []
    for g in goal_rows:
        if g.start_score is not None and g.end_score is not None:
            goals.append((g.kind, g.start_score, g.end_score))
    return list(cases.values()), goals


def _as_completion(row: ImportedCompletion) -> Completion:
    """The imported row as a `Completion` for pairing: its month's first day stands for its date."""
    return Completion(case_id=0, measure=row.measure, measure_version=row.measure_version, catalogue_version=0,
                      when=row.when, date=month_start(row.month), id=row.id)
