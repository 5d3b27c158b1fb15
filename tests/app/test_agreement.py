"""Coding agreement checked against hand-worked examples and the reference package."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from vigstudio.app import editing
from vigstudio.app.agreement import agreement_csv, agreement_json, alpha, cohen_kappa, session_agreement
from vigstudio.app.cases import add_case
from vigstudio.app.feedback import add_comment
from vigstudio.app.importing import import_recording


def test_kappa_by_hand():
    # 10 clips: both yes 4, both no 3, first only 2, second only 1.
    pairs = [(True, True)] * 4 + [(False, False)] * 3 + [(True, False)] * 2 + [(False, True)]
    k = cohen_kappa(pairs)
    # po = 0.7; p(first yes) = 0.6, p(second yes) = 0.5; pe = 0.3 + 0.2 = 0.5; kappa = 0.2 / 0.5 = 0.4
    assert k.agreement == pytest.approx(0.7) and k.kappa == pytest.approx(0.4)
    se = (0.7 * 0.3 / (10 * 0.25)) ** 0.5  # 0.2898
    assert (k.ci_low, k.ci_high) == (pytest.approx(0.4 - 1.95996 * se, abs=1e-4),
                                     pytest.approx(0.4 + 1.95996 * se, abs=1e-4))
    assert cohen_kappa([(True, True)] * 5).kappa is None  # no variation: kappa undefined
    assert cohen_kappa([]).n == 0


def test_alpha_is_the_reference_packages():
    first = [[1, 0, 0], [1, 1, 0], [0, 0, 1], [1, 0, 1]]
    second = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]
    expected = krippendorff.alpha(reliability_data=np.array([sum(first, []), sum(second, [])], float),
                                  level_of_measurement="nominal")
    assert alpha(first, second) == pytest.approx(expected)
    assert alpha([[1, 1]], [[1, 1]]) is None


def test_session_agreement_between_the_practitioners_tags_and_the_supervisors_comments(service, video):
    add_case(service, "F-1")
    recording = import_recording(service, "F-1", video)
    clips = [editing.add_clip(service, recording.id, n * 10, n * 10 + 5, f"clip {n}") for n in range(4)]
    for clip, mine in zip(clips, (["P1", "P2"], ["P1"], ["P3"], []), strict=True):
        for principle in mine:
            editing.tag_clip(service, clip.id, principle)
    for clip, theirs in zip(clips, (["P1"], ["P1"], ["P3", "P4"], ["P2"]), strict=True):
        for principle in theirs:
            add_comment(service, recording.session_id, "seen", author="Dr Ada", clip_id=clip.id,
                        principle=principle)
    result = session_agreement(service, recording.session_id)
    assert result.clips == 3  # the fourth clip has no tag of the practitioner's
    assert result.principles["P1"].agreement == pytest.approx(1.0)
    assert result.principles["P2"].agreement == pytest.approx(2 / 3)
    data = agreement_json(result)
    assert data["clips"] == 3 and set(data["principles"]) >= {"P1", "P6"}
    assert agreement_csv(result).splitlines()[0].startswith("principle,n,percent_agreement,kappa")


def test_moments_are_matched_within_the_tolerance_as_boris_does():
    from vigstudio.app.agreement import category_kappa, match_moments

    first = [(10, "P1"), (50, "P2"), (90, "P3"), (200, "P1")]
    second = [(12, "P1"), (47, "P2"), (95, "P1"), (400, "P4")]
    pairs, only_first, only_second = match_moments(first, second, tolerance=5)
    assert pairs == [("P1", "P1"), ("P2", "P2"), ("P3", "P1")]
    assert (only_first, only_second) == (1, 1)
    assert match_moments(first, second, tolerance=2)[0] == [("P1", "P1")]
    k = category_kappa(pairs)
    # po = 2/3; first: P1 1/3, P2 1/3, P3 1/3; second: P1 2/3, P2 1/3 -> pe = 2/9 + 1/9 = 1/3; kappa = 0.5
    assert k.agreement == pytest.approx(2 / 3) and k.kappa == pytest.approx(0.5)


def test_session_moment_agreement(service, video):
    from vigstudio.app.agreement import moment_agreement

    add_case(service, "F-2")
    recording = import_recording(service, "F-2", video)
    clip = editing.add_clip(service, recording.id, 5, 30, "a moment")
    editing.tag_clip(service, clip.id, "P2")
    add_comment(service, recording.session_id, "yes", recording_id=recording.id, frame=7, principle="P2",
                author="Dr Ada")
    add_comment(service, recording.session_id, "and here", recording_id=recording.id, frame=40, principle="P3",
                author="Dr Ada")
    result = moment_agreement(service, recording.session_id, tolerance=3)
    assert (result.matched, result.only_first, result.only_second, result.agreement) == (1, 0, 1, 1.0)
