//! `planwatch-bench eval`: time the evaluation engine on synthetic plans.

use std::time::Instant;

use anyhow::Result;
use clap::Args;
use planwatch_core::eval::{
    Direction, EvalContext, Evaluation, Measure, Observation, ObservationKind, Scale, Target,
    TargetType, evaluate, roll_up,
};

/// Arguments of `planwatch-bench eval`.
#[derive(Args)]
pub struct BenchEvalArgs {
    /// Number of plans.
    #[arg(long, default_value_t = 3000)]
    plans: usize,
    /// Indicators per plan.
    #[arg(long, default_value_t = 30)]
    indicators: usize,
    /// Years of observations per indicator (2021 onward).
    #[arg(long, default_value_t = 5)]
    years: i32,
}

/// A small deterministic generator, so every run measures the same work.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One synthetic indicator: a target of a type chosen in rotation and its observations.
fn synthetic(i: usize, years: i32, rng: &mut Lcg) -> (Target, Vec<Observation>) {
    let base = 50.0 + rng.next() * 950.0;
    let (target_type, kind, value) = match i % 6 {
        0 => (
            TargetType::Level {
                value: base * 1.5,
                scale: Scale::Geometric,
                approx: false,
            },
            ObservationKind::Level,
            base,
        ),
        1 => (
            TargetType::Level {
                value: base * 1.1,
                scale: Scale::Linear,
                approx: true,
            },
            ObservationKind::Share,
            base,
        ),
        2 => (
            TargetType::GrowthRate {
                rate: 7.0,
                approx: true,
            },
            ObservationKind::GrowthRate,
            7.0,
        ),
        3 => (
            TargetType::CumulativeReduction { percent: 13.5 },
            ObservationKind::Reduction,
            3.0,
        ),
        4 => (
            TargetType::CumulativeFlow { total: base },
            ObservationKind::Level,
            base / 5.0,
        ),
        _ => (
            TargetType::Ceiling {
                limit: 5.0,
                strict: false,
                measure: Measure::Level,
            },
            ObservationKind::Level,
            4.5,
        ),
    };
    let target = Target::new(
        &format!("指标{i}"),
        target_type,
        Direction::Higher,
        2020,
        2025,
    )
    .with_baseline(base);
    let step = if matches!(i % 6, 0 | 1) {
        (value * 0.5) / 5.0
    } else {
        0.0
    };
    let obs = (1..=years)
        .map(|k| {
            let v = value + step * f64::from(k) + (rng.next() - 0.5) * value * 0.1;
            Observation::new(&target.indicator, 2020 + k, v, kind)
        })
        .collect();
    (target, obs)
}

/// Build the synthetic data, evaluate every indicator and roll up every plan; print the time.
pub fn run(args: BenchEvalArgs) -> Result<()> {
    let mut rng = Lcg(20210101);
    let plans: Vec<Vec<(Target, Vec<Observation>)>> = (0..args.plans)
        .map(|_| {
            (0..args.indicators)
                .map(|i| synthetic(i, args.years, &mut rng))
                .collect()
        })
        .collect();
    let ctx = EvalContext::new(2020 + args.years);
    let start = Instant::now();
    let mut sentences = 0usize;
    for plan in &plans {
        let evals: Vec<Evaluation> = plan.iter().map(|(t, o)| evaluate(t, o, &ctx)).collect();
        let refs: Vec<&Evaluation> = evals.iter().collect();
        sentences += roll_up("主要指标", &refs).sentence().len();
    }
    let secs = start.elapsed().as_secs_f64();
    let n = args.plans * args.indicators;
    println!(
        "evaluated {} plans × {} indicators × {} years = {n} evaluations in {:.3} s ({:.1} µs each, one core; {} bytes of summaries)",
        args.plans,
        args.indicators,
        args.years,
        secs,
        secs * 1e6 / n.max(1) as f64,
        sentences
    );
    Ok(())
}
