"""The plans of stories (a)–(d): the success criteria and the POC agreement each party signed.

Criteria are in the POC's language, with their test conditions, measurement method, frequency,
owner, importance and must-have flag; agreements carry their scope, the customer's resources,
the cost sharing and the follow-on and exit clauses the parties negotiated.
"""

from __future__ import annotations

from decimal import Decimal

from .plans import AgreementPlan, Cost, Resource, measured, pass_fail
from .story import year

# (a) LED luminaires on a heritage building's 1920s BMS. Version 1 of the colour-temperature
# criterion allowed ± 150 K; the monuments office's review tightened it to ± 100 K (version 2).
LED_CCT_TITLE = "Colour temperature 2700 K ± 100 K on the brick sample"
LED_CCT_FIRST_TITLE = "Colour temperature 2700 K ± 150 K on the brick sample"
LED_CCT_REVIEWED = {
    "title": LED_CCT_TITLE, "tolerance": Decimal("100"),
    "test_conditions": ("East gallery, on the brick-wall reference sample approved by the "
                        "monuments office; luminaire at 100 % after a 30-minute warm-up; shutters "
                        "closed; the monuments office's consultant present at each reading"),
}
LED_CRITERIA = (
    measured(
        LED_CCT_FIRST_TITLE, metric="correlated colour temperature (CCT)", unit="K",
        comparator="eq", target="2700", tolerance="150",
        aggregation="mean",
        question="Does the light on the listed brick wall look as it did under the 1920s lamps?",
        conditions=("East gallery, on the brick-wall reference sample approved by the monuments "
                    "office; luminaire at 100 % after a 30-minute warm-up; shutters closed"),
        method=("Calibrated spectroradiometer (Konica Minolta CL-500A) 1 m from the sample, five "
                "points per luminaire, read by the facility manager with Helix's engineer"),
        frequency="Weekly, and after every change of the dimming curve", importance=5,
        must_have=True),
    measured(
        "Colour rendering CRI ≥ 95 at 1 m", metric="colour rendering index", unit="Ra",
        comparator="gte", target="95", aggregation="min",
        question="Do the frescoes' reds and ochres keep their colour?",
        conditions="Same five points as the colour temperature, luminaire at 100 % and at 30 %",
        method="Spectroradiometer CL-500A, Ra computed per CIE 13.3",
        frequency="Weekly", importance=4, must_have=True),
    measured(
        "BMS command-to-light latency ≤ 500 ms for 99 % of commands",
        metric="time from the BMS command to 90 % of the target light level", unit="ms",
        comparator="lte", target="500", aggregation="share_passing", share="99",
        question="Can the 1920s building-management system drive the luminaires without a "
                 "noticeable delay?",
        conditions=("1,000 on, off and dimming commands sent from the BMS console through the "
                    "BACnet/IP gateway wired to the 1920s control circuits, spread over opening "
                    "hours"),
        method=("Gateway log time-stamps matched with a photodiode logger (10 ms resolution) on "
                "each luminaire"),
        frequency="1,000 commands over the first two weeks", owner="customer", importance=5,
        must_have=True),
    measured(
        "Energy use at least 40 % below the halogen fittings",
        metric="energy saving against the halogen baseline", unit="%", comparator="gte",
        target="40", aggregation="latest", question="Does the retrofit pay for itself?",
        conditions=("Four weeks of normal opening hours (Tuesday–Sunday, 10:00–18:00) with the "
                    "same dimming scenes as the halogen baseline"),
        method=("Sub-meter on the east-gallery lighting circuit, compared with the four weeks of "
                "halogen readings logged before the installation"),
        frequency="Daily readings, computed after four weeks", importance=4),
    pass_fail(
        "No visible flicker from 100 % down to 1 %",
        passes=("Neither the conservation consultant nor the facility manager sees flicker, and "
                "the flicker percentage stays below 1 % at every step of the dimming curve"),
        aggregation="share_passing", share="100",
        conditions="Evening, gallery closed, the three luminaires on the BMS dimming scene",
        method="Walk-through of the dimming curve in ten steps with a flicker meter "
               "(UPRtek MF250N) on the brick sample",
        frequency="After installation, and after any firmware change", owner="customer",
        importance=3),
)


