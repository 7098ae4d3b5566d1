//! Put a row's cells under the right columns.
//!
//! A row copied from a web page loses its merged cells (the category is written
//! once per group, a shared 属性 once), a wrapped name arrives as two cells, and a
//! cell-per-line stream has no row boundaries at all. Instead of rules per layout,
//! each cell's kind is scored against each column's role and a small dynamic
//! program finds the best order-preserving assignment: columns left without a cell
//! are skipped (and, for category, 序号, unit and 属性, carried from the row above),
//! the name column may take up to three consecutive text cells.

use planwatch_core::plan::ColumnRole;

use super::cell::{CellKind, classify};

/// Most cells the name column takes from one row (a name wrapped over three lines).
const MAX_NAME_PIECES: usize = 3;

/// Score of a cell that fits no column (dropped); an empty cell is a weak signal
/// (a stray pipe at the end of a copied row), so dropping it costs little.
const DROP: f32 = -4.0;
const DROP_EMPTY: f32 = -0.3;

/// Where each cell of a row went.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    /// For each column: the indices of the cells assigned to it (empty = skipped).
    pub columns: Vec<Vec<usize>>,
    /// Total score; higher is a better fit.
    pub score: f32,
}

/// How well a cell of `kind` fits a column of `role`.
pub fn fit(kind: CellKind, role: ColumnRole) -> f32 {
    use CellKind as K;
    use ColumnRole as R;
    let value_col = matches!(
        role,
        R::Baseline
            | R::Target
            | R::Milestone
            | R::Vision
            | R::Annual
            | R::Cumulative
            | R::AnnualOrCumulative
    );
    match kind {
        K::Empty => match role {
            R::Name => -1.0,
            R::Attribute | R::Category | R::Seq => 0.2,
            _ => 0.8,
        },
        K::Dash => match role {
            _ if value_col => 2.0,
            R::Unit | R::Note | R::Other => 0.5,
            _ => -2.5,
        },
        K::Attribute => match role {
            R::Attribute => 5.0,
            R::Note | R::Other => -1.0,
            _ => -4.0,
        },
        K::Seq => match role {
            R::Seq => 3.0,
            _ if value_col => 1.2,
            R::Note | R::Other => 0.0,
            _ => -3.0,
        },
        K::Number => match role {
            _ if value_col => 2.0,
            R::Note | R::Other => 0.5,
            R::Seq => -2.0,
            _ => -4.0,
        },
        K::Qualitative => match role {
            R::Target => 1.8,
            R::Annual | R::AnnualOrCumulative => 1.5,
            R::Cumulative | R::Note => 1.0,
            R::Milestone | R::Vision | R::Other => 0.8,
            R::Baseline => 0.3,
            R::Name => -0.5,
            _ => -3.0,
        },
        K::Unit => match role {
            R::Unit => 3.0,
            R::Note | R::Other => 0.0,
            _ if value_col => -1.0,
            _ => -3.0,
        },
        K::Category => match role {
            R::Category => 3.0,
            R::Name => 0.5,
            R::Note | R::Other => 0.0,
            _ => -3.0,
        },
        K::Name => match role {
            R::Name => 3.0,
            R::Category => -0.5,
            R::Target => -1.0,
            R::Note | R::Other => 0.0,
            _ => -2.5,
        },
        K::Text => match role {
            R::Name => 2.0,
            R::Category => 1.0,
            R::Note => 1.0,
            R::Target => 0.3,
            R::Other => 0.5,
            _ => -1.5,
        },
    }
}

/// Cost of leaving a column without a cell.
pub fn skip_cost(role: ColumnRole) -> f32 {
    match role {
        ColumnRole::Category => 0.2,
        ColumnRole::Note => 0.3,
        ColumnRole::Other | ColumnRole::Vision | ColumnRole::Milestone => 0.6,
        ColumnRole::Attribute | ColumnRole::Unit => 0.8,
        ColumnRole::Seq => 1.0,
        ColumnRole::Annual | ColumnRole::Cumulative | ColumnRole::AnnualOrCumulative => 1.0,
        ColumnRole::Baseline | ColumnRole::Target => 1.2,
        ColumnRole::Name => 4.0,
    }
}

