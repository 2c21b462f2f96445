"""The crusher's month of readings in Pit 3 (story b): what the instruments and the mine's people
recorded over the 30 days, criterion by criterion.

The run starts on the first run's day, 45 days ago at 10:00 UTC (18:00 in East Kalimantan), and
lasts 720 hours. Feed hardness changes from bench to bench between 80 and 250 MPa; the crews work
three 8-hour shifts from 06:00 local time, with a dip at each handover and a slightly slower night
shift. On the monsoon day (day 13 of the run) a ten-hour downpour makes the feed wet and sticky.
Downtime comes from the process (chute blockages, tramp metal, a power dip, a conveyor splice),
never from the crusher itself, and the weekly maintenance stops (the liner scans) are scheduled:
so the 720-hour test passes, availability ends at 97.4 percent, throughput averages just over
400 t/h, and P80 — a must-have — passes by a small margin once the monsoon samples count.

- Throughput: the belt scale's hourly total, whenever the crusher ran (about 700 readings).
- P80: two sieve analyses per shift by the mine's laboratory (about 180).
- 720 h at 95 percent humidity: one pass/fail result a day from the daily stop review (30).
- Availability: the cumulative figure, updated daily (30).
- Closed-side setting: the control system's position sensor, sampled every `CSS_STEP_MINUTES`
  from its 1 Hz log (over 20,000).
Liner wear is read by hand at the weekly stops, with a photo of each scan (`proving_execution`).
"""

from __future__ import annotations

import bisect
import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from . import proving_plans as plan
from .execution_stories import Reading, at

RUN_DAYS = 30
FIRST_RUN_AGO = 45
CSS_STEP_MINUTES = 2
LOCAL_OFFSET = 8  # WITA, UTC+8
MONSOON_DAY = 13  # day of the run (0 = the first run's day)
MONSOON_HOURS = (13, 23)  # local time
# Unplanned stops (not the crusher's): (day of the run, local hour, hours, cause)
STOPS = (
    (2, 9, 1.5, "chute blockage"), (5, 15, 1.7, "tramp metal on the feed belt"),
    (9, 11, 2.0, "chute blockage with wet clay"), (11, 20, 1.4, "site power dip"),
    (MONSOON_DAY, 16, 3.0, "chute blockage with wet clay"),
    (15, 10, 2.2, "feed conveyor belt splice"), (18, 22, 1.8, "chute blockage"),
    (23, 3, 1.2, "site power dip"), (26, 14, 1.2, "chute blockage"),
    (28, 8, 2.6, "feed conveyor belt splice"),
)
# Scheduled maintenance stops for the weekly liner scans: (day of the run, local hour, hours)
MAINTENANCE = ((7, 8, 4.0), (14, 8, 4.0), (21, 8, 4.0), (26, 8, 4.0))

THROUGHPUT = "Throughput ≥ 380 t/h with feed hardness from 80 to 250 MPa"
P80 = "Product size P80 ≤ 25 mm"
AVAILABILITY = "Availability ≥ 95 % over the 30 days"
LINER = "Liner wear ≤ 1.2 mm per 10,000 t"
CSS = "Closed-side setting held between 22 and 28 mm"
HUMIDITY = plan.CRUSHER_HUMIDITY_TITLE


@dataclass(frozen=True)
class Bench:
    starts: float  # hours since the first run
    name: str
    hardness: int


