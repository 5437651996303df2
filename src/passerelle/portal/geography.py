"""Where partners are: country shapes and coordinates drawn as SVG on the server.

The map is drawn here rather than by a JavaScript map library so that it works on
a closed network, in the static export and without JavaScript: the shapes are
Natural Earth's (npm ``world-atlas``, installed with the project), projected with
the Equal Earth projection, which keeps areas true and looks familiar.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django_countries import countries

# Equal Earth (Šavrič, Patterson & Jenny, 2018).
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
#: Pixels per projected unit: the world is about 1000 px wide.
SCALE = 1000 / (2 * 2.7066)
WIDTH, HEIGHT = 1000.0, 487.0


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """(longitude, latitude) in degrees → (x, y) in the map's SVG coordinates."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return WIDTH / 2 + x * SCALE, HEIGHT / 2 - y * SCALE


@dataclass(frozen=True)
class CountryShape:
    code: str  # ISO 3166-1 alpha-2, "" when Natural Earth's shape has no ISO code
    path: str  # SVG path data


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantized, delta-encoded arcs → lists of (longitude, latitude)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)  # consecutive arcs share their end point
    return points


def _across_the_antimeridian(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring as the flat map draws it: one that crosses ±180° (Russia's Chukotka, Fiji)
    would otherwise join its two sides by a straight band across the whole map.

    Natural Earth's rings through world-atlas are spherical: a step from 179.9° to -179.9°
    is a short one. The ring is unwrapped (longitudes made continuous, beyond ±180°), then
    drawn twice: as it is, and shifted by 360° to the other edge; the map's frame cuts
    what lies beyond each edge.
    """
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        previous = unwrapped[-1][0]
        lon += 360 * round((previous - lon) / 360)
        unwrapped.append((lon, lat))
    longitudes = [lon for lon, _ in unwrapped]
    if max(longitudes) <= 180 and min(longitudes) >= -180:
        return [ring]
    shift = -360 if max(longitudes) > 180 else 360
    return [unwrapped, [(lon + shift, lat) for lon, lat in unwrapped]]


def _path(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    drawn = [part for ring in rings for part in _across_the_antimeridian(ring)]
    for ring in drawn:
        xy = [project(lon, lat) for lon, lat in ring]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return "".join(parts)


@lru_cache(maxsize=1)
def country_shapes(atlas: Path | None = None) -> tuple[CountryShape, ...]:
    """Every country's outline, Antarctica left out (nobody partners there, and it is huge)."""
    atlas = atlas or Path(settings.WORLD_ATLAS)
    if not atlas.exists():
        return ()
    topology = json.loads(atlas.read_text())
    arcs = _decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if numeric == "010":
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        code = countries.alpha2(int(numeric)) if numeric and numeric.isdigit() else ""
        shapes.append(CountryShape(code or "", _path(rings)))
    return tuple(shapes)


def curve(start: tuple[float, float], end: tuple[float, float]) -> str:
    """A gentle arc from start to end (a quadratic Bézier bowed to the left)."""
    (x1, y1), (x2, y2) = start, end
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    dx, dy = x2 - x1, y2 - y1
    bend = 0.2
    return f"M{x1:.1f},{y1:.1f}Q{mx - dy * bend:.1f},{my + dx * bend:.1f} {x2:.1f},{y2:.1f}"


def view_box(points: list[tuple[float, float]], margin: float = 40, minimum: float = 220) -> str:
    """The part of the world that holds every point, never smaller than a region."""
    if not points:
        return f"0 0 {WIDTH:.0f} {HEIGHT:.0f}"
    xs, ys = [x for x, _ in points], [y for _, y in points]
    width = max(max(xs) - min(xs) + 2 * margin, minimum)
    height = max(max(ys) - min(ys) + 2 * margin, minimum / 2)
    # keep the world's proportions so that the frame does not distort the picture
    width, height = max(width, height * WIDTH / HEIGHT), max(height, width * HEIGHT / WIDTH)
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    left = min(max(cx - width / 2, 0), max(WIDTH - width, 0))
    top = min(max(cy - height / 2, 0), max(HEIGHT - height, 0))
    return f"{left:.0f} {top:.0f} {min(width, WIDTH):.0f} {min(height, HEIGHT):.0f}"


def world_svg() -> str:
    """The land of the world as one SVG document, for maps that only place a point on it."""
    paths = "".join(f'<path d="{shape.path}"/>' for shape in country_shapes())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}">'
        f'<rect width="{WIDTH:.0f}" height="{HEIGHT:.0f}" fill="#e8eff5"/>'
        f'<g fill="#cfd8e1" stroke="#ffffff" stroke-width="0.5">{paths}</g></svg>'
    )
