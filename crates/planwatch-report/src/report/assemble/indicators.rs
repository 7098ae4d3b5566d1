//! The indicator table, the notes on lagging and binding indicators, and the
//! wording of targets, actuals and the pace still needed.

use super::*;
use planwatch_core::wording::{PaceKind, pace_phrase};

pub(super) fn attribute(t: &Target) -> &'static str {
    if t.binding { "约束性" } else { "预期性" }
}

pub(super) fn status(e: &Evaluation) -> String {
    if e.warning.is_some() {
        format!("{}（预警）", e.category.label())
    } else {
        e.category.label().to_string()
    }
}

/// The cell as written, unless empty or a dash.
pub(super) fn written(cell: Option<&planwatch_core::plan::ValueCell>) -> Option<String> {
    cell.map(|c| c.text.trim().to_string())
        .filter(|s| !s.is_empty() && s != "—" && s != "-")
}

pub(super) fn target_text(t: &Target, ind: Option<&Indicator>) -> String {
    match &t.target_type {
        TargetType::GrowthRate { rate, approx } => {
            format!(
                "年均增长{}%{}",
                fig(*rate),
                if *approx { "左右" } else { "" }
            )
        }
        TargetType::CumulativeReduction { percent } => format!("累计降低{}%", fig(*percent)),
        TargetType::CumulativeFlow { total } => format!("累计{}", fig(*total)),
        _ => written(ind.and_then(|i| i.target.as_ref())).unwrap_or_else(|| {
            if t.text.is_empty() {
                "—".into()
            } else {
                t.text.clone()
            }
        }),
    }
}

pub(super) fn baseline_text(t: &Target, ind: Option<&Indicator>) -> String {
    written(ind.and_then(|i| i.baseline.as_ref()))
        .or(t.baseline.map(fig))
        .unwrap_or_else(|| "—".into())
}

pub(super) fn latest_text(t: &Target, e: &Evaluation) -> String {
    let Some(p) = e.figures.latest else {
        return "—".into();
    };
    match &t.target_type {
        TargetType::GrowthRate { .. } => {
            format!("年均{:.1}%（{}—{}年）", p.value, t.base_year + 1, p.year)
        }
        TargetType::CumulativeReduction { .. } => {
            format!("累计降低{:.1}%（至{}年）", p.value, p.year)
        }
        TargetType::CumulativeFlow { .. } => format!("累计{}（至{}年）", fig(p.value), p.year),
        _ => format!("{}（{}年）", fig(p.value), p.year),
    }
}

pub(super) fn pace_text(t: &Target, e: &Evaluation) -> String {
    if matches!(e.category, Category::AchievedEarly | Category::Achieved) {
        return "已达到目标".into();
    }
    let unit = unit_of(t);
    match &t.target_type {
        TargetType::Ceiling { limit, .. } if e.figures.latest.is_some() => {
            return format!("保持在{}{}以内", fig(*limit), unit);
        }
        TargetType::Floor { limit, .. } if e.figures.latest.is_some() => {
            return format!("保持在{}{}以上", fig(*limit), unit);
        }
        _ => {}
    }
    let Some(p) = e.figures.pace_needed else {
        return "—".into();
    };
    let kind = match t.target_type {
        TargetType::CumulativeReduction { .. } => PaceKind::Reduction,
        TargetType::CumulativeFlow { .. } => PaceKind::Flow,
        _ => PaceKind::Level,
    };
    pace_phrase(&p, &unit, kind)
}

pub(super) fn indicator_lines(
    main: &[(&Target, &Evaluation)],
    inds: &[Indicator],
) -> Vec<IndicatorLine> {
    main.iter()
        .enumerate()
        .map(|(i, (t, e))| {
            let ind = inds.get(i).filter(|ind| ind.name == t.indicator);
            IndicatorLine {
                no: i + 1,
                group: t.group.clone(),
                name: t.indicator.clone(),
                unit: unit_of(t),
                attribute: attribute(t).into(),
                baseline: baseline_text(t, ind),
                target: target_text(t, ind),
                latest: latest_text(t, e),
                completion: e
                    .figures
                    .completion
                    .map(percent)
                    .unwrap_or_else(|| "—".into()),
                status: status(e),
                category: e.category,
                warned: e.warning.is_some(),
                pace_needed: pace_text(t, e),
                line: t.line.unwrap_or(0),
            }
        })
        .collect()
}

pub(super) fn is_lagging(e: &Evaluation) -> bool {
    matches!(
        e.category,
        Category::Lagging | Category::SeverelyLagging | Category::NotAchieved
    ) || e.warning.is_some()
}

/// The sentence on where the end value is heading at the current pace, for lagging levels.
pub(super) fn projection(t: &Target, e: &Evaluation, target: &str) -> Option<String> {
    let proj = e.figures.projected?;
    if !proj.is_finite() || !is_lagging(e) {
        return None;
    }
    let unit = unit_of(t);
    let end = t.target_year;
    match &t.target_type {
        TargetType::Level { .. } => Some(format!(
            "按{}年以来的变化速度推算，{end}年约为{}{unit}，目标为{target}{unit}。",
            t.base_year,
            fig(proj)
        )),
        TargetType::CumulativeReduction { percent } => Some(format!(
            "按目前降幅推算，五年累计约降低{:.1}%，目标为{}%。",
            proj,
            fig(*percent)
        )),
        TargetType::CumulativeFlow { total } => Some(format!(
            "按目前进度推算，五年累计约{}{unit}，目标为{}{unit}。",
            fig(proj),
            fig(*total)
        )),
        _ => None,
    }
}