def led_agreement() -> AgreementPlan:
    return AgreementPlan(
        start=-35, end=55,
        clauses={
            "scope_included": (
                "Three custom luminaires (HX-Heritage 2700 K, brass housing, custom optics) at "
                "positions G-07, G-12 and G-19 of the east gallery; their connection to the "
                "existing building-management system through the BACnet/IP gateway wired to the "
                "1920s control circuits; the dimming scenes of normal opening hours; the "
                "measurements listed in the success criteria."),
            "scope_excluded": (
                "The façade and the ballroom; any change to the 1920s control circuits or to the "
                "BMS software beyond the gateway's object mapping; emergency lighting; fixing "
                "methods other than the one approved by the monuments office; the production "
                "order itself."),
            "follow_on_kind": "priority",
            "follow_on": (
                "If every must-have criterion is met, the foundation invites Helix to the final "
                f"negotiation of the 1,450-luminaire order under purchase plan PL-{year()}-017 "
                f"before any other bidder, at the unit prices of offer HX-PLB-{year()}-03."),
            "exit_slip_days": 21,
            "exit_clause": (
                "If the installation or the measurement period slips by more than 21 days "
                "against the dates above, either party may end the POC with one week's written "
                "notice; the foundation then keeps the three luminaires at the shared cost "
                "already paid."),
            "checkpoint_cadence_days": 14,
            "nda_reference": f"NDA-PLB-{year()}-02 (mutual)",
        },
        resources=(
            Resource("other", "Written approval of the fixing method by the monuments office",
                     -42, ("ready", 45)),
            Resource("interfaces", "BACnet/IP gateway credentials and the object list of the "
                                   "1920s lighting circuits", -40, ("ready", 41)),
            Resource("environment", "Access to the east gallery on closing days (Mondays) for "
                                    "the installation and the measurements", -38, ("ready", 37)),
            Resource("data", "Four weeks of halogen baseline readings from the east-gallery "
                             "sub-meter", -36, ("ready", 36)),
            Resource("people", "Facility manager present at the first dimming run and at each "
                               "weekly measurement", -35, ("ready", 36)),
        ),
        costs=(
            Cost("materials", "Three sample luminaires with custom optics — the foundation's "
                              "50 % share", "18500.00", "EUR", "customer"),
            Cost("materials", "Three sample luminaires with custom optics — Helix's 50 % share",
                 "18500.00", "EUR", "vendor"),
            Cost("labour", "Installation on the listed wall by the foundation's certified "
                           "electrician", "4800.00", "EUR", "customer"),
            Cost("labour", "Gateway object mapping and dimming-curve tuning (6 engineer-days)",
                 "5400.00", "EUR", "vendor"),
            Cost("travel", "Two trips Shenzhen–Vienna: installation and final review", "6200.00",
                 "EUR", "vendor"),
        ),
    )


