"""The organization's rule for a chapter, as the planner needs it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

# Shares are compared with a small slack so that 0.3 * 10 == 3 women is enough for 10 members
# even though 0.3 is not exact in binary floating point.
_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class Rule:
    min_size: int = 5
    min_women_share: float = 0.3
    radius_km: float = 25.0

    def __post_init__(self) -> None:
        if self.min_size < 1:
            raise ValueError("the minimum size must be at least 1")
        if not 0.0 <= self.min_women_share <= 1.0:
            raise ValueError("the minimum women's share must be between 0 and 1")
        if not self.radius_km > 0.0:
            raise ValueError("the travel radius must be positive")

    def min_women(self, size: int) -> int:
        """Fewest women a group of `size` needs: ceil(share * size)."""
        return max(0, math.ceil(self.min_women_share * size - _SLACK))

    @property
    def core_women(self) -> int:
        """Women in a smallest valid group (2 for 5 members at 30%)."""
        return self.min_women(self.min_size)

    def max_groups(self, women: Any, total: Any) -> Any:  # ints or arrays of counts, as given
        """The most valid groups `women` women among `total` members could form (scalars or
        numpy arrays of counts): total // min_size, and no more than women // core_women."""
        by_size = total // self.min_size
        return by_size if self.core_women == 0 else np.minimum(by_size, women // self.core_women)

    def is_valid(self, size: int, women: int) -> bool:
        return size >= self.min_size and women >= self.min_women(size)


def suggested_size(attendance_rate: float, attendees: int = 5) -> int:
    """Members a chapter should have so that `attendees` come when each attends at this rate.

    ceil(attendees / rate): at a 60% attendance rate, 9 members for 5 at a meeting.
    """
    if not 0.0 < attendance_rate <= 1.0:
        raise ValueError("the attendance rate must be in (0, 1]")
    if attendees < 1:
        raise ValueError("attendees must be at least 1")
    return math.ceil(attendees / attendance_rate - _SLACK)
