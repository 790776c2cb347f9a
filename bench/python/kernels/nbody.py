"""nbody in plain Python.

Mirrors Sources/Kernels/NBody.swift (input, sizes, result) and
Sources/Idiomatic/NBody.swift (algorithm): direct-sum gravity over N bodies
(the Benchmarks Game's sun and four planets, then asteroids drawn from
SplitMix64(seed 0x6e626f6479)), 100 symplectic-Euler steps of dt 0.01. Body i
sums the pull of every other body itself, in order j = 0, 1, ..., then moves;
a step maps min(64, ceil(N/2)) chunks of bodies to their next states and joins
them in order. Every float operation is the Swift one in the same order, so the
energies are bit-identical (Swift's tolerance for nbody is 0).

Result: text "energy before %.9f · after %.9f", checksum 0, values [before, after].
"""

from __future__ import annotations

import math
from typing import Tuple

from kernels.support import SplitMix64, chunk_range, fixed

NAME = "nbody"
SIZES = {"tiny": 40, "quick": 160, "full": 1200}
STEPS = 100
DT = 0.01
SEED = 0x6E626F6479  # "nbody"

#: A position or a velocity.
Vec3 = Tuple[float, float, float]

SOLAR_MASS = 4 * math.pi * math.pi
DAYS_PER_YEAR = 365.24

# The Benchmarks Game's sun, Jupiter, Saturn, Uranus and Neptune:
# (position, velocity, mass).
PLANETS = [
    ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0), SOLAR_MASS),
    (
        (4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01),
        (1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
         -6.90460016972063023e-05 * DAYS_PER_YEAR),
        9.54791938424326609e-04 * SOLAR_MASS,
    ),
    (
        (8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01),
        (-2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
         2.30417297573763929e-05 * DAYS_PER_YEAR),
        2.85885980666130812e-04 * SOLAR_MASS,
    ),
    (
        (1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01),
        (2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
         -2.96589568540237556e-05 * DAYS_PER_YEAR),
        4.36624404335156298e-05 * SOLAR_MASS,
    ),
    (
        (1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01),
        (2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
         -9.51592254519715870e-05 * DAYS_PER_YEAR),
        5.15138902046611451e-05 * SOLAR_MASS,
    ),
]


def validate(n):
    if not 2 <= n <= 65536:
        raise ValueError("N (bodies) must be in 2...65536")


def initial_state(n: int) -> tuple[list[Vec3], list[Vec3], list[float]]:
    """Positions, velocities (lists of (x, y, z)) and masses of n bodies, with
    the Benchmarks Game's offset-momentum over all of them."""
    positions: list[Vec3] = []
    velocities: list[Vec3] = []
    masses: list[float] = []
    for position, velocity, mass in PLANETS[:n]:
        positions.append(position)
        velocities.append(velocity)
        masses.append(mass)
    random = SplitMix64(SEED)
    while len(positions) < n:
        x = 100 * random.next_double() - 50
        y = 100 * random.next_double() - 50
        r = math.sqrt(x * x + y * y)
        if not 2 <= r <= 50:
            continue
        z = 0.05 * r * (2 * random.next_double() - 1)
        speed = math.sqrt(SOLAR_MASS / r)
        positions.append((x, y, z))
        velocities.append((-speed * y / r, speed * x / r, 0.0))
        masses.append(SOLAR_MASS * 1e-9 * (0.1 + 0.9 * random.next_double()))
    px = py = pz = 0.0
    for (vx, vy, vz), mass in zip(velocities, masses):
        px += vx * mass
        py += vy * mass
        pz += vz * mass
    velocities[0] = (-px / SOLAR_MASS, -py / SOLAR_MASS, -pz / SOLAR_MASS)
    return positions, velocities, masses


def energy(positions: list[Vec3], velocities: list[Vec3], masses: list[float]) -> float:
    """Kinetic minus pairwise potential energy (G = 1)."""
    e = 0.0
    n = len(positions)
    for i in range(n):
        x, y, z = positions[i]
        vx, vy, vz = velocities[i]
        mass = masses[i]
        e += 0.5 * mass * (vx * vx + vy * vy + vz * vz)
        for j in range(i + 1, n):
            ox, oy, oz = positions[j]
            dx, dy, dz = x - ox, y - oy, z - oz
            e -= mass * masses[j] / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


def advance_bodies(
    lo: int, hi: int, positions: list[Vec3], velocities: list[Vec3], masses: list[float], dt: float
) -> list[tuple[Vec3, Vec3]]:
    """The next (position, velocity) of bodies lo..<hi: one chunk of a step."""
    moved = []
    for i in range(lo, hi):
        x, y, z = positions[i]
        vx, vy, vz = velocities[i]
        for j, (ox, oy, oz) in enumerate(positions):
            if j == i:
                continue
            dx, dy, dz = x - ox, y - oy, z - oz
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * math.sqrt(d2))
            mass = masses[j]
            vx -= dx * mass * mag
            vy -= dy * mass * mag
            vz -= dz * mass * mag
        moved.append(((x + dt * vx, y + dt * vy, z + dt * vz), (vx, vy, vz)))
    return moved


def prepare(n, steps=STEPS):
    positions, velocities, masses = initial_state(n)
    chunks = min(64, (n + 1) // 2)
    return {"n": n, "steps": steps, "positions": positions, "velocities": velocities,
            "masses": masses, "chunks": [(r.start, r.stop) for r in (chunk_range(c, chunks, n) for c in range(chunks))]}


def run(state, ex):
    positions, velocities, masses = state["positions"], state["velocities"], state["masses"]
    before = energy(positions, velocities, masses)
    for _ in range(state["steps"]):
        parts = ex.map(advance_bodies, [(lo, hi, positions, velocities, masses, DT) for lo, hi in state["chunks"]])
        bodies = [body for part in parts for body in part]
        positions = [position for position, _ in bodies]
        velocities = [velocity for _, velocity in bodies]
    return before, energy(positions, velocities, masses)


def result(state, energies):
    before, after = energies
    return "energy before %s · after %s" % (fixed(before, 9), fixed(after, 9)), 0, [before, after]
