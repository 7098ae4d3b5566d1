//! The proposals as an actuals file: the columns `planwatch import actuals` reads
//! (region, year, indicator, value, unit, kind, source_url, note, vintage) and a
//! `source` column with the file, the line and the sentence, so every imported value
//! keeps where it was read.
//!
//! This is the only writer of the import format on main when it was written; the
//! reader lives with the store's import (`actuals.rs`).

use planwatch_core::actuals::NewObservation;
use planwatch_core::codes::Code;

use super::{Extraction, Proposed, doc_type_label};

/// The header row.
pub const CSV_HEADER: [&str; 10] = [
    "region",
    "year",
    "indicator",
    "value",
    "unit",
    "kind",
    "source_url",
    "note",
    "vintage",
    "source",
];

/// Most characters the import takes in the `source` column.
const SOURCE_MAX: usize = 200;

/// Most characters the import takes in the `note` column.
const NOTE_MAX: usize = 2000;

/// The rows of several documents as one CSV text (UTF-8, header first).
pub fn to_csv(docs: &[Extraction]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail; a failed record would only lose that row.
    let _ = w.write_record(CSV_HEADER);
    for doc in docs {
        for p in &doc.rows {
            let _ = w.write_record(record(doc, p));
        }
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The proposals of one document as the rows an import takes, exactly as
/// [`to_csv`] writes them and `planwatch import actuals` reads them back (row numbers
/// counted from the header, row 1); the web import uses these directly.
pub fn to_observations(doc: &Extraction) -> Vec<NewObservation> {
    doc.rows
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let [
                region,
                _,
                indicator,
                _,
                unit,
                _,
                source_url,
                note,
                _,
                source,
            ] = record(doc, p);
            let text = |s: String| (!s.is_empty()).then_some(s);
            NewObservation {
                row: i + 2,
                region,
                year: i64::from(p.year),
                year_from: None,
                indicator,
                value: p.value,
                unit: text(unit),
                kind: p.kind,
                source: text(source),
                source_url: text(source_url),
                note: text(note),
                vintage: doc.date.as_deref().and_then(|d| d.parse().ok()),
            }
        })
        .collect()
}

fn record(doc: &Extraction, p: &Proposed) -> [String; 10] {
    let place = format!("{}:{}", doc.file, p.line);
    [
        p.region.clone(),
        p.year.to_string(),
        p.indicator.clone(),
        format!("{}", p.value),
        p.unit.clone().unwrap_or_default(),
        p.kind.code().to_string(),
        clip(&place, SOURCE_MAX),
        clip(&note(doc, p), NOTE_MAX),
        doc.date.clone().unwrap_or_default(),
        clip(&format!("{place} {}", p.sentence), SOURCE_MAX),
    ]
}

/// Where the value comes from in words: 统计公报《…》第5行;原文“382.6亿元”;….
pub fn note(doc: &Extraction, p: &Proposed) -> String {
    let title = doc
        .title
        .as_deref()
        .map(|t| format!("《{}》", t.trim()))
        .unwrap_or_default();
    let mut out = format!(
        "{}{title}第{}行;原文“{}”",
        doc_type_label(doc.doc_type),
        p.line,
        p.written
    );
    if let Some(n) = &p.note {
        out.push(';');
        out.push_str(n);
    }
    out
}

/// At most `max` characters, with … when cut; control characters become spaces so a
/// sentence never breaks a row or trips the import's text check.
fn clip(s: &str, max: usize) -> String {
    let clean: String = s
        .chars()
        .map(|c| {
            if planwatch_core::validate::is_hidden_char(c) || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    if clean.chars().count() <= max {
        return clean;
    }
    let mut out: String = clean.chars().take(max - 1).collect();
    out.push('…');
    out
}
