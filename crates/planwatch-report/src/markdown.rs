//! The report as Markdown (GitHub tables), for review in a repository or an issue.
//! Charts are left out: Markdown has no standard way to inline SVG.

use crate::report::blocks::{Block, Row, Table};
use crate::report::{Report, blocks};

/// Escape text for a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn table(out: &mut String, t: &Table) {
    if !t.caption.is_empty() {
        out.push_str(&format!("{}\n\n", t.caption));
    }
    out.push_str(&format!("| {} |\n", t.headers.join(" | ")));
    out.push_str(&format!(
        "|{}\n",
        t.headers.iter().map(|_| "---|").collect::<String>()
    ));
    for r in &t.rows {
        let cells: Vec<String> = match r {
            // A group row: its name, bold, in the name column.
            Row::Group(g) => (0..t.headers.len())
                .map(|i| {
                    if i == 1 {
                        format!("**{}**", cell(g))
                    } else {
                        String::new()
                    }
                })
                .collect(),
            Row::Cells(cells) => cells.iter().map(|c| cell(&c.text)).collect(),
        };
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
}

fn block(s: &mut String, b: &Block) {
    match b {
        Block::Title {
            title,
            subtitle,
            dateline,
        } => s.push_str(&format!("# {title}{subtitle}\n\n{dateline}\n\n")),
        Block::Heading { level, text } => s.push_str(&format!(
            "{} {text}\n\n",
            "#".repeat(usize::from(*level) + 1)
        )),
        Block::Paragraph { text, .. } => s.push_str(&format!("{text}\n\n")),
        Block::List { ordered, items } => {
            for (i, item) in items.iter().enumerate() {
                if *ordered {
                    s.push_str(&format!("{}. {item}\n", i + 1));
                } else {
                    s.push_str(&format!("- {item}\n"));
                }
            }
            s.push('\n');
        }
        Block::Table(t) => table(s, t),
        Block::Chart(_) => {}
        Block::Item { title, body } => {
            s.push_str(&format!("**{title}**\n\n"));
            for b in body {
                block(s, b);
            }
        }
        Block::Entries(entries) => {
            for (i, e) in entries.iter().enumerate() {
                s.push_str(&format!("{}. {}\n", i + 1, e.text));
                for d in &e.details {
                    s.push_str(&format!("   - {d}\n"));
                }
            }
            s.push('\n');
        }
        Block::Appendix(blocks) => {
            for b in blocks {
                block(s, b);
            }
        }
    }
}

/// Neutralise raw HTML in the finished Markdown. CommonMark reads `<` followed by a
/// letter, `/`, `!` or `?` as the start of a tag, so document text such as `<script>` or
/// `<img onerror=…>` would reach whoever renders the report. Such a `<` becomes `&lt;`
/// (which renders as `<`); `P<1.05` and `≤` stay as written.
fn no_raw_html(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut chars = md.chars().peekable();
    while let Some(c) = chars.next() {
        let tag_start = chars
            .peek()
            .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'));
        if c == '<' && tag_start {
            out.push_str("&lt;");
        } else {
            out.push(c);
        }
    }
    out
}

/// Render the report as Markdown; text from documents and data cannot carry raw HTML.
pub fn render(r: &Report) -> String {
    no_raw_html(&render_raw(r))
}

fn render_raw(r: &Report) -> String {
    let mut s = String::new();
    for b in blocks(r) {
        block(&mut s, &b);
    }
    // One newline at the end, not the blank line every block leaves.
    s.truncate(s.trim_end().len());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_neutralised() {
        let check = |md: &str, expect: &str| assert_eq!(no_raw_html(md), expect, "{md}");
        check(
            "<script>alert(1)</script>",
            "&lt;script>alert(1)&lt;/script>",
        );
        check(
            "| <img src=x onerror=alert(1)> |",
            "| &lt;img src=x onerror=alert(1)> |",
        );
        check("<!-- x -->", "&lt;!-- x -->");
        check("0.95≤P<1.05", "0.95≤P<1.05");
        check("a < b", "a < b");
        check("末尾<", "末尾<");
    }
}