/// Score of `k` consecutive cells taken together by the name column: text pieces,
/// the last of which may be the name's unit wrapped onto its own line (`(%)`).
fn name_run(kinds: &[CellKind], cells: &[String]) -> f32 {
    let textual = |k: &CellKind| matches!(k, CellKind::Name | CellKind::Text | CellKind::Category);
    if kinds.len() == 1 {
        return fit(kinds[0], ColumnRole::Name);
    }
    let (last, init) = kinds.split_last().expect("two or more pieces");
    let unit_line = *last == CellKind::Unit
        && cells
            .last()
            .is_some_and(|c| c.trim_start().starts_with(['(', '(']));
    if !init.iter().all(textual) || !(textual(last) || unit_line) {
        return f32::NEG_INFINITY;
    }
    // Each extra piece earns a little less than a cell in its own column would.
    2.5 + 1.2 * (kinds.len() - 1) as f32
}

/// Align `cells` (their texts) to columns of `roles`.
///
/// `exact` rows (as many cells as columns, from a source that keeps positions) get a
/// bonus for keeping each cell at its index, so explicit empty cells stay put.
/// `next_seq` is the 序号 the previous row makes likely.
pub fn align(cells: &[String], roles: &[ColumnRole], next_seq: Option<u32>) -> Alignment {
    let kinds: Vec<CellKind> = cells.iter().map(|c| classify(c)).collect();
    align_kinds(&kinds, cells, roles, next_seq, true)
}

/// [`align`] with the kinds already known; `positional` says whether a cell's index
/// in the row means anything (it does in a `|` row, not in a stream of cells).
pub fn align_kinds(
    kinds: &[CellKind],
    cells: &[String],
    roles: &[ColumnRole],
    next_seq: Option<u32>,
    positional: bool,
) -> Alignment {
    let n = kinds.len();
    let m = roles.len();
    let same_width = positional && n == m;
    let cell_fit = |i: usize, j: usize| -> f32 {
        let mut s = fit(kinds[i], roles[j]);
        if same_width && i == j {
            s += 0.6;
        }
        if roles[j] == ColumnRole::Seq
            && kinds[i] == CellKind::Seq
            && next_seq.is_some_and(|want| seq_value(&cells[i]) == Some(want))
        {
            s += 1.5;
        }
        s
    };
    // score[at(i, j)]: best score with the first i cells and the first j columns used;
    // back[at(i, j)]: the (i, j) it came from. One flat table each: this runs for every
    // candidate row of a cell stream.
    let at = |i: usize, j: usize| i * (m + 1) + j;
    let neg = f32::NEG_INFINITY;
    let mut score = vec![neg; (n + 1) * (m + 1)];
    let mut back = vec![(usize::MAX, usize::MAX); (n + 1) * (m + 1)];
    score[0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            let here = score[at(i, j)];
            if here == neg {
                continue;
            }
            let mut relax = |ni: usize, nj: usize, s: f32| {
                if s > score[at(ni, nj)] {
                    score[at(ni, nj)] = s;
                    back[at(ni, nj)] = (i, j);
                }
            };
            if j < m {
                relax(i, j + 1, here - skip_cost(roles[j]));
                if i < n {
                    relax(i + 1, j + 1, here + cell_fit(i, j));
                }
                if roles[j] == ColumnRole::Name {
                    for k in 2..=MAX_NAME_PIECES.min(n - i) {
                        relax(
                            i + k,
                            j + 1,
                            here + name_run(&kinds[i..i + k], &cells[i..i + k]),
                        );
                    }
                }
            }
            if i < n {
                let drop = if kinds[i] == CellKind::Empty {
                    DROP_EMPTY
                } else {
                    DROP
                };
                relax(i + 1, j, here + drop);
            }
        }
    }
    let mut columns = vec![Vec::new(); m];
    let (mut i, mut j) = (n, m);
    while (i, j) != (0, 0) {
        let (pi, pj) = back[at(i, j)];
        if pi == usize::MAX {
            break;
        }
        if pj < j && pi < i {
            columns[pj].extend(pi..i);
        }
        (i, j) = (pi, pj);
    }
    Alignment {
        columns,
        score: score[at(n, m)],
    }
}

