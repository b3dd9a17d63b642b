"""The daily commands without Typer's start-up: importing Typer and click costs about 55 ms,
more than the rest of ``ptcli today`` (README, Speed).

Typer defines every command, its options and its help. For the commands a patient runs
every day (QUICK), quick.json records what Typer's parser knows of their parameters: it
is generated from the Typer app (``python -m ptcli.cli.quick``; a test fails when it is
stale). When the arguments are plain (each option known and spelt whole, each value
valid), ``quick_action`` reads them as Typer would and returns the call of the same
function the Typer command calls (daily.py). Anything else (a help, a mistake, a short
option, ``--``, shell completion) returns None and Typer answers, with its own words:
this module never reports an error itself.
"""

import json
import os
import stat
from collections.abc import Callable
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import Any

# The daily commands, and the function their Typer command hands its values to.
QUICK = {
    "today": "ptcli.cli.daily:today",
    "history": "ptcli.cli.daily:history",
    "pain log": "ptcli.cli.daily:pain_log",
    "pain list": "ptcli.cli.daily:pain_list",
    "session log": "ptcli.cli.daily:session_log",
}
SPEC_FILE = Path(__file__).with_name("quick.json")
COMPLETION = "_PTCLI_COMPLETE"  # set by the shell when it asks Typer for completions

Param = dict[str, Any]


class NotQuick(Exception):
    """Arguments the quick path leaves to Typer."""


def quick_action(args: list[str]) -> Callable[[], object] | None:
    """The daily command ``args`` asks for, ready to run; None: Typer decides."""
    if COMPLETION in os.environ:
        return None
    try:
        spec = json.loads(SPEC_FILE.read_bytes())
        return _action(spec, args)
    except (NotQuick, OSError, ValueError):
        return None


def _action(spec: dict[str, Any], args: list[str]) -> Callable[[], object]:
    words = list(args)
    paths = _read(spec["root"], words, interspersed=False)
    path = _take_word(words)
    if path in spec["groups"]:
        path += " " + _take_word(words)
    command = spec["commands"].get(path)
    if command is None:
        raise NotQuick
    values = _read(command["params"], words, interspersed=True)
    if words:
        raise NotQuick  # more arguments than the command takes
    module, _, name = command["call"].partition(":")
    paths = {key: paths[key] for key in ("db", "catalogue")}  # app._global_options' ctx.obj
    return partial(getattr(import_module(module), name), paths, **values)


def _take_word(words: list[str]) -> str:
    if not words or words[0].startswith("-"):
        raise NotQuick
    return words.pop(0)


def _read(params: list[Param], words: list[str], interspersed: bool) -> dict[str, Any]:
    """The values of ``params`` from ``words`` (click's parser, for long options only);
    ``words`` keeps what is left: the command for the root's options, else nothing."""
    options = {opt: param for param in params for opt in param["opts"] + param["off"]}
    given: dict[str, Any] = {}
    positional: list[str] = []
    while words:
        word = words.pop(0)
        if word == "--" or (word.startswith("-") and len(word) > 1 and not word.startswith("--")):
            raise NotQuick  # "--" and short options: Typer
        if not word.startswith("--"):
            if not interspersed:
                words.insert(0, word)
                break
            positional.append(word)
            continue
        opt, equals, explicit = word.partition("=")
        param = options.get(opt)
        if param is None or param["callback"]:
            raise NotQuick  # unknown (Typer names a near one), or --help, --version
        if param["flag"]:
            if equals:
                raise NotQuick
            given[param["name"]] = opt in param["opts"]
            continue
        if not equals:
            if not words:
                raise NotQuick
            explicit = words.pop(0)  # click takes the next word, even one like "-3d"
        value = _convert(param["type"], explicit)
        if param["multiple"]:
            given.setdefault(param["name"], []).append(value)
        else:
            given[param["name"]] = value  # the last one counts
    arguments = [param for param in params if param["argument"]]
    if len(positional) > len(arguments):
        raise NotQuick
    for param, word in zip(arguments, positional, strict=False):
        given[param["name"]] = _convert(param["type"], word)
    return {param["name"]: _value(param, given) for param in params}


def _value(param: Param, given: dict[str, Any]) -> Any:
    if param["name"] in given:
        return given[param["name"]]
    from_env = os.environ.get(param["envvar"]) if param["envvar"] else None
    if from_env:  # click: an empty variable is no value
        return _convert(param["type"], from_env)
    if param["required"]:
        raise NotQuick
    return param["default"]


