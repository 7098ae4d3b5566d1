//! Reading the figures of one paragraph: sentences, clauses, and for each number the
//! name before it, the words between, its unit and the words after.
//!
//! A sentence is cut at 。!?; a clause at , ; : (widths folded). The indicator a clause
//! speaks of is named before its first number and carries to the next clause of the
//! same sentence when that clause names nothing (`地区生产总值804.28亿元,比上年增长4.5%`);
//! a semicolon, a colon or `其中` ends the carry, and a clause that names something the
//! catalogue does not know (`其中外国游客增长34.9%`) is skipped, never given the
//! carried name. Every step looks at a bounded window, so a paragraph is read in time
//! linear in its length.

use planwatch_core::catalogue::{Catalogue, Entry};
use planwatch_core::quantity::{NumberSpan, find_numbers, fold_width};

use super::units::{self, Family};
use super::words::{APPROX_AFTER, NOT_ONE_YEAR, Role, harmless, is_target_clause, strip_trailing};
use super::{DataKind as Kind, Proposed};

/// How a paragraph's figures relate to the year of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// One year (a bulletin; a work report's 过去一年): levels and changes of that year.
    OneYear,
    /// Several years ending with the document's year (五年来, “十四五”时期): a level
    /// reached is that year's, a change is over several years and is not taken.
    SeveralYears,
}

/// What the reader knows about the document.
#[derive(Debug, Clone)]
pub struct Context {
    /// The year the figures are for.
    pub year: i32,
    /// Words naming the document's own region (全县, 本县, 青溪县, 青溪).
    pub own: Vec<String>,
}

/// The indicator a clause speaks of.
#[derive(Debug, Clone)]
struct Subject {
    entry: &'static Entry,
    /// The words that named it, for composing 占…比重 and bare measure words.
    name: String,
}

/// Longest indicator name looked for before a figure, in characters.
const MAX_NAME: usize = 30;

/// Aliases the catalogue accepts so that a plan's indicator finds its kin, but whose
/// published figures are another statistic: 新增劳动力平均受教育年限 (about 14 years)
/// is not 劳动年龄人口平均受教育年限 (about 11). A figure named so is not proposed.
const LOOSE_ALIASES: &[&str] = &["新增劳动力平均受教育年限"];

/// Words for the stock after an addition (新增…19家、总数达到117家).
const STOCK_WORDS: &[&str] = &["总数", "总量", "总数量"];

/// Measure words that name nothing alone and complete the subject of the clause before
/// (`规模以上工业企业达7.6万家、增加值增长3%`).
const BARE_MEASURES: &[&str] = &["增加值", "总产值", "产值", "产量", "总产量", "总产", "收入"];

/// The figures of one paragraph (one line of the document).
pub fn paragraph(ctx: &Context, line_no: usize, raw: &str, span: Span) -> Vec<Proposed> {
    let raw_chars: Vec<char> = raw.chars().collect();
    // Widths folded one character for one, so offsets in `chars` are offsets in `raw`.
    let chars: Vec<char> = masked(&raw_chars);
    let mut out = Vec::new();
    let mut topic_year: Option<i32> = None;
    for (s, e) in pieces(&chars, &['。', '!', '?']) {
        let sentence: String = raw_chars[s..e].iter().collect();
        let mut reader = SentenceReader {
            ctx,
            span,
            line_no,
            sentence: sentence.trim().to_string(),
            sentence_offset: s + leading_spaces(&raw_chars[s..e]),
            carry: None,
            last_name: None,
            topic_year: &mut topic_year,
            out: &mut out,
        };
        reader.read(&chars, s, e);
    }
    out
}

fn leading_spaces(chars: &[char]) -> usize {
    chars.iter().take_while(|c| c.is_whitespace()).count()
}

/// Width-folded characters with bracketed asides blanked out (`(GDP)`, `(预计数)`,
/// `(PM2.5)`): their numbers are never figures and their words never names.
fn masked(raw: &[char]) -> Vec<char> {
    let mut depth = 0usize;
    raw.iter()
        .map(|&c| {
            let c = fold_width(c);
            match c {
                '(' | '[' | '【' | '〔' => {
                    depth += 1;
                    ' '
                }
                ')' | ']' | '】' | '〕' => {
                    depth = depth.saturating_sub(1);
                    ' '
                }
                _ if depth > 0 => ' ',
                _ => c,
            }
        })
        .collect()
}

