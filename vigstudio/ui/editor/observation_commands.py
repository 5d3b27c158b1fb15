"""Undo and redo for WWW observations: one QUndoCommand per app call (`vigstudio.app.www.Observations`),
pushed on the editor's one stack through `UndoableEditor.push`, so a refused undo is reported and the
history cleared the same way as for clips. Deletes are undone with the same id and links."""

from __future__ import annotations

from vigstudio.app.www import Observations, ObservationSnapshot
from vigstudio.domain.www import Observation
from vigstudio.ui.commands import EditCommand, UndoableEditor


def _where(obs: Observation) -> str:
    return f"{obs.code} at frame {obs.frame}"


class AddObservation(EditCommand):
    def __init__(self, observations: Observations, obs: Observation):
        super().__init__(observations.service, f"Add observation {_where(obs)}")
        self.observations = observations
        self.obs = obs
        self.snapshot: ObservationSnapshot | None = None

    def undo_edit(self) -> None:
        self.snapshot = self.observations.delete(self.obs.id)  # type: ignore[arg-type]

    def do(self) -> None:
        if self.snapshot is not None:
            self.observations.restore(self.snapshot)


class DeleteObservation(EditCommand):
    def __init__(self, observations: Observations, snapshot: ObservationSnapshot):
        super().__init__(observations.service, f"Delete observation {_where(snapshot.observation)}")
        self.observations = observations
        self.snapshot = snapshot

    def undo_edit(self) -> None:
        self.observations.restore(self.snapshot)

    def do(self) -> None:
        self.snapshot = self.observations.delete(self.snapshot.observation.id)  # type: ignore[arg-type]


class EditObservation(EditCommand):
    def __init__(self, observations: Observations, before: Observation, after: Observation):
        super().__init__(observations.service, f"Edit observation {_where(after)}")
        self.observations = observations
        self.before, self.after = before, after

    def undo_edit(self) -> None:
        self.observations.restore_fields(self.before)

    def do(self) -> None:
        self.observations.restore_fields(self.after)


class UndoableObservations:
    """The observation edits of `Observations`, each made at once and pushed as one undo step."""

    def __init__(self, observations: Observations, undoable: UndoableEditor):
        self.observations = observations
        self.undoable = undoable

    def add(self, recording_id: int, frame: int, code: str, **kwargs) -> Observation:
        obs = self.observations.add(recording_id, frame, code, **kwargs)
        self.undoable.push(AddObservation(self.observations, obs))
        return obs

    def delete(self, observation_id: int) -> ObservationSnapshot:
        snapshot = self.observations.delete(observation_id)
        self.undoable.push(DeleteObservation(self.observations, snapshot))
        return snapshot

    def update(self, observation_id: int, **changes) -> Observation:
        before, after = self.observations.update(observation_id, **changes)
        if before != after:
            self.undoable.push(EditObservation(self.observations, before, after))
        return after
