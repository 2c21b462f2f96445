"""Stories (a)–(d) of SPEC §15: POCs that prove a product in the customer's own conditions.

Each deal is qualified before its POC is: purchasing process, confirmed budget, decision date,
NDA, its decision chain (`decision_chains`), the sponsor meeting the POC, the customer's
commitment with its evidence and the written success criteria — so the qualification gate lets
it through on its merits. Before qualified → agreed, the criteria and the agreement
(`proving_plans`) are signed by the engineer and the customer's executive sponsor.
"""

from __future__ import annotations

from decimal import Decimal

from pocdesk.accounts.services import account_create
from pocdesk.criteria.models import Criterion
from pocdesk.criteria.services import criterion_template_create, criterion_update
from pocdesk.opportunities.services import opportunity_create, opportunity_update
from pocdesk.pocs.models import POC, PocType, Status
from pocdesk.pocs.services import poc_create, poc_transition, poc_update
from pocdesk.qualification.services import poc_commitment_set

from . import closing_stories as closing
from . import decision_chains as chains
from . import plans, running_execution
from . import proving_execution as execution
from . import proving_plans as plan
from . import proving_scope as scope
from .clock import StoryClock
from .closing import close_with_results
from .company import Cast
from .qualifying import chain_create, engage
from .story import day, year

# (a) seed 000 — custom luminaires on a heritage building wired to a century-old BMS.
LED_ACCOUNT = "Palais Lindenhof Betriebsgesellschaft"


