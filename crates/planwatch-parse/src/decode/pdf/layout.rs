//! Glyphs to lines: glyphs on one baseline make a line, read left to right; wide
//! gaps split a line into segments (the cells of an unruled table), narrow ones
//! become a space only where the script uses spaces.

use super::content::Glyph;

/// A gap wider than this many font sizes separates segments.
const SEGMENT_GAP: f32 = 1.8;

/// A line of text on a page.
#[derive(Debug, Clone)]
pub struct Line {
    /// Baseline.
    pub y: f32,
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Font size (the largest on the line).
    pub size: f32,
    /// Most glyphs bold.
    pub bold: bool,
    /// Pieces separated by wide gaps.
    pub segments: Vec<Segment>,
}

/// Text between two wide gaps of a line.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// The text.
    pub text: String,
}

impl Line {
    /// The line's text, segments separated by one space.
    pub fn text(&self) -> String {
        let parts: Vec<&str> = self.segments.iter().map(|s| s.text.as_str()).collect();
        parts.join(" ")
    }
}

/// Whether a character belongs to a script written without spaces (CJK ideographs,
/// kana, full-width forms and CJK punctuation).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
        || "—…“”‘’·".contains(c)
}

/// Group glyphs into lines, top to bottom.
pub fn lines(glyphs: &[Glyph]) -> Vec<Line> {
    let mut order: Vec<&Glyph> = glyphs.iter().filter(|g| g.text.is_some()).collect();
    order.sort_by(|a, b| b.y.total_cmp(&a.y));
    let mut rows: Vec<Vec<&Glyph>> = Vec::new();
    let mut base = f32::NAN;
    for g in order {
        let tolerance = 0.4 * g.size.max(1.0);
        match rows.last_mut() {
            Some(row) if (base - g.y).abs() <= tolerance => row.push(g),
            _ => {
                base = g.y;
                rows.push(vec![g]);
            }
        }
    }
    rows.into_iter().filter_map(line_of).collect()
}

fn line_of(mut glyphs: Vec<&Glyph>) -> Option<Line> {
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    // Word and WPS draw fake bold by painting the same glyph twice, a hair apart.
    glyphs.dedup_by(|b, a| a.text == b.text && (b.x - a.x).abs() < 0.2 * a.size.max(1.0));
    let size = glyphs.iter().map(|g| g.size).fold(0.0, f32::max);
    let bold = glyphs.iter().filter(|g| g.bold).count() * 2 > glyphs.len();
    let y = glyphs.first()?.y;
    let mut segments: Vec<Segment> = Vec::new();
    let mut end = f32::MIN;
    let mut last_char: Option<char> = None;
    for g in glyphs {
        let text = g.text.as_deref().unwrap_or_default();
        let text: String = text.chars().filter(|c| !c.is_control()).collect();
        let gap = g.x - end;
        let unit = g.size.max(1.0);
        let blank = text.trim().is_empty();
        match segments.last_mut() {
            Some(seg) if gap <= SEGMENT_GAP * unit => {
                let first = text.chars().next();
                let wants_space = match (last_char, first) {
                    (Some(a), Some(b)) if !is_cjk(a) && !is_cjk(b) => gap > 0.2 * unit,
                    _ => gap > 0.8 * unit,
                };
                if blank {
                    if !seg.text.ends_with(' ') {
                        seg.text.push(' ');
                    }
                } else {
                    if wants_space && !seg.text.ends_with(' ') {
                        seg.text.push(' ');
                    }
                    seg.text.push_str(&text);
                    seg.x1 = g.x + g.w;
                }
            }
            _ if blank => {}
            _ => segments.push(Segment {
                x0: g.x,
                x1: g.x + g.w,
                text: text.clone(),
            }),
        }
        if !blank {
            end = g.x + g.w;
            last_char = text.chars().last();
        }
    }
    for seg in &mut segments {
        let trimmed = seg.text.trim_end().len();
        seg.text.truncate(trimmed);
    }
    segments.retain(|s| !s.text.is_empty());
    let x0 = segments.first()?.x0;
    let x1 = segments.last()?.x1;
    Some(Line {
        y,
        x0,
        x1,
        size,
        bold,
        segments,
    })
}

/// Join wrapped pieces of one paragraph or cell: nothing between Chinese text, a
/// space between two Latin words.
pub fn join_lines<I: IntoIterator<Item = String>>(parts: I) -> String {
    let mut out = String::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if needs_space(&out, part) {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// Whether a wrap between `before` and `after` stood for a space.
pub fn needs_space(before: &str, after: &str) -> bool {
    match (before.chars().last(), after.chars().next()) {
        (Some(a), Some(b)) => {
            a.is_ascii_alphanumeric()
                && b.is_ascii_alphanumeric()
                && (a.is_ascii_alphabetic() || b.is_ascii_alphabetic())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(x: f32, y: f32, text: &str) -> Glyph {
        Glyph {
            x,
            y,
            w: if text.is_ascii() { 5.0 } else { 10.0 },
            size: 10.0,
            text: Some(text.to_string()),
            font: 0,
            bold: false,
        }
    }

    fn texts(glyphs: &[Glyph]) -> Vec<String> {
        lines(glyphs).iter().map(Line::text).collect()
    }

    #[test]
    fn baseline_groups_and_x_orders() {
        // Drawn out of order; the second line's glyphs sit slightly off the baseline.
        let glyphs = [
            glyph(110.0, 700.0, "划"),
            glyph(100.0, 700.0, "规"),
            glyph(100.0, 680.5, "纲"),
            glyph(110.0, 679.5, "要"),
        ];
        assert_eq!(texts(&glyphs), ["规划", "纲要"]);
    }

    #[test]
    fn spaces_between_latin_words_only() {
        let glyphs = [
            glyph(100.0, 700.0, "G"),
            glyph(105.0, 700.0, "D"),
            glyph(110.0, 700.0, "P"),
            glyph(118.0, 700.0, "增"),
            glyph(128.0, 700.0, "长"),
            glyph(140.0, 700.0, "8"),
            glyph(145.0, 700.0, "%"),
            glyph(153.0, 700.0, "is"),
        ];
        assert_eq!(texts(&glyphs), ["GDP增长8% is"]);
    }

    #[test]
    fn wide_gaps_make_segments_and_fake_bold_is_deduplicated() {
        let glyphs = [
            glyph(100.0, 700.0, "指"),
            glyph(110.0, 700.0, "标"),
            glyph(110.1, 700.0, "标"),
            glyph(200.0, 700.0, "2025"),
        ];
        let lines = lines(&glyphs);
        assert_eq!(lines[0].segments.len(), 2);
        assert_eq!(lines[0].text(), "指标 2025");
    }

    #[test]
    fn wraps_join_without_spaces_in_chinese() {
        assert_eq!(
            join_lines(["到2025年,地区生产总".into(), "值达到1130亿元".into()]),
            "到2025年,地区生产总值达到1130亿元"
        );
        assert_eq!(join_lines(["达到".into(), "1130".into()]), "达到1130");
        assert_eq!(
            join_lines(["digital".into(), "economy".into()]),
            "digital economy"
        );
    }
}
