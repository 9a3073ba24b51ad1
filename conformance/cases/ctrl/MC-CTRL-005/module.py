from molt import export


@export
def first_pair(xs: list[int], target: int) -> list[int]:
    found = [0] * 0
    for a in xs:
        if a < 0:
            continue
        for b in xs:
            if b < 0:
                continue
            if a + b == target:
                found.append(a)
                found.append(b)
                break
        if len(found) > 0:
            break
    return found
