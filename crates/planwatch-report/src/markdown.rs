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

/// Render the report as Markdown.
pub fn render(r: &Report) -> String {
    let mut s = String::new();
    for b in blocks(r) {
        block(&mut s, &b);
    }
    // One newline at the end, not the blank line every block leaves.
    s.truncate(s.trim_end().len());
    s.push('\n');
    s
}
