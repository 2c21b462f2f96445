"""The timeboxes of the POCs that keep theirs: the crusher, the heritage luminaires, the
factory high-bays and the retail pilot (SPEC §6, §7, §8.4).

The crusher is the clean case: a 30-day plan, a checkpoint a week, every milestone done on its
day, installation, first run and target reached witnessed by the mine's people, two promises
kept and one small request. The luminaires run on plan; the factory's mid-point review slipped
a few days (at risk); the retail pilot's plan is all ahead of it.
"""

from __future__ import annotations

from pocdesk.pocs.models import POC
from pocdesk.scope.models import ChangeClass, ChangeDecision, CommitmentCategory, CommitmentStatus
from pocdesk.timebox.models import MilestoneStatus
from pocdesk.timebox.services import milestone_update

from . import closing_stories as closing
from .clock import StoryClock
from .company import Cast
from .timeboxes import (
    Done,
    Promise,
    Request,
    milestone_move,
    milestones_done,
    plan_of,
    plan_save,
    promises_make,
    requests_record,
)

# (b) The crusher: installed before the 30-day run, started and witnessed on its first day.
CRUSHER_PLANNED_HOURS = "480"
CRUSHER_MOVED = {"resources_ready": -47, "installation": -46, "first_run": -45}
CRUSHER_DONE = (
    Done("resources_ready", 47, evidence=(
        "Pad, 400 V / 630 kVA supply and crane access ready; feed from the primary jaw crusher "
        "confirmed at 350–450 t/h.")),
    Done("installation", 46, witness="champion", evidence=(
        "HX-400 set on the Pit 3 pad, supply connected, no-load test passed; installation sheet "
        "signed by the Pit 3 Operations Superintendent."),
         sheet="HX-400 installation sheet - Pit 3 - signed by B. Santoso"),
    Done("kickoff", 45, evidence=(
        "Kickoff in Pit 3 with the shift supervisors; operator training plan and the 1 Hz "
        "logging checked.")),
    Done("first_run", 45, witness="sponsor", evidence=(
        "First run at 410 t/h on the bench 4 feed, P80 23 mm; the VP Engineering watched the "
        "setting adapt to a hardness change from 90 to 210 MPa.")),
    Done("checkpoint:1", 38, evidence="Week 1: 398 t/h average, availability 98.1 %."),
    Done("checkpoint:2", 31, evidence="Week 2: monsoon week, availability 96.2 %."),
    Done("midpoint_review", 30, evidence=(
        "Mid-point review with the VP Engineering: 15 days, 402 t/h average, availability "
        "97.8 %, liner wear on track.")),
    Done("checkpoint:3", 24, evidence="Week 3: 405 t/h average, availability 97.6 %."),
    Done("target_reached", 19, witness="maintenance", evidence=(
        "Liner wear read with the Maintenance Manager: 0.9 mm per 10,000 t. Every must-have met "
        "over 26 days."), sheet="Liner wear reading - Pit 3 - witnessed by D. Kartika"),
    Done("checkpoint:4", 17, evidence="Week 4: no unplanned stop."),
    Done("final_review", 15, evidence=(
        "Run closed after 30 days: 2.6 million readings handed over; draft report to the VP "
        "Engineering.")),
)
CRUSHER_REQUESTS = (
    Request(33, "champion", "Add the belt-scale totaliser reading to the crusher's shift "
                            "report.", "6", ChangeClass.MINOR_ADJUSTMENT, ChangeDecision.ACCEPTED,
            note="Two fields in the shift report template."),
)
CRUSHER_PROMISES = (
    Promise(44, "engineer", "sponsor", CommitmentCategory.RISKY,
            "Availability of at least 95 % over the 30 days, monsoon week included.", due=-15,
            preconditions=("The mine keeps the feed between 350 and 450 t/h and gives our field "
                           "engineer access to the pad around the clock."),
            resolved=(CommitmentStatus.KEPT, 15, "97.4 % availability over the 30 days.")),
    Promise(40, "engineer", "maintenance", CommitmentCategory.UNCERTAIN,
            "Confirm within 24 hours whether the liner-wear readings can be exported to the "
            "mine's maintenance system.",
            resolved=(CommitmentStatus.KEPT, 40, (
                "Confirmed the same day: a CSV export every shift, mapped to the maintenance "
                "system's import."))),
)


