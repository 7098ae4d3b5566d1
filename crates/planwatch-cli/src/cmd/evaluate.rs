//! `planwatch evaluate`: a plan plus observed figures in, status table and warnings out.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use planwatch_core::catalogue::{Catalogue, NameMeasure, normalize};
use planwatch_core::eval::record::num;
use planwatch_core::eval::rollup::RollUp;
use planwatch_core::eval::{
    AnnualCheck, AnnualTarget, EvalContext, Evaluation, Observation, Target, check_annual_target,
    evaluate, roll_up, roll_up_by, targets_from_plan,
};
use planwatch_core::plan::Plan;
use serde::Serialize;

use crate::actuals::read_actuals;

/// Output format of `planwatch evaluate`.
#[derive(Clone, Copy, ValueEnum)]
pub enum EvalFormat {
    /// A status table for a person.
    Text,
    /// Every evaluation with its calculation record.
    Json,
}

/// Arguments of `planwatch evaluate`.
#[derive(Args)]
pub struct EvaluateArgs {
    /// The plan document (TXT, HTML, DOCX).
    plan: PathBuf,
    /// Observations CSV (region, year, indicator, value, unit, kind, source_url, note).
    #[arg(long)]
    actuals: PathBuf,
    /// Evaluate with data up to this year (default: the latest year in the data).
    #[arg(long)]
    year: Option<i32>,
    /// Ignore figures released after this date (YYYY-MM-DD).
    #[arg(long)]
    as_of: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Text)]
    format: EvalFormat,
}

/// Everything `evaluate` reports.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// Region of the plan.
    pub region: Option<String>,
    /// Evaluation year.
    pub year: i32,
    /// Targets in plan order.
    pub targets: Vec<Target>,
    /// One evaluation per target, same order.
    pub evaluations: Vec<Evaluation>,
    /// Counts for the whole plan.
    pub overall: RollUp,
    /// Counts per plan category.
    pub groups: Vec<RollUp>,
    /// Annual targets checked against the five-year targets.
    pub annual: Vec<AnnualCheck>,
    /// Remarks about the data (zh-CN).
    pub notes: Vec<String>,
}

