"""ptcli measure psfs | peg | odi | rmdq | list: outcome measures (DOMAIN.md section 6).

PSFS and PEG are free: ptcli asks their questions. ODI is licensed and RMDQ's forms are
printed: ptcli scores the section scores or ticked items entered from the paper form,
and ships no question text of either.
"""

from typing import Annotated, Any

import typer

from ptcli.cli import emit, options, workspace
from ptcli.errors import BadInput

group = typer.Typer(no_args_is_help=True)

PEG_QUESTIONS = (
    "Your pain on average in the past week: 0 (no pain) to 10 (as bad as you can imagine)",
    "How much pain got in the way of enjoying life in the past week: "
    "0 (not at all) to 10 (completely)",
    "How much pain got in the way of your general activity in the past week: "
    "0 (not at all) to 10 (completely)",
)
PSFS_INTRO = (
    "Name 3 to 5 activities that your back or leg makes hard or impossible to do, "
    "and score how well you can do each today: 0 (cannot do it) to 10 (as well as before)."
)
ANSWERS_HELP = "The answers in order, comma-separated (for scripts; without it, ptcli asks)."
Answers = Annotated[
    str | None,
    typer.Option("--answers", metavar="LIST", help=ANSWERS_HELP, show_default=False),
]


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="measure", help="Outcome measures: PSFS, PEG, ODI, RMDQ.")


@group.command("psfs")
def psfs(
    ctx: typer.Context,
    answers: Answers = None,
    activity: Annotated[
        list[str] | None,
        typer.Option(
            "--activity",
            metavar="NAME",
            help="An activity scored (3 to 5, in the order of --answers; default: last time's).",
            show_default=False,
        ),
    ] = None,
    at: options.At = None,
) -> None:
    """Patient-Specific Functional Scale: 3-5 activities you name, each 0-10; the mean.

    Asks, offering the activities you named last time; --answers (and --activity for
    new activities) answer without questions.
    """
    from ptcli import services

    ws = workspace(ctx)
    names = list(activity or services.last_activities(ws))
    if answers is not None:
        if not names:
            raise BadInput("name the activities with --activity NAME (3 to 5): nothing was written")
        scores = _numbers(answers, "--answers", 0, 10)
    else:
        names, scores = _ask_psfs(names, bool(activity))
    _saved(services.record_measure(ws, "psfs", scores, names, at))


@group.command("peg")
def peg(ctx: typer.Context, answers: Answers = None, at: options.At = None) -> None:
    """PEG: pain, enjoyment of life and general activity in the past week, 0-10; the mean."""
    from ptcli import services

    ws = workspace(ctx)
    if answers is not None:
        scores = _numbers(answers, "--answers", 0, 10)
    else:
        scores = [_ask_score(question) for question in PEG_QUESTIONS]
    _saved(services.record_measure(ws, "peg", scores, (), at))


@group.command("odi")
def odi(
    ctx: typer.Context,
    scores: Annotated[
        str,
        typer.Option(
            "--scores",
            metavar="SCORES",
            help="The 10 section scores of the form, 0-5, in order; '-' or empty for one "
            "left out (at most 2).",
            show_default=False,
        ),
    ],
    at: options.At = None,
) -> None:
    """Oswestry Disability Index from a licensed form's 10 section scores: percent 0-100.

    ptcli does not ship the questionnaire (it is licensed): enter the scores of a form
    completed on paper or in a licensed app.
    """
    from ptcli import services

    answers = _numbers(scores, "--scores", 0, 5, missing=True)
    _saved(services.record_measure(workspace(ctx), "odi", answers, (), at))


@group.command("rmdq")
def rmdq(
    ctx: typer.Context,
    items: Annotated[
        str,
        typer.Option(
            "--items",
            metavar="ITEMS",
            help="The numbers (1-24) of the statements ticked yes; 'none' for none.",
            show_default=False,
        ),
    ],
    at: options.At = None,
) -> None:
    """Roland-Morris Disability Questionnaire from a printed form: the count of yes, 0-24."""
    from ptcli import services
    from ptcli.domain.questionnaires import RMDQ_ITEMS

    ticked = [] if items.strip().lower() in ("", "none") else _numbers(items, "--items", 1, 24)
    if len(set(ticked)) != len(ticked):
        raise BadInput("--items names a statement twice: give each number once")
    answers = [int(number in ticked) for number in range(1, RMDQ_ITEMS + 1)]
    _saved(services.record_measure(workspace(ctx), "rmdq", answers, (), at))


