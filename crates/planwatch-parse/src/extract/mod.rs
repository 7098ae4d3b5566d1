//! Actual values from published text: a statistical bulletin (统计公报) or the review
//! part of a government work report (政府工作报告) becomes a list of proposed
//! observations of catalogue indicators, each with its line and sentence.
//!
//! What is taken, and what is not:
//! - the region is the document's (or `--region`); the year is the bulletin's year, or
//!   the year a work report reviews (a 2024 report speaks of 2023), or `--year`;
//! - only the review part of a work report is read (from `…工作回顾`/`过去一年` to the
//!   next top-level heading); targets (`预期目标`, `力争`, `今年`, a later year) end the
//!   sentence they appear in;
//! - an indicator is a catalogue name or synonym, matched as the longest name the text
//!   before the number ends with; anything else before it must be harmless (全年, 全县,
//!   实现…), so other regions' figures (`全市…`) and parts (`其中城镇居民…`, `民间投资`)
//!   are not the region's total;
//! - kinds: a level (`804.28亿元`, converted to the catalogue's unit), a share (a
//!   percentage indicator), a growth rate (`比上年增长4.5%`; `下降10.7%` is −10.7), a
//!   reduction (`单位GDP能耗下降3.8%` is +3.8: positive values are decreases); changes
//!   in points (`提高1.2个百分点`), absolute changes (`增加0.3万人`), bounds and rounded
//!   figures (`以上`, `超过`, `近`, `左右`) and sums or averages over several years
//!   (`年均`, `累计`, `五年来` changes) are not taken.
//!
//! [`to_csv`] writes the import format of `planwatch import actuals` with a `source`
//! column (file:line and the sentence).

mod csv_out;
mod document;
mod read;
mod units;
mod words;

pub use planwatch_core::actuals::DataKind;
use planwatch_core::plan::DocType;
use serde::Serialize;

pub use csv_out::{CSV_HEADER, to_csv, to_observations};

/// What the caller knows better than the document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The region code or name to write in every row (the document's region otherwise).
    pub region: Option<String>,
    /// The year the figures are for (inferred from the document otherwise).
    pub year: Option<i32>,
}

/// One proposed observation, with where it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposed {
    /// Region code or name.
    pub region: String,
    /// The year the value is for.
    pub year: i32,
    /// The catalogue's canonical name.
    pub indicator: String,
    /// The value, in `unit`.
    pub value: f64,
    /// The unit (the catalogue's, after conversion).
    pub unit: Option<String>,
    /// What the value is.
    pub kind: DataKind,
    /// 1-based line of the decoded text.
    pub line: usize,
    /// The sentence it was read from, verbatim.
    pub sentence: String,
    /// The part of the sentence that says it (name to unit), in chars: start, end.
    pub highlight: (usize, usize),
    /// The figure as written (`1.37万亿斤`, `持平`).
    pub written: String,
    /// How it was read, when it is not plain (unit converted, sign of a reduction).
    pub note: Option<String>,
}

impl Proposed {
    /// The sentence in three parts: before, the highlighted part, after.
    pub fn highlighted(&self) -> (String, String, String) {
        let chars: Vec<char> = self.sentence.chars().collect();
        let (s, e) = self.highlight;
        let s = s.min(chars.len());
        let e = e.clamp(s, chars.len());
        (
            chars[..s].iter().collect(),
            chars[s..e].iter().collect(),
            chars[e..].iter().collect(),
        )
    }
}

/// The proposed observations of one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extraction {
    /// The file as named by the caller.
    pub file: String,
    /// What the document is.
    pub doc_type: DocType,
    /// Its title, if found.
    pub title: Option<String>,
    /// The region the rows are written for.
    pub region: String,
    /// The year the figures are for.
    pub year: i32,
    /// The date the document carries (a bulletin's release, a report's session), as
    /// YYYY-MM-DD: the vintage of its figures.
    pub date: Option<String>,
    /// The lines read (first, last), 1-based.
    pub lines: (usize, usize),
    /// The proposals, in document order; at most one per (indicator, kind).
    pub rows: Vec<Proposed>,
}

/// Why a document gave no proposals at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The bytes are not a readable document.
    #[error("{0}")]
    Decode(#[from] crate::decode::DecodeError),
    /// Neither the document nor the caller says the year.
    #[error("无法从文档判断数据所属年份(统计公报标题或政府工作报告的回顾部分),请用 --year 指定")]
    NoYear,
    /// Neither the document nor the caller says the region.
    #[error("无法从文档判断所属地区,请用 --region 指定区划代码")]
    NoRegion,
    /// The document is a plan, not a source of actual values.
    #[error("这是{0},不是统计公报或政府工作报告,不从中提取实际值")]
    NotASource(&'static str),
}

/// Read the proposals of a document's bytes (TXT, HTML, DOCX).
pub fn extract_bytes(bytes: &[u8], file: &str, opts: &Options) -> Result<Extraction, ExtractError> {
    let decoded = crate::decode::decode(bytes, file)?;
    extract_text(&decoded.text, file, opts)
}

/// Read the proposals of a decoded text.
pub fn extract_text(text: &str, file: &str, opts: &Options) -> Result<Extraction, ExtractError> {
    let doc = document::Document::read(text, opts)?;
    let ctx = read::Context {
        year: doc.year,
        own: doc.own_words.clone(),
    };
    let mut rows: Vec<Proposed> = Vec::new();
    for (no, raw, span) in doc.paragraphs(text) {
        for mut p in read::paragraph(&ctx, no, raw, span) {
            // The first statement of an indicator and kind is the headline figure; a
            // later one of the same pair is a repetition or a part (and a file with the
            // same figure twice is refused by the import).
            if rows
                .iter()
                .any(|r| r.indicator == p.indicator && r.kind == p.kind)
            {
                continue;
            }
            p.region = doc.region.clone();
            rows.push(p);
        }
    }
    Ok(Extraction {
        file: file.to_string(),
        doc_type: doc.doc_type,
        title: doc.title,
        region: doc.region,
        year: doc.year,
        date: doc.date,
        lines: doc.lines,
        rows,
    })
}

/// The document type in words (统计公报, 政府工作报告).
pub fn doc_type_label(t: DocType) -> &'static str {
    match t {
        DocType::PlanOutline => "规划纲要",
        DocType::WorkReport => "政府工作报告",
        DocType::AnnualPlan => "年度计划",
        DocType::StatisticalBulletin => "统计公报",
        DocType::Unknown => "其他文档",
    }
}

#[cfg(test)]
mod tests;