def led_heritage_building(cast: Cast, clock: StoryClock) -> POC:
    li_wei, wang_fang = cast.user("li.wei"), cast.user("wang.fang")
    with clock.on(210):
        account = account_create(
            actor=li_wei, team=cast.team("lighting-buildings"), name=LED_ACCOUNT, country="AT",
            industry="Heritage buildings & museums", size="medium", currency="EUR",
            website="https://palais-lindenhof.example",
            notes=("维也纳历史建筑(1898 年落成),东翼画廊和立面计划整体更换灯具。客户最关心两点:"
                   "色温和显色必须与百年砖墙样本一致;灯具必须接入原有楼宇控制系统——1920 年代的控制"
                   "回路,现经 BACnet/IP 网关接入。决策链:基金会技术总监(经济决策人)+ 文物保护顾问。"),
        )
    with clock.on(170):
        opportunity = opportunity_create(
            actor=li_wei, account=account,
            name="Palais Lindenhof — gallery and façade lighting retrofit",
            amount=Decimal("2400000"), currency="EUR", expected_close_date=day(120),
            stage="evaluation", source="trade_show",
            description=(f"Written purchase plan PL-{year()}-017 for 1,450 custom luminaires across the "
                         "east gallery, the ballroom and the façade. Budget approved by the "
                         "foundation's board; the conservation office must approve every fitting "
                         "on a listed wall. The order depends on an on-site POC with three "
                         "luminaires in the east gallery."),
            competitors=[{"name": "Lumenwerk AG", "position": "level"},
                         {"name": "Brightline Europe", "position": "ahead"}],
        )
    with clock.on(120):
        poc = poc_create(
            actor=wang_fang, opportunity=opportunity,
            title="Three custom luminaires in the east gallery, dimmed by the 1920s BMS",
            objective=("Prove in the east gallery that three custom luminaires (1) match the "
                       "brick-wall samples: colour temperature 2,700 K ± 100 K and CRI ≥ 95 "
                       "measured at 1 m; (2) are switched and dimmed by the existing "
                       "building-management system through the BACnet/IP gateway wired to the "
                       "1920s control circuits, with command-to-light latency ≤ 500 ms for 99 % "
                       "of 1,000 commands; (3) use ≥ 40 % less energy than the existing halogen "
                       "fittings over four weeks of normal opening hours."),
            poc_type=PocType.ON_SITE_PILOT, owner=wang_fang, language="en",
            planned_effort_hours=Decimal(scope.LED_PLANNED_HOURS),
        )
    with clock.on(110):
        opportunity = opportunity_update(
            actor=li_wei, opportunity=opportunity, purchase_process="written_plan",
            purchase_reference=f"PL-{year()}-017 (the foundation's written purchase plan)",
            budget_confirmed=True, budget_amount=Decimal("2600000"),
            budget_confirmed_by="Dr. Katharina Weiss, Technical Director (board resolution)",
            budget_confirmed_on=day(-150), decision_date=day(100), nda_signed=True,
            nda_reference=f"NDA-PLB-{year()}-02, mutual, signed with the foundation")
        people = chain_create(actor=li_wei, opportunity=opportunity, people=chains.LED_CHAIN)
    with clock.on(102):
        plans.criteria_write(actor=wang_fang, poc=poc, specs=plan.LED_CRITERIA)
    with clock.on(100):
        engage(actor=wang_fang, poc=poc, stakeholder=people["sponsor"], days_ago=100,
               kind="meeting", note="Approved the three-luminaire pilot and its criteria at the "
                                    "foundation's technical committee.")
        engage(actor=wang_fang, poc=poc, stakeholder=people["champion"], days_ago=100,
               kind="site_visit", note="Walked the east gallery and the BMS room; chose the "
                                       "three positions.")
        engage(actor=wang_fang, poc=poc, stakeholder=people["conservation"], days_ago=99,
               kind="workshop", note="Reviewed the brick samples and the fixing method on the "
                                     "listed wall.")
        poc = poc_commitment_set(
            actor=li_wei, poc=poc, level=1,
            commitment_reference=f"Pilot letter of intent LOI-PLB-{year()}-04, signed by "
                                 "Dr. Weiss")
    with clock.on(95):
        poc = poc_transition(actor=wang_fang, poc=poc, to=Status.QUALIFIED)
    with clock.on(60):
        poc = poc_update(actor=wang_fang, poc=poc, start_date=day(-35), end_date=day(55))
    agreement = plan.led_agreement()
    with clock.on(56):
        plans.agreement_write(actor=wang_fang, poc=poc, plan=agreement)
        versions = plans.submit(actor=wang_fang, poc=poc)
    with clock.on(55) as moment:
        plans.sign_for_vendor(actor=wang_fang, versions=versions, signed_at=moment,
                              title="Presales engineer, Helix Lighting & Buildings")
    with clock.on(53, hour=15) as moment:
        plans.sign_for_customer(actor=wang_fang, versions=versions, signatory=people["sponsor"],
                                signed_at=moment)
    with clock.on(51):
        poc = poc_commitment_set(
            actor=li_wei, poc=poc, level=2, funded_share=Decimal("50"),
            funded_amount=Decimal("18500"),
            commitment_reference=f"POC agreement PLB-POC-{year()}-01: the foundation pays 50 % "
                                 "of the sample luminaires")
    with clock.on(50):
        poc = poc_transition(
            actor=wang_fang, poc=poc, to=Status.AGREED,
            reason="Criteria and POC agreement signed by the foundation's technical director; "
                   "the foundation pays 50 % of the sample cost.")
    plans.resources_settle(actor=wang_fang, poc=poc, plan=agreement, clock=clock)
    scope.led_plan(cast=cast, clock=clock, poc=poc, people=people)
    with clock.on(35):
        poc = poc_transition(
            actor=wang_fang, poc=poc, to=Status.RUNNING,
            reason="Luminaires installed; the facility manager witnessed the first dimming run "
                   "from the BMS console.")
        engage(actor=wang_fang, poc=poc, stakeholder=people["champion"], days_ago=35,
               kind="site_visit", note="Witnessed the first dimming run from the BMS console.")
    # The monuments office reviewed the first readings and asked for a tighter colour match:
    # version 2 of the criteria, signed again by both sides.
    with clock.on(28):
        colour = Criterion.objects.get(poc=poc, title=plan.LED_CCT_FIRST_TITLE)
        colour = criterion_update(actor=wang_fang, criterion=colour, **plan.LED_CCT_REVIEWED)
        versions = plans.submit(actor=wang_fang, poc=poc, kinds=["criteria"])
        engage(actor=wang_fang, poc=poc, stakeholder=people["conservation"], days_ago=28,
               kind="meeting", note="Asked for 2700 K ± 100 K instead of ± 150 K on the brick "
                                    "sample, read in her presence.")
    with clock.on(27) as moment:
        plans.sign_for_vendor(actor=wang_fang, versions=versions, signed_at=moment,
                              title="Presales engineer, Helix Lighting & Buildings")
    with clock.on(24, hour=14) as moment:
        plans.sign_for_customer(actor=wang_fang, versions=versions, signatory=people["sponsor"],
                                signed_at=moment)
    with clock.on(23):
        criterion_template_create(actor=wang_fang, criterion=colour,
                                  industry="Heritage buildings & museums")
        latency = Criterion.objects.get(poc=poc, title__startswith="BMS command-to-light")
        criterion_template_create(actor=wang_fang, criterion=latency, industry="Building controls")
    scope.led_run(cast=cast, clock=clock, poc=poc, people=people)
    running_execution.led_execution(cast=cast, clock=clock, poc=poc, people=people)
    with clock.on(20):
        opportunity = opportunity_update(
            actor=li_wei, opportunity=opportunity, expected_close_date=day(-closing.LED_CLOSED_AGO),
            close_date_reason="The foundation's board awards the order on the four-week results "
                              "instead of waiting for the end of the pilot window.")
    with clock.on(closing.LED_EVALUATING_AGO):
        poc = poc_transition(
            actor=wang_fang, poc=poc, to=Status.EVALUATING,
            reason="Four weeks of readings: every criterion met. Draft final report to Dr. Weiss.")
    scope.led_end(cast=cast, clock=clock, poc=poc, people=people)
    poc = close_with_results(actor=wang_fang, poc=poc, clock=clock, closing=closing.led_closing(),
                             people=people, results_ago=closing.LED_RESULTS_AGO,
                             closed_ago=closing.LED_CLOSED_AGO, rates_actor=cast.user("manager"))
    with clock.on(closing.LED_CLOSED_AGO - 1):
        opportunity_update(actor=li_wei, opportunity=opportunity, stage="closed_won")
    return poc


