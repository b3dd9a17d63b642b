"""ptcli assess [--record ...] | assess list: the McKenzie self-assessment (DOMAIN.md section 8).

The guided test is led by the guided session's runner (``cli.guide.Guide``: its keys,
pace, live panel and questions), with movements in place of exercises: the gate first,
then the shift question, the baseline, the two range tests, and each movement's 10
repetitions, with pain, extent and range asked after each. Every answer is saved as it
is given (a test stopped part way keeps what was answered); no exercise session is
written, and the profile is never changed.
"""

from typing import Annotated, Any

import typer

from ptcli.cli import emit, options, workspace
from ptcli.cli.guide import Finish, Guide, Outcome, Stopped
from ptcli.errors import BadInput

BULLET = "  - "
SHIFT_QUESTION = (
    "Look in a mirror: is your upper body visibly shifted to one side of your hips "
    "(a lateral shift)?"
)


def register(app: typer.Typer) -> None:
    app.command("assess")(assess)


def assess(
    ctx: typer.Context,
    action: Annotated[
        str | None,
        typer.Argument(
            metavar="[list]",
            help="list: past tests side by side (with --json: as JSON).",
            show_default=False,
        ),
    ] = None,
    json: Annotated[
        bool, typer.Option("--json", help="With list: each test and its result, as JSON.")
    ] = False,
    pace: options.Pace = 1.0,
    quiet: Annotated[bool, typer.Option("--quiet", help="No bell.")] = False,
    side_glides: Annotated[
        bool,
        typer.Option(
            "--side-glides", help="Test the side-glides too (only when a therapist asks)."
        ),
    ] = False,
    record: Annotated[
        bool,
        typer.Option(
            "--record", help="A therapist's record of an in-clinic test (with --baseline, --set)."
        ),
    ] = False,
    baseline: Annotated[
        str | None,
        typer.Option(
            metavar="BASELINE",
            help="With --record: PAIN,WHERE[,CM[,RANGE]]: pain 0-10, how far down the leg, "
            "fingertips-to-floor cm, extension in standing (none, a-little, half, full). "
            "E.g. 6,thigh,25,a-little.",
            show_default=False,
        ),
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="SET",
            help="With --record, repeatable, in the test's order: MOVEMENT:PAIN,WHERE,RANGE: "
            "a movement (extension-standing, flexion-lying, extension-lying, side-glide-left, "
            "side-glide-right), "
            "pain and where after it, range better/same/worse. E.g. "
            "extension-standing:4,buttock,better.",
            show_default=False,
        ),
    ] = None,
    shift: Annotated[
        bool,
        typer.Option("--shift", help="With --record: a lateral shift was seen (refused)."),
    ] = False,
    at: options.At = None,
    note: options.Note = None,
) -> None:
    """Test which direction of movement eases your pain (at your pace); 'list': past tests.

    A suggestion for your therapist to confirm: it never changes your profile's
    preference. Exit code 3 when an emergency flag is active or an answer raises one;
    exit code 2, with one line, when the test may not be done now (an urgent flag,
    a shift of the trunk, pain 8 or more).
    """
    ws = workspace(ctx)
    therapist_only = {"--baseline": baseline, "--set": sets, "--shift": shift or None}
    if action is not None:
        if action != "list":
            raise BadInput(f"unknown action {action!r}: 'ptcli assess' or 'ptcli assess list'")
        test_options = {**therapist_only, "--record": record or None, "--at": at, "--note": note}
        used = [name for name, value in test_options.items() if value]
        if used:
            raise BadInput(f"{used[0]} is for a test, not for 'assess list'")
        _list(ws, json)
        return
    if json:
        raise BadInput("--json is for 'ptcli assess list'")
    if record:
        if baseline is None:
            raise BadInput(
                "--record needs --baseline PAIN,WHERE[,CM[,RANGE]] (e.g. 6,thigh,25,half)"
            )
        _record(ws, baseline, sets or [], side_glides, shift, at, note)
        return
    given = [name for name, value in therapist_only.items() if value]
    if given or at is not None:
        raise BadInput(f"{(given or ['--at'])[0]} is for --record (a therapist's record)")
    Assessor(ws, pace, quiet).run(side_glides, note)