/// Split `chars[..]` at the given terminators (kept with the piece before them).
fn pieces(chars: &[char], ends: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in chars.iter().enumerate() {
        if ends.contains(c) {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < chars.len() {
        out.push((start, chars.len()));
    }
    out
}

struct SentenceReader<'a> {
    ctx: &'a Context,
    span: Span,
    line_no: usize,
    sentence: String,
    /// Offset of the trimmed sentence in the paragraph, in chars.
    sentence_offset: usize,
    carry: Option<Subject>,
    last_name: Option<String>,
    topic_year: &'a mut Option<i32>,
    out: &'a mut Vec<Proposed>,
}

/// A number that is a value (not a year), with what follows it.
struct Value {
    span: NumberSpan,
    unit: Option<units::Unit>,
    /// End of the unit and of any approximation word after it.
    end: usize,
    approx: bool,
    points: bool,
}

impl SentenceReader<'_> {
    fn read(&mut self, chars: &[char], s: usize, e: usize) {
        let mut clause_start = s;
        for i in s..=e {
            let at_end = i == e;
            let c = if at_end { '。' } else { chars[i] };
            if !matches!(c, ',' | ';' | ':' | '。' | '!' | '?') {
                continue;
            }
            let clause = &chars[clause_start..i];
            let text: String = clause.iter().filter(|c| !c.is_whitespace()).collect();
            if is_target_clause(&text) || self.future_year(clause) {
                // The rest of the sentence is a target (力争…, 主要预期目标是:…).
                return;
            }
            self.clause(clause, clause_start);
            if matches!(c, ';' | ':') {
                self.carry = None;
                self.last_name = None;
            }
            clause_start = i + 1;
            if at_end {
                break;
            }
        }
    }

    /// A year after the document's year anywhere in the clause (到2025年) makes it a target.
    fn future_year(&self, clause: &[char]) -> bool {
        find_numbers(clause)
            .iter()
            .any(|n| year_at(clause, n).is_some_and(|y| y > self.ctx.year))
    }

    fn clause(&mut self, clause: &[char], offset: usize) {
        let numbers = find_numbers(clause);
        let text: String = clause.iter().filter(|c| !c.is_whitespace()).collect();
        if text.starts_with("其中") && numbers.is_empty() {
            self.carry = None;
            self.last_name = None;
            return;
        }
        if numbers.is_empty() {
            self.numberless(&text, clause, offset);
            return;
        }
        // 分别 lists several subjects at once: none of the clause's figures is one
        // indicator's. 年均, 累计… make only the figure they stand before a sum or an
        // average (第三产业增加值553.87亿元、年均增长8.6%: the level is the year's).
        let listed = text.contains("分别");
        let mut prev_end = 0;
        let mut subject = None::<Subject>;
        let mut first = true;
        let mut i = 0;
        while i < numbers.len() {
            let n = &numbers[i];
            if n.start < prev_end {
                i += 1;
                continue;
            }
            if let Some(y) = year_at(clause, n) {
                // A clause that opens with a year sets the topic of what follows (2020年,全区…).
                if first && clause[..n.start].iter().all(|c| c.is_whitespace()) {
                    *self.topic_year = Some(y);
                }
                i += 1;
                continue;
            }
            let value = value_at(clause, n);
            let seg_start = prev_end;
            prev_end = value.end;
            i += 1;
            let seg = &clause[seg_start..n.start];
            let reading = self.reading(seg, first, &mut subject);
            first = false;
            let Some(reading) = reading else {
                continue;
            };
            let seg_text: String = seg.iter().filter(|c| !c.is_whitespace()).collect();
            if listed || NOT_ONE_YEAR.iter().any(|w| seg_text.contains(w)) {
                continue;
            }
            let name_at = offset + seg_start + reading.name_from;
            self.figure(&reading, &value, clause, offset, name_at);
        }
        if let Some(s) = subject {
            self.last_name = Some(s.name.clone());
            self.carry = Some(s);
        }
    }

    /// A clause without numbers: 持平 is a growth of zero; a short aside (按可比价格计算,
    /// 总量居全省第一) keeps the carried name; a longer one ends it.
    fn numberless(&mut self, text: &str, clause: &[char], offset: usize) {
        if let Some(mut before) = text.strip_suffix("持平") {
            while let Some(shorter) = ["与去年", "与上年", "保持", "基本"]
                .iter()
                .find_map(|w| before.strip_suffix(w))
            {
                before = shorter;
            }
            let (name, _) = strip_trailing(before);
            let subject = if name.is_empty() {
                self.carry.clone()
            } else {
                self.resolve(name)
            };
            if let Some(s) = subject
                && self.span == Span::OneYear
                && self.year_is_current(None)
            {
                let len = clause.len();
                self.push(Proposed {
                    indicator: s.entry.name.clone(),
                    value: 0.0,
                    unit: Some("%".into()),
                    kind: Kind::GrowthRate,
                    written: "持平".into(),
                    note: Some("原文为“持平”,记为增长0%".into()),
                    ..self.base(offset, offset + len)
                });
            }
            return;
        }
        if text.chars().count() > 12 {
            self.carry = None;
            self.last_name = None;
        }
    }

    /// The name and roles of the words before a number; `None` when the number is not a
    /// figure of a catalogue indicator of this region (updating `subject` as it goes).
    fn reading(
        &mut self,
        seg: &[char],
        first: bool,
        subject: &mut Option<Subject>,
    ) -> Option<Reading> {
        let (years, text, map) = without_years(seg);
        // 较2015年下降65%, 比2020年增长: a change over several years, not this year's.
        if years.iter().any(|y| y.compared) {
            *subject = None;
            return None;
        }
        let own_year = years.last().map(|y| y.year);
        let trimmed = text.trim_start_matches(['、', ' ', '—']);
        let lead = text.len() - trimmed.len();
        let (name, stripped) = strip_trailing(trimmed);
        let name = name.trim();
        // 比上年增长6.3%,扣除价格因素,实际增长6.1%: the real change of the same subject.
        let (name, real) = match name.strip_suffix("实际") {
            Some("" | "扣除价格因素") => ("", true),
            _ => (name, false),
        };
        let roles: Vec<Role> = stripped.iter().map(|(_, r)| *r).collect();
        let change_word = stripped
            .iter()
            .rev()
            .find(|(_, r)| matches!(r, Role::Up | Role::Down))
            .map(|(w, _)| *w);
        let resolved = if name.is_empty() {
            if first {
                self.carry.clone()
            } else {
                subject.clone()
            }
        } else if STOCK_WORDS.contains(&name) {
            // 新增高新技术企业19家、总数达到117家: the total of what was just added.
            let added = self
                .last_name
                .as_deref()
                .and_then(|n| n.strip_prefix("新增"));
            added.and_then(|n| self.resolve(n))
        } else {
            let found = self.resolve_with_change(name, change_word);
            self.last_name = Some(name.to_string());
            found
        };
        let Some(found) = resolved else {
            *subject = None;
            // A part named after the total (其中税收收入11.2亿元,增长5.0%) owns the
            // figures that follow it: the total's name is not carried past it. A rank
            // (总量居全省第3位) is an aside and keeps it.
            let aside = ["居", "第", "排名", "位次"]
                .iter()
                .any(|w| name.contains(w));
            if !name.is_empty() && !aside {
                self.carry = None;
            }
            return None;
        };
        *subject = Some(found.clone());
        let name_from = if name.is_empty() {
            seg.len()
        } else {
            map.get(lead).copied().unwrap_or(0)
        };
        Some(Reading {
            subject: found,
            roles,
            own_year,
            name_from,
            real,
        })
    }

    /// Resolve a name; with a change word, a rate indicator named by name + word first
    /// (单位GDP能耗 + 下降 → 单位地区生产总值能源消耗降低, 居民消费价格 + 上涨 → 涨幅).
    fn resolve_with_change(&self, name: &str, change: Option<&'static str>) -> Option<Subject> {
        if let Some(word) = change {
            // A reduction indicator is named by its fall even when the text says it
            // rose (能耗上升0.5% is a reduction of −0.5).
            let synonyms: &[&str] = if is_down(word) {
                &["下降", "降低", "减少", "降幅"]
            } else {
                &["涨幅", "上涨", "下降", "降低", "减少"]
            };
            let rate = synonyms
                .iter()
                .filter_map(|w| self.resolve(&format!("{name}{w}")))
                .find(|s| is_rate_entry(s.entry));
            if rate.is_some() {
                return rate;
            }
        }
        self.resolve(name).or_else(|| self.compose(name))
    }

    /// 占地区生产总值比重 after 高新技术产业增加值…, or 增加值 after 规模以上工业企业…:
    /// the name before completes this one.
    fn compose(&self, name: &str) -> Option<Subject> {
        let before = self.last_name.as_deref()?;
        // 与国内生产总值之比为2.64% says 占国内生产总值比重.
        let ratio = name
            .strip_prefix('与')
            .and_then(|n| n.strip_suffix("之比"))
            .map(|base| format!("占{base}比重"));
        let name = ratio.as_deref().unwrap_or(name);
        // 研发经费投入增长12.5%、投入强度达2.57%: the intensity of what was just named.
        if name.ends_with("强度") && before.ends_with("投入") {
            return self.resolve(&format!("{before}强度"));
        }
        if name.starts_with('占') {
            return self.resolve(&format!("{before}{name}"));
        }
        if !BARE_MEASURES.contains(&name) {
            return None;
        }
        // The measure of the whole name before, or of its head: 粮食播种面积…,总产达到
        // 24.8万吨 is 粮食总产. Longest head first, never shorter than two characters.
        let heads: Vec<usize> = before
            .char_indices()
            .map(|(i, _)| i)
            .skip(2)
            .chain([before.len()])
            .collect();
        heads
            .iter()
            .rev()
            .find_map(|&i| self.resolve(&format!("{}{name}", &before[..i])))
    }

    /// The catalogue indicator `name` ends with, if what stands before it is harmless
    /// (全年, 全县, 实现…); `None` for no indicator, and for an indicator of another
    /// region or a part of one (全市…, 民间…, 其中城镇…).
    fn resolve(&self, name: &str) -> Option<Subject> {
        let cat = Catalogue::builtin();
        let starts: Vec<usize> = name.char_indices().map(|(i, _)| i).collect();
        let first = starts.len().saturating_sub(MAX_NAME);
        // The longest suffix of at least two characters that is a catalogue name as
        // written: 城镇居民人均可支配收入 is not 居民人均可支配收入.
        for &i in &starts[first..] {
            let tail = &name[i..];
            if tail.chars().count() < 2 {
                break;
            }
            let Some(entry) = cat.exact(tail) else {
                continue;
            };
            if LOOSE_ALIASES.contains(&tail) {
                // A published figure of another statistic: not this indicator's value.
                return None;
            }
            // normalize() drops 全区/全市… before matching: look at the tail's own start too.
            let scope = scope_word_at(tail);
            let foreign = scope.is_some_and(|w| !self.ctx.own.iter().any(|o| o == w));
            if foreign || !harmless(&name[..i], &self.ctx.own) {
                return None;
            }
            let tail = scope.map_or(tail, |w| &tail[w.len()..]);
            return Some(Subject {
                entry,
                name: tail.to_string(),
            });
        }
        None
    }

    fn year_is_current(&self, own: Option<i32>) -> bool {
        own.or(*self.topic_year).unwrap_or(self.ctx.year) == self.ctx.year
    }

    fn figure(&mut self, r: &Reading, v: &Value, clause: &[char], offset: usize, name_at: usize) {
        if v.approx || v.points || !self.year_is_current(r.own_year) {
            return;
        }
        let has = |role: Role| r.roles.contains(&role);
        if has(Role::Start) || has(Role::Approx) {
            return;
        }
        let Some(unit) = v.unit else { return };
        let entry = r.subject.entry;
        // 增速为6.1%: a change word before 为 is still a change; 增长到 is one word, a level.
        let change = r
            .roles
            .iter()
            .rev()
            .find(|role| matches!(role, Role::Up | Role::Down))
            .map(|role| *role == Role::Up);
        let from = name_at.min(offset + v.span.start);
        let base = self.base(from, offset + v.end);
        let written: String = clause[v.span.start..v.end].iter().collect();
        let proposed = match change {
            Some(up) => change_figure(entry, up, v.span.value, unit, self.span),
            None => level_figure(entry, v.span.value, unit, self.span),
        };
        if let Some((value, unit, kind, note)) = proposed {
            // A real growth replaces the nominal one just read for the same indicator:
            // plans set real growth targets (与经济增长同步), and statistics offices
            // report the real rate as the year's growth.
            if r.real && kind == Kind::GrowthRate {
                let line = self.line_no;
                if let Some(nominal) = self.out.iter_mut().rev().find(|p| {
                    p.line == line && p.indicator == entry.name && p.kind == Kind::GrowthRate
                }) {
                    nominal.note = Some(format!(
                        "名义增长{}%,实际增长{value}%,取实际增长",
                        nominal.value
                    ));
                    nominal.value = value;
                    nominal.written = format!("{};实际{}", nominal.written, written.trim());
                    return;
                }
            }
            self.push(Proposed {
                indicator: entry.name.clone(),
                value,
                unit: Some(unit),
                kind,
                written: written.trim().to_string(),
                note,
                ..base
            });
        }
    }

    /// A proposal with the document-level fields and the highlight `from..to`
    /// (paragraph offsets, in chars) made relative to the sentence.
    fn base(&self, from: usize, to: usize) -> Proposed {
        let len = self.sentence.chars().count();
        let start = from.saturating_sub(self.sentence_offset).min(len);
        let end = to.saturating_sub(self.sentence_offset).clamp(start, len);
        Proposed {
            region: String::new(),
            year: self.ctx.year,
            indicator: String::new(),
            value: 0.0,
            unit: None,
            kind: Kind::Level,
            line: self.line_no,
            sentence: self.sentence.clone(),
            highlight: (start, end),
            written: String::new(),
            note: None,
        }
    }

    fn push(&mut self, p: Proposed) {
        self.out.push(p);
    }
}

