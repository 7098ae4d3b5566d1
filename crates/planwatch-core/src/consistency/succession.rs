//! Succession (规划接续): a new plan's baselines against the plan it follows in the same
//! region. The 十五五 plan's 2025 column should be the 十四五 plan's 2025 actuals; where
//! it is not, both lines are shown (十五五规划基期值 X 与十四五实际 Y 不一致). A baseline
//! that lies short of the old plan's target is reported too, as information: by the new
//! plan's own figure, the old target was missed.

use crate::catalogue::{Catalogue, NameMeasure};
use crate::eval::observation::{Observation, ObservationKind, Window, select};
use crate::eval::period::{indicator_years, plan_years, reconciled, table_of};
use crate::eval::record::num;
use crate::eval::{EvalContext, Target, TargetType, evaluate, target_from_indicator};
use crate::plan::{DocType, Indicator, Plan, Severity};

use super::{
    CheckSettings, Finding, FindingKind, SourceRef, finding, indicator_ref, same_region,
    units_compatible,
};

/// Every pair of plans in `plans` where one follows the other in the same region.
pub fn check_successions(
    plans: &[Plan],
    observations: &[Observation],
    settings: &CheckSettings,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for new in plans {
        for old in plans {
            if follows(new, old) {
                out.extend(check_succession(new, old, observations, settings));
            }
        }
    }
    out
}

/// True when `new` is a plan outline whose base year is the target year of the plan
/// outline `old`, in the same region.
pub fn follows(new: &Plan, old: &Plan) -> bool {
    let outline = |p: &Plan| matches!(p.doc_type, DocType::PlanOutline | DocType::Unknown);
    let (n, o) = (plan_years(new), plan_years(old));
    outline(new)
        && outline(old)
        && same_region(new, old)
        && n.base.is_some()
        && n.base == o.target
        && n.target > o.target
}

/// The new plan's baselines against the old plan's final actuals (observations of the
/// base year; for a bracketed baseline, what the old plan's cumulative target achieved)
/// and against the old plan's targets.
pub fn check_succession(
    new: &Plan,
    old: &Plan,
    observations: &[Observation],
    settings: &CheckSettings,
) -> Vec<Finding> {
    let cat = Catalogue::builtin();
    let (new_label, old_label) = (label(new, "新一期"), label(old, "上一期"));
    let mut out = Vec::new();
    let new_years = plan_years(new);
    for ind in &new.indicators {
        let ind = reconciled(ind, new_years).into_owned();
        let ind = &ind;
        let Some(base) = ind.baseline.as_ref() else {
            continue;
        };
        let Some(x) = base.value else {
            continue;
        };
        let years = indicator_years(ind, table_of(new, ind.line), new_years);
        let Some(year) = years.base else {
            continue;
        };
        let key = cat.key(&ind.name);
        let old_ind = old.indicators.iter().find(|o| cat.key(&o.name) == key);
        let unit = ind.unit.clone().unwrap_or_default();
        let head = Head {
            key: &key,
            new_label: &new_label,
            old_label: &old_label,
            x,
            unit: &unit,
            year,
        };
        if base.cumulative {
            if let Some(o) = old_ind {
                out.extend(cumulative_actual(
                    &head,
                    new,
                    ind,
                    old,
                    o,
                    observations,
                    settings,
                ));
            }
            continue;
        }
        let actual = actual_for(&key, &ind.name, year, observations)
            .filter(|o| units_compatible(ind.unit.as_deref(), o.unit.as_deref()));
        if let Some(o) = actual
            && differs(x, o.value, settings)
        {
            out.push(head.versus_actual(indicator_ref(new, ind), observation_ref(o), o.value));
        }
        if let Some(o) = old_ind
            && same_quantity(ind, o)
            && let Some(f) = head.versus_target(new, ind, old, o)
        {
            out.push(f);
        }
    }
    out
}

/// What every finding of one baseline repeats.
struct Head<'a> {
    key: &'a str,
    new_label: &'a str,
    old_label: &'a str,
    x: f64,
    unit: &'a str,
    year: i32,
}