/// The number of a 序号 cell (`3`, `3.`).
pub fn seq_value(cell: &str) -> Option<u32> {
    cell.trim().trim_end_matches(['.', '、', '.']).parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnRole::*;

    /// Align `cells` and return each column's text (pieces joined with `+`).
    fn check(cells: &[&str], roles: &[ColumnRole], next_seq: Option<u32>, want: &[&str]) {
        let cells: Vec<String> = cells.iter().map(|s| s.to_string()).collect();
        let a = align(&cells, roles, next_seq);
        let got: Vec<String> = a
            .columns
            .iter()
            .map(|ix| {
                ix.iter()
                    .map(|&i| cells[i].as_str())
                    .collect::<Vec<_>>()
                    .join("+")
            })
            .collect();
        assert_eq!(got, want, "{cells:?}");
    }

    const LUKOU: &[ColumnRole] = &[
        Category,
        Seq,
        Name,
        Unit,
        Baseline,
        Target,
        AnnualOrCumulative,
        Attribute,
    ];

    #[test]
    fn complete_rows_stay_in_place() {
        check(
            &[
                "经济 发展",
                "1",
                "地区生产总值增长率",
                "%",
                "5.5",
                "—",
                "8",
                "预期性",
            ],
            LUKOU,
            None,
            &[
                "经济 发展",
                "1",
                "地区生产总值增长率",
                "%",
                "5.5",
                "—",
                "8",
                "预期性",
            ],
        );
        // An explicit empty cell keeps its position.
        check(
            &["指标", "", "1130", "预期性"],
            &[Name, Baseline, Target, Attribute],
            None,
            &["指标", "", "1130", "预期性"],
        );
    }

    #[test]
    fn a_missing_merged_category_shifts_nothing() {
        check(
            &[
                "2",
                "规模工业增加值增长率",
                "%",
                "21.6",
                "—",
                "10",
                "预期性",
            ],
            LUKOU,
            Some(2),
            &[
                "",
                "2",
                "规模工业增加值增长率",
                "%",
                "21.6",
                "—",
                "10",
                "预期性",
            ],
        );
        // A target spanning the target and growth columns.
        check(
            &[
                "20",
                "单位GDP能源消耗降幅",
                "%",
                "4.92",
                "完成省市下达任务",
                "约束性",
            ],
            LUKOU,
            Some(20),
            &[
                "",
                "20",
                "单位GDP能源消耗降幅",
                "%",
                "4.92",
                "完成省市下达任务",
                "",
                "约束性",
            ],
        );
    }

    #[test]
    fn national_table_rows_without_category() {
        let roles = &[
            Category,
            Name,
            Baseline,
            Target,
            AnnualOrCumulative,
            Attribute,
        ];
        check(
            &["全员劳动生产率增长(%)", "2.5", "—", "高于GDP增长", "预期性"],
            roles,
            None,
            &[
                "",
                "全员劳动生产率增长(%)",
                "2.5",
                "—",
                "高于GDP增长",
                "预期性",
            ],
        );
        check(
            &["城镇调查失业率(%)", "5.2", "—", "<5.5", "预期性"],
            roles,
            None,
            &["", "城镇调查失业率(%)", "5.2", "—", "<5.5", "预期性"],
        );
        check(
            &[
                "绿色生态",
                "单位GDP能源消耗降低(%)",
                "—",
                "—",
                "〔13.5〕",
                "约束性",
            ],
            roles,
            None,
            &[
                "绿色生态",
                "单位GDP能源消耗降低(%)",
                "—",
                "—",
                "〔13.5〕",
                "约束性",
            ],
        );
    }

    #[test]
    fn wrapped_names_join_the_name_column() {
        check(
            &[
                "7",
                "产业投资",
                "占固定资产投资比重(%)",
                "58.1",
                "58",
                "预期性",
            ],
            &[Seq, Name, Baseline, Target, Attribute],
            Some(7),
            &[
                "7",
                "产业投资+占固定资产投资比重(%)",
                "58.1",
                "58",
                "预期性",
            ],
        );
    }

    #[test]
    fn sub_rows_skip_seq_and_attribute() {
        check(
            &["氨氮", "—", "完成市下达任务"],
            &[Category, Seq, Name, Baseline, Target, Attribute],
            Some(17),
            &["", "", "氨氮", "—", "完成市下达任务", ""],
        );
    }
}
