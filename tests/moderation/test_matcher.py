"""Duplicate-idea matcher: pure Python, no database, no Django."""

from __future__ import annotations

import csv
from pathlib import Path

from forum.moderation.matcher import (
    DEFAULT_THRESHOLD,
    SUGGEST_THRESHOLD,
    DuplicateIndex,
    find_clusters,
    looks_like_probe,
    normalize,
    score_pair,
)

ROOT = Path(__file__).resolve().parents[2]
PAIRS = ROOT / "tests" / "data" / "duplicate_pairs.csv"


def test_normalize_strips_accents_html_and_stop_words():
    text = "<p>Más <strong>árboles</strong> en la Plaza&nbsp;de Castilla &amp; alrededores</p>"
    assert normalize(text) == normalize("mas arboles plaza castilla alrededores")
    assert "<" not in normalize(text)
    assert "la" not in normalize(text).split()


def test_normalize_folds_plural_and_gender():
    assert normalize("Parques infantiles nuevos") == normalize("parque infantil nueva")


def test_escaped_markup_is_removed():
    assert normalize("<p>&lt;a onclick=alert(1)&gt;hola</p>") == normalize("hola")


def test_rewording_is_found():
    index = DuplicateIndex()
    index.add(
        "1",
        "Carril bici en Madrid Río",
        "Crear un carril bici en Madrid Río para separar "
        "bicicletas y peatones, hay accidentes diarios.",
    )
    index.add("2", "Más árboles en la calle Alcalá", "Plantar árboles en la calle de Alcalá.")
    found = index.query(
        "Carril bici Madrid Rio",
        "Pido un carril bici en el paseo de Madrid Río porque peatones y bicicletas chocan.",
    )
    assert [m.key for m in found] == ["1"]


# Scored against the Madrid corpus, as the product always scores (word rarity and place
# names come from the index's ideas); score_pair without an index is a rough approximation.


def test_same_request_for_a_different_street_does_not_match(madrid_index):
    a = ("Carril bici C/ Goya", "Un carril bici que conecte con el de Serrano.")
    b = ("Carril bici C/ Príncipe de Vergara", "Un carril bici que conecte con el de Serrano.")
    assert score_pair(*a, *b, index=madrid_index) < DEFAULT_THRESHOLD


def test_short_title_inside_a_longer_one_is_not_enough_without_descriptions(madrid_index):
    # "Mesas de ping pong" could be anywhere; the other asks for Valdebebas.
    generic = ("Mesas de ping pong", "")
    placed = ("Instalación mesas de Ping Pong en Valdebebas", "")
    assert score_pair(*generic, *placed, index=madrid_index) < DEFAULT_THRESHOLD
    # ...while the same request reworded, title only on one side, still matches.
    assert (
        score_pair(
            "Mesas de ping pong en Valdebebas",
            "",
            "Instalación de mesas de ping pong en Valdebebas",
            "Poner mesas de ping pong en el parque de Valdebebas.",
            index=madrid_index,
        )
        >= DEFAULT_THRESHOLD
    )


def test_numbers_are_significant():
    assert score_pair("URL Test 5", "", "URL Test 6", "") < DEFAULT_THRESHOLD
    assert score_pair("Bus 165 al hospital", "", "Bus 27 al hospital", "") < DEFAULT_THRESHOLD


def test_xss_probe_never_matches_real_text():
    real = ("Parque infantil", "Solicitamos un parque infantil en la zona este.")
    probe = ("Parque infantil", "<p>&lt;a onclick=alert(1)&gt;</p>")
    assert looks_like_probe(*probe)
    assert not looks_like_probe(*real)
    assert score_pair(*real, *probe) == 0.0
    index = DuplicateIndex()
    index.add("real", *real)
    assert index.query(*probe, min_score=0) == []


