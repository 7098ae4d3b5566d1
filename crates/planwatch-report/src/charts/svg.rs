//! Drawing: a line chart and a bar chart as standalone SVG text. Deterministic
//! (fixed number formatting, no randomness), so charts can be snapshot-tested.

use std::fmt::Write;

const W: f64 = 600.0;
const H: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 36.0;
const BOTTOM: f64 = 56.0;
const FONT: &str = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','SimHei',sans-serif";

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The planned path: dashed grey.
    Planned,
    /// Observed values: solid blue with dots.
    Actual,
    /// A ceiling or floor: dotted red.
    Bound,
}

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Legend text (zh-CN).
    pub label: String,
    /// Points by year.
    pub points: Vec<(i32, f64)>,
    /// How to draw it.
    pub style: Style,
}

/// A chart of values over years.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// Title above the chart.
    pub title: String,
    /// Unit shown on the value axis.
    pub unit: String,
    /// Lines, drawn in order.
    pub lines: Vec<Line>,
}

/// A horizontal bar chart of counts (categories of a roll-up).
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Title above the chart.
    pub title: String,
    /// (label, count, colour as `#rrggbb`).
    pub bars: Vec<(String, usize, String)>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number for an axis label: no trailing zeros, at most 2 decimals.
fn label(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// An axis label with as many decimals as the tick step needs (0.025 steps show
/// 0.025, 0.03, 0.035 rather than 0.03 three times).
fn tick_label(v: f64, step: f64) -> String {
    let mut decimals = 0usize;
    while decimals < 6 {
        let scaled = step * 10f64.powi(decimals as i32);
        if (scaled - scaled.round()).abs() < 1e-6 {
            break;
        }
        decimals += 1;
    }
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// A value label: up to four significant decimals below 1, two above.
fn value_label(v: f64) -> String {
    if v.abs() >= 1.0 {
        label(v)
    } else {
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" { "0".into() } else { s.to_string() }
    }
}

/// Round the value range out to a "nice" step so ticks read well (1, 2, 2.5, 5 × 10^k).
fn nice_range(lo: f64, hi: f64) -> (f64, f64, f64) {
    let (lo, hi) = if (hi - lo).abs() < 1e-9 {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - pad, hi + pad)
    } else {
        (lo, hi)
    };
    let raw = (hi - lo) / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    ((lo / step).floor() * step, (hi / step).ceil() * step, step)
}

/// A point the chart can place: a finite value in a year within the sane range (a
/// stored year from before validation must not stretch the axis over millennia).
fn drawable((year, value): (i32, f64)) -> bool {
    value.is_finite() && planwatch_core::validate::year_ok(i64::from(year))
}

impl LineChart {
    /// The chart as an SVG document; an empty chart says 暂无数据.
    pub fn to_svg(&self) -> String {
        let mut s = header(&self.title);
        let points: Vec<(i32, f64)> = self
            .lines
            .iter()
            .flat_map(|l| l.points.iter().copied())
            .filter(|p| drawable(*p))
            .collect();
        let years = points.iter().map(|p| p.0);
        let (Some(y0), Some(last)) = (years.clone().min(), years.max()) else {
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" text-anchor="middle" font-size="14" fill="#888">暂无数据</text>"##,
                W / 2.0,
                H / 2.0
            );
            s.push_str("</svg>\n");
            return s;
        };
        let y1 = last.max(y0 + 1);
        let vmin = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let vmax = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi, step) = nice_range(vmin, vmax);
        let x = |year: i32| LEFT + (year - y0) as f64 / (y1 - y0) as f64 * (W - LEFT - RIGHT);
        let y = |v: f64| TOP + (hi - v) / (hi - lo) * (H - TOP - BOTTOM);
        // Grid and value axis.
        let mut v = lo;
        while v <= hi + step / 2.0 {
            let _ = write!(
                s,
                r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{x2}" y2="{yy:.1}" stroke="#e5e5e5"/><text x="{tx}" y="{ty:.1}" text-anchor="end" font-size="11" fill="#555">{}</text>"##,
                tick_label(v, step),
                yy = y(v),
                x2 = W - RIGHT,
                tx = LEFT - 6.0,
                ty = y(v) + 4.0,
            );
            v += step;
        }
        // At most about a dozen year labels, whatever the span.
        let label_step = usize::try_from((y1 - y0) / 12 + 1).unwrap_or(1);
        for year in (y0..=y1).step_by(label_step) {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{}" text-anchor="middle" font-size="11" fill="#555">{year}</text>"##,
                x(year),
                H - BOTTOM + 16.0
            );
        }
        let _ = write!(
            s,
            r##"<text x="8" y="{}" font-size="11" fill="#555">{}</text>"##,
            TOP - 10.0,
            esc(&self.unit)
        );
        for line in &self.lines {
            let pts: Vec<String> = line
                .points
                .iter()
                .filter(|p| drawable(**p))
                .map(|(yr, v)| format!("{:.1},{:.1}", x(*yr), y(*v)))
                .collect();
            let (stroke, dash, width) = match line.style {
                Style::Planned => ("#888888", r#" stroke-dasharray="6 4""#, 1.5),
                Style::Actual => ("#1f5fbf", "", 2.5),
                Style::Bound => ("#c0392b", r#" stroke-dasharray="2 3""#, 1.5),
            };
            let _ = write!(
                s,
                r#"<polyline fill="none" stroke="{stroke}" stroke-width="{width}"{dash} points="{}"/>"#,
                pts.join(" ")
            );
            if line.style == Style::Actual {
                for p in &pts {
                    let (cx, cy) = p.split_once(',').unwrap_or(("0", "0"));
                    let _ = write!(
                        s,
                        r#"<circle cx="{cx}" cy="{cy}" r="3.5" fill="{stroke}"/>"#
                    );
                }
            }
            // Label the end of each line: the latest actual, the target, the bound.
            if let Some((yr, v)) = line.points.iter().rev().find(|p| drawable(**p)) {
                let (px, py) = (x(*yr), y(*v));
                let text = match line.style {
                    Style::Actual => value_label(*v),
                    Style::Planned => format!("目标{}", value_label(*v)),
                    Style::Bound => format!("{}{}", line.label, value_label(*v)),
                };
                if line.style == Style::Planned {
                    let _ = write!(
                        s,
                        r##"<circle cx="{px:.1}" cy="{py:.1}" r="4" fill="#ffffff" stroke="{stroke}" stroke-width="1.5"/>"##
                    );
                }
                // Keep labels inside the plot: right-aligned near the right edge.
                let anchor = if px > W - RIGHT - 60.0 {
                    "end"
                } else {
                    "start"
                };
                let dx = if anchor == "end" { -6.0 } else { 6.0 };
                let _ = write!(
                    s,
                    r##"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}" font-size="11" fill="{stroke}">{}</text>"##,
                    px + dx,
                    py - 8.0,
                    esc(&text)
                );
            }
        }
        legend(&mut s, &self.lines);
        s.push_str("</svg>\n");
        s
    }
}