def crusher_plan(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    with clock.on(94):
        plan_save(actor=cast.user("engineer"), poc=poc, moved=CRUSHER_MOVED,
                  customer_owners={"resources_ready": people["champion"]})


def crusher_run(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    engineer = cast.user("engineer")
    milestones_done(actor=engineer, poc=poc, clock=clock, done=CRUSHER_DONE, people=people)
    requests_record(actor=engineer, poc=poc, clock=clock, requests=CRUSHER_REQUESTS,
                    people=people, users=cast.users)
    promises_make(actor=engineer, poc=poc, clock=clock, promises=CRUSHER_PROMISES, people=people,
                  users=cast.users)


# (a) The heritage luminaires: installed and dimmed from the BMS on the first day, on plan since.
LED_PLANNED_HOURS = "240"
LED_MOVED = {"resources_ready": -37, "installation": -36, "first_run": -35}
LED_DONE = (
    Done("resources_ready", 36, evidence="Gateway credentials, fixing approval, gallery access and "
                                         "the halogen baseline all in hand."),
    Done("installation", 36, witness="champion", evidence=(
        "Three luminaires fixed with the approved clamps, no drilling in the listed wall.")),
    Done("kickoff", 35, evidence="Kickoff in the east gallery with the facility manager."),
    Done("first_run", 35, witness="champion", evidence=(
        "First dimming run from the BMS console: 1,000 commands, 99.6 % under 500 ms.")),
    Done("checkpoint:1", 21, evidence="Colour readings on the brick sample after re-binning."),
    Done("checkpoint:2", 7, evidence="Two weeks of sub-meter readings: -46 % against halogen."),
)
LED_REQUESTS = (
    Request(27, "conservation", "Re-bin the LEDs to hold 2,700 K ± 100 K on the brick sample "
                                "instead of ± 150 K.", "16", ChangeClass.MINOR_ADJUSTMENT,
            ChangeDecision.ACCEPTED, note="Done with the spare LEDs of the sample batch."),
    Request(20, "champion", "DALI-2 control of the ballroom chandeliers through the same "
                            "gateway.", "80", ChangeClass.EVOLUTION, ChangeDecision.DEFERRED,
            note="On the roadmap for the retrofit order, not in the POC."),
)


def led_plan(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    with clock.on(49):
        plan_save(actor=cast.user("wang.fang"), poc=poc, moved=LED_MOVED,
                  customer_owners={"resources_ready": people["champion"]})


def led_run(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    wang_fang = cast.user("wang.fang")
    milestones_done(actor=wang_fang, poc=poc, clock=clock, done=LED_DONE, people=people)
    requests_record(actor=wang_fang, poc=poc, clock=clock, requests=LED_REQUESTS, people=people,
                    users=cast.users)


# The run ended after four weeks with every criterion met: the target and the reviews are done
# then, the checkpoints planned for the rest of the 90-day window are skipped.
LED_END = (
    Done("midpoint_review", 7, witness="sponsor", evidence=(
        "Four-week review with Dr. Weiss: every criterion met, the run ends.")),
    Done("target_reached", 7, witness="champion", evidence=(
        "2,712 K on the brick sample, 99.6 % of commands under 500 ms, 46 % saved.")),
    Done("final_review", closing.LED_REVIEW_AGO, witness="sponsor", evidence=(
        "Results review with the foundation's technical committee.")),
)


def led_end(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    wang_fang = cast.user("wang.fang")
    plan = plan_of(poc)
    milestones_done(actor=wang_fang, poc=poc, clock=clock,
                    done=[item for item in LED_END if item.milestone in plan], people=people)
    with clock.on(closing.LED_REVIEW_AGO, hour=18):
        for milestone in plan_of(poc).values():
            if milestone.status == MilestoneStatus.PLANNED:
                milestone_update(actor=wang_fang, milestone=milestone,
                                 status=MilestoneStatus.SKIPPED)


# The factory high-bays: on plan until the plant manager's trip pushed the mid-point review.
FACTORY_PLANNED_HOURS = "120"
FACTORY_MOVED = {"resources_ready": -42, "installation": -41, "first_run": -40}
FACTORY_DONE = (
    Done("resources_ready", 41, evidence="夜班停线窗口、高空作业车和改造前电表读数均已到位。"),
    Done("installation", 41, witness="champion", evidence="40 盏样灯在夜班停线窗口内安装完毕。"),
    Done("kickoff", 40, evidence="与厂长和设备动力部召开启动会,确认测量点位。"),
    Done("first_run", 40, witness="sponsor", evidence="厂长现场见证首次点亮,照度实测 335 lx。"),
    Done("checkpoint:1", 33, evidence="第一周电表读数:比金卤灯节电 57 %。"),
    Done("checkpoint:2", 26, evidence="两周电表读数:比金卤灯节电 58 %。"),
    Done("checkpoint:3", 19, evidence="照度和均匀度复测:平均 331 lx,均匀度 0.74。"),
    Done("checkpoint:4", 12, evidence="冲压设备振动环境下连续运行 28 天无故障。"),
    Done("checkpoint:5", 5, evidence="连续运行 35 天无故障;累计节电 57.6 %。"),
)
FACTORY_PROMISES = (
    Promise(30, "wang.fang", "safety", CommitmentCategory.UNCERTAIN,
            "24 小时内答复:防振支架是否需要额外的防坠落钢丝绳。",
            resolved=(CommitmentStatus.KEPT, 29, "已确认:每盏灯加装一根防坠落钢丝绳,随样灯补发。")),
)


def factory_plan(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    with clock.on(44):
        plan_save(actor=cast.user("wang.fang"), poc=poc, moved=FACTORY_MOVED,
                  customer_owners={"resources_ready": people["champion"]})


def factory_run(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    wang_fang = cast.user("wang.fang")
    milestones_done(actor=wang_fang, poc=poc, clock=clock, done=FACTORY_DONE, people=people)
    # The plant manager travelled: the mid-point review moved to a date now a few days past.
    milestone_move(actor=wang_fang, poc=poc, clock=clock, name="midpoint_review", days_ago=11,
                   due=-4)
    promises_make(actor=wang_fang, poc=poc, clock=clock, promises=FACTORY_PROMISES,
                  people=people, users=cast.users)


# (d) The retail pilot: agreed, starts next week; its whole plan lies ahead.
RETAIL_PLANNED_HOURS = "960"


def retail_plan(*, cast: Cast, clock: StoryClock, poc: POC, people) -> None:
    with clock.on(3):
        plan_save(actor=cast.user("wang.fang"), poc=poc,
                  customer_owners={"resources_ready": people["architect"]})
