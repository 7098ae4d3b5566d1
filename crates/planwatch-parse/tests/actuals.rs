//! Actuals files end to end: XLSX workbooks written by a spreadsheet library, bombs
//! and oversize sheets refused by the shared limit policy, and a plan evaluated
//! against a CSV with nothing but the core and parse crates (no database crate is a
//! dependency of this package: `cargo tree -p planwatch-parse -e normal,dev`).

use std::io::{Cursor, Write};

use planwatch_core::actuals::DataKind;
use planwatch_core::eval::input::split;
use planwatch_core::eval::{Category, evaluate_plan};
use planwatch_parse::actuals::{read_actuals, read_xlsx};
use planwatch_parse::limits::LIMITS;
use rust_xlsxwriter::Workbook;

fn workbook(fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    fill(sheet);
    book.save_to_buffer().unwrap()
}

#[test]
fn xlsx_rows_keep_their_row_numbers_and_columns() {
    let bytes = workbook(|s| {
        // The table starts at B3: row numbers and column positions are the sheet's.
        for (c, h) in ["地区", "年份", "指标", "数值", "单位", "类型", "发布日期"]
            .iter()
            .enumerate()
        {
            s.write_string(2, c as u16 + 1, *h).unwrap();
        }
        s.write_string(3, 1, "青溪县").unwrap();
        s.write_number(3, 2, 2023).unwrap();
        s.write_string(3, 3, "地区生产总值").unwrap();
        s.write_number(3, 4, 356.5).unwrap();
        s.write_string(3, 5, "亿元").unwrap();
        s.write_string(3, 6, "水平").unwrap();
        s.write_string(3, 7, "2024-03-28").unwrap();
        s.write_string(5, 1, "青溪县").unwrap();
        s.write_string(5, 2, "2023年").unwrap();
        s.write_string(5, 3, "地区生产总值").unwrap();
        s.write_string(5, 4, "三百").unwrap();
    });
    let err = read_xlsx(&bytes).unwrap_err().0;
    assert!(err.contains("第 6 行,列 value(数值)"), "{err}");
    let good = workbook(|s| {
        for (c, h) in ["地区", "年份", "指标", "数值", "类型"].iter().enumerate() {
            s.write_string(0, c as u16, *h).unwrap();
        }
        s.write_string(1, 0, "青溪县").unwrap();
        s.write_number(1, 1, 2023).unwrap();
        s.write_string(1, 2, "一般公共预算收入").unwrap();
        s.write_number(1, 3, 12.5).unwrap();
        s.write_string(1, 4, "增速").unwrap();
    });
    let rows = read_xlsx(&good).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].row, rows[0].year, rows[0].value), (2, 2023, 12.5));
    assert_eq!(rows[0].kind, DataKind::GrowthRate);
}

#[test]
fn an_impossible_release_date_names_row_and_column() {
    let csv = "region,year,indicator,value,vintage\n甲区,2023,GDP,1,2025-13-45\n";
    let err = read_actuals(csv.as_bytes(), "a.csv").unwrap_err().0;
    assert!(err.contains("第 2 行,列 vintage(发布日期)"), "{err}");
    let csv = "region,year,indicator,value,vintage\n甲区,2023,GDP,1,2024年3月28日\n";
    let rows = read_actuals(csv.as_bytes(), "a.csv").unwrap();
    assert_eq!(rows[0].vintage, Some(jiff::civil::date(2024, 3, 28)));
}

#[test]
fn an_xlsx_zip_bomb_is_refused_before_it_is_inflated() {
    // A sheet of 8 MB of one repeated row deflates about 1000:1: the shape of the
    // 3.6 MB workbook that unpacked to 1 GB.
    let row = "<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>";
    let sheet = row.repeat((8 << 20) / row.len());
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file(
        "xl/worksheets/sheet1.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    w.write_all(sheet.as_bytes()).unwrap();
    let bomb = w.finish().unwrap().into_inner();
    assert!(bomb.len() < 200_000, "{} bytes", bomb.len());
    let err = read_actuals(&bomb, "bomb.xlsx").unwrap_err().0;
    assert!(err.contains("压缩炸弹"), "{err}");
}

#[test]
fn a_sheet_wider_than_the_cell_limit_is_refused() {
    // Each row has a value in the last column (XFD): 16384 cells per row as the
    // reader lines cells up, so the cell limit is reached after a few hundred rows.
    let rows = LIMITS.max_cells / 16_384 + 1;
    let bytes = workbook(|s| {
        for r in 0..rows as u32 {
            s.write_string(r, 16_383, "x").unwrap();
        }
    });
    let err = read_xlsx(&bytes).unwrap_err().0;
    assert!(err.contains("单元格"), "{err}");
}

#[test]
fn a_csv_with_too_many_rows_is_refused() {
    let mut csv = String::from("region,year,indicator,value\n");
    for _ in 0..LIMITS.max_rows {
        csv.push_str("甲区,2023,GDP,1\n");
    }
    let err = read_actuals(csv.as_bytes(), "big.csv").unwrap_err().0;
    assert!(
        err.contains(&format!("超过 {} 行", LIMITS.max_rows)),
        "{err}"
    );
}

#[test]
fn a_plan_file_is_evaluated_against_an_actuals_csv_without_a_database() {
    let plan = planwatch_parse::parse_str(
        "青溪县国民经济和社会发展第十四个五年规划纲要\n\
         表1 主要指标\n\
         指标 | 单位 | 2020年 | 2025年 | 属性\n\
         地区生产总值 | 亿元 | 300 | 400 | 预期性\n",
        "plan.txt",
    );
    assert_eq!(plan.indicators.len(), 1, "{:?}", plan.indicators);
    let csv = "地区,年份,指标,数值,单位,类型\n青溪县,2023,地区生产总值,372,亿元,水平\n";
    let rows = read_actuals(csv.as_bytes(), "actuals.csv").unwrap();
    let (obs, annual) = split(rows.iter().filter_map(|r| r.interpret()));
    let ev = evaluate_plan(&plan, &obs, &annual, Some(2023), None);
    let (_, e) = ev.main().next().expect("one main indicator");
    // Completion (372 − 300)/(400 − 300) = 72%.
    let completion = e.figures.completion.expect("a completion");
    assert!((completion - 0.72).abs() < 1e-9, "{completion}");
    assert_ne!(e.category, Category::InsufficientData);
}
