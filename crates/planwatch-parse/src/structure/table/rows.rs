//! From aligned cells to table rows: carried merged cells, names split over two
//! cells, sub-rows under a parent, and category rows.

use planwatch_core::plan::{ColumnRole, TableRow};

use super::align::{Alignment, seq_value};
use super::cell::{CellKind, classify};
use crate::structure::doc::{char_len, compact};

/// One column of a row before the row above is consulted.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// The cell's text, or the pieces the name column took.
    Cell(Vec<String>),
    /// Covered by a merged cell from above (a rowspan, or a merged cell that a web
    /// copy left out): the value of the row above.
    Carry,
    /// Nothing.
    Empty,
}

/// Slots of a text row aligned by [`super::align::align`]. Columns whose cells real
/// tables merge across rows are carried from the row above when the row leaves them
/// out (category, 序号, unit, 属性) or writes them blank (category, 序号, 属性: a
/// copied merged cell); other columns left out or blank are empty.
pub fn slots_of_alignment(cells: &[String], a: &Alignment, roles: &[ColumnRole]) -> Vec<Slot> {
    a.columns
        .iter()
        .zip(roles)
        .map(|(ix, role)| {
            let pieces: Vec<String> = ix
                .iter()
                .map(|&i| cells[i].clone())
                .filter(|c| !c.trim().is_empty())
                .collect();
            let merged_blank = matches!(
                role,
                ColumnRole::Category | ColumnRole::Seq | ColumnRole::Attribute
            );
            let merged_absent = merged_blank || *role == ColumnRole::Unit;
            match (ix.is_empty(), pieces.is_empty()) {
                (true, _) if merged_absent => Slot::Carry,
                (false, true) if merged_blank => Slot::Carry,
                (_, true) => Slot::Empty,
                (_, false) => Slot::Cell(pieces),
            }
        })
        .collect()
}

/// Builds rows one after the other, remembering what the next row may carry.
pub struct RowBuilder<'a> {
    roles: &'a [ColumnRole],
    prev: Option<Vec<String>>,
    /// The name that sub-rows of the current 序号 group hang under.
    group_parent: Option<String>,
    /// The latest category row (for tables without a category column).
    category_row: Option<String>,
    /// The latest 序号 seen, to predict the next.
    last_seq: Option<u32>,
    /// The parent of the row above, if it was a sub-row.
    prev_parent: Option<String>,
}

impl<'a> RowBuilder<'a> {
    /// A builder for a table with these column roles.
    pub fn new(roles: &'a [ColumnRole]) -> Self {
        RowBuilder {
            roles,
            prev: None,
            group_parent: None,
            category_row: None,
            last_seq: None,
            prev_parent: None,
        }
    }

    /// The 序号 the next row most likely has.
    pub fn next_seq(&self) -> Option<u32> {
        self.last_seq.map(|s| s + 1)
    }

    /// A row holding only a group label (一、经济更加发展(8项)).
    pub fn category_row(&mut self, text: &str) {
        self.category_row = Some(text.trim().to_string());
        self.group_parent = None;
    }

