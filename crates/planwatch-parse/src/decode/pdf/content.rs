//! A page's content stream to positioned glyphs and ruling lines.
//!
//! Only what text extraction needs is interpreted: the text state and text
//! matrices, the current transformation matrix with `q`/`Q`, paths that end up as
//! straight horizontal or vertical strokes or thin filled rectangles (table
//! rules), form XObjects (recursively, bounded) and images (for the scanned-page
//! test). Everything is counted against a [`Budget`] so a hostile page cannot run
//! unbounded.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::Font;
use super::obj::{StreamError, dict_of, get, num, numbers, stream_bytes};
use super::{MAX_GLYPHS_PER_PAGE, MAX_STREAM_BYTES, MAX_XOBJECT_DEPTH};

/// Deepest `q` nesting honoured; deeper saves are ignored (their `Q` pops the last).
const MAX_STATE_DEPTH: usize = 256;

/// Rules thicker than this (in points) are boxes or shading, not table lines.
const MAX_RULE_THICKNESS: f32 = 3.0;

/// A 2-D affine matrix `[a b c d e f]` in PDF's row-vector convention.
pub type Matrix = [f32; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m1 × m2`.
fn mul(m1: &Matrix, m2: &Matrix) -> Matrix {
    [
        m1[0] * m2[0] + m1[1] * m2[2],
        m1[0] * m2[1] + m1[1] * m2[3],
        m1[2] * m2[0] + m1[3] * m2[2],
        m1[2] * m2[1] + m1[3] * m2[3],
        m1[4] * m2[0] + m1[5] * m2[2] + m2[4],
        m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
    ]
}

fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// One shown glyph in page space (points, y up).
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Left edge of the glyph origin.
    pub x: f32,
    /// Baseline.
    pub y: f32,
    /// Advance width.
    pub w: f32,
    /// Font size as drawn (points).
    pub size: f32,
    /// Unicode text; `None` when the font has no mapping for the code.
    pub text: Option<String>,
    /// Index of the font in the page's font list.
    pub font: usize,
    /// Drawn bold (bold font, or fill-and-stroke rendering as Word's fake bold).
    pub bold: bool,
}

/// A straight horizontal or vertical line on the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Left or bottom end.
    pub x0: f32,
    /// Bottom end.
    pub y0: f32,
    /// Right end.
    pub x1: f32,
    /// Top end.
    pub y1: f32,
}

impl Rule {
    /// Whether the rule runs left to right.
    pub fn horizontal(&self) -> bool {
        self.x1 - self.x0 >= self.y1 - self.y0
    }
}

/// What a page shows.
#[derive(Debug, Default)]
pub struct PageContent {
    /// Glyphs in content order.
    pub glyphs: Vec<Glyph>,
    /// Table rules.
    pub rules: Vec<Rule>,
    /// Area covered by images, in square points.
    pub image_area: f32,
    /// Fonts used on the page, by index, as `(name, shown codes, unmapped codes)`.
    pub fonts: Vec<(String, usize, usize)>,
    /// Page width in points (set by the caller from the MediaBox).
    pub width: f32,
}

/// Work left for the whole document; every operator and glyph takes one unit, every
/// decoded byte of a page content, form or CMap one byte.
#[derive(Debug)]
pub struct Budget {
    /// Operators left.
    pub operations: usize,
    /// Decoded stream bytes left (contents, forms, CMaps).
    pub bytes: usize,
    /// A stream was refused because `bytes` ran out (not because of its own limit):
    /// the document as a whole is too large, and the caller refuses it.
    pub exhausted: bool,
}

impl Budget {
    /// A stream's decoded bytes, at most `limit` and at most what is left, charged
    /// to the budget. `None` for a non-stream or a stream over either bound; in the
    /// latter case, when the document's budget was the tighter bound, `exhausted` is set.
    pub fn take(&mut self, doc: &Document, object: &Object, limit: usize) -> Option<Vec<u8>> {
        let cap = limit.min(self.bytes);
        match stream_bytes(doc, object, cap) {
            Ok(bytes) => {
                self.bytes = self.bytes.saturating_sub(bytes.len());
                Some(bytes)
            }
            Err(StreamError::TooLarge) => {
                self.exhausted |= cap < limit;
                None
            }
            Err(StreamError::NotAStream) => None,
        }
    }
}

/// Font cache shared across pages, by object id.
pub type FontCache = HashMap<ObjectId, Rc<Font>>;

#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<(usize, Rc<Font>)>,
    size: f32,
    char_space: f32,
    word_space: f32,
    scale: f32,
    leading: f32,
    rise: f32,
    render: i64,
}

struct Interp<'a> {
    doc: &'a Document,
    cache: &'a mut FontCache,
    budget: &'a mut Budget,
    page: PageContent,
    /// Font index on the page by font identity (pointer), for diagnostics.
    font_index: HashMap<*const Font, usize>,
    state: State,
    stack: Vec<State>,
    tm: Matrix,
    tlm: Matrix,
    path: Vec<(f32, f32, f32, f32)>,
    path_start: (f32, f32),
    cursor: (f32, f32),
    xobjects: Vec<ObjectId>,
}

/// Interpret one page. `resources` are the page's (inherited) resource dictionaries,
/// nearest first.
pub fn run_page(
    doc: &Document,
    content: &[u8],
    resources: &[&Dictionary],
    cache: &mut FontCache,
    budget: &mut Budget,
) -> PageContent {
    let mut interp = Interp {
        doc,
        cache,
        budget,
        page: PageContent::default(),
        font_index: HashMap::new(),
        state: State {
            ctm: IDENTITY,
            font: None,
            size: 0.0,
            char_space: 0.0,
            word_space: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            render: 0,
        },
        stack: Vec::new(),
        tm: IDENTITY,
        tlm: IDENTITY,
        path: Vec::new(),
        path_start: (0.0, 0.0),
        cursor: (0.0, 0.0),
        xobjects: Vec::new(),
    };
    interp.run(content, resources, 0);
    interp.page
}

impl Interp<'_> {
    fn run(&mut self, content: &[u8], resources: &[&Dictionary], depth: usize) {
        let Ok(content) = Content::decode(content) else {
            return;
        };
        for op in &content.operations {
            if self.budget.operations == 0 || self.page.glyphs.len() >= MAX_GLYPHS_PER_PAGE {
                return;
            }
            self.budget.operations -= 1;
            self.operation(&op.operator, &op.operands, resources, depth);
        }
    }

    fn nums(&self, operands: &[Object]) -> Vec<f32> {
        operands.iter().filter_map(|o| num(self.doc, o)).collect()
    }

    fn operation(&mut self, op: &str, args: &[Object], resources: &[&Dictionary], depth: usize) {
        let n = self.nums(args);
        match (op, n.as_slice()) {
            ("q", _) if self.stack.len() < MAX_STATE_DEPTH => self.stack.push(self.state.clone()),
            ("Q", _) => {
                if let Some(s) = self.stack.pop() {
                    self.state = s;
                }
            }
            ("cm", &[a, b, c, d, e, f]) => {
                self.state.ctm = mul(&[a, b, c, d, e, f], &self.state.ctm)
            }
            ("BT", _) => {
                self.tm = IDENTITY;
                self.tlm = IDENTITY;
            }
            ("Tf", _) => self.set_font(args, resources),
            ("Tc", &[v]) => self.state.char_space = v,
            ("Tw", &[v]) => self.state.word_space = v,
            ("Tz", &[v]) => self.state.scale = v / 100.0,
            ("TL", &[v]) => self.state.leading = v,
            ("Ts", &[v]) => self.state.rise = v,
            ("Tr", &[v]) => self.state.render = v as i64,
            ("Td", &[x, y]) => self.move_line(x, y),
            ("TD", &[x, y]) => {
                self.state.leading = -y;
                self.move_line(x, y);
            }
            ("Tm", &[a, b, c, d, e, f]) => {
                self.tm = [a, b, c, d, e, f];
                self.tlm = self.tm;
            }
            ("T*", _) => self.move_line(0.0, -self.state.leading),
            ("Tj", _) => self.show_operand(args.first()),
            ("'", _) => {
                self.move_line(0.0, -self.state.leading);
                self.show_operand(args.first());
            }
            ("\"", _) => {
                if let [aw, ac, ..] = n[..] {
                    self.state.word_space = aw;
                    self.state.char_space = ac;
                }
                self.move_line(0.0, -self.state.leading);
                self.show_operand(args.get(2));
            }
            ("TJ", _) => self.show_array(args.first()),
            ("m", &[x, y]) => {
                self.cursor = (x, y);
                self.path_start = (x, y);
            }
            ("l", &[x, y]) => {
                self.path.push((self.cursor.0, self.cursor.1, x, y));
                self.cursor = (x, y);
            }
            ("h", _) => {
                let (x, y) = self.path_start;
                self.path.push((self.cursor.0, self.cursor.1, x, y));
                self.cursor = (x, y);
            }
            ("re", &[x, y, w, h]) => self.rectangle(x, y, w, h),
            ("S" | "s", _) => self.paint(true),
            ("f" | "F" | "f*" | "B" | "B*" | "b" | "b*", _) => self.paint(false),
            ("n", _) => self.path.clear(),
            ("Do", _) => self.xobject(args, resources, depth),
            ("BI" | "EI", _) => self.image_area(),
            _ => {}
        }
    }

    fn move_line(&mut self, x: f32, y: f32) {
        self.tlm = mul(&[1.0, 0.0, 0.0, 1.0, x, y], &self.tlm);
        self.tm = self.tlm;
    }

    fn set_font(&mut self, args: &[Object], resources: &[&Dictionary]) {
        let (Some(Object::Name(name)), Some(size)) = (args.first(), args.get(1)) else {
            return;
        };
        self.state.size = num(self.doc, size).unwrap_or(0.0);
        self.state.font = self.font(name, resources).map(|font| {
            let key = Rc::as_ptr(&font);
            let next = self.page.fonts.len();
            let index = *self.font_index.entry(key).or_insert(next);
            if index == next {
                self.page.fonts.push((font.name.clone(), 0, 0));
            }
            (index, font)
        });
    }

    fn font(&mut self, name: &[u8], resources: &[&Dictionary]) -> Option<Rc<Font>> {
        for res in resources {
            let Some(fonts) = get(self.doc, res, b"Font").and_then(|o| dict_of(self.doc, o)) else {
                continue;
            };
            let Ok(entry) = fonts.get(name) else {
                continue;
            };
            if let Ok((Some(id), _)) = self.doc.dereference(entry)
                && let Some(font) = self.cache.get(&id)
            {
                return Some(font.clone());
            }
            let dict = dict_of(self.doc, entry)?;
            let font = Rc::new(Font::load(self.doc, dict, name, self.budget));
            if let Ok((Some(id), _)) = self.doc.dereference(entry) {
                self.cache.insert(id, font.clone());
            }
            return Some(font);
        }
        None
    }

    fn show_operand(&mut self, operand: Option<&Object>) {
        if let Some(Object::String(bytes, _)) = operand {
            self.show(bytes);
        }
    }

    fn show_array(&mut self, operand: Option<&Object>) {
        let Some(Object::Array(items)) = operand else {
            return;
        };
        for item in items {
            match item {
                Object::String(bytes, _) => self.show(bytes),
                other => {
                    if let Some(adjust) = num(self.doc, other) {
                        let tx = -adjust / 1000.0 * self.state.size * self.state.scale;
                        self.tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &self.tm);
                    }
                }
            }
        }
    }

    fn show(&mut self, bytes: &[u8]) {
        let Some((index, font)) = self.state.font.clone() else {
            return;
        };
        let st = &self.state;
        let bold = font.bold || st.render == 2;
        let params = [st.size * st.scale, 0.0, 0.0, st.size, 0.0, st.rise];
        for code in font.codes(bytes) {
            if self.page.glyphs.len() >= MAX_GLYPHS_PER_PAGE || self.budget.operations == 0 {
                return;
            }
            self.budget.operations -= 1;
            let m = mul(&mul(&params, &self.tm), &self.state.ctm);
            let (x, y) = (m[4], m[5]);
            let upright = m[0].abs() > 1e-3 && m[1].abs() <= m[0].abs() * 0.05;
            let size = m[2].hypot(m[3]) * font.size_scale;
            let width = code.width * m[0].hypot(m[1]);
            if upright && size.is_finite() && x.is_finite() && y.is_finite() {
                if let Some(f) = self.page.fonts.get_mut(index) {
                    f.1 += 1;
                    f.2 += usize::from(code.text.is_none());
                }
                self.page.glyphs.push(Glyph {
                    x,
                    y,
                    w: width,
                    size,
                    text: code.text,
                    font: index,
                    bold,
                });
            }
            let st = &self.state;
            let space = if code.word_space { st.word_space } else { 0.0 };
            let tx = (code.width * st.size + st.char_space + space) * st.scale;
            self.tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &self.tm);
        }
    }

    fn rectangle(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.path.push((x, y, x + w, y));
        self.path.push((x + w, y, x + w, y + h));
        self.path.push((x + w, y + h, x, y + h));
        self.path.push((x, y + h, x, y));
        self.cursor = (x, y);
        self.path_start = (x, y);
    }

    /// Turn the current path into rules: stroked straight segments, and filled
    /// rectangles thin enough to be lines (Word draws cell borders that way).
    fn paint(&mut self, stroke: bool) {
        let path = std::mem::take(&mut self.path);
        let ctm = self.state.ctm;
        let points: Vec<(f32, f32, f32, f32)> = path
            .iter()
            .map(|&(x0, y0, x1, y1)| {
                let (a, b) = apply(&ctm, x0, y0);
                let (c, d) = apply(&ctm, x1, y1);
                (a, b, c, d)
            })
            .collect();
        if stroke {
            for &(x0, y0, x1, y1) in &points {
                if (y0 - y1).abs() < 0.5 || (x0 - x1).abs() < 0.5 {
                    self.push_rule(x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1));
                }
            }
            return;
        }
        // A filled shape: its bounding box per closed rectangle (four segments).
        for quad in points.chunks(4) {
            let xs = quad.iter().flat_map(|s| [s.0, s.2]);
            let ys = quad.iter().flat_map(|s| [s.1, s.3]);
            let (x0, x1) = xs.fold((f32::MAX, f32::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
            let (y0, y1) = ys.fold((f32::MAX, f32::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
            let thin = (x1 - x0).min(y1 - y0);
            if thin <= MAX_RULE_THICKNESS && (x1 - x0).max(y1 - y0) > 2.0 {
                let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
                if x1 - x0 >= y1 - y0 {
                    self.push_rule(x0, my, x1, my);
                } else {
                    self.push_rule(mx, y0, mx, y1);
                }
            }
        }
    }

    fn push_rule(&mut self, x0: f32, y0: f32, x1: f32, y1: f32) {
        if [x0, y0, x1, y1].iter().all(|v| v.is_finite())
            && self.page.rules.len() < MAX_GLYPHS_PER_PAGE
        {
            self.page.rules.push(Rule { x0, y0, x1, y1 });
        }
    }

    /// The unit square mapped by the CTM: the page area an image covers.
    fn image_area(&mut self) {
        let m = self.state.ctm;
        let area = (m[0] * m[3] - m[1] * m[2]).abs();
        if area.is_finite() {
            self.page.image_area += area;
        }
    }

    fn xobject(&mut self, args: &[Object], resources: &[&Dictionary], depth: usize) {
        let Some(Object::Name(name)) = args.first() else {
            return;
        };
        let Some((id, stream)) = resources.iter().find_map(|res| {
            let xobjects = get(self.doc, res, b"XObject").and_then(|o| dict_of(self.doc, o))?;
            let entry = xobjects.get(name).ok()?;
            let (id, object) = self.doc.dereference(entry).ok()?;
            Some((id?, object.as_stream().ok()?))
        }) else {
            return;
        };
        let subtype = get(self.doc, &stream.dict, b"Subtype");
        if matches!(subtype, Some(Object::Name(n)) if n == b"Image") {
            self.image_area();
            return;
        }
        if depth >= MAX_XOBJECT_DEPTH || self.xobjects.contains(&id) {
            return;
        }
        let form = Object::Reference(id);
        let Some(bytes) = self.budget.take(self.doc, &form, MAX_STREAM_BYTES) else {
            return;
        };
        let matrix = numbers(self.doc, stream.dict.get(b"Matrix").ok());
        let saved = (self.state.clone(), self.tm, self.tlm);
        if let [a, b, c, d, e, f] = matrix[..] {
            self.state.ctm = mul(&[a, b, c, d, e, f], &self.state.ctm);
        }
        let own = get(self.doc, &stream.dict, b"Resources").and_then(|o| dict_of(self.doc, o));
        let mut inner: Vec<&Dictionary> = own.into_iter().collect();
        inner.extend(resources.iter().copied());
        self.xobjects.push(id);
        self.run(&bytes, &inner, depth + 1);
        self.xobjects.pop();
        (self.state, self.tm, self.tlm) = saved;
    }
}
