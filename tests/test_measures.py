"""Scoring of every shipped measure against hand-worked examples (reverse items, missing-item
rules, pro-rating, subscales, bands, risk items) and the change verdicts of NHS Talking Therapies."""

import json

import pytest

from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.measures import (
    NOT_APPLICABLE,
    change,
    joint_change,
    load_measures,
    round_half_up,
    score,
)

CAT = load_measures()


def m(mid):
    return CAT.measure(mid)


def test_catalogue_ships_every_measure_with_a_licence_note():
    assert set(CAT.ids()) >= {"PHQ-9", "GAD-7", "WSAS", "RSES", "PBQ", "CORE-10", "EPDS", "PSI-SF"}
    for measure in CAT.measures:
        assert measure.licence, measure.id
    assert CAT.measure("phq-9").id == "PHQ-9"
    with pytest.raises(InvalidInput, match="unknown measure"):
        CAT.measure("BDI")


def test_phq9_total_bands_caseness_and_risk_item():
    s = score(m("PHQ-9"), [1, 2, 0, 3, 1, 0, 2, 1, 0])
    assert (s.total, s.band, s.caseness, s.risk_items) == (10.0, "moderate", True, ())
    s = score(m("PHQ-9"), [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert (s.total, s.band, s.caseness, s.risk_items) == (1.0, "minimal", False, (9,))
    assert score(m("PHQ-9"), [3] * 9).band == "severe"
    assert score(m("PHQ-9"), [1, 2, 2, 2, 2, 2, 2, 2, 0]).band == "moderately severe"  # 15


def test_phq9_with_a_missing_item_is_not_scorable_and_bad_answers_are_refused():
    s = score(m("PHQ-9"), [1, 2, None, 3, 1, 0, 2, 1, 0])
    assert s.total is None and s.band is None and s.caseness is None and s.missing == 1
    with pytest.raises(InvalidInput, match="9 items"):
        score(m("PHQ-9"), [1, 2, 3])
    with pytest.raises(InvalidInput, match="out of range"):
        score(m("PHQ-9"), [4, 0, 0, 0, 0, 0, 0, 0, 0])


def test_gad7_bands_and_caseness_at_eight():
    assert score(m("GAD-7"), [1, 1, 1, 1, 1, 1, 1]).caseness is False  # 7
    s = score(m("GAD-7"), [2, 1, 1, 1, 1, 1, 1])
    assert (s.total, s.band, s.caseness) == (8.0, "mild", True)
    assert score(m("GAD-7"), [3, 3, 3, 3, 3, 0, 0]).band == "severe"  # 15


def test_wsas_mean_substitution_of_one_missing_or_not_applicable_item():
    s = score(m("WSAS"), [4, 6, NOT_APPLICABLE, 2, 3])  # 15 + mean 3.75 = 18.75
    assert s.total == pytest.approx(18.75) and s.band == "significant impairment"
    s = score(m("WSAS"), [2, 2, 2, 2, None])  # 8 + 2 = 10 → significant
    assert s.total == 10.0 and s.band == "significant impairment"
    s = score(m("WSAS"), [2, 2, 2, 1, None])  # 7 + 1.75 = 8.75 → rounds to 9 → subclinical
    assert s.total == pytest.approx(8.75) and s.band == "subclinical"
    assert score(m("WSAS"), [2, None, 2, None, 2]).total is None
    assert score(m("WSAS"), [8, 8, 8, 8, 0]).band == "moderately severe or worse"  # 32


def test_rosenberg_reversed_items_and_no_bands():
    # All "strongly agree": five positive items score 3, the five reversed ones (2, 5, 6, 8, 9) 0.
    s = score(m("RSES"), [0] * 10)
    assert s.total == 15.0 and s.band is None and s.caseness is None
    # Agree with the positive items, disagree with the negative ones: 2 x 5 + 2 x 5 = 20.
    answers = [2 if n in (2, 5, 6, 8, 9) else 1 for n in range(1, 11)]
    assert score(m("RSES"), answers).total == 20.0
    assert m("RSES").item_label(3) == "Item 3"


def test_pbq_forward_and_reversed_items_and_the_four_factors():
    # "Always" everywhere: the 8 forward items score 0, the 17 reversed ones 5 → 85.
    s = score(m("PBQ"), [0] * 25)
    assert s.total == 85.0
    assert s.subscales == {"F1 impaired bonding": 40.0, "F2 rejection and anger": 25.0,
                           "F3 infant-focused anxiety": 10.0, "F4 risk of abuse": 10.0}
    assert s.risk_items == (18, 24)
    # "Never" everywhere: forward items 5 each, reversed 0 → 40, no risk.
    s = score(m("PBQ"), [5] * 25)
    assert s.total == 40.0 and s.risk_items == ()
    assert s.subscales["F1 impaired bonding"] == 20.0  # items 1, 8, 9, 16 forward
    assert s.subscales["F3 infant-focused anxiety"] == 10.0  # items 22, 25 forward


def test_core10_reversed_items_prorating_and_bands():
    s = score(m("CORE-10"), [1] * 10)  # items 2, 3 reversed: 1 → 3
    assert s.total == 14.0 and s.band == "mild"
    s = score(m("CORE-10"), [1, 1, 1, 1, 1, None, 1, 1, 1, 1])  # 7 x 1 + 2 x 3 = 13 over 9 items
    assert s.total == pytest.approx(10 * 13 / 9)  # 14.44, kept exact
    assert s.band == "mild"  # rounded half up: 14
    s = score(m("CORE-10"), [2, 1, 1, 2, 2, None, 2, 2, 2, 2])  # 7 x 2 + 2 x 3 = 20 over 9 → 22.2
    assert s.total == pytest.approx(200 / 9) and s.band == "moderate to severe"
    assert score(m("CORE-10"), [1, None, None, 1, 1, 1, 1, 1, 1, 1]).total is None
    s = score(m("CORE-10"), [0, 4, 4, 0, 0, 2, 0, 0, 0, 0])
    assert s.total == 2.0 and s.band == "healthy to low" and s.risk_items == (6,)


def test_epds_reversed_items_threshold_and_item_10_risk_whatever_the_total():
    # First option everywhere: items 1, 2, 4 score 0, items 3, 5-10 score 3 → 21.
    s = score(m("EPDS"), [0] * 10)
    assert (s.total, s.caseness, s.risk_items) == (21.0, True, (10,))
    s = score(m("EPDS"), [0, 0, 3, 0, 3, 3, 3, 3, 3, 2])  # only item 10 at "hardly ever" = 1
    assert (s.total, s.caseness, s.risk_items) == (1.0, False, (10,))
    assert m("EPDS").item_label(10) == "Item 10"  # never its wording


def test_psi_short_form_is_typed_and_range_checked():
    from vigstudio.domain.measures import typed_score
    psi = m("PSI-SF")
    s = typed_score(psi, {"PD": 30, "PCDI": 25, "DC": 28, "TS": 83, "percentile": 60})
    assert s.total == 83.0 and s.subscales["PD"] == 30.0
    with pytest.raises(InvalidInput, match="TS must be"):
        typed_score(psi, {"PD": 30, "PCDI": 25, "DC": 28, "TS": 300, "percentile": 60})
    with pytest.raises(InvalidInput, match="typed totals"):
        score(psi, [])


def test_rounding_is_half_up():
    assert round_half_up(12.5) == 13 and round_half_up(9.5) == 10 and round_half_up(9.49) == 9


def test_change_verdicts_per_measure():
    phq = m("PHQ-9")
    c = change(phq, 16, 9)
    assert (c.change, c.reliable_improvement, c.reliable_deterioration, c.recovered) == (-7, True, False, True)
    c = change(phq, 16, 11)  # fell by 5: not reliable; still a case
    assert (c.reliable_improvement, c.recovered) == (False, False)
    c = change(phq, 6, 12)  # rose by 6; not a case at the start: recovery n/a
    assert (c.reliable_deterioration, c.recovered) == (True, None)
    c = change(m("RSES"), 15, 22)  # no published criterion: change only
    assert (c.change, c.reliable_improvement, c.recovered) == (7, None, None)
    assert change(phq, None, 5).change is None


def test_joint_phq9_and_gad7_as_nhs_talking_therapies():
    phq, gad = m("PHQ-9"), m("GAD-7")
    j = joint_change(phq, 12, 5, gad, 6, 7)  # reliable fall on PHQ-9, no reliable rise on GAD-7
    assert (j.reliable_improvement, j.reliable_deterioration, j.recovered) == (True, False, True)
    j = joint_change(phq, 12, 5, gad, 4, 9)  # PHQ-9 fell, GAD-7 rose reliably and became a case
    assert (j.reliable_improvement, j.reliable_deterioration, j.recovered) == (False, False, False)
    j = joint_change(phq, 4, 3, gad, 3, 2)  # a case on neither at the start
    assert j.recovered is None


def test_a_service_extension_adds_a_measure_but_cannot_redefine_one(tmp_path):
    ext = tmp_path / "measures.json"
    ext.write_text(json.dumps({"format": "vigstudio-measures", "version": 1, "measures": [
        {"id": "MY-3", "name": "Three questions", "options": [{"label": "No", "score": 0},
                                                                {"label": "Yes", "score": 1}],
         "items": [{"number": 1}, {"number": 2}, {"number": 3}], "range": [0, 3]}]}))
    cat = load_measures(ext)
    assert score(cat.measure("MY-3"), [1, 1, 0]).total == 2.0
    ext.write_text(json.dumps({"format": "vigstudio-measures", "measures": [
        {"id": "PHQ-9", "name": "x", "items": [], "range": [0, 1]}]}))
    with pytest.raises(InvalidInput, match="redefines PHQ-9"):
        load_measures(ext)
    ext.write_text(json.dumps({"format": "vigstudio-measures", "measures": [{"id": "X"}]}))
    with pytest.raises(InvalidInput, match="malformed"):
        load_measures(ext)
