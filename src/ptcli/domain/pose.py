"""An exercise's drawing as a catalogue entry describes it: the ``pose:`` block.

A pose is a few angles, so a new exercise needs numbers, not a hand-made picture.
Every angle is the direction a body part points on the page, in degrees: 0 to the
right, 90 up, 180 left, 270 (or -90) down. The figure faces the way its trunk
points turned a quarter clockwise, so lying with the head on the left (trunk 180) is
face up and with the head on the right (trunk 0) is face down; standing (trunk 90)
faces right. ``render/figure.py`` draws it; this module only reads and checks it
(the catalogue is untrusted text).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple, cast

VIEWS = ("side", "front")
# What may be drawn around the figure.
PROPS = (
    "floor",
    "mat",
    "chair",
    "wall",
    "step",
    "ball",
    "pool",
    "rail",
    "stick",
    "weight",
    "float",
    "helper",
)
# Points of the figure an arrow, the anchor or the ball may name.
POINTS = (
    "head",
    "shoulder",
    "elbow",
    "hand",
    "other_elbow",
    "other_hand",
    "hip",
    "thigh",  # the middle of the thigh
    "knee",
    "foot",
    "other_knee",
    "other_foot",
)
WATER_LEVELS = ("knee", "hip", "waist", "chest", "shoulder")
# Where a ball (or a roller, or a folded pillow) sits against the point it names:
# between the knees, behind the body (the back: against a wall or the floor) or in
# front of it (under a face-down figure).
BALL_SIDES = ("between", "back", "front")
ANGLE_LIMIT = 360  # † degrees either way
RAISE_LIMIT = 100  # † units above the floor (the figure is about 175 tall)
MAX_ARROWS = 3  # † arrows in one drawing
_POSE_FIELDS = ("view", "props", "water", "anchor", "arrows", "ball", "start", "end")
_LIMB_FIELDS = {"arm": (2, 2), "other_arm": (2, 2), "leg": (2, 3), "other_leg": (2, 3)}
_POSITION_FIELDS = ("trunk", "head", *_LIMB_FIELDS, "raise")


class Position(NamedTuple):
    """One position of the figure: the directions of its parts, in degrees.

    A limb lists its segments from the body out: upper arm and forearm; thigh, shin
    and (optionally) foot. Left out, the head follows the trunk, the arms and legs
    lie along the trunk towards the feet and the other limb matches its pair.
    """

    trunk: float
    head: float
    arm: tuple[float, ...]
    other_arm: tuple[float, ...]
    leg: tuple[float, ...]
    other_leg: tuple[float, ...]
    lift: float = 0.0  # the catalogue's ``raise``: units above the floor (on a step)


class Pose(NamedTuple):
    """The drawing of one exercise: a start position and, unless it is one held
    position, an end position."""

    start: Position
    end: Position | None = None
    view: str = "side"
    props: tuple[str, ...] = ()
    water: str | None = None
    anchor: str = "hip"  # the point that stays in place between start and end
    arrows: tuple[str, ...] = ()  # points whose movement gets an arrow; () chooses
    ball: Ball | None = None  # a ball against the body, in every position


class Ball(NamedTuple):
    """A ball against one point of the body (``ball: {at: knee, side: between}``)."""

    at: str  # one of POINTS
    side: str = "between"  # one of BALL_SIDES


def read(raw: Any) -> tuple[Pose | None, list[tuple[str, str]]]:
    """The pose a catalogue's ``pose:`` block describes, or None and the problems,
    each as (field under ``pose``, message)."""
    problems: list[tuple[str, str]] = []

    def report(field: str, message: str) -> None:
        problems.append((f"pose.{field}" if field else "pose", message))

    if not isinstance(raw, Mapping):
        report("", "must be a mapping with 'start' (and optionally 'end', 'props', ...)")
        return None, problems
    for key in raw:
        if key not in _POSE_FIELDS:
            report(str(key), f"unknown field (one of: {', '.join(_POSE_FIELDS)})")
    view = raw.get("view", "side")
    if view not in VIEWS:
        report("view", f"must be one of: {', '.join(VIEWS)}")
    props = _names(raw, "props", PROPS, len(PROPS), report)
    water = raw.get("water")
    if water is not None and water not in WATER_LEVELS:
        report("water", f"must be one of: {', '.join(WATER_LEVELS)}")
    elif water is not None and "pool" not in props:
        report("water", "given, but 'pool' is not in props")
    anchor = raw.get("anchor", "hip")
    if anchor not in POINTS:
        report("anchor", f"must be one of: {', '.join(POINTS)}")
    arrows = _names(raw, "arrows", POINTS, MAX_ARROWS, report)
    ball = _ball(raw["ball"], report) if raw.get("ball") is not None else None
    if "start" not in raw:
        report("start", "missing")
    start = _position(raw.get("start"), "start", report) if "start" in raw else None
    end = _position(raw["end"], "end", report) if raw.get("end") is not None else None
    if problems or start is None:
        return None, problems
    return Pose(start, end, view, props, water, anchor, arrows, ball), problems


def _ball(raw: Any, report: Any) -> Ball | None:
    if not isinstance(raw, Mapping) or "at" not in raw:
        report("ball", "must be a mapping with 'at' (a point) and optionally 'side'")
        return None
    for key in raw:
        if key not in Ball._fields:
            report(f"ball.{key}", f"unknown field (one of: {', '.join(Ball._fields)})")
    at, side = raw["at"], raw.get("side", "between")
    if at not in POINTS:
        report("ball.at", f"must be one of: {', '.join(POINTS)}")
        return None
    if side not in BALL_SIDES:
        report("ball.side", f"must be one of: {', '.join(BALL_SIDES)}")
        return None
    return Ball(at, side)


def _names(
    raw: Mapping[str, Any], field: str, allowed: tuple[str, ...], most: int, report: Any
) -> tuple[str, ...]:
    value = raw.get(field, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        report(field, f"must be a list of: {', '.join(allowed)}")
        return ()
    unknown = [item for item in value if item not in allowed]
    if unknown:
        report(field, f"unknown {unknown[0]!r} (one of: {', '.join(allowed)})")
        return ()
    if len(set(value)) != len(value):
        report(field, "lists a name twice")
    if len(value) > most:
        report(field, f"has {len(value)} items: at most {most} †")
    return tuple(value)


def _angle(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and -ANGLE_LIMIT <= value <= ANGLE_LIMIT
    )


def _position(raw: Any, name: str, report: Any) -> Position | None:
    if not isinstance(raw, Mapping):
        report(name, "must be a mapping with at least 'trunk' (degrees)")
        return None
    ok = True
    for key in raw:
        if key not in _POSITION_FIELDS:
            report(f"{name}.{key}", f"unknown field (one of: {', '.join(_POSITION_FIELDS)})")
            ok = False
    angles = f"degrees from -{ANGLE_LIMIT} to {ANGLE_LIMIT} (0 right, 90 up, 180 left, 270 down)"
    trunk = raw.get("trunk")
    if not _angle(trunk):
        report(f"{name}.trunk", f"must be {angles}")
        ok = False
    head = raw.get("head", trunk)
    if "head" in raw and not _angle(head):
        report(f"{name}.head", f"must be {angles}")
        ok = False
    limbs: dict[str, tuple[float, ...]] = {}
    for field, (fewest, most) in _LIMB_FIELDS.items():
        value = raw.get(field)
        if value is None:
            continue
        if not (
            isinstance(value, list) and fewest <= len(value) <= most and all(map(_angle, value))
        ):
            count = f"{fewest}" if fewest == most else f"{fewest} or {most}"
            report(f"{name}.{field}", f"must be a list of {count} directions in {angles}")
            ok = False
        else:
            limbs[field] = tuple(float(v) for v in value)
    lift = raw.get("raise", 0)
    if not (
        isinstance(lift, int | float) and not isinstance(lift, bool) and 0 <= lift <= RAISE_LIMIT
    ):
        report(f"{name}.raise", f"must be a number from 0 to {RAISE_LIMIT} †")
        ok = False
    if not ok:
        return None
    along = cast(float, trunk) + 180  # checked above: a number
    arm = limbs.get("arm", (along, along))
    leg = limbs.get("leg", (along, along))
    return Position(
        trunk=float(cast(float, trunk)),
        head=float(cast(float, head)),
        arm=arm,
        other_arm=limbs.get("other_arm", arm),
        leg=leg,
        other_leg=limbs.get("other_leg", leg),
        lift=float(lift),
    )
