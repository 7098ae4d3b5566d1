//! Consistency findings and the sources appendix.

use super::*;

pub(super) fn place(r: &SourceRef) -> String {
    if r.line > 0 {
        format!("{} 第{}行：{}", r.document, r.line, r.text)
    } else {
        format!("{}:{}", r.document, r.text)
    }
}

pub(super) fn finding_line(f: &Finding) -> FindingLine {
    FindingLine {
        severity: match f.severity {
            Severity::Info => "提示",
            Severity::Warning => "警告",
            Severity::Error => "错误",
        }
        .into(),
        message: f.message.clone(),
        first: place(&f.first),
        second: place(&f.second),
    }
}

/// The release an observation came from: the first clause of its note, else its source.
pub(super) fn release_name(o: &planwatch_store::Observation) -> String {
    o.note
        .as_deref()
        .and_then(|n| n.split([';', ';']).next())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| o.source.clone())
}

pub(super) fn figure_phrase(o: &planwatch_store::Observation) -> String {
    let unit = o.unit.clone().unwrap_or_default();
    let years = match o.year_from {
        Some(f) if f != o.year => format!("{f}—{}年", o.year),
        _ => format!("{}年", o.year),
    };
    match o.kind {
        planwatch_core::actuals::DataKind::AnnualTarget => {
            format!("{}{years}年度目标{}{unit}", o.indicator, fig(o.value))
        }
        _ => format!("{}{years}{}{unit}", o.indicator, fig(o.value)),
    }
}

pub(super) fn sources(inp: &ReportInputs, main: &[(&Target, &Evaluation)]) -> Sources {
    let doc = &inp.document;
    let mut documents = vec![SourceDocument {
        title: doc.title.clone().unwrap_or_else(|| doc.path.clone()),
        path: doc.path.clone(),
        role: "规划纲要：指标、任务、重大项目".into(),
        sha256: doc.sha256.chars().take(12).collect(),
    }];
    for d in &inp.related {
        documents.push(SourceDocument {
            title: d.title.clone().unwrap_or_else(|| d.path.clone()),
            path: d.path.clone(),
            role: match d.doc_type {
                DocType::WorkReport => "政府工作报告：年度目标，一致性核对".into(),
                DocType::AnnualPlan => "年度计划：年度目标，一致性核对".into(),
                _ => "同一地区文件：一致性核对".into(),
            },
            sha256: d.sha256.chars().take(12).collect(),
        });
    }
    let indicator_lines = main
        .iter()
        .map(|(t, _)| {
            (
                t.indicator.clone(),
                t.line.map_or("—".into(), |l| format!("第{l}行")),
            )
        })
        .collect();
    let mut releases: Vec<SourceRelease> = Vec::new();
    let mut stored: Vec<&planwatch_store::Observation> = inp.stored_observations.iter().collect();
    stored.sort_by(|a, b| {
        (a.source_url.as_deref(), a.year, &a.indicator).cmp(&(
            b.source_url.as_deref(),
            b.year,
            &b.indicator,
        ))
    });
    for o in stored {
        let name = release_name(o);
        let url = o.source_url.clone().unwrap_or_else(|| "—".into());
        // The store fills in the import date when a row names no release date; that is not a release date.
        let date = if o.vintage.is_empty() || o.created_at.starts_with(&o.vintage) {
            "未注明".to_string()
        } else {
            o.vintage.clone()
        };
        let phrase = figure_phrase(o);
        match releases
            .iter_mut()
            .find(|r| r.name == name && r.url == url && r.date == date)
        {
            Some(r) => r.figures.push(phrase),
            None => releases.push(SourceRelease {
                name,
                url,
                date,
                figures: vec![phrase],
            }),
        }
    }
    Sources {
        documents,
        indicator_lines,
        releases,
    }
}
