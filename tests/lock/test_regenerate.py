"""The product's promise, with Anki's own importer: a user studies a deck for a while, the author edits the
YAML in every way authors do, and the re-import updates exactly what changed, adds what is new, keeps every
review and duplicates nothing. `plan` says beforehand what Anki's import log then says."""

from __future__ import annotations

import time
import pytest

from deckbuilder.anki import notetypes
from deckbuilder.tuning import Speed
from deckbuilder.pipeline.build import build
from deckbuilder.pipeline.plan import plan
from tests.support.anki import import_package

V1 = """\
deck:
  key: study
  name: Study deck
  source: {title: An article}
sections:
  - id: intro
    number: 1
    title: Intro
    cards:
      - {id: front-edit, front: What does K2 do?, back: It moves calcium}
      - {id: back-edit, front: Where should calcium go?, back: Bones}
      - {id: cloze-grow, type: cloze, text: "{{c1::K2}} activates MGP"}
      - {id: retagged, front: Which vitamin pairs with K2?, back: D3, tags: [pairs]}
      - {id: mover, front: What is MGP?, back: Matrix Gla Protein}
      - {id: kept-by-user, front: What does D3 raise?, back: Calcium absorption}
      - {id: removed, front: A card to drop, back: Dropped}
      - {id: both-ways, type: reversed, front: MGP, back: Matrix Gla Protein}
      - {id: typed, type: type-in, front: Six times seven, back: "42"}
  - id: more
    number: 2
    title: More
    cards:
      - {id: more-first, front: Is magnesium needed?, back: Yes}
    relationships:
      - {id: k2-mgp, subject: Vitamin K2, relation: activates, object: MGP}
"""

V2 = """\
deck:
  key: study
  name: Study deck
  source: {title: An article}
sections:
  - id: more
    number: 2
    title: More on co-factors
    cards:
      - {id: mover, front: What is MGP?, back: Matrix Gla Protein}
      - {id: more-first, front: Is magnesium needed?, back: Yes}
      - {id: added, front: Which mineral needs K2?, back: Calcium}
    relationships:
      - {id: k2-mgp, subject: Vitamin K2, relation: activates, object: MGP}
  - id: intro
    number: 1
    title: Intro
    cards:
      - {id: typed, type: type-in, front: Six times seven, back: "42"}
      - {id: back-edit, front: Where should calcium go?, back: Into bones and teeth}
      - {id: front-edit, front: What does vitamin K2 do?, back: It moves calcium}
      - {id: cloze-grow, type: cloze, text: "{{c1::K2}} activates {{c2::MGP}}"}
      - {id: retagged, front: Which vitamin pairs with K2?, back: D3, tags: [pairs, co-factors]}
      - {id: kept-by-user, front: What does D3 raise?, back: Calcium absorption}
      - {id: both-ways, type: reversed, front: MGP, back: Matrix Gla Protein}
"""

NEW_CSS = "\n.db-question { letter-spacing: 0.01em; }  /* deckbuilder's next release */\n"


def study_everything(col) -> None:
    """Answer every card once (Easy: it graduates), so each has a review, an interval and a due date."""
    from anki.scheduler.v3 import CardAnswer

    col.decks.select(col.decks.id_for_name("Study deck"))
    for _ in range(100):
        queued = col.sched.get_queued_cards(fetch_limit=1).cards
        if not queued:
            return
        card = col.get_card(queued[0].card.id)
        card.start_timer()
        col.sched.answer_card(col.sched.build_answer(card=card, states=queued[0].states, rating=CardAnswer.EASY))
    raise AssertionError("the study queue never emptied")


def card_states(col) -> dict:
    """(note GUID, card ord) → what studying left: interval, due, reviews, review log entries."""
    rows = col.db.all("select n.guid, c.ord, c.ivl, c.due, c.reps, (select count() from revlog r where r.cid = c.id)"
                      " from cards c join notes n on n.id = c.nid")
    return {(guid, ord_): (ivl, due, reps, logged) for guid, ord_, ivl, due, reps, logged in rows}


def note_of(col, card_id: str):
    import genanki

    return col.get_note(col.db.scalar("select id from notes where guid = ?", genanki.guid_for("study", card_id)))


