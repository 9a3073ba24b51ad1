/* Shared by the C kernels: the input size from argv, a monotonic clock, and the
   output line the benchmark reads: "<result> <seconds of the kernel alone>". */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static long long arg_size(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SIZE\n", argv[0]);
        exit(2);
    }
    return atoll(argv[1]);
}
