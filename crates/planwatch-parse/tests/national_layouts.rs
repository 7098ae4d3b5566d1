//! The national 14th FYP table in every layout of `support/layouts.rs`, parsed and
//! evaluated on the published 2021–2022 statistics: each layout must give the classes of
//! `planwatch-core/tests/national_table.rs` (16 of 20 as the mid-term report, the same
//! four disagreements, none two bands off). The evaluation semantics live in
//! planwatch-core; this test checks that what the parser hands over carries them.

mod support;

#[path = "../../planwatch-core/tests/national/support.rs"]
mod national;

use national::{band, disagreements, evaluate_against_report};
use support::layouts::{LAYOUTS, Spec};

const SPEC: &str = include_str!("fixtures/tables/national-14th.json");

#[test]
fn every_layout_of_the_national_table_gets_the_reports_classes() {
    let spec: Spec = serde_json::from_str(SPEC).unwrap();
    let want = [
        ("数字经济核心产业增加值占GDP比重", "数据不足", "快于预期"),
        ("城镇调查失业率", "滞后", "基本符合预期"),
        ("基本养老保险参保率", "数据不足", "提前实现"),
        ("人均预期寿命", "快于预期", "基本符合预期"),
    ];
    for (layout, render) in LAYOUTS {
        let doc = render(&spec);
        let plan = planwatch_parse::parse_bytes(&doc.bytes, doc.path).unwrap();
        assert_eq!(plan.indicators.len(), 20, "{layout}");
        let (_, compared) = evaluate_against_report(&plan);
        for c in &compared {
            if let (Some(a), Some(b)) = (band(&c.ours), band(&c.theirs)) {
                assert!(a.abs_diff(b) <= 1, "{layout}: two bands off: {c:?}");
            }
        }
        assert_eq!(disagreements(&compared), want, "{layout}");
    }
}