# (b) seed 000 — an adaptive rock crusher, one month in a humid, dusty South-East Asian mine.
CRUSHER_ACCOUNT = "PT Batu Sakti Mineral"


def adaptive_crusher(cast: Cast, clock: StoryClock) -> POC:
    sales, engineer = cast.user("sales"), cast.user("engineer")
    with clock.on(260):
        account = account_create(
            actor=sales, team=cast.team("heavy-equipment"), name=CRUSHER_ACCOUNT, country="ID",
            industry="Mining (nickel and coal)", size="enterprise", currency="USD",
            website="https://batusakti.example",
            notes=("Open-pit operation in East Kalimantan: three pits, 24/7. Relative humidity "
                   "above 90 % most of the year and heavy dust. The VP Engineering (executive "
                   "sponsor) wants data from their own pit before replacing 12 crushers."),
        )
    with clock.on(250):
        opportunity = opportunity_create(
            actor=sales, account=account, name="Pit 3 expansion — 12 adaptive cone crushers",
            amount=Decimal("14500000"), currency="USD", expected_close_date=day(75),
            stage="evaluation", source="outbound",
            description=(f"RFQ SBM-RFQ-{year()}-044 for 12 cone crushers with automatic setting "
                         f"regulation. Budget confirmed in the {year()}–{year(1)} capex plan. "
                         "Conditional "
                         "purchase order: the first 4 units are ordered when the one-month trial "
                         "meets every must-have criterion."),
            competitors=[{"name": "Kessler Minerals Technik", "position": "level"},
                         {"name": "Sandvale Crushing", "position": "ahead"}],
        )
    with clock.on(150):
        poc = poc_create(
            actor=engineer, opportunity=opportunity, title="30-day adaptive crushing trial in Pit 3",
            objective=("Prove that the HX-400's rock-hardness adaptive control keeps throughput "
                       "≥ 380 t/h and product size P80 ≤ 25 mm while feed hardness varies between "
                       "80 and 250 MPa, over 30 days of continuous operation in Pit 3 (relative "
                       "humidity ≥ 90 %, dust ≥ 10 mg/m³); crusher availability ≥ 95 %; liner "
                       "wear ≤ 1.2 mm per 10,000 t; every hardness change and the crusher's "
                       "response logged at 1 Hz."),
            poc_type=PocType.ON_SITE_PILOT, owner=engineer, language="en",
            planned_effort_hours=Decimal(scope.CRUSHER_PLANNED_HOURS),
        )
    with clock.on(140):
        opportunity = opportunity_update(
            actor=sales, opportunity=opportunity, purchase_process="rfq",
            purchase_reference=f"SBM-RFQ-{year()}-044", budget_confirmed=True,
            budget_amount=Decimal("15000000"),
            budget_confirmed_by=f"Ir. Hendra Wijaya, VP Engineering ({year()}–{year(1)} capex "
                                "plan)",
            budget_confirmed_on=day(-230), decision_date=day(45), nda_signed=True,
            nda_reference=f"NDA-BSM-{year()}-07")
        people = chain_create(actor=sales, opportunity=opportunity, people=chains.CRUSHER_CHAIN)
    with clock.on(137):
        plans.criteria_write(actor=engineer, poc=poc, specs=plan.CRUSHER_CRITERIA)
    with clock.on(135):
        engage(actor=engineer, poc=poc, stakeholder=people["sponsor"], days_ago=135,
               kind="meeting", note="Approved the 30-day trial plan and its must-have criteria "
                                    "in Balikpapan.")
        engage(actor=engineer, poc=poc, stakeholder=people["champion"], days_ago=135,
               kind="site_visit", note="Chose the installation pad in Pit 3 and the feed "
                                       "benches.")
        engage(actor=engineer, poc=poc, stakeholder=people["maintenance"], days_ago=134,
               kind="workshop", note="Agreed how liner wear is measured and who reads it.")
        poc = poc_commitment_set(
            actor=sales, poc=poc, level=1,
            commitment_reference=f"Trial agreement BSM-HX-{year()}-02, signed by the VP "
                                 "Engineering")
    with clock.on(130):
        poc = poc_transition(actor=engineer, poc=poc, to=Status.QUALIFIED)
    with clock.on(100):
        poc = poc_update(actor=engineer, poc=poc, start_date=day(-45), end_date=day(-15))
    agreement = plan.crusher_agreement()
    with clock.on(98):
        plans.agreement_write(actor=engineer, poc=poc, plan=agreement)
        versions = plans.submit(actor=engineer, poc=poc)
    with clock.on(97) as moment:
        plans.sign_for_vendor(actor=engineer, versions=versions, signed_at=moment,
                              title="Presales engineer, Helix Heavy Equipment")
    with clock.on(96, hour=8) as moment:
        plans.sign_for_customer(actor=engineer, versions=versions, signatory=people["sponsor"],
                                signed_at=moment)
    with clock.on(96):
        poc = poc_commitment_set(
            actor=sales, poc=poc, level=3, conditional_po_reference="PO-SBM-0412",
            conditional_po_value=Decimal("4840000"),
            conditional_po_criteria=("The first 4 HX-400 units are ordered when the 30-day trial "
                                     "in Pit 3 meets every must-have: throughput ≥ 380 t/h, "
                                     "P80 ≤ 25 mm, availability ≥ 95 %, liner wear ≤ 1.2 mm per "
                                     "10,000 t."))
    with clock.on(95):
        poc = poc_transition(
            actor=engineer, poc=poc, to=Status.AGREED,
            reason="Conditional purchase order PO-SBM-0412 for 4 units signed, triggered by the "
                   "must-have criteria.")
    with clock.on(94):
        humidity = Criterion.objects.get(poc=poc, title=plan.CRUSHER_HUMIDITY_TITLE)
        criterion_template_create(actor=engineer, criterion=humidity, industry="Mining")
    scope.crusher_plan(cast=cast, clock=clock, poc=poc, people=people)
    with clock.on(90):
        opportunity_update(actor=sales, opportunity=opportunity, expected_close_date=day(100),
                           close_date_reason="Monsoon flooding delayed the installation pad in "
                                             "Pit 3 by two weeks.")
    plans.resources_settle(actor=engineer, poc=poc, plan=agreement, clock=clock)
    with clock.on(45):
        poc = poc_transition(actor=engineer, poc=poc, to=Status.RUNNING,
                             reason="First run witnessed by the mine's VP Engineering.")
        engage(actor=engineer, poc=poc, stakeholder=people["sponsor"], days_ago=45,
               kind="site_visit", note="Witnessed the first run in Pit 3.")
    scope.crusher_run(cast=cast, clock=clock, poc=poc, people=people)
    with clock.on(13):
        poc = poc_transition(
            actor=engineer, poc=poc, to=Status.EVALUATING,
            reason="30 days completed: 2.6 million readings to analyse; the VP Engineering "
                   "reviews the draft report next week.")
    execution.crusher_execution(cast=cast, clock=clock, poc=poc, people=people)
    return poc


