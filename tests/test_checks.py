"""kexue_lab.checks: the one integer-argument rule every module uses."""

from __future__ import annotations

import numpy as np
import pytest

from kexue_lab.checks import check_int


def test_accepts_ints_and_numpy_ints_in_range():
    assert check_int(3, "n", 1) == 3
    assert type(check_int(np.int64(5), "n", 0, 5)) is int


@pytest.mark.parametrize("bad", [True, 2.0, "3", None])
def test_rejects_non_integers_with_type_error(bad):
    with pytest.raises(TypeError, match="n must be an int"):
        check_int(bad, "n", 0)


def test_rejects_out_of_range_with_value_error():
    with pytest.raises(ValueError, match=r"n must be >= 2, got 1"):
        check_int(1, "n", 2)
    with pytest.raises(ValueError, match=r"dps must be in \[15, 1000\], got 2000"):
        check_int(2000, "dps", 15, 1000)
