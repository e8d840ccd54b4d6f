"""The name Anki gives a file it stores under a name it already holds with other bytes, as push reads it back
(deckbuilder.push.media.hashed_name), held to what Anki's own media code does with the `anki` package."""

from __future__ import annotations

import hashlib

import pytest

from deckbuilder.push.media import hashed_name


@pytest.mark.parametrize("name", [
    "femur bone.png",
    "no extension",
    "archive.tar.gz",
    "a very long extension.abcdefghijklmnop",
    "ü" * 50 + ".png",  # 100 bytes of two-byte letters: the stem is cut at a letter's end
    "x" * 75 + "ß.jpeg",
])
def test_the_renamed_name_is_the_one_anki_gives(collection, name):
    collection.media.write_data(name, b"the file Anki has")
    other = b"the package's file of the same name"
    assert collection.media.write_data(name, other) == hashed_name(name, hashlib.sha1(other).hexdigest())
