from molt import export


@export
def odd_sum(n: int, limit: int) -> int:
    total = 0
    i = 0
    while True:
        i += 1
        if i > n:
            break
        if i % 2 == 0 or i % 3 == 0:
            continue
        total += i
        if total > limit:
            break
    return total
