"""Country distances for warehouse routing: great-circle distance between country centroids."""
from __future__ import annotations

import math

# Approximate centroids (lat, lon) of countries our distributors ship to. Unknown countries rank last.
CENTROIDS: dict[str, tuple[float, float]] = {
    "AT": (47.6, 14.1), "BE": (50.6, 4.6), "BG": (42.7, 25.5), "CH": (46.8, 8.2),
    "CY": (35.0, 33.2), "CZ": (49.8, 15.5), "DE": (51.2, 10.4), "DK": (56.0, 10.0),
    "EE": (58.6, 25.0), "ES": (40.2, -3.6), "FI": (64.5, 26.0), "FR": (46.6, 2.4),
    "GB": (54.0, -2.5), "UK": (54.0, -2.5), "GR": (39.1, 22.9), "HR": (45.1, 15.2),
    "HU": (47.2, 19.4), "IE": (53.2, -8.2), "IS": (64.9, -18.6), "IT": (42.8, 12.6),
    "LI": (47.2, 9.6), "LT": (55.3, 23.9), "LU": (49.8, 6.1), "LV": (56.9, 24.6),
    "MT": (35.9, 14.4), "NL": (52.2, 5.5), "NO": (61.4, 8.8), "PL": (52.1, 19.4),
    "PT": (39.6, -8.0), "RO": (45.9, 24.9), "RS": (44.0, 20.9), "SE": (62.8, 16.7),
    "SI": (46.1, 14.8), "SK": (48.7, 19.5), "TR": (39.0, 35.2), "UA": (49.0, 31.4),
    "US": (39.8, -98.6), "CA": (56.1, -106.3), "MX": (23.6, -102.6), "BR": (-14.2, -51.9),
    "CN": (35.9, 104.2), "JP": (36.2, 138.3), "IN": (20.6, 79.0), "AU": (-25.3, 133.8),
    "ZA": (-30.6, 22.9), "AE": (23.4, 53.8),
}
UNKNOWN_DISTANCE_KM = 1_000_000.0


def country_distance_km(a: str | None, b: str | None) -> float:
    """Great-circle km between two countries' centroids; 0 for the same country."""
    a, b = (a or "").upper(), (b or "").upper()
    if a and a == b:
        return 0.0
    if a not in CENTROIDS or b not in CENTROIDS:
        return UNKNOWN_DISTANCE_KM
    (lat1, lon1), (lat2, lon2) = CENTROIDS[a], CENTROIDS[b]
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def rank_warehouses(warehouses, country: str | None) -> list[str]:
    """Warehouse ids nearest to the ship-to country first (ties and unknowns by id)."""
    return [w.warehouse_id for w in sorted(
        warehouses, key=lambda w: (country_distance_km(country, w.country), w.warehouse_id))]
