"""Read aloud: the current screen's main text, spoken offline by espeak-ng in the chosen language.

One utterance at a time: a new one (or `stop()`) ends the one before. If
espeak-ng is not installed the button still works and nothing is heard; the
log says once how to fix it (`sudo apt install espeak-ng`).
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess

from kiosk.languages import BY_CODE

log = logging.getLogger(__name__)

RATE_WPM = 140          # a little slower than espeak's default 175, for people who read little
MAX_CHARS = 1500
# A short vowel or tanween written before the shadda of its letter. Unicode's normal order puts
# the shadda last (NFC does), but espeak-ng then drops the vowel: "قَرِّبْ" comes out [qarrb].
_VOWEL_BEFORE_SHADDA = re.compile("([\u064b-\u0650\u0652])\u0651")


def for_voice(text: str) -> str:
    """`text` as espeak-ng reads it right: each shadda before its letter's vowel."""
    return _VOWEL_BEFORE_SHADDA.sub("\u0651\\1", text)[:MAX_CHARS]


class Speaker:
    """Speaks text with espeak-ng in a child process (never blocks the UI)."""

    def __init__(self, program: str | None = None):
        self.program = program or shutil.which("espeak-ng") or shutil.which("espeak")
        self._process: subprocess.Popen | None = None
        self._warned = False
        self.last: tuple[str, str] | None = None     # (lang, text) of the last request, for tests

    @property
    def available(self) -> bool:
        return bool(self.program)

    def command(self, text: str, lang: str) -> list[str]:
        return [self.program or "espeak-ng", "-v", BY_CODE[lang].voice if lang in BY_CODE else lang, "-s", str(RATE_WPM), "--", for_voice(text)]

    def say(self, text: str, lang: str) -> None:
        self.stop()
        self.last = (lang, text)
        if not text.strip():
            return
        if not self.program:
            if not self._warned:
                log.warning("read aloud needs espeak-ng: sudo apt install espeak-ng")
                self._warned = True
            return
        try:
            self._process = subprocess.Popen(self.command(text, lang), stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as exc:
            log.warning("could not start %s: %s", self.program, exc)

    def speaking(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(1)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
