"""The drawing of an exercise: one figure, drawn from its catalogue pose, as SVG text.

Pure functions, no I/O. The start and the end position stand side by side in two
numbered panels (an arrow between them), in solid black and mid grey only, so the
drawing survives a greyscale printer; an arrow in the second panel shows what moves,
and the second panel's label says how long to hold. The figure is the same person
everywhere: a head with a nose (it shows which way the face points: face down or
face up), a trunk, arms and legs; the far arm and leg are grey.

Units: the figure is about 175 units tall standing; the drawing is 480 wide and as tall
as its figure needs (at most 200), and the handout prints it 72 mm wide.
"""

from __future__ import annotations

import math
from html import escape  # not xml.sax.saxutils: it imports urllib.request (0.1 s)

from ptcli.domain.pose import Pose, Position

WIDTH, MAX_HEIGHT = 480, 200  # the height fits the figure: lying drawings are low
PANEL = 218  # two panels side by side, an arrow in the gap between them
TOP = 40  # the label band above the figure
# † 27 units: 11.5 pt when the drawing prints 72 mm wide (480 units); the handout has no
# smaller text than 11 pt.
FONT = 27
BOTTOM = 10  # below the floor line
INK = "#1d2733"  # the figure's near side, labels, arrows
FAR = "#8a929c"  # the far arm and leg: mid grey, still dark enough in greyscale
PROP = "#4a5563"  # floor, chair, wall, step and the like
SHADE = "#d5dae0"  # the mat's and the water's fill (their outline carries them)

TRUNK, NECK, HEAD_R = 58.0, 19.0, 11.0
UPPER_ARM, FOREARM = 30.0, 27.0
THIGH, SHIN, FOOT = 44.0, 42.0, 13.0
TRUNK_W, FRONT_W, LIMB_W = 17.0, 24.0, 8.0
SHOULDER_HALF, HIP_HALF = 12.0, 7.0  # seen from the front
STEP_HEIGHT = 30.0
MAX_SCALE = 1.3  # a lying figure may be drawn larger than a standing one
BALL_R = 24.0
SMALL_BALL_R = 11.0  # a ball or roller against the body (``pose.ball``)

Point = tuple[float, float]


def _towards(angle: float) -> Point:
    radians = math.radians(angle)
    return math.cos(radians), math.sin(radians)


def _add(point: Point, angle: float, length: float) -> Point:
    dx, dy = _towards(angle)
    return point[0] + dx * length, point[1] + dy * length


def body(position: Position, view: str) -> dict[str, Point]:
    """The figure's points for one position, the hip at (0, 0) and y up."""
    front = view == "front"
    hip = (0.0, 0.0)
    shoulder = _add(hip, position.trunk, TRUNK)
    points = {"hip": hip, "shoulder": shoulder, "head": _add(shoulder, position.head, NECK)}
    for prefix, arm, side in (("", position.arm, -90), ("other_", position.other_arm, 90)):
        root = _add(shoulder, position.trunk + side, SHOULDER_HALF) if front else shoulder
        elbow = _add(root, arm[0], UPPER_ARM)
        points[f"{prefix}arm_root"] = root
        points[f"{prefix}elbow"] = elbow
        points[f"{prefix}hand"] = _add(elbow, arm[1], FOREARM)
    points["thigh"] = _add(hip, position.leg[0], THIGH / 2)
    for prefix, leg, side in (("", position.leg, -90), ("other_", position.other_leg, 90)):
        root = _add(hip, position.trunk + side, HIP_HALF) if front else hip
        knee = _add(root, leg[0], THIGH)
        foot = _add(knee, leg[1], SHIN)
        toward = leg[2] if len(leg) > 2 else leg[1] + (-side if front else 90)
        points[f"{prefix}leg_root"] = root
        points[f"{prefix}knee"] = knee
        points[f"{prefix}foot"] = foot
        points[f"{prefix}toe"] = _add(foot, toward, FOOT)
    return points


def _lowest(points: dict[str, Point]) -> float:
    """The lowest edge of the drawn figure (strokes have a width)."""
    edges = [points["head"][1] - HEAD_R - 1.5]
    edges += [points[name][1] - TRUNK_W / 2 for name in ("hip", "shoulder")]
    edges += [y - LIMB_W / 2 for name, (_, y) in points.items() if name not in ("head",)]
    return min(edges)


