//! The report as a Word document, written as WordprocessingML in a zip by hand: the
//! format needs only a handful of parts, and writing them ourselves keeps the styles
//! exactly as Chinese government documents want them.
//!
//! - Styles name the fonts per script: 仿宋_GB2312 for body text, 黑体 for first-level
//!   headings, 楷体_GB2312 for second-level ones, 宋体 for the title and as the declared
//!   fallback (`w:altName` in the font table), Times New Roman for Latin text and digits.
//! - Headings use Word's built-in `heading 1..3` styles with outline levels, so the
//!   navigation pane and a table of contents work.
//! - Tables are real Word tables (fixed grid, repeated header row); charts are PNG images
//!   rasterized from our SVG.
//! - Output is deterministic: fixed zip timestamps, no creation dates, ids in order.

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::ReportError;
use crate::raster::svg_to_png;
use crate::report::blocks::{Block, Row, Style};
use crate::report::{Report, blocks};

/// Text width of an A4 page with the margins below, in twentieths of a point
/// (11906 − 1588 − 1474).
const TEXT_WIDTH: u32 = 8844;
/// Chart size in EMU (1 cm = 360000): 15 cm × 7.5 cm, the SVG's 2:1.
const CHART_CX: u64 = 5_400_000;
const CHART_CY: u64 = 2_700_000;

/// Escape text for XML.
fn x(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A body being written: paragraphs and tables, plus the images they reference.
struct Body {
    xml: String,
    images: Vec<Vec<u8>>,
}

impl Body {
    fn run(text: &str, bold: bool) -> String {
        let rpr = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
        format!(
            "<w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
            x(text)
        )
    }

    fn para(&mut self, style: &str, text: &str) {
        let _ = write!(
            self.xml,
            "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{}</w:p>",
            Body::run(text, false)
        );
    }

    fn bold_para(&mut self, style: &str, text: &str) {
        let _ = write!(
            self.xml,
            "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{}</w:p>",
            Body::run(text, true)
        );
    }

    fn heading(&mut self, level: u8, text: &str) {
        self.para(&format!("Heading{level}"), text);
    }

    /// A PNG of the SVG chart, centred; a note instead if it cannot be rasterized.
    fn chart(&mut self, svg: &str, title: &str) {
        let png = match svg_to_png(svg, 2.0) {
            Ok(png) => png,
            Err(_) => {
                self.para("Note", &format!("（图表“{title}”无法生成）"));
                return;
            }
        };
        self.images.push(png);
        let n = self.images.len();
        let _ = write!(
            self.xml,
            concat!(
                "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/></w:pPr><w:r><w:drawing>",
                "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">",
                "<wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:docPr id=\"{n}\" name=\"图{n}\" descr=\"{d}\"/>",
                "<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>",
                "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">",
                "<pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"chart{n}.png\"/><pic:cNvPicPr/></pic:nvPicPr>",
                "<pic:blipFill><a:blip r:embed=\"rIdImage{n}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>",
                "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm>",
                "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>",
                "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
            ),
            cx = CHART_CX,
            cy = CHART_CY,
            n = n,
            d = x(title),
        );
    }

    /// A table with a caption above, a repeated header row, optional full-width group rows
    /// (a row with a single cell) and column widths in proportion to `weights`.
    fn table(&mut self, caption: &str, weights: &[u32], headers: &[&str], rows: &[Vec<String>]) {
        if !caption.is_empty() {
            self.para("Caption", caption);
        }
        let total: u32 = weights.iter().sum::<u32>().max(1);
        let widths: Vec<u32> = weights.iter().map(|w| w * TEXT_WIDTH / total).collect();
        let full: u32 = widths.iter().sum();
        self.xml.push_str(concat!(
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"ReportTable\"/>",
            "<w:tblW w:w=\"0\" w:type=\"auto\"/><w:jc w:val=\"center\"/><w:tblLayout w:type=\"fixed\"/>",
            "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/>",
            "</w:tblPr><w:tblGrid>"
        ));
        for w in &widths {
            let _ = write!(self.xml, "<w:gridCol w:w=\"{w}\"/>");
        }
        self.xml.push_str("</w:tblGrid>");
        self.xml
            .push_str("<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
        for (h, w) in headers.iter().zip(&widths) {
            let _ = write!(
                self.xml,
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7ECF3\"/><w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableHeader\"/></w:pPr>{}</w:p></w:tc>",
                Body::run(h, false)
            );
        }
        self.xml.push_str("</w:tr>");
        for r in rows {
            self.xml.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            if r.len() == 1 {
                let _ = write!(
                    self.xml,
                    "<w:tc><w:tcPr><w:tcW w:w=\"{full}\" w:type=\"dxa\"/><w:gridSpan w:val=\"{}\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F3F3F3\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/><w:keepNext/></w:pPr>{}</w:p></w:tc>",
                    widths.len(),
                    Body::run(&r[0], true)
                );
            } else {
                for (c, w) in r.iter().zip(&widths) {
                    let _ = write!(
                        self.xml,
                        "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr>{}</w:p></w:tc>",
                        Body::run(c, false)
                    );
                }
            }
            self.xml.push_str("</w:tr>");
        }
        self.xml.push_str("</w:tbl>");
        // Word needs a paragraph between two tables and after the last one.
        self.para("TableGap", "");
    }
}

impl Body {
    fn block(&mut self, b: &Block) {
        match b {
            Block::Title {
                title,
                subtitle,
                dateline,
            } => {
                self.para("Title", title);
                self.para("Title", subtitle);
                self.para("Dateline", dateline);
            }
            Block::Heading { level, text } => self.heading(*level, text),
            Block::Paragraph { text, style } => match style {
                Style::Body => self.para("BodyText", text),
                Style::Emphasis => self.bold_para("BodyText", text),
                Style::Note => self.para("Note", text),
            },
            Block::List { ordered, items } => {
                for (i, item) in items.iter().enumerate() {
                    if *ordered {
                        self.para("BodyText", &format!("{}. {item}", i + 1));
                    } else {
                        self.para("BodyText", item);
                    }
                }
            }
            Block::Table(t) => {
                let headers: Vec<&str> = t.headers.iter().map(String::as_str).collect();
                let rows: Vec<Vec<String>> = t
                    .rows
                    .iter()
                    .map(|r| match r {
                        Row::Group(g) => vec![g.clone()],
                        Row::Cells(cells) => cells.iter().map(|c| c.text.clone()).collect(),
                    })
                    .collect();
                self.table(&t.caption, &t.weights, &headers, &rows);
            }
            Block::Chart(c) => self.chart(&c.to_svg(), c.title()),
            Block::Item { title, body } => {
                self.heading(3, title);
                for b in body {
                    self.block(b);
                }
            }
            Block::Entries(entries) => {
                for (i, e) in entries.iter().enumerate() {
                    self.para("BodyText", &format!("{}. {}", i + 1, e.text));
                    for d in &e.details {
                        self.para("Note", d);
                    }
                }
            }
            Block::Appendix(blocks) => {
                self.xml
                    .push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
                for b in blocks {
                    self.block(b);
                }
            }
        }
    }
}

fn body(r: &Report) -> Body {
    let mut b = Body {
        xml: String::new(),
        images: Vec::new(),
    };
    for block in blocks(r) {
        b.block(&block);
    }
    b
}

const NS: &str = concat!(
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" ",
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" ",
    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" ",
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" ",
    "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\""
);

/// A4 portrait; margins after GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm).
const SECTION: &str = concat!(
    "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>",
    "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>",
    "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>",
    "<w:cols w:space=\"425\"/></w:sectPr>"
);

fn document_xml(b: &Body) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NS}><w:body>{}{SECTION}</w:body></w:document>",
        b.xml
    )
}