/// Run `planwatch evaluate`.
pub fn run(args: EvaluateArgs) -> Result<()> {
    let path = args.plan.display().to_string();
    let bytes = std::fs::read(&args.plan).with_context(|| format!("{path}: 无法读取文件"))?;
    let plan =
        planwatch_parse::parse_bytes(&bytes, &path).with_context(|| format!("{path}: 无法解析"))?;
    let csv_path = args.actuals.display().to_string();
    let csv = std::fs::read(&args.actuals).with_context(|| format!("{csv_path}: 无法读取文件"))?;
    let actuals = read_actuals(&csv, &csv_path)?;
    let (obs, annual, note) = actuals.for_region(plan.region.as_deref());
    let mut report = build_report(&plan, &obs, &annual, args.year, args.as_of);
    report.notes.extend(note);
    match args.format {
        EvalFormat::Text => print!("{}", render_text(&report)),
        EvalFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(())
}

/// Evaluate every target of a plan. Pure: the caller loads the files.
pub fn build_report(
    plan: &Plan,
    obs: &[Observation],
    annual: &[AnnualTarget],
    year: Option<i32>,
    as_of: Option<String>,
) -> EvalReport {
    let year = year
        .or_else(|| obs.iter().map(|o| o.year).max())
        .or(plan.period.map(|p| p.end))
        .unwrap_or(2025);
    let ctx = EvalContext {
        as_of: as_of.clone(),
        ..EvalContext::new(year)
    };
    let targets = targets_from_plan(plan);
    let evaluations: Vec<Evaluation> = targets
        .iter()
        .map(|t| evaluate(t, &observations_for(t, obs), &ctx))
        .collect();
    let all: Vec<&Evaluation> = evaluations.iter().collect();
    let overall = roll_up("主要指标", &all);
    let groups = roll_up_by(&evaluations, |e| e.group.clone());
    let annual = annual_checks(&targets, annual, obs, year, as_of.as_deref());
    let mut notes = Vec::new();
    if targets.is_empty() {
        notes.push("规划中没有识别到指标或量化目标".to_string());
    }
    EvalReport {
        region: plan.region.clone(),
        year,
        targets,
        evaluations,
        overall,
        groups,
        annual,
        notes,
    }
}

/// The key an observation or target name is grouped under: the catalogue's canonical
/// name, else the normalized name without a growth suffix.
fn key_of(name: &str) -> String {
    match Catalogue::builtin().find(name) {
        Some(m) => m.entry.name.clone(),
        None => {
            let n = normalize(name);
            ["增长率", "增长", "增速"]
                .iter()
                .find_map(|s| n.strip_suffix(s))
                .map_or(n.clone(), str::to_string)
        }
    }
}

/// Observations of a target's indicator. A growth wording (地区生产总值增长) only supplies growth rates.
fn observations_for(target: &Target, obs: &[Observation]) -> Vec<Observation> {
    let key = key_of(&target.indicator);
    let cat = Catalogue::builtin();
    obs.iter()
        .filter(|o| key_of(&o.indicator) == key)
        .filter(|o| {
            let growth_name = cat
                .find(&o.indicator)
                .is_some_and(|m| m.measure == NameMeasure::Growth);
            !growth_name || !o.kind.is_level()
        })
        .cloned()
        .collect()
}

fn annual_checks(
    targets: &[Target],
    annual: &[AnnualTarget],
    obs: &[Observation],
    year: i32,
    as_of: Option<&str>,
) -> Vec<AnnualCheck> {
    let mut out = Vec::new();
    for a in annual.iter().filter(|a| a.year <= year + 1) {
        let key = key_of(&a.indicator);
        if let Some(t) = targets.iter().find(|t| key_of(&t.indicator) == key) {
            out.push(check_annual_target(t, a, &observations_for(t, obs), as_of));
        }
    }
    out
}

/// The status table, explanations, warnings and roll-ups in zh-CN.
pub fn render_text(r: &EvalReport) -> String {
    let mut s = format!(
        "{}规划指标评估(数据截至{}年)\n\n",
        r.region.clone().unwrap_or_default(),
        r.year
    );
    s.push_str("指标 | 目标类型 | 属性 | 基期 | 目标 | 最新 | 完成度 | 进度比 | 状态\n");
    for (t, e) in r.targets.iter().zip(&r.evaluations) {
        s.push_str(&table_row(t, e));
    }
    s.push_str("\n说明:\n");
    for (i, e) in r.evaluations.iter().enumerate() {
        s.push_str(&format!("{}. {}\n", i + 1, e.explanation));
    }
    let warned: Vec<&Evaluation> = r
        .evaluations
        .iter()
        .filter(|e| e.warning.is_some())
        .collect();
    if !warned.is_empty() {
        s.push_str("\n预警:\n");
        for e in warned {
            let msg = e
                .warning
                .as_ref()
                .map(|w| w.message.as_str())
                .unwrap_or_default();
            s.push_str(&format!("- {}:{msg}\n", e.indicator));
        }
    }
    if !r.annual.is_empty() {
        s.push_str("\n年度目标衔接:\n");
        for a in &r.annual {
            s.push_str(&format!(
                "- {}{}\n",
                if a.too_low { "[偏低] " } else { "" },
                a.message
            ));
        }
    }
    s.push_str(&format!("\n{}\n", r.overall.sentence()));
    for g in &r.groups {
        s.push_str(&format!("  {}\n", g.sentence()));
    }
    for n in &r.notes {
        s.push_str(&format!("注:{n}\n"));
    }
    s
}

fn table_row(t: &Target, e: &Evaluation) -> String {
    let f = &e.figures;
    let latest = f
        .latest
        .map(|p| format!("{}({})", num(p.value), p.year))
        .unwrap_or_else(|| "—".into());
    let completion = f
        .completion
        .map(|c| format!("{:.1}%", c * 100.0))
        .unwrap_or_else(|| "—".into());
    let pace = f
        .pace_ratio
        .map(|p| format!("{p:.2}"))
        .unwrap_or_else(|| "—".into());
    let base = t.baseline.map(num).unwrap_or_else(|| "—".into());
    let attr = if t.binding { "约束性" } else { "预期性" };
    let status = if e.warning.is_some() {
        format!("{}(预警)", e.category.label())
    } else {
        e.category.label().to_string()
    };
    format!(
        "{} | {} | {attr} | {base} | {} | {latest} | {completion} | {pace} | {status}\n",
        t.indicator, e.target_type, t.text
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use planwatch_core::eval::{Category, ObservationKind};
    use planwatch_core::plan::{Attribute, DocType, Indicator, ItemSource, Period, ValueCell};
    use planwatch_core::quantity::parse_value;

    fn cell(text: &str, year: i32) -> ValueCell {
        let p = parse_value(text);
        ValueCell {
            year: Some(year),
            text: text.into(),
            value: p.value,
            comparator: p.comparator,
            cumulative: p.cumulative,
        }
    }

    fn ind(name: &str, unit: &str, base: &str, target: &str, binding: bool) -> Indicator {
        Indicator {
            line: 64,
            source: ItemSource::Table,
            category: Some("一、经济更加发展(8项)".into()),
            name: name.into(),
            unit: Some(unit.into()),
            attribute: Some(if binding {
                Attribute::Binding
            } else {
                Attribute::Expected
            }),
            baseline: Some(cell(base, 2020)),
            target: Some(cell(target, 2025)),
            growth: None,
        }
    }

    /// The 岳阳楼区 table rows and real 2022–2023 figures.
    fn yueyanglou() -> (Plan, Vec<Observation>, Vec<AnnualTarget>) {
        let plan = Plan {
            region: Some("岳阳楼区".into()),
            doc_type: DocType::PlanOutline,
            period: Some(Period {
                start: 2021,
                end: 2025,
            }),
            indicators: vec![
                ind("地区生产总值", "亿元", "735", "1130", false),
                ind("第三产业增加值占GDP比重", "%", "80", "85", false),
                ind("城镇调查失业率", "%", "≤5以内", "≤5以内", true),
            ],
            ..Plan::default()
        };
        let o = |name: &str, year, value, kind| Observation::new(name, year, value, kind);
        let obs = vec![
            o("地区生产总值", 2022, 777.54, ObservationKind::Level),
            o("地区生产总值", 2023, 804.28, ObservationKind::Level),
            o("地区生产总值增长", 2023, 6.1, ObservationKind::GrowthRate),
            o(
                "第三产业增加值占GDP比重",
                2022,
                77.4,
                ObservationKind::Share,
            ),
            o(
                "第三产业增加值占GDP比重",
                2023,
                83.0,
                ObservationKind::Share,
            ),
        ];
        let annual = vec![AnnualTarget {
            indicator: "地区生产总值增长".into(),
            year: 2021,
            value: 8.0,
            growth: true,
            comparator: None,
            reference: None,
        }];
        (plan, obs, annual)
    }

    #[test]
    fn yueyanglou_2023() {
        let (plan, obs, annual) = yueyanglou();
        let r = build_report(&plan, &obs, &annual, Some(2023), None);
        let cats: Vec<Category> = r.evaluations.iter().map(|e| e.category).collect();
        // GDP: P = 0.32 → 严重滞后; share: P = (83 − 80)/(83 − 80) = 1 → 基本符合预期; no unemployment data.
        assert_eq!(
            cats,
            [
                Category::SeverelyLagging,
                Category::OnTrack,
                Category::InsufficientData
            ]
        );
        assert_eq!(
            r.overall.sentence(),
            "3项主要指标中,基本符合预期1项,严重滞后1项,数据不足1项;需预警1项。"
        );
        assert_eq!(r.annual.len(), 1);
        assert!(
            r.annual[0].too_low,
            "8% < 9.0% needed: {}",
            r.annual[0].message
        );
        let text = render_text(&r);
        assert!(text.contains("地区生产总值 | 总量/水平目标 | 预期性 | 735 | 1130 | 804.28(2023) | 17.5% | 0.32 | 严重滞后(预警)"), "{text}");
        assert!(
            text.contains("1项经济更加发展指标") || text.contains("3项经济更加发展指标"),
            "{text}"
        );
    }

    #[test]
    fn growth_wording_never_feeds_a_level_target() {
        let (plan, _, _) = yueyanglou();
        let obs = vec![Observation::new(
            "地区生产总值增长",
            2023,
            6.1,
            ObservationKind::GrowthRate,
        )];
        let r = build_report(&plan, &obs, &[], Some(2023), None);
        assert_eq!(r.evaluations[0].category, Category::InsufficientData);
        assert!(
            r.evaluations[0].explanation.contains("只有增长率数据"),
            "{}",
            r.evaluations[0].explanation
        );
    }

    #[test]
    fn default_year_is_the_latest_in_the_data_and_json_serializes() {
        let (plan, obs, _) = yueyanglou();
        let r = build_report(&plan, &obs, &[], None, None);
        assert_eq!(r.year, 2023);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["evaluations"][1]["category"], "on_track");
        assert!(
            json["evaluations"][0]["record"]["steps"]
                .as_array()
                .is_some_and(|s| !s.is_empty())
        );
        let empty = build_report(&Plan::default(), &[], &[], None, None);
        assert_eq!(empty.year, 2025);
        assert!(render_text(&empty).contains("没有识别到指标"));
    }
}