impl Head<'_> {
    fn versus_actual(&self, first: SourceRef, second: SourceRef, actual: f64) -> Finding {
        let message = format!(
            "{}：{}规划基期值{}{unit}与{}实际{}{unit}不一致（{}年）",
            self.key,
            self.new_label,
            num(self.x),
            self.old_label,
            num(actual),
            self.year,
            unit = self.unit,
        );
        finding(
            FindingKind::SuccessionVsActual,
            Severity::Warning,
            self.key,
            message,
            first,
            second,
        )
    }

    /// A level target of the old plan for the base year that the baseline falls short of.
    fn versus_target(
        &self,
        new: &Plan,
        ind: &Indicator,
        old: &Plan,
        o: &Indicator,
    ) -> Option<Finding> {
        let target = o.target.as_ref().filter(|t| !t.cumulative)?;
        let goal = target.value?;
        let t = target_from_indicator(
            o,
            indicator_years(o, table_of(old, o.line), plan_years(old)),
        );
        if t.target_year != self.year {
            return None;
        }
        let missed = match t.target_type {
            TargetType::Level { .. } | TargetType::Floor { .. } | TargetType::Ceiling { .. } => {
                t.direction.sign() * (self.x - goal) < -1e-9
            }
            _ => false,
        };
        if !missed {
            return None;
        }
        let side = if t.direction.sign() > 0.0 {
            "低于"
        } else {
            "高于"
        };
        let message = format!(
            "{}：{}规划基期值{}{unit}{side}{}规划{}年目标{}，按新规划基期值，{}规划目标未实现",
            self.key,
            self.new_label,
            num(self.x),
            self.old_label,
            self.year,
            target.text.trim(),
            self.old_label,
            unit = self.unit,
        );
        Some(finding(
            FindingKind::SuccessionVsTarget,
            Severity::Info,
            self.key,
            message,
            indicator_ref(new, ind),
            indicator_ref(old, o),
        ))
    }
}

/// A bracketed baseline (〔12.6〕 in the 2025 column) is the old plan's five-year result:
/// compared with what the old plan's cumulative target achieved by the base year.
fn cumulative_actual(
    head: &Head,
    new: &Plan,
    ind: &Indicator,
    old: &Plan,
    o: &Indicator,
    observations: &[Observation],
    settings: &CheckSettings,
) -> Option<Finding> {
    let t: Target = target_from_indicator(
        o,
        indicator_years(o, table_of(old, o.line), plan_years(old)),
    );
    if t.target_year != head.year
        || !matches!(
            t.target_type,
            TargetType::CumulativeReduction { .. } | TargetType::CumulativeFlow { .. }
        )
    {
        return None;
    }
    let own = crate::eval::plan::observations_for(&t, observations);
    let e = evaluate(&t, &own, &EvalContext::new(head.year));
    let achieved = e.figures.latest.filter(|p| p.year == head.year)?.value;
    if !differs(head.x, achieved, settings) {
        return None;
    }
    let second = SourceRef {
        document: old.source.path.clone(),
        line: o.line,
        text: format!(
            "{} 按{}—{}年逐年数据计算的累计值{}{}",
            o.name,
            t.base_year + 1,
            head.year,
            num((achieved * 100.0).round() / 100.0),
            head.unit
        ),
    };
    Some(head.versus_actual(
        indicator_ref(new, ind),
        second,
        (achieved * 100.0).round() / 100.0,
    ))
}

/// Two rows measure the same quantity: both a growth or both a level (居民人均可支配收入
/// 增长 in % is not 居民人均可支配收入 in 元), in units that agree.
fn same_quantity(a: &Indicator, b: &Indicator) -> bool {
    let cat = Catalogue::builtin();
    let growth = |i: &Indicator| {
        cat.find(&i.name)
            .is_some_and(|m| m.measure == NameMeasure::Growth)
    };
    let percent = |i: &Indicator| i.unit.as_deref().is_some_and(|u| u.contains(['%', '％']));
    growth(a) == growth(b)
        && percent(a) == percent(b)
        && units_compatible(a.unit.as_deref(), b.unit.as_deref())
}

