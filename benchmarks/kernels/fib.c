#include "common.h"

static long long fib_rec(long long n) {
    if (n < 2) return n;
    return fib_rec(n - 1) + fib_rec(n - 2);
}

int main(int argc, char **argv) {
    long long n = arg_size(argc, argv);
    double start = now();
    long long result = fib_rec(n);
    double seconds = now() - start;
    printf("%lld %.9f\n", result, seconds);
    return 0;
}
