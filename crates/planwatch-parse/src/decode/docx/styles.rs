//! Paragraph styles (`word/styles.xml`), read only for the numbering they carry:
//! headings are often numbered through their style rather than the paragraph.

use std::collections::HashMap;

use super::xml::{Ev, attr, num_attr, walk};
use crate::decode::DecodeError;

#[derive(Debug, Default)]
struct Style {
    based_on: Option<String>,
    num_id: Option<i64>,
    ilvl: Option<i64>,
}

/// Styles by id, with the default paragraph style.
#[derive(Debug, Default)]
pub(super) struct Styles {
    styles: HashMap<String, Style>,
    default_paragraph: Option<String>,
}

/// Longest `basedOn` chain followed (also stops cycles).
const MAX_CHAIN: usize = 16;

impl Styles {
    /// Read `word/styles.xml`.
    pub(super) fn parse(xml: &[u8]) -> Result<Self, DecodeError> {
        let mut styles = Styles::default();
        let mut current: Option<(String, Style)> = None;
        walk(
            "word/styles.xml",
            xml,
            &[b"rPr", b"tblPr", b"pPrChange"],
            |ev| match ev {
                Ev::Start(e) => {
                    let name = e.local_name();
                    match (name.as_ref(), current.as_mut()) {
                        (b"style", _) => {
                            let id = attr(e, b"styleId").unwrap_or_default();
                            let paragraph = attr(e, b"type").is_none_or(|t| t == "paragraph");
                            let default =
                                attr(e, b"default").is_some_and(|d| d == "1" || d == "true");
                            if paragraph && default {
                                styles.default_paragraph = Some(id.clone());
                            }
                            current = Some((id, Style::default()));
                        }
                        (b"basedOn", Some((_, s))) => s.based_on = attr(e, b"val"),
                        (b"numId", Some((_, s))) => s.num_id = num_attr(e, b"val"),
                        (b"ilvl", Some((_, s))) => s.ilvl = num_attr(e, b"val"),
                        _ => {}
                    }
                }
                Ev::End(b"style") => {
                    if let Some((id, style)) = current.take() {
                        styles.styles.insert(id, style);
                    }
                }
                _ => {}
            },
        )?;
        Ok(styles)
    }

    /// The numbering (numId, ilvl if the style says) a paragraph of `style` inherits,
    /// following `basedOn`. The default paragraph style applies when `style` is `None`.
    pub(super) fn numbering(&self, style: Option<&str>) -> Option<(i64, Option<i64>)> {
        let mut id = style.or(self.default_paragraph.as_deref())?;
        for _ in 0..MAX_CHAIN {
            let s = self.styles.get(id)?;
            if let Some(num) = s.num_id {
                return Some((num, s.ilvl));
            }
            id = s.based_on.as_deref()?;
        }
        None
    }

    /// The numId a numbering style (target of `w:numStyleLink`) names.
    pub(super) fn num_of(&self, style: &str) -> Option<i64> {
        self.numbering(Some(style)).map(|(num, _)| num)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_is_inherited_through_based_on() {
        let xml = r#"<w:styles xmlns:w="w">
          <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
          <w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/>
            <w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
          <w:style w:type="paragraph" w:styleId="Chapter"><w:basedOn w:val="Heading1"/></w:style>
          <w:style w:type="paragraph" w:styleId="Loop1"><w:basedOn w:val="Loop2"/></w:style>
          <w:style w:type="paragraph" w:styleId="Loop2"><w:basedOn w:val="Loop1"/></w:style>
        </w:styles>"#;
        let styles = Styles::parse(xml.as_bytes()).unwrap();
        assert_eq!(styles.numbering(Some("Heading1")), Some((3, Some(0))));
        assert_eq!(styles.numbering(Some("Chapter")), Some((3, Some(0))));
        assert_eq!(styles.numbering(None), None);
        assert_eq!(styles.numbering(Some("Loop1")), None);
        assert_eq!(styles.numbering(Some("Missing")), None);
    }
}
