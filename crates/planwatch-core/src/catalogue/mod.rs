//! The indicator catalogue: canonical names, aliases, units and direction, so that
//! 居民人均可支配收入 in a plan, 城乡居民人均可支配收入 in a bulletin and
//! 一般公共预算收入 / 公共财政预算收入 / 地方收入 in a work report meet.
//!
//! The data is `indicators.tsv`, embedded at build time; [`Catalogue::builtin`] reads it once.

mod normalize;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use normalize::normalize;

use crate::eval::target::{Direction, Scale};

/// One indicator of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Canonical name, also the stable key (地区生产总值).
    pub name: String,
    /// Usual unit.
    pub unit: Option<String>,
    /// Which way is better.
    pub direction: Direction,
    /// Planned-path shape for level targets.
    pub scale: Scale,
    /// Other wordings, as written.
    pub aliases: Vec<String>,
}

/// Whether a matched name speaks of the indicator itself or of its growth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMeasure {
    /// The indicator itself (地区生产总值).
    Level,
    /// Its growth (地区生产总值增长, GDP年均增速).
    Growth,
}

/// How a name was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchHow {
    /// The normalized name equals a normalized alias.
    Exact,
    /// Equal after removing a growth suffix (增长, 增速).
    GrowthSuffix,
    /// The name contains an alias that covers most of it.
    Contained,
}

/// A successful match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match<'a> {
    /// The catalogue entry.
    pub entry: &'a Entry,
    /// Level or growth.
    pub measure: NameMeasure,
    /// How it was found.
    pub how: MatchHow,
}

/// A catalogue line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError {
    /// 1-based line in the TSV.
    pub line: usize,
    /// What is wrong (zh-CN).
    pub message: String,
}

/// Canonical indicators and an index of their normalized aliases.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

/// Growth suffixes, longest first.
const GROWTH_SUFFIXES: &[&str] = &[
    "年均增长率",
    "年均增长",
    "年均增速",
    "增长率",
    "增长",
    "增速",
    "增幅",
];

/// Qualifiers that make a different indicator: a name with one of these only matches
/// an alias that has it too (城镇居民… never falls back to 居民…).
const QUALIFIERS: &[&str] = &[
    "城镇",
    "农村",
    "农民",
    "城市",
    "规模以上",
    "规模",
    "人均",
    "单位",
    "每万",
    "每千",
    "户籍",
    "新增",
    "占",
];

impl Catalogue {
    /// The embedded catalogue, read once.
    pub fn builtin() -> &'static Catalogue {
        static BUILTIN: OnceLock<Catalogue> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // The embedded file is checked by a unit test; a broken line cannot ship.
            Catalogue::from_tsv(include_str!("indicators.tsv")).unwrap_or_default()
        })
    }

    /// Read a catalogue in the TSV format of `indicators.tsv`.
    pub fn from_tsv(text: &str) -> Result<Catalogue, CatalogueError> {
        let mut cat = Catalogue::default();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let entry = parse_line(line).map_err(|message| CatalogueError {
                line: i + 1,
                message,
            })?;
            cat.push(entry).map_err(|message| CatalogueError {
                line: i + 1,
                message,
            })?;
        }
        Ok(cat)
    }

    fn push(&mut self, entry: Entry) -> Result<(), String> {
        let id = self.entries.len();
        for alias in std::iter::once(&entry.name).chain(&entry.aliases) {
            let key = normalize(alias);
            match self.index.get(&key) {
                Some(&other) if other != id => {
                    return Err(format!("别名“{alias}”与“{}”重复", self.entries[other].name));
                }
                _ => {
                    self.index.insert(key, id);
                }
            }
        }
        self.entries.push(entry);
        Ok(())
    }

    /// All entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with this canonical name.
    pub fn get(&self, canonical: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == canonical)
    }

    /// The entry whose canonical name or alias is exactly `name` (after normalizing).
    pub fn exact(&self, name: &str) -> Option<&Entry> {
        self.index.get(&normalize(name)).map(|&i| &self.entries[i])
    }

    /// Match a name as written in any document.
    pub fn find(&self, name: &str) -> Option<Match<'_>> {
        let key = normalize(name);
        if key.is_empty() {
            return None;
        }
        if let Some(&i) = self.index.get(&key) {
            return Some(Match {
                entry: &self.entries[i],
                measure: NameMeasure::Level,
                how: MatchHow::Exact,
            });
        }
        if let Some(m) = self.find_growth(&key) {
            return Some(m);
        }
        self.find_contained(&key)
    }

    fn find_growth(&self, key: &str) -> Option<Match<'_>> {
        let stem = GROWTH_SUFFIXES.iter().find_map(|s| key.strip_suffix(s))?;
        let stem = stem.strip_suffix("年均").unwrap_or(stem);
        let &i = self.index.get(stem)?;
        Some(Match {
            entry: &self.entries[i],
            measure: NameMeasure::Growth,
            how: MatchHow::GrowthSuffix,
        })
    }

    /// The longest alias inside the name, if it covers at least half of it and drops no qualifier.
    fn find_contained(&self, key: &str) -> Option<Match<'_>> {
        let key_len = key.chars().count();
        let (_, &i) = self
            .index
            .iter()
            .filter(|(alias, _)| {
                let len = alias.chars().count();
                len >= 3 && len * 2 >= key_len && key.contains(alias.as_str())
            })
            .filter(|(alias, _)| {
                QUALIFIERS
                    .iter()
                    .all(|q| !key.contains(q) || alias.contains(q))
            })
            .max_by_key(|(alias, _)| (alias.chars().count(), *alias))?;
        Some(Match {
            entry: &self.entries[i],
            measure: NameMeasure::Level,
            how: MatchHow::Contained,
        })
    }

    /// A key for grouping names across documents: the canonical name when matched,
    /// else the normalized name.
    pub fn key(&self, name: &str) -> String {
        match self.find(name) {
            Some(m) => m.entry.name.clone(),
            None => normalize(name),
        }
    }
}

fn parse_line(line: &str) -> Result<Entry, String> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() < 4 {
        return Err(format!(
            "需要至少4列(名称、单位、方向、路径),实际{}列",
            cols.len()
        ));
    }
    let direction = match cols[2].trim() {
        "+" => Direction::Higher,
        "-" => Direction::Lower,
        other => return Err(format!("方向列应为 + 或 -,实际为“{other}”")),
    };
    let scale = match cols[3].trim() {
        "L" => Scale::Linear,
        "G" => Scale::Geometric,
        other => return Err(format!("路径列应为 L 或 G,实际为“{other}”")),
    };
    let unit = Some(cols[1].trim().to_string()).filter(|u| !u.is_empty());
    let aliases = cols
        .get(4)
        .map(|a| {
            a.split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Ok(Entry {
        name: cols[0].trim().to_string(),
        unit,
        direction,
        scale,
        aliases,
    })
}

#[cfg(test)]
mod tests;
