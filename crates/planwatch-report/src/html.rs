//! The report as one standalone HTML file: inline SVG charts, no external assets,
//! print styles for A4 so a browser's "print to PDF" gives a usable document.

use crate::report::blocks::{Block, CellKind, Row, Style, Table};
use crate::report::{Report, blocks};

/// Escape text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = r#"
body { font-family: "FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", "SimSun", "宋体", serif;
  font-size: 16px; line-height: 1.75; color: #111; max-width: 960px; margin: 2em auto; padding: 0 1.5em; }
h1, h2, h3 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; font-weight: bold; }
h1 { font-size: 26px; text-align: center; line-height: 1.5; margin: 1.2em 0 0.3em; }
h1 span { display: block; }
.dateline { text-align: center; color: #444; margin-bottom: 2em; }
h2 { font-size: 20px; margin: 1.6em 0 0.6em; }
h3 { font-size: 17px; margin: 1.2em 0 0.4em; }
p { text-indent: 2em; margin: 0.4em 0; text-align: justify; }
p.note { text-indent: 0; font-size: 14px; color: #333; }
.summary { font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1em; font-size: 13px; line-height: 1.45; }
caption { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 14px; padding: 0.3em; }
th, td { border: 1px solid #555; padding: 3px 5px; vertical-align: top; }
th { background: #eef2f7; font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-weight: normal; }
td.n { text-align: right; white-space: nowrap; }
tr.group td { background: #f6f6f6; font-weight: bold; }
table.indicators td:nth-child(3), table.indicators td:nth-child(4) { white-space: nowrap; }
.s-lag { color: #b35900; } .s-severe { color: #b71c1c; font-weight: bold; } .s-good { color: #1b5e20; }
figure { margin: 0.8em auto; text-align: center; page-break-inside: avoid; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
.indicator { page-break-inside: avoid; break-inside: avoid; }
ol li, ul li { margin: 0.2em 0; }
.finding { margin: 0.5em 0; }
.finding div { margin-left: 2em; font-size: 14px; }
@page { size: A4; margin: 25mm 22mm 22mm 25mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 12pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  table { font-size: 9pt; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; break-inside: avoid; }
  .appendix { page-break-before: always; break-before: page; }
}
"#;

fn status_class(status: &str) -> &'static str {
    if status.starts_with("严重滞后") {
        "s-severe"
    } else if status.starts_with("滞后") {
        "s-lag"
    } else if ["提前实现", "已实现", "快于预期", "基本符合预期"]
        .iter()
        .any(|s| status.starts_with(s))
    {
        "s-good"
    } else {
        ""
    }
}

fn table(out: &mut String, t: &Table) {
    match t.name {
        Some(name) => out.push_str(&format!("<table class=\"{name}\">")),
        None => out.push_str("<table>"),
    }
    if !t.caption.is_empty() {
        out.push_str(&format!("<caption>{}</caption>", esc(&t.caption)));
    }
    out.push_str("<thead><tr>");
    for h in &t.headers {
        out.push_str(&format!("<th>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead><tbody>\n");
    for r in &t.rows {
        match r {
            Row::Group(g) => out.push_str(&format!(
                "<tr class=\"group\"><td colspan=\"{}\">{}</td></tr>\n",
                t.headers.len(),
                esc(g)
            )),
            Row::Cells(cells) => {
                out.push_str("<tr>");
                for c in cells {
                    match c.kind {
                        CellKind::Text => out.push_str(&format!("<td>{}</td>", esc(&c.text))),
                        CellKind::Number => {
                            out.push_str(&format!("<td class=\"n\">{}</td>", esc(&c.text)))
                        }
                        CellKind::Status => out.push_str(&format!(
                            "<td class=\"{}\">{}</td>",
                            status_class(&c.text),
                            esc(&c.text)
                        )),
                    }
                }
                out.push_str("</tr>\n");
            }
        }
    }
    out.push_str("</tbody></table>\n");
}

fn list(out: &mut String, ordered: bool, items: &[String]) {
    let tag = if ordered { "ol" } else { "ul" };
    out.push_str(&format!("<{tag}>\n"));
    for i in items {
        out.push_str(&format!("<li>{}</li>\n", esc(i)));
    }
    out.push_str(&format!("</{tag}>\n"));
}

fn block(s: &mut String, b: &Block) {
    match b {
        Block::Title {
            title,
            subtitle,
            dateline,
        } => s.push_str(&format!(
            "<h1><span>{}</span><span>{}</span></h1>\n<div class=\"dateline\">{}</div>\n",
            esc(title),
            esc(subtitle),
            esc(dateline)
        )),
        Block::Heading { level, text } => {
            let h = level + 1;
            s.push_str(&format!("<h{h}>{}</h{h}>\n", esc(text)));
        }
        Block::Paragraph { text, style } => match style {
            Style::Body => s.push_str(&format!("<p>{}</p>\n", esc(text))),
            Style::Emphasis => s.push_str(&format!("<p class=\"summary\">{}</p>\n", esc(text))),
            Style::Note => s.push_str(&format!("<p class=\"note\">{}</p>\n", esc(text))),
        },
        Block::List { ordered, items } => list(s, *ordered, items),
        Block::Table(t) => table(s, t),
        Block::Chart(c) => s.push_str(&format!("<figure>{}</figure>\n", c.to_svg().trim_end())),
        Block::Item { title, body } => {
            s.push_str(&format!(
                "<div class=\"indicator\"><p><strong>{}</strong></p>\n",
                esc(title)
            ));
            for b in body {
                block(s, b);
            }
            s.push_str("</div>\n");
        }
        Block::Entries(entries) => {
            for (i, e) in entries.iter().enumerate() {
                s.push_str(&format!(
                    "<div class=\"finding\">{}. {}",
                    i + 1,
                    esc(&e.text)
                ));
                for d in &e.details {
                    s.push_str(&format!("<div>{}</div>", esc(d)));
                }
                s.push_str("</div>\n");
            }
        }
        Block::Appendix(blocks) => {
            s.push_str("<section class=\"appendix\">\n");
            for b in blocks {
                block(s, b);
            }
            s.push_str("</section>\n");
        }
    }
}

/// The report's content (title to appendix) without `<html>`, `<head>` or styles.
fn body(r: &Report) -> String {
    let mut s = String::new();
    for b in blocks(r) {
        block(&mut s, &b);
    }
    s
}

/// The report as a standalone HTML document.
pub fn render(r: &Report) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        esc(&r.title),
        esc(&r.subtitle),
        body(r)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_status_classes() {
        assert_eq!(esc("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        let check = |s: &str, want: &str| assert_eq!(status_class(s), want, "{s}");
        check("严重滞后（预警）", "s-severe");
        check("滞后", "s-lag");
        check("基本符合预期", "s-good");
        check("数据不足", "");
    }
}
