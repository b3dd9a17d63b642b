"""ptcli session start: lead the patient through today's routine, saving as it goes.

Order: check-in (pain now and where; the emergency questions when none were answered
in the last 7 days), then each exercise (steps, a get-ready count, holds counted down,
repetitions at a steady pace, rests, each side in turn), "where is the pain now?" after
each McKenzie exercise (the stop rule applied at once), and a check-out.

Every set is saved the moment it ends, as one session entry per exercise rewritten in
place (``partial`` until its last set), so Ctrl-C, a closed terminal or a crash never
loses what was done and never duplicates it. A set ended early (s, q, Ctrl-C, the end of
input) is saved too, as it stands: its own ``partial`` entry with the holds or
repetitions really done (see ``Tally``). Progression never starts from a partial entry.

The check-in logs pain now only when it is new (Enter keeps today's entry); the check-out
logs it once at the end. The summary says what was saved, compares the pain before and
after, and says what to do next.
"""

from collections.abc import Sequence
from typing import Any, NamedTuple

from ptcli.cli.terminal import ENTER, Keys, NoAnswer, console, fancy, terminal_bell
from ptcli.domain.guide import SIDES, Phase, phases, seconds_of
from ptcli.domain.models import Extent, RoutineItem, SessionEntry
from ptcli.domain.monitoring import ACCEPTABLE
from ptcli.errors import BadInput, PtcliError
from ptcli.render import words

TICK_S = 0.2  # how often the live display redraws and keys are read
KEY_HELP = "Enter next · s skip · p pause · q finish early · Ctrl-C stop"
PAUSED_HELP = "p go on · s skip · q finish early · Ctrl-C stop"  # Enter does nothing here
NEXT_STEP = (
    "Next: log your pain tomorrow morning (ptcli pain log SCORE --where PLACE): "
    "it shows whether today's exercise settled."
)


def _pain(score: int, where: Extent | None) -> str:
    """'4/10, reaching the thigh'."""
    return f"{score}/10" + (f", reaching the {words.extent(where)}" if where is not None else "")


def _hung_up(signum: int, frame: Any) -> None:
    """The terminal closed: end as the end of input does (the set under way is saved),
    and let no Ctrl-C that follows (pexpect, a closing window) cut the saving short."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise EOFError


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
    whole: SessionEntry | None  # the whole sets done (None: none)
    part: SessionEntry | None = None  # a set ended part way, saved as its own entry
    note: str = ""
    part_set: int = 0  # which set ``part`` is
    sides: tuple[int, int] | None = None  # ``part``'s count on the left and right, when unequal

    @property
    def entries(self) -> list[SessionEntry]:
        return [entry for entry in (self.whole, self.part) if entry is not None]

    @property
    def partial(self) -> bool:
        return any(entry.partial for entry in self.entries)


class Tally:
    """The set under way: holds or repetitions done on each side, and each hold's seconds."""

    def __init__(self) -> None:
        self.count: dict[str | None, int] = {}
        self.held: list[int] = []

    def add(self, side: str | None, held: int | None) -> None:
        self.count[side] = self.count.get(side, 0) + 1
        if held is not None:
            self.held.append(max(1, held))