impl BarChart {
    /// The chart as an SVG document.
    pub fn to_svg(&self) -> String {
        let mut s = header(&self.title);
        let max = self.bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
        let row = ((H - TOP - 16.0) / self.bars.len().max(1) as f64).min(32.0);
        let left = 110.0;
        for (i, (name, count, colour)) in self.bars.iter().enumerate() {
            let top = TOP + i as f64 * row;
            let width = *count as f64 / max * (W - left - 60.0);
            let _ = write!(
                s,
                r##"<text x="{tx}" y="{ty:.1}" text-anchor="end" font-size="12" fill="#333">{}</text><rect x="{left}" y="{ry:.1}" width="{width:.1}" height="{rh:.1}" fill="{}"/><text x="{cx:.1}" y="{ty:.1}" font-size="12" fill="#333">{count}</text>"##,
                esc(name),
                esc(colour),
                tx = left - 8.0,
                ty = top + row * 0.62,
                ry = top + row * 0.15,
                rh = row * 0.7,
                cx = left + width + 6.0,
            );
        }
        s.push_str("</svg>\n");
        s
    }
}

fn header(title: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" font-family="{FONT}" role="img" aria-label="{t}"><rect width="{W}" height="{H}" fill="#ffffff"/><text x="{cx}" y="20" text-anchor="middle" font-size="14" font-weight="bold" fill="#222">{t}</text>"##,
        t = esc(title),
        cx = W / 2.0,
    )
}