/// What the words before a number say.
struct Reading {
    subject: Subject,
    roles: Vec<Role>,
    /// A year written right before the number (2020年的735亿元).
    own_year: Option<i32>,
    /// Where the name starts in the segment, in chars.
    name_from: usize,
    /// The change is the real one (实际增长, after 扣除价格因素).
    real: bool,
}

/// A level (or share) of `entry` from `value` written in `unit`:
/// (value, unit, kind, note).
fn level_figure(
    entry: &Entry,
    value: f64,
    unit: units::Unit,
    span: Span,
) -> Option<(f64, String, Kind, Option<String>)> {
    // Over several years, an amount added (新增城镇就业4.6万人) is the sum of the years.
    if span == Span::SeveralYears && entry.name.starts_with("新增") {
        return None;
    }
    let percent_entry = entry.unit.as_deref() == Some("%");
    if percent_entry {
        if unit.family != Family::Percent || !(0.0..=100.0).contains(&value) {
            return None;
        }
        let kind = if is_reduction_entry(entry) {
            Kind::Reduction
        } else if is_rate_entry(entry) {
            Kind::Level
        } else {
            Kind::Share
        };
        return Some((value, "%".into(), kind, None));
    }
    if unit.family == Family::Percent {
        return None;
    }
    let (converted, unit_text) = units::convert(value, unit, entry.unit.as_deref())?;
    let note =
        (unit_text != unit.text).then(|| format!("原文单位为{},已换算为{unit_text}", unit.text));
    Some((converted, unit_text, Kind::Level, note))
}

