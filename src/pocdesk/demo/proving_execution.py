"""The run and the governance of the crusher and the fabric (stories b and c, SPEC §8).

The crusher's month in Pit 3: the instruments' daily exports (`crusher_readings`, over 20,000
readings), the liner scans read by hand with a photo each, the log — installation and first run
witnessed by the mine's people, dust in a sensor, the monsoon day, the technical-risk memo on
training the mine's fitters, the target reached — and the meetings: a weekly sync every week, a
steering meeting with the VP Engineering every two weeks, their action items (one overdue: the
mine has not named its two fitters yet).

The fabric's 50 washes at Northpeak's lab: the lab's results every five washes for three styles,
the wear-test panel's verdicts, the log from the garments' delivery to the 50-wash report, the
fortnightly calls, the steering meetings with the VP Global Sourcing and the final review.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from pocdesk.execution.models import KeyEvent, LogKind
from pocdesk.execution.services import evidence_upload
from pocdesk.governance.models import MeetingType
from pocdesk.pocs.models import POC

from . import closing_stories as closing
from . import proving_plans as plan
from .clock import StoryClock
from .company import Cast
from .crusher_readings import LINER, CrusherRun
from .execution_stories import (
    Action,
    Entry,
    Held,
    Photo,
    Reading,
    at,
    cadence_set,
    log_write,
    meetings_hold,
    reading_with_photo,
    readings_upload,
)
from .plans import pdf_page
from .story import day

KEY, ISSUE, RISK, NOTE = LogKind.KEY_EVENT, LogKind.ISSUE, LogKind.RISK, LogKind.OBSERVATION
SYNC, STEERING, REVIEW = MeetingType.WEEKLY_SYNC, MeetingType.STEERING, MeetingType.REVIEW
DUST = (150, 135, 110)

# (b) The crusher. ----------------------------------------------------------------------------

CRUSHER_LOG = (
    Entry(46, KEY, "HX-400 installed on the Pit 3 pad", hour=17,
          key_event=KeyEvent.INSTALLATION_COMPLETE, milestone="installation", witness="champion",
          body=("Set on the pad, 400 V supply connected, no-load test passed. Budi Santoso signed "
                "the installation sheet."),
          photos=(Photo("hx400-pit3-pad.jpg", "HX-400 on the Pit 3 pad after the no-load test",
                        DUST),)),
    Entry(45, KEY, "First run witnessed by the VP Engineering", hour=11,
          key_event=KeyEvent.FIRST_RUN, milestone="first_run", witness="sponsor",
          body=("410 t/h on the bench 4 feed, P80 23 mm. The setting adapted to a hardness change "
                "from 90 to 210 MPa within 40 seconds, in front of Ir. Hendra Wijaya."),
          photos=(Photo("first-run-control-screen.jpg", "Control screen during the first "
                                                        "hardness change", (60, 90, 120)),)),
    Entry(44, RISK, "The mine's maintenance team needs two people trained on the hydraulic "
                    "setting before go-live", severity="high", status="open",
          body=("Nobody in Dewi Kartika's team has serviced a hydraulic setting system: after the "
                "trial, a failed accumulator or a leaking cylinder would stop the crusher until "
                "our field engineer arrives from Balikpapan."),
          mitigation=("Two-day course at the Balikpapan workshop for two fitters before the first "
                      "order is delivered; the mine is to name the fitters.")),
    Entry(40, ISSUE, "Dust ingress on the feed hardness sensor", hour=6, severity="medium",
          body=("The sensor's readings drifted by 30 MPa overnight: fine dust inside the cable "
                "gland. The control switched to the spare sensor; no stop."),
          photos=(Photo("hardness-sensor-dust.jpg", "Dust inside the hardness sensor's gland",
                        DUST),),
          resolved=(38, "IP67 gland and a purge-air cover fitted on both hardness sensors; "
                        "readings checked against the spare for 24 hours.")),
    Entry(32, NOTE, "Monsoon downpour: wet, sticky feed for ten hours", hour=23,
          body=("Throughput fell to 335–350 t/h and the mine cleared the chute three times (three "
                "hours of process stops). The control held the closed-side setting; P80 rose to "
                "25–27 mm on the evening samples.")),
    Entry(19, KEY, "Every must-have met over 26 days", hour=17,
          key_event=KeyEvent.TARGET_REACHED, milestone="target_reached", witness="maintenance",
          body=("Liner wear read with Dewi Kartika: 0.9 mm per 10,000 t. Throughput 402 t/h on "
                "average, availability 97.6 percent, no unplanned stop caused by the crusher.")),
    Entry(15, NOTE, "30-day run completed", hour=18,
          body=("720 hours on the Pit 3 feed benches. Readings handed over to the mine's "
                "laboratory; draft report to the VP Engineering within two days.")),
    Entry(12, NOTE, "Draft trial report sent to the VP Engineering", hour=15,
          body="Every criterion with its readings; P80 passes with the monsoon samples counted."),
)

LINER_SCANS = ((38, "0.84"), (31, "0.97"), (24, "0.88"), (19, "0.90"))

CRUSHER_MEETINGS = (
    Held(45, STEERING, "Kick-off steering in Pit 3",
         agenda="First run; the 30-day plan; how each criterion is read.",
         notes="Ir. Wijaya watched the first hardness change from the control cabin.",
         decisions=("The 30 days start today at 18:00 local time.",
                    "Stops are classified at the daily meeting with the maintenance manager."),
         attendees=("sponsor", "champion", "maintenance"), vendor=("engineer", "sales"), hour=14),
    Held(44, SYNC, agenda="Operator coaching; logging at 1 Hz; liner-wear export.",
         attendees=("champion", "maintenance"), vendor=("engineer",),
         actions=(Action("Send the liner-wear CSV mapping to the maintenance system",
                         owner="engineer", due=-41, done=40),)),
    Held(37, SYNC, agenda="Dust in the hardness sensor; week 1 figures.",
         notes="Week 1: 398 t/h on average, availability 98.1 percent.",
         attendees=("champion", "maintenance"), vendor=("engineer",),
         actions=(Action("Add the hardness sensors' dust covers to the daily inspection round",
                         customer_owner="champion", due=-35, done=34),)),
    Held(30, STEERING, "Mid-point review with the VP Engineering",
         agenda="15 days of results; the monsoon day; training the mine's fitters.",
         notes="402 t/h on average, P80 within target, liner wear on track.",
         decisions=("Continue the run unchanged.",
                    "The mine names two fitters for the hydraulic-setting course."),
         attendees=("sponsor", "champion", "maintenance"), vendor=("engineer", "sales"),
         actions=(Action("Name the two fitters for the hydraulic-setting course",
                         customer_owner="maintenance", due=-6),
                  Action("Add the belt-scale totaliser reading to the crusher's shift report",
                         owner="engineer", due=-28, done=29))),
    Held(23, SYNC, agenda="Week 3 figures; the liner scan.",
         notes="405 t/h on average, availability 97.6 percent.",
         attendees=("champion",), absent=("maintenance",), vendor=("engineer",)),
    Held(16, SYNC, agenda="Last days of the run; data hand-over.",
         attendees=("champion", "maintenance"), vendor=("engineer",),
         actions=(Action("Export the 30 days of readings for the mine's laboratory",
                         owner="engineer", due=-12, done=13),)),
    Held(15, STEERING, "Final review of the 30-day run",
         agenda="Results per criterion; the conditional purchase order's trigger.",
         notes="Every must-have met; P80 at 24.6 mm (95th percentile) after the monsoon day.",
         decisions=("Draft report to the VP Engineering within two days.",
                    "Procurement prepares PO-SBM-0412 for the trigger review."),
         attendees=("sponsor", "champion", "procurement"), vendor=("engineer", "sales"),
         actions=(Action("Send the draft trial report to the VP Engineering", owner="engineer",
                         due=-13, done=12),
                  Action("Confirm the date of the PO-SBM-0412 trigger review", owner="sales",
                         due=3))),
    Held(9, SYNC, agenda="Questions on the draft report; the fitters' course.",
         attendees=("champion", "maintenance"), vendor=("engineer",)),
    Held(2, SYNC, agenda="Report comments; course dates.",
         attendees=("maintenance",), vendor=("engineer",),
         actions=(Action("Book the Balikpapan workshop for the hydraulic-setting course",
                         owner="engineer", due=5),)),
    Held(-2, STEERING, "Trial report review with the VP Engineering", status="planned",
         agenda="The final report; PO-SBM-0412 for the first four units.",
         attendees=("sponsor", "procurement"), vendor=("engineer", "sales"), recorded_ago=12),
)


def crusher_execution(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    """The run recorded by the engineer, then its meetings (call it while the POC can still
    record: running or evaluating)."""
    engineer = cast.user("engineer")
    cadence_set(actor=engineer, poc=poc, clock=clock, days_ago=94, weekly_sync_days=7,
                steering_days=14)
    run = CrusherRun()
    # The belt scale's and the control system's daily exports; the laboratory's sieve analyses,
    # the daily stop review and the availability figure, typed in from the shift reports.
    readings_upload(actor=engineer, poc=poc, clock=clock, checked=False,
                    readings=run.throughput() + run.closed_side_setting())
    readings_upload(actor=engineer, poc=poc, clock=clock, hour=8,
                    readings=run.p80() + run.humidity() + run.availability())
    for days_ago, wear in LINER_SCANS:
        reading_with_photo(
            actor=engineer, poc=poc, clock=clock,
            reading=Reading(LINER, at(days_ago, 4), value=Decimal(wear),
                            conditions="Weekly maintenance stop, laser scan of mantle and "
                                       "concave",
                            note="Read with the Maintenance Manager."),
            photo=Photo(f"liner-scan-day-{45 - days_ago}.jpg",
                        f"Laser liner scan, day {45 - days_ago}", (90, 100, 110)))
    log_write(actor=engineer, poc=poc, clock=clock, entries=CRUSHER_LOG, people=people)
    meetings_hold(actor=engineer, poc=poc, clock=clock, meetings=CRUSHER_MEETINGS,
                  people=people, users=cast.users)


# (c) The fabric. ------------------------------------------------------------------------------

FABRIC_STYLES = ("Pace Tee", "Tempo Tee", "Long Run Tee")
FABRIC_STYLE_OFFSET = {"Pace Tee": 0.0, "Tempo Tee": 0.01, "Long Run Tee": 0.03}
WASHES = tuple(range(0, 55, 5))
FABRIC_FIRST_TEST_AGO = 246
FABRIC_ANTIBACTERIAL = plan.FABRIC_ANTIBACTERIAL_TITLE
FABRIC_DRYING = "Drying time ≤ 30 minutes after 50 washes"
FABRIC_PILLING = "Pilling grade ≥ 4 after 5,000 Martindale rubs"
FABRIC_SHRINKAGE = "Dimensional change within ± 3 % in length and width"
FABRIC_HAND_FEEL = "Hand feel accepted by the wear-test panel"


def wash_day(washes: int) -> int:
    """Days ago the lab tested the garments after `washes` cycles: five cycles every 4 days."""
    return FABRIC_FIRST_TEST_AGO - washes * 4 // 5


def washes_text(washes: int) -> str:
    return "0 washes (as made)" if washes == 0 else f"{washes} washes (AATCC LP1)"


def fabric_readings() -> list[Reading]:
    rng = random.Random(50)  # noqa: S311 - demo data, not secrets
    rows = []
    for washes in WASHES:
        tested = at(wash_day(washes), 15)
        for style in FABRIC_STYLES:
            offset = FABRIC_STYLE_OFFSET[style]
            where = f"{washes_text(washes)}, {style}"
            for strain, start, slope in (("S. aureus", 99.95, 0.0048),
                                         ("K. pneumoniae", 99.92, 0.0055)):
                reduction = start - slope * washes - offset * washes / 50 + rng.gauss(0, 0.008)
                rows.append(Reading(FABRIC_ANTIBACTERIAL, tested, value=_dec(reduction, "0.01"),
                                    conditions=f"{where}, {strain}"))
            drying = 21 + 0.06 * washes + 20 * offset + rng.gauss(0, 0.4)
            rows.append(Reading(FABRIC_DRYING, tested + datetime.timedelta(hours=1),
                                value=_dec(drying, "0.1"), conditions=where))
            grade = "4.5" if washes < 30 or (style != "Long Run Tee" and washes < 45) else "4"
            rows.append(Reading(FABRIC_PILLING, tested + datetime.timedelta(hours=2),
                                value=Decimal(grade), conditions=where))
            if washes:
                for direction, factor in (("length", 1.0), ("width", 0.6)):
                    change = -(0.4 + 0.034 * washes) * factor - 0.8 * offset * washes / 50
                    if style == "Long Run Tee" and washes == 30 and direction == "length":
                        change = -2.6  # the side panel's cut (see the log)
                    rows.append(Reading(FABRIC_SHRINKAGE, tested + datetime.timedelta(hours=3),
                                        value=_dec(change + rng.gauss(0, 0.08), "0.1"),
                                        conditions=f"{where}, {direction}"))
    panel = at(210, 12)
    for runner in range(1, 21):
        rows.append(Reading(FABRIC_HAND_FEEL, panel, passed=runner not in (7, 16),
                            conditions=f"Runner {runner:02d}, four weeks of training runs",
                            note="" if runner not in (7, 16) else
                            "Prefers the current jersey's softer hand."))
    return rows


def _dec(value: float, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


FABRIC_LOG = (
    Entry(250, KEY, "600 sample garments delivered to the lab in Portland", hour=16,
          key_event=KeyEvent.OTHER, witness="lab",
          body="Three styles, sizes S–XL, black and white; checked in by Dr. Anika Rao's team."),
    Entry(FABRIC_FIRST_TEST_AGO, KEY, "Wash programme started: baseline tests at 0 washes",
          hour=17, key_event=KeyEvent.FIRST_RUN, witness="lab",
          body="AATCC TM100, TM201, TM135 and ISO 12945-2 on the garments as made.",
          photos=(Photo("baseline-petri-dishes.jpg", "AATCC 100 plates at 0 washes",
                        (200, 190, 150)),)),
    Entry(wash_day(20) - 2, NOTE, "20 washes: antibacterial reduction still above 99.8 percent",
          body="Drying time 22 minutes; no visible pilling."),
    Entry(wash_day(30) - 2, ISSUE, "Long Run Tee shrank 2.6 percent in length after 30 washes",
          severity="medium",
          body=("Within the ± 3 percent limit but close to it: the side panel was cut 4 mm off "
                "the pattern at the cut-and-sew partner."),
          resolved=(wash_day(40) - 2, "Pattern corrected for production; the 40- and 50-wash "
                                      "specimens stayed within ± 2.5 percent.")),
    Entry(wash_day(40) - 2, RISK, "K. pneumoniae reduction falls faster than S. aureus",
          severity="high",
          body="Below 99.7 percent at 40 washes on the Long Run Tee: at this rate it would reach "
               "99 percent by wash 100.",
          mitigation="The lab repeats AATCC 100 on three extra swatches at 50 washes.",
          resolved=(wash_day(50) - 3, "Repeat at 50 washes: 99.6 percent or better on every "
                                      "swatch, above the 99 percent target.")),
    Entry(wash_day(50) - 3, KEY, "50-wash results: every must-have met", hour=16,
          key_event=KeyEvent.TARGET_REACHED, witness="lab",
          body=("Antibacterial reduction 99.6 percent or better on both strains, drying 24 "
                "minutes, pilling grade 4 or better, dimensional change within ± 3 percent."),
          photos=(Photo("petri-dishes-50-washes.jpg", "AATCC 100 plates after 50 washes",
                        (200, 190, 150)),)),
)

FABRIC_MEETINGS = (
    Held(248, STEERING, "Kick-off with Northpeak's sourcing", hour=16,
         agenda="The 50-wash protocol, the lab's schedule, the decision rule.",
         decisions=("A pass on every must-have lists Helix as second supplier.",),
         attendees=("sponsor", "champion", "lab"), vendor=("engineer", "li.wei")),
    Held(243, SYNC, "Lab call", agenda="Baseline results; washing schedule.",
         attendees=("lab", "champion"), vendor=("engineer",)),
    Held(229, SYNC, "Lab call", agenda="10- and 15-wash results.",
         attendees=("lab",), vendor=("engineer",),
         actions=(Action("Send the 20-wash interim results to Jennifer Cole", owner="engineer",
                         due=-222, done=222),)),
    Held(220, STEERING, "Mid-programme review with the VP Global Sourcing",
         agenda="Interim results after 25 washes; the Long Run Tee's shrinkage.",
         decisions=("Keep the programme; correct the Long Run Tee's pattern for production.",),
         attendees=("sponsor", "champion", "lab"), vendor=("engineer", "li.wei"),
         actions=(Action("Share the OEKO-TEX certificate of the HelixDry finish",
                         owner="engineer", due=-213, done=215),)),
    Held(215, SYNC, "Lab call", agenda="30- and 35-wash results; the K. pneumoniae trend.",
         attendees=("lab", "champion"), vendor=("engineer",)),
    Held(201, SYNC, "Lab call", agenda="50-wash results; the repeat on K. pneumoniae.",
         attendees=("lab",), vendor=("engineer",)),
    Held(closing.FABRIC_REVIEW_AGO, REVIEW, "Results review after 50 washes", hour=15,
         agenda="The lab's 50-wash report; the wear-test panel; next season's launch.",
         notes="Every must-have met; 18 of 20 runners rate the hand feel as good or better. "
               "The sourcing committee doubts the Long Run Tee: 2.6 percent shrinkage at 30 "
               "washes and the lowest K. pneumoniae reduction.",
         decisions=("Northpeak lists Helix as approved second supplier for the Pace Tee and "
                    "the Tempo Tee; the Long Run Tee is re-tested on production fabric.",
                    "First bulk order for next season's launch, subject to lead times."),
         attendees=("sponsor", "champion", "lab", "merchandiser"),
         vendor=("engineer", "li.wei"),
         actions=(Action("Confirm the bulk-order lead time for the launch", owner="li.wei",
                         due=-185, done=186),)),
)


def fabric_execution(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    """The lab's results and the programme's meetings (call it before the POC is closed)."""
    engineer = cast.user("engineer")
    cadence_set(actor=engineer, poc=poc, clock=clock, days_ago=252, weekly_sync_days=14,
                steering_days=28)
    readings_upload(actor=engineer, poc=poc, clock=clock, readings=fabric_readings(),
                    lag_days=2, hour=18)
    log_write(actor=engineer, poc=poc, clock=clock, entries=FABRIC_LOG, people=people)
    with clock.on(wash_day(50) - 3, hour=17) as moment:
        report = SimpleUploadedFile(
            "northpeak-lab-report-50-washes.pdf",
            pdf_page(["Third-party laboratory report - HelixDry knit after 50 washes",
                      "AATCC TM100, TM201, TM135, ISO 12945-2",
                      f"Issued {day(-(wash_day(50) - 3)).isoformat()}, signed by A. Rao"]),
            content_type="application/pdf")
        evidence_upload(actor=engineer, poc=poc, uploaded=report, taken_at=moment,
                        caption="Laboratory report after 50 washes, signed by Dr. Anika Rao")
    meetings_hold(actor=engineer, poc=poc, clock=clock, meetings=FABRIC_MEETINGS, people=people,
                  users=cast.users)
