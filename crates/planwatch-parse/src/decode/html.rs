//! HTML pages to lines of text.
//!
//! A block-aware walk: block elements (p, div, h1–h6, li, br, tr, …) end lines, inline
//! elements do not, whitespace collapses to one space. Data tables become a grid
//! rendered one line per row (see [`super::table`]); tables used for page layout are
//! walked like blocks. When the page has an obvious content container (class or id
//! with `content`, `article`, `zoom`, `TRS_Editor`), only its lines form the body.
//! Site furniture anywhere on the page is returned apart.

use std::collections::{HashMap, HashSet};

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node};

use super::furniture::is_furniture;
use super::table::{DecodedTable, Grid, GridCell, GridRow, render_row};

/// Deeper nesting is flattened to its text, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 200;

/// A table cell holding more text than this is page layout, not data.
const LAYOUT_CELL_CHARS: usize = 500;

/// Class or id fragments naming the content container of CMS pages.
const CONTAINER_HINTS: &[&str] = &["content", "article", "zoom", "trs_editor", "detail", "zw"];

/// An HTML page as text: the body, its tables as grids, and the site furniture.
pub struct RenderedHtml {
    /// Body text, one block per line.
    pub text: String,
    /// The `<table>`s of the body, with the lines their rows were rendered to.
    pub tables: Vec<DecodedTable>,
    /// Breadcrumbs, 来源/发布时间, 打印本页 and the like.
    pub furniture: Vec<String>,
}

/// Render an HTML page to text lines.
pub fn render_html(html: &str) -> RenderedHtml {
    let html = flatten_deep_nesting(html);
    let doc = Html::parse_document(&html);
    let root = doc.root_element();
    let sizes = text_sizes(&doc);
    let container = find_container(root, &sizes);
    let mut walker = Walker::new(&sizes, container);
    if let Some(id) = container {
        // Ancestors of the container are layout, whatever they look like.
        let mut node = doc.tree.get(id).and_then(|n| n.parent());
        while let Some(n) = node {
            walker.container_path.insert(n.id());
            node = n.parent();
        }
    }
    walker.walk(root, 0);
    walker.flush();
    assemble(walker.lines, walker.grids, container.is_some())
}

/// Element nesting kept before parsing; deeper tags are dropped and their text kept.
const MAX_NESTING: usize = 400;

/// Tags that never nest (void elements) or whose end tag pages often leave out; they
/// do not count towards the nesting depth.
const UNCOUNTED: &[&str] = &[
    "br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody",
    "tfoot", "colgroup", "rb", "rt", "rp", "!doctype",
];

/// Drop the tags of elements nested deeper than [`MAX_NESTING`], keeping their text.
///
/// The HTML tree builder checks element scopes against the stack of open elements for
/// every start tag, so a page nesting tens of thousands of `<div>`s takes quadratic
/// time to parse. No real page nests that deep: beyond the limit only the text is kept.
/// One linear pass; pages within the limit are returned as they are.
fn flatten_deep_nesting(html: &str) -> std::borrow::Cow<'_, str> {
    let mut depth = 0usize;
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    let mut i = 0usize;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        let Some(len) = html[start..].find('>') else {
            break;
        };
        let end = start + len + 1;
        let tag = &html[start + 1..end - 1];
        if tag.starts_with("!--") {
            // A comment ends at -->, which may hold `>` before it.
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |p| start + p + 3);
            continue;
        }
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect::<String>()
            .to_ascii_lowercase();
        if matches!(name.as_str(), "script" | "style") && !closing {
            // Their content is text to the tree builder, not tags: skip to the end tag.
            let close = format!("</{name}");
            i = html[end..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(html.len(), |p| end + p);
            continue;
        }
        let counted =
            !name.is_empty() && !UNCOUNTED.contains(&name.as_str()) && !tag.ends_with('/');
        let drop = counted
            && if closing {
                let deep = depth > MAX_NESTING;
                depth = depth.saturating_sub(1);
                deep
            } else {
                depth += 1;
                depth > MAX_NESTING
            };
        if drop {
            let buf = out.get_or_insert_with(|| String::with_capacity(html.len()));
            buf.push_str(&html[copied..start]);
            copied = end;
        }
        i = end;
    }
    match out {
        Some(mut buf) => {
            buf.push_str(&html[copied..]);
            std::borrow::Cow::Owned(buf)
        }
        None => std::borrow::Cow::Borrowed(html),
    }
}

