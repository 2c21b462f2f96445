"""Three more deals, so that every POC status and every language shows up with some company.

Their plans are in `extra_plans`: the factory and the workwear fabric were signed by both sides
before agreed; the conveyor trial is qualified, its criteria version 1 signed by Helix and
awaiting the mine's signature, its agreement still a draft.
"""

from __future__ import annotations

from decimal import Decimal

from pocdesk.accounts.services import account_create
from pocdesk.opportunities.services import opportunity_create, opportunity_update
from pocdesk.pocs.models import POC, PocType, Status
from pocdesk.pocs.services import poc_create, poc_transition, poc_update
from pocdesk.qualification.services import poc_commitment_set

from . import closing_stories as closing
from . import decision_chains as chains
from . import extra_plans as plan
from . import plans, running_execution
from . import proving_scope as scope
from .clock import StoryClock
from .closing import close_with_results
from .company import Cast
from .execution_stories import Reading, at, readings_upload
from .qualifying import chain_create, engage
from .story import Story, day, year

FACTORY_ACCOUNT = "苏州恒锐汽车零部件有限公司"


def factory_high_bay_lighting(cast: Cast, clock: StoryClock) -> POC:
    li_wei, wang_fang = cast.user("li.wei"), cast.user("wang.fang")
    with clock.on(120):
        account = account_create(
            actor=li_wei, team=cast.team("lighting-buildings"), name=FACTORY_ACCOUNT, country="CN",
            industry="汽车零部件制造", size="large", currency="CNY",
            notes="苏州工业园区两座厂房,现有金卤高棚灯 1,800 盏。厂长关注能耗和照度,采购部已发询价函。",
        )
        opportunity = opportunity_create(
            actor=li_wei, account=account, name="恒锐两厂高棚灯节能改造",
            amount=Decimal("3600000"), currency="CNY", expected_close_date=day(60),
            stage="proposal", source="referral",
            description=(f"采购部已发出询价函(HR-RFQ-{year()}-112),年度节能改造预算 400 万元已批准。"
                         "试点区域:二号厂房冲压车间。"),
            competitors=[{"name": "华辉照明", "position": "level"}],
        )
    with clock.on(80):
        poc = poc_create(
            actor=wang_fang, opportunity=opportunity, title="二号厂房冲压车间高棚灯节能试点",
            objective=("证明二号厂房冲压车间(层高 12 米,40 盏灯)换装 LED 高棚灯后:工作面平均照度 "
                       "≥ 300 lx,均匀度 ≥ 0.7;按 4 周电表读数计算,比现有金卤灯节电 ≥ 55 %;"
                       "在冲压设备振动环境下连续运行 30 天无故障。"),
            poc_type=PocType.ON_SITE_PILOT, owner=wang_fang, language="zh-hans",
            planned_effort_hours=Decimal(scope.FACTORY_PLANNED_HOURS),
        )
    with clock.on(75):
        opportunity = opportunity_update(
            actor=li_wei, opportunity=opportunity, purchase_process="rfq",
            purchase_reference=f"HR-RFQ-{year()}-112", budget_confirmed=True,
            budget_amount=Decimal("4000000"), budget_confirmed_by="张志强,厂长(年度节能改造预算)",
            budget_confirmed_on=day(-110), decision_date=day(35), nda_signed=True,
            nda_reference=f"HR-NDA-{year()}-031")
        people = chain_create(actor=li_wei, opportunity=opportunity, people=chains.FACTORY_CHAIN)
        plans.criteria_write(actor=wang_fang, poc=poc, specs=plan.FACTORY_CRITERIA)
        engage(actor=wang_fang, poc=poc, stakeholder=people["sponsor"], days_ago=75,
               kind="meeting", note="厂长确认试点区域、节电目标和验收方式。")
        engage(actor=wang_fang, poc=poc, stakeholder=people["champion"], days_ago=74,
               kind="site_visit", note="勘察冲压车间的灯位、配电和振动情况。")
        poc = poc_commitment_set(actor=li_wei, poc=poc, level=1,
                                 commitment_reference=f"试点合作协议 HR-PIL-{year()}-05")
    with clock.on(70):
        poc = poc_transition(actor=wang_fang, poc=poc, to=Status.QUALIFIED)
    with clock.on(48):
        poc = poc_update(actor=wang_fang, poc=poc, start_date=day(-40), end_date=day(20))
    agreement = plan.factory_agreement()
    with clock.on(47):
        plans.agreement_write(actor=wang_fang, poc=poc, plan=agreement)
        versions = plans.submit(actor=wang_fang, poc=poc)
    with clock.on(46) as moment:
        plans.sign_for_vendor(actor=wang_fang, versions=versions, signed_at=moment,
                              title="Helix 照明与楼宇事业部售前工程师")
    with clock.on(46, hour=15) as moment:
        plans.sign_for_customer(actor=wang_fang, versions=versions, signatory=people["sponsor"],
                                signed_at=moment)
    with clock.on(45):
        poc = poc_transition(actor=wang_fang, poc=poc, to=Status.AGREED,
                             reason="试点协议已签字:客户承担安装人工,我方提供 40 盏样灯。")
    plans.resources_settle(actor=wang_fang, poc=poc, plan=agreement, clock=clock)
    scope.factory_plan(cast=cast, clock=clock, poc=poc, people=people)
    with clock.on(40):
        poc = poc_transition(actor=wang_fang, poc=poc, to=Status.RUNNING,
                             reason="40 盏样灯安装完毕,厂长现场见证首次点亮。")
    scope.factory_run(cast=cast, clock=clock, poc=poc, people=people)
    running_execution.factory_execution(cast=cast, clock=clock, poc=poc, people=people)
    return poc


