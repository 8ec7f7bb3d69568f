"""Chile's 16 regions for the map: population and a simplified drawing.

Population: people counted by the Censo de Población y Vivienda 2024, first results published
by the Instituto Nacional de Estadísticas (INE, 27 March 2025, https://censo2024.ine.gob.cl/);
the regions add up to the national 18,480,432. (A census count rather than the 2017-based
projections: it is the more recent and more accurate figure for 2024.)

Checked region by region (2026-12-07) against where each figure was published, in
``POPULATION_CHECKED``: INE's own regional release (Ñuble), or regional newspapers reporting
INE's figures on 27-28 March 2025. Three figures (Arica y Parinacota, O'Higgins, Los Ríos) were
not found published on their own; their sum is the national total minus the thirteen checked
ones, and ``tests/insights/test_chile.py`` asserts that the sixteen add up to it. Check those
three against INE's table «Cantidad de personas por región» (censo2024.ine.gob.cl) when it can
be reached.

Shapes: a schematic drawing made for this project (no third-party geometry, so no licence to
carry): each region is the band of the country between its approximate northern and southern
latitudes, bounded by the coast and the eastern border, both given as a few (latitude,
longitude) points and joined by straight lines. Valparaíso, the Metropolitana and O'Higgins
share latitudes and are split at 71.2° W. Islands (Chiloé aside, which the band covers), the
Juan Fernández and Easter islands and the Antarctic territory are left out. Good enough to find
one's region and compare shades; not a survey map.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

POPULATION: dict[str, int] = {
    "arica-y-parinacota": 244_569,
    "tarapaca": 369_806,
    "antofagasta": 635_416,
    "atacama": 299_180,
    "coquimbo": 832_864,
    "valparaiso": 1_896_053,
    "metropolitana": 7_400_741,
    "ohiggins": 987_228,
    "maule": 1_123_008,
    "nuble": 512_289,
    "biobio": 1_613_059,
    "araucania": 1_010_423,
    "los-rios": 398_230,
    "los-lagos": 890_284,
    "aysen": 100_745,
    "magallanes": 166_537,
}
POPULATION_SOURCE = "INE, Censo de Población y Vivienda 2024 (primeros resultados, 2025)"
NATIONAL_TOTAL = 18_480_432

# Where each figure was found (None: not found published alone; fixed by NATIONAL_TOTAL).
POPULATION_CHECKED: dict[str, str | None] = {
    "arica-y-parinacota": None,
    "tarapaca": "La Estrella de Iquique, 28-03-2025",
    "antofagasta": "El Mercurio de Antofagasta, 07-04-2025",
    "atacama": "Diario Atacama, 28-03-2025",
    "coquimbo": "La Serena Online, 2025 (INE's regional release)",
    "valparaiso": "Diario Atacama, 28-03-2025 (national summary)",
    "metropolitana": "Diario Atacama, 28-03-2025 (national summary)",
    "ohiggins": None,
    "maule": "Diario El Heraldo (Linares), 29-03-2025",
    "nuble": "INE Ñuble, «Primeros resultados del Censo 2024: 512.289 personas…»",
    "biobio": "Diario Atacama, 28-03-2025 (national summary)",
    "araucania": "Universidad Católica de Temuco, INE's regional release, 2025",
    "los-rios": None,
    "los-lagos": "El Austral de Osorno (via Litoral Press), 2025",
    "aysen": "Diario Atacama, 28-03-2025 (national summary)",
    "magallanes": "Radio Polar, 28-03-2025",
}

# (south latitude, west longitude) along the coast and along the eastern border, north to south.
COAST = [
    (17.5, 70.35), (20.0, 70.15), (23.0, 70.5), (25.0, 70.5), (27.0, 70.95), (30.0, 71.4),
    (32.0, 71.5), (33.5, 71.7), (35.0, 72.3), (36.5, 72.9), (37.5, 73.6), (39.0, 73.3),
    (40.5, 73.8), (42.0, 74.2), (44.0, 74.8), (47.0, 75.6), (50.0, 75.5), (52.5, 74.5),
    (54.0, 72.5), (55.5, 69.5),
]  # fmt: skip
BORDER = [
    (17.5, 69.5), (18.5, 69.0), (21.0, 68.5), (22.5, 67.9), (24.5, 67.5), (25.5, 68.5),
    (27.0, 68.7), (29.0, 69.8), (31.0, 70.3), (33.0, 70.0), (35.0, 70.4), (37.0, 71.2),
    (39.0, 71.5), (41.0, 71.8), (44.0, 71.7), (46.0, 71.8), (48.0, 72.4), (50.0, 73.2),
    (51.5, 72.3), (52.3, 69.0), (54.0, 68.6), (55.5, 67.5),
]  # fmt: skip
SPLIT = 71.2  # west longitude dividing Valparaíso / O'Higgins (west) from the Metropolitana

# A piece: (north latitude, south latitude, part) with part "all", "west" or "east" of SPLIT.
Piece = tuple[float, float, str]
REGIONS: dict[str, list[Piece]] = {
    "arica-y-parinacota": [(17.5, 19.2, "all")],
    "tarapaca": [(19.2, 21.6, "all")],
    "antofagasta": [(21.6, 26.05, "all")],
    "atacama": [(26.05, 29.3, "all")],
    "coquimbo": [(29.3, 32.0, "all")],
    "valparaiso": [(32.0, 33.0, "all"), (33.0, 33.95, "west")],
    "metropolitana": [(33.0, 34.25, "east")],
    "ohiggins": [(33.95, 34.25, "west"), (34.25, 35.0, "all")],
    "maule": [(35.0, 36.3, "all")],
    "nuble": [(36.3, 37.2, "all")],
    "biobio": [(37.2, 38.5, "all")],
    "araucania": [(38.5, 39.6, "all")],
    "los-rios": [(39.6, 40.6, "all")],
    "los-lagos": [(40.6, 44.0, "all")],
    "aysen": [(44.0, 49.0, "all")],
    "magallanes": [(49.0, 55.5, "all")],
}

# The map's labels: the names people use (the full names are in the table).
SHORT_NAMES: dict[str, str] = {
    "metropolitana": "Metropolitana",
    "ohiggins": "O'Higgins",
    "aysen": "Aysén",
    "magallanes": "Magallanes",
}

SCALE = 16  # SVG units per degree
WEST, NORTH = 76.0, 17.0  # the drawing's top-left corner (degrees)
WIDTH = round((WEST - 66.5) * SCALE)
HEIGHT = round((56.0 - NORTH) * SCALE)


def _lon_at(line: list[tuple[float, float]], lat: float) -> float:
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(line):
        if lat1 <= lat <= lat2:
            return lon1 + (lon2 - lon1) * (lat - lat1) / (lat2 - lat1)
    return line[-1][1] if lat > line[-1][0] else line[0][1]


def _xy(lat: float, lon: float) -> str:
    return f"{(WEST - lon) * SCALE:.1f},{(lat - NORTH) * SCALE:.1f}"


def _edge(line: list[tuple[float, float]], north: float, south: float) -> list[float]:
    """The latitudes to draw an edge through: its ends and every point of the line between."""
    return [north, *[lat for lat, _ in line if north < lat < south], south]


def _piece_path(north: float, south: float, part: str) -> str:
    west_side = [(lat, _lon_at(COAST, lat)) for lat in _edge(COAST, north, south)]
    east_side = [(lat, _lon_at(BORDER, lat)) for lat in _edge(BORDER, north, south)]
    if part == "west":
        east_side = [(north, SPLIT), (south, SPLIT)]
    elif part == "east":
        west_side = [(north, SPLIT), (south, SPLIT)]
    points = west_side + list(reversed(east_side))
    return "M" + " L".join(_xy(lat, lon) for lat, lon in points) + " Z"


@dataclass(frozen=True)
class RegionShape:
    slug: str
    path: str  # SVG path data
    label_x: float
    label_y: float


def shapes() -> list[RegionShape]:
    out = []
    for slug, pieces in REGIONS.items():
        north = min(p[0] for p in pieces)
        south = max(p[1] for p in pieces)
        mid = (north + south) / 2
        out.append(
            RegionShape(
                slug=slug,
                path=" ".join(_piece_path(*p) for p in pieces),
                label_x=round((WEST - _lon_at(BORDER, mid)) * SCALE + 6, 1),
                label_y=round((mid - NORTH) * SCALE + 4, 1),
            )
        )
    return out
