//! Site furniture: the short lines a government web page wraps around a document
//! (breadcrumbs, 来源/发布时间, 字号 and print buttons, share links).

/// Labels that open a metadata line when followed by a colon (`来源:区发改局`).
/// Strong labels are recognised on lines up to [`MAX_STRONG`] characters.
const STRONG_LABELS: &[&str] = &[
    "来源",
    "信息来源",
    "文章来源",
    "发布时间",
    "发布日期",
    "发布机构",
    "发文机关",
    "发文日期",
    "成文日期",
    "更新时间",
    "浏览次数",
    "阅读次数",
    "点击数",
    "点击次数",
    "访问量",
    "责任编辑",
    "索引号",
    "主题分类",
    "发文字号",
    "字号",
    "字体",
    "分享到",
    "上一篇",
    "下一篇",
];

/// Labels too common in running text to trust on long lines (`时间:2021年`).
const WEAK_LABELS: &[&str] = &["作者", "编辑", "时间", "日期", "文号"];

const MAX_STRONG: usize = 120;
const MAX_WEAK: usize = 40;

/// Words that make up toolbars; a short line made only of these is furniture.
const TOOL_WORDS: &[&str] = &[
    "打印本页",
    "打印此页",
    "打印",
    "关闭窗口",
    "关闭本页",
    "关闭",
    "返回顶部",
    "返回",
    "加入收藏",
    "收藏",
    "分享到",
    "分享",
    "我要纠错",
    "扫一扫",
    "在手机上打开",
    "微信",
    "微博",
    "QQ空间",
    "字号",
    "字体",
    "默认",
    "大",
    "中",
    "小",
];

/// Breadcrumb openers (`当前位置:首页 > 政务公开`).
const POSITION_LABELS: &[&str] = &[
    "当前位置",
    "您的位置",
    "您现在的位置",
    "所在位置",
    "现在位置",
];

const BREADCRUMB_SEPARATORS: &[char] = &['>', '＞', '»', '›', '→', '/', '／'];

/// Whether a rendered line is site furniture rather than document text.
pub(crate) fn is_furniture(line: &str) -> bool {
    let len = line.chars().count();
    if len > MAX_STRONG {
        return false;
    }
    let core = line.trim_start_matches(|c: char| c.is_whitespace() || "【[［(（".contains(c));
    if POSITION_LABELS.iter().any(|l| core.starts_with(l)) {
        return true;
    }
    if core.starts_with("首页") && core.contains(BREADCRUMB_SEPARATORS) {
        return true;
    }
    if STRONG_LABELS.iter().any(|l| labelled(core, l)) {
        return true;
    }
    if len <= MAX_WEAK && WEAK_LABELS.iter().any(|l| labelled(core, l)) {
        return true;
    }
    len <= MAX_WEAK && only_tool_words(core)
}

/// `label` followed (after optional spaces) by a colon.
fn labelled(text: &str, label: &str) -> bool {
    text.strip_prefix(label)
        .map(|rest| rest.trim_start().starts_with([':', '：']))
        .unwrap_or(false)
}

/// True when nothing but toolbar words, brackets and separators remains.
fn only_tool_words(text: &str) -> bool {
    let mut rest = text;
    let mut words = 0;
    loop {
        rest = rest.trim_start_matches(|c: char| {
            c.is_whitespace() || "【】[]［］()（）|｜:：、,，·".contains(c)
        });
        if rest.is_empty() {
            return words > 0;
        }
        match TOOL_WORDS.iter().find(|w| rest.starts_with(*w)) {
            Some(w) => {
                rest = &rest[w.len()..];
                words += 1;
            }
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, expect: bool) {
        assert_eq!(is_furniture(line), expect, "{line}");
    }

    #[test]
    fn furniture_lines() {
        for line in [
            "首页 > 政府信息公开 > 规划计划",
            "首页>政务公开>发展规划",
            "当前位置:首页 > 政务公开",
            "您现在的位置:首页",
            "来源:岳阳楼区发展和改革局",
            "来源：本站",
            "发布时间:2021-05-10 来源:区发改局 【字号:大 中 小】【打印本页】【关闭窗口】",
            "【字体:大 中 小】",
            "字号:大 中 小",
            "【打印本页】【关闭窗口】",
            "打印本页 关闭窗口",
            "分享到: 微信 微博 QQ空间",
            "索引号: 43060200/2021-00123",
            "上一篇:关于印发2021年重点工作的通知",
            "作者:规划科",
            "[ 大 中 小 ]",
        ] {
            check(line, true);
        }
    }

    #[test]
    fn body_lines_are_not_furniture() {
        for line in [
            "第一章 发展基础",
            "一、总体要求",
            "来源于群众、服务于群众的工作机制更加健全。",
            "中心城区首页形象进一步提升。",
            "到2025年,地区生产总值达到1130亿元。",
            "",
            "时间:2021年至2025年,是全面建设社会主义现代化国家新征程的第一个五年,全区上下必须保持战略定力。",
        ] {
            check(line, false);
        }
    }
}
