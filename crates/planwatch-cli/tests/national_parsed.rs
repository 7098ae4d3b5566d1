//! The national 14th FYP table read by the real parser (not a stand-in) and evaluated on
//! the published 2021–2022 statistics: the same 16 of 20 classes as the mid-term report,
//! and the same four disagreements, as `planwatch-core/tests/national_table.rs`.

#[path = "../../planwatch-core/tests/national/support.rs"]
mod support;

use support::{band, disagreements, evaluate_against_report};

const PUBLISHED: &str = include_str!("../../planwatch-core/tests/national/table-published.txt");

#[test]
fn the_parsed_published_table_agrees_with_the_mid_term_report() {
    let plan = planwatch_parse::parse_bytes(PUBLISHED.as_bytes(), "table-published.txt").unwrap();
    assert_eq!(plan.indicators.len(), 20);
    let (_, compared) = evaluate_against_report(&plan);
    for c in &compared {
        if let (Some(a), Some(b)) = (band(&c.ours), band(&c.theirs)) {
            assert!(a.abs_diff(b) <= 1, "two bands off: {c:?}");
        }
    }
    assert_eq!(
        disagreements(&compared),
        [
            ("数字经济核心产业增加值占GDP比重", "数据不足", "快于预期"),
            ("城镇调查失业率", "滞后", "基本符合预期"),
            ("基本养老保险参保率", "数据不足", "提前实现"),
            ("人均预期寿命", "快于预期", "基本符合预期"),
        ]
    );
}
