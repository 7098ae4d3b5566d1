//! The words around a figure that decide what it is: the verb before it (为, 达到,
//! 增长到), a comparison (比上年增长), a direction of change (增长, 下降), a start
//! value (从, 由), an approximation (超过, 近, 以上), a target (力争, 预期目标), and the
//! harmless words that may stand before an indicator's name (全年, 全县, 实现).

/// What a word at the end of the text before a number says about the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The number is the state reached (为, 达到, 增长到, 降至).
    LevelTo,
    /// The number is an increase (增长, 上涨, 提高).
    Up,
    /// The number is a decrease (下降, 降低, 减少).
    Down,
    /// A year-on-year comparison word (比上年, 同比): the number is a change or level as
    /// the other words say, compared with the year before.
    YearOnYear,
    /// The number is a bound or a rounded figure (超过, 近, 约, 突破).
    Approx,
    /// The number is the start of a range (从…到…): not the year's value.
    Start,
    /// Carries no meaning for the figure (的, 了, 预计, 总量).
    Filler,
}

/// Words stripped from the end of the text before a number, with their role. The longest
/// match is taken first, so 增长到 is one word and not 增长 + 到.
const TRAILING: &[(&str, Role)] = &[
    ("按可比价格计算", Role::YearOnYear),
    ("按不变价格计算", Role::YearOnYear),
    ("按可比价计算", Role::YearOnYear),
    ("与上年相比", Role::YearOnYear),
    ("比上年同期", Role::YearOnYear),
    ("比上年末", Role::YearOnYear),
    ("较上年末", Role::YearOnYear),
    ("比上年", Role::YearOnYear),
    ("比去年", Role::YearOnYear),
    ("较上年", Role::YearOnYear),
    ("较去年", Role::YearOnYear),
    ("同比", Role::YearOnYear),
    ("增长到", Role::LevelTo),
    ("提高到", Role::LevelTo),
    ("增加到", Role::LevelTo),
    ("上升到", Role::LevelTo),
    ("提升到", Role::LevelTo),
    ("下降到", Role::LevelTo),
    ("降低到", Role::LevelTo),
    ("减少到", Role::LevelTo),
    ("扩大到", Role::LevelTo),
    ("缩小到", Role::LevelTo),
    ("提升至", Role::LevelTo),
    ("提高至", Role::LevelTo),
    ("增加至", Role::LevelTo),
    ("扩大至", Role::LevelTo),
    ("缩小至", Role::LevelTo),
    ("下降至", Role::LevelTo),
    ("稳定在", Role::LevelTo),
    ("保持在", Role::LevelTo),
    ("控制在", Role::LevelTo),
    ("保持", Role::LevelTo),
    ("降到", Role::LevelTo),
    ("降至", Role::LevelTo),
    ("增至", Role::LevelTo),
    ("升至", Role::LevelTo),
    ("达到", Role::LevelTo),
    ("实现", Role::LevelTo),
    ("完成", Role::LevelTo),
    ("达", Role::LevelTo),
    ("为", Role::LevelTo),
    ("是", Role::LevelTo),
    ("到", Role::LevelTo),
    ("至", Role::LevelTo),
    ("增长率", Role::Up),
    ("增长", Role::Up),
    ("增速", Role::Up),
    ("增幅", Role::Up),
    ("上涨", Role::Up),
    ("涨幅", Role::Up),
    ("上升", Role::Up),
    ("提高", Role::Up),
    ("增加", Role::Up),
    ("回升", Role::Up),
    ("提升", Role::Up),
    ("下降", Role::Down),
    ("降低", Role::Down),
    ("减少", Role::Down),
    ("回落", Role::Down),
    ("下滑", Role::Down),
    ("下跌", Role::Down),
    ("降幅", Role::Down),
    ("将近", Role::Approx),
    ("接近", Role::Approx),
    ("突破", Role::Approx),
    ("超过", Role::Approx),
    ("大约", Role::Approx),
    ("不足", Role::Approx),
    ("超", Role::Approx),
    ("近", Role::Approx),
    ("约", Role::Approx),
    ("逾", Role::Approx),
    ("从", Role::Start),
    ("由", Role::Start),
    ("平均值", Role::Filler),
    ("预计", Role::Filler),
    ("总量", Role::Filler),
    ("平均", Role::Filler),
    ("的", Role::Filler),
    ("了", Role::Filler),
    ("共", Role::Filler),
];