pub(super) fn note(inp: &ReportInputs, t: &Target, e: &Evaluation) -> IndicatorNote {
    let ind = inp
        .plan
        .indicators
        .iter()
        .find(|i| i.name == t.indicator && Some(i.line) == t.line);
    let mut text = tidy_numbers(&e.explanation);
    if let Some(p) = projection(t, e, &target_text(t, ind)) {
        text.push_str(&p);
    }
    if is_lagging(e) {
        text.push_str(&context(inp, t, e));
    }
    if let Some(w) = &e.warning {
        text.push_str(&format!("{}。", w.message));
    } else if t.binding && e.category == Category::InsufficientData {
        text.push_str("约束性指标须逐年监测，请责任单位补报数据。");
    }
    if let Some(src) = latest_source(inp, t, e) {
        text.push_str(&format!("（数据来源：{src}）"));
    }
    let obs = observations_for(t, &inp.observations);
    let chart = match t.target_type {
        TargetType::Relational { .. } | TargetType::Qualitative { .. } => None,
        _ if obs.is_empty() => None,
        _ => Some(indicator_chart(t, &obs)),
    };
    let mut tags = vec![attribute(t).to_string(), status(e)];
    tags.dedup();
    IndicatorNote {
        heading: format!("{}（{}）", t.indicator, tags.join("，")),
        text,
        chart,
    }
}

/// Stored rows behind the observations an evaluation may use.
pub(super) fn stored_for<'a>(
    inp: &'a ReportInputs,
    t: &Target,
) -> Vec<&'a planwatch_store::Observation> {
    let used = observations_for(t, &inp.observations);
    inp.stored_observations
        .iter()
        .filter(|s| s.kind != planwatch_core::actuals::DataKind::AnnualTarget)
        .filter(|s| {
            used.iter().any(|o| {
                o.indicator == s.indicator && i64::from(o.year) == s.year && o.value == s.value
            })
        })
        .collect()
}

/// What a reader needs next to a lagging level: the published yearly growth rates of the
/// same years (often at comparable prices, while the level target is in current prices),
/// and whether the baseline was an estimate.
pub(super) fn context(inp: &ReportInputs, t: &Target, e: &Evaluation) -> String {
    let mut out = String::new();
    let Some(latest) = e.figures.latest else {
        return out;
    };
    if matches!(t.target_type, TargetType::Level { .. }) {
        let mut rates: BTreeMap<i32, (String, f64)> = BTreeMap::new();
        for o in observations_for(t, &inp.observations).iter().filter(|o| {
            o.kind == planwatch_core::eval::ObservationKind::GrowthRate
                && o.from_year.is_none()
                && o.year > t.base_year
                && o.year <= latest.year
        }) {
            let slot = rates.entry(o.year).or_insert((o.vintage.clone(), o.value));
            if o.vintage >= slot.0 {
                *slot = (o.vintage.clone(), o.value);
            }
        }
        if !rates.is_empty() {
            let list: Vec<String> = rates
                .iter()
                .map(|(y, (_, v))| format!("{y}年{}%", fig(*v)))
                .collect();
            out.push_str(&format!("同期公布的年度增速为{}。", list.join("、")));
        }
    }
    let estimated = stored_for(inp, t).into_iter().find(|s| {
        s.year == i64::from(t.base_year) && s.note.as_deref().is_some_and(|n| n.contains("预计"))
    });
    if let Some(s) = estimated {
        out.push_str(&format!(
            "基期{}年数据{}{}为预计数，如经统计部门核实调整，进度判断应相应更新。",
            t.base_year,
            fig(s.value),
            s.unit.clone().unwrap_or_default()
        ));
    }
    out
}

/// The release the latest figure of an evaluation was read from.
pub(super) fn latest_source(inp: &ReportInputs, t: &Target, e: &Evaluation) -> Option<String> {
    let year = e.figures.latest?.year;
    stored_for(inp, t)
        .into_iter()
        .find(|s| s.year == i64::from(year))
        .map(release_name)
}

pub(super) fn notes(
    inp: &ReportInputs,
    main: &[(&Target, &Evaluation)],
) -> (Vec<IndicatorNote>, Vec<IndicatorNote>) {
    let lagging = main
        .iter()
        .filter(|(_, e)| is_lagging(e))
        .map(|(t, e)| note(inp, t, e))
        .collect();
    let binding = main
        .iter()
        .filter(|(t, e)| t.binding && !is_lagging(e))
        .map(|(t, e)| note(inp, t, e))
        .collect();
    (lagging, binding)
}

pub(super) fn names(list: &[&(&Target, &Evaluation)], max: usize) -> String {
    let mut s: Vec<String> = list
        .iter()
        .take(max)
        .map(|(t, _)| t.indicator.clone())
        .collect();
    if list.len() > max {
        s.push("等".into());
        let tail = s.pop().unwrap_or_default();
        return format!("{}{tail}", s.join("、"));
    }
    s.join("、")
}
