//! Tables rebuilt from the page: ruled tables from their horizontal and vertical
//! lines (merged cells where a separator is missing), and unruled ones from
//! columns of text separated by wide x-gaps.

use super::content::{Glyph, Rule};
use super::layout::{Line, join_lines};
use crate::decode::table::{Grid, GridCell};

/// Points within which two rule coordinates are the same line (Chromium draws
/// separated cell borders 1.5 pt apart).
const TOL: f32 = 2.5;

/// Rules shorter than this are underlines, ticks or dots, not table borders.
const MIN_RULE: f32 = 6.0;

/// Most rules looked at on one page (the pairing below is quadratic).
const MAX_RULES: usize = 4_000;

/// Largest grid accepted, in positions.
const MAX_POSITIONS: usize = 20_000;

/// A table found on a page, with the top of its area (for reading order).
#[derive(Debug)]
pub struct TableBlock {
    /// Top edge, page space.
    pub top: f32,
    /// The finished grid.
    pub rows: Vec<Vec<GridCell>>,
}

/// Ruled tables on a page. Glyphs inside a table are marked in `used`.
pub fn ruled(rules: &[Rule], glyphs: &[Glyph], used: &mut [bool]) -> Vec<TableBlock> {
    let rules: Vec<Rule> = rules
        .iter()
        .filter(|r| (r.x1 - r.x0).max(r.y1 - r.y0) >= MIN_RULE)
        .take(MAX_RULES)
        .copied()
        .collect();
    let mut tables = Vec::new();
    for group in components(&rules) {
        let members: Vec<Rule> = group.iter().map(|&i| rules[i]).collect();
        if let Some(table) = grid_of(&members, glyphs, used) {
            tables.push(table);
        }
    }
    tables
}

/// Rules connected by touching or crossing, as index groups.
fn components(rules: &[Rule]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..rules.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..rules.len() {
        for j in i + 1..rules.len() {
            if touch(&rules[i], &rules[j]) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..rules.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    groups.into_values().collect()
}

fn touch(a: &Rule, b: &Rule) -> bool {
    a.x0 <= b.x1 + TOL && b.x0 <= a.x1 + TOL && a.y0 <= b.y1 + TOL && b.y0 <= a.y1 + TOL
}

/// Distinct coordinates, merged within [`TOL`], sorted ascending.
fn distinct(mut values: Vec<f32>) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, usize)> = Vec::new();
    for v in values {
        match out.last_mut() {
            Some((mean, n)) if v - *mean <= TOL => {
                *mean = (*mean * *n as f32 + v) / (*n as f32 + 1.0);
                *n += 1;
            }
            _ => out.push((v, 1)),
        }
    }
    out.into_iter().map(|(v, _)| v).collect()
}

fn grid_of(rules: &[Rule], glyphs: &[Glyph], used: &mut [bool]) -> Option<TableBlock> {
    let (h, v): (Vec<Rule>, Vec<Rule>) = rules.iter().partition(|r| r.horizontal());
    let mut ys = distinct(h.iter().map(|r| r.y0).collect());
    ys.reverse(); // top first
    let xs = distinct(v.iter().map(|r| r.x0).collect());
    if ys.len() < 2 || xs.len() < 3 || (ys.len() - 1) * (xs.len() - 1) > MAX_POSITIONS {
        return None;
    }
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    let has_v = |k: usize, r: usize| {
        let mid = (ys[r] + ys[r + 1]) / 2.0;
        v.iter()
            .any(|s| (s.x0 - xs[k]).abs() <= TOL && s.y0 - TOL <= mid && mid <= s.y1 + TOL)
    };
    let has_h = |r: usize, c: usize| {
        let mid = (xs[c] + xs[c + 1]) / 2.0;
        h.iter()
            .any(|s| (s.y0 - ys[r]).abs() <= TOL && s.x0 - TOL <= mid && mid <= s.x1 + TOL)
    };
    let mut covered = vec![vec![false; cols]; rows];
    let mut grid = Grid::default();
    let mut any_text = false;
    for r in 0..rows {
        grid.touch(r);
        for c in 0..cols {
            if covered[r][c] {
                continue;
            }
            let mut colspan = 1;
            while c + colspan < cols && !has_v(c + colspan, r) {
                colspan += 1;
            }
            let mut rowspan = 1;
            while r + rowspan < rows && !has_h(r + rowspan, c) {
                rowspan += 1;
            }
            for row in covered.iter_mut().skip(r).take(rowspan) {
                for cell in row.iter_mut().skip(c).take(colspan) {
                    *cell = true;
                }
            }
            let area = (xs[c], xs[c + colspan], ys[r + rowspan], ys[r]);
            let text = cell_text(glyphs, used, area);
            any_text |= !text.is_empty();
            grid.place(r, text, rowspan, colspan);
        }
    }
    if !any_text {
        return None;
    }
    Some(TableBlock {
        top: ys[0],
        rows: grid.finish(),
    })
}

/// The text of the glyphs whose centre lies in `(x0, x1, y0, y1)`, line by line.
fn cell_text(
    glyphs: &[Glyph],
    used: &mut [bool],
    (x0, x1, y0, y1): (f32, f32, f32, f32),
) -> String {
    let mut inside = Vec::new();
    for (i, g) in glyphs.iter().enumerate() {
        let (cx, cy) = (g.x + g.w / 2.0, g.y + g.size * 0.3);
        if !used[i] && x0 <= cx && cx <= x1 && y0 <= cy && cy <= y1 {
            used[i] = true;
            inside.push(g.clone());
        }
    }
    let lines = super::layout::lines(&inside);
    join_lines(lines.iter().map(Line::text))
}

/// Unruled tables: runs of at least [`MIN_GAP_ROWS`] lines split into two or more
/// segments by wide gaps, with columns where the gaps of the run line up.
pub fn gapped(lines: &[Line]) -> Vec<(usize, usize, Vec<Vec<GridCell>>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        while i < lines.len() && lines[i].segments.len() >= 2 {
            i += 1;
        }
        if i - start >= MIN_GAP_ROWS
            && let Some(rows) = columns(&lines[start..i])
        {
            out.push((start, i, rows));
        }
        if i == start {
            i += 1;
        }
    }
    out
}

/// Fewest rows of an unruled table.
const MIN_GAP_ROWS: usize = 3;

/// Columns from the x-extents of all segments: an x range no segment covers is a
/// column gap.
fn columns(lines: &[Line]) -> Option<Vec<Vec<GridCell>>> {
    let mut spans: Vec<(f32, f32)> = lines
        .iter()
        .flat_map(|l| l.segments.iter().map(|s| (s.x0, s.x1)))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cols: Vec<(f32, f32)> = Vec::new();
    for (x0, x1) in spans {
        match cols.last_mut() {
            Some(last) if x0 <= last.1 + 1.0 => last.1 = last.1.max(x1),
            _ => cols.push((x0, x1)),
        }
    }
    if cols.len() < 2 {
        return None;
    }
    let mut grid = Grid::default();
    for (r, line) in lines.iter().enumerate() {
        let mut texts = vec![String::new(); cols.len()];
        for s in &line.segments {
            let c = cols.iter().position(|c| s.x0 >= c.0 - 1.0 && s.x0 <= c.1)?;
            if !texts[c].is_empty() {
                texts[c].push(' ');
            }
            texts[c].push_str(&s.text);
        }
        for text in texts {
            grid.place(r, text, 1, 1);
        }
    }
    Some(grid.finish())
}