CONVEYOR_ACCOUNT = "Minera Cordillera S.A."


def conveyor_wear_sensors(cast: Cast, clock: StoryClock) -> POC:
    sales, engineer = cast.user("sales"), cast.user("engineer")
    with clock.on(50):
        account = account_create(
            actor=sales, team=cast.team("heavy-equipment"), name=CONVEYOR_ACCOUNT, country="CL",
            industry="Copper mining", size="enterprise", currency="USD",
            notes=("Open-pit copper mine at 3,800 m. Conveyor belt failures cost 14 hours of "
                   "downtime last year; the maintenance director sponsors the evaluation."),
        )
        opportunity = opportunity_create(
            actor=sales, account=account, name="Belt-wear monitoring for the overland conveyor",
            amount=Decimal("2750000"), currency="USD", expected_close_date=day(150),
            stage="qualification", source="tender",
            description=(f"Tender MC-{year()}-07 for wear monitoring on 11 km of overland conveyor. "
                         "Budget approved; decision planned for the next board meeting."),
            competitors=[{"name": "Kessler Minerals Technik", "position": "level"}],
        )
    with clock.on(35):
        poc = poc_create(
            actor=engineer, opportunity=opportunity, title="Belt-wear sensor trial on conveyor CV-04",
            objective=("Prove on 2 km of conveyor CV-04 that the sensors measure belt cover wear "
                       "within ± 0.5 mm of manual ultrasonic checks and warn at least 72 hours "
                       "before any rip or splice failure, for 8 weeks at 3,800 m altitude with "
                       "nights at −10 °C."),
            poc_type=PocType.ON_SITE_PILOT, owner=engineer, language="en",
        )
    with clock.on(28):
        opportunity = opportunity_update(
            actor=sales, opportunity=opportunity, purchase_process="tender",
            purchase_reference=f"MC-{year()}-07", budget_confirmed=True,
            budget_amount=Decimal("2900000"),
            budget_confirmed_by="Carlos Muñoz, Maintenance Director (board-approved capex)",
            budget_confirmed_on=day(-45), decision_date=day(120), nda_signed=True,
            nda_reference=f"MC-NDA-{year()}-19")
        people = chain_create(actor=sales, opportunity=opportunity, people=chains.CONVEYOR_CHAIN)
    with clock.on(25):
        plans.criteria_write(actor=engineer, poc=poc, specs=plan.CONVEYOR_CRITERIA)
    with clock.on(24):
        engage(actor=engineer, poc=poc, stakeholder=people["sponsor"], days_ago=24,
               kind="meeting", note="Agreed the 8-week trial on CV-04 and its warning targets.")
        engage(actor=engineer, poc=poc, stakeholder=people["champion"], days_ago=24,
               kind="site_visit", note="Marked the 2 km of CV-04 and the reference splices.")
        engage(actor=engineer, poc=poc, stakeholder=people["superintendent"], days_ago=23,
               kind="site_visit", note="Checked where the sensors go without stopping the belt.")
        poc = poc_commitment_set(
            actor=sales, poc=poc, level=2, funded_share=Decimal("30"),
            commitment_reference=f"Trial agreement MC-TA-{year()}-03: the mine pays installation "
                                 "and access, 30 % of the trial cost")
    with clock.on(20):
        poc = poc_transition(actor=engineer, poc=poc, to=Status.QUALIFIED)
    with clock.on(9):
        versions = plans.submit(actor=engineer, poc=poc, kinds=["criteria"])
    with clock.on(8) as moment:
        plans.sign_for_vendor(actor=engineer, versions=versions, signed_at=moment,
                              title="Presales engineer, Helix Heavy Equipment")
    with clock.on(6):
        plans.agreement_write(actor=engineer, poc=poc, plan=plan.conveyor_agreement())
    return poc


