//! The report model laid out as blocks, section by section: the one place that
//! decides headings, captions (表1–表4), column sets and the empty-section sentences.

use super::super::blocks::{Block, Cell, Chart, Entry, Row, Style, Table, heading, para};
use super::super::{ProjectProgress, Report, TaskGroup};

/// Every block of the report, in reading order.
pub fn blocks(r: &Report) -> Vec<Block> {
    let mut b = vec![Block::Title {
        title: r.title.clone(),
        subtitle: r.subtitle.clone(),
        dateline: r.dateline.clone(),
    }];
    overview(r, &mut b);
    indicators(r, &mut b);
    attention(r, &mut b);
    annual(r, &mut b);
    tasks(r, &mut b);
    projects(r, &mut b);
    consistency(r, &mut b);
    outlook(r, &mut b);
    b.push(Block::Appendix(sources(r)));
    b
}

fn overview(r: &Report, b: &mut Vec<Block>) {
    b.push(heading(1, &r.headings.overview));
    for (i, p) in r.overview.iter().enumerate() {
        // The second paragraph is the official roll-up sentence.
        let style = if i == 1 { Style::Emphasis } else { Style::Body };
        b.push(Block::Paragraph {
            text: p.clone(),
            style,
        });
    }
    if !r.groups.is_empty() {
        b.push(para("分领域看："));
        b.push(Block::List {
            ordered: false,
            items: r.groups.iter().map(|g| g.sentence()).collect(),
        });
    }
    b.push(Block::Chart(Chart::Bar(r.rollup_chart.clone())));
}

fn indicators(r: &Report, b: &mut Vec<Block>) {
    b.push(heading(1, &r.headings.indicators));
    let mut rows = Vec::new();
    let mut group: Option<&str> = None;
    for i in &r.indicators {
        if i.group.as_deref() != group {
            group = i.group.as_deref();
            if let Some(g) = group {
                rows.push(Row::Group(g.to_string()));
            }
        }
        rows.push(Row::Cells(vec![
            Cell::number(i.no.to_string()),
            Cell::text(&i.name),
            Cell::text(&i.unit),
            Cell::text(&i.attribute),
            Cell::number(&i.baseline),
            Cell::number(&i.target),
            Cell::text(&i.latest),
            Cell::number(&i.completion),
            Cell::status(&i.status),
            Cell::text(&i.pace_needed),
        ]));
    }
    b.push(Block::Table(Table {
        caption: format!("表1 主要指标{}情况（数据截至{}年）", r.kind.verb(), r.year),
        name: Some("indicators"),
        headers: strings(&[
            "序号",
            "指标",
            "单位",
            "属性",
            &format!("{}年", r.period.0 - 1),
            &format!("{}年目标", r.period.1),
            "最新实际",
            "完成进度",
            "评估结论",
            "余下年份所需",
        ]),
        // Twips on A4, summing to the text width: 预期性 needs 3 characters of 9 pt plus padding.
        weights: vec![480, 1700, 620, 700, 720, 900, 1150, 720, 900, 954],
        rows,
    }));
    for n in &r.indicator_notes {
        b.push(Block::Paragraph {
            text: n.clone(),
            style: Style::Note,
        });
    }
}

fn attention(r: &Report, b: &mut Vec<Block>) {
    b.push(heading(1, &r.headings.attention));
    for (title, notes, empty) in [
        (
            "（一）进度滞后或预警的指标",
            &r.lagging,
            "没有进度滞后或需要预警的指标。",
        ),
        ("（二）其他约束性指标", &r.binding, "没有其他约束性指标。"),
    ] {
        b.push(heading(2, title));
        if notes.is_empty() {
            b.push(para(empty));
        }
        for n in notes {
            let mut body = vec![para(&n.text)];
            if let Some(c) = &n.chart {
                body.push(Block::Chart(Chart::Line(c.clone())));
            }
            b.push(Block::Item {
                title: n.heading.clone(),
                body,
            });
        }
    }
}

fn annual(r: &Report, b: &mut Vec<Block>) {
    b.push(heading(1, &r.headings.annual));
    if r.annual.is_empty() {
        b.push(para("没有可与五年目标衔接比较的年度目标。"));
    } else {
        b.push(Block::List {
            ordered: false,
            items: r.annual.clone(),
        });
    }
}

fn task_table(caption: &str, first: &str, groups: &[TaskGroup]) -> Block {
    Block::Table(Table {
        caption: caption.into(),
        name: None,
        headers: strings(&[
            first,
            "任务数",
            "已完成",
            "推进中",
            "未开始",
            "滞后",
            "完成率",
        ]),
        weights: vec![34, 9, 9, 9, 9, 9, 11],
        rows: groups
            .iter()
            .map(|g| {
                Row::Cells(vec![
                    Cell::text(&g.name),
                    Cell::text(g.total.to_string()),
                    Cell::text(g.done.to_string()),
                    Cell::text(g.in_progress.to_string()),
                    Cell::text(g.not_started.to_string()),
                    Cell::text(g.delayed.to_string()),
                    Cell::text(g.done_share()),
                ])
            })
            .collect(),
    })
}