/// Split the text before a number into the name it ends with and the roles of the words
/// stripped after that name (in reading order).
pub fn strip_trailing(text: &str) -> (&str, Vec<(&'static str, Role)>) {
    let mut rest = text.trim_end();
    let mut roles = Vec::new();
    loop {
        let found = TRAILING
            .iter()
            .filter(|(w, _)| rest.ends_with(w))
            .max_by_key(|(w, _)| w.len());
        let Some(&(word, role)) = found else { break };
        rest = rest[..rest.len() - word.len()].trim_end_matches(['、', ' ']);
        roles.push((word, role));
    }
    roles.reverse();
    (rest, roles)
}

/// Words right after a number (or after its unit) that make it a bound or a rounded figure.
pub const APPROX_AFTER: &[&str] = &["多", "余", "以上", "以下", "左右", "以内", "上下", "强"];

/// Words that make a clause, and the rest of its sentence, a target rather than a fact.
pub const TARGET_WORDS: &[&str] = &[
    "预期目标",
    "目标",
    "力争",
    "确保",
    "争取",
    "计划",
    "将达",
    "将实现",
    "今年",
    "明年",
    "下一步",
    "拟",
];

/// `预期` that does not mark a target: comparisons of a result with expectations.
const EXPECTATION_COMPARISONS: &[&str] = &[
    "超预期",
    "好于预期",
    "高于预期",
    "低于预期",
    "不及预期",
    "符合预期",
    "快于预期",
    "慢于预期",
];

/// True when the clause speaks of a target (力争…, 预期目标…, 今年…).
pub fn is_target_clause(clause: &str) -> bool {
    if TARGET_WORDS.iter().any(|w| clause.contains(w)) {
        return true;
    }
    let comparisons: usize = EXPECTATION_COMPARISONS
        .iter()
        .map(|w| clause.matches(w).count())
        .sum();
    clause.matches("预期").count() > comparisons
}

/// Words in a clause that make its figures sums or averages over several years, or list
/// several subjects at once: never one year's value of one indicator.
pub const NOT_ONE_YEAR: &[&str] = &["年均", "累计", "平均每年", "分别", "五年", "十年"];

/// Words that may stand before an indicator's name without changing what it measures
/// (besides the region's own scope words, added per document).
pub const HARMLESS_PREFIX: &[&str] = &[
    "经初步核算",
    "初步核算",
    "按常住人口计算",
    "全年度",
    "一年来",
    "全年",
    "年末",
    "年底",
    "年初",
    "当年",
    "去年",
    "上年",
    "预计",
    "其中",
    "实现",
    "完成",
    "带动",
    "拉动",
    "推动",
    "促进",
    "实际",
    "一是",
    "二是",
    "三是",
    "四是",
    "五是",
    "六是",
    "七是",
    "八是",
    "九是",
    "十是",
    "——",
    "和",
    "及",
    "与",
    "的",
    "、",
    " ",
];

/// True when `prefix` is made only of harmless words and the region's own words.
pub fn harmless(prefix: &str, own: &[String]) -> bool {
    let mut rest = prefix;
    while !rest.is_empty() {
        let step = own
            .iter()
            .map(String::as_str)
            .chain(HARMLESS_PREFIX.iter().copied())
            .filter(|w| !w.is_empty() && rest.starts_with(w))
            .map(str::len)
            .max();
        match step {
            Some(n) => rest = &rest[n..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_words_and_their_roles() {
        let check = |text: &str, name: &str, roles: &[Role]| {
            let (n, r) = strip_trailing(text);
            let got: Vec<Role> = r.iter().map(|(_, role)| *role).collect();
            assert_eq!((n, got.as_slice()), (name, roles), "{text}");
        };
        check(
            "全年全县地区生产总值比上年增长",
            "全年全县地区生产总值",
            &[Role::YearOnYear, Role::Up],
        );
        check(
            "居民人均可支配收入提高到",
            "居民人均可支配收入",
            &[Role::LevelTo],
        );
        check("常住人口城镇化率从", "常住人口城镇化率", &[Role::Start]);
        check(
            "城镇调查失业率平均值为",
            "城镇调查失业率",
            &[Role::Filler, Role::LevelTo],
        );
        check(
            "公共财政预算收入同比下降",
            "公共财政预算收入",
            &[Role::YearOnYear, Role::Down],
        );
        check("、增长", "", &[Role::Up]);
        check("工业增加值突破", "工业增加值", &[Role::Approx]);
        check("税收占比达", "税收占比", &[Role::LevelTo]);
    }

    #[test]
    fn targets_and_expectations() {
        assert!(is_target_clause("2024年主要预期目标是"));
        assert!(is_target_clause("力争地区生产总值增长7%"));
        assert!(is_target_clause("今年地区生产总值增长5%左右"));
        assert!(!is_target_clause("经济发展遇到多重超预期因素冲击"));
        assert!(!is_target_clause("货物进出口好于预期"));
        assert!(!is_target_clause("全年国内生产总值增长3%"));
    }

    #[test]
    fn harmless_prefixes() {
        let own = vec!["全县".to_string(), "青溪县".to_string()];
        assert!(harmless("全年全县", &own));
        assert!(harmless("经初步核算全年青溪县", &own));
        assert!(harmless("", &own));
        assert!(!harmless("全年全市", &own));
        assert!(!harmless("民间", &own));
        assert!(!harmless("其中城镇", &own));
        assert!(!harmless("云岭市", &own));
    }
}