# (c) seed 000 — a fabric mill: quick-dry antibacterial fabric through 50 washes at a brand's lab.
FABRIC_ACCOUNT = "Northpeak Athletics Inc."


def quick_dry_fabric(cast: Cast, clock: StoryClock) -> POC:
    li_wei, engineer = cast.user("li.wei"), cast.user("engineer")
    with clock.on(330):
        account = account_create(
            actor=li_wei, team=cast.team("textiles"), name=FABRIC_ACCOUNT, country="US",
            industry="Sportswear", size="enterprise", currency="USD",
            website="https://northpeak.example",
            notes=("北美高端运动品牌,供应链成熟,对新供应商极其谨慎。核心顾虑:我们宣称的“速干抗菌”"
                   "功能在 50 次水洗后是否依然有效。只接受品牌指定第三方实验室的检测结果。"),
        )
    with clock.on(320):
        opportunity = opportunity_create(
            actor=li_wei, account=account,
            name="Northpeak running line — quick-dry antibacterial jersey",
            amount=Decimal("3200000"), currency="USD", expected_close_date=day(-160),
            stage="evaluation", source="trade_show",
            description=("Supply of 1.1 million metres a year for three running T-shirt styles. "
                         "Northpeak's supply chain is mature: a new supplier is listed only after "
                         "the brand's third-party lab has validated production samples."),
            # Evertex is the incumbent: Northpeak wants a second source, not a replacement.
            competitors=[{"name": "Evertex Performance Fabrics", "position": "level"}],
        )
    with clock.on(300):
        poc = poc_create(
            actor=engineer, opportunity=opportunity,
            title="Three running T-shirt styles through 50 wash cycles at Northpeak's lab",
            objective=("Prove in the brand's designated third-party lab that T-shirts in three of "
                       "Northpeak's best-selling running styles, made of our HelixDry knit, still "
                       "meet after 50 home-laundering cycles (AATCC LP1): antibacterial reduction "
                       "≥ 99 % against S. aureus and K. pneumoniae (AATCC 100); drying time "
                       "≤ 30 minutes (AATCC 201); pilling grade ≥ 4 after 5,000 Martindale rubs; "
                       "dimensional change ≤ 3 %."),
            poc_type=PocType.PROTOTYPE, owner=engineer, language="en",
        )
    with clock.on(296):
        opportunity = opportunity_update(
            actor=li_wei, opportunity=opportunity, purchase_process="written_plan",
            purchase_reference=f"NP-SOP-{day(-296).year}-12 (supplier onboarding plan)",
            budget_confirmed=True, budget_amount=Decimal("3400000"),
            budget_confirmed_by="Jennifer Cole, VP Global Sourcing (running-line budget)",
            budget_confirmed_on=day(-305), decision_date=day(-180), nda_signed=True,
            nda_reference="Northpeak mutual NDA and supplier code of conduct")
        people = chain_create(actor=li_wei, opportunity=opportunity, people=chains.FABRIC_CHAIN)
    with clock.on(296, hour=15):
        plans.criteria_write(actor=engineer, poc=poc, specs=plan.FABRIC_CRITERIA)
    with clock.on(295):
        engage(actor=engineer, poc=poc, stakeholder=people["sponsor"], days_ago=295,
               kind="meeting", note="Agreed the 50-wash protocol, and that a pass lists Helix as "
                                    "second supplier.")
        engage(actor=engineer, poc=poc, stakeholder=people["champion"], days_ago=295,
               kind="workshop", note="Chose the three running styles and the sample sizes.")
        engage(actor=engineer, poc=poc, stakeholder=people["lab"], days_ago=294, kind="call",
               note="Confirmed the AATCC methods and the lab's schedule.")
        poc = poc_commitment_set(
            actor=li_wei, poc=poc, level=2, funded_share=Decimal("35"),
            funded_amount=Decimal("42000"),
            commitment_reference="Sampling agreement: Northpeak pays the third-party lab fees, "
                                 "35 % of the POC cost")
    with clock.on(290):
        poc = poc_transition(actor=engineer, poc=poc, to=Status.QUALIFIED)
    with clock.on(265):
        poc = poc_update(actor=engineer, poc=poc, start_date=day(-250), end_date=day(-190))
    agreement = plan.fabric_agreement()
    with clock.on(264):
        plans.agreement_write(actor=engineer, poc=poc, plan=agreement)
        versions = plans.submit(actor=engineer, poc=poc)
    with clock.on(263) as moment:
        plans.sign_for_vendor(actor=engineer, versions=versions, signed_at=moment,
                              title="Presales engineer, Helix Textiles")
    with clock.on(261, hour=16) as moment:
        plans.sign_for_customer(actor=engineer, versions=versions, signatory=people["sponsor"],
                                signed_at=moment)
    with clock.on(260):
        poc = poc_transition(actor=engineer, poc=poc, to=Status.AGREED,
                             reason="Sampling agreement signed; Northpeak pays the lab fees.")
    plans.resources_settle(actor=engineer, poc=poc, plan=agreement, clock=clock)
    with clock.on(250):
        poc = poc_transition(actor=engineer, poc=poc, to=Status.RUNNING,
                             reason="600 sample garments delivered to the lab in Portland.")
    with clock.on(190):
        poc = poc_transition(actor=engineer, poc=poc, to=Status.EVALUATING)
        engage(actor=engineer, poc=poc, stakeholder=people["lab"], days_ago=190,
               kind="signed_document", note="Signed the lab report after 50 washes.")
    execution.fabric_execution(cast=cast, clock=clock, poc=poc, people=people)
    poc = close_with_results(actor=engineer, poc=poc, clock=clock,
                             closing=closing.fabric_closing(), people=people,
                             results_ago=closing.FABRIC_RESULTS_AGO,
                             closed_ago=closing.FABRIC_CLOSED_AGO,
                             rates_actor=cast.user("manager"))
    with clock.on(174):
        antibacterial = Criterion.objects.get(poc=poc, title=plan.FABRIC_ANTIBACTERIAL_TITLE)
        criterion_template_create(actor=engineer, criterion=antibacterial, industry="Sportswear")
    with clock.on(170):
        opportunity_update(actor=li_wei, opportunity=opportunity, stage="closed_won",
                           competitors=[{"name": "Evertex Performance Fabrics",
                                         "position": "ahead"}])
    return poc


