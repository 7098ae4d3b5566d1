//! A small event walk over an OOXML part, shared by the document, styles and
//! numbering readers.
//!
//! Elements are matched by local name (`w:p` → `p`). Markup Compatibility is resolved
//! here: of each `mc:AlternateContent` only the first branch is walked, so content
//! that Word writes twice (a text box as DrawingML and as VML) is read once.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::decode::DecodeError;

/// One event of the walk.
pub(super) enum Ev<'a, 'b> {
    /// An element opens (empty elements give `Start` then `End`).
    Start(&'b BytesStart<'a>),
    /// An element closes; its local name.
    End(&'b [u8]),
    /// Character data, unescaped.
    Text(&'b str),
}

/// Walk `xml`, calling `f` for every event outside skipped subtrees.
///
/// `skip` lists local names whose whole subtree is ignored.
pub(super) fn walk(
    part: &str,
    xml: &[u8],
    skip: &[&[u8]],
    mut f: impl FnMut(Ev<'_, '_>),
) -> Result<(), DecodeError> {
    let xml = utf8(xml);
    let mut reader = Reader::from_reader(xml.as_bytes());
    let mut buf = Vec::new();
    let mut skipping = 0usize;
    // One entry per open mc:AlternateContent: has a branch been taken?
    let mut alternates: Vec<bool> = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            DecodeError::Docx(format!(
                "{part} 不是有效的 XML(第 {} 字节附近):{e}",
                reader.buffer_position()
            ))
        })?;
        match &event {
            Event::Start(_) if skipping > 0 => skipping += 1,
            Event::End(_) if skipping > 0 => skipping -= 1,
            Event::Start(e) | Event::Empty(e) if skipping == 0 => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name();
                let name = name.as_ref();
                if skip.contains(&name) || taken_branch(name, &mut alternates) {
                    skipping = usize::from(!empty);
                } else {
                    if name == b"AlternateContent" {
                        alternates.push(false);
                    }
                    f(Ev::Start(e));
                    if empty {
                        close(name, &mut alternates, &mut f);
                    }
                }
            }
            Event::End(e) => close(e.local_name().as_ref(), &mut alternates, &mut f),
            Event::Text(t) if skipping == 0 => {
                let text: Cow<'_, str> = match t.unescape() {
                    Ok(text) => text,
                    Err(_) => String::from_utf8_lossy(t).into_owned().into(),
                };
                f(Ev::Text(&text));
            }
            Event::CData(t) if skipping == 0 => f(Ev::Text(&String::from_utf8_lossy(t))),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// Whether `name` is an mc branch to skip because one was already taken; marks the
/// branch taken otherwise.
fn taken_branch(name: &[u8], alternates: &mut [bool]) -> bool {
    if !matches!(name, b"Choice" | b"Fallback") {
        return false;
    }
    match alternates.last_mut() {
        Some(taken) if *taken => true,
        Some(taken) => {
            *taken = true;
            false
        }
        None => false,
    }
}

fn close(name: &[u8], alternates: &mut Vec<bool>, f: &mut impl FnMut(Ev<'_, '_>)) {
    if name == b"AlternateContent" {
        alternates.pop();
    }
    f(Ev::End(name));
}

/// Parts are UTF-8 in practice; UTF-16 (allowed by the standard) is converted.
fn utf8(xml: &[u8]) -> Cow<'_, str> {
    match encoding_rs::Encoding::for_bom(xml) {
        Some((enc, bom)) => enc.decode_without_bom_handling(&xml[bom..]).0,
        None => String::from_utf8_lossy(xml),
    }
}

/// The value of the attribute with local name `name` (`w:val` → `val`).
pub(super) fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| match a.unescape_value() {
            Ok(v) => v.into_owned(),
            Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
        })
}

/// A numeric attribute; unreadable values are `None`.
pub(super) fn num_attr(e: &BytesStart<'_>, name: &[u8]) -> Option<i64> {
    attr(e, name)?.trim().parse().ok()
}