@pytest.fixture
def studied(tmp_path, collection, monkeypatch):
    """v1 built, imported and studied; one untouched note edited inside Anki; the builds in one second."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(time.time())))
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "study.yaml").write_text(V1)
    [written] = build([tmp_path / "cards"], tmp_path / "build")
    assert len(import_package(collection, written.path).new) == 11
    study_everything(collection)
    note = note_of(collection, "kept-by-user")
    note["Back"] = "Calcium absorption (my own words)"
    collection.update_note(note)
    return tmp_path, collection


def test_every_edit_an_author_makes_reaches_anki_and_no_review_is_lost(studied, monkeypatch):
    project, col = studied
    before = card_states(col)
    assert all(reps == 1 and logged == 1 and ivl > 0 for ivl, due, reps, logged in before.values())
    (project / "cards" / "study.yaml").write_text(V2)
    monkeypatch.setattr(notetypes, "stylesheet", lambda: (notetypes.files("deckbuilder.anki") / "card.css").read_text()
                        + NEW_CSS)
    [(expected, _, _)] = plan([project / "cards"], project / "build")
    [written] = build([project / "cards"], project / "build")
    log = import_package(col, written.path)

    counts = {"new": len(log.new), "updated": len(log.updated), "unchanged": len(log.duplicate)}
    assert counts == expected.anki_counts() == {"new": 1, "updated": 8, "unchanged": 3}
    assert not log.conflicting
    guids = col.db.list("select guid from notes")
    assert len(guids) == len(set(guids)) == 12  # 11 studied + 1 added, nothing duplicated
    after = card_states(col)
    assert {key: after[key] for key in before} == before  # every review, interval and due kept
    assert set(after) - set(before) == {(note_of(col, "cloze-grow").guid, 1), (note_of(col, "added").guid, 0)}

    assert note_of(col, "front-edit")["Front"] == "What does vitamin K2 do?"
    assert note_of(col, "back-edit")["Back"] == "Into bones and teeth"
    assert note_of(col, "retagged").tags == ["co-factors", "pairs", "study::intro", "study::kind::fact"]
    mover = note_of(col, "mover")
    assert ("study::more" in mover.tags, mover["Section"]) == (True, "§2 More on co-factors")
    assert note_of(col, "k2-mgp")["Section"] == "§2 More on co-factors"
    assert NEW_CSS.strip() in col.models.by_name("deckbuilder Basic")["css"]
    assert {(change.name, change.change) for change in expected.note_types} == {
        (f"deckbuilder {name}", "in place") for name in ("Basic", "Basic (and reversed card)", "Type-in answer",
                                                         "Cloze", "Relationship")}

    assert {entry.id.nid for entry in log.duplicate} == {note_of(col, card_id).id for card_id in
                                                      ("kept-by-user", "both-ways", "typed")}
    assert note_of(col, "kept-by-user")["Back"] == "Calcium absorption (my own words)"

    removed = note_of(col, "removed")
    assert removed.tags == ["study::retired"]
    assert col.find_notes("tag:study::retired") == [removed.id]
    assert "Removed from the source of this deck" in col.get_card(removed.card_ids()[0]).question()
    assert not col.get_empty_cards().notes


def test_a_rebuild_without_changes_is_byte_identical_and_changes_nothing_in_anki(studied):
    project, col = studied
    (project / "cards" / "study.yaml").write_text(V2)
    [written] = build([project / "cards"], project / "build")
    import_package(col, written.path)
    package, lock = written.path.read_bytes(), (project / "cards" / "study.lock").read_bytes()
    monkeypatch_epoch = str(int(time.time()) + 3600)  # even an hour later: nothing changed, nothing to stamp
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", monkeypatch_epoch)
        [again] = build([project / "cards"], project / "build", speed=Speed(reuse=False))
    assert (again.path.read_bytes(), (project / "cards" / "study.lock").read_bytes()) == (package, lock)
    log = import_package(col, again.path)
    assert (len(log.new), len(log.updated), len(log.conflicting), len(log.duplicate)) == (0, 0, 0, 12)


def test_two_builds_in_one_second_still_update_a_changed_note(tmp_path, collection, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "study.yaml").write_text(V1)
    [first] = build([tmp_path / "study.yaml"], tmp_path / "build")
    import_package(collection, first.path)
    (tmp_path / "study.yaml").write_text(V1.replace("back: Bones", "back: Into bones"))
    [second] = build([tmp_path / "study.yaml"], tmp_path / "build")
    log = import_package(collection, second.path)
    assert (len(log.updated), len(log.duplicate)) == (1, 10)
    assert note_of(collection, "back-edit")["Back"] == "Into bones"


def test_pruning_retired_notes_drops_them_from_package_and_lock_but_not_from_anki(studied):
    project, col = studied
    (project / "cards" / "study.yaml").write_text(V2)
    build([project / "cards"], project / "build")
    [pruned] = build([project / "cards"], project / "build", options=prune())
    assert "removed" not in (project / "cards" / "study.lock").read_text()
    log = import_package(col, pruned.path)
    assert len(log.new) == 1 and note_of(col, "removed")["Front"] == "A card to drop"


def prune():
    from deckbuilder.pipeline.build import ReleaseOptions

    return ReleaseOptions(prune_retired=True)


def test_the_lock_file_diffs_by_note(studied):
    """One line per note: an edit to one card changes one line of the lock file."""
    project, _ = studied
    lock = project / "cards" / "study.lock"
    before = lock.read_text().splitlines()
    (project / "cards" / "study.yaml").write_text(V1.replace("back: Bones", "back: Into bones"))
    build([project / "cards"], project / "build")
    after = lock.read_text().splitlines()
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert len(before) == len(after) and len(changed) == 1 and '"back-edit"' in changed[0][1]



def test_a_removed_card_put_back_comes_back_to_life_with_its_reviews(studied):
    project, col = studied
    before = card_states(col)
    removed = note_of(col, "removed")
    (project / "cards" / "study.yaml").write_text(
        V1.replace("      - {id: removed, front: A card to drop, back: Dropped}\n", ""))
    [retired] = build([project / "cards"], project / "build")
    import_package(col, retired.path)
    assert note_of(col, "removed").tags == ["study::retired"]
    (project / "cards" / "study.yaml").write_text(V1)
    [restored] = build([project / "cards"], project / "build")
    log = import_package(col, restored.path)
    assert (len(log.updated), len(log.new)) == (1, 0)
    back = note_of(col, "removed")
    assert (back.id, back.tags, back["Notice"]) == (removed.id, ["study::intro", "study::kind::fact"], "")
    assert card_states(col) == before
