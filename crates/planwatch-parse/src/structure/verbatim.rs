//! Put the verbatim source text back into every emitted text field.
//!
//! The structure stage matches on the width-folded shadow copy of each line, so the
//! strings it builds are shadow text (`(一)`, `2025年GDP`). The contract wants the
//! source as written (`（一）`, `２０２５年ＧＤＰ`). Each field is looked up in the
//! shadow lines around the item's source line and replaced by the raw slice behind
//! it; text that is not a slice of the source (a two-row header `上 > 下`, a title
//! joined from two lines) is restored piece by piece. Lines whose shadow equals the
//! raw text are skipped, so plain documents pay almost nothing.

use planwatch_core::plan::{Plan, Table, ValueCell};

use super::doc::Line;

/// Replace shadow text by source text in every text field of `plan`.
pub fn restore(plan: &mut Plan, lines: &[Line]) {
    if lines.iter().all(Line::is_verbatim) {
        return;
    }
    let f = Finder { lines };
    let head = lines.len().min(60);
    f.fix(&mut plan.title, 1, 1, head);
    f.fix(&mut plan.region, 1, 1, head);
    for h in &mut plan.outline {
        f.fix_str(&mut h.number, h.line, h.line, h.line);
        f.fix_str(&mut h.title, h.line, h.line, h.line + 2);
    }
    for t in &mut plan.tables {
        restore_table(&f, t);
    }
    for ind in &mut plan.indicators {
        let (lo, hi) = plan
            .tables
            .iter()
            .find(|t| t.line_start <= ind.line && ind.line <= t.line_end)
            .map_or((ind.line, ind.line), |t| (t.line_start, t.line_end));
        let at = ind.line;
        f.fix_str(&mut ind.name, at, lo, hi);
        f.fix(&mut ind.unit, at, lo, hi);
        f.fix(&mut ind.category, at, lo, hi);
        for cell in [&mut ind.baseline, &mut ind.target].into_iter().flatten() {
            fix_cell(&f, cell, at, lo, hi);
        }
        if let Some(g) = &mut ind.growth {
            f.fix_str(&mut g.text, at, lo, hi);
        }
    }
    // Targets of a line come in reading order: search each from where the last one was
    // found, so a line with many targets is read once, not once per target.
    let mut cursor = (0usize, 0usize);
    for t in &mut plan.targets {
        let Some(line) = f.line(t.line) else { continue };
        if cursor.0 != t.line {
            cursor = (t.line, 0);
        }
        let found = line
            .find_raw(&t.text, cursor.1)
            .or_else(|| line.find_raw(&t.text, 0));
        let Some((raw, start, end)) = found else {
            continue;
        };
        cursor.1 = start;
        let clause = &line.text[start..end];
        let in_clause = |s: &str| {
            clause
                .find(s)
                .map(|p| line.raw_range(start + p, start + p + s.len()).to_string())
        };
        if let Some(ind) = in_clause(&t.indicator) {
            t.indicator = ind;
        } else {
            f.fix_str(&mut t.indicator, t.line, t.line.saturating_sub(5), t.line);
        }
        if let Some(unit) = t.unit.as_deref().and_then(in_clause) {
            t.unit = Some(unit);
        }
        t.text = raw.to_string();
    }
    for b in &mut plan.boxes {
        f.fix_str(&mut b.title, b.line, b.line, b.line);
        for item in &mut b.items {
            f.fix_str(&mut item.text, item.line, item.line, item.line);
        }
    }
    for p in &mut plan.projects {
        f.fix_str(&mut p.name, p.line, p.line, p.line);
        if let Some(inv) = &mut p.investment {
            f.fix_str(&mut inv.text, p.line, p.line, p.line);
            f.fix_str(&mut inv.unit, p.line, p.line, p.line);
        }
    }
}

fn restore_table(f: &Finder, t: &mut Table) {
    let (lo, hi) = (t.line_start, t.line_end);
    f.fix(&mut t.title, lo, lo, hi);
    for h in &mut t.header {
        let parts: Vec<String> = h
            .split(" > ")
            .map(|part| {
                f.resolve(part, lo, lo, hi)
                    .unwrap_or_else(|| part.to_string())
            })
            .collect();
        *h = parts.join(" > ");
    }
    for row in &mut t.rows {
        for c in &mut row.cells {
            f.fix_str(c, row.line, lo, hi);
        }
        f.fix(&mut row.category, row.line, lo, hi);
    }
    for n in &mut t.notes {
        f.fix_str(n, hi, hi.saturating_sub(3), hi);
    }
}

fn fix_cell(f: &Finder, cell: &mut ValueCell, at: usize, lo: usize, hi: usize) {
    f.fix_str(&mut cell.text, at, lo, hi);
}

/// Looks shadow strings up in the lines of the document.
struct Finder<'l, 'a> {
    lines: &'l [Line<'a>],
}

impl<'l, 'a> Finder<'l, 'a> {
    fn line(&self, no: usize) -> Option<&'l Line<'a>> {
        no.checked_sub(1).and_then(|i| self.lines.get(i))
    }

    fn fix(&self, field: &mut Option<String>, at: usize, lo: usize, hi: usize) {
        if let Some(s) = field {
            self.fix_str(s, at, lo, hi);
        }
    }