/// Run fonts: Latin and digits in Times New Roman, Chinese in `east_asia`.
fn fonts(east_asia: &str) -> String {
    format!(
        "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"{east_asia}\" w:cs=\"Times New Roman\"/>"
    )
}

fn styles_xml() -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    );
    // Defaults: 三号 (16 pt) 仿宋_GB2312, zh-CN.
    let _ = write!(
        s,
        "<w:docDefaults><w:rPrDefault><w:rPr>{}<w:kern w:val=\"2\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>",
        fonts("仿宋_GB2312")
    );
    let mut style = |id: &str, name: &str, ppr: &str, rpr: &str, extra: &str| {
        let _ = write!(
            s,
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>{extra}<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        );
    };
    // Exact 28 pt lines (560) as in official documents; 2-character first-line indent.
    style(
        "Normal",
        "Normal",
        "<w:spacing w:line=\"560\" w:lineRule=\"exact\"/>",
        "",
        "<w:qFormat/>",
    );
    style(
        "BodyText",
        "Body Text",
        "<w:spacing w:line=\"560\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>",
        "",
        "<w:basedOn w:val=\"Normal\"/><w:qFormat/>",
    );
    style(
        "Title",
        "Title",
        "<w:keepNext/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"700\" w:lineRule=\"exact\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"9\"/>",
        &format!(
            "{}<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>",
            fonts("方正小标宋简体")
        ),
        "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:qFormat/>",
    );
    style(
        "Dateline",
        "Dateline",
        "<w:spacing w:before=\"240\" w:after=\"480\" w:line=\"400\" w:lineRule=\"exact\"/><w:jc w:val=\"center\"/>",
        &format!("{}<w:sz w:val=\"28\"/>", fonts("楷体_GB2312")),
        "<w:basedOn w:val=\"Normal\"/>",
    );
    for (level, font, bold) in [
        (1, "黑体", false),
        (2, "楷体_GB2312", false),
        (3, "仿宋_GB2312", true),
    ] {
        style(
            &format!("Heading{level}"),
            &format!("heading {level}"),
            &format!(
                "<w:keepNext/><w:keepLines/><w:spacing w:line=\"560\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:outlineLvl w:val=\"{}\"/>",
                level - 1
            ),
            &format!(
                "{}{}",
                fonts(font),
                if bold { "<w:b/><w:bCs/>" } else { "" }
            ),
            "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>",
        );
    }
    style(
        "Caption",
        "caption",
        "<w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\" w:line=\"360\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/>",
        &format!(
            "{}<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>",
            fonts("黑体")
        ),
        "<w:basedOn w:val=\"Normal\"/><w:qFormat/>",
    );
    // Tables: 小五 (9 pt) so ten columns fit the page width.
    style(
        "TableText",
        "Table Text",
        "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"260\" w:lineRule=\"atLeast\"/><w:jc w:val=\"left\"/>",
        "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
        "<w:basedOn w:val=\"Normal\"/>",
    );
    style(
        "TableHeader",
        "Table Header",
        "<w:keepNext/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"260\" w:lineRule=\"atLeast\"/><w:jc w:val=\"center\"/>",
        &format!(
            "{}<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
            fonts("黑体")
        ),
        "<w:basedOn w:val=\"Normal\"/>",
    );
    style(
        "TableGap",
        "Table Gap",
        "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"200\" w:lineRule=\"exact\"/>",
        "<w:sz w:val=\"10\"/>",
        "<w:basedOn w:val=\"Normal\"/>",
    );
    style(
        "Note",
        "Note",
        "<w:spacing w:line=\"400\" w:lineRule=\"atLeast\"/>",
        "<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>",
        "<w:basedOn w:val=\"Normal\"/>",
    );
    // Images need auto line height, or an exact line clips them.
    style(
        "Figure",
        "Figure",
        "<w:spacing w:before=\"120\" w:after=\"120\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/>",
        "",
        "<w:basedOn w:val=\"Normal\"/>",
    );
    style(
        "Footer",
        "footer",
        "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/>",
        "<w:sz w:val=\"28\"/>",
        "<w:basedOn w:val=\"Normal\"/>",
    );
    s.push_str(concat!(
        "<w:style w:type=\"table\" w:styleId=\"ReportTable\"><w:name w:val=\"Report Table\"/><w:tblPr>",
        "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>",
        "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>",
        "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>",
        "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>",
        "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>",
        "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/></w:tblBorders>",
        "<w:tblCellMar><w:top w:w=\"28\" w:type=\"dxa\"/><w:left w:w=\"57\" w:type=\"dxa\"/>",
        "<w:bottom w:w=\"28\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>",
        "</w:tblPr></w:style>",
    ));
    s.push_str("</w:styles>");
    s
}

