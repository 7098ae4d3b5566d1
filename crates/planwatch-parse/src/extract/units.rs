//! Units as documents write them after a figure (`804.28亿元`, `1.37万亿斤`, `5.4万元`,
//! `7.4万家`) and their conversion to the catalogue's unit, so that a value lands in
//! the unit the plan's target uses (the evaluation does not convert units).

/// What a unit measures; only units of one family convert into each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Renminbi (元, 万元, 亿元, 万亿元).
    Yuan,
    /// US dollars.
    Dollar,
    /// People (人, 万人).
    People,
    /// Visits or trips (人次).
    PersonTimes,
    /// Mass (斤, 公斤, 吨, 万吨).
    Mass,
    /// Land area (亩, 公顷).
    Area,
    /// Enterprises or institutions (家).
    Firms,
    /// Items, patents, places (件, 个, 张, 项).
    Count,
    /// Percent.
    Percent,
    /// Per mille.
    PerMille,
    /// Years (of age or schooling).
    Years,
    /// Anything with one fixed spelling (微克/立方米, 吨标准煤/万元…).
    Fixed(&'static str),
}

/// A unit as written: its spelling, family and factor to the family's base unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// As written (`万亿元`).
    pub text: &'static str,
    /// What it measures.
    pub family: Family,
    /// Base units per one of this unit (万亿元: 1e12 元).
    pub factor: f64,
}

const fn unit(text: &'static str, family: Family, factor: f64) -> Unit {
    Unit {
        text,
        family,
        factor,
    }
}

/// Known units, longest spelling first so `万亿元` wins over `万` and `亿元`.
const UNITS: &[Unit] = &[
    unit("吨标准煤/万元", Family::Fixed("吨标准煤/万元"), 1.0),
    unit("微克/立方米", Family::Fixed("微克/立方米"), 1.0),
    unit("万吨标准煤", Family::Fixed("万吨标准煤"), 1.0),
    unit("万元/人", Family::Fixed("万元/人"), 1.0),
    unit("1/10万", Family::Fixed("1/10万"), 1.0),
    unit("亿立方米", Family::Fixed("亿立方米"), 1.0),
    unit("万亿美元", Family::Dollar, 1e12),
    unit("亿美元", Family::Dollar, 1e8),
    unit("万美元", Family::Dollar, 1e4),
    unit("万亿元", Family::Yuan, 1e12),
    unit("万亿斤", Family::Mass, 5e11),
    unit("万人次", Family::PersonTimes, 1e4),
    unit("亿人次", Family::PersonTimes, 1e8),
    unit("万公顷", Family::Area, 15e4),
    unit("亿元", Family::Yuan, 1e8),
    unit("万元", Family::Yuan, 1e4),
    unit("美元", Family::Dollar, 1.0),
    unit("亿斤", Family::Mass, 5e7),
    unit("万斤", Family::Mass, 5e3),
    unit("万吨", Family::Mass, 1e7),
    unit("公斤", Family::Mass, 1.0),
    unit("人次", Family::PersonTimes, 1.0),
    unit("万人", Family::People, 1e4),
    unit("亿人", Family::People, 1e8),
    unit("万亩", Family::Area, 1e4),
    unit("公顷", Family::Area, 15.0),
    unit("万家", Family::Firms, 1e4),
    unit("万件", Family::Count, 1e4),
    unit("万个", Family::Count, 1e4),
    unit("万张", Family::Count, 1e4),
    unit("元", Family::Yuan, 1.0),
    unit("斤", Family::Mass, 0.5),
    unit("吨", Family::Mass, 1e3),
    unit("人", Family::People, 1.0),
    unit("亩", Family::Area, 1.0),
    unit("家", Family::Firms, 1.0),
    unit("件", Family::Count, 1.0),
    unit("个", Family::Count, 1.0),
    unit("张", Family::Count, 1.0),
    unit("项", Family::Count, 1.0),
    unit("岁", Family::Years, 1.0),
    unit("年", Family::Years, 1.0),
    unit("%", Family::Percent, 1.0),
    unit("‰", Family::PerMille, 1.0),
];

