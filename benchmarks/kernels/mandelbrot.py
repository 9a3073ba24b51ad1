"""mandelbrot: the sum of escape counts on a size x size grid over [-2, 1] x [-1.5, 1.5]."""

from molt import export

MANDEL_ITERATIONS = 50
MANDEL_ESCAPE = 4.0


@export
def mandelbrot(size: int) -> int:
    """The total number of iterations over all points of the grid."""
    total = 0
    for row in range(size):
        ci = 3.0 * row / size - 1.5
        for column in range(size):
            cr = 3.0 * column / size - 2.0
            zr = 0.0
            zi = 0.0
            steps = 0
            while steps < MANDEL_ITERATIONS and zr * zr + zi * zi <= MANDEL_ESCAPE:
                zr_next = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = zr_next
                steps += 1
            total += steps
    return total
