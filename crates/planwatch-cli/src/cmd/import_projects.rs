//! `planwatch import projects`: an office's project bank (项目库) into a stored plan.
//!
//! `--preview` shows the column mapping the reader proposes and what each row would
//! do (update which project, or become a new one) without storing anything; the
//! import itself is all or nothing. `--map` changes the mapping, `--separate` keeps a
//! row apart from the project its name matches.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use planwatch_parse::projects::{
    Mapping, ProjectColumn, ProjectSheet, projects_from_sheet, read_sheet,
};
use planwatch_parse::sheet::column_letter;
use planwatch_store::{ImportPlan, ProjectBatch};

use super::db::{DbArgs, actor, open};

/// What `planwatch import projects` was asked.
pub struct ProjectImport<'a> {
    /// The workbook.
    pub file: &'a Path,
    /// The plan document the projects belong to.
    pub document: i64,
    /// Year of the 年度计划投资 and planned-date columns.
    pub year: Option<i64>,
    /// `C=total_investment` or `C=总投资`; `C=` ignores column C.
    pub map: &'a [String],
    /// Rows to import as new projects whatever their names match.
    pub separate: &'a [usize],
    /// Show the preview only.
    pub preview: bool,
}

/// Change the proposed mapping by `LETTER=field` items (field by code or label).
fn apply_map(sheet: &ProjectSheet, items: &[String]) -> Result<Mapping> {
    let mut mapping = sheet.proposed();
    for item in items {
        let (letter, field) = item
            .split_once('=')
            .ok_or_else(|| anyhow!("--map “{item}”应写作 列字母=字段，如 C=总投资"))?;
        let letter = letter.trim().to_ascii_uppercase();
        let index = (0..mapping.0.len())
            .find(|i| column_letter(*i) == letter)
            .ok_or_else(|| anyhow!("--map “{item}”：表头中没有{letter}列"))?;
        let field = field.trim();
        mapping.0[index] = if field.is_empty() {
            None
        } else {
            Some(
                ProjectColumn::ALL
                    .iter()
                    .copied()
                    .find(|c| c.code() == field || c.label() == field)
                    .ok_or_else(|| anyhow!("--map “{item}”：未知字段“{field}”"))?,
            )
        };
    }
    Ok(mapping)
}

fn print_mapping(sheet: &ProjectSheet, mapping: &Mapping) {
    println!("表头在第{}行，列对应：", sheet.header_row);
    for (c, field) in sheet.columns.iter().zip(&mapping.0) {
        let to = field.map_or("（不导入）", ProjectColumn::label);
        println!("  {}列 {} → {to}", c.letter, c.header);
    }
}

fn print_plan(plan: &ImportPlan) {
    for r in &plan.rows {
        match &r.target {
            Some(t) if t.changes.is_empty() => {
                println!(
                    "  第{}行 {} → 更新已有项目“{}”",
                    r.row.row, r.row.name, t.name
                )
            }
            Some(t) => println!(
                "  第{}行 {} → 更新已有项目“{}”（{}）",
                r.row.row,
                r.row.name,
                t.name,
                t.changes.join("；")
            ),
            None => println!("  第{}行 {} → 新增项目", r.row.row, r.row.name),
        }
    }
    if !plan.new_departments.is_empty() {
        println!("将新建责任单位：{}", plan.new_departments.join("、"));
    }
}

/// Run `planwatch import projects`.
pub async fn run(args: ProjectImport<'_>, db: &DbArgs) -> Result<()> {
    let name = args.file.display().to_string();
    let bytes = std::fs::read(args.file).with_context(|| format!("{name}：无法读取文件"))?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| name.clone());
    let sheet =
        read_sheet(&bytes, &file_name).map_err(|e| anyhow!("{name}：{e}；整个文件未导入"))?;
    let mapping = apply_map(&sheet, args.map)?;
    let rows = projects_from_sheet(&sheet, &mapping).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow!("{name}：{}\n整个文件未导入", list.join("\n"))
    })?;
    let store = open(db).await?;
    if args.preview {
        let plan = store
            .check_project_import(args.document, &rows)
            .await
            .map_err(|e| anyhow!("{name}：{e}"))?;
        print_mapping(&sheet, &mapping);
        println!("{name}：共{}个项目（预览，未导入）", rows.len());
        print_plan(&plan);
        return Ok(());
    }
    if let Some(bad) = args
        .separate
        .iter()
        .find(|r| !rows.iter().any(|p| p.row == **r))
    {
        bail!("--separate {bad}：文件中没有第{bad}行的项目");
    }
    let batch = ProjectBatch {
        file_name,
        sha256: planwatch_parse::sha256_hex(&bytes),
        year: args.year,
    };
    let done = store
        .import_projects(args.document, &batch, &rows, args.separate, &actor())
        .await
        .map_err(|e| anyhow!("{name}：{e}；整个文件未导入"))?;
    println!(
        "{name}：新增项目{}个，更新已有项目{}个，年度计划{}条，新建责任单位{}个",
        done.created, done.merged, done.year_plans, done.departments
    );
    Ok(())
}