/// Font declarations; `altName` gives Word the fallback when a GB2312 font is missing.
fn font_table_xml() -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    );
    for (name, alt, family, pitch) in [
        ("仿宋_GB2312", "仿宋", "modern", "fixed"),
        ("楷体_GB2312", "楷体", "modern", "fixed"),
        ("黑体", "SimHei", "modern", "fixed"),
        ("方正小标宋简体", "宋体", "script", "variable"),
        ("宋体", "SimSun", "auto", "variable"),
    ] {
        let _ = write!(
            s,
            "<w:font w:name=\"{name}\"><w:altName w:val=\"{alt}\"/><w:charset w:val=\"86\"/><w:family w:val=\"{family}\"/><w:pitch w:val=\"{pitch}\"/></w:font>"
        );
    }
    s.push_str("<w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font></w:fonts>");
    s
}

/// Page number centred at the foot: `— 1 —`.
fn footer_xml() -> String {
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr {}>",
            "<w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>",
            "<w:r><w:t xml:space=\"preserve\">— </w:t></w:r>",
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>",
            "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
            "<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>"
        ),
        NS
    )
}

fn settings_xml() -> &'static str {
    concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
        "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
        "<w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>",
        "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>",
        "</w:settings>"
    )
}

fn content_types_xml() -> &'static str {
    concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>",
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>",
        "<Default Extension=\"png\" ContentType=\"image/png\"/>",
        "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>",
        "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>",
        "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>",
        "<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>",
        "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>",
        "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>",
        "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>",
        "</Types>"
    )
}

