#include "common.h"

static double matrix_a(long long i, long long j) {
    return 1.0 / (double)((i + j) * (i + j + 1) / 2 + i + 1);
}

static void times_a(long long n, const double *u, double *out) {
    for (long long i = 0; i < n; i++) {
        double total = 0.0;
        for (long long j = 0; j < n; j++) total += matrix_a(i, j) * u[j];
        out[i] = total;
    }
}

static void times_at(long long n, const double *u, double *out) {
    for (long long i = 0; i < n; i++) {
        double total = 0.0;
        for (long long j = 0; j < n; j++) total += matrix_a(j, i) * u[j];
        out[i] = total;
    }
}

static void times_ata(long long n, const double *u, double *out, double *tmp) {
    times_a(n, u, tmp);
    times_at(n, tmp, out);
}

static double spectral_norm(long long n) {
    double *u = malloc(sizeof(double) * (size_t)n);
    double *v = malloc(sizeof(double) * (size_t)n);
    double *tmp = malloc(sizeof(double) * (size_t)n);
    for (long long i = 0; i < n; i++) { u[i] = 1.0; v[i] = 0.0; tmp[i] = 0.0; }
    for (int k = 0; k < 10; k++) {
        times_ata(n, u, v, tmp);
        times_ata(n, v, u, tmp);
    }
    double vbv = 0.0, vv = 0.0;
    for (long long i = 0; i < n; i++) {
        vbv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    free(u); free(v); free(tmp);
    return vbv / vv;
}

int main(int argc, char **argv) {
    long long n = arg_size(argc, argv);
    double start = now();
    double result = spectral_norm(n);
    double seconds = now() - start;
    printf("%.17g %.9f\n", result, seconds);
    return 0;
}
