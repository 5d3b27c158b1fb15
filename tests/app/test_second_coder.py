"""Coding agreement between two practitioners in one library: the library's own tags and a named second
coder's (typed in or imported from their CSV / ELAN file), checked against hand-worked figures and the
reference package."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from vigstudio.app import coders, editing
from vigstudio.app.agreement import Z95, agreement_json, moment_agreement, moment_json, session_agreement
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.interchange import ImportRefused
from vigstudio.domain.errors import InvalidInput

MINE = (["P1"], ["P1", "P2"], ["P2"], ["P3"], ["P1"])
ANNAS = (["P1"], ["P1"], ["P2"], ["P1"], ["P1", "P3"])


@pytest.fixture
def coded(service, video):
    """Five 8-frame clips (25 fps) tagged by the practitioner; Anna's tags come from her CSV."""
    add_case(service, "F-1")
    recording = import_recording(service, "F-1", video)
    clips = [editing.add_clip(service, recording.id, n * 8, n * 8 + 8, f"clip {n}") for n in range(5)]
    for clip, mine in zip(clips, MINE, strict=True):
        for principle in mine:
            editing.tag_clip(service, clip.id, principle)
    return recording, clips


def _annas_csv(tmp_path, extra: str = ""):
    rows = ["onset,offset,code,coder,comment"]
    for n, theirs in enumerate(ANNAS):
        for principle in theirs:
            onset = n * 8 / 25 + 0.1  # inside clip n
            rows.append(f"{onset:.2f},{onset + 0.1:.2f},{principle},Anna,seen")
    rows.append("0.1,0.2,P4,practitioner,not Anna's")  # another coder's row: left alone
    path = tmp_path / "anna.csv"
    path.write_text("\n".join(rows) + "\n" + extra)
    return path


def test_a_second_coders_csv_lands_on_the_clips_and_agreement_is_as_worked_by_hand(service, coded, tmp_path):
    recording, clips = coded
    ids = coders.import_tags(service, recording.id, _annas_csv(tmp_path), "anna")  # the coder column, any case
    assert len(ids) == 6 and coders.second_coders(service) == ["Anna"]
    assert [sorted(t.principle for t in coders.tags_of_clip(service, c.id, "Anna")) for c in clips] == \
        [sorted(t) for t in ANNAS]
    assert coders.tags_of_clip(service, clips[0].id)[0].frame == 2  # 0.1 s at 25 fps: frame 2
    # the practitioner's own tags are unchanged (Anna's are kept apart)
    assert [sorted(t.principle for t in c.annotations) for c in editing.clips_of_session(service, recording.session_id)] \
        == [sorted(t) for t in MINE]

    result = session_agreement(service, recording.session_id, ["practitioner", "Anna"])
    assert result.clips == 5 and result.coders == ("practitioner", "Anna")
    # P1: pairs (1,1) (1,1) (0,0) (0,1) (1,1): po = 0.8; p(mine) = 0.6, p(Anna) = 0.8; pe = 0.48 + 0.08
    # = 0.56; kappa = 0.24 / 0.44 = 6/11; se = sqrt(0.8 * 0.2 / (5 * 0.44²)) = 0.40656
    p1 = result.principles["P1"]
    se = (0.16 / (5 * 0.44 ** 2)) ** 0.5
    assert (p1.n, p1.agreement, p1.kappa) == (5, pytest.approx(0.8), pytest.approx(6 / 11))
    assert (p1.ci_low, p1.ci_high) == (pytest.approx(6 / 11 - Z95 * se), 1.0)  # the upper bound is capped at 1
    # P2: (0,0) (1,0) (1,1) (0,0) (0,0): po = 0.8, pe = 0.4·0.2 + 0.6·0.8 = 0.56, kappa = 6/11 again
    assert result.principles["P2"].kappa == pytest.approx(6 / 11)
    # P3: (0,0) (0,0) (0,0) (1,0) (0,1): po = 0.6, pe = 0.04 + 0.64 = 0.68, kappa = -0.08 / 0.32 = -0.25
    assert result.principles["P3"].kappa == pytest.approx(-0.25)
    # alpha: 30 units, 4 disagreeing; 12 ones and 48 zeros among 60 values:
    # 1 - (n - 1) · 2·4 / (2 · 12 · 48) = 1 - 59 · 8 / 1152 = 85/144
    assert result.alpha == pytest.approx(85 / 144)
    codes = list(result.principles)
    table = np.array([[int(p in tags) for tags in MINE for p in codes], [int(p in tags) for tags in ANNAS for p in codes]],
                     float)
    assert result.alpha == pytest.approx(krippendorff.alpha(reliability_data=table, level_of_measurement="nominal"))
    assert agreement_json(result)["coders"] == ["practitioner", "Anna"]

    # in time: the practitioner's tags sit at their clip's start, Anna's at her rows' onsets (2 frames in)
    assert moment_agreement(service, recording.session_id, 1, ["practitioner", "Anna"]).matched == 0
    moments = moment_agreement(service, recording.session_id, 2, ["practitioner", "Anna"])
    # matched in time order: 0↔2 P1/P1, 8↔10 P1/P1 (8 P2 left alone), 16↔18 P2/P2, 24↔26 P3/P1,
    # 32↔34 P1/P1 (34 P3 left alone): 5 pairs, 4 the same; pe = 0.6·0.8 + 0.2·0.2 = 0.52, kappa = 0.28/0.48
    assert (moments.matched, moments.only_first, moments.only_second) == (5, 1, 1)
    assert moments.agreement == pytest.approx(0.8) and moments.kappa.kappa == pytest.approx(7 / 12)
    assert moment_json(moments)["coders"] == ["practitioner", "Anna"]