# (b) The adaptive crusher, a month in a humid, dusty mine.
CRUSHER_HUMIDITY_TITLE = "No failure in 720 h of continuous run at 95 % humidity"
CRUSHER_CRITERIA = (
    measured(
        "Throughput ≥ 380 t/h with feed hardness from 80 to 250 MPa", metric="throughput",
        unit="t/h", comparator="gte", target="380", aggregation="mean",
        question="Does the adaptive control hold the production rate when the rock gets harder?",
        conditions=("Pit 3 feed benches, hardness between 80 and 250 MPa (UCS), closed-side "
                    "setting under automatic control"),
        method=("Belt-scale totaliser on the product conveyor, calibrated by the mine's "
                "metrology team; hourly totals"),
        frequency="Hourly, 24/7 for 30 days", importance=5, must_have=True),
    measured(
        "Product size P80 ≤ 25 mm", metric="P80 of the crushed product", unit="mm",
        comparator="lte", target="25", aggregation="p95",
        question="Is the product fine enough for the mill without re-crushing?",
        conditions="Sample cut from the product belt, dried at 105 °C",
        method=("Sieve analysis (ISO 2591-1) by the mine's laboratory, P80 interpolated on the "
                "cumulative curve"),
        frequency="Two samples per shift", owner="customer", importance=5, must_have=True),
    pass_fail(
        CRUSHER_HUMIDITY_TITLE,
        passes=("No unplanned stop caused by the crusher, its hydraulic setting system, its "
                "control cabinet or its sensors during 720 consecutive hours of operation"),
        question="Does the machine survive the pit's real climate?",
        conditions=("Pit 3 installation pad in the monsoon season: relative humidity ≥ 95 %, "
                    "airborne dust ≥ 10 mg/m³, ambient 26–34 °C"),
        method=("Stop log of the mine's dispatch system; each stop classified with the "
                "maintenance manager at the daily meeting"),
        frequency="Continuous, reviewed daily", importance=5, must_have=True),
    measured(
        "Availability ≥ 95 % over the 30 days", metric="mechanical availability", unit="%",
        comparator="gte", target="95", aggregation="latest",
        conditions="Scheduled maintenance stops excluded, as agreed with the maintenance manager",
        method="Run hours ÷ (calendar hours − scheduled stops), from the dispatch system",
        frequency="Cumulative figure, updated daily", importance=4, must_have=True),
    measured(
        "Liner wear ≤ 1.2 mm per 10,000 t", metric="mantle and concave liner wear",
        unit="mm/10,000 t", comparator="lte", target="1.2", aggregation="max",
        conditions="Abrasive feed: nickel laterite and sandstone",
        method=("Laser liner scan at the weekly maintenance stop, divided by the tonnage since "
                "the previous scan"),
        frequency="Weekly", owner="customer", importance=4, must_have=True),
    measured(
        "Closed-side setting held between 22 and 28 mm", metric="closed-side setting (CSS)",
        unit="mm", comparator="between", low="22", high="28", aggregation="share_passing",
        share="98",
        question="Does the control keep the crusher in its working window when hardness changes?",
        conditions="Every hardness change detected by the feed sensor",
        method="CSS position sensor logged at 1 Hz by the control system, exported daily",
        frequency="1 Hz", importance=2),
)