    fn fix_str(&self, field: &mut String, at: usize, lo: usize, hi: usize) {
        if let Some(raw) = self.resolve(field, at, lo, hi) {
            *field = raw;
        }
    }

    /// The source text behind `s`, looked for in line `at` first, then in the lines after
    /// it up to `hi`, then in those before it down to `lo`. `None` when the lines hold `s`
    /// verbatim already, or do not hold it at all.
    fn resolve(&self, s: &str, at: usize, lo: usize, hi: usize) -> Option<String> {
        let lo = lo.max(1).min(at);
        let hi = hi.max(at);
        if s.is_empty() || (lo..=hi).all(|no| self.line(no).is_none_or(Line::is_verbatim)) {
            return None;
        }
        let order = (at..=hi).chain((lo..at).rev());
        for no in order.clone() {
            let Some(line) = self.line(no) else { continue };
            if let Some((raw, _, _)) = line.find_raw(s, 0) {
                return Some(raw.to_string());
            }
        }
        // Not a slice of one line: the end of one line joined to the start of the next.
        for no in order {
            if let Some(joined) = self.joined(s, no) {
                return Some(joined);
            }
        }
        None
    }

    /// `s` as the tail of line `no` followed by the head of line `no + 1`.
    fn joined(&self, s: &str, no: usize) -> Option<String> {
        let first = self.line(no)?;
        let next = self.line(no + 1)?;
        let text = first.text.as_str();
        let split = text
            .char_indices()
            .map(|(i, _)| i)
            .find(|&i| s.len() > text.len() - i && s.starts_with(&text[i..]))?;
        let rest = &s[text.len() - split..];
        if !next.text.starts_with(rest) {
            return None;
        }
        Some(format!(
            "{}{}",
            first.raw_range(split, text.len()),
            next.raw_range(0, rest.len())
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::parse_str;

    #[test]
    fn full_width_source_text_comes_back_verbatim() {
        let text = "第一章　发展目标\n\
（一）经济更加发展。到２０２５年，全区ＧＤＰ达到１１３０亿元，城镇登记失业率控制在４．５％以内。\n\
表１：主要指标\n\
指标名称 | ２０２０年 | ２０２５年 | 属性 |\n\
地区生产总值（亿元） | ７３５ | １１３０ | 预期性 |\n\
城镇调查失业率（％） | ≤５ | ≤５．５以内 | 约束性 |\n\
专栏１：重点项目\n\
1．青溪产业园项目：总投资２５亿元。\n";
        let plan = parse_str(text, "full-width.txt");
        let h = &plan.outline[0];
        assert_eq!(
            (h.number.as_str(), h.title.as_str()),
            ("第一章", "发展目标")
        );
        let h = &plan.outline[1];
        assert_eq!(
            (h.number.as_str(), h.title.as_str()),
            ("（一）", "经济更加发展")
        );
        let t: Vec<(&str, &str, f64, &str)> = plan
            .targets
            .iter()
            .map(|t| {
                (
                    t.text.as_str(),
                    t.indicator.as_str(),
                    t.value,
                    t.unit.as_deref().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            t,
            [
                ("全区ＧＤＰ达到１１３０亿元", "ＧＤＰ", 1130.0, "亿元"),
                (
                    "城镇登记失业率控制在４．５％以内",
                    "城镇登记失业率",
                    4.5,
                    "％"
                ),
                // Box items are forward-looking text too.
                ("总投资２５亿元", "总投资", 25.0, "亿元"),
            ]
        );
        let table = &plan.tables[0];
        assert_eq!(
            table.header,
            ["指标名称", "２０２０年", "２０２５年", "属性"]
        );
        assert_eq!(table.rows[0].cells[0], "地区生产总值（亿元）");
        let gdp = &plan.indicators[0];
        assert_eq!(
            (gdp.name.as_str(), gdp.unit.as_deref()),
            ("地区生产总值", Some("亿元"))
        );
        let target = gdp.target.as_ref().unwrap();
        assert_eq!(
            (target.text.as_str(), target.value),
            ("１１３０", Some(1130.0))
        );
        let jobless = plan.indicators[1].target.as_ref().unwrap();
        assert_eq!(
            (jobless.text.as_str(), jobless.value),
            ("≤５．５以内", Some(5.5))
        );
        assert_eq!(plan.indicators[1].unit.as_deref(), Some("％"));
        assert_eq!(plan.boxes[0].title, "专栏１：重点项目");
        assert_eq!(
            plan.boxes[0].items[0].text,
            "1．青溪产业园项目：总投资２５亿元。"
        );
        let p = &plan.projects[0];
        assert_eq!(p.name, "青溪产业园项目");
        assert_eq!(p.investment.as_ref().unwrap().text, "总投资２５亿元");
    }

    #[test]
    fn a_heading_split_over_two_lines_is_restored_from_both() {
        let text = "第一章　扎实推进“三地四区”发展战略，开启全面建设社会主义\n现代化新征程（草案）\n正文。";
        let plan = parse_str(text, "split.txt");
        assert_eq!(
            plan.outline[0].title,
            "扎实推进“三地四区”发展战略，开启全面建设社会主义现代化新征程（草案）"
        );
    }
}
