"""nbody: the Jovian planets, advanced n steps (Benchmarks Game), state in list[float].

The language has no records in this slice and no sqrt yet, so the state is seven
list[float] (position, velocity, mass per body) and the distance uses a Newton
square root, written out here and used alike by every implementation.
"""

from molt import export

SOLAR_MASS = 39.47841760435743  # 4 * pi * pi
DAYS_PER_YEAR = 365.24
BODIES = 5
DT = 0.01


def newton_sqrt(x: float) -> float:
    """The square root of x > 0: Newton's iteration from above until it stops falling."""
    y = x if x > 1.0 else 1.0
    while True:
        nxt = 0.5 * (y + x / y)
        if nxt >= y:
            return y
        y = nxt


def energy(
    xs: list[float],
    ys: list[float],
    zs: list[float],
    vxs: list[float],
    vys: list[float],
    vzs: list[float],
    ms: list[float],
) -> float:
    e = 0.0
    for i in range(BODIES):
        e += 0.5 * ms[i] * (vxs[i] * vxs[i] + vys[i] * vys[i] + vzs[i] * vzs[i])
        for j in range(i + 1, BODIES):
            dx = xs[i] - xs[j]
            dy = ys[i] - ys[j]
            dz = zs[i] - zs[j]
            e -= ms[i] * ms[j] / newton_sqrt(dx * dx + dy * dy + dz * dz)
    return e


@export
def nbody(steps: int) -> float:
    """The system's energy after `steps` steps of 0.01 days."""
    xs = [
        0.0,
        4.84143144246472090e00,
        8.34336671824457987e00,
        1.28943695621391310e01,
        1.53796971148509165e01,
    ]
    ys = [
        0.0,
        -1.16032004402742839e00,
        4.12479856412430479e00,
        -1.51111514016986312e01,
        -2.59193146099879641e01,
    ]
    zs = [
        0.0,
        -1.03622044471123109e-01,
        -4.03523417114321381e-01,
        -2.23307578892655734e-01,
        1.79258772950371181e-01,
    ]
    vxs = [
        0.0,
        1.66007664274403694e-03,
        -2.76742510726862411e-03,
        2.96460137564761618e-03,
        2.68067772490389322e-03,
    ]
    vys = [
        0.0,
        7.69901118419740425e-03,
        4.99852801234917238e-03,
        2.37847173959480950e-03,
        1.62824170038242295e-03,
    ]
    vzs = [
        0.0,
        -6.90460016972063023e-05,
        2.30417297573763929e-05,
        -2.96589568540237556e-05,
        -9.51592254519715870e-05,
    ]
    ms = [
        1.0,
        9.54791938424326609e-04,
        2.85885980666130812e-04,
        4.36624404335156298e-05,
        5.15138902046611451e-05,
    ]
    for i in range(BODIES):
        vxs[i] = vxs[i] * DAYS_PER_YEAR
        vys[i] = vys[i] * DAYS_PER_YEAR
        vzs[i] = vzs[i] * DAYS_PER_YEAR
        ms[i] = ms[i] * SOLAR_MASS
    px = 0.0
    py = 0.0
    pz = 0.0
    for i in range(BODIES):
        px += vxs[i] * ms[i]
        py += vys[i] * ms[i]
        pz += vzs[i] * ms[i]
    vxs[0] = -px / SOLAR_MASS
    vys[0] = -py / SOLAR_MASS
    vzs[0] = -pz / SOLAR_MASS
    for _ in range(steps):
        for i in range(BODIES):
            for j in range(i + 1, BODIES):
                dx = xs[i] - xs[j]
                dy = ys[i] - ys[j]
                dz = zs[i] - zs[j]
                d2 = dx * dx + dy * dy + dz * dz
                mag = DT / (d2 * newton_sqrt(d2))
                mi = ms[i] * mag
                mj = ms[j] * mag
                vxs[i] -= dx * mj
                vys[i] -= dy * mj
                vzs[i] -= dz * mj
                vxs[j] += dx * mi
                vys[j] += dy * mi
                vzs[j] += dz * mi
        for i in range(BODIES):
            xs[i] += DT * vxs[i]
            ys[i] += DT * vys[i]
            zs[i] += DT * vzs[i]
    return energy(xs, ys, zs, vxs, vys, vzs, ms)
