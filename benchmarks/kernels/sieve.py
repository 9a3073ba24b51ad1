"""sieve: the number of primes below a limit (Eratosthenes over a list[bool])."""

from molt import export


@export
def sieve(limit: int) -> int:
    """How many primes are below limit."""
    if limit < 2:
        return 0
    composite = [False] * limit
    count = 0
    for candidate in range(2, limit):
        if composite[candidate]:
            continue
        count += 1
        multiple = candidate * candidate
        while multiple < limit:
            composite[multiple] = True
            multiple += candidate
    return count