/// Where a line sits relative to the content container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Before,
    Inside,
    After,
}

#[derive(Debug)]
struct Line {
    text: String,
    phase: Phase,
    /// From an h1/h2 or an element whose class or id says `title`.
    title: bool,
    /// For a table row: the table's index in `Walker::grids` and the row's index.
    row: Option<(usize, usize)>,
}

/// Split lines into body and furniture; keep a page title found before the container.
fn assemble(lines: Vec<Line>, grids: Vec<Vec<Vec<GridCell>>>, has_container: bool) -> RenderedHtml {
    let mut body: Vec<String> = Vec::new();
    let mut furniture = Vec::new();
    let mut title = None;
    // (table, body index of the line, grid row) for every table row kept in the body.
    let mut placed: Vec<(usize, usize, usize)> = Vec::new();
    for line in lines {
        if is_furniture(&line.text) {
            furniture.push(line.text);
        } else if line.phase == Phase::Inside {
            if let Some((t, r)) = line.row {
                placed.push((t, body.len(), r));
            }
            body.push(line.text);
        } else if line.phase == Phase::Before && line.title {
            title = Some(line.text);
        }
    }
    let mut shift = 1;
    if let Some(title) = title.filter(|t| has_container && body.first() != Some(t)) {
        body.insert(0, title);
        shift = 2;
    }
    let mut grids: Vec<Option<Vec<Vec<GridCell>>>> = grids.into_iter().map(Some).collect();
    let mut tables: Vec<(usize, DecodedTable)> = Vec::new();
    for (t, index, r) in placed {
        let Some(cells) = grids
            .get_mut(t)
            .and_then(Option::as_mut)
            .and_then(|g| g.get_mut(r))
            .map(std::mem::take)
        else {
            continue;
        };
        let row = GridRow {
            line: index + shift,
            cells,
        };
        match tables.last_mut() {
            Some((last, table)) if *last == t => table.rows.push(row),
            _ => tables.push((t, DecodedTable { rows: vec![row] })),
        }
    }
    drop(grids);
    let mut text = body.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    RenderedHtml {
        text,
        tables: tables.into_iter().map(|(_, t)| t).collect(),
        furniture,
    }
}

struct Walker<'a> {
    sizes: &'a HashMap<NodeId, usize>,
    container: Option<NodeId>,
    container_path: HashSet<NodeId>,
    lines: Vec<Line>,
    /// Finished table grids, referred to by `Line::row`.
    grids: Vec<Vec<Vec<GridCell>>>,
    cur: String,
    space: bool,
    phase: Phase,
    title_depth: usize,
    article_depth: usize,
    pre_depth: usize,
}

impl<'a> Walker<'a> {
    fn new(sizes: &'a HashMap<NodeId, usize>, container: Option<NodeId>) -> Self {
        Walker {
            sizes,
            container,
            container_path: HashSet::new(),
            lines: Vec::new(),
            grids: Vec::new(),
            cur: String::new(),
            space: false,
            phase: if container.is_some() {
                Phase::Before
            } else {
                Phase::Inside
            },
            title_depth: 0,
            article_depth: 0,
            pre_depth: 0,
        }
    }

