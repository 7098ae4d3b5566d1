//! The same plan as plain text, HTML (real `<table>`), DOCX (Word numbering, real
//! `w:tbl`) and GBK must parse to the same outline and indicators.
//!
//! The variants are built from the text and the plan parsed from it (see
//! `support/variants.rs`). A second set of tests checks the decoding of the variants
//! line by line against a plan written by a small oracle, so the generators and the
//! decoders are tested even where the structure stage finds nothing.

mod support;

use std::path::Path;

use planwatch_core::plan::{HeadingKind, OutlineNode, Plan, Table, TableRow};
use planwatch_parse::decode::decode;
use planwatch_parse::parse_bytes;
use support::agree::{indicators, outline};
use support::docx::part;
use support::variants::{chinese_value, to_docx, to_gbk, to_html};

const FIXTURE: &str = include_str!("fixtures/variant_plan.txt");

/// Parse the text and its three variants and compare them.
fn check_variants(name: &str, text: &str) {
    let txt = parse_bytes(text.as_bytes(), "plan.txt").expect("plain text decodes");
    let html = to_html(text, &txt);
    let docx = to_docx(text, &txt);
    let document = part(&docx, "word/document.xml");
    // The variants must really use the structures under test.
    if !txt.tables.is_empty() {
        assert!(
            html.contains("<table"),
            "{name}: HTML variant has no <table>"
        );
        assert!(
            document.contains("<w:tbl>"),
            "{name}: DOCX variant has no w:tbl"
        );
    }
    if txt
        .outline
        .iter()
        .any(|h| matches!(h.kind, HeadingKind::Chapter | HeadingKind::Chinese))
    {
        assert!(
            document.contains("w:numPr"),
            "{name}: DOCX variant has no Word numbering"
        );
    }
    let variants = [
        ("html", html.into_bytes(), "plan.html"),
        ("docx", docx, "plan.docx"),
        ("gbk", to_gbk(text), "plan.txt"),
    ];
    for (kind, bytes, path) in variants {
        let plan = parse_bytes(&bytes, path).unwrap_or_else(|e| panic!("{name} {kind}: {e}"));
        assert_eq!(
            plan.source.format,
            if kind == "gbk" { "txt" } else { kind },
            "{name} {kind}"
        );
        assert_eq!(
            outline(&plan),
            outline(&txt),
            "{name}: outline of the {kind} variant"
        );
        assert_eq!(
            indicators(&plan),
            indicators(&txt),
            "{name}: indicators of the {kind} variant"
        );
    }
    println!(
        "{name}: {} headings, {} tables, {} indicators agree across html/docx/gbk",
        txt.outline.len(),
        txt.tables.len(),
        txt.indicators.len()
    );
}

#[test]
fn fixture_variants_parse_alike() {
    check_variants("variant_plan.txt", FIXTURE);
}

#[test]
fn seed_variants_parse_alike() {
    let seeds = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/seeds"
    ));
    if !seeds.is_dir() {
        println!("skipped: ../shared not found");
        return;
    }
    let mut paths: Vec<_> = std::fs::read_dir(seeds)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no .txt seeds in {}", seeds.display());
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        check_variants(&path.file_name().unwrap().to_string_lossy(), &text);
    }
}

// ---- Decoding of the variants, against a plan written by a small oracle ----

/// A crude reading of the fixture: heading markers at line starts, one `|` table with
/// single-cell category rows, its caption above and its note below.
fn oracle(text: &str) -> Plan {
    let lines: Vec<&str> = text.lines().collect();
    let mut plan = Plan::default();
    for (i, line) in lines.iter().enumerate() {
        if let Some((kind, number)) = marker(line) {
            let title = line[number.len()..].trim().to_string();
            plan.outline.push(OutlineNode {
                page: None,
                line: i + 1,
                level: 1,
                kind,
                number,
                title,
            });
        }
    }
    let first = lines
        .iter()
        .position(|l| l.contains('|'))
        .expect("fixture has a table");
    let end = first
        + lines[first..]
            .iter()
            .take_while(|l| l.contains('|'))
            .count();
    let cells = |l: &str| -> Vec<String> {
        let mut cells: Vec<String> = l.split('|').map(|c| c.trim().to_string()).collect();
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        cells
    };
    let mut table = Table {
        line_start: first,
        line_end: end + 1,
        title: Some(lines[first - 1].to_string()),
        header: cells(lines[first]),
        notes: vec![lines[end].to_string()],
        ..Table::default()
    };
    let mut category = None;
    for (i, line) in lines.iter().enumerate().take(end).skip(first + 1) {
        let row = cells(line);
        if row.len() == 1 {
            category = Some(row[0].clone());
        } else {
            table.rows.push(TableRow {
                parent: None,
                line: i + 1,
                cells: row,
                category: category.clone(),
            });
        }
    }
    plan.tables.push(table);
    plan
}

/// 第X章, 第X节, X、 and (X) markers with Chinese numerals at the start of a line.
fn marker(line: &str) -> Option<(HeadingKind, String)> {
    if line.contains('|') {
        return None;
    }
    let numeral_end =
        |s: &str| s.find(|c: char| chinese_value(&c.to_string()).is_none() && c != '十');
    if let Some(rest) = line.strip_prefix('第') {
        let end = numeral_end(rest)?;
        let kind = match rest[end..].chars().next()? {
            '章' => HeadingKind::Chapter,
            '节' => HeadingKind::Section,
            _ => return None,
        };
        return Some((kind, line[..3 + end + 3].to_string()));
    }
    if let Some(rest) = line.strip_prefix('(') {
        let end = numeral_end(rest)?;
        return (end > 0 && rest[end..].starts_with(')'))
            .then(|| (HeadingKind::ParenChinese, line[..1 + end + 1].to_string()));
    }
    let end = numeral_end(line)?;
    (end > 0 && line[end..].starts_with('、')).then(|| {
        (
            HeadingKind::Chinese,
            line[..end + '、'.len_utf8()].to_string(),
        )
    })
}