/// A change of `entry` by `value`% (`up` or down): a growth rate, a reduction of a
/// reduction indicator, or the level of a rate indicator (涨幅).
fn change_figure(
    entry: &Entry,
    up: bool,
    value: f64,
    unit: units::Unit,
    span: Span,
) -> Option<(f64, String, Kind, Option<String>)> {
    // Over several years a change is cumulative; an absolute change (增加0.3万人) or a
    // change in points is not a rate.
    if span == Span::SeveralYears || unit.family != Family::Percent {
        return None;
    }
    if is_reduction_entry(entry) {
        let note = "降幅,正值表示下降、负值表示上升".to_string();
        return Some((
            if up { -value } else { value },
            "%".into(),
            Kind::Reduction,
            Some(note),
        ));
    }
    if is_rate_entry(entry) {
        return Some((
            if up { value } else { -value },
            "%".into(),
            Kind::Level,
            None,
        ));
    }
    // A share or rate that 增长5% is ambiguous (relative or in points): not taken.
    if entry.unit.as_deref() == Some("%") {
        return None;
    }
    let note = (!up).then(|| "原文为下降,记为负增长".to_string());
    Some((
        if up { value } else { -value },
        "%".into(),
        Kind::GrowthRate,
        note,
    ))
}

fn is_reduction_entry(entry: &Entry) -> bool {
    ["降低", "下降", "减少", "降幅"]
        .iter()
        .any(|w| entry.name.ends_with(w))
}