WORKWEAR_ACCOUNT = "Durand Vêtements Techniques"


def flame_retardant_workwear(cast: Cast, clock: StoryClock) -> POC:
    julien, engineer = cast.user("julien.moreau"), cast.user("engineer")
    with clock.on(280):
        account = account_create(
            actor=julien, team=cast.team("textiles"), name=WORKWEAR_ACCOUNT, country="FR",
            industry="Vêtements de travail", size="medium", currency="EUR",
            notes=("Fabricant lyonnais de vêtements de protection pour l'industrie et le BTP. "
                   "Acheteur très sensible au prix ; fournisseur actuel en Turquie."),
        )
        opportunity = opportunity_create(
            actor=julien, account=account, name="Tissu ignifugé pour la nouvelle gamme EPI",
            amount=Decimal("640000"), currency="EUR", expected_close_date=day(-170),
            stage="evaluation", source="trade_show",
            description=("Appel d'offres pour 180 000 m de tissu ignifugé (EN ISO 11612) ; budget "
                         "validé par la direction des achats."),
            competitors=[{"name": "Anatolia Tekstil", "position": "level"}],
        )
    with clock.on(260):
        poc = poc_create(
            actor=engineer, opportunity=opportunity,
            title="Essais en laboratoire du tissu ignifugé HelixGuard",
            objective=("Prouver en laboratoire accrédité que le tissu HelixGuard satisfait la norme "
                       "EN ISO 11612 (codes A1, B1, C1) après 50 lavages industriels à 75 °C, avec "
                       "un retrait ≤ 3 % et une résistance à la traction ≥ 800 N."),
            poc_type=PocType.LAB_TEST, owner=engineer, language="fr",
            start_date=day(-240), end_date=day(-200),
        )
    with clock.on(255):
        opportunity = opportunity_update(
            actor=julien, opportunity=opportunity, purchase_process="tender",
            purchase_reference=f"DVT-AO-{day(-255).year}-04 (appel d'offres tissu ignifugé)",
            budget_confirmed=True, budget_amount=Decimal("600000"),
            budget_confirmed_by="Marc Petit, directeur des achats", budget_confirmed_on=day(-275),
            decision_date=day(-190), nda_signed=True,
            nda_reference=f"Accord de confidentialité DVT-{day(-255).year}-11")
        people = chain_create(actor=julien, opportunity=opportunity, people=chains.WORKWEAR_CHAIN)
        plans.criteria_write(actor=engineer, poc=poc, specs=plan.WORKWEAR_CRITERIA)
        engage(actor=engineer, poc=poc, stakeholder=people["sponsor"], days_ago=255,
               kind="meeting", note="Validation du protocole d'essais et de la règle de décision.")
        engage(actor=engineer, poc=poc, stakeholder=people["champion"], days_ago=254,
               kind="workshop", note="Choix du laboratoire accrédité et des lavages à 75 °C.")
        engage(actor=engineer, poc=poc, stakeholder=people["buyer"], days_ago=253, kind="call",
               note="Rappelle que le prix au mètre décidera à critères égaux.")
        poc = poc_commitment_set(
            actor=julien, poc=poc, level=1,
            commitment_reference=f"Protocole d'essais co-signé DVT-PE-{day(-254).year}-02")
    with clock.on(250):
        poc = poc_transition(actor=engineer, poc=poc, to=Status.QUALIFIED)
    agreement = plan.workwear_agreement()
    with clock.on(248):
        plans.agreement_write(actor=engineer, poc=poc, plan=agreement)
        versions = plans.submit(actor=engineer, poc=poc)
    with clock.on(247) as moment:
        plans.sign_for_vendor(actor=engineer, versions=versions, signed_at=moment,
                              title="Ingénieur avant-vente, Helix Textiles")
    with clock.on(246, hour=14) as moment:
        plans.sign_for_customer(actor=engineer, versions=versions, signatory=people["sponsor"],
                                signed_at=moment)
    with clock.on(245):
        poc = poc_transition(actor=engineer, poc=poc, to=Status.AGREED)
    plans.resources_settle(actor=engineer, poc=poc, plan=agreement, clock=clock)
    with clock.on(240):
        poc = poc_transition(actor=engineer, poc=poc, to=Status.RUNNING)
    readings_upload(actor=engineer, poc=poc, clock=clock, readings=workwear_readings(),
                    lag_days=2, hour=17)
    with clock.on(200):
        poc = poc_transition(actor=engineer, poc=poc, to=Status.EVALUATING)
    poc = close_with_results(actor=engineer, poc=poc, clock=clock,
                             closing=closing.workwear_closing(), people=people,
                             results_ago=closing.WORKWEAR_RESULTS_AGO,
                             closed_ago=closing.WORKWEAR_CLOSED_AGO,
                             rates_actor=cast.user("manager"))
    with clock.on(180):
        opportunity_update(actor=julien, opportunity=opportunity, stage="closed_lost",
                           competitors=[{"name": "Anatolia Tekstil", "position": "behind"}])
    return poc


