"""Cover pictures: fetched where the source has one, kept small on the Pi, never a half file,
never a reason for a look-up to fail."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kiosk.desk import covers
from kiosk.desk.lookup import Lookup
from kiosk.errors import SourceFailed
from tests.desk.conftest import SAMS, desk_config
from tests.desk.stand_ins import cover_jpeg


def test_a_found_books_cover_is_kept_small_next_to_the_cache(tmp_path, stand_ins):
    stand_ins.add_book(**SAMS)
    with Lookup(desk_config(tmp_path, stand_ins)) as desk:
        facts = desk.find("9783789142062").facts
    path = covers.cover_path(desk.config, "9783789142062")
    assert facts.cover == "9783789142062.jpg" == path.name
    assert path.parent == tmp_path / "data" / "covers"
    with Image.open(path) as picture:
        assert picture.format == "JPEG" and picture.height == covers.HEIGHT
    assert path.stat().st_size < 20_000


def test_a_book_without_a_cover_is_found_all_the_same(tmp_path, stand_ins):
    stand_ins.add_book(**{**SAMS, "cover": False})
    with Lookup(desk_config(tmp_path, stand_ins)) as desk:
        finding = desk.find("9783789142062")
    assert finding.found and finding.facts.cover == ""
    assert covers.cover_path(desk.config, "9783789142062") is None


@pytest.mark.parametrize("mode", ["slow", "garbage", "html", "error", "huge"])
def test_a_broken_cover_service_never_fails_the_look_up_nor_leaves_a_file(tmp_path, stand_ins, mode):
    stand_ins.add_book(**SAMS)
    stand_ins.modes["covers"] = mode
    with Lookup(desk_config(tmp_path, stand_ins, timeout_s=1.0)) as desk:
        finding = desk.find("9783789142062")
    assert finding.facts.title == "Eine Woche voller Samstage" and finding.facts.cover == ""
    assert list((tmp_path / "data").glob("covers/*")) == []


def test_a_removed_cover_is_no_longer_named(tmp_path, stand_ins):
    stand_ins.add_book(**SAMS)
    with Lookup(desk_config(tmp_path, stand_ins)) as desk:
        desk.find("9783789142062")
        covers.cover_path(desk.config, "9783789142062").unlink()
        assert desk.find("9783789142062").facts.cover == ""


def picture(size, kind="PNG", mode="1") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize("data", [
    picture((6000, 5000)),               # 30 megapixels in a few KB: refused before decoding
    picture((1, 1), "GIF", "L"),         # a placeholder pixel
    b"%PDF-1.4 not a picture",
    cover_jpeg()[:200],                  # cut off
    b"",
])
def test_what_is_no_sensible_picture_is_refused(data):
    with pytest.raises(SourceFailed):
        covers.shrink(data)


def test_a_cover_path_is_only_ever_an_isbn13(tmp_path, stand_ins):
    config = desk_config(tmp_path, stand_ins)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "secret.jpg").write_bytes(b"x")
    for name in ("../secret", "9783789142062/../../secret", "", "97837891420620"):
        assert covers.cover_path(config, name) is None
