#include "common.h"

#define SOLAR_MASS 39.47841760435743
#define DAYS_PER_YEAR 365.24
#define BODIES 5
#define DT 0.01

/* The same Newton square root as nbody.py (the Molt language has no sqrt yet). */
static double newton_sqrt(double x) {
    double y = x > 1.0 ? x : 1.0;
    for (;;) {
        double next = 0.5 * (y + x / y);
        if (next >= y) return y;
        y = next;
    }
}

static double energy(const double *xs, const double *ys, const double *zs, const double *vxs,
                     const double *vys, const double *vzs, const double *ms) {
    double e = 0.0;
    for (int i = 0; i < BODIES; i++) {
        e += 0.5 * ms[i] * (vxs[i] * vxs[i] + vys[i] * vys[i] + vzs[i] * vzs[i]);
        for (int j = i + 1; j < BODIES; j++) {
            double dx = xs[i] - xs[j], dy = ys[i] - ys[j], dz = zs[i] - zs[j];
            e -= ms[i] * ms[j] / newton_sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static double nbody(long long steps) {
    double xs[BODIES] = {0.0, 4.84143144246472090e00, 8.34336671824457987e00,
                         1.28943695621391310e01, 1.53796971148509165e01};
    double ys[BODIES] = {0.0, -1.16032004402742839e00, 4.12479856412430479e00,
                         -1.51111514016986312e01, -2.59193146099879641e01};
    double zs[BODIES] = {0.0, -1.03622044471123109e-01, -4.03523417114321381e-01,
                         -2.23307578892655734e-01, 1.79258772950371181e-01};
    double vxs[BODIES] = {0.0, 1.66007664274403694e-03, -2.76742510726862411e-03,
                          2.96460137564761618e-03, 2.68067772490389322e-03};
    double vys[BODIES] = {0.0, 7.69901118419740425e-03, 4.99852801234917238e-03,
                          2.37847173959480950e-03, 1.62824170038242295e-03};
    double vzs[BODIES] = {0.0, -6.90460016972063023e-05, 2.30417297573763929e-05,
                          -2.96589568540237556e-05, -9.51592254519715870e-05};
    double ms[BODIES] = {1.0, 9.54791938424326609e-04, 2.85885980666130812e-04,
                         4.36624404335156298e-05, 5.15138902046611451e-05};
    for (int i = 0; i < BODIES; i++) {
        vxs[i] = vxs[i] * DAYS_PER_YEAR;
        vys[i] = vys[i] * DAYS_PER_YEAR;
        vzs[i] = vzs[i] * DAYS_PER_YEAR;
        ms[i] = ms[i] * SOLAR_MASS;
    }
    double px = 0.0, py = 0.0, pz = 0.0;
    for (int i = 0; i < BODIES; i++) {
        px += vxs[i] * ms[i];
        py += vys[i] * ms[i];
        pz += vzs[i] * ms[i];
    }
    vxs[0] = -px / SOLAR_MASS;
    vys[0] = -py / SOLAR_MASS;
    vzs[0] = -pz / SOLAR_MASS;
    for (long long step = 0; step < steps; step++) {
        for (int i = 0; i < BODIES; i++) {
            for (int j = i + 1; j < BODIES; j++) {
                double dx = xs[i] - xs[j], dy = ys[i] - ys[j], dz = zs[i] - zs[j];
                double d2 = dx * dx + dy * dy + dz * dz;
                double mag = DT / (d2 * newton_sqrt(d2));
                double mi = ms[i] * mag, mj = ms[j] * mag;
                vxs[i] -= dx * mj;
                vys[i] -= dy * mj;
                vzs[i] -= dz * mj;
                vxs[j] += dx * mi;
                vys[j] += dy * mi;
                vzs[j] += dz * mi;
            }
        }
        for (int i = 0; i < BODIES; i++) {
            xs[i] += DT * vxs[i];
            ys[i] += DT * vys[i];
            zs[i] += DT * vzs[i];
        }
    }
    return energy(xs, ys, zs, vxs, vys, vzs, ms);
}

int main(int argc, char **argv) {
    long long n = arg_size(argc, argv);
    double start = now();
    double result = nbody(n);
    double seconds = now() - start;
    printf("%.17g %.9f\n", result, seconds);
    return 0;
}
