//! What a target measures: the indicator name from the words before the number, the
//! words after it, or the subject of the clause or of an earlier one.

/// Verbs and fillers stripped from the words before a number to name the indicator.
pub(super) const TRAILING_VERBS: &[&str] = &[
    "提高到",
    "提升到",
    "提高至",
    "增加到",
    "下降到",
    "降低到",
    "降至",
    "达到",
    "控制在",
    "保持在",
    "稳定在",
    "维持在",
    "突破",
    "超过",
    "超",
    "迈上",
    "跨上",
    "跨越",
    "跨入",
    "迈入",
    "迈进",
    "登上",
    "站上",
    "冲刺",
    "分别",
    "年均",
    "不低于",
    "不少于",
    "不超过",
    "高于",
    "低于",
    "增长",
    "下降",
    "降低",
    "达",
    "为",
    "实现",
    "完成",
    "约",
    "在",
    "至",
    "保持",
    "全部",
    "五年累计",
    "累计",
    "五年",
];

/// Leading words that set the scene rather than name what is measured.
pub(super) const CONTEXT_PREFIXES: &[&str] = &[
    "力争", "确保", "争取", "努力", "全区", "全县", "全市", "全镇", "其中", "即", "同时", "着力",
    "加快", "大力", "积极", "推动",
];

/// Verbs whose object is what the number counts (打造2个示范点, 年产5万吨正极材料): a
/// name that ends with one is completed by the words after the unit.
pub(super) const ACTION_VERBS: &[&str] = &[
    "打造",
    "做强",
    "做大",
    "做优",
    "建设",
    "新建",
    "建成",
    "培育",
    "引进",
    "创建",
    "实施",
    "改造",
    "新增",
    "形成",
    "设立",
    "组建",
    "争创",
    "年产",
    "年处理",
    "日处理",
    "年加工",
];

/// Words that stand where a name would but name nothing (迈上1000亿台阶).
pub(super) const PLACEHOLDERS: &[&str] = &["台阶", "大关", "关口", "规模", "目标", "水平"];

/// Predicates that end a clause's subject (城镇登记失业率|控制在…, GDP年均增速|高于…).
/// 增加 is left out: it opens the noun 增加值.
pub(super) const PREDICATES: &[&str] = &[
    "分别",
    "高于",
    "低于",
    "达到",
    "达",
    "保持",
    "稳定在",
    "控制在",
    "提高",
    "提升",
    "增长",
    "下降",
    "降低",
    "降至",
    "突破",
    "超过",
    "迈上",
    "跨上",
    "跨越",
    "实现",
    "力争",
    "确保",
    "持续",
    "不断",
    "稳步",
    "进一步",
    "明显",
    "显著",
    "大幅",
    "扩大",
];

/// Growth wording that a level target does not inherit from its subject (GDP年均增速 → GDP).
pub(super) const GROWTH_MEASURES: &[&str] = &[
    "年均增长率",
    "年均增速",
    "年均增幅",
    "年均增长",
    "增长率",
    "增速",
    "增幅",
    "年均",
];

/// What the number measures: the words before it, without context and verbs; when
/// nothing is left, the words after the unit (新建1座LNG储备站); when those are only a
/// placeholder (迈上1000亿台阶), the subject of the nearest earlier clause
/// (确保全区GDP年均增速高于全市平均水平,到2025年迈上1000亿台阶 → GDP).
pub(super) fn indicator_name(before: &str, after: &str, clause: &str, earlier: &[&str]) -> String {
    // 最低比例从77%提高到80%: the name ends before the starting point.
    let before = match before.rfind('从') {
        Some(p) if p > 0 => &before[..p],
        _ => before,
    };
    let name = strip_verbs(strip_context(before.trim()))
        .trim_end_matches(['(', '[', '【', ' '])
        .trim_end();
    let names = |s: &str| {
        s.chars().count() >= 2 && !PLACEHOLDERS.contains(&s) && !GROWTH_MEASURES.contains(&s)
    };
    let object: String = after
        .chars()
        .take_while(|c| !matches!(c, '(' | '、' | ',') && !c.is_ascii_digit())
        .collect();
    // 新建1座日处理50吨的…: an object cut short by another number is not whole.
    let whole = !after[object.len()..].starts_with(|c: char| c.is_ascii_digit())
        || object.trim_end().ends_with(['和', '及', '与']);
    let object = object
        .trim_start()
        .trim_start_matches(['以', '上', '内', '左', '右', '的'])
        .trim_end_matches(['和', '及', '与'])
        .trim();
    // 做强1个省级经济开发区: the verb alone names nothing; with its object it does.
    if ACTION_VERBS.iter().any(|v| name.ends_with(v)) && whole && names(object) {
        return format!("{name}{object}");
    }
    if names(name) {
        return name.to_string();
    }
    if !names(object) {
        // The clause's own subject (城镇和农村居民人均可支配收入分别增长7%、8%), else
        // that of the nearest earlier clause.
        let subject = std::iter::once(clause)
            .chain(earlier.iter().rev().take(4).copied())
            .find_map(subject_of);
        if let Some(subject) = subject {
            return subject.to_string();
        }
    }
    format!("{name}{object}")
}

pub(super) fn strip_context(mut name: &str) -> &str {
    loop {
        let trimmed = name.trim_start();
        // 到2025年, 2025年, 到 2025 年底.
        let digits = trimmed.strip_prefix('到').unwrap_or(trimmed);
        let after_digits = digits.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
        let year = (after_digits.len() < digits.len())
            .then(|| after_digits.strip_prefix('年'))
            .flatten()
            .map(|r| r.trim_start_matches(['底', '末']));
        // ①…⑳ number the items of a list.
        let circled = trimmed.strip_prefix(|c: char| ('\u{2460}'..='\u{2473}').contains(&c));
        let next = year.or(circled).or_else(|| {
            CONTEXT_PREFIXES
                .iter()
                .find_map(|p| trimmed.strip_prefix(p))
        });
        match next {
            Some(rest) => name = rest,
            None => return trimmed,
        }
    }
}

pub(super) fn strip_verbs(mut name: &str) -> &str {
    let mut changed = true;
    while changed {
        changed = false;
        for verb in TRAILING_VERBS {
            if let Some(rest) = name.trim_end().strip_suffix(verb) {
                name = rest;
                changed = true;
            }
        }
    }
    name.trim()
}

pub(super) fn strip_growth(name: &str) -> &str {
    GROWTH_MEASURES
        .iter()
        .find_map(|m| name.strip_suffix(m))
        .filter(|rest| rest.chars().count() >= 2)
        .unwrap_or(name)
}

/// The subject of a clause: the words before its first predicate, when they read as a
/// name (2 to 24 characters, not opening with a number).
pub(super) fn subject_of(clause: &str) -> Option<&str> {
    let body = strip_context(clause);
    // Up to the first predicate, or the first number (储备可供出让土地13宗、800亩).
    let end = PREDICATES
        .iter()
        .filter_map(|p| body.find(p))
        .chain(body.find(|c: char| c.is_ascii_digit()))
        .min()?;
    let subject = strip_growth(body[..end].trim());
    let len = subject.chars().count();
    let starts_with_digit = subject.chars().next().is_some_and(|c| c.is_ascii_digit());
    let measure_only = GROWTH_MEASURES.contains(&subject) || PLACEHOLDERS.contains(&subject);
    ((2..=24).contains(&len)
        && !starts_with_digit
        && !measure_only
        && !subject.contains(['“', '《']))
    .then_some(subject)
}