def _bottom(pose: Pose, points: dict[str, Point], position: Position) -> float:
    """The lowest edge of the figure and of its ball (a roller under the thigh)."""
    ball = ball_centre(pose, points, position)
    return min(_lowest(points), ball[1] - SMALL_BALL_R - 1.25 if ball else math.inf)


def placed(pose: Pose) -> list[dict[str, Point]]:
    """Each position's points, y up and the floor at 0: the start stands on the floor
    (raised by its ``raise``); the end keeps the anchor where the start has it (the
    hip stays on the chair, the feet on the floor), lifted only if that would put part
    of it under the floor."""
    start = body(pose.start, pose.view)
    ax, ay = start[pose.anchor]
    dy = pose.start.lift - _bottom(pose, start, pose.start)
    result = [{name: (x - ax, y + dy) for name, (x, y) in start.items()}]
    if pose.end is not None:
        end = body(pose.end, pose.view)
        bx, by = end[pose.anchor]
        moved = {name: (x - bx, y - by + ay + dy) for name, (x, y) in end.items()}
        lift = max(0.0, -_bottom(pose, moved, pose.end)) + pose.end.lift
        result.append({name: (x, y + lift) for name, (x, y) in moved.items()})
    return result


def _reach(bodies: list[dict[str, Point]]) -> tuple[float, float]:
    """The leftmost and rightmost edge of the figure in every position."""
    edges = []
    for points in bodies:
        for name, (x, _) in points.items():
            r = (
                HEAD_R + 1.6
                if name == "head"
                else TRUNK_W / 2
                if name in ("hip", "shoulder")
                else LIMB_W / 2
            )
            edges += [x - r, x + r]
    return min(edges), max(edges)


def ball_centre(pose: Pose, points: dict[str, Point], position: Position) -> Point | None:
    """Where the pose's ball sits: on its point (between the knees), or touching it
    behind the body (its back, against a wall or the floor) or in front of it."""
    if pose.ball is None:
        return None
    point = points[pose.ball.at]
    if pose.ball.side == "between":  # a ball between the knees sits just above them
        return _add(point, position.leg[0] + 180, SMALL_BALL_R) if pose.ball.at == "knee" else point
    # The body's front is a quarter turn clockwise from its trunk; a leg points the
    # other way from the trunk, so its front is a quarter turn anticlockwise from it.
    on_leg = pose.ball.at in ("thigh", "knee", "foot")
    axis = position.leg[0] + 180 if on_leg else position.trunk
    half = LIMB_W / 2 + 1 if on_leg else TRUNK_W / 2
    facing = axis + (90 if pose.ball.side == "back" else -90)
    return _add(point, facing, half + SMALL_BALL_R)


def _faces_right(position: Position) -> bool:
    return _towards(position.trunk - 90)[0] >= -0.01


def _water_level(points: dict[str, Point], level: str) -> float:
    hip, shoulder = points["hip"][1], points["shoulder"][1]
    share = {"waist": 0.35, "chest": 0.7}
    if level in share:
        return hip + (shoulder - hip) * share[level]
    return points[level][1]


class _Canvas:
    """SVG elements in figure units, placed in one panel."""

    def __init__(
        self, left: float, width: float, centre: float, scale: float, ground: float
    ) -> None:
        self.left, self.width, self.centre, self.scale = left, width, centre, scale
        self.ground = ground  # the floor line, in SVG units from the top
        self.parts: list[str] = []
        self.seen: list[tuple[float, float, float]] = []  # x, y and reach, in figure units

    def at(self, point: Point, pad: float = 0.0) -> str:
        self.seen.append((point[0], point[1], pad))
        x = self.left + self.width / 2 + (point[0] - self.centre) * self.scale
        y = self.ground - point[1] * self.scale
        return f"{x:.1f} {y:.1f}"

    def size(self, units: float) -> str:
        return f"{units * self.scale:.1f}"

    def line(self, points: list[Point], colour: str, width: float, extra: str = "") -> None:
        path = "L".join(self.at(p, width / 2) for p in points)
        self.parts.append(
            f'<path d="M{path}" fill="none" stroke="{colour}" stroke-width="{self.size(width)}"'
            f' stroke-linecap="round" stroke-linejoin="round"{extra}/>'
        )

    def shape(
        self,
        points: list[Point],
        fill: str,
        stroke: str = "none",
        width: float = 0,
        extra: str = "",
    ) -> None:
        path = "L".join(self.at(p, width / 2) for p in points)
        self.parts.append(
            f'<path d="M{path}Z" fill="{fill}" stroke="{stroke}"'
            f' stroke-width="{self.size(width)}" stroke-linejoin="round"{extra}/>'
        )

    def circle(self, point: Point, radius: float, fill: str, stroke: str, width: float) -> None:
        x, y = self.at(point, radius + width / 2).split()
        self.parts.append(
            f'<circle cx="{x}" cy="{y}" r="{self.size(radius)}" fill="{fill}"'
            f' stroke="{stroke}" stroke-width="{self.size(width)}"/>'
        )


