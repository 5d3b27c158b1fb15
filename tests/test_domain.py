import json

import pytest

from vigstudio.domain import Clip
from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.principles import load_catalogue
from vigstudio.domain.timecode import format_seconds, frame_at_time


def test_catalogue_has_the_six_principles_in_order():
    cat = load_catalogue()
    assert cat.codes() == ["P1", "P2", "P3", "P4", "P5", "P6"]
    assert cat.principle("P2").name == "Encouraging initiatives"
    assert cat.behaviour("P2.1").text == "Waiting"
    cat.validate("P3", "P3.4")
    with pytest.raises(InvalidInput):
        cat.validate("P3", "P2.1")
    with pytest.raises(InvalidInput, match="unknown principle"):
        cat.principle("P9")


def test_service_extension_adds_codes_without_code_changes(tmp_path):
    ext = tmp_path / "www.json"
    ext.write_text(json.dumps({
        "format": "vigstudio-principles", "version": 1, "name": "WWW",
        "principles": [
            {"code": "W1", "name": "Watching", "behaviours": [{"code": "W1.1", "text": "Mother follows baby's lead"}]},
            {"code": "P1", "name": "Being attentive", "behaviours": [{"code": "P1.99", "text": "Local wording"}]},
        ],
    }))
    cat = load_catalogue(ext)
    assert cat.codes()[-1] == "W1"
    assert cat.behaviour("P1.99").text == "Local wording"
    assert cat.behaviour("P1.1").text.startswith("Looking interested")

    ext.write_text(json.dumps({"format": "vigstudio-principles", "principles": [
        {"code": "P1", "name": "x", "behaviours": [{"code": "P1.1", "text": "clash"}]}]}))
    with pytest.raises(InvalidInput, match="redefines"):
        load_catalogue(ext)


def test_timecode_is_derived_from_frames():
    assert format_seconds(83.5) == "01:23.500"
    assert format_seconds(3725.25) == "1:02:05.250"
    times = [0.0, 0.04, 0.09, 0.2]  # variable frame rate
    assert frame_at_time(times, 0.0) == 0
    assert frame_at_time(times, 0.089) == 1
    assert frame_at_time(times, 0.09) == 2
    assert frame_at_time(times, 5.0) == 3


def test_clip_bounds_are_frames_end_exclusive():
    clip = Clip(recording_id=1, start_frame=10, end_frame=25)
    assert clip.frame_count == 15
    assert clip.contains(10) and clip.contains(24) and not clip.contains(25)


def test_observation_catalogue_defaults_and_extension(tmp_path):
    from vigstudio.domain.observations import default_catalogue, load_observation_catalogue

    cat = default_catalogue()
    assert cat.code("I-REACH").is_initiative and cat.code("M-FOLLOW").response == "followed"
    assert cat.code("M-REDIRECT").response == "redirected" and cat.is_default("SHARED")
    assert cat.theme("T-PLAY").label == "Play and enjoyment"
    ext = tmp_path / "observations.json"
    ext.write_text(json.dumps({"format": "vigstudio-observations", "codes": [
        {"code": "X-1", "label": "Ours", "role": "response", "response": "followed"}]}))
    extended = load_observation_catalogue(ext)
    assert extended.code("X-1").is_response and not extended.is_default("X-1")
    for bad, message in (
            ({"code": "I-LOOK", "label": "clash"}, "redefines"),
            ({"code": "X 2", "label": "space"}, "without spaces"),
            ({"code": "X-3", "label": "r", "role": "response"}, "followed' or 'redirected"),
            ({"code": "X-4", "label": "r", "role": "nope"}, "role must be")):
        ext.write_text(json.dumps({"format": "vigstudio-observations", "codes": [bad]}))
        with pytest.raises(InvalidInput, match=message):
            load_observation_catalogue(ext)
    ext.write_text("{not json")
    with pytest.raises(InvalidInput, match="cannot read"):
        load_observation_catalogue(ext)


def test_a_saved_session_names_its_intervention_and_an_unsaved_one_is_a_bug():
    from vigstudio.domain.model import Session

    assert Session(intervention_id=4).saved_intervention_id == 4
    with pytest.raises(ValueError, match="not been saved"):
        _ = Session(cycle_id=2).saved_intervention_id
