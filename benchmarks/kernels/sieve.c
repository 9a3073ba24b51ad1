#include "common.h"

static long long sieve(long long limit) {
    if (limit < 2) return 0;
    unsigned char *composite = calloc((size_t)limit, 1);
    long long count = 0;
    for (long long candidate = 2; candidate < limit; candidate++) {
        if (composite[candidate]) continue;
        count++;
        for (long long multiple = candidate * candidate; multiple < limit; multiple += candidate)
            composite[multiple] = 1;
    }
    free(composite);
    return count;
}

int main(int argc, char **argv) {
    long long n = arg_size(argc, argv);
    double start = now();
    long long result = sieve(n);
    double seconds = now() - start;
    printf("%lld %.9f\n", result, seconds);
    return 0;
}
