#include "common.h"

#define ITERATIONS 50
#define ESCAPE 4.0

static long long mandelbrot(long long size) {
    long long total = 0;
    for (long long row = 0; row < size; row++) {
        double ci = 3.0 * (double)row / (double)size - 1.5;
        for (long long column = 0; column < size; column++) {
            double cr = 3.0 * (double)column / (double)size - 2.0;
            double zr = 0.0, zi = 0.0;
            long long steps = 0;
            while (steps < ITERATIONS && zr * zr + zi * zi <= ESCAPE) {
                double zr_next = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = zr_next;
                steps++;
            }
            total += steps;
        }
    }
    return total;
}

int main(int argc, char **argv) {
    long long n = arg_size(argc, argv);
    double start = now();
    long long result = mandelbrot(n);
    double seconds = now() - start;
    printf("%lld %.9f\n", result, seconds);
    return 0;
}
