//! The parser never panics: arbitrary bytes, arbitrary text, and text built from
//! the pieces real plans are made of (markers, pipes, numbers, brackets); the actuals
//! extraction on the pieces of bulletins and work reports.

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

/// Fragments of bulletins and work reports for the actuals extraction.
const REPORT_PIECES: &[&str] = &[
    "政府工作报告\n",
    "——2023年3月5日在\n",
    "各位代表:\n",
    "一、2022年工作回顾\n",
    "二、2023年工作安排\n",
    "青溪县2024年国民经济和社会发展统计公报\n",
    "过去一年,",
    "五年来,",
    "全年",
    "全县",
    "全市",
    "其中",
    "地区生产总值",
    "单位地区生产总值能耗",
    "居民人均可支配收入",
    "常住人口城镇化率",
    "占地区生产总值比重",
    "与国内生产总值之比",
    "比上年",
    "增长",
    "下降",
    "持平",
    "达到",
    "为",
    "从",
    "到",
    "实际",
    "总数",
    "新增",
    "力争",
    "377.9",
    "1.37",
    "2020年",
    "2030年",
    "亿元",
    "万亿斤",
    "万人",
    "%",
    "个百分点",
    "以上",
    "(",
    ")",
    ",",
    ";",
    ":",
    "。",
    "、",
    "\n",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The actuals extraction never panics, and every proposal points at a real line
    /// with a highlight inside its sentence.
    #[test]
    fn extraction_never_panics(
        pieces in prop::collection::vec(prop::sample::select(REPORT_PIECES), 0..200),
        bytes in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let text = pieces.concat();
        let opts = planwatch_parse::extract::Options::default();
        if let Ok(doc) = planwatch_parse::extract::extract_text(&text, "fuzz.txt", &opts) {
            let lines = text.lines().count();
            for p in &doc.rows {
                prop_assert!(p.line >= 1 && p.line <= lines);
                let (s, e) = p.highlight;
                prop_assert!(s <= e && e <= p.sentence.chars().count());
                prop_assert!(p.value.is_finite());
            }
            let _ = planwatch_parse::extract::to_csv(&[doc]);
        }
        let _ = planwatch_parse::extract::extract_bytes(&bytes, "fuzz.docx", &opts);
        let _ = planwatch_parse::extract::extract_text(&String::from_utf8_lossy(&bytes), "f.txt", &opts);
    }
}