def test_the_import_is_all_or_nothing_and_names_are_checked(service, coded, tmp_path):
    recording, clips = coded
    bad = _annas_csv(tmp_path, "1.7,1.8,P2,Anna,after the clips\n0.1,0.2,Q9,Anna,odd\n")
    with pytest.raises(ImportRefused) as refused:
        coders.import_tags(service, recording.id, bad, "Anna")
    assert len(refused.value.problems) == 2 and "no clip of recording" in refused.value.problems[0]
    assert coders.second_coders(service) == []  # nothing imported
    with pytest.raises(InvalidInput, match="no rows of coder 'Bo'"):
        coders.import_tags(service, recording.id, _annas_csv(tmp_path), "Bo")
    with pytest.raises(InvalidInput, match="library's own coders"):
        coders.add_tag(service, clips[0].id, "Supervisor", "P1")
    with pytest.raises(InvalidInput, match="no tags of a coder named 'Bo'"):
        session_agreement(service, recording.session_id, ["practitioner", "Bo"])
    with pytest.raises(InvalidInput, match="two different coders"):
        session_agreement(service, recording.session_id, ["practitioner", "Practitioner"])
    tag = coders.add_tag(service, clips[1].id, "Bo", "p2", frame=9)
    assert (tag.principle, tag.frame) == ("P2", 9)
    assert session_agreement(service, recording.session_id, ["Bo", "practitioner"]).clips == 1
    coders.delete_tag(service, tag.id)
    assert coders.second_coders(service) == []


def test_undoing_a_clip_delete_brings_back_the_second_coders_tags(service, coded):
    _recording, clips = coded
    tag = coders.add_tag(service, clips[2].id, "Anna", "P2", frame=18)
    snapshot = editing.delete_clip(service, clips[2].id)
    assert coders.second_coders(service) == []  # gone with the clip
    editing.restore_clip(service, snapshot)
    [back] = coders.tags_of_clip(service, clips[2].id, "Anna")
    assert (back.id, back.principle, back.frame) == (tag.id, "P2", 18)
