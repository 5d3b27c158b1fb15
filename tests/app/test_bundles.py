"""Bundle rules at the app level that the round trip does not reach."""

from __future__ import annotations

import pytest

from vigstudio.app import bundles, consent
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.domain.errors import InvalidInput


def test_empty_session_and_missing_review_are_refused(service, video, tmp_path):
    add_case(service, "F-1")
    consent.add(service, "F-1", ["supervision"], "HV")
    recording = import_recording(service, "F-1", video)
    with pytest.raises(InvalidInput, match="no clips or stills"):
        bundles.export_session_bundle(service, recording.session_id, tmp_path / "x.age", passphrase="plum orchard wind")
    from vigstudio.app import editing

    editing.add_clip(service, recording.id, 0, 5)
    with pytest.raises(InvalidInput, match="no shared-review recording"):
        bundles.export_session_bundle(service, recording.session_id, tmp_path / "x.age", passphrase="plum orchard wind",
                                      with_review_recording=True)
    assert not (tmp_path / "x.age").exists()