    /// Finish a row from its slots.
    pub fn row(&mut self, line: usize, slots: Vec<Slot>) -> TableRow {
        let width = self.roles.len();
        let mut cells = vec![String::new(); width];
        let mut name_pieces: Vec<String> = Vec::new();
        let mut carried_seq = false;
        let mut carried_name = false;
        let mut carried_attribute = false;
        for (j, slot) in slots.into_iter().enumerate().take(width) {
            let role = self.roles[j];
            let text = match slot {
                Slot::Cell(pieces) if role == ColumnRole::Name => {
                    name_pieces.extend(pieces.iter().cloned());
                    pieces.join("")
                }
                Slot::Cell(pieces) => pieces.join(""),
                Slot::Carry => {
                    let above = self
                        .prev
                        .as_ref()
                        .and_then(|p| p.get(j))
                        .cloned()
                        .unwrap_or_default();
                    if role == ColumnRole::Seq && !above.is_empty() {
                        carried_seq = true;
                    }
                    carried_attribute |= role == ColumnRole::Attribute && !above.is_empty();
                    if role == ColumnRole::Name && !above.is_empty() {
                        carried_name = true;
                        name_pieces.push(self.group_parent.clone().unwrap_or(above.clone()));
                    }
                    above
                }
                Slot::Empty => String::new(),
            };
            cells[j] = text;
        }
        let (name, mut parent) = split_name(&name_pieces, carried_name);
        if let Some(col) = self.roles.iter().position(|r| *r == ColumnRole::Name) {
            cells[col] = name.clone();
            // A second name column (a header cell spanning two) holds the sub-name.
            for (cell, role) in cells.iter_mut().zip(self.roles).skip(col + 1) {
                if *role == ColumnRole::Name {
                    cell.clear();
                }
            }
        }
        // Without a 序号 column, a row right after a sub-row that shares its 属性 and is
        // named by a bare noun (氨氮, not 森林覆盖率) is the next sub-row.
        let has_seq = self.roles.contains(&ColumnRole::Seq);
        let follows_sub_row = self.prev_parent.is_some()
            && carried_attribute
            && !has_seq
            && parent.is_none()
            && classify(&name) == CellKind::Text;
        if carried_seq || follows_sub_row {
            parent = parent.or_else(|| self.group_parent.clone());
        } else {
            // A new 序号 group: its parent is this row's parent, or this row itself.
            self.group_parent = parent
                .clone()
                .or_else(|| (!name.is_empty()).then(|| name.clone()));
        }
        if let Some(seq) = self
            .roles
            .iter()
            .position(|r| *r == ColumnRole::Seq)
            .and_then(|c| seq_value(&cells[c]))
        {
            self.last_seq = Some(seq);
        }
        let category = self
            .roles
            .iter()
            .position(|r| *r == ColumnRole::Category)
            .map(|c| cells[c].clone())
            .filter(|c| !c.is_empty())
            .or_else(|| self.category_row.clone());
        self.prev = Some(cells.clone());
        self.prev_parent = parent.clone();
        if let (Some(p), Some(col)) = (
            &parent,
            self.roles.iter().position(|r| *r == ColumnRole::Name),
        ) {
            // The row shows the parent too, so a reader (and a search) sees both.
            cells[col] = format!("{p} > {name}");
        }
        TableRow {
            line,
            cells,
            category,
            parent,
        }
    }
}

/// The name of a row from the pieces its name column(s) took, and its parent when
/// the pieces are a parent and a sub-item rather than one name wrapped over lines.
fn split_name(pieces: &[String], carried_parent: bool) -> (String, Option<String>) {
    let pieces: Vec<&str> = pieces
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    match pieces.as_slice() {
        [] => (String::new(), None),
        [one] => (strip_sub_marker(one).to_string(), None),
        [first, rest @ ..] => {
            let mut parent: Option<String> = None;
            let mut name = first.to_string();
            for piece in rest {
                if !carried_parent && is_wrap(&name, piece) {
                    name.push_str(piece);
                } else {
                    parent = Some(parent.map_or(name.clone(), |p| p));
                    name = strip_sub_marker(piece).to_string();
                }
            }
            (name, parent)
        }
    }
}

/// `其中:化学需氧量` → `化学需氧量`.
fn strip_sub_marker(s: &str) -> &str {
    s.trim_start_matches("其中")
        .trim_start_matches([':', ':', ','])
        .trim()
}