class Guide:
    noun = "Exercise"  # each heading's "Exercise 2 of 5" (``ptcli assess``: "Movement")
    whole = "session"  # the progress bar's "session 40%"

    def __init__(self, ws: Any, pace: float, quiet: bool) -> None:
        self.ws = ws
        self.pace = pace
        self.keys = Keys()
        self.live = fancy()
        self.out = console(self.live)
        self.bell = not quiet and terminal_bell()
        self.where: Extent | None = None  # the last known extent of the pain
        self.score: int | None = None
        self.before: tuple[int, Extent | None] | None = None  # pain at the check-in
        self.after: tuple[int, Extent | None] | None = None  # and at the check-out
        self.total_s = 0
        self.done_s = 0
        self.not_done: list[str] = []  # names of the exercises a stop left out
        self.elapsed = 0.0  # seconds into the phase under way, in the exercise's own time

    # The session

    def run(self, ids: Sequence[str]) -> None:
        import signal

        from ptcli import services
        from ptcli.cli.emergency import stop_for_emergency

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
        signal.signal(signal.SIGHUP, _hung_up)  # a closed terminal saves the set under way
        item = queue[0]
        try:
            while queue:
                item = queue.pop(0)
                outcome = self.exercise(item, len(outcomes) + 1, len(outcomes) + 1 + len(queue))
                outcomes.append(outcome)
                if outcome.entries and item.exercise.category == "mckenzie":
                    outcome, queue = self.after_mckenzie(outcome, queue)
                    outcomes[-1] = outcome
        except (Finish, KeyboardInterrupt, EOFError) as stop:
            if isinstance(stop, Finish) and stop.outcome is not None:
                outcomes.append(stop.outcome)
            if item not in (outcome.item for outcome in outcomes):
                queue.insert(0, item)
            self.not_done = [item.exercise.name for item in queue]
            if not isinstance(stop, Finish) or isinstance(stop, Stopped):
                self.summary(outcomes, stopped=True)
                raise KeyboardInterrupt from None
            self.say("Finishing early.")
        self.check_out(outcomes)

    def check_in(self, ids: Sequence[str]) -> tuple[Any, list[RoutineItem]]:
        """Pain now and where, logged when new: Enter keeps today's entry as it is, and
        with none today Enter logs nothing (and says so)."""
        from ptcli import services

        last = services.last_pain_today(self.ws)
        self.say("Before you start: how is your pain now?")
        score: int | None
        where: Extent | None = None
        try:
            score = self.ask_score("Pain now, 0-10", last.score if last else None, skip=True)
            if score is None:  # input ended before any answer
                raise BadInput("the session needs your pain score (0-10) to start")
        except NoAnswer:
            score = None
        if score is not None:
            where = self.ask_where("Where does it reach", last.where if last else None)
        if services.emergency_check_due(self.ws):
            self.emergency_questions()
        logged = score
        if score is None:
            self.say("Nothing logged: today's routine goes by your last pain entry.")
        elif last is not None and (score, where) == (last.score, last.where):
            logged = None
            self.say(f"Kept today's entry: {_pain(score, where)}.")
        if score is not None:
            self.before = (score, where)
        self.score, self.where = score, where
        return services.check_in(self.ws, logged, where, ids)

    def emergency_questions(self) -> None:
        """The six emergency questions, each answer saved as it is given (answers as given):
        a yes shows the emergency advice at once, and input that ends early keeps them."""
        from ptcli import services
        from ptcli.cli.emergency import stop_for_emergency
        from ptcli.cli.safety import answer_as_given
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
        self.say(f"{self.noun} {number} of {count}: {exercise.name}", style="bold")
        self.say(self.dose_line(item))
        self.show_steps(item)
        timeline = self._timeline(item)
        choice = self.choose("Enter to start, s skip, q finish")
        if choice == "s":
            self.done_s += seconds_of(timeline)
            return Outcome(item, None, note="skipped")
        if choice == "q":
            raise Finish
        whole: SessionEntry | None = None  # the whole sets, saved as each ends
        part: SessionEntry | None = None  # the set under way, when it ends part way
        stop: BaseException | None = None
        tally = Tally()
        done_before = self.done_s
        phase = timeline[0]
        with self.keys.live(), self._display() as show:
            try:
                shortest = item.hold_s or 0  # a hold ended early with Enter is logged as held
                for phase in timeline:
                    lasted = self.wait(phase, item, number, count, show)
                    if phase.kind in ("hold", "rep"):
                        tally.add(phase.side, lasted if phase.kind == "hold" else None)
                    if phase.ends_set:
                        shortest = min([shortest, *tally.held])
                        whole = self.save_set(item, whole, phase.set, shortest or None)
                        tally = Tally()
                        if not self.live:
                            self.say(f"Set {phase.set} of {item.sets}: done.")
            except (Skip, Finish, KeyboardInterrupt, EOFError) as ended:
                # Saved at once, before the terminal is touched again (it may be gone)
                if phase.kind == "hold" and not tally.held and self.elapsed >= 1:
                    tally.add(phase.side, int(self.elapsed))  # the only hold of its set: kept
                part = self.save_part(item, whole, tally, phase.set)
                stop = ended
        if stop is not None:
            sides = (tally.count.get(SIDES[0], 0), tally.count.get(SIDES[1], 0))
            uneven = item.exercise.dose.per_side and part is not None and sides[0] != sides[1]
            outcome = Outcome(item, whole, part, "stopped", phase.set, sides if uneven else None)
            if isinstance(stop, (Skip, Finish)):  # Ctrl-C: the summary follows at once
                saved = f"saved {self._saved(outcome)}" if outcome.entries else "nothing saved"
                self.say(f"{'Skipped' if isinstance(stop, Skip) else 'Stopped'}: {saved}.")
            if isinstance(stop, Skip):
                self.done_s = done_before + seconds_of(timeline)
                return outcome._replace(note="skipped part" if outcome.entries else "skipped")
            if isinstance(stop, Finish):
                raise Finish(outcome if outcome.entries else None)
            raise Stopped(outcome)
        self.say(f"Done: {self._amount(whole)}." if whole else "Done.")
        return Outcome(item, whole)

    def dose_line(self, item: RoutineItem) -> str:
        return words.dose(item).capitalize() + "."

    def save_set(
        self, item: RoutineItem, entry: SessionEntry | None, sets_done: int, hold_s: int | None
    ) -> SessionEntry:
        from ptcli import services

        if entry is None:
            entry = self._new_entry(item)
        entry = entry._replace(sets=sets_done, hold_s=hold_s, partial=sets_done < item.sets)
        saved: SessionEntry = services.save_progress(self.ws, entry)
        return saved

    def save_part(
        self, item: RoutineItem, whole: SessionEntry | None, tally: Tally, set_number: int
    ) -> SessionEntry | None:
        """Save the set under way as it stands (its own partial entry), if anything was done.

        Its repetitions are the most done on one side; when the sides differ, its note
        says how many on each. Its hold is the shortest held."""
        from ptcli import services

        if not tally.count:
            return None
        note = None
        if item.exercise.dose.per_side and len({tally.count.get(s, 0) for s in SIDES}) > 1:
            note = ", ".join(f"{side} side {tally.count.get(side, 0)}" for side in SIDES)
        entry = self._new_entry(item)._replace(
            sets=1,
            reps=max(tally.count.values()),
            hold_s=min(tally.held) if tally.held else None,
            note=f"set {set_number} of {item.sets} stopped part way"
            + (f": {note}" if note else ""),
            partial=True,
        )
        saved: SessionEntry = services.save_progress(self.ws, entry)
        return saved

    def _new_entry(self, item: RoutineItem) -> SessionEntry:
        from ptcli import records

        return SessionEntry(
            id=records.new_id(),
            at=self.ws.now,
            exercise=item.exercise.id,
            sets=item.sets,
            reps=item.reps,
            hold_s=item.hold_s,
            pain_after=None,
            where_after=None,
        )

    def after_mckenzie(
        self, outcome: Outcome, queue: list[RoutineItem]
    ) -> tuple[Outcome, list[RoutineItem]]:
        """Ask where the pain is now; if it spread, apply the stop rule (M2) at once."""
        from ptcli import services
        from ptcli.domain.spreading import ruled_out_by

        last = outcome.entries[-1]  # the latest work done
        where = self.ask_where("Where is the pain now", self.where, unchanged=True)
        entry = services.save_progress(self.ws, last._replace(where_after=where))
        if outcome.part is not None:
            outcome = outcome._replace(part=entry)
        else:
            outcome = outcome._replace(whole=entry)
        spread = services.spread_after(self.ws, entry)
        if where is not None:
            self.where = where
        if not spread:
            return outcome, queue
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
        return outcome._replace(note="pain spread"), kept

    def check_out(self, outcomes: list[Outcome]) -> None:
        from ptcli import services

        done = [entry for outcome in outcomes for entry in outcome.entries]
        self.say("")
        if done:
            whole = not self.not_done and all(o.whole and not o.partial for o in outcomes)
            self.say(f"{'All done' if whole else 'That is it for today'}. How is your pain now?")
            score = self.ask_score("Pain now, 0-10", self.score)
            if score is None:  # input ended with nothing to go by
                self.say("No pain after was logged.")
            else:
                where = self.ask_where("Where does it reach", self.where, unchanged=True)
                services.check_out(self.ws, score, where, done)
                self.after = (score, where)
        self.summary(outcomes, stopped=False)

    def summary(self, outcomes: list[Outcome], stopped: bool) -> None:
        self.say("")
        self.say("Session stopped." if stopped else "Session summary:", style="bold")
        saved = [outcome for outcome in outcomes if outcome.entries]
        if not saved:
            self.say("No exercise was done, so none was saved.")
        for outcome in outcomes:
            self.bullet(f"{outcome.item.exercise.name}: {self._saved(outcome)}")
        if saved:
            for name in self.not_done:
                self.bullet(f"{name}: not done")
            partial = sum(1 for outcome in saved if outcome.partial)
            text = f"Saved {len(saved)} exercise{'s' if len(saved) != 1 else ''} to your log"
            if partial:
                text += f" ({partial} stopped part way: the next dose goes by your last full one)"
            self.say(text + ".")
        self.say(self._pain_change())
        if saved or self.before is not None:
            self.say(NEXT_STEP)

    def _saved(self, outcome: Outcome) -> str:
        """What was saved of one exercise, in words."""
        item, whole, part = outcome.item, outcome.whole, outcome.part
        if not outcome.entries:
            return "stopped before anything was done" if outcome.note == "stopped" else "skipped"
        per_side = item.exercise.dose.per_side
        said = []
        if whole is not None:
            one = words.amount(1, whole.reps, whole.hold_s, per_side)
            said.append(
                f"{whole.sets} of {item.sets} sets of {one}"
                if whole.sets < item.sets
                else words.amount(whole.sets, whole.reps, whole.hold_s, per_side)
            )
        if part is not None:
            unit = f"holds of {words.duration(part.hold_s or 0)}" if item.hold_s else "repetitions"
            if item.hold_s and item.reps == 1:
                text = f"{words.duration(part.hold_s or 0)} of {words.duration(item.hold_s)}"
            else:
                text = f"{part.reps} of {item.reps} {unit}"
            if outcome.sides is not None:
                left, right = outcome.sides
                text = (
                    f"{left} of {item.reps} {unit} on the left side, {right or 'none'} on the right"
                )
            elif per_side:
                text += " each side"
            said.append(text + (f" in set {outcome.part_set}" if item.sets > 1 else ""))
        text = ", then ".join(said)
        if outcome.partial:
            text += " (partial)"
        if outcome.note == "pain spread":
            text += "; pain spread"
        return text

    def _pain_change(self) -> str:
        """Pain before and after, compared."""
        before, after = self.before, self.after
        if before is None and after is None:
            return "No pain was logged in this session."
        if after is None:
            assert before is not None
            return f"Pain before: {_pain(*before)}; not asked after."
        if before is None:
            return f"Pain after: {_pain(*after)}."
        change = (
            "less than before"
            if after[0] < before[0]
            else "more than before"
            if after[0] > before[0]
            else "the same as before"
        )
        (was, where_was), (now, where_now) = before, after
        if where_was == where_now:
            where = f" (reaching the {words.extent(where_now)})" if where_now else ""
        else:
            places = [words.extent(w) or "not said" for w in (where_was, where_now)]
            where = f" ({places[0]} before, {places[1]} after)"
        text = f"Pain: {was}/10 before, {now}/10 after: {change}{where}."
        if after[0] > ACCEPTABLE:
            text += f" Over {ACCEPTABLE} after exercise: the next doses will be easier."
        return text

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
        self.elapsed = 0.0
        while True:
            left = max(0.0, end - time.monotonic())
            if self.pace:
                self.elapsed = phase.seconds - left / self.pace
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
                self.paused()
                end += time.monotonic() - paused_at
        self.elapsed = phase.seconds
        self.done_s += phase.seconds
        if phase.kind == "hold" and self.bell:
            self.out.bell()
        return lasted

    def paused(self) -> None:
        """Wait for p (go on), s or q. Enter does nothing here: the key that goes on never
        also ends the hold it paused."""
        if not self.live:
            self.say(f"Paused: {PAUSED_HELP}.")
        while True:
            key = self.keys.key(None)
            if key == "p":
                return
            if key == "s":
                raise Skip
            if key == "q":
                raise Finish

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
        if not self.live:  # plain lines are said as each phase starts (_announce)
            return None
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
            grid.add_row("[bold yellow]Paused: press p to go on[/]")
        elif phase.kind == "rest":
            grid.add_row(f"Set {phase.set} saved. Next: set {phase.set + 1} of {item.sets}")
        else:
            grid.add_row("")
        done = self.done_s + phase.seconds - left_s
        share = min(done / self.total_s, 1.0) if self.total_s else 1.0
        bar = Table.grid(padding=(0, 1))
        bar.add_row(
            ProgressBar(total=1.0, completed=share, width=40, style="grey50"),
            f"{self.whole} {share:.0%}",
        )
        grid.add_row(bar)
        grid.add_row(f"[dim]{PAUSED_HELP if paused else KEY_HELP}[/]")
        name = words.visible(item.exercise.name)
        title = Text(f"{self.noun} {number} of {count}: {name}", style="bold")
        # One width, paused or not: the panel does not jump as its words change
        width = min(self.out.width, len(KEY_HELP) + 4)
        return Panel(grid, title=title, title_align="left", border_style="cyan", width=width)

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

    def show_steps(self, item: RoutineItem) -> None:
        """The start position, then the numbered steps, each with a hanging indent on a
        terminal (plain lines stay whole for a log or a screen reader)."""
        exercise = item.exercise
        rows = [("Start:", exercise.position)] if exercise.position else []
        rows += [(f"{n}.", step) for n, step in enumerate(exercise.steps, 1)]
        if not self.live:
            for label, text in rows:
                self.say(f"  {label} {text}")
            return
        from rich.table import Table
        from rich.text import Text

        grid = Table.grid(padding=(0, 1), pad_edge=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column()
        for label, text in rows:  # Text: catalogue words are never read as markup
            grid.add_row(label, Text(words.visible(text, lines=True)))
        self.out.print(grid)

    def bullet(self, text: str) -> None:
        """'  - text', wrapped under its text on a terminal."""
        if not self.live:
            self.say(f"  - {text}")
            return
        from rich.table import Table
        from rich.text import Text

        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row("  -", Text(words.visible(text)))
        self.out.print(grid)

    def choose(self, prompt: str) -> str:
        """Enter, s or q: one key on a terminal, as inside an exercise; a line from a pipe."""
        answer = self.keys.choice(f"{prompt}: ", ENTER + "sq", self.say)
        return ENTER if answer is None else answer  # input ended: the default, as Enter

    def ask_score(self, prompt: str, default: int | None, skip: bool = False) -> int | None:
        """A score 0-10 (None: input ended with no default). ``skip``: Enter with no default
        raises NoAnswer."""
        return self.keys.score(prompt, default, self.say, blank_skips=skip)

    def ask_where(
        self, prompt: str, default: Extent | None, unchanged: bool = False
    ) -> Extent | None:
        return self.keys.where(prompt, default, self.say, unchanged)

    def ask_yes_no(self, question: str) -> bool | None:
        """Yes or no; None when input ends."""
        return self.keys.yes_no(f"{question} [y/n] ", self.say)
