"""The demo library: a marked demo case with a generated sample recording that opens frame-exactly."""

from __future__ import annotations

import io

import av

from vigstudio.app.demo import DEMO_CASE_CODE, DEMO_FILE_NAME, create_demo_library
from vigstudio.app.library import LibraryService
from vigstudio.media.sample import make_sample_video, read_frame_number


def test_sample_video_is_made_in_memory_with_numbered_frames_and_a_tone():
    memory = io.BytesIO()
    count = make_sample_video(memory, seconds=1.2, fps=25)
    assert count == 30
    memory.seek(0)
    with av.open(memory) as container:
        assert container.streams.audio and container.streams.audio[0].codec_context.name == "aac"
        numbers = [read_frame_number(f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]
    assert numbers == list(range(30))


def test_demo_library_holds_one_marked_case_whose_recording_opens_exactly(tmp_path, passphrase):
    service = LibraryService()
    fractions = []
    recording = create_demo_library(service, tmp_path / "demo", passphrase, seconds=2.0,
                                    progress=lambda f, label: fractions.append(f))
    try:
        [node] = service.tree()
        assert node.case.code == DEMO_CASE_CODE and node.case.is_demo and node.case.name is None
        [(_, _, session)] = node.sessions()
        assert "no real family" in session.session.notes
        assert [r.file_name for r in session.recordings] == [DEMO_FILE_NAME]
        assert recording.frame_count == 50 and recording.has_audio
        media = service.open_media(recording.id)
        try:
            for i in (0, 49, 25, 24, 3):
                assert read_frame_number(media.frame(i)) == i
        finally:
            media.close()
        assert fractions[-1] == 1.0
        assert service.info().demo_cases == 1
    finally:
        service.close()
