//! Extraction on real-register text, one trap per case.

use super::*;

fn rows(text: &str, opts: &Options) -> Vec<(String, f64, String, &'static str)> {
    extract_text(text, "t.txt", opts)
        .unwrap()
        .rows
        .into_iter()
        .map(|p| (p.indicator, p.value, p.unit.unwrap_or_default(), p.kind.code()))
        .collect()
}

fn check(text: &str, expect: &[(&str, f64, &str, &str)]) {
    let got = rows(text, &Options::default());
    let want: Vec<(String, f64, String, &str)> = expect
        .iter()
        .map(|(i, v, u, k)| (i.to_string(), *v, u.to_string(), *k))
        .collect();
    let got_cmp: Vec<(String, f64, String, &str)> = got.into_iter().collect();
    assert_eq!(got_cmp, want, "{text}");
}

const BULLETIN_HEAD: &str = "青溪县2024年国民经济和社会发展统计公报\n青溪县统计局\n2025年3月20日\n";

#[test]
fn bulletin_headline_figures() {
    check(
        &format!("{BULLETIN_HEAD}经初步核算,全年全县地区生产总值(GDP)377.9亿元,按不变价格计算,比上年增长6.1%。"),
        &[
            ("地区生产总值", 377.9, "亿元", "level"),
            ("地区生产总值", 6.1, "%", "growth_rate"),
        ],
    );
}