def _figure(canvas: _Canvas, points: dict[str, Point], position: Position, view: str) -> None:
    far = INK if view == "front" else FAR
    for prefix, colour in (("other_", far), ("", INK)):
        if prefix == "":
            _trunk_and_head(canvas, points, position, view)
        canvas.line(
            [points[f"{prefix}leg_root"], points[f"{prefix}knee"], points[f"{prefix}foot"]],
            colour,
            LIMB_W + 1.5,
        )
        canvas.line([points[f"{prefix}foot"], points[f"{prefix}toe"]], colour, LIMB_W - 1)
        canvas.line(
            [points[f"{prefix}arm_root"], points[f"{prefix}elbow"], points[f"{prefix}hand"]],
            colour,
            LIMB_W - 1,
        )


def _trunk_and_head(
    canvas: _Canvas, points: dict[str, Point], position: Position, view: str
) -> None:
    hip, shoulder, head = points["hip"], points["shoulder"], points["head"]
    canvas.line([hip, shoulder], INK, FRONT_W if view == "front" else TRUNK_W)
    canvas.line([shoulder, _add(shoulder, position.head, NECK - HEAD_R)], INK, LIMB_W)
    canvas.circle(head, HEAD_R, "#fff", INK, 3.2)
    if view == "front":
        for side in (-1, 1):
            canvas.circle(_add(head, position.head + side * 140, 4.5), 1.6, INK, INK, 0.5)
        return
    # The nose and an eye: which way the face points (face down, face up, forwards).
    face = position.head - 90
    canvas.shape(
        [
            _add(head, face + 28, HEAD_R - 1),
            _add(head, face - 12, HEAD_R + 7),
            _add(head, face - 34, HEAD_R - 1),
        ],
        INK,
        INK,
        1.2,
        ' class="nose"',
    )
    canvas.circle(_add(head, face + 48, 5.2), 1.7, INK, INK, 0.5)


