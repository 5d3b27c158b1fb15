"""A session's coding out to ELAN and CSV and back in onto exact frames; bad rows refuse everything."""

from __future__ import annotations

import pytest
from pympi import Elan

from tests.videos import make_video
from vigstudio.app import consent, editing
from vigstudio.app.cases import add_case
from vigstudio.app.feedback import add_comment
from vigstudio.app.importing import import_recording
from vigstudio.app.interchange import ImportRefused, export_csv, export_eaf, import_moments, read_moments
from vigstudio.domain.errors import ConsentMissing


@pytest.fixture
def coded(service, tmp_path):
    add_case(service, "F-1")
    recording = import_recording(service, "F-1", make_video(tmp_path / "v.mp4", frames=50, fps=25))
    clip = editing.add_clip(service, recording.id, 10, 35, "Turn taking")
    editing.tag_clip(service, clip.id, "P4")
    add_comment(service, recording.session_id, "lovely wait", clip_id=clip.id, principle="P2", author="Dr Ada")
    return recording


def test_export_needs_training_consent_then_writes_eaf_and_csv(service, coded, tmp_path):
    with pytest.raises(ConsentMissing):
        export_csv(service, coded.session_id, tmp_path / "c.csv")
    assert not (tmp_path / "c.csv").exists()
    consent.add(service, "F-1", ["training"], "HV")
    eaf_path = export_eaf(service, coded.session_id, tmp_path / "s.eaf")
    eaf = Elan.Eaf(str(eaf_path))
    assert set(eaf.get_tier_names()) == {"clip", "P4 (practitioner)", "P2 (Dr Ada)"}
    [(start, end, value, *_)] = eaf.get_annotation_data_for_tier("P4 (practitioner)")
    assert (start, end) == (400, 1400)  # frames 10 and 35 at 25 fps
    rows = export_csv(service, coded.session_id, tmp_path / "c.csv").read_text().splitlines()
    assert rows[0] == "onset,offset,code,coder,comment"
    assert "0.400,1.400,P2,Dr Ada,lovely wait" in rows


def test_import_lands_on_exact_frames_and_is_all_or_nothing(service, coded, tmp_path):
    consent.add(service, "F-1", ["training"], "HV")
    csv_file = export_csv(service, coded.session_id, tmp_path / "c.csv")
    other = import_recording(service, "F-1", make_video(tmp_path / "w.mp4", frames=50, fps=25))
    ids = import_moments(service, other.id, csv_file)
    with service.read() as repos:
        made = [repos.clips.get(i) for i in ids]
        tags = [repos.annotations.of_clip(i)[0] for i in ids]
    assert [(c.start_frame, c.end_frame) for c in made] == [(10, 35), (10, 35)]
    assert sorted(t.principle for t in tags) == ["P2", "P4"]
    assert len(read_moments(csv_file)) == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("onset,offset,code,coder,comment\n0.4,1.4,P4,practitioner,ok\n1.0,9.0,P1,x,long\n"
                   "0.1,0.2,Z9,x,what\n")
    with pytest.raises(ImportRefused) as refused:
        import_moments(service, other.id, bad)
    assert len(refused.value.problems) == 2 and "unknown code" in str(refused.value)
    with service.read() as repos:
        assert len(repos.clips.of_recording(other.id)) == 2  # nothing of the bad file


def test_a_second_coders_tier_goes_out_to_elan_and_comes_back_onto_the_clip(service, coded, tmp_path):
    from vigstudio.app import coders

    consent.add(service, "F-1", ["training"], "HV")
    [clip] = editing.clips_of_session(service, coded.session_id)
    tag = coders.add_tag(service, clip.clip.id, "Anna", "P3", text="names it")
    eaf = Elan.Eaf(str(export_eaf(service, coded.session_id, tmp_path / "s.eaf")))
    assert "P3 (Anna)" in eaf.get_tier_names()
    coders.delete_tag(service, tag.id)
    [back] = coders.import_tags(service, coded.id, tmp_path / "s.eaf", "Anna")  # Anna's tier only
    [again] = coders.tags_of_clip(service, clip.clip.id, "Anna")
    assert (again.id, again.principle, again.text, again.frame) == (back, "P3", "names it", 10)
