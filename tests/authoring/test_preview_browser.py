"""The preview page in a real browser: Debian's Chromium, driven headless through Playwright.

Each card face on the page is compared with Anki's own card.question() / card.answer() for the same
card. Three things are made equal on both sides first, and nothing else:
- Anki's <style> block is removed (checked to be card.css; the page gives each face card.css itself);
- Anki's reviewer placeholders ([[type:Back]], [anki:play:q:0]) are filled in with preview.reviewer_view,
  the function the page is built with (an answer box and audio players, as Anki's reviewer puts there);
- both HTML strings are parsed and serialised by the same browser, so `<img … />` and `<img …>` agree.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deckbuilder.pipeline.build import compile_decks
from deckbuilder.authoring.preview import reviewer_view, write_preview
from deckbuilder.anki.templates import Face, Speech
from tests.support.decks import (ARTICLE_DECK, EVERY_TYPE_CARDS, MINIMAL_DECK, OWN_TYPES_CARDS,
                                 write_every_type_deck, write_own_types_deck)
from tests.support.environment import need
from tests.support.anki import import_package

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Every face on the page: which card it is, and the HTML inside the shadow root's #qa.
FACES_ON_PAGE = """() => [...document.querySelectorAll("article.preview-card")].map((card) => ({
    note: card.dataset.note, ord: Number(card.dataset.ord),
    front: card.querySelector(".face.front .face-host").shadowRoot.getElementById("qa").innerHTML,
    back: card.querySelector(".face.back .face-host").shadowRoot.getElementById("qa").innerHTML}))"""
# How the browser serialises an HTML fragment parsed where #qa's content is parsed (in a div).
SERIALISED = """(fragments) => fragments.map((fragment) => {
    const div = document.implementation.createHTMLDocument("").createElement("div");
    div.innerHTML = fragment;
    return div.innerHTML; })"""


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, with a fresh profile (Playwright makes one per launch)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    need(chromium is not None, "Debian's Chromium", "apt-get install chromium (as .ci/run does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser):
    """Open a page and collect everything that went wrong: console errors and warnings, uncaught
    exceptions, failed requests (a missing image)."""
    pages = []

    def open_(path, width=1000):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.troubles = []
        page.on("console", lambda message: message.type in ("error", "warning")
                and page.troubles.append(f"console {message.type}: {message.text}"))
        page.on("pageerror", lambda error: page.troubles.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda request: page.troubles.append(f"failed: {request.url} {request.failure}"))
        page.goto(path.as_uri())
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.close()


def write_page(paths, output):
    [deck] = compile_decks(paths)
    return deck, write_preview(deck, output)


def anki_faces_as_shown(col, package, css: dict[str, str] | None = None) -> dict:
    """(note GUID, ord) → Anki's front and back for every card, with the reviewer's placeholders filled in;
    `css`: note type name → the CSS its cards must start with (default: card.css)."""
    from tests.support.anki import without_style

    import_package(col, package)
    shown = {}
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        fields = dict(card.note().items())
        style = (css or {}).get(card.note_type()["name"])
        front = Face(without_style(card.question(), style), tuple(map(av_tag, card.question_av_tags())))
        back = Face(without_style(card.answer(), style), tuple(map(av_tag, card.answer_av_tags())))
        shown[card.note().guid, card.ord] = (reviewer_view(front, fields, True), reviewer_view(back, fields, False))
    return shown


def av_tag(tag):
    """A sound file's name, or what Anki reads aloud, as the preview's Face holds it."""
    if hasattr(tag, "filename"):
        return tag.filename
    return Speech(tag.field_text, tag.lang, tuple(tag.voices), tag.speed, tuple(tag.other_args))


def assert_page_shows_what_anki_shows(page, deck, col, package, css: dict[str, str] | None = None) -> int:
    faces = page.evaluate(FACES_ON_PAGE)
    guid_of = {note.card_id: note.guid for note in deck.notes}
    on_page = {(guid_of[face["note"]], face["ord"]): (face["front"], face["back"]) for face in faces}
    assert len(on_page) == len(faces), "a card is on the page twice"
    anki = anki_faces_as_shown(col, package, css)
    assert sorted(on_page) == sorted(anki), "the page shows other cards than Anki has"
    keys = sorted(anki)
    expected = page.evaluate(SERIALISED, [side for key in keys for side in anki[key]])
    for index, key in enumerate(keys):
        assert on_page[key] == (expected[2 * index], expected[2 * index + 1]), f"card {key}"
    return len(faces)


def test_article_deck_page_shows_every_card_as_anki_does(open_page, collection, tmp_path):
    from deckbuilder.pipeline.build import build

    [written] = build([ARTICLE_DECK], tmp_path)
    page = open_page(write_preview(written.deck, tmp_path))
    assert page.troubles == []
    assert assert_page_shows_what_anki_shows(page, written.deck, collection, written.path) == 163
    assert page.inner_text("#shown") == "163 of 163 cards"
    assert page.locator("section.section > h2").all_inner_texts()[:2] == [
        "Key Takeaways", "§1 Tissue Calcification: The Silent Intruder"]


def test_every_card_type_is_shown_as_anki_does(open_page, collection, tmp_path):
    from deckbuilder.pipeline.build import build

    [written] = build([write_every_type_deck(tmp_path / "cards")], tmp_path / "build")
    page = open_page(write_preview(written.deck, tmp_path / "build"))
    assert page.troubles == []
    assert assert_page_shows_what_anki_shows(page, written.deck, collection, written.path) == EVERY_TYPE_CARDS
    image = page.locator("article[data-note=basic-markdown] .face.front .face-host img")
    assert image.evaluate("img => [img.complete, img.naturalWidth]") == [True, 1], "the image is shown"
    audio = page.locator("article[data-note=sound] .face.front .face-host audio")
    assert audio.evaluate("audio => audio.src").endswith(".media/" + audio.get_attribute("src"))


def test_own_note_types_are_shown_as_anki_does(open_page, collection, tmp_path):
    from deckbuilder.pipeline.build import build

    [written] = build([write_own_types_deck(tmp_path / "cards")], tmp_path / "build")
    page = open_page(write_preview(written.deck, tmp_path / "build"))
    assert page.troubles == []
    css = {note_type.name: note_type.card_css for note_type in written.deck.note_types.values()}
    assert assert_page_shows_what_anki_shows(page, written.deck, collection, written.path, css) == OWN_TYPES_CARDS
    word = page.locator("article[data-note=haus][data-ord='0'] .face.front .face-host")
    assert word.evaluate("host => getComputedStyle(host.shadowRoot.querySelector('.word')).fontSize") == "33px"
    hint = page.locator("article[data-note=haus][data-ord='0'] .face.back .face-host")
    hint.evaluate("host => host.shadowRoot.querySelector('a.hint').click()")
    assert hint.evaluate("host => host.shadowRoot.querySelector('div.hint').style.display") == "block"
    assert page.troubles == [], "the hint opens without the card's own onclick failing"
    speak = page.locator("article[data-note=haus][data-ord='1'] .face.front .face-host")
    assert speak.evaluate("host => host.shadowRoot.querySelector('.preview-tts').dataset.text") == "das Haus"


def test_a_fresh_deck(open_page, write_file, tmp_path):
    deck, path = write_page([write_file("cards/demo.yaml", MINIMAL_DECK)], tmp_path / "build")
    page = open_page(path)
    assert page.troubles == []
    assert page.locator("article.preview-card").count() == 1
    assert page.evaluate("document.querySelectorAll('#qa').length") == 0, "cards live in shadow roots"
    front = page.locator(".face.front .face-host").evaluate("host => host.shadowRoot.textContent")
    assert front.strip() == "What is first?"


SHOWN_CARDS_TEXT = """cards => cards.map((card) => [card.dataset.note, ...[...card.querySelectorAll(".face-host")]
    .map((host) => host.shadowRoot.textContent)].join(" ").toLowerCase())"""


def search(page, text: str) -> list[str]:
    """Type into the search box; returns the text of the cards left shown."""
    page.fill("#search", text)
    shown = page.locator("article.preview-card:visible").evaluate_all(SHOWN_CARDS_TEXT)
    assert page.inner_text("#shown") == f"{len(shown)} of 117 cards"
    return shown


def test_search_filters_cards_and_hides_empty_sections(open_page, tmp_path):
    _, path = write_page([ARTICLE_DECK], tmp_path)
    page = open_page(path)
    shown = search(page, "MGP")
    assert 0 < len(shown) < 117 and all("mgp" in text for text in shown)
    assert page.locator("section.section:visible").count() < 13
    shown = search(page, "mgp   GUARD")  # every word must occur, in any case
    assert 0 < len(shown) < 10 and all("mgp" in text and "guard" in text for text in shown)
    assert search(page, "no card says this") == []
    assert page.locator("section.section:visible").count() == 0
    assert len(search(page, "")) == 117
    assert page.troubles == []


def card_style(page, note: str, side: str, property_: str) -> str:
    return page.locator(f"article[data-note={note}] .face.{side} .face-host").first.evaluate(
        f"host => getComputedStyle(host.shadowRoot.querySelector('.card')).{property_}")


def test_width_switch_gives_cards_the_phone_or_the_desktop_layout(open_page, tmp_path):
    _, path = write_page([ARTICLE_DECK], tmp_path)
    page = open_page(path, width=1280)
    host = page.locator(".face-host").first
    card_width = "host => host.shadowRoot.querySelector('.viewport').getBoundingClientRect().width"
    assert host.evaluate(card_width) == 390
    assert card_style(page, "mgp-abbreviation", "front", "fontSize") == "19px", "card.css's phone size"
    page.click("button[data-width=desktop]")
    assert host.evaluate(card_width) > 600
    assert card_style(page, "mgp-abbreviation", "front", "fontSize") == "21px", "card.css's desktop size"
    assert page.get_attribute("button[data-width=desktop]", "aria-pressed") == "true"
    page.reload()
    assert page.evaluate("document.body.dataset.width") == "desktop", "the choice survives a reload"
    assert page.troubles == []


def test_night_mode_switch_sets_the_classes_card_css_reads(open_page, tmp_path):
    _, path = write_page([ARTICLE_DECK], tmp_path)
    page = open_page(path)
    assert card_style(page, "mgp-abbreviation", "back", "backgroundColor") == "rgb(255, 255, 255)"
    page.check("#night")
    assert card_style(page, "mgp-abbreviation", "back", "backgroundColor") == "rgb(30, 30, 30)"
    classes = page.locator(".face-host").evaluate_all("hosts => hosts.map(host => ["
                                                      "host.closest('article').dataset.ord,"
                                                      "host.shadowRoot.querySelector('.card').className])")
    assert len(classes) == 234
    assert all(name == f"card card{int(ord_) + 1} nightMode night_mode" for ord_, name in classes)
    page.uncheck("#night")
    assert card_style(page, "mgp-abbreviation", "back", "backgroundColor") == "rgb(255, 255, 255)"
    assert page.troubles == []


def test_page_and_card_styles_stay_apart(open_page, tmp_path):
    _, path = write_page([ARTICLE_DECK], tmp_path)
    page = open_page(path)
    assert card_style(page, "mgp-abbreviation", "front", "fontFamily").startswith("-apple-system")
    toolbar_font = page.evaluate("getComputedStyle(document.querySelector('.toolbar h1')).fontFamily")
    assert toolbar_font == "system-ui, sans-serif"
    # card.css styles every <a> and <img>; the page's own chrome must not pick that up.
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "15px"


# The map on a card's back: both images loaded, the marking exactly over the map, shown at full size on a
# 390 px face without making the card scroll sideways, and darkened with the card in night mode.
MAP_ON_BACK = """host => {
    const map = host.shadowRoot.querySelector(".db-map");
    const [base, mark] = map.querySelectorAll("img");
    const box = (img) => { const r = img.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; };
    const card = host.shadowRoot.querySelector(".card");
    return {loaded: [base, mark].map((img) => img.complete && img.naturalWidth > 0), base: box(base),
            mark: box(mark), natural: base.naturalWidth, sideways: card.scrollWidth - card.clientWidth,
            filter: getComputedStyle(map).filter}; }"""


def test_a_relationship_cards_back_shows_the_sections_map_with_its_edge_marked(open_page, tmp_path):
    import os

    _, path = write_page([ARTICLE_DECK], tmp_path)
    page = open_page(path)  # phone width: each face 390 px wide
    section_map = page.locator('section[data-section="s04-how-body-handles-calcium"] figure.map img')
    assert section_map.evaluate("img => img.complete && img.naturalWidth > 0"), "the preview shows the map"
    for note in ("rel-vitamin-d-absorb-step", "step4-guide.potassium", "step1-digest.set"):
        back = page.locator(f'article[data-note="{note}"] .face.back .face-host').first
        shown = back.evaluate(MAP_ON_BACK)
        assert shown["loaded"] == [True, True], note
        assert shown["base"] == pytest.approx(shown["mark"], abs=0.5), "the marking lies exactly over the map"
        assert shown["base"][2] == shown["natural"] <= 366 and shown["sideways"] == 0, "full size, no scrolling"
        assert shown["filter"] == "none"
    page.set_viewport_size({"width": 1000, "height": 2400})  # the whole back in view, clear of the toolbar

    def shot(element) -> bytes:
        element.evaluate("element => element.scrollIntoView({block: 'center'})")
        return element.screenshot()

    screenshots = [("phone-light", shot(back)), ("map-phone-light", shot(section_map))]
    page.check("#night")
    assert back.evaluate(MAP_ON_BACK)["filter"] == "invert(0.9) hue-rotate(180deg)"
    assert section_map.evaluate("img => getComputedStyle(img).filter") == "invert(0.9) hue-rotate(180deg)"
    screenshots += [("phone-night", shot(back)), ("map-phone-night", shot(section_map))]
    page.click('.switch button[data-width="desktop"]')
    screenshots += [("desktop-night", shot(back))]
    page.uncheck("#night")
    screenshots += [("desktop-light", shot(back))]
    assert page.troubles == []
    keep = os.environ.get("DECKBUILDER_SCREENSHOTS")  # a folder to keep the screenshots in, to look at them
    if keep:
        for name, png in screenshots:
            (Path(keep) / f"k2-map-{name}.png").write_bytes(png)
