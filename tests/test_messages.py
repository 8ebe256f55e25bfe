"""Every typed message between services (garden, booth, station health): what a producer sends, the consumer
reads back unchanged, and any payload at all gives a message or BadMessage — never another error."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.messages import JSON, KINDS, read_or_refuse, spoiled


@pytest.mark.parametrize("cls", KINDS, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_what_a_producer_sends_the_consumer_reads_back_unchanged(cls, data):
    message = data.draw(KINDS[cls])
    assert cls.from_payload(message.to_payload()) == message


@pytest.mark.parametrize("cls", KINDS, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_any_payload_gives_a_message_or_bad_message_never_another_error(cls, data):
    read_or_refuse(cls, data.draw(JSON | spoiled(KINDS[cls])))
