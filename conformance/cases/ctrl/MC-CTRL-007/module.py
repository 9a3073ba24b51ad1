from molt import export


@export
def grade(score: float) -> int:
    if score >= 90.0:
        return 4
    elif score >= 75.0:
        return 3
    elif score >= 50.0:
        return 2
    else:
        if score < 0.0:
            return -1
        return 0
