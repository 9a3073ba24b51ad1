"""fannkuch: pancake flips over all permutations of n (Benchmarks Game fannkuch-redux)."""

from molt import export


@export
def fannkuch(n: int) -> int:
    """checksum * 1000 + maximum flips, over the permutations of 0..n-1 in the
    Benchmarks Game's order (one int so that every implementation returns a scalar)."""
    perm1 = [0] * n
    for i in range(n):
        perm1[i] = i
    perm = [0] * n
    count = [0] * n
    max_flips = 0
    checksum = 0
    permutation = 0
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        for i in range(n):
            perm[i] = perm1[i]
        flips = 0
        k = perm[0]
        while k != 0:
            i = 0
            j = k
            while i < j:
                swap = perm[i]
                perm[i] = perm[j]
                perm[j] = swap
                i += 1
                j -= 1
            flips += 1
            k = perm[0]
        if flips > max_flips:
            max_flips = flips
        if permutation % 2 == 0:
            checksum += flips
        else:
            checksum -= flips
        while True:
            if r == n:
                return checksum * 1000 + max_flips
            first = perm1[0]
            for i in range(r):
                perm1[i] = perm1[i + 1]
            perm1[r] = first
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1
        permutation += 1
