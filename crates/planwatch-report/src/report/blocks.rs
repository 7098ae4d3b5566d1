//! The report as a sequence of blocks: what every writer (Markdown, HTML, DOCX)
//! lays out, built once from the [`Report`] model by [`super::assemble::blocks`].
//! Captions, column sets and table numbering live there, not in the writers.

use crate::charts::{BarChart, LineChart};

/// One piece of the document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The title lines and the dateline.
    Title {
        /// First line (`青溪县“十四五”规划纲要`).
        title: String,
        /// Second line (`2023年度监测报告`).
        subtitle: String,
        /// Issuer and date.
        dateline: String,
    },
    /// A section heading: level 1 (一、总体情况) or 2 ((一)进度滞后…).
    Heading {
        /// 1 or 2.
        level: u8,
        /// The text.
        text: String,
    },
    /// A paragraph.
    Paragraph {
        /// The text.
        text: String,
        /// How it reads.
        style: Style,
    },
    /// A bulleted or numbered list.
    List {
        /// Numbered (1. 2. …) rather than bulleted.
        ordered: bool,
        /// The items.
        items: Vec<String>,
    },
    /// A table, with its caption.
    Table(Table),
    /// A chart.
    Chart(Chart),
    /// A titled item with its own blocks (one indicator's paragraph and chart).
    Item {
        /// The item's title (`地区生产总值(预期性,严重滞后)`).
        title: String,
        /// What follows it.
        body: Vec<Block>,
    },
    /// Numbered entries with detail lines (consistency findings with both sources).
    Entries(Vec<Entry>),
    /// The appendix, on a new page where pages exist.
    Appendix(Vec<Block>),
}

/// How a paragraph reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Running text.
    Body,
    /// The sentence a reader must not miss (bold).
    Emphasis,
    /// A note under a table (smaller).
    Note,
}

/// A table with a caption above it.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// `表1 主要指标监测情况(数据截至2023年)`; empty for appendix tables.
    pub caption: String,
    /// A name writers may style by (`indicators`), if any.
    pub name: Option<&'static str>,
    /// Column headers.
    pub headers: Vec<String>,
    /// Relative column widths (for paged output).
    pub weights: Vec<u32>,
    /// Rows.
    pub rows: Vec<Row>,
}

/// One table row.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// A group heading across the whole width (a plan category).
    Group(String),
    /// Cells, one per header.
    Cells(Vec<Cell>),
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The text.
    pub text: String,
    /// What it holds.
    pub kind: CellKind,
}

/// What a cell holds, for alignment and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Text.
    Text,
    /// A figure (right-aligned).
    Number,
    /// An evaluation status (coloured by category).
    Status,
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            kind: CellKind::Text,
        }
    }

    /// A figure.
    pub fn number(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            kind: CellKind::Number,
        }
    }

    /// A status.
    pub fn status(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            kind: CellKind::Status,
        }
    }
}

/// A numbered entry with detail lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The entry.
    pub text: String,
    /// Lines under it.
    pub details: Vec<String>,
}

/// A chart of the report.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    /// Category counts.
    Bar(BarChart),
    /// Baseline → actuals → target of one indicator.
    Line(LineChart),
}

impl Chart {
    /// The chart as SVG.
    pub fn to_svg(&self) -> String {
        match self {
            Chart::Bar(c) => c.to_svg(),
            Chart::Line(c) => c.to_svg(),
        }
    }

    /// Its title.
    pub fn title(&self) -> &str {
        match self {
            Chart::Bar(c) => &c.title,
            Chart::Line(c) => &c.title,
        }
    }
}

/// A paragraph of running text.
pub fn para(text: impl Into<String>) -> Block {
    Block::Paragraph {
        text: text.into(),
        style: Style::Body,
    }
}

/// A heading.
pub fn heading(level: u8, text: impl Into<String>) -> Block {
    Block::Heading {
        level,
        text: text.into(),
    }
}