# (d) a smart customer-service system for a retailer (Chinese retail chain).
RETAIL_ACCOUNT = "鲜丰汇零售集团"


def smart_customer_service(cast: Cast, clock: StoryClock) -> POC:
    li_wei, wang_fang = cast.user("li.wei"), cast.user("wang.fang")
    with clock.on(140):
        account = account_create(
            actor=li_wei, team=cast.team("software"), name=RETAIL_ACCOUNT, country="CN",
            industry="零售连锁", size="enterprise", currency="CNY",
            website="https://xianfenghui.example",
            notes=("华东地区 420 家门店,线上订单占 35 %。客服中心 180 人,双十一和春节高峰期排队"
                   "超过 10 分钟。IT 部要求与自建 CRM 和订单中台对接。"),
        )
    with clock.on(130):
        opportunity = opportunity_create(
            actor=li_wei, account=account, name="鲜丰汇智能客服系统全渠道上线",
            amount=Decimal("6800000"), currency="CNY", expected_close_date=day(90),
            stage="evaluation", source="partner",
            description=(f"客户已发布书面采购计划(招标编号 XFH-IT-{year()}-031),预算已列入 {year()} 年度 "
                         "IT 预算并获批准。试点成功后,第一期覆盖华东 420 家门店的小程序、App 和"
                         "电话渠道。"),
            competitors=[{"name": "云答智能", "position": "level"},
                         {"name": "知音客服", "position": "ahead"}],
        )
    with clock.on(60):
        poc = poc_create(
            actor=wang_fang, opportunity=opportunity, title="智能客服试点:华东 30 家门店线上渠道",
            objective=("证明智能客服系统在华东区 30 家门店的小程序和 App 渠道连续运行 8 周时:"
                       "机器人独立解决率 ≥ 70 %;首次响应时间 P95 ≤ 2 秒;转人工率 ≤ 25 %;"
                       "客户满意度(CSAT)不低于人工客服基线 4.5/5;与自建 CRM 和订单中台的接口"
                       "调用成功率 ≥ 99.5 %。"),
            poc_type=PocType.ON_SITE_PILOT, owner=wang_fang, language="zh-hans",
            planned_effort_hours=Decimal(scope.RETAIL_PLANNED_HOURS),
        )
    with clock.on(48):
        opportunity = opportunity_update(
            actor=li_wei, opportunity=opportunity, purchase_process="tender",
            purchase_reference=f"XFH-IT-{year()}-031", budget_confirmed=True,
            budget_amount=Decimal("7000000"), budget_confirmed_by="陈建国,集团 CIO(年度 IT 预算)",
            budget_confirmed_on=day(-120), decision_date=day(70), nda_signed=True,
            nda_reference=f"XFH-NDA-{year()}-118")
        people = chain_create(actor=li_wei, opportunity=opportunity, people=chains.RETAIL_CHAIN)
    with clock.on(46):
        plans.criteria_write(actor=wang_fang, poc=poc, specs=plan.RETAIL_CRITERIA)
    with clock.on(45):
        engage(actor=wang_fang, poc=poc, stakeholder=people["sponsor"], days_ago=45,
               kind="meeting", note="CIO 确认试点范围、成功标准和上线决策规则。")
        engage(actor=wang_fang, poc=poc, stakeholder=people["champion"], days_ago=45,
               kind="workshop", note="客服中心梳理高峰期 Top 50 问题和转人工规则。")
        engage(actor=wang_fang, poc=poc, stakeholder=people["architect"], days_ago=44,
               kind="workshop", note="确认 CRM 和订单中台的接口清单与压测方案。")
        poc = poc_commitment_set(actor=li_wei, poc=poc, level=1,
                                 commitment_reference=f"试点合作意向书 XFH-LOI-{year()}-09")
    with clock.on(40):
        poc = poc_transition(actor=wang_fang, poc=poc, to=Status.QUALIFIED)
    with clock.on(12):
        poc = poc_update(actor=wang_fang, poc=poc, start_date=day(7), end_date=day(63))
    agreement = plan.retail_agreement()
    with clock.on(10):
        plans.agreement_write(actor=wang_fang, poc=poc, plan=agreement)
        versions = plans.submit(actor=wang_fang, poc=poc)
    with clock.on(9) as moment:
        plans.sign_for_vendor(actor=wang_fang, versions=versions, signed_at=moment,
                              title="Helix 软件与服务事业部售前工程师")
    with clock.on(7, hour=16) as moment:
        plans.sign_for_customer(actor=wang_fang, versions=versions, signatory=people["sponsor"],
                                signed_at=moment)
    plans.resources_settle(actor=wang_fang, poc=poc, plan=agreement, clock=clock)
    with clock.on(6):
        poc = poc_commitment_set(actor=li_wei, poc=poc, level=2, funded_share=Decimal("50"),
                                 commitment_reference=f"试点协议 XFH-POC-{year()}-02:客户承担 "
                                                      "50 % 的试点费用")
    with clock.on(5):
        poc = poc_transition(actor=wang_fang, poc=poc, to=Status.AGREED,
                             reason="成功标准和 POC 协议已由客户 CIO 签字;客户承担 50 % 的试点费用。")
    with clock.on(4):
        response = Criterion.objects.get(poc=poc, title=plan.RETAIL_RESPONSE_TITLE)
        criterion_template_create(actor=wang_fang, criterion=response, industry="零售连锁")
    scope.retail_plan(cast=cast, clock=clock, poc=poc, people=people)
    running_execution.retail_governance(cast=cast, clock=clock, poc=poc, people=people)
    return poc
