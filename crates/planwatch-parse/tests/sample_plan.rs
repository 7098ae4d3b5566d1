//! The bundled sample plan (`samples/qingxi-plan.txt`, written for this project)
//! parsed end to end: a reviewed snapshot of the readable rendering plus the
//! facts a planning office relies on, asserted one by one.

use planwatch_core::plan::{Attribute, DocType, HeadingKind, Period};
use planwatch_core::quantity::Comparator;

fn sample() -> planwatch_core::plan::Plan {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/qingxi-plan.txt");
    let bytes = std::fs::read(path).expect("the sample plan ships with the repository");
    planwatch_parse::parse_bytes(&bytes, "samples/qingxi-plan.txt").unwrap()
}

#[test]
fn document_facts() {
    let plan = sample();
    assert_eq!(plan.region.as_deref(), Some("青溪县"));
    assert_eq!(plan.doc_type, DocType::PlanOutline);
    assert_eq!(
        plan.period,
        Some(Period {
            start: 2021,
            end: 2025
        })
    );
    assert_eq!(plan.source.lines, 395);
}

#[test]
fn table_of_contents_is_not_the_body() {
    let plan = sample();
    // The TOC occupies lines 5–31; the body starts with 序言 on line 32.
    assert!(
        plan.outline.iter().all(|h| h.line >= 32),
        "a TOC line leaked into the outline"
    );
    let first_chapter = plan
        .outline
        .iter()
        .find(|h| h.kind == HeadingKind::Chapter)
        .unwrap();
    assert_eq!(
        (first_chapter.line, first_chapter.number.as_str()),
        (36, "第一章")
    );
}

#[test]
fn indicator_table() {
    let plan = sample();
    assert_eq!(plan.indicators.len(), 26);
    let gdp = &plan.indicators[0];
    assert_eq!(
        (gdp.name.as_str(), gdp.unit.as_deref()),
        ("地区生产总值", Some("亿元"))
    );
    assert_eq!(gdp.baseline.as_ref().unwrap().value, Some(286.4));
    assert_eq!(gdp.target.as_ref().unwrap().value, Some(410.0));
    assert_eq!(gdp.growth.as_ref().unwrap().text, "7.5左右");
    let jobless = plan
        .indicators
        .iter()
        .find(|i| i.name == "城镇调查失业率")
        .unwrap();
    assert_eq!(
        jobless.target.as_ref().unwrap().comparator,
        Some(Comparator::Le)
    );
    let jobs = plan
        .indicators
        .iter()
        .find(|i| i.name == "城镇新增就业人数")
        .unwrap();
    assert!(jobs.target.as_ref().unwrap().cumulative);
    let binding = plan
        .indicators
        .iter()
        .filter(|i| i.attribute == Some(Attribute::Binding))
        .count();
    assert_eq!(binding, 8);
    // The category 三、民生福祉 claims 8 items and lists 7 (a deliberate error in the sample).
    assert!(
        plan.diagnostics
            .iter()
            .any(|d| d.code == "table.category_count" && d.message.contains("民生福祉"))
    );
}

#[test]
fn boxes_and_projects() {
    let plan = sample();
    assert_eq!(plan.boxes.len(), 9);
    let park = plan
        .projects
        .iter()
        .find(|p| p.name.contains("智能装备产业园"))
        .unwrap();
    let inv = park.investment.as_ref().unwrap();
    assert_eq!((inv.value, inv.unit.as_str()), (25.0, "亿元"));
}

#[test]
fn prose_targets_and_traps() {
    let plan = sample();
    assert!(
        plan.targets
            .iter()
            .any(|t| t.value == 175.0 && t.unit.as_deref() == Some("亿元"))
    );
    for t in &plan.targets {
        assert!(
            !t.text.contains("PM2.5") || t.value != 2.5,
            "PM2.5 read as a target: {}",
            t.text
        );
        assert!(t.value != 107.0, "G107 read as a target: {}", t.text);
        assert!(
            t.line > 45 || t.line < 39,
            "a review figure became a target: {} {}",
            t.line,
            t.text
        );
    }
}

#[test]
fn readable_rendering_snapshot() {
    insta::assert_snapshot!(planwatch_parse::render_text(&sample()));
}