/// The unit at the start of `after` (the characters right after a number).
pub fn unit_at(after: &[char]) -> Option<Unit> {
    UNITS.iter().copied().find(|u| {
        let mut it = after.iter();
        u.text.chars().all(|c| it.next() == Some(&c))
    })
}

/// The unit with exactly this spelling (a catalogue unit).
pub fn lookup(text: &str) -> Option<Unit> {
    UNITS.iter().copied().find(|u| u.text == text)
}

/// A value written in `from`, expressed in the catalogue's unit `to`: the same family
/// converts (5.4万元 → 54000元); a currency other than the catalogue's keeps its own
/// currency at the catalogue's magnitude (9.5万亿元 for a catalogue in 亿美元 →
/// 95000亿元, never a made-up exchange rate); any other mismatch is not this indicator.
pub fn convert(value: f64, from: Unit, to: Option<&str>) -> Option<(f64, String)> {
    let Some(to) = to else {
        return Some((value, from.text.to_string()));
    };
    // A catalogue unit this table does not know cannot be checked: not taken.
    let to = lookup(to)?;
    if from.family == to.family {
        return Some((round(value * from.factor / to.factor), to.text.to_string()));
    }
    let currencies = [Family::Yuan, Family::Dollar];
    if currencies.contains(&from.family) && currencies.contains(&to.family) {
        let same_scale = UNITS
            .iter()
            .find(|u| u.family == from.family && u.factor == to.factor)?;
        return Some((
            round(value * from.factor / same_scale.factor),
            same_scale.text.to_string(),
        ));
    }
    None
}

/// Twelve significant digits: `1.37 × 50000` is 68500, not 68500.00000000001.
fn round(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let digits = 12 - (v.abs().log10().floor() as i32) - 1;
    let scale = 10f64.powi(digits.clamp(-300, 300));
    (v * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<&'static str> {
        let chars: Vec<char> = s.chars().collect();
        unit_at(&chars).map(|u| u.text)
    }

    #[test]
    fn units_after_numbers() {
        assert_eq!(at("万亿元,增长"), Some("万亿元"));
        assert_eq!(at("亿元(预计数)"), Some("亿元"));
        assert_eq!(at("万亿斤,增产"), Some("万亿斤"));
        assert_eq!(at("%,比上年"), Some("%"));
        assert_eq!(at("个百分点"), Some("个"));
        assert_eq!(at("多万人"), None);
        assert_eq!(at(""), None);
    }

    #[test]
    fn conversions_to_the_catalogue_unit() {
        let check = |v: f64, from: &str, to: Option<&str>, want: Option<(f64, &str)>| {
            let from = lookup(from).unwrap();
            let got = convert(v, from, to);
            assert_eq!(
                got.as_ref().map(|(v, u)| (*v, u.as_str())),
                want,
                "{v}{} → {to:?}",
                from.text
            );
        };
        // 1.37万亿斤 = 1.37e12 斤 = 6.85e11 kg = 6.85e8 t = 68500万吨.
        check(1.37, "万亿斤", Some("万吨"), Some((68500.0, "万吨")));
        check(5.4, "万元", Some("元"), Some((54000.0, "元")));
        check(14.58, "万亿元", Some("亿元"), Some((145800.0, "亿元")));
        check(9000.0, "人", Some("万人"), Some((0.9, "万人")));
        check(7.4, "万家", Some("家"), Some((74000.0, "家")));
        // A different currency keeps its own, at the catalogue's magnitude.
        check(9.5, "万亿元", Some("亿美元"), Some((95000.0, "亿元")));
        check(1126.6, "亿元", Some("亿美元"), Some((1126.6, "亿元")));
        // Another family is another indicator.
        check(18.0, "%", Some("亿元"), None);
        check(37.0, "年", Some("亿元"), None);
        // No catalogue unit: kept as written.
        check(3.0, "件", None, Some((3.0, "件")));
    }
}
