//! The report as one standalone HTML file: inline SVG charts, no external assets,
//! print styles for A4 so a browser's "print to PDF" gives a usable document.
//! [`body`] gives the report without `<html>` for embedding in the web app's pages.

use crate::report::{Report, TaskGroup};

/// Escape text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = r#"
body { font-family: "FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", "SimSun", "宋体", serif;
  font-size: 16px; line-height: 1.75; color: #111; max-width: 960px; margin: 2em auto; padding: 0 1.5em; }
h1, h2, h3 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; font-weight: bold; }
h1 { font-size: 26px; text-align: center; line-height: 1.5; margin: 1.2em 0 0.3em; }
h1 span { display: block; }
.dateline { text-align: center; color: #444; margin-bottom: 2em; }
h2 { font-size: 20px; margin: 1.6em 0 0.6em; }
h3 { font-size: 17px; margin: 1.2em 0 0.4em; }
p { text-indent: 2em; margin: 0.4em 0; text-align: justify; }
p.note { text-indent: 0; font-size: 14px; color: #333; }
.summary { font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1em; font-size: 13px; line-height: 1.45; }
caption { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 14px; padding: 0.3em; }
th, td { border: 1px solid #555; padding: 3px 5px; vertical-align: top; }
th { background: #eef2f7; font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-weight: normal; }
td.n { text-align: right; white-space: nowrap; }
tr.group td { background: #f6f6f6; font-weight: bold; }
table.indicators td:nth-child(3), table.indicators td:nth-child(4) { white-space: nowrap; }
.s-lag { color: #b35900; } .s-severe { color: #b71c1c; font-weight: bold; } .s-good { color: #1b5e20; }
figure { margin: 0.8em auto; text-align: center; page-break-inside: avoid; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
.indicator { page-break-inside: avoid; break-inside: avoid; }
ol li, ul li { margin: 0.2em 0; }
.finding { margin: 0.5em 0; }
.finding div { margin-left: 2em; font-size: 14px; }
@page { size: A4; margin: 25mm 22mm 22mm 25mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 12pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  table { font-size: 9pt; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; break-inside: avoid; }
  .appendix { page-break-before: always; break-before: page; }
}
"#;

fn status_class(status: &str) -> &'static str {
    if status.starts_with("严重滞后") {
        "s-severe"
    } else if status.starts_with("滞后") {
        "s-lag"
    } else if ["提前实现", "已实现", "快于预期", "基本符合预期"]
        .iter()
        .any(|s| status.starts_with(s))
    {
        "s-good"
    } else {
        ""
    }
}

fn table(out: &mut String, caption: &str, headers: &[&str], rows: &[Vec<String>]) {
    out.push_str("<table>");
    if !caption.is_empty() {
        out.push_str(&format!("<caption>{}</caption>", esc(caption)));
    }
    out.push_str("<thead><tr>");
    for h in headers {
        out.push_str(&format!("<th>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead><tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for c in r {
            out.push_str(&format!("<td>{}</td>", esc(c)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

fn task_rows(groups: &[TaskGroup]) -> Vec<Vec<String>> {
    groups
        .iter()
        .map(|g| {
            vec![
                g.name.clone(),
                g.total.to_string(),
                g.done.to_string(),
                g.in_progress.to_string(),
                g.not_started.to_string(),
                g.delayed.to_string(),
                g.done_share(),
            ]
        })
        .collect()
}

const TASK_HEADERS: [&str; 6] = ["任务数", "已完成", "推进中", "未开始", "滞后", "完成率"];

fn para(out: &mut String, text: &str) {
    out.push_str(&format!("<p>{}</p>\n", esc(text)));
}

/// The report's content (title to appendix) without `<html>`, `<head>` or styles.
pub fn body(r: &Report) -> String {
    let h = &r.headings;
    let mut s = format!(
        "<h1><span>{}</span><span>{}</span></h1>\n<div class=\"dateline\">{}</div>\n",
        esc(&r.title),
        esc(&r.subtitle),
        esc(&r.dateline)
    );

    s.push_str(&format!("<h2>{}</h2>\n", esc(&h.overview)));
    for (i, p) in r.overview.iter().enumerate() {
        if i == 1 {
            s.push_str(&format!("<p class=\"summary\">{}</p>\n", esc(p)));
        } else {
            para(&mut s, p);
        }
    }
    if !r.groups.is_empty() {
        s.push_str("<p>分领域看:</p>\n<ul>\n");
        for g in &r.groups {
            s.push_str(&format!("<li>{}</li>\n", esc(&g.sentence())));
        }
        s.push_str("</ul>\n");
    }
    s.push_str(&format!(
        "<figure>{}</figure>\n",
        r.rollup_chart.to_svg().trim_end()
    ));

    s.push_str(&format!("<h2>{}</h2>\n", esc(&h.indicators)));
    s.push_str(&format!(
        "<table class=\"indicators\"><caption>表1 主要指标{}情况(数据截至{}年)</caption><thead><tr>",
        r.kind.verb(),
        r.year
    ));
    let base = format!("{}年", r.period.0 - 1);
    let target = format!("{}年目标", r.period.1);
    for hd in [
        "序号",
        "指标",
        "单位",
        "属性",
        &base,
        &target,
        "最新实际",
        "完成进度",
        "评估结论",
        "余下年份所需",
    ] {
        s.push_str(&format!("<th>{}</th>", esc(hd)));
    }
    s.push_str("</tr></thead><tbody>\n");
    let mut group: Option<&str> = None;
    for i in &r.indicators {
        if i.group.as_deref() != group {
            group = i.group.as_deref();
            if let Some(g) = group {
                s.push_str(&format!(
                    "<tr class=\"group\"><td colspan=\"10\">{}</td></tr>\n",
                    esc(g)
                ));
            }
        }
        s.push_str(&format!(
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"{}\">{}</td><td>{}</td></tr>\n",
            i.no,
            esc(&i.name),
            esc(&i.unit),
            esc(&i.attribute),
            esc(&i.baseline),
            esc(&i.target),
            esc(&i.latest),
            esc(&i.completion),
            status_class(&i.status),
            esc(&i.status),
            esc(&i.pace_needed)
        ));
    }
    s.push_str("</tbody></table>\n");
    for n in &r.indicator_notes {
        s.push_str(&format!("<p class=\"note\">{}</p>\n", esc(n)));
    }

    s.push_str(&format!("<h2>{}</h2>\n", esc(&h.attention)));
    for (title, notes, empty) in [
        (
            "(一)进度滞后或预警的指标",
            &r.lagging,
            "没有进度滞后或需要预警的指标。",
        ),
        ("(二)其他约束性指标", &r.binding, "没有其他约束性指标。"),
    ] {
        s.push_str(&format!("<h3>{title}</h3>\n"));
        if notes.is_empty() {
            para(&mut s, empty);
        }
        for n in notes {
            s.push_str(&format!(
                "<div class=\"indicator\"><p><strong>{}</strong></p>\n",
                esc(&n.heading)
            ));
            para(&mut s, &n.text);
            if let Some(c) = &n.chart {
                s.push_str(&format!("<figure>{}</figure>\n", c.to_svg().trim_end()));
            }
            s.push_str("</div>\n");
        }
    }

    s.push_str(&format!("<h2>{}</h2>\n", esc(&h.annual)));
    if r.annual.is_empty() {
        para(&mut s, "没有可与五年目标衔接比较的年度目标。");
    } else {
        s.push_str("<ul>\n");
        for a in &r.annual {
            s.push_str(&format!("<li>{}</li>\n", esc(a)));
        }
        s.push_str("</ul>\n");
    }

    s.push_str(&format!("<h2>{}</h2>\n", esc(&h.tasks)));
    para(&mut s, &r.tasks.summary);
    if !r.tasks.by_department.is_empty() {
        let mut hd = vec!["牵头单位"];
        hd.extend(TASK_HEADERS);
        table(
            &mut s,
            "表2 重点任务推进情况(按牵头单位)",
            &hd,
            &task_rows(&r.tasks.by_department),
        );
        if r.tasks.by_chapter.is_empty() {
            para(&mut s, "规划文本未识别出章节结构,暂不按章节统计。");
        } else {
            hd[0] = "章节";
            table(
                &mut s,
                "表3 重点任务推进情况(按规划章节)",
                &hd,
                &task_rows(&r.tasks.by_chapter),
            );
        }
    }
    if !r.tasks.delayed.is_empty() {
        s.push_str("<p>进展滞后的任务:</p>\n<ul>\n");
        for d in &r.tasks.delayed {
            s.push_str(&format!("<li>{}</li>\n", esc(d)));
        }
        s.push_str("</ul>\n");
    }

    s.push_str(&format!("<h2>{}</h2>\n", esc(&h.projects)));
    para(&mut s, &r.projects.summary);
    if !r.projects.rows.is_empty() {
        let rows: Vec<Vec<String>> = r
            .projects
            .rows
            .iter()
            .map(|p| {
                vec![
                    p.no.to_string(),
                    p.name.clone(),
                    p.investment.clone(),
                    p.period.clone(),
                    p.status.clone(),
                    format!("第{}行", p.line),
                ]
            })
            .collect();
        table(
            &mut s,
            "表4 重大项目",
            &["序号", "项目名称", "总投资", "建设期", "状态", "规划原文"],
            &rows,
        );
    }

    s.push_str(&format!("<h2>{}</h2>\n", esc(&h.consistency)));
    if r.findings.is_empty() {
        para(
            &mut s,
            "未发现规划文本与政府工作报告、统计数据之间的不一致。",
        );
    } else {
        para(
            &mut s,
            &format!("共发现{}处需要核对的不一致:", r.findings.len()),
        );
        for (i, f) in r.findings.iter().enumerate() {
            s.push_str(&format!(
                "<div class=\"finding\">{}. 【{}】{}<div>① {}</div><div>② {}</div></div>\n",
                i + 1,
                esc(&f.severity),
                esc(&f.message),
                esc(&f.first),
                esc(&f.second)
            ));
        }
    }

    s.push_str(&format!("<h2>{}</h2>\n<ol>\n", esc(&h.outlook)));
    for o in &r.outlook {
        s.push_str(&format!("<li>{}</li>\n", esc(o)));
    }
    s.push_str("</ol>\n");

    s.push_str(&format!(
        "<section class=\"appendix\">\n<h2>{}</h2>\n<h3>一、文件</h3>\n",
        esc(&h.sources)
    ));
    let docs: Vec<Vec<String>> = r
        .sources
        .documents
        .iter()
        .map(|d| {
            vec![
                d.title.clone(),
                d.path.clone(),
                d.role.clone(),
                d.sha256.clone(),
            ]
        })
        .collect();
    table(
        &mut s,
        "",
        &["文件", "路径", "用途", "SHA-256(前12位)"],
        &docs,
    );
    s.push_str("<h3>二、指标在规划纲要中的位置</h3>\n");
    let lines: Vec<Vec<String>> = r
        .sources
        .indicator_lines
        .iter()
        .map(|(n, l)| vec![n.clone(), l.clone()])
        .collect();
    table(&mut s, "", &["指标", "原文位置"], &lines);
    s.push_str("<h3>三、统计数据来源</h3>\n");
    if r.sources.releases.is_empty() {
        para(&mut s, "尚未导入统计数据。");
    } else {
        let rel: Vec<Vec<String>> = r
            .sources
            .releases
            .iter()
            .map(|x| {
                vec![
                    x.name.clone(),
                    x.url.clone(),
                    x.date.clone(),
                    x.figures.join(";"),
                ]
            })
            .collect();
        table(
            &mut s,
            "",
            &["发布来源", "链接", "发布日期", "采用的数据"],
            &rel,
        );
    }
    s.push_str("<h3>四、评估方法</h3>\n<ul>\n");
    for m in &r.method {
        s.push_str(&format!("<li>{}</li>\n", esc(m)));
    }
    s.push_str("</ul>\n</section>\n");
    s
}

/// The report as a standalone HTML document.
pub fn render(r: &Report) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        esc(&r.title),
        esc(&r.subtitle),
        body(r)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_status_classes() {
        assert_eq!(esc("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        let check = |s: &str, want: &str| assert_eq!(status_class(s), want, "{s}");
        check("严重滞后(预警)", "s-severe");
        check("滞后", "s-lag");
        check("基本符合预期", "s-good");
        check("数据不足", "");
    }
}