def test_probe_detection_on_spanish_text_is_conservative():
    assert not looks_like_probe("Test de VIH gratuito en los centros de salud de la ciudad")
    assert looks_like_probe("testsia", "<p>testsia</p>")
    assert looks_like_probe("Advanced SSRF Test 3 - 1741432178", "This is a test.")


def test_remove_takes_an_idea_out_of_results():
    index = DuplicateIndex()
    index.add("a", "Ascensor metro Marqués de Vadillo", "Poner un ascensor en el metro.")
    index.add("b", "Ascensor en el metro de Marqués de Vadillo", "")
    assert "a" in index
    assert len(index) == 2
    assert [m.key for m in index.query("Ascensor metro Marques de Vadillo")] == ["a", "b"]
    index.remove("a")
    assert "a" not in index
    assert len(index) == 1
    assert [m.key for m in index.query("Ascensor metro Marques de Vadillo")] == ["b"]
    index.add("a", "Ascensor metro Marqués de Vadillo", "")
    assert {m.key for m in index.query("Ascensor metro Marques de Vadillo")} == {"a", "b"}


def test_word_search_finds_a_rewording_the_score_misses(madrid_index, madrid):
    # A real pair from the labelled set: the same request for the same barrio, worded so
    # differently that it scores under the suggestion threshold. A moderator who searches
    # for the place finds it.
    # "ZONA SER EN ZOFIO" / "APARCAMIENTO ZONA SER PARA RESIDENTES BARRIO ZOFIO Y COLONIA DE
    # LOS CEREALES" (sample D, scores 17); "Creación de un censo canino de ADN" / "Registro
    # de ADN canino" (sample A, scores 26).
    for key, other, words in (("36946", "37450", "Zofío"), ("36199", "37642", "adn CANINOS")):
        title, body = madrid[key]
        suggested = [
            m.key for m in madrid_index.query(title, body, min_score=SUGGEST_THRESHOLD, limit=50)
        ]
        assert other not in suggested, "the scorer finds this pair now: pick another one"
        found = madrid_index.search(words, exclude=key, limit=50)
        assert other in found
        assert key not in found
    assert madrid_index.search("ZONA ser ZOFIO")[:3] == madrid_index.search("zona SER zofío")[:3]


def test_word_search_needs_every_word_ranks_titles_first_and_forgets_removed_ideas():
    index = DuplicateIndex()
    index.add("body", "Más bancos", "Bancos en la plaza de Lota, frente a la escuela.")
    index.add("title", "Bancos en la plaza de Lota", "")
    index.add("other", "Plaza de Coronel", "Bancos y sombra.")
    assert index.search("bancos Lota") == ["title", "body"]
    assert index.search("banco lota plaza") == ["title", "body"]  # endings and case
    assert index.search("Lota Coronel") == []
    assert index.search("de la") == []  # only stop-words: nothing to look for
    assert index.search("palabra-que-no-existe") == []
    index.remove("title")
    assert index.search("bancos Lota") == ["body"]
    assert index.search("bancos Lota", exclude="body") == []


def test_exclude_skips_the_idea_itself(madrid_index, madrid):
    title, body = madrid["35719"]
    keys = [m.key for m in madrid_index.query(title, body, exclude="35719", limit=20)]
    assert "35719" not in keys
    assert "35721" in keys


def test_clusters_on_a_real_sample(madrid):
    sample = [(k, *madrid[k]) for k in sorted(madrid) if "35700" <= k <= "36000"]
    clusters = find_clusters(sample)
    anillo = next(c for c in clusters if "35719" in c)
    assert {"35717", "35718", "35727", "35734"} <= set(anillo)
    parking = next(c for c in clusters if "35822" in c)
    assert "35818" in parking
    assert "35719" not in parking
    for cluster in clusters:
        probes = {looks_like_probe(*madrid[k]) for k in cluster}
        assert len(probes) == 1  # never a probe with a real proposal