fn tasks(r: &Report, b: &mut Vec<Block>) {
    b.push(heading(1, &r.headings.tasks));
    b.push(para(&r.tasks.summary));
    if !r.tasks.by_department.is_empty() {
        b.push(task_table(
            "表2 重点任务推进情况（按牵头单位）",
            "牵头单位",
            &r.tasks.by_department,
        ));
        if r.tasks.by_chapter.is_empty() {
            b.push(para("规划文本未识别出章节结构，暂不按章节统计。"));
        } else {
            b.push(task_table(
                "表3 重点任务推进情况（按规划章节）",
                "章节",
                &r.tasks.by_chapter,
            ));
        }
    }
    if !r.tasks.delayed.is_empty() {
        b.push(para("进展滞后的任务："));
        b.push(Block::List {
            ordered: false,
            items: r.tasks.delayed.clone(),
        });
    }
}

fn projects(r: &Report, b: &mut Vec<Block>) {
    b.push(heading(1, &r.headings.projects));
    b.push(para(&r.projects.summary));
    if r.projects.rows.is_empty() {
        return;
    }
    b.push(Block::Table(Table {
        caption: "表4 重大项目".into(),
        name: None,
        headers: strings(&["序号", "项目名称", "总投资", "建设期", "状态", "规划原文"]),
        weights: vec![6, 40, 12, 14, 10, 11],
        rows: r
            .projects
            .rows
            .iter()
            .map(|p| {
                Row::Cells(vec![
                    Cell::text(p.no.to_string()),
                    Cell::text(&p.name),
                    Cell::text(&p.investment),
                    Cell::text(&p.period),
                    Cell::text(&p.status),
                    Cell::text(format!("第{}行", p.line)),
                ])
            })
            .collect(),
    }));
    if let Some(p) = &r.projects.progress {
        project_progress(p, b);
    }
}

/// 重点项目推进情况: totals and classes, a table by field, the projects to watch.
fn project_progress(p: &ProjectProgress, b: &mut Vec<Block>) {
    b.push(heading(2, "重点项目推进情况"));
    b.push(para(&p.summary));
    b.push(Block::Table(Table {
        caption: "表5 重点项目推进情况（按领域）".into(),
        name: None,
        headers: strings(&[
            "领域",
            "项目数",
            "年度计划投资（万元）",
            "完成投资（万元）",
            "完成率",
            "滞后项目",
        ]),
        weights: vec![16, 10, 18, 18, 12, 12],
        rows: p
            .by_field
            .iter()
            .map(|row| Row::Cells(row.iter().map(Cell::text).collect()))
            .collect(),
    }));
    if !p.attention.is_empty() {
        b.push(para("需要关注的项目："));
        b.push(Block::List {
            ordered: false,
            items: p.attention.clone(),
        });
    }
}

fn consistency(r: &Report, b: &mut Vec<Block>) {
    b.push(heading(1, &r.headings.consistency));
    if r.findings.is_empty() {
        b.push(para("未发现规划文本与政府工作报告、统计数据之间的不一致。"));
        return;
    }
    b.push(para(format!(
        "共发现{}处需要核对的不一致：",
        r.findings.len()
    )));
    b.push(Block::Entries(
        r.findings
            .iter()
            .map(|f| Entry {
                text: format!("【{}】{}", f.severity, f.message),
                details: vec![format!("① {}", f.first), format!("② {}", f.second)],
            })
            .collect(),
    ));
}

fn outlook(r: &Report, b: &mut Vec<Block>) {
    b.push(heading(1, &r.headings.outlook));
    b.push(Block::List {
        ordered: true,
        items: r.outlook.clone(),
    });
}

fn sources(r: &Report) -> Vec<Block> {
    let s = &r.sources;
    let plain = |headers: &[&str], weights: Vec<u32>, rows: Vec<Vec<String>>| {
        Block::Table(Table {
            caption: String::new(),
            name: None,
            headers: strings(headers),
            weights,
            rows: rows
                .into_iter()
                .map(|r| Row::Cells(r.into_iter().map(Cell::text).collect()))
                .collect(),
        })
    };
    let mut b = vec![heading(1, &r.headings.sources), heading(2, "一、文件")];
    b.push(plain(
        &["文件", "路径", "用途", "SHA-256（前12位）"],
        vec![34, 30, 22, 14],
        s.documents
            .iter()
            .map(|d| {
                vec![
                    d.title.clone(),
                    d.path.clone(),
                    d.role.clone(),
                    d.sha256.clone(),
                ]
            })
            .collect(),
    ));
    b.push(heading(2, "二、指标在规划纲要中的位置"));
    b.push(plain(
        &["指标", "原文位置"],
        vec![70, 30],
        s.indicator_lines
            .iter()
            .map(|(n, l)| vec![n.clone(), l.clone()])
            .collect(),
    ));
    b.push(heading(2, "三、统计数据来源"));
    if s.releases.is_empty() {
        b.push(para("尚未导入统计数据。"));
    } else {
        b.push(plain(
            &["发布来源", "链接", "发布日期", "采用的数据"],
            vec![28, 24, 10, 38],
            s.releases
                .iter()
                .map(|x| {
                    vec![
                        x.name.clone(),
                        x.url.clone(),
                        x.date.clone(),
                        x.figures.join("；"),
                    ]
                })
                .collect(),
        ));
    }
    b.push(heading(2, "四、评估方法"));
    b.push(Block::List {
        ordered: false,
        items: r.method.clone(),
    });
    b
}

fn strings(s: &[&str]) -> Vec<String> {
    s.iter().map(|s| s.to_string()).collect()
}
