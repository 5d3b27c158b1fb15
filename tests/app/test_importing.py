"""Importing: refusals before writing, all-or-nothing on failure and cancel, file objects."""

from __future__ import annotations

import io

import pytest

from tests.app.conftest import folder_snapshot
from tests.videos import make_broken, make_video, read_frame_number
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.progress import Progress
from vigstudio.app.recordings import open_recording_media, recording_asset
from vigstudio.domain.errors import Cancelled, InvalidInput, NotFound, VigError
from vigstudio.media.errors import MediaError


def recordings_and_sessions(service) -> tuple[int, int]:
    info = service.info()
    return info.recordings, info.sessions


@pytest.fixture
def case(service):
    return add_case(service, "F-014")


@pytest.mark.parametrize("kind", ["empty", "text", "random", "truncated_moov", "audio_only"])
def test_unusable_files_are_refused_before_anything_is_written(service, case, tmp_path, kind):
    bad = make_broken(kind, tmp_path / f"bad-{kind}.mp4")
    before = folder_snapshot(tmp_path / "lib")
    with pytest.raises(VigError) as caught:
        import_recording(service, "F-014", bad)
    assert isinstance(caught.value, (MediaError, InvalidInput))
    assert "\n" not in str(caught.value)
    assert folder_snapshot(tmp_path / "lib") == before


def test_missing_file_and_unknown_case_are_refused_before_anything_is_written(service, case, video, tmp_path):
    before = folder_snapshot(tmp_path / "lib")
    with pytest.raises(InvalidInput, match="file not found"):
        import_recording(service, "F-014", tmp_path / "nope.mp4")
    with pytest.raises(NotFound, match="unknown case: F-999"):
        import_recording(service, "F-999", video)
    assert folder_snapshot(tmp_path / "lib") == before


@pytest.mark.parametrize("cancel_at", [0.1, 0.6, 0.8, 0.95])
def test_cancel_at_any_stage_leaves_the_library_as_it_was(service, case, video, tmp_path, cancel_at):
    media_folder = tmp_path / "lib" / "media"
    labels = []

    def watch(fraction, label):
        labels.append(label)
        if fraction >= cancel_at:
            progress.cancel()

    progress = Progress(watch, "import")
    with pytest.raises(Cancelled, match="import cancelled; nothing was changed"):
        import_recording(service, "F-014", video, progress=progress)
    assert list(media_folder.iterdir()) == []
    assert recordings_and_sessions(service) == (0, 0)
    assert labels  # the one progress bar moved before the cancel


def test_progress_is_one_bar_from_zero_to_one(service, case, video):
    fractions = []
    import_recording(service, "F-014", video, progress=lambda f, label: fractions.append(f))
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)


def test_a_failure_after_the_copy_removes_the_container(service, case, video, tmp_path):
    def fail_late(fraction, label):
        if fraction > 0.9:
            raise RuntimeError("simulated crash while saving")

    with pytest.raises(RuntimeError):
        import_recording(service, "F-014", video, progress=fail_late)
    assert list((tmp_path / "lib" / "media").iterdir()) == []
    assert recordings_and_sessions(service) == (0, 0)


def test_a_seekable_file_object_imports_like_a_path(service, case):
    memory = io.BytesIO()
    make_video(memory, frames=20, container_format="mp4")
    memory.seek(0)
    recording = import_recording(service, "F-014", memory, file_name="phone.mp4")
    assert (recording.file_name, recording.frame_count) == ("phone.mp4", 20)
    assert not memory.closed
    media = open_recording_media(service, recording.id)
    try:
        assert [read_frame_number(media.frame(i)) for i in (19, 0, 7)] == [19, 0, 7]
    finally:
        media.close()


def test_a_file_changed_while_it_is_imported_is_refused_and_nothing_is_kept(service, case, video, tmp_path):
    """Thumbnails and waveform are made from the original while the copy is encrypted: if the
    original changes meanwhile, what was analysed may not be what was stored."""
    import os

    def touch_during_copy(fraction, label):
        if label == "encrypting":
            os.utime(video, ns=(1_000_000_000, 1_000_000_000))

    with pytest.raises(InvalidInput, match="changed while it was being imported"):
        import_recording(service, "F-014", video, progress=touch_during_copy)
    assert list((tmp_path / "lib" / "media").iterdir()) == []
    assert recordings_and_sessions(service) == (0, 0)


def test_a_cancel_during_the_copy_stops_the_analysis_thread_too(service, case, video):
    import threading

    def cancel_while_encrypting(fraction, label):
        if label == "encrypting":
            raise Cancelled("import")

    with pytest.raises(Cancelled):
        import_recording(service, "F-014", video, progress=cancel_while_encrypting)
    assert not [t for t in threading.enumerate() if t.name == "import-analysis"]


def test_path_import_stores_the_thumbnails_and_waveform_of_the_exact_frames(service, case, tmp_path):
    from vigstudio.media.thumbnails import ThumbnailStrip
    from vigstudio.media.waveform import Waveform

    path = make_video(tmp_path / "with-sound.mp4", frames=48, gop=12, audio="aac")
    recording = import_recording(service, "F-014", path)
    strip = ThumbnailStrip.from_bytes(recording_asset(service, recording.id, "thumbnails"))
    assert len(strip) > 0
    assert [read_frame_number(strip.image(k)) for k in range(len(strip))] == strip.frame_indices
    waveform = Waveform.from_bytes(recording_asset(service, recording.id, "waveform"))
    assert not waveform.is_empty and abs(waveform.duration - 2.0) < 0.1


def _dual_camera_file(path):
    from tests.media.kind_files import make_tracks

    main = dict(size=(160, 120), fps=25, frames=30)
    return make_tracks(path, [main, dict(main, offset=1000, size=(128, 96)),
                              dict(size=(640, 480), fps=1, frames=1, offset=5000, gop=1, bframes=0)], audio=True)


@pytest.mark.parametrize("as_file_object", [False, True])
def test_a_chosen_video_track_is_what_the_recording_shows(service, case, tmp_path, as_file_object):
    from vigstudio.app.importing import camera_tracks
    from vigstudio.media.thumbnails import ThumbnailStrip

    path = _dual_camera_file(tmp_path / "dual.mp4")
    tracks = camera_tracks(path)
    assert [t.number for t in tracks] == [0, 1]
    source = io.BytesIO(path.read_bytes()) if as_file_object else path
    chosen = import_recording(service, "F-014", source, track=1)
    assert (chosen.width, chosen.height, chosen.frame_count) == (128, 96, 30)
    with open_recording_media(service, chosen.id) as media:
        assert media.info.video_track == 1
        assert [read_frame_number(media.frame(i)) for i in (29, 0, 7)] == [1029, 1000, 1007]
    strip = ThumbnailStrip.from_bytes(recording_asset(service, chosen.id, "thumbnails"))
    assert len(strip) > 0
    assert all(read_frame_number(strip.image(k)) == 1000 + strip.frame_indices[k] for k in range(len(strip)))

    main = import_recording(service, "F-014", path)  # by default: the main track
    with open_recording_media(service, main.id) as media:
        assert media.info.video_track == 0 and read_frame_number(media.frame(7)) == 7
    with pytest.raises(MediaError, match="no video track 4"):
        import_recording(service, "F-014", path, track=4)