fn package_rels_xml() -> &'static str {
    concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>",
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
        "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
        "</Relationships>"
    )
}

fn document_rels_xml(images: usize) -> String {
    let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut s = format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
            "<Relationship Id=\"rIdStyles\" Type=\"{b}/styles\" Target=\"styles.xml\"/>",
            "<Relationship Id=\"rIdSettings\" Type=\"{b}/settings\" Target=\"settings.xml\"/>",
            "<Relationship Id=\"rIdFonts\" Type=\"{b}/fontTable\" Target=\"fontTable.xml\"/>",
            "<Relationship Id=\"rIdFooter\" Type=\"{b}/footer\" Target=\"footer1.xml\"/>"
        ),
        b = base
    );
    for n in 1..=images {
        let _ = write!(
            s,
            "<Relationship Id=\"rIdImage{n}\" Type=\"{base}/image\" Target=\"media/chart{n}.png\"/>"
        );
    }
    s.push_str("</Relationships>");
    s
}

fn core_xml(r: &Report) -> String {
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" ",
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">",
            "<dc:title>{}</dc:title><dc:creator>planwatch</dc:creator><dc:language>zh-CN</dc:language>",
            "</cp:coreProperties>"
        ),
        x(&format!("{}{}", r.title, r.subtitle))
    )
}

fn app_xml() -> &'static str {
    concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
        "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">",
        "<Application>planwatch</Application></Properties>"
    )
}

/// Render the report as DOCX bytes.
pub fn render(r: &Report) -> Result<Vec<u8>, ReportError> {
    let b = body(r);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    let stored = opts.compression_method(CompressionMethod::Stored);
    let mut put = |name: &str, bytes: &[u8], o: SimpleFileOptions| -> Result<(), ReportError> {
        let fail = |e: &dyn std::fmt::Display| ReportError::Docx(format!("{name}:{e}"));
        zip.start_file(name, o).map_err(|e| fail(&e))?;
        zip.write_all(bytes).map_err(|e| fail(&e))?;
        Ok(())
    };
    put("[Content_Types].xml", content_types_xml().as_bytes(), opts)?;
    put("_rels/.rels", package_rels_xml().as_bytes(), opts)?;
    put("docProps/core.xml", core_xml(r).as_bytes(), opts)?;
    put("docProps/app.xml", app_xml().as_bytes(), opts)?;
    put("word/document.xml", document_xml(&b).as_bytes(), opts)?;
    put(
        "word/_rels/document.xml.rels",
        document_rels_xml(b.images.len()).as_bytes(),
        opts,
    )?;
    put("word/styles.xml", styles_xml().as_bytes(), opts)?;
    put("word/settings.xml", settings_xml().as_bytes(), opts)?;
    put("word/fontTable.xml", font_table_xml().as_bytes(), opts)?;
    put("word/footer1.xml", footer_xml().as_bytes(), opts)?;
    for (i, png) in b.images.iter().enumerate() {
        // PNG is already compressed.
        put(&format!("word/media/chart{}.png", i + 1), png, stored)?;
    }
    let zip = zip.finish().map_err(|e| ReportError::Docx(e.to_string()))?;
    Ok(zip.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_drops_control_characters() {
        assert_eq!(x("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
        assert_eq!(x("a\u{1}b\tc"), "ab\tc");
    }

    #[test]
    fn styles_name_chinese_fonts_and_outline_levels() {
        let s = styles_xml();
        for want in [
            "w:eastAsia=\"仿宋_GB2312\"",
            "w:eastAsia=\"黑体\"",
            "w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>",
            "<w:outlineLvl w:val=\"0\"/>",
            "<w:outlineLvl w:val=\"2\"/>",
        ] {
            assert!(s.contains(want), "missing {want}");
        }
        assert!(font_table_xml().contains("<w:altName w:val=\"宋体\"/>"));
    }

    #[test]
    fn table_widths_fill_the_text_width() {
        let mut b = Body {
            xml: String::new(),
            images: Vec::new(),
        };
        b.table(
            "表",
            &[1, 3],
            &["a", "b"],
            &[vec!["分组".into()], vec!["1".into(), "2".into()]],
        );
        // 8844·1/4 = 2211, 8844·3/4 = 6633.
        assert!(
            b.xml
                .contains("<w:gridCol w:w=\"2211\"/><w:gridCol w:w=\"6633\"/>")
        );
        assert!(b.xml.contains("<w:gridSpan w:val=\"2\"/>"));
        assert!(b.xml.contains("<w:tblHeader/>"));
    }
}
