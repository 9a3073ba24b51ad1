from molt import export


def square(x: float) -> float:
    return x * x


@export
def perimeter(width: float, height: float) -> float:
    return 2.0 * (width + height)


@export
def area(width: float, height: float) -> float:
    return width * height


@export
def diagonal_squared(width: float, height: float) -> float:
    return square(width) + square(height)