def _convert(kind: Param, text: str) -> Any:
    """``text`` as Typer converts it for a parameter of this kind (a choice as its text)."""
    try:
        match kind["kind"]:
            case "text":
                return text
            case "int":
                number = int(text)
                if (kind["min"] is not None and number < kind["min"]) or (
                    kind["max"] is not None and number > kind["max"]
                ):
                    raise NotQuick
                return number
            case "choice":
                fold = (lambda word: word) if kind["case_sensitive"] else str.casefold
                return next(c for c in kind["choices"] if fold(c) == fold(text))
            case "parser":
                module, _, name = kind["function"].partition(":")
                return getattr(import_module(module), name)(text)
            case "path":
                return _path(kind, text)
    except NotQuick:
        raise
    except Exception:  # a value Typer refuses: its message, not ours
        raise NotQuick from None
    raise NotQuick


def _path(kind: Param, text: str) -> Path:
    """Typer's path checks (TyperPath.convert) for a path that need not exist."""
    try:
        mode = os.stat(text).st_mode
    except OSError:
        return Path(text)
    if (
        (stat.S_ISREG(mode) and not kind["file_okay"])
        or (stat.S_ISDIR(mode) and not kind["dir_okay"])
        or (kind["readable"] and not os.access(text, os.R_OK))
        or (kind["writable"] and not os.access(text, os.W_OK))
    ):
        raise NotQuick
    return Path(text)


# Writing quick.json: from the Typer app, so Typer stays the one definition.


def spec_of_app() -> dict[str, Any]:
    """What the quick path needs of the root's options and of QUICK's commands."""
    import typer

    from ptcli.cli.app import build_app

    root = typer.main.get_command(build_app([]))
    commands = {}
    for path, call in QUICK.items():
        command: Any = root
        for word in path.split():
            command = command.commands[word]
        commands[path] = {"call": call, "params": [_param_spec(p) for p in command.params]}
    groups = sorted({path.split()[0] for path in QUICK if " " in path})
    return {"root": [_param_spec(p) for p in root.params], "groups": groups, "commands": commands}


def _param_spec(param: Any) -> Param:
    """One click parameter, as the quick path reads it; a feature it cannot read fails here."""
    if param.nargs != 1 or getattr(param, "prompt", None) or getattr(param, "count", False):
        raise ValueError(f"{param.name}: the quick path reads one value per parameter")
    flag = bool(getattr(param, "is_flag", False))
    argument = param.param_type_name == "argument"
    if flag and not param.is_bool_flag:
        raise ValueError(f"{param.name}: the quick path reads on/off flags only")
    if param.callback is not None and not flag:
        raise ValueError(f"{param.name}: the quick path runs no callback")
    default = param.default
    if isinstance(default, tuple | list) and not default:
        default = None  # Typer: an unused repeatable option with no default is None
    if hasattr(default, "value"):  # an Enum: its text, as the quick path gives choices
        default = default.value
    return {
        "name": param.name,
        "argument": argument,
        "opts": [] if argument else [opt for opt in param.opts if opt.startswith("--")],
        "off": list(getattr(param, "secondary_opts", [])),
        "flag": flag,
        "multiple": bool(param.multiple),
        "required": bool(param.required),
        "default": default,
        "envvar": param.envvar,
        "callback": param.callback is not None,
        "type": _type_spec(param.type),
    }


def _type_spec(kind: Any) -> Param:
    name = type(kind).__name__
    if name in ("StringParamType", "BoolParamType"):
        return {"kind": "text"}
    if name in ("IntParamType", "IntRange"):
        if getattr(kind, "min_open", False) or getattr(kind, "max_open", False) or kind.clamp:
            raise ValueError("the quick path reads closed, unclamped ranges")
        return {"kind": "int", "min": getattr(kind, "min", None), "max": getattr(kind, "max", None)}
    if name == "TyperChoice":
        choices = [str(getattr(c, "value", c)) for c in kind.choices]
        return {"kind": "choice", "choices": choices, "case_sensitive": kind.case_sensitive}
    if name == "FuncParamType":
        return {"kind": "parser", "function": f"{kind.func.__module__}:{kind.func.__qualname__}"}
    if name == "TyperPath" and not kind.resolve_path and not kind.allow_dash and not kind.exists:
        fields = ("file_okay", "dir_okay", "readable", "writable")
        return {"kind": "path", **{field: getattr(kind, field) for field in fields}}
    raise ValueError(f"the quick path cannot read a {name}")


if __name__ == "__main__":
    SPEC_FILE.write_text(json.dumps(spec_of_app(), indent=1) + "\n")
    print(f"Wrote {SPEC_FILE}")
