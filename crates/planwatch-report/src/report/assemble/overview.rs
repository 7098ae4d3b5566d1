//! The overview, the annual-target lines, the recommendations and the method.

use super::*;

#[allow(clippy::too_many_arguments)]
pub(super) fn overview(
    inp: &ReportInputs,
    kind: ReportKind,
    region: &str,
    period: (i32, i32),
    main: &[(&Target, &Evaluation)],
    tasks: &TaskProgress,
    findings: &[FindingLine],
) -> Vec<String> {
    let ev = &inp.evaluation;
    let year = ev.year;
    let plan = five_year_plan(period.0).unwrap_or_default();
    let tau = elapsed(period.0 - 1, period.1, year);
    let nth = year - period.0 + 1;
    let mut out = Vec::new();
    out.push(match kind {
        ReportKind::Annual => format!(
            "{year}年是{region}{plan}规划纲要实施的第{}年。按照规划纲要关于年度监测的要求，依据统计部门发布的{year}年及以前年度数据，对规划纲要确定的主要指标、重点任务和重大项目的实施情况进行了监测。截至{year}年底，规划期已过{}，以下按序时进度对各项指标作出判断。",
            zh_number(nth.max(0) as u32),
            share(tau)
        ),
        ReportKind::Midterm => format!(
            "{region}{plan}规划纲要实施以来，截至{year}年底规划期已过{}{}。按照规划纲要关于中期评估的要求，对{}—{year}年主要指标、重点任务和重大项目的进展进行了评估，判断规划目标能否如期实现，并提出后半期推进实施的建议。",
            share(tau),
            if tau >= 0.5 { "，时间已经过半" } else { "" },
            period.0
        ),
        ReportKind::Final => {
            let early: Vec<&(&Target, &Evaluation)> = main
                .iter()
                .filter(|(t, e)| {
                    e.category.rank().is_some()
                        && e.figures.latest.is_some_and(|p| p.year < t.target_year)
                })
                .collect();
            let data = if year < period.1 {
                format!(
                    "{}年数据尚未全部发布，本报告以{year}年数据作出评估，数据发布后应予更新。",
                    period.1
                )
            } else if !early.is_empty() {
                format!(
                    "{}等{}项指标尚无{}年数据，按最新数据作出判断，数据发布后应予更新。",
                    names(&early, 3).trim_end_matches('等'),
                    early.len(),
                    period.1
                )
            } else {
                String::new()
            };
            format!(
                "{region}{plan}规划期（{}—{}年）已经结束。按照规划纲要关于总结评估的要求，对照规划纲要确定的目标任务，对规划实施情况进行了总结评估。{data}",
                period.0, period.1
            )
        }
    });

    let mut counts = ev.overall.sentence();
    let binding: Vec<&Evaluation> = main
        .iter()
        .filter(|(t, _)| t.binding)
        .map(|(_, e)| *e)
        .collect();
    if !binding.is_empty() {
        let b = roll_up("约束性指标", &binding);
        if b.count(Category::InsufficientData) == b.total {
            counts.push_str(&format!(
                "{}项约束性指标均暂无{}年以后的监测数据，无法判断是否需要预警。",
                b.total,
                period.0 - 1
            ));
        } else {
            counts.push_str(&b.sentence());
        }
    }
    out.push(counts);

    let with_data: Vec<&(&Target, &Evaluation)> = main
        .iter()
        .filter(|(_, e)| e.category.rank().is_some())
        .collect();
    let good = with_data
        .iter()
        .filter(|(_, e)| e.category.rank().is_some_and(|r| r >= 2))
        .count();
    let lag: Vec<&(&Target, &Evaluation)> = main.iter().filter(|(_, e)| is_lagging(e)).collect();
    let missing: Vec<&(&Target, &Evaluation)> = main
        .iter()
        .filter(|(_, e)| e.category == Category::InsufficientData)
        .collect();
    let mut judge = String::new();
    if !with_data.is_empty() {
        let verdict = match kind {
            ReportKind::Annual => "进度符合或快于序时要求",
            ReportKind::Midterm => "进度符合或快于序时要求，有望如期实现",
            ReportKind::Final => "达到或基本达到目标要求",
        };
        judge.push_str(&format!(
            "在有{year}年监测数据的{}项指标中，{good}项{verdict}，占{}",
            with_data.len(),
            share(good as f64 / with_data.len() as f64)
        ));
        if lag.is_empty() {
            judge.push_str("，没有进度滞后的指标。");
        } else if lag.len() == 1 {
            judge.push_str(&format!("；{}进度滞后，需要重点关注。", lag[0].0.indicator));
        } else {
            judge.push_str(&format!(
                "；{}等{}项指标进度滞后，需要重点关注。",
                names(&lag, 3).trim_end_matches('等'),
                lag.len()
            ));
        }
    }
    if !missing.is_empty() {
        judge.push_str(&format!(
            "另有{}项指标暂无{}年以后的监测数据，本报告未对其作出判断。",
            missing.len(),
            period.0 - 1
        ));
    }
    if !judge.is_empty() {
        out.push(judge);
    }
    let mut rest = tasks.summary.clone();
    if !findings.is_empty() {
        rest.push_str(&format!(
            "规划文本与政府工作报告、统计数据之间发现{}处不一致，列于第七部分。",
            findings.len()
        ));
    }
    out.push(rest);
    out
}