    fn walk(&mut self, el: ElementRef<'_>, depth: usize) {
        let name = el.value().name();
        if self.dropped(el) {
            return;
        }
        if depth > MAX_DEPTH {
            for text in el.text() {
                self.push_text(text);
            }
            return;
        }
        if name == "table" && !self.is_layout_table(el) {
            self.table(el, depth);
            return;
        }
        if name == "br" {
            self.flush();
            return;
        }
        let is_container = Some(el.id()) == self.container;
        let block = is_container || is_block(name);
        let titleish = matches!(name, "h1" | "h2") || hint(el, |h| h.contains("title"));
        let article = matches!(name, "article" | "main");
        if block {
            self.flush();
        }
        if is_container {
            self.phase = Phase::Inside;
        }
        self.title_depth += usize::from(titleish);
        self.article_depth += usize::from(article);
        self.pre_depth += usize::from(name == "pre");
        for child in el.children() {
            match child.value() {
                Node::Text(text) => self.push_text(text),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        self.walk(child, depth + 1);
                    }
                }
                _ => {}
            }
        }
        if block {
            self.flush();
        }
        if is_container {
            self.phase = Phase::After;
        }
        self.title_depth -= usize::from(titleish);
        self.article_depth -= usize::from(article);
        self.pre_depth -= usize::from(name == "pre");
    }

    fn dropped(&self, el: ElementRef<'_>) -> bool {
        let name = el.value().name();
        if is_dropped(name) {
            return true;
        }
        if matches!(name, "header" | "footer") && self.article_depth == 0 {
            return true;
        }
        hidden(el)
    }

    /// A table is layout when it holds the content container, another table, or
    /// a cell with a page's worth of text.
    fn is_layout_table(&self, table: ElementRef<'_>) -> bool {
        if self.container_path.contains(&table.id()) {
            return true;
        }
        table
            .descendent_elements()
            .skip(1)
            .any(|d| match d.value().name() {
                "table" => true,
                "td" | "th" => self.sizes.get(&d.id()).copied().unwrap_or(0) > LAYOUT_CELL_CHARS,
                _ => false,
            })
    }

    fn table(&mut self, table: ElementRef<'_>, depth: usize) {
        self.flush();
        let mut rows = Vec::new();
        for child in table.child_elements() {
            match child.value().name() {
                "tr" => rows.push(child),
                "thead" | "tbody" | "tfoot" => {
                    rows.extend(child.child_elements().filter(|e| e.value().name() == "tr"));
                }
                "caption" => self.walk(child, depth + 1),
                _ => {}
            }
        }
        let mut grid = Grid::default();
        for (r, tr) in rows.iter().enumerate() {
            grid.touch(r);
            for cell in tr
                .child_elements()
                .filter(|e| matches!(e.value().name(), "td" | "th"))
            {
                if hidden(cell) {
                    continue;
                }
                let left = rows.len() - r;
                let rowspan = match span(cell, "rowspan") {
                    0 => left,
                    n => n.min(left),
                };
                let colspan = span(cell, "colspan").max(1);
                grid.place(r, self.cell_text(cell, depth), rowspan, colspan);
            }
        }
        let phase = self.phase;
        let title = self.title_depth > 0;
        let rows = grid.finish();
        let t = self.grids.len();
        for (r, row) in rows.iter().enumerate() {
            self.lines.push(Line {
                text: render_row(row),
                phase,
                title,
                row: Some((t, r)),
            });
        }
        self.grids.push(rows);
    }

    /// A cell's lines joined with a space.
    fn cell_text(&self, cell: ElementRef<'_>, depth: usize) -> String {
        let mut sub = Walker::new(self.sizes, None);
        sub.article_depth = self.article_depth;
        for child in cell.children() {
            match child.value() {
                Node::Text(text) => sub.push_text(text),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        sub.walk(child, depth + 2);
                    }
                }
                _ => {}
            }
        }
        sub.flush();
        let texts: Vec<String> = sub.lines.into_iter().map(|l| l.text).collect();
        texts.join(" ")
    }

    fn push_text(&mut self, text: &str) {
        if self.pre_depth > 0 {
            for (i, segment) in text.split('\n').enumerate() {
                if i > 0 {
                    self.flush();
                }
                self.push_collapsed(segment);
            }
        } else {
            self.push_collapsed(text);
        }
    }

    /// Append text with whitespace runs collapsed; U+3000 is text, not whitespace.
    fn push_collapsed(&mut self, text: &str) {
        for ch in text.chars() {
            if ch.is_ascii_whitespace() || ch == '\u{a0}' {
                self.space = true;
            } else {
                if self.space && !self.cur.is_empty() {
                    self.cur.push(' ');
                }
                self.space = false;
                self.cur.push(ch);
            }
        }
    }

    fn flush(&mut self) {
        self.space = false;
        if self.cur.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.cur);
        self.lines.push(Line {
            text,
            phase: self.phase,
            title: self.title_depth > 0,
            row: None,
        });
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
    )
}

/// Elements whose content is never document text.
fn is_dropped(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "canvas"
            | "select"
            | "button"
            | "input"
            | "textarea"
            | "nav"
            | "aside"
            | "map"
    )
}

