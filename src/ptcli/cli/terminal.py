"""The guided session's terminal: key presses and answers in, a calm live display out.

Input: on a terminal, single keys (cbreak mode, no echo) while the exercise runs and
typed lines for questions; from a pipe, one line per question and no keys. Output: a
Rich live panel on a colour terminal; plain lines when the output is not a terminal or
NO_COLOR is set (scripts, screen readers, logs).
"""

import os
import select
import sys
import termios
import time
import tty
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TextIO

from ptcli.cli.values import SCORES
from ptcli.domain.models import Extent
from ptcli.render.words import visible

ENTER = "\n"
PLACES = "/".join(Extent.labels())


class NoAnswer(Exception):
    """Enter at a question that may be left unanswered."""


class Keys:
    """What the patient presses or answers."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdin
        self.interactive = self.stream.isatty()
        reconfigure = getattr(self.stream, "reconfigure", None)
        if reconfigure is not None:  # bytes that are not UTF-8: an answer to ask again
            reconfigure(errors="replace")
        self._cbreak = False

    @contextmanager
    def live(self) -> Iterator[None]:
        """Single keys without Enter or echo while an exercise runs (Ctrl-C still interrupts)."""
        if not self.interactive:
            yield
            return
        fd = self.stream.fileno()
        saved = termios.tcgetattr(fd)
        tty.setcbreak(fd)
        self._cbreak = True
        try:
            yield
        finally:
            self._cbreak = False
            with suppress(termios.error):  # a closed terminal: nothing to restore
                termios.tcsetattr(fd, termios.TCSADRAIN, saved)

    def key(self, timeout: float | None) -> str | None:
        """A key pressed within ``timeout`` seconds (None: wait), Enter as "\\n"; None if none.

        From a pipe there are no keys: it just waits out the time.
        """
        if not self.interactive or not self._cbreak:
            if timeout:
                time.sleep(timeout)
            return None
        ready, _, _ = select.select([self.stream], [], [], timeout)
        if not ready:
            return None
        char = os.read(self.stream.fileno(), 1).decode(errors="replace")
        if char in ("", "\x04"):  # the terminal closed, or Ctrl-D: the end of input
            raise EOFError
        return ENTER if char in "\r\n" else char.lower()

    def line(self, prompt: str) -> str | None:
        """One answer: typed (with echo) on a terminal, the next line of a pipe; None at the end."""
        prompt = fit(prompt)
        if self.interactive:
            # input(prompt) would write the prompt to stderr (no readline): keep it on stdout.
            print(prompt, end="", flush=True)
            try:
                return input()
            except EOFError:
                return None
        print(prompt, end="", flush=True)
        text = self.stream.readline()
        if not text:
            print()
            return None
        print(visible(text.rstrip("\n")))  # echo, so a transcript reads like the terminal
        return text.rstrip("\n")

    def choice(self, prompt: str, keys: str, say: Callable[[str], None]) -> str | None:
        """One of ``keys`` (Enter as "\\n"): a single key press on a terminal, as inside an
        exercise; the next line of a pipe. None when input ends."""
        if not self.interactive:
            while True:
                answer = self.line(prompt)
                if answer is None:
                    return None
                answer = answer.strip().lower() or ENTER
                if answer in keys:
                    return answer
                say(f"Please press {_key_names(keys)}.")
        print(prompt, end="", flush=True)
        with self.live():
            while True:
                key = self.key(None)
                if key is not None and key in keys:
                    break
        print("Enter" if key == ENTER else key, flush=True)  # what was pressed, as an echo
        return key

    def score(
        self,
        prompt: str,
        default: int | None,
        say: Callable[[str], None],
        blank_skips: bool = False,
    ) -> int | None:
        """A pain score 0-10; Enter takes ``default``; None when input ends with no default.

        With ``blank_skips`` and no default, Enter raises NoAnswer (nothing to log)."""
        shown = f" [{default}]" if default is not None else " (Enter: skip)" if blank_skips else ""
        while True:
            answer = self.line(f"{prompt}{shown}: ")
            if answer is None:
                return default
            text = answer.strip()
            if not text and default is not None:
                return default
            if not text and blank_skips:
                raise NoAnswer
            # ASCII digits only: '²' and '①' are digits to str.isdigit, and int() of a
            # number thousands of digits long raises
            if text in SCORES:
                return int(text)
            say("Please type a whole number from 0 to 10.")

    def yes_no(self, prompt: str, say: Callable[[str], None]) -> bool | None:
        """Yes (True) or no (False), asked again until it is one; None when input ends."""
        while True:
            answer = self.line(prompt)
            if answer is None:
                return None
            if answer.strip().lower() in ("y", "yes", "n", "no"):
                return answer.strip().lower().startswith("y")
            say("    Please answer y or n.")

    def where(
        self,
        prompt: str,
        default: Extent | None,
        say: Callable[[str], None],
        unchanged: bool = False,
    ) -> Extent | None:
        """How far the pain reaches; Enter takes ``default`` (None when input ends)."""
        label = default.label if default is not None else None
        if unchanged and label:
            shown = f" ({PLACES}) [Enter: unchanged, {label}]"
        else:
            shown = f" ({PLACES})" + (f" [{label}]" if label else "")
        while True:
            answer = self.line(f"{prompt}{shown}: ")
            if answer is None or not answer.strip():
                if default is not None or answer is None:
                    return default
                say(f"Please type one of: {PLACES.replace('/', ', ')}.")
                continue
            try:
                return Extent.parse(answer)
            except ValueError:
                say(f"Please type one of: {PLACES.replace('/', ', ')}.")


def fit(prompt: str) -> str:
    """``prompt`` wrapped at spaces to the terminal's width, continued under its text
    (past a number such as ' 6. '), the trailing space kept for the answer."""
    import re
    import shutil

    width = shutil.get_terminal_size().columns - 1
    if len(prompt) <= width:
        return prompt
    import textwrap

    lead = re.match(r"\s*(\d+\.\s+)?", prompt)
    indent = " " * (lead.end() if lead else 0)
    lines = textwrap.wrap(
        prompt.rstrip(" "),
        width,
        subsequent_indent=indent,
        break_long_words=False,  # an id or a word is never cut: it may overflow instead
        break_on_hyphens=False,
    )
    return "\n".join(lines) + (" " if prompt.endswith(" ") else "")


def _key_names(keys: str) -> str:
    names = ["Enter" if key == ENTER else key for key in keys]
    return ", ".join(names[:-1]) + " or " + names[-1]


def fancy(stream: TextIO | None = None) -> bool:
    """Colour and a live display: only on a terminal, and never with NO_COLOR set."""
    out = stream or sys.stdout
    return out.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def terminal_bell(stream: TextIO | None = None) -> bool:
    """A bell can sound: the output is a terminal that is not 'dumb'."""
    return (stream or sys.stdout).isatty() and os.environ.get("TERM") != "dumb"


def console(live: bool) -> Any:
    """Rich's console for the live display; plain lines otherwise (Rich's import alone
    costs about as much as the rest of a guided session's start)."""
    if not live:
        return PlainConsole()
    from rich.console import Console

    return Console(highlight=False, no_color=not live, force_terminal=live or None)


def wrap(text: str, indent: int) -> str:
    """``text`` wrapped at spaces to the terminal's width, lines after the first indented
    by ``indent`` (a list's line: a date or a name stays at the left edge)."""
    import shutil
    import textwrap

    width = max(shutil.get_terminal_size().columns - 1, indent + 20)
    lines = textwrap.wrap(
        text,
        width,
        subsequent_indent=" " * indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(lines)


class PlainConsole:
    """The little of Rich's Console that the guide uses off a live display: whole lines
    (a log or a screen reader wraps them), no styles, no markup, no emoji codes."""

    def print(self, text: str, style: str | None = None, **_: Any) -> None:
        print(text, flush=True)  # as Rich does: a line is seen as soon as it is said

    def bell(self) -> None:
        sys.stdout.write("\a")
        sys.stdout.flush()
