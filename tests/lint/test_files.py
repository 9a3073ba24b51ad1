"""gitignore-style patterns, as excludes and .gitignore files use them."""

from __future__ import annotations

import pytest

from molt_lint._files import ignored, pattern_set


@pytest.mark.parametrize(
    ("patterns", "path", "is_dir", "expected"),
    [
        (["build"], "build", True, True),
        (["build"], "src/build", True, True),
        (["build/"], "src/build", False, False),
        (["/build"], "src/build", True, False),
        (["/build"], "build", True, True),
        (["*.pyi"], "a/b/c.pyi", False, True),
        (["src/*.py"], "src/a.py", False, True),
        (["src/*.py"], "src/deep/a.py", False, False),
        (["src/**/*.py"], "src/deep/er/a.py", False, True),
        (["**/gen"], "a/b/gen", True, True),
        (["test_?.py"], "test_a.py", False, True),
        (["test_[ab].py"], "test_c.py", False, False),
        (["test_[!ab].py"], "test_c.py", False, True),
        (["*.py", "!keep.py"], "keep.py", False, False),
        (["!keep.py", "*.py"], "keep.py", False, True),
        (["# comment", ""], "comment", False, False),
        ([r"\#hash.py"], "#hash.py", False, True),
    ],
)
def test_gitignore_patterns_match_like_git(patterns, path, is_dir, expected) -> None:
    sets = [s for s in [pattern_set("", patterns)] if s]
    assert ignored(path, is_dir, sets) is expected


def test_patterns_of_a_nested_gitignore_are_relative_to_its_folder() -> None:
    nested = pattern_set("src/deep", ["/local.py"])
    assert nested is not None
    assert ignored("src/deep/local.py", False, [nested]) is True
    assert ignored("src/local.py", False, [nested]) is False