fn is_rate_entry(entry: &Entry) -> bool {
    is_reduction_entry(entry) || entry.name.ends_with("涨幅")
}

fn is_down(word: &str) -> bool {
    ["下降", "降低", "减少", "回落", "下滑", "下跌", "降幅"].contains(&word)
}

/// A region scope word (全市, 全县…) at the start of `tail`.
fn scope_word_at(tail: &str) -> Option<&'static str> {
    const SCOPES: &[&str] = &[
        "全国", "全省", "全市", "全县", "全区", "全州", "全旗", "全盟", "全镇",
    ];
    SCOPES.iter().copied().find(|w| tail.starts_with(w))
}

/// `2020` in `2020年`: a year between 1949 and 2100 written as four digits before 年.
fn year_at(chars: &[char], n: &NumberSpan) -> Option<i32> {
    let is_year = n.end - n.start == 4 && chars.get(n.end) == Some(&'年') && n.value.fract() == 0.0;
    is_year
        .then_some(n.value as i32)
        .filter(|y| (1949..=2100).contains(y))
}

/// The number at `n` with its unit and the words after it.
fn value_at(clause: &[char], n: &NumberSpan) -> Value {
    let after = &clause[n.end..];
    let starts = |w: &str, at: &[char]| {
        let mut it = at.iter();
        w.chars().all(|c| it.next() == Some(&c))
    };
    let approx_before_unit = APPROX_AFTER.iter().any(|w| starts(w, after));
    let points = starts("个百分点", after) || starts("百分点", after);
    let unit = if approx_before_unit || points {
        None
    } else {
        units::unit_at(after)
    };
    let unit_len = unit.map_or(0, |u| u.text.chars().count());
    let rest = &after[unit_len..];
    let approx_after = APPROX_AFTER
        .iter()
        .find(|w| starts(w, rest))
        .map_or(0, |w| w.chars().count());
    Value {
        span: NumberSpan {
            value: n.value,
            start: n.start,
            end: n.end,
        },
        unit,
        end: n.end + unit_len + approx_after,
        approx: approx_before_unit || approx_after > 0,
        points,
    }
}