def _list(ws: Any, json: bool) -> None:
    """Past tests side by side: the baseline, each direction's response, the suggestion."""
    from ptcli import assessments

    tests = assessments.past(ws)
    if json:
        import json as json_module

        emit(
            json_module.dumps([_as_json(test) for test in tests], indent=2, ensure_ascii=False)
            + "\n"
        )
        return
    if not tests:
        print("No assessments yet: run 'ptcli assess'.")
        return
    print(_side_by_side(tests))


# The therapist's record


def _record(
    ws: Any,
    baseline: str,
    sets: list[str],
    side_glides: bool,
    shift: bool,
    at: str | None,
    note: str | None,
) -> None:
    from ptcli import assessments

    test, stopped = assessments.record(
        ws, _baseline(baseline), [_set(text) for text in sets], side_glides, shift, at, note
    )
    for line in _result_lines(test, stopped):
        print(line)
    print(f"Saved as assessment {test.id}.")


def _baseline(text: str) -> tuple[int, Any, int | None, str | None]:
    from ptcli.domain import assessment

    parts = [part.strip() for part in text.split(",")]
    usage = "--baseline PAIN,WHERE[,CM[,RANGE]] such as 6,thigh,25,a-little"
    if not 2 <= len(parts) <= 4:
        raise BadInput(f"{usage}: got {text!r}")
    pain = _score(parts[0], "--baseline pain")
    where = _where(parts[1], "--baseline")
    cm = None
    if len(parts) > 2 and parts[2]:
        if not (parts[2].isascii() and parts[2].isdigit()) or not (
            0 <= int(parts[2]) <= assessment.FINGERTIPS_MAX_CM
        ):
            raise BadInput(
                f"--baseline fingertips-to-floor must be whole cm from 0 to "
                f"{assessment.FINGERTIPS_MAX_CM}: got {parts[2]!r}"
            )
        cm = int(parts[2])
    extension = None
    if len(parts) > 3 and parts[3]:
        extension = _one_of(parts[3], assessment.EXTENSION_RANGES, "--baseline extension")
    return pain, where, cm, extension


def _set(text: str) -> Any:
    from ptcli.domain import assessment
    from ptcli.domain.models import MovementSet

    movement, _, rest = text.partition(":")
    parts = [part.strip() for part in rest.split(",")]
    if movement.strip() not in assessment.MOVEMENT or len(parts) != 3:
        raise BadInput(
            f"--set MOVEMENT:PAIN,WHERE,RANGE such as extension-standing:4,buttock,better "
            f"(movements: {', '.join(assessment.MOVEMENT)}): got {text!r}"
        )
    return MovementSet(
        movement.strip(),
        _score(parts[0], f"--set {movement} pain"),
        _where(parts[1], f"--set {movement}"),
        _one_of(parts[2], assessment.RANGE_CHANGES, f"--set {movement} range"),
    )


