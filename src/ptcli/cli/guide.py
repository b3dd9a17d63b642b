"""ptcli session start: lead the patient through today's routine, saving as it goes.

Order: check-in (pain now and where; the emergency questions when none were answered
in the last 7 days), then each exercise (steps, a get-ready count, holds counted down,
repetitions at a steady pace, rests, each side in turn), "where is the pain now?" after
each McKenzie exercise (the stop rule applied at once), and a check-out.

Every set is saved the moment it ends, as one session entry per exercise rewritten in
place (``partial`` until its last set), so Ctrl-C, a closed terminal or a crash never
loses what was done and never duplicates it.
"""

from collections.abc import Sequence
from typing import Any, NamedTuple

from ptcli.cli.terminal import ENTER, Keys, console, fancy, terminal_bell
from ptcli.domain.guide import SIDES, Phase, phases, seconds_of
from ptcli.domain.models import Extent, RoutineItem, SessionEntry
from ptcli.errors import BadInput, PtcliError
from ptcli.render import words

TICK_S = 0.2  # how often the live display redraws and keys are read
KEY_HELP = "Enter next · s skip · p pause · q finish early · Ctrl-C stop"


def _clock(seconds: float) -> str:
    """A countdown as '0:45' or '2:00' (whole seconds, rounded up)."""
    whole = int(seconds + 0.999)
    return f"{whole // 60}:{whole % 60:02d}"


class Skip(Exception):
    """The patient skipped the rest of this exercise."""


class Finish(Exception):
    """The patient finished the session early (q), with what the exercise had done."""

    def __init__(self, outcome: "Outcome | None" = None) -> None:
        self.outcome = outcome


class Stopped(Finish):
    """Ctrl-C or a closed terminal in the middle of an exercise."""


class Outcome(NamedTuple):
    item: RoutineItem
    entry: SessionEntry | None  # None: nothing done
    note: str = ""