def crusher_agreement() -> AgreementPlan:
    return AgreementPlan(
        start=-45, end=-15,
        clauses={
            "scope_included": (
                "One HX-400 adaptive cone crusher with its hardness-adaptive control, installed "
                "on the Pit 3 pad after the primary jaw crusher; 30 days of continuous operation "
                "on the Pit 3 feed benches; the measurements of the success criteria, logged at "
                "1 Hz; daily coaching of the operators by Helix's field engineer."),
            "scope_excluded": (
                "Civil works of the installation pad and its 400 V supply (the mine's); "
                "integration with the mine's fleet-management system; Pits 1 and 2; secondary "
                "screens and conveyors; wear parts beyond the first set of liners."),
            "follow_on_kind": "conditional_po",
            "follow_on": (
                "Conditional purchase order PO-SBM-0412 (USD 4,840,000) for the first four "
                "HX-400 units becomes firm when every must-have criterion is met over the 30 "
                f"days; the other eight units follow the schedule of RFQ SBM-RFQ-{year()}-044."),
            "exit_slip_days": 14,
            "exit_clause": (
                "If the start of the 30-day run slips by more than 14 days, the mine may cancel "
                "the conditional purchase order without cost, and Helix removes the crusher at "
                "its own cost within 30 days."),
            "checkpoint_cadence_days": 7,
            "nda_reference": f"NDA-BSM-{year()}-07",
        },
        resources=(
            Resource("environment", "Installation pad in Pit 3 with a 400 V / 630 kVA supply and "
                                    "crane access", -52, ("ready", 47)),
            Resource("equipment", "Feed from the primary jaw crusher at 350–450 t/h, and a "
                                  "loader on standby", -46, ("ready", 46)),
            Resource("people", "Two crusher operators per shift for 30 days, trained by Helix in "
                               "the first week", -46, ("ready", 46)),
            Resource("data", "Read access to the belt-scale totaliser and the dispatch stop log",
                     -46, ("ready", 46)),
            Resource("people", "Mine laboratory: two sieve analyses per shift", -45,
                     ("ready", 46)),
        ),
        costs=(
            Cost("logistics", "Sea and road freight of the HX-400 from Tianjin to Pit 3",
                 "186000.00", "USD", "vendor"),
            Cost("labour", "Installation pad, 400 V supply and crane", "94000.00", "USD",
                 "customer"),
            Cost("materials", "First set of manganese liners", "38500.00", "USD", "vendor"),
            Cost("labour", "Helix field engineer on site for 30 days", "42000.00", "USD",
                 "vendor"),
            Cost("travel", "Flights and camp accommodation of the field engineer", "9800.00",
                 "USD", "shared"),
            Cost("other", "Sieve analyses by the mine laboratory (360 samples)", "14400.00",
                 "USD", "customer"),
        ),
    )


# (c) Quick-dry antibacterial fabric through 50 washes at the brand's lab.
FABRIC_ANTIBACTERIAL_TITLE = "Antibacterial rate ≥ 99 % after 50 washes"
FABRIC_CRITERIA = (
    measured(
        FABRIC_ANTIBACTERIAL_TITLE, metric="bacterial reduction", unit="%", comparator="gte",
        target="99", aggregation="min",
        question="Does the antibacterial finish last as long as the garment?",
        conditions=("After 50 home-laundering cycles per AATCC LP1 (40 °C, 1.8 kg ballast, "
                    "tumble dry low); against S. aureus ATCC 6538 and K. pneumoniae ATCC 4352; "
                    "three styles, three swatches each"),
        method="AATCC TM100 at Northpeak's designated third-party laboratory",
        frequency="After 50 washes (after 0 and 20 washes for information)", owner="customer",
        importance=5, must_have=True),
    measured(
        "Drying time ≤ 30 minutes after 50 washes", metric="drying time", unit="min",
        comparator="lte", target="30", aggregation="mean",
        conditions="21 °C and 65 % relative humidity, 0.2 mL of water, after 50 washes",
        method="AATCC TM201 at the third-party laboratory, five specimens per style",
        frequency="After 50 washes", owner="customer", importance=5, must_have=True),
    measured(
        "Pilling grade ≥ 4 after 5,000 Martindale rubs", metric="pilling grade",
        unit="grade (1–5)", comparator="gte", target="4", aggregation="min",
        conditions="ISO 12945-2, 9 kPa, after 50 washes",
        method="Graded against the ISO photographic standards by two laboratory technicians",
        frequency="After 50 washes", owner="customer", importance=4, must_have=True),
    measured(
        "Dimensional change within ± 3 % in length and width", metric="dimensional change",
        unit="%", comparator="between", low="-3", high="3", aggregation="share_passing",
        share="100", conditions="AATCC TM135, home laundering at 40 °C",
        method="Bench marks measured before and after washing, three specimens per style",
        frequency="After 5, 20 and 50 washes", owner="customer", importance=4, must_have=True),
    pass_fail(
        "Hand feel accepted by the wear-test panel",
        passes="The runner rates the hand feel as good as or better than the current "
               "Northpeak jersey",
        aggregation="share_passing", share="80",
        conditions="20 runners of Northpeak's wear-test panel, four weeks of training runs, "
                   "garments washed at home",
        method="Northpeak's standard wear-test questionnaire",
        frequency="At the end of the four weeks", owner="customer", importance=2),
)