WORKWEAR_TITLES = [criterion["title"] for criterion in plan.WORKWEAR_CRITERIA]


def workwear_readings() -> list[Reading]:
    """The accredited lab's results: weight on receipt, shrinkage after 5, 25 and 50 washes,
    tensile strength and the EN ISO 11612 verdict after 50 washes."""
    conformity, shrinkage, tensile, weight = WORKWEAR_TITLES
    rows = [Reading(weight, at(236, 10 + roll), value=Decimal(grams),
                    conditions=f"Rouleau {roll + 1}, cinq prélèvements, ISO 3801")
            for roll, grams in enumerate(("267", "265", "266"))]
    for days_ago, washes, values in ((230, 5, ("0.9", "0.7", "1.0")),
                                     (218, 25, ("1.7", "1.5", "1.9")),
                                     (206, 50, ("2.3", "2.1", "2.4"))):
        rows += [Reading(shrinkage, at(days_ago, 11 + index), value=Decimal(value),
                         conditions=f"{washes} lavages à 75 °C, éprouvette {index + 1}, "
                                    "chaîne et trame")
                 for index, value in enumerate(values)]
    rows += [Reading(tensile, at(205, 10 + index / 4), value=Decimal(newtons),
                     conditions=f"Après 50 lavages, {direction}, éprouvette {index % 5 + 1}")
             for index, (direction, newtons) in enumerate(
                 [("chaîne", n) for n in ("912", "887", "905", "921", "896")]
                 + [("trame", n) for n in ("874", "868", "881", "890", "872")])]
    rows.append(Reading(conformity, at(204, 15), passed=True,
                        conditions="Rapport d'essai COFRAC après 50 lavages",
                        note="Codes A1, B1 et C1 confirmés par le laboratoire."))
    return rows


EXTRA_STORIES: tuple[Story, ...] = (
    Story("factory_high_bay_lighting", "LED high-bay retrofit in a Suzhou factory",
          FACTORY_ACCOUNT, Status.RUNNING, "zh-hans", factory_high_bay_lighting),
    Story("conveyor_wear_sensors", "Conveyor belt-wear sensors at a Chilean copper mine",
          CONVEYOR_ACCOUNT, Status.QUALIFIED, "en", conveyor_wear_sensors),
    Story("flame_retardant_workwear", "Flame-retardant workwear fabric, lost on price",
          WORKWEAR_ACCOUNT, Status.CLOSED, "fr", flame_retardant_workwear),
)