/// True when `piece` continues the name `before` (a line wrap), false when it is a
/// sub-item of it (主要污染物排放总量降幅 / 化学需氧量).
fn is_wrap(before: &str, piece: &str) -> bool {
    let b = compact(before);
    let p = compact(piece);
    const CONTINUES: &[&str] = &[
        "占", "的", "和", "与", "及", "比", "(", "(", "增长", "增速", "年均", "率", "数", "量",
    ];
    const OPEN_ENDS: &[&str] = &["和", "与", "及", "的", "占", "每", "万", "千", "百", "人均"];
    if p.starts_with("其中") || b.ends_with(')') || b.ends_with(')') || b.ends_with('*') {
        return false;
    }
    if CONTINUES.iter().any(|w| p.starts_with(w)) || OPEN_ENDS.iter().any(|w| b.ends_with(w)) {
        return true;
    }
    // A complete indicator name followed by a short noun is a parent and a sub-item.
    let complete = matches!(classify(&b), CellKind::Name) && char_len(&b) >= 4;
    !(complete && char_len(&p) <= 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnRole::*;

    fn cell(s: &str) -> Slot {
        Slot::Cell(vec![s.to_string()])
    }

    #[test]
    fn names_wrapped_or_split_into_parent_and_sub() {
        let check = |pieces: &[&str], name: &str, parent: Option<&str>| {
            let pieces: Vec<String> = pieces.iter().map(|s| s.to_string()).collect();
            assert_eq!(
                split_name(&pieces, false),
                (name.to_string(), parent.map(str::to_string)),
                "{pieces:?}"
            );
        };
        check(
            &["产业投资", "占固定资产投资比重"],
            "产业投资占固定资产投资比重",
            None,
        );
        check(
            &["城镇居民人均可支", "配收入"],
            "城镇居民人均可支配收入",
            None,
        );
        check(
            &["每千人口拥有执业", "(助理)医师数"],
            "每千人口拥有执业(助理)医师数",
            None,
        );
        check(&["地区生产总值", "增长率"], "地区生产总值增长率", None);
        check(
            &["主要污染物排放总量降幅(%)", "化学需氧量"],
            "化学需氧量",
            Some("主要污染物排放总量降幅(%)"),
        );
        check(
            &["主要污染物排放总量降幅", "其中:氨氮"],
            "氨氮",
            Some("主要污染物排放总量降幅"),
        );
    }

    #[test]
    fn sub_rows_share_seq_and_attribute_with_their_parent() {
        let roles = [Seq, Name, Baseline, Target, Attribute];
        let mut b = RowBuilder::new(&roles);
        let head = b.row(
            10,
            vec![
                cell("16"),
                Slot::Cell(vec![
                    "主要污染物排放总量降幅(%)".into(),
                    "化学需氧量".into(),
                ]),
                cell("—"),
                cell("完成市下达任务"),
                cell("约束性"),
            ],
        );
        assert_eq!(head.parent.as_deref(), Some("主要污染物排放总量降幅(%)"));
        let sub = b.row(
            11,
            vec![
                Slot::Carry,
                cell("氨氮"),
                cell("—"),
                cell("完成市下达任务"),
                Slot::Carry,
            ],
        );
        assert_eq!(sub.parent.as_deref(), Some("主要污染物排放总量降幅(%)"));
        assert_eq!(sub.cells[0], "16");
        assert_eq!(sub.cells[1], "主要污染物排放总量降幅(%) > 氨氮");
        assert_eq!(sub.cells[4], "约束性");
        let next = b.row(
            12,
            vec![
                cell("17"),
                cell("森林覆盖率(%)"),
                cell("51.8"),
                cell("52"),
                cell("约束性"),
            ],
        );
        assert_eq!(next.parent, None);
        assert_eq!(next.cells[1], "森林覆盖率(%)");
    }

    #[test]
    fn a_parent_row_without_values_heads_its_sub_rows() {
        let roles = [Seq, Name, Name, Target, Attribute];
        let mut b = RowBuilder::new(&roles);
        let head = b.row(
            5,
            vec![
                cell("9"),
                cell("主要污染物排放总量减少(%)"),
                Slot::Empty,
                Slot::Empty,
                cell("约束性"),
            ],
        );
        assert_eq!(head.parent, None);
        assert_eq!(head.cells[1], "主要污染物排放总量减少(%)");
        // HTML: 序号 and the parent name have rowspan; the sub-name sits in the second name column.
        let sub = b.row(
            6,
            vec![
                Slot::Carry,
                Slot::Carry,
                cell("化学需氧量"),
                cell("〔8〕"),
                Slot::Carry,
            ],
        );
        assert_eq!(sub.parent.as_deref(), Some("主要污染物排放总量减少(%)"));
        assert_eq!(sub.cells[2], "");
        assert_eq!(sub.cells[3], "〔8〕");
    }
}