/// The fixture's table as the HTML and DOCX variants render it, worked out by hand:
/// a 类别 column is added for the category rows and merged vertically.
const TABLE_LINES: &[&str] = &[
    "类别 | 指标名称 | 2020年 | 2025年 | 年均增长(%) | 属性 |",
    "一、经济发展(4项) | 地区生产总值(亿元) | 286.4 | 420 | 8左右 | 预期性 |",
    "| 一般公共预算收入(亿元) | 15.2 | 22 | 7.7 | 预期性 |",
    "| 常住人口城镇化率(%) | 58.3 | 63 | [4.7] | 预期性 |",
    "| 研发经费投入强度(%) | 1.6 | 2.2 | — | 预期性 |",
    "二、民生福祉(3项) | 城镇登记失业率(%) | 3.9 | ≤4.5 | — | 预期性 |",
    "| 居民人均可支配收入(元) | 26850 | 39450 | 8 | 预期性 |",
    "| 每千人口拥有执业(助理)医师数(人) | 2.4 | 3.2 | — | 预期性 |",
    "三、绿色生态(2项) | 单位地区生产总值能源消耗降低(%) | — | — | [14] | 约束性 |",
    "| 森林覆盖率(%) | 62.1 | ≥62.5 | — | 约束性 |",
];

/// The fixture's lines with its table replaced by [`TABLE_LINES`].
fn expected_lines() -> Vec<String> {
    let lines: Vec<&str> = FIXTURE.lines().collect();
    let first = lines.iter().position(|l| l.contains('|')).unwrap();
    let end = first
        + lines[first..]
            .iter()
            .take_while(|l| l.contains('|'))
            .count();
    let mut out: Vec<String> = lines[..first].iter().map(|l| l.to_string()).collect();
    out.extend(TABLE_LINES.iter().map(|l| l.to_string()));
    out.extend(lines[end..].iter().map(|l| l.to_string()));
    out
}

#[test]
fn oracle_reads_the_fixture() {
    let plan = oracle(FIXTURE);
    // 4 章 + 6 节 + 6 一、 + 4 (一) = 20 headings.
    assert_eq!(plan.outline.len(), 20);
    assert_eq!(plan.outline[0].number, "第一章");
    assert_eq!(plan.outline[3].number, "二、");
    assert_eq!(plan.outline[3].title, "民生保障更加有力");
    assert_eq!(plan.tables[0].rows.len(), 9);
    assert_eq!(
        plan.tables[0].rows[8].category.as_deref(),
        Some("三、绿色生态(2项)")
    );
}

#[test]
fn html_variant_decodes_to_the_text_with_its_table_as_rows() {
    let html = to_html(FIXTURE, &oracle(FIXTURE));
    assert!(html.contains("<td rowspan=\"4\">一、经济发展(4项)</td>"));
    let decoded = decode(html.as_bytes(), "plan.html").unwrap();
    let lines: Vec<&str> = decoded.text.lines().collect();
    assert_eq!(lines, expected_lines());
    assert_eq!(
        decoded.furniture,
        [
            "首页 > 政府信息公开 > 规划计划",
            "发布时间:2021-06-01 来源:县发展和改革局 【字号:大 中 小】",
            "【打印本页】【关闭窗口】"
        ]
    );
}

#[test]
fn docx_variant_draws_markers_from_numbering() {
    let docx = to_docx(FIXTURE, &oracle(FIXTURE));
    let document = part(&docx, "word/document.xml");
    // Markers are gone from the text: 第一章 is drawn by Heading1's numbering.
    assert!(document.contains(
        r#"<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve"> 发展基础与形势"#
    ));
    assert!(!document.contains("第一章"));
    assert!(document.contains("<w:tbl>") && document.contains(r#"<w:vMerge w:val="restart"/>"#));
    let decoded = decode(&docx, "plan.docx").unwrap();
    let lines: Vec<&str> = decoded.text.lines().collect();
    assert_eq!(lines, expected_lines());
}

#[test]
fn docx_variant_overrides_numbering_that_skips() {
    // 第三章 directly after 第一章: list 1 would say 第二章, so an override starts at 3.
    let text = "第一章 总体要求\n正文。\n第三章 发展目标\n一、经济目标\n";
    let plan = Plan {
        outline: vec![
            OutlineNode {
                page: None,
                line: 1,
                level: 1,
                kind: HeadingKind::Chapter,
                number: "第一章".into(),
                title: "总体要求".into(),
            },
            OutlineNode {
                page: None,
                line: 3,
                level: 1,
                kind: HeadingKind::Chapter,
                number: "第三章".into(),
                title: "发展目标".into(),
            },
            OutlineNode {
                page: None,
                line: 4,
                level: 2,
                kind: HeadingKind::Chinese,
                number: "一、".into(),
                title: "经济目标".into(),
            },
        ],
        ..Plan::default()
    };
    let docx = to_docx(text, &plan);
    assert!(part(&docx, "word/numbering.xml").contains(r#"<w:startOverride w:val="3"/>"#));
    let decoded = decode(&docx, "plan.docx").unwrap();
    assert_eq!(decoded.text, text);
}

#[test]
fn gbk_variant_decodes_to_the_text() {
    let bytes = to_gbk(FIXTURE);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "GBK bytes are not UTF-8"
    );
    let decoded = decode(&bytes, "plan.txt").unwrap();
    assert_eq!(decoded.encoding, "gb18030");
    assert_eq!(decoded.text, FIXTURE);
}