fn legend(s: &mut String, lines: &[Line]) {
    let mut x = LEFT;
    let y = H - 14.0;
    for line in lines {
        let (stroke, dash) = match line.style {
            Style::Planned => ("#888888", r#" stroke-dasharray="6 4""#),
            Style::Actual => ("#1f5fbf", ""),
            Style::Bound => ("#c0392b", r#" stroke-dasharray="2 3""#),
        };
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{ly}" x2="{x2}" y2="{ly}" stroke="{stroke}" stroke-width="2"{dash}/><text x="{tx}" y="{y}" font-size="11" fill="#333">{}</text>"##,
            esc(&line.label),
            ly = y - 4.0,
            x2 = x + 22.0,
            tx = x + 26.0,
        );
        x += 40.0 + 12.0 * line.label.chars().count() as f64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ranges() {
        let check =
            |lo, hi, want: (f64, f64, f64)| assert_eq!(nice_range(lo, hi), want, "{lo}..{hi}");
        // (1130 − 735)/5 = 79 → step 100; 700..1200.
        check(735.0, 1130.0, (700.0, 1200.0, 100.0));
        // (85 − 77.4)/5 = 1.52 → step 2; 76..86.
        check(77.4, 85.0, (76.0, 86.0, 2.0));
        // A flat series is padded by 10%: 5 ± 0.5 → step 0.2; 4.4..5.6.
        let (lo, hi, step) = nice_range(5.0, 5.0);
        assert!((lo - 4.4).abs() < 1e-9 && (hi - 5.6).abs() < 1e-9 && (step - 0.2).abs() < 1e-9);
    }

    #[test]
    fn tick_labels_show_the_step() {
        let check =
            |v: f64, step: f64, want: &str| assert_eq!(tick_label(v, step), want, "{v} {step}");
        check(0.025, 0.005, "0.025");
        check(0.03, 0.005, "0.03");
        check(1200.0, 100.0, "1200");
        check(77.5, 2.5, "77.5");
        check(76.0, 2.0, "76");
        check(-0.0, 0.2, "0");
        assert_eq!(value_label(0.0333), "0.0333");
        assert_eq!(value_label(164.333), "164.33");
    }

    #[test]
    fn labels_and_escaping() {
        assert_eq!(label(1200.0), "1200");
        assert_eq!(label(2.5), "2.5");
        assert_eq!(label(-0.0001), "0");
        assert_eq!(esc("A<B & \"C\""), "A&lt;B &amp; &quot;C&quot;");
    }

    #[test]
    fn line_chart_draws_every_line_and_point() {
        let chart = LineChart {
            title: "地区生产总值 <亿元>".into(),
            unit: "亿元".into(),
            lines: vec![
                Line {
                    label: "规划路径".into(),
                    points: vec![(2020, 735.0), (2025, 1130.0)],
                    style: Style::Planned,
                },
                Line {
                    label: "实际".into(),
                    points: vec![(2020, 735.0), (2022, 777.54), (2023, 804.28)],
                    style: Style::Actual,
                },
            ],
        };
        let svg = chart.to_svg();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert!(svg.contains("地区生产总值 &lt;亿元&gt;"));
        assert_eq!(svg.matches("<polyline").count(), 2);
        // Three actual points and the hollow target marker at the end of the planned path.
        assert_eq!(svg.matches("<circle").count(), 4);
        assert!(
            svg.contains(">目标1130<") && svg.contains(">804.28<"),
            "{svg}"
        );
        // x: 2020 at LEFT = 64, 2025 at W − RIGHT = 580; y: 1200 at TOP = 36.
        assert!(svg.contains(r#"points="64.0,"#), "{svg}");
        assert!(svg.contains("580.0,"), "{svg}");
        assert_eq!(chart.to_svg(), svg, "deterministic");
        let empty = LineChart {
            lines: vec![],
            ..chart
        };
        assert!(empty.to_svg().contains("暂无数据"));
    }

    #[test]
    fn points_in_impossible_years_are_left_out_and_labels_stay_few() {
        let chart = LineChart {
            title: "t".into(),
            unit: String::new(),
            lines: vec![Line {
                label: "实际".into(),
                points: vec![(1949, 1.0), (2100, 2.0), (i32::MAX, 3.0), (i32::MIN, 4.0)],
                style: Style::Actual,
            }],
        };
        let svg = chart.to_svg();
        // Two dots; the year axis from 1949 to 2100 has at most a dozen or so labels.
        assert_eq!(svg.matches("<circle").count(), 2, "{svg}");
        assert!(svg.matches("text-anchor=\"middle\"").count() <= 14, "{svg}");
        assert!(!svg.contains("2147483647"));
    }

    #[test]
    fn bar_chart_scales_to_the_largest_count() {
        let chart = BarChart {
            title: "分类".into(),
            bars: vec![
                ("基本符合预期".into(), 6, "#2e7d32".into()),
                ("滞后".into(), 3, "#ef6c00".into()),
            ],
        };
        let svg = chart.to_svg();
        // Width for 6 is W − 110 − 60 = 430; for 3, half of it.
        assert!(svg.contains(r#"width="430.0""#), "{svg}");
        assert!(svg.contains(r#"width="215.0""#), "{svg}");
    }
}