fn differs(a: f64, b: f64, s: &CheckSettings) -> bool {
    (a - b).abs() > s.value_tolerance * a.abs().max(b.abs())
}

/// The published figure of an indicator for a year: a growth rate for a growth wording
/// (地区生产总值增长), a level or share otherwise; the latest vintage.
fn actual_for<'a>(
    key: &str,
    name: &str,
    year: i32,
    observations: &'a [Observation],
) -> Option<&'a Observation> {
    let cat = Catalogue::builtin();
    let growth = cat
        .find(name)
        .is_some_and(|m| m.measure == NameMeasure::Growth);
    let kinds: &[ObservationKind] = if growth {
        &[ObservationKind::GrowthRate]
    } else {
        &[ObservationKind::Level, ObservationKind::Share]
    };
    let mine: Vec<&Observation> = observations
        .iter()
        .filter(|o| o.year == year && o.from_year.is_none() && kinds.contains(&o.kind))
        .filter(|o| cat.key(&o.indicator) == key)
        .filter(|o| {
            let g = cat
                .find(&o.indicator)
                .is_some_and(|m| m.measure == NameMeasure::Growth);
            g == growth || !o.kind.is_level()
        })
        .collect();
    // The engine's own choice of vintage, so the check and the evaluation agree.
    let owned: Vec<Observation> = mine.iter().map(|o| (*o).clone()).collect();
    let w = Window {
        base_year: year - 1,
        last_year: year,
        as_of: None,
    };
    let value = select(&owned, kinds, &w).get(year)?;
    mine.into_iter().rev().find(|o| o.value == value)
}

fn observation_ref(o: &Observation) -> SourceRef {
    let vintage = if o.vintage.is_empty() {
        "发布日期未注明".to_string()
    } else {
        format!("{}发布", o.vintage)
    };
    SourceRef {
        document: o.reference.clone().unwrap_or_else(|| "观测数据".into()),
        line: 0,
        text: format!(
            "{} {}年 {}{}（{vintage}）",
            o.indicator,
            o.year,
            num(o.value),
            o.unit.clone().unwrap_or_default()
        ),
    }
}

/// 十五五 for a plan whose period starts in 2026; `fallback` otherwise.
fn label(plan: &Plan, fallback: &str) -> String {
    let start = plan_years(plan).base.map(|b| b + 1);
    let n = (6..=40).find(|n| crate::eval::period::nth_plan_start(*n) == start);
    match n.and_then(zh) {
        Some(z) => format!("{z}五"),
        None => fallback.to_string(),
    }
}

