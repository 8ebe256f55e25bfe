"""The words the domains choose for staff (statuses, command outcomes) are in every kiosk catalog."""

from pathlib import Path

import pytest

from kiosk.ui import i18n

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
DOMAIN_WORDS = {msgid for part in ("ideas", "booth", "garden") for msgid in i18n.extract(KIOSK / part)}


def test_the_domains_word_their_outcomes():
    assert {"Not possible", "The book booth did not accept that.", "Saved: raw value {raw}."} <= DOMAIN_WORDS


@pytest.mark.parametrize("lang", i18n.LANGUAGE_NAMES)
def test_every_domain_word_has_a_translation(lang):
    catalog = i18n.load_catalog(lang)
    assert sorted(msgid for msgid in DOMAIN_WORDS | {"Done."} if not catalog._catalog.get(msgid)) == []
