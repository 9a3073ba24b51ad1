#include "common.h"

static long long fannkuch(long long n) {
    long long *perm1 = malloc(sizeof(long long) * (size_t)n);
    long long *perm = malloc(sizeof(long long) * (size_t)n);
    long long *count = malloc(sizeof(long long) * (size_t)n);
    for (long long i = 0; i < n; i++) { perm1[i] = i; perm[i] = 0; count[i] = 0; }
    long long max_flips = 0, checksum = 0, permutation = 0, r = n;
    for (;;) {
        while (r != 1) { count[r - 1] = r; r--; }
        for (long long i = 0; i < n; i++) perm[i] = perm1[i];
        long long flips = 0;
        long long k = perm[0];
        while (k != 0) {
            long long i = 0, j = k;
            while (i < j) {
                long long swap = perm[i];
                perm[i] = perm[j];
                perm[j] = swap;
                i++; j--;
            }
            flips++;
            k = perm[0];
        }
        if (flips > max_flips) max_flips = flips;
        checksum += permutation % 2 == 0 ? flips : -flips;
        for (;;) {
            if (r == n) {
                free(perm1); free(perm); free(count);
                return checksum * 1000 + max_flips;
            }
            long long first = perm1[0];
            for (long long i = 0; i < r; i++) perm1[i] = perm1[i + 1];
            perm1[r] = first;
            count[r]--;
            if (count[r] > 0) break;
            r++;
        }
        permutation++;
    }
}

int main(int argc, char **argv) {
    long long n = arg_size(argc, argv);
    double start = now();
    long long result = fannkuch(n);
    double seconds = now() - start;
    printf("%lld %.9f\n", result, seconds);
    return 0;
}