@group.command("list")
def list_(
    ctx: typer.Context,
    measure: Annotated[
        str | None,
        typer.Argument(metavar="[MEASURE]", help="Only this one: psfs, peg, odi or rmdq."),
    ] = None,
    json: options.Json = False,
) -> None:
    """Every measure, oldest first, with its change since the first one and whether the
    change is clinically meaningful."""
    from ptcli import services
    from ptcli.domain.measures import NAMES

    if measure is not None and measure.lower() not in NAMES:
        raise BadInput(f"unknown measure {measure!r}: use one of {', '.join(NAMES)}")
    rows = services.measure_history(workspace(ctx), measure.lower() if measure else None)
    emit(_json(rows) if json else _table(rows))


def _numbers(text: str, option: str, low: int, high: int, missing: bool = False) -> list[Any]:
    """'2,3,-,1' as numbers (None for '-' or empty with ``missing``)."""
    found: list[int | None] = []
    for part in text.split(","):
        part = part.strip()
        if missing and part in ("", "-"):
            found.append(None)
        elif part.isascii() and part.isdigit() and low <= int(part) <= high:
            found.append(int(part))
        else:
            raise BadInput(
                f"{option}: {part!r} is not a whole number from {low} to {high}"
                f"{' (or - for a missing one)' if missing else ''}: nothing was written"
            )
    return found


def _ask(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        raise BadInput("the answers ended early: nothing was written") from None
    except UnicodeDecodeError:  # bytes that are not UTF-8 (a script's file)
        raise BadInput("an answer is not valid text (UTF-8): nothing was written") from None


def _say(text: str) -> None:
    from ptcli.cli.terminal import wrap
    from ptcli.render.words import visible

    print(wrap(visible(text), 0))


def _ask_score(question: str) -> int:
    """A score 0-10, asked until one is given."""
    _say(question)
    while True:
        text = _ask("  0-10: ").strip()
        if text.isascii() and text.isdigit() and 0 <= int(text) <= 10:
            return int(text)
        print("  Type a whole number from 0 to 10.")


def _ask_psfs(names: list[str], given: bool) -> tuple[list[str], list[int]]:
    _say(PSFS_INTRO)
    if names and not given:
        _say("Last time you named: " + "; ".join(names) + ".")
        if _ask("Score the same activities? [Y/n] ").strip().lower() not in ("n", "no"):
            return names, [_ask_score(f"{name}: how well can you do it today?") for name in names]
        names = []
    while len(names) < 5:
        more = len(names) >= 3
        prompt = f"Activity {len(names) + 1}{' (Enter when done)' if more else ''}: "
        name = _ask(prompt).strip()
        if not name:
            if more:
                break
            print("  Name an activity (at least 3).")
            continue
        names.append(name)
    return names, [_ask_score(f"{name}: how well can you do it today?") for name in names]


def _saved(entry: Any) -> None:
    from ptcli.domain import measures

    spec = measures.MEASURES[entry.measure]
    total = measures.number(measures.score(entry.measure, entry.answers))
    _say(
        f"Recorded {spec.title}: {total}{' %' if spec.unit == '%' else spec.unit} "
        f"at {entry.at.astimezone():%Y-%m-%d %H:%M} (id {entry.id})."
    )


def _table(rows: list[Any]) -> str:
    from ptcli.cli.terminal import wrap
    from ptcli.domain.when import local_day
    from ptcli.render.words import visible

    if not rows:
        return "No measures yet: see 'ptcli measure --help'.\n"
    # A no-break space keeps "100 %" on one line; the JSON's words keep a plain space.
    lines = [
        wrap(visible(f"{local_day(row.at)}  {row.words}".replace(" %", "\u00a0%")), 12)
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def _json(rows: list[Any]) -> str:
    import json

    from ptcli.records import timestamp

    def figure(value: Any) -> float | None:
        return None if value is None else round(float(value), 2)

    return (
        json.dumps(
            [
                {
                    "id": row.id,
                    "measure": row.measure,
                    "at": timestamp(row.at),
                    "score": figure(row.score),
                    "baseline": row.baseline,
                    "change": figure(row.change.points) if row.change else None,
                    "change_percent": figure(row.change.percent) if row.change else None,
                    "meaningful": row.change.meaningful if row.change else False,
                    "better": row.change.better if row.change else None,
                    "words": row.words,
                }
                for row in rows
            ],
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