fn zh(n: u32) -> Option<String> {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        10 => Some("十".into()),
        11..=19 => Some(format!("十{}", D[(n % 10) as usize])),
        20..=40 => Some(format!(
            "{}十{}",
            D[(n / 10) as usize],
            D[(n % 10) as usize]
        )),
        1..=9 => Some(D[n as usize].to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{ItemSource, Period, Source, ValueCell};

    fn ind(
        line: usize,
        name: &str,
        unit: &str,
        base: (&str, i32),
        target: (&str, i32),
    ) -> Indicator {
        Indicator {
            line,
            source: ItemSource::Table,
            category: None,
            name: name.into(),
            unit: Some(unit.into()),
            attribute: None,
            baseline: Some(ValueCell::parse(base.0, Some(base.1))),
            target: Some(ValueCell::parse(target.0, Some(target.1))),
            growth: None,
            seq: None,
            parent: None,
            page: None,
        }
    }

    fn plan(path: &str, start: i32, indicators: Vec<Indicator>) -> Plan {
        Plan {
            source: Source {
                path: path.into(),
                ..Source::default()
            },
            region: Some("青溪县".into()),
            doc_type: DocType::PlanOutline,
            period: Some(Period {
                start,
                end: start + 4,
            }),
            indicators,
            ..Plan::default()
        }
    }

    fn obs(name: &str, year: i32, value: f64, kind: ObservationKind) -> Observation {
        Observation {
            unit: Some("亿元".into()),
            reference: Some("sample://qingxi/tjgb-2025".into()),
            ..Observation::new(name, year, value, kind)
        }
    }

    #[test]
    fn baselines_against_actuals_and_targets() {
        let old = plan(
            "qingxi-plan.txt",
            2021,
            vec![
                ind(88, "地区生产总值", "亿元", ("286.4", 2020), ("410", 2025)),
                ind(118, "常住人口城镇化率", "%", ("48.6", 2020), ("55", 2025)),
            ],
        );
        let new = plan(
            "qingxi-plan-15.txt",
            2026,
            vec![
                ind(90, "地区生产总值", "亿元", ("402.5", 2025), ("540", 2030)),
                ind(120, "常住人口城镇化率", "%", ("56.9", 2025), ("62", 2030)),
            ],
        );
        assert!(follows(&new, &old) && !follows(&old, &new));
        let observations = [
            obs("地区生产总值", 2025, 398.6, ObservationKind::Level),
            Observation {
                unit: Some("%".into()),
                ..obs("常住人口城镇化率", 2025, 56.9, ObservationKind::Share)
            },
        ];
        let f = check_successions(
            &[old.clone(), new.clone()],
            &observations,
            &CheckSettings::default(),
        );
        let messages: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "地区生产总值：十五五规划基期值402.5亿元与十四五实际398.6亿元不一致（2025年）",
                "地区生产总值：十五五规划基期值402.5亿元低于十四五规划2025年目标410，按新规划基期值，十四五规划目标未实现",
            ]
        );
        assert_eq!(f[0].kind, FindingKind::SuccessionVsActual);
        assert_eq!(
            (f[0].first.document.as_str(), f[0].first.line),
            ("qingxi-plan-15.txt", 90)
        );
        assert_eq!(f[0].second.document, "sample://qingxi/tjgb-2025");
        assert!(
            f[0].second.text.contains("398.6亿元（发布日期未注明）"),
            "{}",
            f[0].second.text
        );
        assert_eq!(
            (f[1].second.document.as_str(), f[1].second.line),
            ("qingxi-plan.txt", 88)
        );
        assert_eq!(f[1].severity, Severity::Info);
        // 56.9 = 56.9 and above the old target 55: nothing to say.
        assert!(f.iter().all(|f| f.indicator != "常住人口城镇化率"));
    }

    /// 〔12.6〕 in the 2025 column against the 十四五 cut computed from 2021–2025:
    /// 1 − (1 − 0.031)(1 − 0.020)(1 − 0.022)(1 − 0.024)(1 − 0.023) = 1 − 0.885591 = 11.44%.
    #[test]
    fn a_bracketed_baseline_is_checked_against_the_old_cumulative_result() {
        let mut old_row = ind(
            179,
            "单位地区生产总值能源消耗降低",
            "%",
            ("[16.2]", 2020),
            ("—", 2025),
        );
        old_row.growth = Some(crate::plan::GrowthCell {
            text: "[13.5]".into(),
            value: Some(13.5),
            cumulative: true,
            comparator: None,
            column: None,
        });
        let old = plan("qingxi-plan.txt", 2021, vec![old_row]);
        let new = plan(
            "qingxi-plan-15.txt",
            2026,
            vec![ind(
                150,
                "单位地区生产总值能源消耗降低",
                "%",
                ("〔12.6〕", 2025),
                ("—", 2030),
            )],
        );
        let cuts: Vec<Observation> = [
            (2021, 3.1),
            (2022, 2.0),
            (2023, 2.2),
            (2024, 2.4),
            (2025, 2.3),
        ]
        .into_iter()
        .map(|(y, v)| Observation::new("单位GDP能耗降低", y, v, ObservationKind::Reduction))
        .collect();
        let f = check_succession(&new, &old, &cuts, &CheckSettings::default());
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].message,
            "单位地区生产总值能源消耗降低：十五五规划基期值12.6%与十四五实际11.44%不一致（2025年）"
        );
        assert_eq!(f[0].second.line, 179);
    }
}