class CrusherRun:
    """The 30 days, hour by hour, from which every criterion's readings are drawn."""

    def __init__(self, seed: int = 45) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.start = at(FIRST_RUN_AGO, 10)
        self.benches = self._benches()
        self.starts = [bench.starts for bench in self.benches]
        self.stops = self._spans(STOPS + MAINTENANCE)

    def moment(self, hours: float) -> datetime.datetime:
        return self.start + datetime.timedelta(hours=hours)

    @staticmethod
    def local_hour(hours: float) -> float:
        return (10 + LOCAL_OFFSET + hours) % 24

    @staticmethod
    def run_day(hours: float) -> int:
        return int(hours // 24)

    def _benches(self) -> list[Bench]:
        rng, benches, hours = self.rng, [Bench(0, "bench 4", 90)], 0.0
        # The first run's hardness change, from 90 to 210 MPa, 40 minutes in.
        benches.append(Bench(0.67, "bench 6", 210))
        hours = 0.67
        while hours < RUN_DAYS * 24:
            hours += rng.uniform(5, 16)
            benches.append(Bench(hours, f"bench {rng.randint(1, 9)}", rng.randint(80, 250)))
        return benches

    def bench(self, hours: float) -> Bench:
        return self.benches[max(0, bisect.bisect_right(self.starts, hours) - 1)]

    @staticmethod
    def _spans(spans) -> list[tuple[float, float]]:
        """(begin, end) of each stop, in hours since the first run."""
        begins = [(run_day * 24 + (local - 10 - LOCAL_OFFSET) % 24, length)
                  for run_day, local, length, *_cause in spans]
        return [(begin, begin + length) for begin, length in begins]

    def stopped(self, hours: float) -> bool:
        return any(begin <= hours < end for begin, end in self.stops)

    def monsoon(self, hours: float) -> bool:
        local = self.local_hour(hours)
        return self.run_day(hours) == MONSOON_DAY and MONSOON_HOURS[0] <= local < MONSOON_HOURS[1]

    def stopped_share(self, begin: float, end: float, spans) -> float:
        """Hours of `spans` between `begin` and `end` (in hours since the first run)."""
        return sum(max(0.0, min(end, stop) - max(begin, start))
                   for start, stop in self._spans(spans))

    # -- the criteria -----------------------------------------------------------------------------

    def throughput(self) -> list[Reading]:
        rng, rows = self.rng, []
        for hour in range(RUN_DAYS * 24):
            lost = self.stopped_share(hour, hour + 1, STOPS + MAINTENANCE)
            if lost >= 0.5:
                continue  # the shift report has no hourly total while the crusher is stopped
            bench, local = self.bench(hour + 0.5), int(self.local_hour(hour))
            rate = 409 - 0.1 * (bench.hardness - 150) + rng.gauss(0, 8)
            if local in (6, 14, 22):
                rate -= 16  # shift handover
            elif local < 6 or local >= 22:
                rate -= 5  # night shift
            conditions = f"{bench.name.capitalize()} feed, hardness {bench.hardness} MPa"
            note = ""
            if self.monsoon(hour + 0.5):
                rate = rng.uniform(333, 352)
                conditions += "; monsoon downpour, wet sticky feed"
            if lost:
                rate *= 1 - lost
                note = "Part of the hour stopped (process, not the crusher)."
            rows.append(Reading(THROUGHPUT, self.moment(hour + 1), value=_round(rate, "0.1"),
                                conditions=conditions, note=note))
        return rows

    def p80(self) -> list[Reading]:
        rng, rows = self.rng, []
        for run_day in range(RUN_DAYS):
            for local in (7, 11, 15, 19, 23, 3):
                hours = run_day * 24 + (local - 10 - LOCAL_OFFSET) % 24
                if hours >= RUN_DAYS * 24 or self.stopped(hours):
                    continue
                bench = self.bench(hours)
                size = 22.8 + 0.006 * (bench.hardness - 150) + rng.gauss(0, 0.95)
                conditions = f"Product belt cut, shift {'ABC'[((local - 6) % 24) // 8]}, " \
                             f"{bench.name}"
                if self.monsoon(hours):
                    size += 2.4
                    conditions += ", monsoon downpour"
                rows.append(Reading(P80, self.moment(hours), value=_round(size, "0.1"),
                                    conditions=conditions))
        return rows

    def humidity(self) -> list[Reading]:
        rng, rows = self.rng, []
        for run_day in range(1, RUN_DAYS + 1):
            hours = run_day * 24 - 2
            note = "No unplanned stop caused by the crusher in the dispatch stop log."
            if run_day == 6:
                note = ("Feed hardness sensor drifted with dust ingress: switched to the spare "
                        "sensor, no stop.")
            elif run_day == MONSOON_DAY + 1:
                note = "Monsoon day: three hours of chute blockages, classified as process stops."
            rows.append(Reading(
                HUMIDITY, self.moment(hours), passed=True, note=note,
                conditions=f"RH {rng.randint(91, 99)} %, dust {rng.randint(10, 16)} mg/m³, "
                           f"{rng.randint(26, 33)} °C"))
        return rows

    def availability(self) -> list[Reading]:
        rows = []
        for run_day in range(1, RUN_DAYS + 1):
            hours = run_day * 24
            scheduled = self.stopped_share(0, hours, MAINTENANCE)
            lost = self.stopped_share(0, hours, STOPS)
            share = 100 * (1 - lost / (hours - scheduled))
            rows.append(Reading(
                AVAILABILITY, self.moment(hours - 1), value=_round(share, "0.1"),
                conditions=f"Cumulative over {run_day} days, scheduled stops excluded"))
        return rows

    def closed_side_setting(self) -> list[Reading]:
        rng, rows = self.rng, []
        step = CSS_STEP_MINUTES / 60
        previous = None
        minutes_since_change = 99.0
        for index in range(int(RUN_DAYS * 24 / step)):
            hours = index * step
            if self.stopped(hours):
                continue
            bench = self.bench(hours)
            if previous is not None and bench is not previous:
                minutes_since_change = 0.0
            previous = bench
            spread = 1.3 if self.monsoon(hours) else 0.62
            value = 25.0 + rng.gauss(0, spread)
            if rng.random() < 0.011:
                # A slab of hard rock or a clay lump: the setting jumps before the control
                # brings it back.
                value += rng.choice([-1, 1]) * rng.uniform(2.6, 4.4)
            elif minutes_since_change < 4:
                # The control answers a hardness change within a few minutes; until then the
                # setting may leave its window.
                value += rng.choice([-1, 1]) * rng.uniform(1.5, 3.6)
            minutes_since_change += CSS_STEP_MINUTES
            rows.append(Reading(CSS, self.moment(hours), value=_round(value, "0.01"),
                                conditions=f"Hardness {bench.hardness} MPa"))
        return rows



def _round(value: float, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))