def test_learned_cutoff_shortcut_never_changes_a_decision_or_a_reported_score(madrid_index, madrid):
    # The index asks score_learned for a cutoff: below it, an upper bound computed with
    # identical descriptions stands in for the exact score. Sound only while the weights of
    # the lexical score and of the description cosine are positive.
    from forum.moderation.matcher import scoring
    from forum.moderation.matcher.normalize import normalize_idea

    weights = dict(zip(scoring.FEATURES, scoring.WEIGHTS, strict=True))
    assert weights["lexical"] > 0
    assert weights["description_cosine"] > 0
    idf, is_name = madrid_index._current_idf(), madrid_index.names.is_name
    with PAIRS.open(encoding="utf-8", newline="") as f:
        ids = [(r["id_a"], r["id_b"]) for r in csv.DictReader(f)]
    skipped = 0
    for cutoff in (SUGGEST_THRESHOLD, DEFAULT_THRESHOLD):
        for a, b in ids:
            na, nb = normalize_idea(*madrid[a]), normalize_idea(*madrid[b])
            exact = scoring.score_learned(na, nb, idf, is_name)
            quick = scoring.score_learned(na, nb, idf, is_name, cutoff)
            if exact >= cutoff:
                assert quick == exact
            else:
                assert exact <= quick < cutoff
                skipped += quick != exact
    assert skipped > 0  # the shortcut is actually taken on real pairs


def test_cutoff_shortcut_never_changes_a_decision_or_a_reported_score(madrid_index, madrid):
    # score_normalized(..., cutoff) skips the description cosine for pairs that cannot
    # reach the cutoff; queries and clusters rely on it giving exact scores above it.
    from forum.moderation.matcher.normalize import normalize_idea
    from forum.moderation.matcher.scoring import score_normalized

    idf = madrid_index._current_idf()
    with PAIRS.open(encoding="utf-8", newline="") as f:
        ids = [(r["id_a"], r["id_b"]) for r in csv.DictReader(f)]
    skipped = 0
    for a, b in ids:
        na, nb = normalize_idea(*madrid[a]), normalize_idea(*madrid[b])
        exact = score_normalized(na, nb, idf)
        quick = score_normalized(na, nb, idf, DEFAULT_THRESHOLD)
        if exact >= DEFAULT_THRESHOLD:
            assert quick == exact
        else:
            assert quick < DEFAULT_THRESHOLD
            skipped += quick != exact
    assert skipped > 0  # the shortcut is actually taken on real pairs


def _f1(
    rows: list[tuple[str, str, bool]],
    madrid_index: DuplicateIndex,
    madrid: dict[str, tuple[str, str]],
) -> float:
    tp = fp = fn = 0
    for a, b, dup in rows:
        hit = score_pair(*madrid[a], *madrid[b], index=madrid_index) >= DEFAULT_THRESHOLD
        tp += hit and dup
        fp += hit and not dup
        fn += dup and not hit
    return 2 * tp / (2 * tp + fp + fn)


def test_f1_on_labelled_pairs_at_default_threshold(madrid_index, madrid):
    with PAIRS.open(encoding="utf-8", newline="") as f:
        rows = [(r["id_a"], r["id_b"], r["label"] == "1") for r in csv.DictReader(f)]
    assert len(rows) >= 1009
    # Target was 0.92. Measured at threshold 52 (docs/matcher.md), with the learned score:
    # 0.881 on the first 436 pairs (mostly hard negatives) and 0.795 on the first 899, whose
    # last 463 are random samples of the index's candidates (in-sample: the weights were
    # fitted on these 899; held out, benchmarks/fit_scorer.py measures 0.788). Sample E, the
    # last 110, was labelled after the weights were fixed: 0.519 there (hand-tuned score:
    # 0.500). The hand-tuned score alone: 0.872 and 0.760. Guard against regressions.
    assert _f1(rows[:436], madrid_index, madrid) >= 0.88
    assert _f1(rows[:899], madrid_index, madrid) >= 0.79
    assert _f1(rows[899:], madrid_index, madrid) >= 0.51