/// A year written in the text before a number.
struct YearMention {
    year: i32,
    /// After 比/较/与: the base of a comparison.
    compared: bool,
}

/// The text before a number without the years in it (`从2015年的` → `从的`), the years,
/// and for each byte of the text the char offset in `seg` it came from.
fn without_years(seg: &[char]) -> (Vec<YearMention>, String, Vec<usize>) {
    let numbers = find_numbers(seg);
    let mut years = Vec::new();
    let mut text = String::new();
    let mut map = Vec::new();
    let mut skip_until = 0;
    for n in &numbers {
        if let Some(y) = year_at(seg, n) {
            let before = seg[..n.start].iter().rev().find(|c| !c.is_whitespace());
            years.push(YearMention {
                year: y,
                compared: matches!(before, Some('比' | '较' | '与')),
            });
            for (i, c) in seg.iter().enumerate().take(n.start).skip(skip_until) {
                push_char(&mut text, &mut map, *c, i);
            }
            skip_until = n.end + 1;
        }
    }
    for (i, c) in seg.iter().enumerate().skip(skip_until) {
        push_char(&mut text, &mut map, *c, i);
    }
    (years, text, map)
}

fn push_char(text: &mut String, map: &mut Vec<usize>, c: char, at: usize) {
    if c.is_whitespace() {
        return;
    }
    text.push(c);
    map.extend(std::iter::repeat_n(at, c.len_utf8()));
}