/// A share as a whole percentage when it is one (60%), else with one decimal.
pub(super) fn share(fraction: f64) -> String {
    let p = fraction * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{}%", p.round())
    } else {
        percent(fraction)
    }
}

pub(super) fn annual_lines(inp: &ReportInputs) -> Vec<String> {
    let mut checks: Vec<_> = inp.evaluation.annual.iter().collect();
    checks.sort_by(|a, b| (a.year, &a.indicator).cmp(&(b.year, &b.indicator)));
    checks.dedup_by(|a, b| a.year == b.year && a.indicator == b.indicator);
    checks.iter().map(|a| tidy_numbers(&a.message)).collect()
}

pub(super) fn outlook(
    kind: ReportKind,
    year: i32,
    period: (i32, i32),
    main: &[(&Target, &Evaluation)],
    tasks: &TaskProgress,
    findings: &[FindingLine],
) -> Vec<String> {
    let mut out = Vec::new();
    let lag: Vec<&(&Target, &Evaluation)> = main.iter().filter(|(_, e)| is_lagging(e)).collect();
    if !lag.is_empty() {
        let needs: Vec<String> = lag
            .iter()
            .filter(|(t, e)| {
                let p = pace_text(t, e);
                p != "—" && !p.starts_with("保持")
            })
            .map(|(t, e)| format!("{}{}", t.indicator, pace_text(t, e)))
            .collect();
        let mut s = format!(
            "对进度滞后的{}项指标逐项分析原因，明确责任单位和追赶措施。",
            lag.len()
        );
        if !needs.is_empty() && year < period.1 {
            s.push_str(&format!(
                "要在{}年实现规划目标，余下{}年需{}。",
                period.1,
                period.1 - year,
                needs.join("；")
            ));
        }
        out.push(s);
    }
    let warned: Vec<&(&Target, &Evaluation)> = main
        .iter()
        .filter(|(t, e)| t.binding && e.warning.is_some())
        .collect();
    if !warned.is_empty() {
        out.push(format!(
            "约束性指标{}已触发预警，应纳入重点督办，按季度跟踪。",
            names(&warned, 5)
        ));
    }
    if kind == ReportKind::Midterm {
        let severe: Vec<&(&Target, &Evaluation)> = main
            .iter()
            .filter(|(_, e)| e.category == Category::SeverelyLagging)
            .collect();
        if !severe.is_empty() {
            out.push(format!(
                "对按目前进度难以如期实现的{}，在采取追赶措施的同时研究是否需要调整目标，如需调整，按程序报批。",
                names(&severe, 5)
            ));
        }
    }
    let missing: Vec<&(&Target, &Evaluation)> = main
        .iter()
        .filter(|(_, e)| e.category == Category::InsufficientData)
        .collect();
    if !missing.is_empty() {
        out.push(format!(
            "补齐监测数据：{}项指标（{}）暂无{}年以后的数据，请统计部门和责任单位按年度报送，确保{}可评估。",
            missing.len(),
            names(&missing, 5),
            period.0 - 1,
            match kind {
                ReportKind::Annual => "下一年度监测",
                ReportKind::Midterm => "总结评估",
                ReportKind::Final => "下一个五年规划的基期",
            }
        ));
    }
    if !findings.is_empty() {
        out.push(format!(
            "核实第七部分列出的{}处不一致，确认口径后更正数据或在规划实施中予以说明。",
            findings.len()
        ));
    }
    let unassigned = tasks
        .by_department
        .iter()
        .find(|g| g.name == NO_LEAD)
        .map_or(0, |g| g.total);
    if unassigned > 0 {
        out.push(format!(
            "将尚未明确牵头单位的{unassigned}项重点任务分解落实到责任单位，按年度报送进展。"
        ));
    }
    if kind == ReportKind::Final {
        out.push("总结未实现目标的原因，作为编制下一个五年规划的参考。".into());
    }
    if out.is_empty() {
        out.push("继续按年度监测规划实施情况。".into());
    }
    out
}

pub(super) fn method(period: (i32, i32)) -> Vec<String> {
    let b = period.0 - 1;
    let t = period.1;
    vec![
        format!(
            "序时进度：以{b}年为基期、{t}年为目标年，评估年份t的规划期已过比例τ=（t−{b}）/（{t}−{b}）。"
        ),
        "总量和水平目标：完成进度=（实际值−基期值）/（目标值−基期值）；序时进度要求按线性路径（比重、比率）或按不变增速路径（金额、产量、人口）计算；进度比P=（实际值−基期值）/（序时进度要求−基期值）。".into(),
        "年均增速目标：以各年可比价增速计算的实际年均增速与目标增速之比为进度比；累计降低目标按各年降幅连乘计算累计降幅；累计新增目标按各年新增量之和计算；上限、下限目标要求每年守住。".into(),
        "评价标准：已达到目标为提前实现；P≥1.05为快于预期；0.95≤P<1.05为基本符合预期；0.60≤P<0.95为滞后；P<0.60、反向变化或突破控制值为严重滞后；没有基期以后数据的为数据不足；定性目标依据工作材料判断。约束性指标进度比低于0.95即预警。".into(),
        "每项结论均可由上述数据和公式手工复核；数据以表中所列发布来源为准，同一数据多次发布的以最新发布为准。".into(),
    ]
}