fn hidden(el: ElementRef<'_>) -> bool {
    el.value().attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

/// Test the lower-cased class and id of an element.
fn hint(el: ElementRef<'_>, test: impl Fn(&str) -> bool) -> bool {
    let value = el.value();
    [value.attr("class"), value.id()]
        .into_iter()
        .flatten()
        .any(|h| test(&h.to_ascii_lowercase()))
}

/// A rowspan/colspan attribute; missing or unreadable means 1.
fn span(cell: ElementRef<'_>, attr: &str) -> usize {
    let Some(value) = cell.value().attr(attr) else {
        return 1;
    };
    let digits: String = value
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(6)
        .collect();
    digits.parse().unwrap_or(1)
}

/// Non-whitespace characters of text under each element, dropped elements counting 0.
fn text_sizes(doc: &Html) -> HashMap<NodeId, usize> {
    use ego_tree::iter::Edge;
    let mut sizes = HashMap::new();
    let mut stack: Vec<usize> = vec![0];
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(_) => stack.push(0),
            Edge::Close(node) => {
                let mut size = stack.pop().unwrap_or(0);
                match node.value() {
                    Node::Text(text) => size = text.chars().filter(|c| !c.is_whitespace()).count(),
                    Node::Element(el) => {
                        let name = el.name();
                        if is_dropped(name) || matches!(name, "header" | "footer") {
                            size = 0;
                        }
                        sizes.insert(node.id(), size);
                    }
                    _ => {}
                }
                if let Some(parent) = stack.last_mut() {
                    *parent += size;
                }
            }
        }
    }
    sizes
}