def fabric_agreement() -> AgreementPlan:
    return AgreementPlan(
        start=-250, end=-190,
        clauses={
            "scope_included": (
                "600 T-shirts in three Northpeak running styles (Pace Tee, Tempo Tee, Long Run "
                "Tee), sizes S–XL, knitted from HelixDry 140 g/m² and made up by Northpeak's "
                "cut-and-sew partner; the laboratory programme of the success criteria at "
                "Northpeak's designated third-party laboratory in Portland; a 20-runner wear "
                "test."),
            "scope_excluded": (
                "Colours other than black and white; printing and bonded seams; the supplier "
                "social audit (a separate onboarding step); bulk-production prices."),
            "ip_ownership": (
                "The test reports belong to Northpeak. HelixDry's finish formulation and process "
                "remain Helix's and are disclosed to the laboratory only as far as the test "
                "methods require."),
            "follow_on_kind": "priority",
            "follow_on": (
                "If every must-have criterion is met, Northpeak lists Helix as approved second "
                "supplier of the running line and places the first bulk order for the next "
                "season's launch."),
            "exit_slip_days": 30,
            "exit_clause": (
                "If the laboratory results are more than 30 days late, Northpeak may close the "
                "evaluation; Helix receives the reports already issued."),
            "checkpoint_cadence_days": 14,
            "nda_reference": "Northpeak mutual NDA and supplier code of conduct",
        },
        resources=(
            Resource("data", "Tech packs and size specifications of the three styles", -262,
                     ("ready", 262)),
            Resource("other", "Slot on the cut-and-sew partner's line for 600 garments", -252,
                     ("ready", 253)),
            Resource("environment", "Slot at the designated laboratory for the 50-wash "
                                    "programme", -252, ("ready", 258)),
            Resource("people", "20 runners of the wear-test panel", -240, ("ready", 245)),
        ),
        costs=(
            Cost("other", "Third-party laboratory fees: 50-wash programme, AATCC TM100, TM135, "
                          "TM201 and ISO 12945-2", "42000.00", "USD", "customer"),
            Cost("materials", "HelixDry knit for 600 garments (520 m)", "9800.00", "USD",
                 "vendor"),
            Cost("labour", "Cut and sew of 600 garments", "12600.00", "USD", "vendor"),
            Cost("labour", "Helix textile engineers: sampling, finishing trials, reviews",
                 "38000.00", "USD", "vendor"),
            Cost("logistics", "Air freight of the samples to Portland", "4100.00", "USD",
                 "vendor"),
            Cost("travel", "Two visits to the laboratory and to Northpeak", "13500.00", "USD",
                 "vendor"),
        ),
    )


