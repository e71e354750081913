"""Upper bounds on the number of new chapters: no plan can do better.

Cheap ones (every chapter needs `core_women` women and `min_size` members, and all its members
lie within 2R of each other, so within one connected component of the "within 2R" graph), and a
grid bound: the exact program over H3 cell centres with radius R + e_c, where e_c is the cell's
largest centre-to-vertex distance. Any meeting point lies in some cell, so every valid chapter is
also valid for that cell's centre at radius R + e_c: the program relaxes the real problem.
"""

from __future__ import annotations

import math

import h3
import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from chapterhouse.planning.aggregate import IntArray
from chapterhouse.planning.candidates import Cover, drop_dominated
from chapterhouse.planning.exact import ExactResult, solve
from chapterhouse.planning.geo import FloatArray, chord_for_km, km_between, lat_lon, unit_vectors
from chapterhouse.planning.rule import Rule


def simple_bound(women: int, total: int, rule: Rule) -> int:
    return int(rule.max_groups(women, total))


def components(xyz: FloatArray, radius_km: float) -> IntArray:
    """Component label of every place in the graph of places at most 2R apart."""
    if len(xyz) == 0:
        return np.zeros(0, dtype=np.int64)
    pairs = cKDTree(xyz).query_pairs(chord_for_km(2 * radius_km), output_type="ndarray")
    graph = coo_array((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])),
                      shape=(len(xyz), len(xyz)))
    labels: IntArray = connected_components(graph, directed=False)[1].astype(np.int64)
    return labels


def component_bound(xyz: FloatArray, women: IntArray, others: IntArray, rule: Rule) -> int:
    label = components(xyz, rule.radius_km)
    w = np.bincount(label, weights=women).astype(np.int64)
    n = np.bincount(label, weights=women + others).astype(np.int64)
    return int(rule.max_groups(w, n).sum())


def grid_cover(xyz: FloatArray, rule: Rule, resolution: int = 6) -> Cover:
    """H3 cells whose centre lies within R + e_c of some place, reaching places within R + e_c."""
    lat, lon = lat_lon(xyz)
    edge = h3.average_hexagon_edge_length(resolution, unit="km")
    ring = math.ceil((rule.radius_km + 2 * edge) / (1.5 * edge)) + 1
    cells: set[str] = set()
    for a, b in {(round(x, 4), round(y, 4)) for x, y in zip(lat, lon, strict=True)}:
        cells.update(h3.grid_disk(h3.latlng_to_cell(a, b, resolution), ring))
    cell_list = sorted(cells)
    centres = np.array([unit_vectors(*h3.cell_to_latlng(c)) for c in cell_list])
    extent = np.array([
        km_between(unit_vectors(*np.array(h3.cell_to_boundary(c)).T), centres[i]).max()
        for i, c in enumerate(cell_list)
    ])
    # A hair of slack so rounding never makes the bound too tight.
    reach = [chord_for_km(rule.radius_km + e + 1e-6) for e in extent]
    found = cKDTree(xyz).query_ball_point(centres, np.array(reach), return_sorted=True)
    sizes = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(found))
    ptr = np.zeros(len(found) + 1, dtype=np.int64)
    np.cumsum(sizes, out=ptr[1:])
    idx = np.fromiter((i for f in found for i in f), dtype=np.int64, count=int(ptr[-1]))
    return drop_dominated(Cover(centres, ptr, idx))


def grid_bound(xyz: FloatArray, women: IntArray, others: IntArray, rule: Rule,
               resolution: int = 6, time_limit: float = 30.0) -> ExactResult:
    """The relaxed program on the grid: its `bound` holds for meeting points anywhere."""
    return solve(xyz, women, others, rule, cov=grid_cover(xyz, rule, resolution),
                 time_limit=time_limit)