def _props_behind(
    canvas: _Canvas, pose: Pose, bodies: list[dict[str, Point]], reach: tuple[float, float]
) -> None:
    props = set(pose.props)
    low, high = reach
    if "pool" in props:
        level = _water_level(bodies[0], pose.water or "waist")
        left, right = canvas.left, canvas.left + canvas.width
        top = float(canvas.at((0, level)).split()[1])
        canvas.parts.append(
            f'<path d="M{left:.1f} {top:.1f}H{right:.1f}V{canvas.ground + BOTTOM:.1f}H{left:.1f}Z"'
            f' fill="{SHADE}"/>'
        )
    if "mat" in props:
        canvas.shape([(low - 8, 0), (high + 8, 0), (high + 8, 8), (low - 8, 8)], SHADE, PROP, 2.5)
    balls = [
        ball_centre(pose, points, p) for points, p in zip(bodies, _positions(pose), strict=True)
    ]
    low = min([low] + [b[0] - SMALL_BALL_R - 1.5 for b in balls if b is not None])
    if "wall" in props:
        x = low - 1
        top = max(y for points in bodies for _, y in points.values()) + HEAD_R + 4
        canvas.shape([(x - 10, -2), (x, -2), (x, top), (x - 10, top)], SHADE, PROP, 2)
    if "chair" in props:
        seated = min(bodies, key=lambda points: points["hip"][1])
        right = _faces_right(pose.start)
        back = -1 if right else 1
        hx, hy = seated["hip"]
        seat = hy - TRUNK_W / 2
        rear, front = hx + back * 20, hx - back * 22
        canvas.line([(rear, seat + 55), (rear, 0)], PROP, 4)
        canvas.line([(rear, seat), (front, seat), (front, 0)], PROP, 4)
    if "step" in props:
        lifted = min(bodies[-1][name][1] for name in ("foot", "other_foot")) - LIMB_W / 2
        lifted = lifted if lifted > 5 else STEP_HEIGHT
        feet = [bodies[-1][name][0] for name in ("foot", "toe", "other_foot", "other_toe")]
        canvas.shape(
            [
                (min(feet) - 14, 0),
                (max(feet) + 30, 0),
                (max(feet) + 30, lifted),
                (min(feet) - 14, lifted),
            ],
            SHADE,
            PROP,
            2.5,
        )
    if "ball" in props:
        foot = bodies[0]["foot"]
        canvas.circle((foot[0] + BALL_R, BALL_R), BALL_R, SHADE, PROP, 2.5)
    if "floor" in props or "mat" in props or "chair" in props or "wall" in props or "step" in props:
        left, right = canvas.left + 4, canvas.left + canvas.width - 4
        canvas.parts.append(
            f'<path d="M{left:.1f} {canvas.ground:.1f}H{right:.1f}" stroke="{PROP}"'
            ' stroke-width="3"'
            ' stroke-linecap="round"/>'
        )