def _score(text: str, what: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > 10:
        raise BadInput(f"{what} must be a whole number from 0 to 10: got {text!r}")
    return int(text)


def _where(text: str, what: str) -> Any:
    from ptcli.domain.models import Extent

    try:
        return Extent.parse(text)
    except ValueError:
        raise BadInput(
            f"{what}: where must be one of {', '.join(Extent.labels())}: got {text!r}"
        ) from None


def _one_of(text: str, choices: tuple[str, ...], what: str) -> str:
    found = [
        choice for choice in choices if choice == text.lower() or choice.startswith(text.lower())
    ]
    if not text or len(found) != 1:
        raise BadInput(f"{what} must be one of {', '.join(choices)}: got {text!r}")
    return found[0]


# The guided test


class Assessor(Guide):
    """The guided session's runner, leading movements: nothing goes to the session log."""

    noun = "Movement"
    whole = "test"

    def no_made_up_answers(self) -> None:
        """From here on the end of input ends the test (what was said is kept): a default
        taken for a missing answer would be judged as a response."""
        line = self.keys.line

        def answered(prompt: str) -> str | None:
            answer = line(prompt)
            if answer is None:
                raise EOFError
            return answer

        self.keys.line = answered  # type: ignore[method-assign]

    def run(self, side_glides: bool, note: str | None) -> None:  # type: ignore[override]
        import signal

        from ptcli import assessments, services
        from ptcli.cli.emergency import stop_for_emergency
        from ptcli.cli.guide import _hung_up

        allowed = assessments.gate(self.ws)  # before anything is asked
        if services.emergency_check_due(self.ws):
            self.emergency_questions()
            stop_for_emergency(services.active_flags(self.ws))
        test = self.baseline(side_glides, note)
        self.no_made_up_answers()
        self.score, self.where = test.pain, test.where
        signal.signal(signal.SIGHUP, _hung_up)  # a closed terminal ends as the input does
        self.test = test
        try:
            self.range_tests(allowed.stopped)
            if self.movements(allowed.stopped):
                self.test = assessments.save(self.ws, self.test._replace(partial=False))
            else:
                self.say("Finishing early.")
        except (KeyboardInterrupt, Stopped):
            self.result(allowed.stopped, stopped_early=True)
            raise KeyboardInterrupt from None
        except EOFError:
            self.result(allowed.stopped, stopped_early=True)
            raise BadInput(
                "input ended part way: the answers given are saved (a partial test)"
            ) from None
        except Finish:
            self.say("Finishing early.")
        self.result(allowed.stopped, stopped_early=False)

    def baseline(self, side_glides: bool, note: str | None) -> Any:
        """The shift question and the baseline, each checked by the gate as it comes."""
        from ptcli import assessments

        self.say(
            "The repeated-movement test: a few questions, then up to "
            f"{len(_movements(side_glides))} movements, 10 times each."
        )
        shifted = self.ask_yes_no(SHIFT_QUESTION)
        if shifted is None:
            raise BadInput("the test needs a yes or no about a shift; nothing was saved")
        assessments.gate(self.ws, shifted=shifted)
        score = self.ask_score("Pain now, 0-10", None)
        if score is None:
            raise BadInput("the test needs your pain score (0-10); nothing was saved")
        assessments.gate(self.ws, pain=score)
        where = self.ask_where("Where does it reach", None)
        if where is None:
            raise BadInput("the test needs where the pain reaches; nothing was saved")
        return assessments.begin(self.ws, "patient", score, where, side_glides, note)

    def range_tests(self, stopped: frozenset[str]) -> None:
        """Flexion and extension in standing, once each, for the range only."""
        from ptcli import assessments
        from ptcli.domain import assessment

        self.say("")
        if "flexion" in stopped:
            self.say("Flexion in standing: not tested (flexion was stopped in the last days).")
        else:
            self.say(assessment.FLEXION_ONCE)
            cm = self.ask_number(
                "Fingertips to the floor, in cm (0: touching)", assessment.FINGERTIPS_MAX_CM
            )
            self.test = assessments.save(self.ws, self.test._replace(fingertips_cm=cm))
        if "extension" in stopped:
            self.say("Extension in standing: not tested (extension was stopped in the last days).")
        else:
            self.say(assessment.EXTENSION_ONCE)
            how_far = self.ask_word("How far could you lean back", assessment.EXTENSION_RANGES)
            self.test = assessments.save(self.ws, self.test._replace(extension=how_far))

    def movements(self, stopped: frozenset[str]) -> bool:
        """Each movement in turn, the stop rule applied after each; False: finished early."""
        from ptcli.domain import assessment

        told: set[str] = set()
        skipped: set[str] = set()
        from ptcli.domain.guide import seconds_of

        moves = _movements(self.test.side_glides)
        order = [m.id for m in moves]
        self.total_s = sum(seconds_of(self._timeline(_item(m))) for m in moves)  # the bar
        while True:
            movement, passed = assessment.next_movement(self.test, stopped, frozenset(skipped))
            for one in passed:
                if one.movement.id not in told:
                    told.add(one.movement.id)
                    self.say(f"{one.movement.name}: {one.why}.")
            if movement is None:
                return True
            number = order.index(movement.id) + 1
            if self.test.sets:
                self.say("")
                self.say("Rest about a minute before the next movement.")
            try:
                outcome: Outcome = self.exercise(_item(movement), number, len(order))
            except Finish as ended:
                if ended.outcome is None or isinstance(ended, Stopped):
                    raise  # q before it began; Ctrl-C or a closed terminal: stop now
                self.after_set(movement)  # the set done so far is judged too
                return False
            if outcome.entries:
                self.after_set(movement)
            else:
                skipped.add(movement.id)
            self.done_s = sum(  # a movement passed over counts as done on the bar
                seconds_of(self._timeline(_item(m))) for m in moves[: order.index(movement.id) + 1]
            )

    def after_set(self, movement: Any) -> None:
        """Pain, extent (saved at once), then the range; the stop rule said at once."""
        from ptcli import assessments
        from ptcli.domain import assessment
        from ptcli.domain.models import MovementSet

        score = self.ask_score("Pain now, 0-10", self.score)
        assert score is not None and self.where is not None
        where = self.ask_where("Where does it reach now", self.where, unchanged=True)
        assert where is not None
        done = MovementSet(movement.id, score, where)
        test = assessments.save(self.ws, self.test._replace(sets=(*self.test.sets, done)))
        self.test = test
        judged = assessment.judge(self.score or 0, self.where, done)
        self.score, self.where = score, where
        if judged.response == assessment.PERIPHERALIZED:
            self.say(
                f"Pain spread further down your leg: {movement.direction.replace('-', ' ')} "
                "is stopped now and not tested further. Tell your therapist.",
                style="bold red",
            )
        change = self.ask_word("Did it move more easily", assessment.RANGE_CHANGES)
        done = done._replace(range=change)
        self.test = assessments.save(self.ws, test._replace(sets=(*test.sets[:-1], done)))

    def result(self, stopped: frozenset[str], stopped_early: bool) -> None:
        test = self.test
        self.say("")
        self.say(
            "Test stopped: what you answered is saved." if stopped_early else "Result:",
            style="bold",
        )
        for line in _result_lines(test, stopped):
            if line.startswith(BULLET):
                self.bullet(line.removeprefix(BULLET))  # wrapped under its text
            else:
                self.say(line)
        self.say(f"Saved as assessment {test.id} ('ptcli assess list' shows past tests).")

    # Questions of the test (lines, as the guided session's questions are)

    def ask_number(self, prompt: str, most: int) -> int | None:
        """A whole number 0 to ``most``; Enter: not known (None)."""
        while True:
            answer = self.keys.line(f"{prompt} (Enter: skip): ")
            if answer is None or not answer.strip():
                return None
            text = answer.strip()
            if text.isascii() and text.isdigit() and int(text) <= most:
                return int(text)
            self.say(f"Please type a whole number from 0 to {most}, or Enter to skip.")

    def ask_word(self, prompt: str, choices: tuple[str, ...]) -> str | None:
        """One of ``choices``, or its first letters; None when input ends."""
        while True:
            answer = self.keys.line(f"{prompt} ({'/'.join(choices)}): ")
            if answer is None:
                return None
            text = answer.strip().lower().replace(" ", "-")
            found = [c for c in choices if text and c.startswith(text)]
            if len(found) == 1:
                return found[0]
            self.say(f"Please type one of: {', '.join(choices)}.")

    def save_set(self, item: Any, entry: Any, sets_done: int, hold_s: int | None) -> Any:
        """A movement's set is not an exercise session: kept here, never in the log."""
        return (entry or self._new_entry(item))._replace(sets=sets_done)

    def save_part(self, item: Any, whole: Any, tally: Any, set_number: int) -> Any:
        if not tally.count:
            return None
        return self._new_entry(item)._replace(sets=1, reps=max(tally.count.values()), partial=True)

    def _amount(self, entry: Any) -> str:
        from ptcli.render.words import amount

        return amount(entry.sets, entry.reps, None)

    def dose_line(self, item: Any) -> str:
        return "10 times, at your own steady pace; the result is judged after the set."


def _movements(side_glides: bool) -> list[Any]:
    from ptcli.domain import assessment

    return assessment.movements(side_glides)


def _item(movement: Any) -> Any:
    """A movement as the runner leads an exercise: one set of 10 repetitions."""
    from ptcli.domain import assessment
    from ptcli.domain.models import Dose, DoseRange, Exercise, RoutineItem

    dose = Dose(1, assessment.REPS, None, 1, 7, False, DoseRange((1, 1), (10, 10), None))
    exercise = Exercise(
        id=movement.id,
        name=movement.name,
        category="assessment",
        direction=movement.tag,
        chain=movement.id,
        level=1,
        bands=frozenset(),
        purpose="",
        position=movement.position,
        steps=movement.steps,
        dose=dose,
        cautions=(),
        pool=False,
        equipment=(),
        therapist_only=movement.therapist,
    )
    return RoutineItem(exercise, 1, assessment.REPS, None, 1, 7, "the assessment")


# Results in words


def _result_lines(test: Any, stopped: frozenset[str]) -> list[str]:
    from ptcli.domain import assessment

    result = assessment.evaluate(test)
    lines = [f"Before: {_baseline_words(test)}."]
    shown = assessment.movements(test.side_glides)
    directions = [d for d in result.directions if any(m.direction == d.direction for m in shown)]
    lines += [BULLET + assessment.direction_words(d, stopped) for d in directions]
    lines.append(assessment.suggestion_words(result))
    lateral = assessment.lateral_words(result)
    if lateral:
        lines.append(lateral)
    return lines


def _baseline_words(test: Any) -> str:
    from ptcli.domain.models import Extent

    where = "no pain" if test.where is Extent.NONE else f"reaching the {test.where.place}"
    text = f"pain {test.pain}/10, {where}"
    if test.fingertips_cm is not None:
        text += f"; fingertips {test.fingertips_cm} cm from the floor"
    if test.extension is not None:
        text += f"; leaning back: {test.extension.replace('-', ' ')}"
    return text


def _as_json(test: Any) -> dict[str, Any]:
    from ptcli import records
    from ptcli.domain import assessment

    result = assessment.evaluate(test)
    return {
        **records.assessment_to_record(test),
        "result": {
            "directions": {
                d.direction: {"response": d.response, "eased": d.eased, "range": d.range}
                for d in result.directions
                if d.sets
            },
            "suggestion": result.suggestion,
        },
    }


def _side_by_side(tests: list[Any]) -> str:
    """A column per test (the latest on the right, as many as the terminal's width
    holds), a row per measure."""
    import shutil

    from ptcli.domain import assessment
    from ptcli.render.words import visible

    labels = ["When", "By", "Pain before", "Fingertips", "Lean back"]
    labels += [d.replace("-", " ").capitalize() for d in assessment.DIRECTIONS] + ["Suggested"]
    columns = [_column(test) for test in tests]
    room = shutil.get_terminal_size().columns - max(map(len, labels))
    shown: list[list[str]] = []
    for column in reversed(columns):
        room -= 2 + max(map(len, column))
        if shown and room < 0:
            break
        shown.insert(0, column)
    widths = [max(map(len, column)) for column in shown]
    lines = []
    for row, label in enumerate(labels):
        cells = [column[row] for column in shown]
        direction = 5 <= row < 5 + len(assessment.DIRECTIONS)
        if direction and all(cell == "-" for cell in cells):
            continue  # a direction none of these tests tried
        text = "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
        lines.append(visible(f"{label.ljust(max(map(len, labels)))}  {text}".rstrip()))
    older = len(tests) - len(shown)
    footer = f"\n({older} older: 'ptcli assess list --json')" if older else ""
    return "\n".join(lines) + "\n" + f"Suggestions are for your therapist to confirm.{footer}"


def _column(test: Any) -> list[str]:
    """One test's cells, in the rows of ``_side_by_side``."""
    from ptcli.domain import assessment

    result = assessment.evaluate(test)
    return [
        f"{test.at.astimezone():%Y-%m-%d %H:%M}",
        test.by + (" (partial)" if test.partial else ""),
        f"{test.pain}/10 {test.where.label}",
        f"{test.fingertips_cm} cm" if test.fingertips_cm is not None else "-",
        test.extension or "-",
        *(_cell(direction) for direction in result.directions),
        result.suggestion or "none",
    ]


def _cell(direction: Any) -> str:
    if not direction.sets:
        return "-"
    response = {"centralized": "central", "peripheralized": "SPREAD", "no effect": "none"}
    text = response[direction.response]
    if direction.eased and direction.response != "centralized":
        text += ", eased"
    if direction.range:
        text += f", {direction.range}"
    return text