/// The content container: among elements hinted as content (or article/main), the
/// smallest one still holding 80% of the largest one's text, if that is a quarter of
/// the page's text.
fn find_container(root: ElementRef<'_>, sizes: &HashMap<NodeId, usize>) -> Option<NodeId> {
    let size = |el: ElementRef<'_>| sizes.get(&el.id()).copied().unwrap_or(0);
    let candidates: Vec<(NodeId, usize)> = root
        .descendent_elements()
        .filter(|el| {
            matches!(el.value().name(), "article" | "main")
                || hint(*el, |h| CONTAINER_HINTS.iter().any(|c| h.contains(c)))
        })
        .map(|el| (el.id(), size(el)))
        .collect();
    let largest = candidates.iter().map(|c| c.1).max().filter(|&m| m > 0)?;
    let (id, chosen) = candidates
        .into_iter()
        .filter(|c| c.1 * 5 >= largest * 4)
        .min_by_key(|c| c.1)?;
    (chosen * 4 >= size(root)).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str, body: &[&str], furniture: &[&str]) {
        let RenderedHtml {
            text,
            furniture: found,
            ..
        } = render_html(html);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines, body, "body of {html}");
        assert_eq!(found, furniture, "furniture of {html}");
    }

    #[test]
    fn blocks_end_lines_and_inline_elements_do_not() {
        check(
            "<p>第一章 <b>总体</b><span>要求</span></p><div>一、指导思想<div>坚持稳中求进。</div></div>",
            &["第一章 总体要求", "一、指导思想", "坚持稳中求进。"],
            &[],
        );
    }

    #[test]
    fn br_breaks_lines_and_empty_lines_vanish() {
        check(
            "<p>第一节 发展基础<br>“十三五”以来,全区经济平稳增长。<br><br></p>",
            &["第一节 发展基础", "“十三五”以来,全区经济平稳增长。"],
            &[],
        );
    }

    #[test]
    fn whitespace_collapses_and_entities_decode() {
        check(
            "<p>&nbsp;&nbsp;地区生产总值\n   达到&lt;1130&gt;亿元&amp;以上</p><p>\u{3000}\u{3000}（一）全面深化改革</p>",
            &[
                "地区生产总值 达到<1130>亿元&以上",
                "\u{3000}\u{3000}（一）全面深化改革",
            ],
            &[],
        );
    }

    #[test]
    fn scripts_styles_and_navigation_are_dropped() {
        check(
            "<head><title>规划</title><style>p{}</style></head><body><nav>网站首页 政务公开</nav>\
             <script>var a='<p>x</p>';</script><header>岳阳楼区人民政府</header>\
             <p>第二章 发展目标</p><p style='display: none'>隐藏</p><footer>版权所有</footer></body>",
            &["第二章 发展目标"],
            &[],
        );
    }

    #[test]
    fn table_with_rowspan_and_colspan() {
        let html = "<table>\
            <tr><th>类别</th><th>指标</th><th>2020年</th><th>2025年</th><th>属性</th></tr>\
            <tr><td colspan=5>一、经济更加发展(8项)</td></tr>\
            <tr><td rowspan=2>经济发展</td><td>地区生产总值<br>(亿元)</td><td>735</td><td>1130</td><td>预期性</td></tr>\
            <tr><td>一般公共预算收入(亿元)</td><td>25.2</td><td>32</td><td>预期性</td></tr>\
            </table><p>注:[ ]为五年累计数。</p>";
        check(
            html,
            &[
                "类别 | 指标 | 2020年 | 2025年 | 属性 |",
                "一、经济更加发展(8项) | | | | |",
                "经济发展 | 地区生产总值 (亿元) | 735 | 1130 | 预期性 |",
                "| 一般公共预算收入(亿元) | 25.2 | 32 | 预期性 |",
                "注:[ ]为五年累计数。",
            ],
            &[],
        );
    }

    #[test]
    fn hostile_spans_do_not_blow_up() {
        check(
            "<table><tr><td rowspan=0>a</td><td colspan=99999999>b</td></tr><tr><td>c</td></tr></table>",
            &[
                &format!("a | b |{}", " |".repeat(99)),
                &format!("| c |{}", " |".repeat(99)),
            ],
            &[],
        );
    }

    #[test]
    fn layout_tables_are_walked_as_blocks() {
        let long = "发展".repeat(300);
        let html = format!(
            "<table><tr><td><p>第一章 总体要求</p><p>{long}</p></td><td>友情链接</td></tr></table>"
        );
        check(&html, &["第一章 总体要求", &long, "友情链接"], &[]);
    }

    #[test]
    fn content_container_and_furniture() {
        let html = "<body><div class='top'>首页 | 政务公开 | 互动交流</div>\
            <div class='crumb'>首页 > 政府信息公开 > 规划计划</div>\
            <h1 class='title'>岳阳楼区国民经济和社会发展第十四个五年规划纲要</h1>\
            <div class='info'>发布时间:2021-06-01 来源:区发改局</div>\
            <div class='zoom TRS_Editor'><p>第一章 发展基础</p><p>全区经济实力显著增强。</p>\
            <p>“十三五”以来,全区地区生产总值年均增长8.1%,2020年达到735亿元,占全市比重18.31%,核心增长极效应凸显。</p>\
            <p>【字体:大 中 小】</p></div>\
            <div class='tools'>【打印本页】【关闭窗口】</div><div>相关链接</div></body>";
        check(
            html,
            &[
                "岳阳楼区国民经济和社会发展第十四个五年规划纲要",
                "第一章 发展基础",
                "全区经济实力显著增强。",
                "“十三五”以来,全区地区生产总值年均增长8.1%,2020年达到735亿元,占全市比重18.31%,核心增长极效应凸显。",
            ],
            &[
                "首页 > 政府信息公开 > 规划计划",
                "发布时间:2021-06-01 来源:区发改局",
                "【字体:大 中 小】",
                "【打印本页】【关闭窗口】",
            ],
        );
    }

    #[test]
    fn no_container_keeps_every_line() {
        check(
            "<div class='wrap'><p>首页 > 规划计划</p><div><p>一、主要目标</p></div></div>",
            &["一、主要目标"],
            &["首页 > 规划计划"],
        );
    }

    #[test]
    fn nesting_beyond_the_limit_keeps_its_text_in_linear_time() {
        let depth = 20_000;
        let html = format!(
            "<html><body>{}<p>到2025年,地区生产总值达到1130亿元。</p>{}<p>第二段。</p></body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let flat = flatten_deep_nesting(&html);
        // <html> and <body> count too.
        assert_eq!(flat.matches("<div>").count(), MAX_NESTING - 2);
        let text = render_html(&html).text;
        assert!(
            text.contains("到2025年,地区生产总值达到1130亿元。"),
            "{text}"
        );
        assert!(text.contains("第二段。"));
        // Pages within the limit are not copied.
        assert!(matches!(
            flatten_deep_nesting("<div><p>a</p></div>"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn deep_nesting_is_flattened_not_overflowed() {
        let html = format!("{}第一章{}", "<div>".repeat(5000), "</div>".repeat(5000));
        let text = render_html(&html).text;
        assert_eq!(text, "第一章\n");
    }
}