def _props_in_front(
    canvas: _Canvas,
    pose: Pose,
    points: dict[str, Point],
    first: dict[str, Point],
    position: Position,
) -> None:
    props = set(pose.props)
    if "pool" in props:
        level = _water_level(first, pose.water or "waist")
        top = float(canvas.at((0, level)).split()[1])
        left, right = canvas.left, canvas.left + canvas.width
        waves = "".join("q5 -5 10 0t10 0" for _ in range(int((right - left) // 20)))
        canvas.parts.append(
            f'<path d="M{left:.1f} {top:.1f}{waves}" fill="none" stroke="{INK}"'
            ' stroke-width="2.5" stroke-linecap="round"/>'
        )
    if "rail" in props:
        hand = first["hand"]
        wall = hand[0] + 12
        canvas.line([(wall, 0), (wall, hand[1] + 30)], PROP, 5)
        canvas.line([(wall, hand[1]), (hand[0] - 8, hand[1])], PROP, 4)
    if "stick" in props:
        behind = position.trunk + 90  # the back: opposite the face
        lower = _add(_add(points["hip"], position.trunk, -14), behind, TRUNK_W / 2 + 3)
        upper = _add(_add(points["head"], position.trunk, HEAD_R + 6), behind, HEAD_R + 2)
        canvas.line([lower, upper], PROP, 4)
    if "weight" in props:
        hand = points["hand"]
        canvas.circle((hand[0] + 4, hand[1] - 6), 10, PROP, INK, 2)
        canvas.line([(hand[0] - 2, hand[1] + 5), (hand[0] + 10, hand[1] + 5)], INK, 3)
    if "float" in props:
        lying = abs(_towards(position.trunk)[1]) < 0.5
        spots = ["shoulder", "knee"] if lying else ["hip"]
        for name in spots:
            x, y = points[name]
            if lying:
                y -= TRUNK_W / 2 + 4
            canvas.shape(
                [(x - 14, y - 5), (x + 14, y - 5), (x + 14, y + 5), (x - 14, y + 5)], SHADE, INK, 2
            )
    if "helper" in props:
        # The helper's hands press down on the lower back.
        press = _add(points["hip"], position.trunk, 14)
        x, y = _add(press, position.trunk + 90, TRUNK_W / 2 + 2)
        canvas.line([(x, y + 48), (x, y + 8)], INK, 4)
        canvas.shape([(x - 7, y + 10), (x + 7, y + 10), (x, y + 1)], INK, INK, 1)
        canvas.line([(x - 12, y + 1), (x + 12, y + 1)], INK, 4)


def _arrow(
    canvas: _Canvas, start: Point, end: Point, centre: Point, gap: float, trunk: bool = False
) -> None:
    """A curved arrow from ``start`` towards ``end``, bowing away from ``centre`` (never
    under the floor) and stopping ``gap`` short of the body part it points at; for a
    short move or the trunk (hips up in a bridge), a straight one from the part outwards."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy)
    if length < 2:
        return  # it does not move
    if length < gap + 16 or trunk:  # a straight arrow from the part, the way it goes
        ux, uy = dx / length, dy / length
        start = (end[0] + ux * (gap - 2), end[1] + uy * (gap - 2))
        end = (start[0] + ux * 30, start[1] + uy * 30)
        if end[1] < 4:
            return  # it would point into the floor: the two positions show it
        centre, gap = start, 0.0
        dx, dy, length = ux * 30, uy * 30, 30.0
    mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    normal = (-dy / length, dx / length)
    away = (mid[0] - centre[0]) * normal[0] + (mid[1] - centre[1]) * normal[1]
    sign = 1 if away >= 0 else -1
    bow = min(0.35 * length, 30) if centre != start else 0.0
    if mid[1] + sign * normal[1] * bow < 6:  # not under the floor
        sign = -sign
    control = (mid[0] + sign * normal[0] * bow, max(4.0, mid[1] + sign * normal[1] * bow))
    tx, ty = end[0] - control[0], end[1] - control[1]
    norm = math.hypot(tx, ty) or 1
    tx, ty = tx / norm, ty / norm
    tip = (end[0] - tx * gap, end[1] - ty * gap)
    base = (tip[0] - tx * 13, tip[1] - ty * 13)
    canvas.parts.append(
        f'<path d="M{canvas.at(start)}Q{canvas.at(control)} {canvas.at(base)}" fill="none"'
        f' stroke="{INK}" stroke-width="{canvas.size(3.5)}" stroke-linecap="round"'
        ' class="move"/>'
    )
    canvas.shape(
        [tip, (base[0] - ty * 7, base[1] + tx * 7), (base[0] + ty * 7, base[1] - tx * 7)],
        INK,
        INK,
        1,
    )


def _gap(name: str) -> float:
    """How far an arrow stops short of a body part: off its outline."""
    if name == "head":
        return HEAD_R + 4
    return TRUNK_W / 2 + 3 if name in ("hip", "shoulder") else LIMB_W / 2 + 3


def _moving(pose: Pose, bodies: list[dict[str, Point]]) -> list[str]:
    """The points that move most (an arrow each), unless the pose names them."""
    if pose.arrows:
        return list(pose.arrows)
    start, end = bodies
    candidates = ["hand", "other_hand", "foot", "other_foot", "knee", "other_knee", "head", "hip"]
    moved = {name: math.dist(start[name], end[name]) for name in candidates}
    most = max(moved.values())
    chosen: list[str] = []
    for name in sorted(candidates, key=lambda n: -moved[n]):
        if moved[name] < max(18.0, 0.5 * most) or len(chosen) == 2:
            break
        if any(math.dist(end[name], end[other]) < 30 for other in chosen):
            continue
        chosen.append(name)
    return chosen


# The panel numbers as strokes, not text: SVG text costs WeasyPrint about 4 ms a word.
_DIGITS = {
    "1": "M-4 -6L1 -10V10",
    "2": "M-6 -5Q-6 -11 0 -11Q6 -11 6 -5Q6 0 -6 10H7",
}


def _label(x: float, number: str | None, text: str) -> str:
    """A panel's label: a number in a black disc, then a word or the hold."""
    parts = []
    if number:
        parts.append(f'<circle cx="{x + 15:.1f}" cy="19" r="15" fill="{INK}"/>')
        parts.append(
            f'<path d="{_DIGITS[number]}" transform="translate({x + 15:.1f} 19)" fill="none"'
            ' stroke="#fff" stroke-width="3.6" stroke-linecap="round" stroke-linejoin="round"/>'
        )
        x += 38
    parts.append(
        f'<text x="{x:.1f}" y="28" font-size="{FONT}" font-weight="bold" fill="{INK}">'
        f"{escape(text)}</text>"
    )
    return "".join(parts)


def hold_label(seconds: int | None, keep_going: bool = False) -> str | None:
    """'hold 10 s', 'hold 2 min', 'hold 2½ min', 'for 10 min' (walking, pool work); None
    without a hold. Short, to fit a panel at a print size of 11 pt."""
    if not seconds:
        return None
    minutes, rest = divmod(seconds, 60)
    if minutes and not rest:
        short = f"{minutes} min"
    elif minutes and rest == 30:
        short = f"{minutes}½ min"
    else:
        short = f"{seconds} s"
    return f"{'for' if keep_going else 'hold'} {short}"


def svg(pose: Pose, hold: str | None = None) -> str:
    """The drawing of ``pose`` as an SVG element to inline in HTML.

    ``hold`` labels the held position ("hold 10 s"); it is escaped like any text.
    Drawn twice: once to measure everything (figure, props, arrows), then to scale
    it into the panels, so nothing a pose asks for leaves its panel.
    """
    bodies = placed(pose)
    single = len(bodies) == 1
    panel = WIDTH if single else PANEL
    seen = [mark for canvas in _panels(pose, bodies, panel, 0, 1, 0) for mark in canvas.seen]
    low = min(x - pad for x, _, pad in seen) - 4
    high = max(x + pad for x, _, pad in seen) + 4
    tallest = max(y + pad for _, y, pad in seen) + 2
    below = max(0.0, -min(y - pad for _, y, pad in seen))  # under the floor line
    room = MAX_HEIGHT - TOP - BOTTOM - 4
    scale = min(MAX_SCALE, (panel - 8) / (high - low), room / (tallest + below))
    under = max(BOTTOM, below * scale + 1)  # the band below the floor line
    height = min(MAX_HEIGHT, math.ceil(TOP + tallest * scale + under + 4))
    ground = height - under
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}"'
        ' role="img" aria-hidden="true" focusable="false"'
        ' font-family="Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif">'
    ]
    for index, canvas in enumerate(_panels(pose, bodies, panel, (low + high) / 2, scale, ground)):
        out.append(f'<g class="{"start" if index == 0 else "end"}">{"".join(canvas.parts)}</g>')
    if single:
        out.append(_label(0, None, hold or "Stay like this"))
    else:
        out.append(_label(0, "1", "Start"))
        out.append(_label(WIDTH - PANEL, "2", hold or "End"))
        middle, y = WIDTH / 2, (TOP + ground) / 2
        out.append(
            f'<path d="M{middle - 16:.1f} {y}H{middle + 6:.1f}" stroke="{INK}" stroke-width="4"'
            f' stroke-linecap="round"/><path d="M{middle + 16:.1f} {y}l-12 -8v16z" fill="{INK}"/>'
        )
    out.append("</svg>")
    return "".join(out)


def _panels(
    pose: Pose,
    bodies: list[dict[str, Point]],
    panel: float,
    centre: float,
    scale: float,
    ground: float,
) -> list[_Canvas]:
    """Each position drawn in its panel: props, the figure and (at the end) the arrows."""
    positions = _positions(pose)
    reach = _reach(bodies)
    canvases = []
    for index, (points, position) in enumerate(zip(bodies, positions, strict=True)):
        left = 0.0 if index == 0 else WIDTH - PANEL
        canvas = _Canvas(left, panel, centre, scale, ground)
        _props_behind(canvas, pose, bodies, reach)
        ball = ball_centre(pose, points, position)
        if ball is not None:  # behind the figure: the near leg crosses a ball between the knees
            canvas.circle(ball, SMALL_BALL_R, SHADE, PROP, 2.5)
        _figure(canvas, points, position, pose.view)
        _props_in_front(canvas, pose, points, bodies[0], position)
        if index == 1:
            trunk_mid = (
                (points["hip"][0] + points["shoulder"][0]) / 2,
                (points["hip"][1] + points["shoulder"][1]) / 2,
            )
            for name in _moving(pose, bodies):
                trunk = name in ("hip", "shoulder")
                _arrow(canvas, bodies[0][name], points[name], trunk_mid, _gap(name), trunk)
        canvases.append(canvas)
    return canvases


def _positions(pose: Pose) -> list[Position]:
    return [p for p in (pose.start, pose.end) if p is not None]
