//! Page numbers for paged sources (PDF): every item's line is looked up in the
//! decoder's list of page starts, so provenance says "page 12, line 345".

use planwatch_core::plan::Plan;

/// The 1-based page holding `line`, given the 1-based first line of each page.
fn page_of(line: usize, page_starts: &[usize]) -> Option<u32> {
    if page_starts.is_empty() {
        return None;
    }
    // Pages before the first start (a cover without text) count from the first.
    let index = page_starts.partition_point(|&start| start <= line).max(1);
    u32::try_from(index).ok()
}

/// Set `page` on every item of `plan` from its line; a no-op for unpaged sources.
pub fn assign_pages(plan: &mut Plan, page_starts: &[usize]) {
    if page_starts.is_empty() {
        return;
    }
    let page = |line: usize| page_of(line, page_starts);
    for h in &mut plan.outline {
        h.page = page(h.line);
    }
    for t in &mut plan.tables {
        t.page = page(t.line_start);
    }
    for i in &mut plan.indicators {
        i.page = page(i.line);
    }
    for t in &mut plan.targets {
        t.page = page(t.line);
    }
    for b in &mut plan.boxes {
        b.page = page(b.line);
    }
    for p in &mut plan.projects {
        p.page = page(p.line);
    }
    for f in &mut plan.figures {
        f.page = page(f.line);
    }
    for d in &mut plan.diagnostics {
        d.page = page(d.line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fall_on_their_pages() {
        let starts = [1, 40, 85];
        let check = |line, page| assert_eq!(page_of(line, &starts), Some(page), "line {line}");
        check(1, 1);
        check(39, 1);
        check(40, 2);
        check(84, 2);
        check(85, 3);
        check(10_000, 3);
        assert_eq!(page_of(5, &[]), None);
        // A first page without text: its lines do not exist, line 3 is on page 1.
        assert_eq!(page_of(3, &[3, 9]), Some(1));
    }
}