# (d) Smart customer service for a Chinese retail chain.
RETAIL_RESPONSE_TITLE = "首次响应时间 P95 ≤ 2 秒"
RETAIL_CRITERIA = (
    measured(
        "机器人独立解决率 ≥ 70 %", metric="机器人独立解决率(无需转人工即关闭的会话占比)",
        unit="%", comparator="gte", target="70", aggregation="mean",
        question="机器人能否在高峰期真正替客服中心分担压力?",
        conditions="华东 30 家试点门店的小程序和 App 渠道,连续 8 周,其中包含一次大促",
        method="会话日志按周统计:关闭且 24 小时内无重复咨询的机器人会话数 ÷ 机器人接待会话总数",
        frequency="每周", importance=5, must_have=True),
    measured(
        RETAIL_RESPONSE_TITLE, metric="首次响应时间", unit="秒", comparator="lte", target="2",
        aggregation="p95", conditions="全部试点渠道,包括晚 8 点至 10 点的高峰时段",
        method="客服平台埋点:用户消息到达至机器人首条回复发出的时间差",
        frequency="实时采集,每日汇总", importance=4, must_have=True),
    measured(
        "转人工率 ≤ 25 %", metric="转人工会话占比", unit="%", comparator="lte", target="25",
        aggregation="mean", conditions="按客服中心确认的 Top 50 问题和转人工规则",
        method="客服平台转接记录 ÷ 机器人接待会话总数,按周统计", frequency="每周",
        importance=4),
    measured(
        "客户满意度(CSAT)≥ 4.5 分", metric="会话结束后的满意度评分", unit="分(满分 5 分)",
        comparator="gte", target="4.5", aggregation="mean",
        question="顾客对机器人的满意度是否不低于人工客服?",
        conditions="人工客服同期基线为 4.5 分;每周有效评价不少于 500 条",
        method="会话结束后推送五级满意度评价,由客服中心质检组按周汇总", frequency="每周",
        owner="customer", importance=5, must_have=True),
    measured(
        "CRM 和订单中台接口调用成功率 ≥ 99.5 %", metric="接口调用成功率", unit="%",
        comparator="gte", target="99.5", aggregation="min",
        conditions="订单查询、退换货和会员积分三类接口,包括压测期间每秒 300 次的峰值",
        method="API 网关日志:HTTP 2xx 且业务码为成功的调用数 ÷ 总调用数,按日统计",
        frequency="每日", owner="customer", importance=4, must_have=True),
)


def retail_agreement() -> AgreementPlan:
    return AgreementPlan(
        start=7, end=63,
        clauses={
            "scope_included": (
                "华东区 30 家试点门店的小程序和 App 文字客服渠道;高峰期 Top 50 问题的机器人应答;"
                "与自建 CRM(会员、积分)和订单中台(订单查询、退换货)的接口对接;客服中心 20 名坐席"
                "使用人机协同工作台;成功标准所列指标的采集和周报。"),
            "scope_excluded": (
                "电话渠道和语音机器人;其余 390 家门店;营销外呼;对自建 CRM 和订单中台的任何改造;"
                "正式上线后的运维服务。"),
            "follow_on_kind": "priority",
            "follow_on": (
                f"若全部必达指标达成,客户在招标 XFH-IT-{year()}-031 的评标中以试点结果作为技术评分"
                "依据,并优先与我方进行商务谈判;第一期覆盖华东 420 家门店的小程序、App 和电话渠道。"),
            "exit_slip_days": 14,
            "exit_clause": (
                "因任一方原因导致上线或阶段节点延误超过 14 天,另一方可书面通知终止试点,双方已发生的"
                "费用各自承担。"),
            "checkpoint_cadence_days": 7,
            "nda_reference": f"XFH-NDA-{year()}-118",
        },
        resources=(
            Resource("data", "近 6 个月脱敏客服会话记录(不少于 20 万条)及 Top 50 问题标准答案",
                     -1, ("ready", 2)),
            Resource("interfaces", "CRM 会员积分接口和订单中台订单查询、退换货接口的测试环境与账号",
                     2),
            Resource("environment", "压测窗口:两个周末夜间,各 4 小时", 4),
            Resource("people", "客服中心 20 名坐席参加 2 天培训", 5),
        ),
        costs=(
            Cost("licences", "试点期间 30 家门店的智能客服平台授权(8 周)", "180000.00", "CNY",
                 "vendor"),
            Cost("labour", "接口对接和话术配置(我方 4 人 × 6 周)", "240000.00", "CNY", "shared"),
            Cost("labour", "客户 IT 配合接口联调和压测", "60000.00", "CNY", "customer"),
            Cost("other", "试点期间云资源(专属实例)", "36000.00", "CNY", "customer"),
            Cost("travel", "驻场工程师差旅(杭州)", "24000.00", "CNY", "vendor"),
        ),
    )