class Guide:
    def __init__(self, ws: Any, pace: float, quiet: bool) -> None:
        self.ws = ws
        self.pace = pace
        self.keys = Keys()
        self.live = fancy()
        self.out = console(self.live)
        self.bell = not quiet and terminal_bell()
        self.where: Extent | None = None  # the last known extent of the pain
        self.score: int | None = None
        self.total_s = 0
        self.done_s = 0

    # The session

    def run(self, ids: Sequence[str]) -> None:
        from ptcli import services
        from ptcli.cli.safety import stop_for_emergency

        for exercise_id in ids:  # unknown ids fail before anything is asked or written
            self.ws.exercise(exercise_id)
        stop_for_emergency(services.active_flags(self.ws))  # before anything is asked
        _, items = self.check_in(ids)
        # A routine is blocked exactly when an emergency flag is active: this stops it.
        stop_for_emergency(services.active_flags(self.ws))  # raised by the check-in
        if not items:
            raise PtcliError("nothing to do today: see 'ptcli today --explain'")
        queue = list(items)
        self.total_s = sum(seconds_of(self._timeline(item)) for item in queue)
        outcomes: list[Outcome] = []
        try:
            while queue:
                item = queue.pop(0)
                outcome = self.exercise(item, len(outcomes) + 1, len(outcomes) + 1 + len(queue))
                outcomes.append(outcome)
                if outcome.entry is not None and item.exercise.category == "mckenzie":
                    outcome, queue = self.after_mckenzie(outcome, queue)
                    outcomes[-1] = outcome
        except (Finish, KeyboardInterrupt, EOFError) as stop:
            if isinstance(stop, Finish) and stop.outcome is not None:
                outcomes.append(stop.outcome)
            if not isinstance(stop, Finish) or isinstance(stop, Stopped):
                self.summary(outcomes, stopped=True)
                raise KeyboardInterrupt from None
            self.say("Finishing early.")
        self.check_out(outcomes)

    def check_in(self, ids: Sequence[str]) -> tuple[Any, list[RoutineItem]]:
        from ptcli import services

        last = services.last_pain_today(self.ws)
        self.say("Before you start: how is your pain now?")
        score = self.ask_score("Pain now, 0-10", last.score if last else None)
        where = self.ask_where("Where does it reach", last.where if last else None)
        if services.emergency_check_due(self.ws):
            self.emergency_questions()
        self.score, self.where = score, where
        return services.check_in(self.ws, score, where, ids)

    def emergency_questions(self) -> None:
        """The six emergency questions, each answer saved as it is given (answers as given):
        a yes shows the emergency advice at once, and input that ends early keeps them."""
        from ptcli import services
        from ptcli.cli.safety import answer_as_given, stop_for_emergency
        from ptcli.domain.safety import EMERGENCY

        self.say("A few safety questions first (new or worsening symptoms):")
        questions = services.screen_questions(self.ws, EMERGENCY)
        screen = answer_as_given(
            self.ws,
            services.new_screen(self.ws, None),
            questions,
            self.ask_yes_no,
            say=lambda text: self.say(text.strip(), style="bold red"),
        )
        answered = len(screen.yes) + len(screen.no)
        if answered < len(questions):
            stop_for_emergency(services.active_flags(self.ws))
            if not answered:
                raise BadInput(
                    "the safety questions need a yes or no each; nothing was started "
                    "(or answer them first with 'ptcli screen')"
                )
            raise BadInput(
                f"input ended after {answered} of {len(questions)} safety answers: those are "
                "saved; nothing was started; run 'ptcli screen' again to finish"
            )

    def exercise(self, item: RoutineItem, number: int, count: int) -> Outcome:
        exercise = item.exercise
        self.say("")
        self.say(f"Exercise {number} of {count}: {exercise.name}", style="bold")
        self.say(words.dose(item).capitalize() + ".")
        for step_number, step in enumerate(exercise.steps, 1):
            self.say(f"  {step_number}. {step}")
        timeline = self._timeline(item)
        choice = self.choose("Enter to start, s to skip, q to finish")
        if choice == "s":
            self.done_s += seconds_of(timeline)
            return Outcome(item, None, "skipped")
        if choice == "q":
            raise Finish
        entry: SessionEntry | None = None
        done_before = self.done_s
        try:
            with self.keys.live(), self._display() as show:
                shortest = item.hold_s or 0  # a hold ended early with Enter is logged as held
                for phase in timeline:
                    lasted = self.wait(phase, item, number, count, show)
                    if phase.kind == "hold":
                        shortest = min(shortest, max(1, lasted))
                    if phase.ends_set:
                        entry = self.save_set(item, entry, phase.set, shortest or None)
                        if not self.live:
                            self.say(f"Set {phase.set} of {item.sets}: done.")
        except Skip:
            self.done_s = done_before + seconds_of(timeline)
            return Outcome(item, entry, "skipped part" if entry else "skipped")
        except Finish:
            raise Finish(Outcome(item, entry, "finished early") if entry else None) from None
        except (KeyboardInterrupt, EOFError):
            raise Stopped(Outcome(item, entry, "stopped")) from None
        if entry is None:  # cannot happen: every timeline ends a set
            return Outcome(item, None, "skipped")
        self.say(f"Done: {self._amount(entry)}.")
        return Outcome(item, entry)

    def save_set(
        self, item: RoutineItem, entry: SessionEntry | None, sets_done: int, hold_s: int | None
    ) -> SessionEntry:
        from ptcli import records, services

        if entry is None:
            entry = SessionEntry(
                id=records.new_id(),
                at=self.ws.now,
                exercise=item.exercise.id,
                sets=sets_done,
                reps=item.reps,
                hold_s=item.hold_s,
                pain_after=None,
                where_after=None,
            )
        entry = entry._replace(sets=sets_done, hold_s=hold_s, partial=sets_done < item.sets)
        saved: SessionEntry = services.save_progress(self.ws, entry)
        return saved

    def after_mckenzie(
        self, outcome: Outcome, queue: list[RoutineItem]
    ) -> tuple[Outcome, list[RoutineItem]]:
        """Ask where the pain is now; if it spread, apply the stop rule (M2) at once."""
        from ptcli import services
        from ptcli.domain.spreading import ruled_out_by

        assert outcome.entry is not None
        where = self.ask_where("Where is the pain now", self.where, unchanged=True)
        entry = services.save_progress(self.ws, outcome.entry._replace(where_after=where))
        spread = services.spread_after(self.ws, entry)
        if where is not None:
            self.where = where
        if not spread:
            return outcome._replace(entry=entry), queue
        exercise = outcome.item.exercise
        dropped = [item for item in queue if ruled_out_by(exercise, item.exercise)]
        self.say(
            f"Stop: the pain spread further down your leg (to the {words.extent(where)}) "
            f"after {exercise.name}. It and harder {exercise.direction} exercises are left out "
            "today and for the next two days; tell your therapist.",
            style="bold red",
        )
        for item in dropped:
            self.say(f"  Left out: {item.exercise.name}")
            self.done_s += seconds_of(self._timeline(item))
        kept = [item for item in queue if item not in dropped]
        return outcome._replace(entry=entry, note="pain spread"), kept

    def check_out(self, outcomes: list[Outcome]) -> None:
        from ptcli import services

        done = [o.entry for o in outcomes if o.entry is not None]
        self.say("")
        if done:
            self.say("All done. How is your pain now?")
            score = self.ask_score("Pain now, 0-10", self.score)
            where = self.ask_where("Where does it reach", self.where, unchanged=True)
            services.check_out(self.ws, score, where, done)
        self.summary(outcomes, stopped=False)

    def summary(self, outcomes: list[Outcome], stopped: bool) -> None:
        self.say("")
        self.say("Session stopped." if stopped else "Session summary:", style="bold")
        for outcome in outcomes:
            entry, name = outcome.entry, outcome.item.exercise.name
            if entry is None:
                self.say(
                    f"  - {name}: {'stopped before a set was done' if outcome.note == 'stopped' else 'skipped'}"
                )
                continue
            done = self._amount(entry)
            part = f" ({entry.sets} of {outcome.item.sets} sets: partial)" if entry.partial else ""
            extra = f"; {outcome.note}" if outcome.note == "pain spread" else ""
            self.say(f"  - {name}: {done}{part}{extra}")
        saved = sum(1 for o in outcomes if o.entry is not None)
        self.say(f"Saved {saved} exercise{'s' if saved != 1 else ''} to your log.")

    # Time and keys

    def wait(self, phase: Phase, item: RoutineItem, number: int, count: int, show: Any) -> int:
        """Let one phase run its time (times the pace), reacting to keys as it goes.

        Returns the seconds it lasted, in the exercise's own time (Enter ends it early).
        """
        import time

        if not self.live:
            self._announce(phase, item)
        end = time.monotonic() + phase.seconds * self.pace
        lasted = phase.seconds
        while True:
            left = max(0.0, end - time.monotonic())
            show(self._status(phase, item, number, count, left))
            if left <= 0:
                break
            key = self.keys.key(min(TICK_S, left))
            if key == ENTER:
                lasted = phase.seconds - int(left / self.pace)
                break
            if key == "s":
                raise Skip
            if key == "q":
                raise Finish
            if key == "p":
                paused_at = time.monotonic()
                show(self._status(phase, item, number, count, left, paused=True))
                if not self.live:
                    self.say("Paused: p or Enter to go on.")
                while self.keys.key(None) not in ("p", ENTER):
                    pass
                end += time.monotonic() - paused_at
        self.done_s += phase.seconds
        if phase.kind == "hold" and self.bell:
            self.out.bell()
        return lasted

    def _amount(self, entry: SessionEntry) -> str:
        per_side = self.ws.exercise(entry.exercise).dose.per_side
        return words.amount(entry.sets, entry.reps, entry.hold_s, per_side)

    def _timeline(self, item: RoutineItem) -> list[Phase]:
        return phases(item.sets, item.reps, item.hold_s, item.exercise.dose.per_side)

    def _status(
        self,
        phase: Phase,
        item: RoutineItem,
        number: int,
        count: int,
        left: float,
        paused: bool = False,
    ) -> Any:
        from rich.panel import Panel
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        side = f" · {phase.side} side" if phase.side else ""
        what = {
            "ready": "Get ready",
            "switch": f"Now the other side: {phase.side}",
            "hold": f"Hold {phase.rep} of {item.reps}" if item.reps > 1 else "Hold",
            "relax": "Relax",
            "rep": f"Repetition {phase.rep} of {item.reps}",
            "rest": "Rest",
        }[phase.kind]
        grid = Table.grid(padding=(0, 2))
        grid.add_column(justify="left")
        left_s = left / self.pace if self.pace else 0.0  # in the exercise's own time
        grid.add_row(f"Set {phase.set} of {item.sets}{side}")
        clock = "" if phase.kind == "rep" else "  " + _clock(left_s)
        grid.add_row(f"[bold]{what}[/]{clock}")
        if paused:
            grid.add_row("[bold yellow]Paused: p or Enter to go on[/]")
        elif phase.kind == "rest":
            grid.add_row(f"Set {phase.set} saved. Next: set {phase.set + 1} of {item.sets}")
        else:
            grid.add_row("")
        done = self.done_s + phase.seconds - left_s
        share = min(done / self.total_s, 1.0) if self.total_s else 1.0
        bar = Table.grid(padding=(0, 1))
        bar.add_row(
            ProgressBar(total=1.0, completed=share, width=40, style="grey50"),
            f"session {share:.0%}",
        )
        grid.add_row(bar)
        grid.add_row(f"[dim]{KEY_HELP}[/]")
        name = words.visible(item.exercise.name)
        title = Text(f"Exercise {number} of {count}: {name}", style="bold")
        return Panel(grid, title=title, title_align="left", border_style="cyan", expand=False)

    def _display(self) -> Any:
        from contextlib import contextmanager

        @contextmanager
        def plain() -> Any:
            yield lambda renderable: None

        if not self.live:
            return plain()
        from rich.live import Live

        @contextmanager
        def live() -> Any:
            with Live(console=self.out, auto_refresh=False, transient=True) as display:
                yield lambda renderable: display.update(renderable, refresh=True)

        return live()

    def _announce(self, phase: Phase, item: RoutineItem) -> None:
        """Without the live panel, a line as each phase starts (for a screen reader or a log)."""
        time = words.duration(phase.seconds)
        side = f" ({phase.side} side)" if phase.side else ""
        if phase.kind == "ready":
            self.say(f"Get ready{side}: {time}.")
        elif phase.kind == "switch":
            self.say(f"Now the other side: {phase.side}. Get ready: {time}.")
        elif phase.kind == "hold":
            first = phase.rep == 1 and phase.side in (None, SIDES[0]) and item.sets > 1
            which = f" {phase.rep} of {item.reps}" if item.reps > 1 else ""
            self.say(f"{f'Set {phase.set} of {item.sets}. ' if first else ''}Hold{which}: {time}.")
        elif phase.kind == "rep" and phase.rep == 1:
            self.say(
                f"Set {phase.set} of {item.sets}{side}: {item.reps} repetitions, "
                f"one every {time} (Enter: the next one now)."
            )
        elif phase.kind == "rest":
            self.say(f"Rest: {time}.")

    # Questions

    def say(self, text: str, style: str | None = None) -> None:
        # Plain output keeps each line whole (a log or a screen reader wraps it).
        # Names and steps come from a catalogue: shown, never obeyed (no escapes, no markup).
        self.out.print(
            words.visible(text, lines=True),
            style=style if self.live else None,
            markup=False,
            soft_wrap=not self.live,
        )

    def choose(self, prompt: str) -> str:
        """Enter, s or q."""
        while True:
            answer = self.keys.line(f"{prompt}: ")
            if answer is None:  # no more answers (a pipe): the default, as Enter would
                return ENTER
            answer = answer.strip().lower()
            if answer in ("", "s", "q"):
                return answer or ENTER
            self.say("Please press Enter, s or q.")

    def ask_score(self, prompt: str, default: int | None) -> int:
        score = self.keys.score(prompt, default, self.say)
        if score is None:
            raise BadInput("the session needs your pain score (0-10) to start")
        return score

    def ask_where(
        self, prompt: str, default: Extent | None, unchanged: bool = False
    ) -> Extent | None:
        return self.keys.where(prompt, default, self.say, unchanged)

    def ask_yes_no(self, question: str) -> bool | None:
        """Yes or no; None when input ends."""
        return self.keys.yes_no(f"{question} [y/n] ", self.say)
