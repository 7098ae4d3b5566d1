//! The parser never panics: arbitrary bytes, arbitrary text, and text built from
//! the pieces real plans are made of (markers, pipes, numbers, brackets).

use proptest::prelude::*;

/// Fragments that drive the grammar into its corners.
const PIECES: &[&str] = &[
    "第一章",
    "第十二节",
    "一、",
    "(一)",
    "(",
    ")",
    "1.",
    "2、",
    "(3)",
    "4)",
    "——",
    "专栏3-1:",
    "目录",
    "|",
    "|||",
    " | ",
    "\n",
    "。",
    ",",
    "、",
    "到2025年",
    "2020年",
    "达到",
    "1130",
    "亿元",
    "%",
    "≤5以内",
    "[13.5]",
    "—",
    "左右",
    "以上",
    "3~5家",
    "5、1万头",
    "2×100万千瓦",
    "PM2.5",
    "5G",
    "“",
    "”",
    "《",
    "》",
    "指标名称",
    "2025年目标",
    "预期性",
    "约束性",
    "注:",
    "-",
    "12.",
    "表一:",
    "总投资",
    "(8项)",
    "\u{3000}",
    "\r\n",
];

fn structured_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..200).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let _ = planwatch_parse::parse_bytes(&bytes, "fuzz.txt");
        let _ = planwatch_parse::parse_bytes(&bytes, "fuzz.docx");
        let _ = planwatch_parse::parse_bytes(&bytes, "fuzz.html");
    }

    #[test]
    fn arbitrary_text(text in "\\PC{0,2000}") {
        let plan = planwatch_parse::parse_str(&text, "fuzz.txt");
        prop_assert_eq!(plan.source.lines, text.lines().count());
    }

    #[test]
    fn plan_shaped_text(text in structured_text()) {
        let plan = planwatch_parse::parse_str(&text, "fuzz.txt");
        let lines = text.lines().count();
        // Every item points at a real line of the input.
        for h in &plan.outline {
            prop_assert!(h.line >= 1 && h.line <= lines);
        }
        for t in &plan.targets {
            prop_assert!(t.line >= 1 && t.line <= lines);
        }
        for t in &plan.tables {
            prop_assert!(t.line_start <= t.line_end && t.line_end <= lines);
        }
    }
}
