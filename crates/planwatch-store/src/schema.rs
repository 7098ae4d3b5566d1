//! One descriptor per item kind: every column of an item table, written once.
//!
//! An [`items!`] entry declares, per column, its Rust type (which fixes its SQL type),
//! its zh-CN label, whether a reviewer may change it, where its value comes from at
//! ingest, and, for columns that are fields of the parsed item, how a corrected value
//! goes back into that item. From that one list come the row struct the store hands
//! out, the column list of every `SELECT` and `INSERT`, the reading of a row, the
//! insertion of a plan's items, the checks of a correction, the types of the web
//! forms, and the columns [`sync_columns`] adds to an older database.
//!
//! Adding a field the parser learned is one line in its kind's entry below (an
//! `Option` or `bool` column, so existing rows have a value).
//!
//! A stored item is read back (for the evaluation and the reports) as the parser
//! produced it (`original_json`) with, when a correction changed the row, each
//! correctable column written back into it: nothing is guessed from text.

use std::collections::HashMap;

use planwatch_core::actuals::DataKind;
use planwatch_core::codes::Code;
use planwatch_core::plan::{
    Attribute, ColumnRole, DocType, HeadingKind, Indicator, ItemSource, OutlineNode, Plan,
    ProseTarget, TargetKind, ValueCell,
};
use planwatch_core::projects::{ProjectField, ProjectOrigin};
use planwatch_core::quantity::Comparator;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::batch::Val;
use crate::tasks::ExtractedTask;
use crate::{Backend, ItemKind, StoreError, StoreResult, TaskStatus};

/// How a column is stored (SQL type and how values are bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// Text.
    Text,
    /// A float.
    Real,
    /// An integer.
    Int,
    /// A flag, stored as 0/1.
    Bool,
    /// An enum, stored as its code (text).
    Code,
}

/// Whether a reviewer may change a column (whether it may be emptied follows from its
/// type: `Option` columns may).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Set at ingest or by its own operation (assignment, progress), never by a correction.
    Fixed,
    /// A correction may change it.
    Correctable,
}

/// One column of an item table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Column name (also the field name of the row struct and of its JSON).
    pub name: &'static str,
    /// Storage type.
    pub ty: ColType,
    /// What people call it (zh-CN), for forms and messages.
    pub label: &'static str,
    /// Whether a correction may change it.
    pub edit: Edit,
    /// The value of a JSON edit as bound to SQL, if it is one of this column.
    pub(crate) from_json: fn(&Value) -> Option<Val>,
    /// Whether the column may be NULL.
    pub nullable: bool,
}

impl Column {
    /// Whether a JSON value is one this column can take.
    pub fn accepts(&self, v: &Value) -> bool {
        (self.from_json)(v).is_some()
    }

    /// Whether a correction may change the column.
    pub fn editable(&self) -> bool {
        self.edit != Edit::Fixed
    }

    /// Same value for this column: numbers as numbers with a relative tolerance of
    /// 1e-9 (1130 == 1130.0), flags as 0/1, text and codes exactly.
    pub fn same(&self, a: &Value, b: &Value) -> bool {
        let num = |v: &Value| match v {
            Value::Number(n) => n.as_f64(),
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            _ => None,
        };
        match (self.ty, num(a), num(b)) {
            (ColType::Real | ColType::Int | ColType::Bool, Some(x), Some(y)) => {
                (x - y).abs() <= 1e-9 * x.abs().max(1.0)
            }
            _ => a == b,
        }
    }

    /// A value typed into a form, as the JSON of an edit; the error is for people.
    pub fn parse_form(&self, raw: &str) -> Result<Value, String> {
        let raw = raw.trim();
        let label = self.label;
        if raw.is_empty() {
            return if self.nullable {
                Ok(Value::Null)
            } else {
                Err(format!("{label}不能为空"))
            };
        }
        let value = match self.ty {
            ColType::Text | ColType::Code => Value::String(raw.to_string()),
            ColType::Real => raw
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| format!("{label}应为数字:{raw}"))?,
            ColType::Int => raw
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| format!("{label}应为整数:{raw}"))?,
            ColType::Bool => match raw {
                "1" | "true" | "是" => Value::Bool(true),
                "0" | "false" | "否" => Value::Bool(false),
                _ => return Err(format!("{label}应为“是”或“否”:{raw}")),
            },
        };
        if (self.from_json)(&value).is_none() {
            return Err(format!("{label}的值“{raw}”无效"));
        }
        Ok(value)
    }

    /// The SQL type for `ALTER TABLE … ADD COLUMN` on a backend.
    fn sql_type(&self, backend: Backend) -> String {
        let base = match (self.ty, backend) {
            (ColType::Text | ColType::Code, _) => "TEXT",
            (ColType::Real, Backend::Sqlite) => "REAL",
            (ColType::Real, Backend::Postgres) => "DOUBLE PRECISION",
            (ColType::Int | ColType::Bool, Backend::Sqlite) => "INTEGER",
            (ColType::Int | ColType::Bool, Backend::Postgres) => "BIGINT",
        };
        if self.ty == ColType::Bool && !self.nullable {
            format!("{base} NOT NULL DEFAULT 0")
        } else {
            base.to_string()
        }
    }
}

/// A Rust type a column can have: how it is bound, read and edited.
pub(crate) trait Stored: Sized {
    /// Storage type.
    const TY: ColType;
    /// Whether NULL is a value of the type.
    const NULLABLE: bool = false;
    /// The value to bind.
    fn to_val(&self) -> Val;
    /// Read the column `name` of a row.
    fn read(row: &AnyRow, name: &str) -> StoreResult<Self>;
    /// The value of a JSON edit, if it is one of this type.
    fn from_json(v: &Value) -> Option<Self>;
}

impl Stored for String {
    const TY: ColType = ColType::Text;
    fn to_val(&self) -> Val {
        Val::Text(Some(self.clone()))
    }
    fn read(row: &AnyRow, name: &str) -> StoreResult<Self> {
        Ok(row.try_get(name)?)
    }
    fn from_json(v: &Value) -> Option<Self> {
        v.as_str()
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
    }
}

impl Stored for f64 {
    const TY: ColType = ColType::Real;
    fn to_val(&self) -> Val {
        Val::Real(Some(*self))
    }
    fn read(row: &AnyRow, name: &str) -> StoreResult<Self> {
        Ok(row.try_get(name)?)
    }
    fn from_json(v: &Value) -> Option<Self> {
        v.as_f64().filter(|x| x.is_finite())
    }
}

impl Stored for i64 {
    const TY: ColType = ColType::Int;
    fn to_val(&self) -> Val {
        Val::Int(Some(*self))
    }
    fn read(row: &AnyRow, name: &str) -> StoreResult<Self> {
        Ok(row.try_get(name)?)
    }
    fn from_json(v: &Value) -> Option<Self> {
        v.as_i64()
    }
}

impl Stored for bool {
    const TY: ColType = ColType::Bool;
    fn to_val(&self) -> Val {
        Val::Int(Some(i64::from(*self)))
    }
    fn read(row: &AnyRow, name: &str) -> StoreResult<Self> {
        Ok(row.try_get::<i64, _>(name)? != 0)
    }
    fn from_json(v: &Value) -> Option<Self> {
        v.as_bool().or(match v.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        })
    }
}

impl<T: Stored> Stored for Option<T> {
    const TY: ColType = T::TY;
    const NULLABLE: bool = true;
    fn to_val(&self) -> Val {
        match self {
            Some(v) => v.to_val(),
            None => match T::TY {
                ColType::Text | ColType::Code => Val::Text(None),
                ColType::Real => Val::Real(None),
                ColType::Int | ColType::Bool => Val::Int(None),
            },
        }
    }
    fn read(row: &AnyRow, name: &str) -> StoreResult<Self> {
        // A NULL of any type reads as an integer NULL on the `Any` driver.
        let raw = row.try_get_raw(name)?;
        if sqlx::ValueRef::is_null(&raw) {
            return Ok(None);
        }
        T::read(row, name).map(Some)
    }
    fn from_json(v: &Value) -> Option<Self> {
        if v.is_null() {
            Some(None)
        } else {
            T::from_json(v).map(Some)
        }
    }
}

/// Enums stored as their codes ([`Code`]): one impl line each.
macro_rules! stored_as_code {
    ($($ty:ty),+) => {$(
        impl Stored for $ty {
            const TY: ColType = ColType::Code;
            fn to_val(&self) -> Val {
                Val::Text(Some(self.code().to_string()))
            }
            fn read(row: &AnyRow, name: &str) -> StoreResult<Self> {
                let code: String = row.try_get(name)?;
                Code::from_code(&code).ok_or_else(|| {
                    StoreError::Invalid(format!("列 {name} 中的代码“{code}”无法识别"))
                })
            }
            fn from_json(v: &Value) -> Option<Self> {
                v.as_str().and_then(Code::from_code)
            }
        }
    )+};
}

stored_as_code!(
    Comparator,
    Attribute,
    ColumnRole,
    ItemSource,
    TargetKind,
    HeadingKind,
    DocType,
    DataKind,
    TaskStatus,
    ProjectField,
    ProjectOrigin
);

/// What an item's columns may draw on at ingest besides the item itself.
pub(crate) struct Ctx<'a> {
    /// The whole plan (its period, for projects and tasks).
    pub plan: &'a Plan,
    /// Department ids by name (for tasks).
    pub departments: &'a HashMap<String, i64>,
}

impl Ctx<'_> {
    fn period_start(&self) -> Option<i64> {
        self.plan.period.map(|p| i64::from(p.start))
    }
    fn period_end(&self) -> Option<i64> {
        self.plan.period.map(|p| i64::from(p.end))
    }
    /// The field of the 专栏 box an item on `line` is listed in (`专栏7 生态环境保护重点工程` → 生态).
    fn field_of(&self, line: usize) -> Option<ProjectField> {
        self.plan
            .boxes
            .iter()
            .find(|b| b.items.iter().any(|i| i.line == line))
            .and_then(|b| ProjectField::classify(&b.title))
    }
}

/// The descriptor of one item kind.
#[derive(Debug)]
pub struct ItemSchema {
    /// The kind.
    pub kind: ItemKind,
    /// Its table.
    pub table: &'static str,
    /// What people call it (指标).
    pub label: &'static str,
    /// Its columns besides the common ones (id, document_id, ord, item_key, rejected,
    /// corrected, original_json, version).
    pub columns: &'static [Column],
    /// Fields of the row that are not columns of its table (joined names), in order.
    pub extras: &'static [Extra],
}

/// A field of an item row read from other tables (a department's name).
#[derive(Debug, Clone, Copy)]
pub struct Extra {
    /// Field name in the row struct and its JSON.
    pub name: &'static str,
    /// Its JSON shape.
    pub shape: Shape,
}

/// The JSON shape of an extra field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Text, or null.
    OptionalText,
    /// A list of texts.
    TextList,
}

/// The [`Shape`] of an extra field's Rust type.
pub(crate) trait Shaped {
    const SHAPE: Shape;
}

impl Shaped for Option<String> {
    const SHAPE: Shape = Shape::OptionalText;
}

impl Shaped for Vec<String> {
    const SHAPE: Shape = Shape::TextList;
}

impl ItemSchema {
    /// A column by name.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The columns a correction may change, in order.
    pub fn editable(&self) -> impl Iterator<Item = &'static Column> {
        self.columns.iter().filter(|c| c.editable())
    }

    /// `id, document_id, …` for a `SELECT`, each name prefixed by `prefix` (`t.`).
    pub(crate) fn select_list(&self, prefix: &str) -> String {
        let mut names: Vec<String> = COMMON
            .iter()
            .chain(self.columns.iter().map(|c| &c.name))
            .map(|n| format!("{prefix}{n}"))
            .collect();
        names.dedup();
        names.join(", ")
    }
}

/// The columns every item table has, before its own.
const COMMON: &[&str] = &[
    "id",
    "document_id",
    "ord",
    "item_key",
    "rejected",
    "corrected",
    "original_json",
    "version",
];

/// The descriptor of an item kind.
pub fn schema(kind: ItemKind) -> &'static ItemSchema {
    match kind {
        ItemKind::Heading => &OutlineRow::SCHEMA,
        ItemKind::Indicator => &IndicatorRow::SCHEMA,
        ItemKind::Target => &TargetRow::SCHEMA,
        ItemKind::Task => &TaskRow::SCHEMA,
        ItemKind::Project => &ProjectRow::SCHEMA,
    }
}

/// Every descriptor.
pub fn schemas() -> [&'static ItemSchema; 5] {
    [
        ItemKind::Heading,
        ItemKind::Indicator,
        ItemKind::Target,
        ItemKind::Task,
        ItemKind::Project,
    ]
    .map(schema)
}

/// Declare an item kind: its row struct and its descriptor. See the module docs.
macro_rules! items {
    (
        $(#[$meta:meta])*
        $row:ident: $kind:ident in $table:literal, $label:literal, item $item:ty, key |$ki:ident| $key:expr;
        $(
            $(#[$cmeta:meta])*
            $col:ident: $ty:ty, $clabel:literal, $edit:ident,
                from |$fi:ident, $fc:ident| $from:expr
                $(, into |$si:ident, $sv:ident| $into:expr)?;
        )+
        $(@extra { $( $(#[$emeta:meta])* $extra:ident: $ety:ty; )+ })?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct $row {
            /// Row id.
            pub id: i64,
            /// Document.
            pub document_id: i64,
            /// Position in reading order.
            pub ord: i64,
            /// Stable item key (see [`crate::keys`]).
            pub item_key: String,
            $( $(#[$cmeta])* pub $col: $ty, )+
            $($( $(#[$emeta])* pub $extra: $ety, )+)?
            /// Marked wrong by a reviewer.
            pub rejected: bool,
            /// A correction changed this row.
            pub corrected: bool,
            /// The item as extracted.
            pub original: Value,
            /// Optimistic-locking version.
            pub version: i64,
        }

        impl $row {
            /// The descriptor of this kind.
            pub const SCHEMA: ItemSchema = ItemSchema {
                kind: ItemKind::$kind,
                table: $table,
                label: $label,
                columns: &[$(Column {
                    name: stringify!($col),
                    ty: <$ty as Stored>::TY,
                    label: $clabel,
                    edit: Edit::$edit,
                    from_json: |v| <$ty as Stored>::from_json(v).map(|x| x.to_val()),
                    nullable: <$ty as Stored>::NULLABLE,
                }),+],
                extras: &[$($(Extra {
                    name: stringify!($extra),
                    shape: <$ety as Shaped>::SHAPE,
                }),+)?],
            };

            /// Columns written at ingest, in the order of [`Self::insert_values`].
            pub(crate) const INSERT_COLUMNS: &'static [&'static str] =
                &["document_id", "ord", "item_key", "original_json", $(stringify!($col)),+];

            /// Read a row selected with [`ItemSchema::select_list`] (extra fields empty).
            pub(crate) fn from_row(r: &AnyRow) -> StoreResult<$row> {
                Ok($row {
                    id: r.try_get("id")?,
                    document_id: r.try_get("document_id")?,
                    ord: r.try_get("ord")?,
                    item_key: r.try_get("item_key")?,
                    $( $col: <$ty as Stored>::read(r, stringify!($col))?, )+
                    $($( $extra: Default::default(), )+)?
                    rejected: <bool as Stored>::read(r, "rejected")?,
                    corrected: <bool as Stored>::read(r, "corrected")?,
                    original: serde_json::from_str(&r.try_get::<String, _>("original_json")?)?,
                    version: r.try_get("version")?,
                })
            }

            /// The text an item's key is made from.
            pub(crate) fn key_text($ki: &$item) -> String {
                $key
            }

            /// The values of one item at ingest, for [`Self::INSERT_COLUMNS`].
            pub(crate) fn insert_values(
                document_id: i64,
                ord: usize,
                key: String,
                item: &$item,
                ctx: &Ctx,
            ) -> StoreResult<Vec<Val>> {
                Ok(vec![
                    Val::from(document_id),
                    Val::from(ord as i64),
                    Val::from(key),
                    Val::from(serde_json::to_string(item)?),
                    $({
                        let ($fi, $fc) = (item, ctx);
                        let _ = $fc;
                        let v: $ty = $from;
                        v.to_val()
                    }),+
                ])
            }

            /// The item as reviewed: as extracted, with the correctable columns written
            /// back into it when a correction changed the row.
            pub fn reviewed(&self) -> StoreResult<$item> {
                #[allow(unused_mut)]
                let mut item: $item = serde_json::from_value(self.original.clone())?;
                if self.corrected {
                    $($({
                        let ($si, $sv) = (&mut item, self.$col.clone());
                        $into;
                    })?)+
                }
                Ok(item)
            }
        }
    };
}

/// A cell of an indicator as a reviewer's column sets it: the text decides whether
/// there is a cell at all (its column comes first), the other columns fill it.
fn cell_mut(cell: &mut Option<ValueCell>) -> Option<&mut ValueCell> {
    cell.as_mut()
}

fn set_cell_text(cell: &mut Option<ValueCell>, text: Option<String>) {
    match text {
        Some(text) => cell.get_or_insert_with(ValueCell::default).text = text,
        None => *cell = None,
    }
}

fn year_of(y: Option<i64>) -> Option<i32> {
    y.and_then(|y| i32::try_from(y).ok())
}

fn line_of(line: i64) -> usize {
    usize::try_from(line).unwrap_or(0)
}

fn page_of(page: Option<u32>) -> Option<i64> {
    page.map(i64::from)
}

fn page_from(page: Option<i64>) -> Option<u32> {
    page.and_then(|p| u32::try_from(p).ok())
}

items! {
    /// A heading of a stored document.
    OutlineRow: Heading in "outline_nodes", "标题", item OutlineNode, key |n| format!("{}{}", n.number, n.title);
    /// Source line.
    line: i64, "原文行", Fixed, from |n, _c| n.line as i64, into |n, v| n.line = line_of(v);
    /// Page of a paged source (PDF).
    page: Option<i64>, "页码", Fixed, from |n, _c| page_of(n.page), into |n, v| n.page = page_from(v);
    /// Depth.
    level: i64, "层级", Correctable, from |n, _c| i64::from(n.level), into |n, v| n.level = u8::try_from(v).unwrap_or(u8::MAX);
    /// Marker family (章, 一、, lead, …).
    kind: HeadingKind, "编号类型", Correctable, from |n, _c| n.kind, into |n, v| n.kind = v;
    /// Marker as written.
    number: String, "编号", Correctable, from |n, _c| n.number.clone(), into |n, v| n.number = v;
    /// Heading text (corrected if a correction applies).
    title: String, "标题", Correctable, from |n, _c| n.title.clone(), into |n, v| n.title = v;
}

items! {
    /// An indicator of a stored document.
    IndicatorRow: Indicator in "indicators", "指标", item Indicator, key |i| i.name.clone();
    /// Source line.
    line: i64, "原文行", Fixed, from |i, _c| i.line as i64, into |i, v| i.line = line_of(v);
    /// Page of a paged source (PDF).
    page: Option<i64>, "页码", Fixed, from |i, _c| page_of(i.page), into |i, v| i.page = page_from(v);
    /// 序号 as written in the table.
    seq: Option<String>, "序号", Correctable, from |i, _c| i.seq.clone(), into |i, v| i.seq = v;
    /// For a sub-indicator, the parent row's name.
    parent: Option<String>, "上级指标", Correctable, from |i, _c| i.parent.clone(), into |i, v| i.parent = v;
    /// Table or prose.
    source: ItemSource, "来源", Fixed, from |i, _c| i.source, into |i, v| i.source = v;
    /// Category.
    category: Option<String>, "类别", Correctable, from |i, _c| i.category.clone(), into |i, v| i.category = v;
    /// Name.
    name: String, "指标名称", Correctable, from |i, _c| i.name.clone(), into |i, v| i.name = v;
    /// Canonical name in the indicator catalogue, once matched.
    canonical_name: Option<String>, "规范名称", Correctable, from |i, _c| crate::items::canonical_name(&i.name);
    /// Unit.
    unit: Option<String>, "单位", Correctable, from |i, _c| i.unit.clone(), into |i, v| i.unit = v;
    /// 预期性 or 约束性.
    attribute: Option<Attribute>, "属性", Correctable, from |i, _c| i.attribute, into |i, v| i.attribute = v;
    /// Baseline as written (first: it decides whether there is a baseline).
    baseline_text: Option<String>, "基期值原文", Correctable, from |i, _c| i.baseline.as_ref().map(|c| c.text.clone()), into |i, v| set_cell_text(&mut i.baseline, v);
    /// Baseline year.
    baseline_year: Option<i64>, "基期年份", Correctable, from |i, _c| i.baseline.as_ref().and_then(|c| c.year).map(i64::from), into |i, v| if let Some(c) = cell_mut(&mut i.baseline) { c.year = year_of(v) };
    /// Baseline number.
    baseline_value: Option<f64>, "基期值", Correctable, from |i, _c| i.baseline.as_ref().and_then(|c| c.value), into |i, v| if let Some(c) = cell_mut(&mut i.baseline) { c.value = v };
    /// Baseline comparator.
    baseline_comparator: Option<Comparator>, "基期值比较方式", Correctable, from |i, _c| i.baseline.as_ref().and_then(|c| c.comparator), into |i, v| if let Some(c) = cell_mut(&mut i.baseline) { c.comparator = v };
    /// Baseline is a five-year cumulative value.
    baseline_cumulative: bool, "基期值为累计数", Correctable, from |i, _c| i.baseline.as_ref().is_some_and(|c| c.cumulative), into |i, v| if let Some(c) = cell_mut(&mut i.baseline) { c.cumulative = v };
    /// Target as written (first: it decides whether there is a target).
    target_text: Option<String>, "目标值原文", Correctable, from |i, _c| i.target.as_ref().map(|c| c.text.clone()), into |i, v| set_cell_text(&mut i.target, v);
    /// Target year.
    target_year: Option<i64>, "目标年份", Correctable, from |i, _c| i.target.as_ref().and_then(|c| c.year).map(i64::from), into |i, v| if let Some(c) = cell_mut(&mut i.target) { c.year = year_of(v) };
    /// Target number.
    target_value: Option<f64>, "目标值", Correctable, from |i, _c| i.target.as_ref().and_then(|c| c.value), into |i, v| if let Some(c) = cell_mut(&mut i.target) { c.value = v };
    /// Target comparator.
    target_comparator: Option<Comparator>, "比较方式", Correctable, from |i, _c| i.target.as_ref().and_then(|c| c.comparator), into |i, v| if let Some(c) = cell_mut(&mut i.target) { c.comparator = v };
    /// Five-year cumulative target.
    target_cumulative: bool, "目标值为累计数", Correctable, from |i, _c| i.target.as_ref().is_some_and(|c| c.cumulative), into |i, v| if let Some(c) = cell_mut(&mut i.target) { c.cumulative = v };
    /// Annual growth as written (first: it decides whether there is a growth column value).
    growth_text: Option<String>, "年均增长原文", Correctable, from |i, _c| i.growth.as_ref().map(|g| g.text.clone()), into |i, v| match v {
        Some(text) => i.growth.get_or_insert_with(Default::default).text = text,
        None => i.growth = None,
    };
    /// Annual growth number.
    growth_value: Option<f64>, "年均增长", Correctable, from |i, _c| i.growth.as_ref().and_then(|g| g.value), into |i, v| if let Some(g) = i.growth.as_mut() { g.value = v };
    /// Comparator written with the annual-growth value.
    growth_comparator: Option<Comparator>, "年均增长比较方式", Correctable, from |i, _c| i.growth.as_ref().and_then(|g| g.comparator), into |i, v| if let Some(g) = i.growth.as_mut() { g.comparator = v };
    /// Role of the column the growth value came from (年均, 累计, 年均/累计).
    growth_column: Option<ColumnRole>, "年均增长所在列", Fixed, from |i, _c| i.growth.as_ref().and_then(|g| g.column), into |i, v| if let Some(g) = i.growth.as_mut() { g.column = v };
    /// Annual growth is a five-year cumulative value.
    growth_cumulative: bool, "年均增长为累计数", Correctable, from |i, _c| i.growth.as_ref().is_some_and(|g| g.cumulative), into |i, v| if let Some(g) = i.growth.as_mut() { g.cumulative = v };
    /// Responsible department.
    department_id: Option<i64>, "责任单位", Fixed, from |_i, _c| None;
}

items! {
    /// A prose target of a stored document.
    TargetRow: Target in "targets", "目标", item ProseTarget, key |t| t.text.clone();
    /// Source line.
    line: i64, "原文行", Fixed, from |t, _c| t.line as i64, into |t, v| t.line = line_of(v);
    /// Page of a paged source (PDF).
    page: Option<i64>, "页码", Fixed, from |t, _c| page_of(t.page), into |t, v| t.page = page_from(v);
    /// The clause.
    text: String, "原文", Correctable, from |t, _c| t.text.clone(), into |t, v| t.text = v;
    /// What is measured.
    indicator: String, "指标", Correctable, from |t, _c| t.indicator.clone(), into |t, v| t.indicator = v;
    /// The number.
    value: f64, "数值", Correctable, from |t, _c| t.value, into |t, v| t.value = v;
    /// Unit.
    unit: Option<String>, "单位", Correctable, from |t, _c| t.unit.clone(), into |t, v| t.unit = v;
    /// Target year.
    year: Option<i64>, "年份", Correctable, from |t, _c| t.year.map(i64::from), into |t, v| t.year = year_of(v);
    /// Comparator.
    comparator: Option<Comparator>, "比较方式", Correctable, from |t, _c| t.comparator, into |t, v| t.comparator = v;
    /// Kind (level, growth_rate, …).
    kind: TargetKind, "目标类型", Correctable, from |t, _c| t.kind, into |t, v| t.kind = v;
}

items! {
    /// A key project of a stored document.
    ProjectRow: Project in "projects", "重大项目", item planwatch_core::plan::Project, key |p| p.name.clone();
    /// Source line.
    line: i64, "原文行", Fixed, from |p, _c| p.line as i64, into |p, v| p.line = line_of(v);
    /// Page of a paged source (PDF).
    page: Option<i64>, "页码", Fixed, from |p, _c| page_of(p.page), into |p, v| p.page = page_from(v);
    /// Project name.
    name: String, "项目名称", Correctable, from |p, _c| p.name.clone(), into |p, v| p.name = v;
    /// Investment as written (first: it decides whether there is an investment).
    investment_text: Option<String>, "总投资原文", Correctable, from |p, _c| p.investment.as_ref().map(|i| i.text.clone()), into |p, v| match v {
        Some(text) => p.investment.get_or_insert_with(|| planwatch_core::plan::Investment { text: String::new(), value: 0.0, unit: String::new() }).text = text,
        None => p.investment = None,
    };
    /// Investment number.
    investment_value: Option<f64>, "总投资", Correctable, from |p, _c| p.investment.as_ref().map(|i| i.value), into |p, v| if let (Some(i), Some(v)) = (p.investment.as_mut(), v) { i.value = v };
    /// Investment unit.
    investment_unit: Option<String>, "投资单位", Correctable, from |p, _c| p.investment.as_ref().map(|i| i.unit.clone()), into |p, v| if let (Some(i), Some(v)) = (p.investment.as_mut(), v) { i.unit = v };
    /// First year.
    period_start: Option<i64>, "开始年份", Correctable, from |_p, c| c.period_start();
    /// Last year.
    period_end: Option<i64>, "结束年份", Correctable, from |_p, c| c.period_end();
    /// planned, started, done, …
    status: String, "项目状态", Correctable, from |_p, _c| "planned".to_string();
    /// Field (产业, 基础设施, …): from the box it is listed in; the office may change it.
    field: Option<ProjectField>, "领域", Fixed, from |p, c| c.field_of(p.line);
    /// Responsible unit (责任单位), set by the office.
    department_id: Option<i64>, "责任单位", Fixed, from |_p, _c| None;
    /// Where it is built (建设地点).
    location: Option<String>, "建设地点", Fixed, from |_p, _c| None;
    /// `extracted` from the plan, `imported` from a project bank, `added` by hand.
    origin: ProjectOrigin, "来源", Fixed, from |_p, _c| ProjectOrigin::Extracted;
    /// Where an imported or added project came from (`项目库.xlsx 第5行`).
    source_note: Option<String>, "来源说明", Fixed, from |_p, _c| None;
    /// The project this one was merged into (a duplicate kept for the record).
    merged_into: Option<i64>, "并入项目", Fixed, from |_p, _c| None;
    /// Last change by the office.
    updated_at: Option<String>, "更新时间", Fixed, from |_p, _c| None;
    /// Who made it.
    updated_by: Option<String>, "更新人", Fixed, from |_p, _c| None;
    @extra {
        /// Name of the responsible unit.
        department: Option<String>;
    }
}

items! {
    /// A task of a stored document (an actionable item of the outline).
    TaskRow: Task in "tasks", "任务", item ExtractedTask, key |t| t.text.clone();
    /// Source line.
    line: i64, "原文行", Fixed, from |t, _c| t.line as i64;
    /// Chapter the task sits in.
    chapter: Option<String>, "所在章节", Correctable, from |t, _c| t.chapter.clone();
    /// Task text.
    text: String, "任务内容", Correctable, from |t, _c| t.text.clone();
    /// Lead department (牵头单位).
    lead_department_id: Option<i64>, "牵头单位", Fixed, from |t, c| t.lead.as_ref().and_then(|n| c.departments.get(n).copied());
    /// First year.
    start_year: Option<i64>, "开始年份", Correctable, from |_t, c| c.period_start();
    /// Last year.
    end_year: Option<i64>, "结束年份", Correctable, from |_t, c| c.period_end();
    /// Deadline as shown (完成时限).
    deadline: Option<String>, "完成时限", Correctable, from |_t, c| c.period_end().map(|y| format!("{y}年"));
    /// Progress report (进展).
    progress: Option<String>, "进展", Fixed, from |_t, _c| None;
    /// Status.
    status: TaskStatus, "状态", Fixed, from |_t, _c| TaskStatus::NotStarted;
    /// `extracted`, or `correction` for parts made by a split.
    origin: String, "来源", Fixed, from |_t, _c| "extracted".to_string();
    /// The task this one was merged into.
    merged_into: Option<i64>, "并入任务", Fixed, from |_t, _c| None;
    /// Last change.
    updated_at: Option<String>, "更新时间", Fixed, from |_t, _c| None;
    /// Who made the last change.
    updated_by: Option<String>, "更新人", Fixed, from |_t, _c| None;
    @extra {
        /// Lead department name.
        lead_department: Option<String>;
        /// Supporting departments (配合单位), by name.
        support_departments: Vec<String>;
    }
}

/// Add the descriptor's columns an older database lacks (run after the numbered
/// migrations, in their transaction). Only optional and flag columns can be added
/// this way: existing rows need a value.
pub(crate) async fn sync_columns(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
) -> StoreResult<Vec<String>> {
    let mut added = Vec::new();
    for s in schemas() {
        let existing: Vec<String> = match backend {
            Backend::Sqlite => {
                let sql = format!("SELECT name FROM pragma_table_info('{}')", s.table);
                sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(sql))
                    .fetch_all(&mut *conn)
                    .await?
                    .into_iter()
                    .map(|(n,)| n)
                    .collect()
            }
            Backend::Postgres => sqlx::query_as::<_, (String,)>(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
            )
            .bind(s.table)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|(n,)| n)
            .collect(),
        };
        for c in s.columns {
            if existing.iter().any(|n| n == c.name) {
                continue;
            }
            if !c.nullable && c.ty != ColType::Bool {
                return Err(StoreError::Migration {
                    version: 0,
                    message: format!(
                        "{}.{} 不可为空,无法加到已有的表中(请声明为 Option)",
                        s.table, c.name
                    ),
                });
            }
            // Table and column names come from the descriptors above, never from input.
            let sql = format!(
                "ALTER TABLE {} ADD COLUMN {} {}",
                s.table,
                c.name,
                c.sql_type(backend)
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *conn)
                .await?;
            added.push(format!("{}.{}", s.table, c.name));
        }
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_compare_by_type() {
        let col = |kind, name| schema(kind).column(name).unwrap();
        let value = col(ItemKind::Indicator, "target_value");
        assert!(value.same(&json!(1130), &json!(1130.0)));
        assert!(!value.same(&json!(1130), &json!(1131)));
        assert!(!value.same(&json!(null), &json!(0)));
        let flag = col(ItemKind::Indicator, "target_cumulative");
        assert!(flag.same(&json!(true), &json!(1)));
        let name = col(ItemKind::Indicator, "name");
        assert!(name.same(&json!("a"), &json!("a")));
        assert!(!name.same(&json!("1"), &json!(1)));
    }

    #[test]
    fn forms_are_read_by_column_type() {
        let col = |kind, name| schema(kind).column(name).unwrap();
        let check =
            |c: &Column, raw: &str, want: Result<Value, &str>| match (c.parse_form(raw), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{raw}"),
                (Err(got), Err(part)) => assert!(got.contains(part), "{got}"),
                (got, want) => panic!("{raw}: {got:?} vs {want:?}"),
            };
        check(
            col(ItemKind::Indicator, "target_value"),
            "430",
            Ok(json!(430.0)),
        );
        check(
            col(ItemKind::Indicator, "target_value"),
            "四百",
            Err("目标值应为数字"),
        );
        check(
            col(ItemKind::Indicator, "target_value"),
            "",
            Ok(Value::Null),
        );
        check(
            col(ItemKind::Indicator, "target_year"),
            "2025.5",
            Err("目标年份应为整数"),
        );
        check(
            col(ItemKind::Indicator, "name"),
            " ",
            Err("指标名称不能为空"),
        );
        check(
            col(ItemKind::Indicator, "target_comparator"),
            "ge",
            Ok(json!("ge")),
        );
        check(
            col(ItemKind::Indicator, "target_comparator"),
            "大于",
            Err("无效"),
        );
        check(col(ItemKind::Heading, "kind"), "章", Ok(json!("章")));
        check(
            col(ItemKind::Indicator, "baseline_cumulative"),
            "是",
            Ok(json!(true)),
        );
    }

    #[test]
    fn every_kind_has_its_table_and_unique_columns() {
        for s in schemas() {
            let mut names: Vec<&str> = s.columns.iter().map(|c| c.name).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), s.columns.len(), "{}", s.table);
            assert!(!COMMON.iter().any(|c| names.contains(c)), "{}", s.table);
            assert_eq!(schema(s.kind).table, s.table);
        }
    }

    #[test]
    fn a_corrected_indicator_reads_back_into_the_parsed_item() {
        let parsed = Indicator {
            page: None,
            parent: None,
            seq: Some("12".into()),
            line: 88,
            source: ItemSource::Table,
            category: None,
            name: "单位GDP能耗降低".into(),
            unit: Some("%".into()),
            attribute: Some(Attribute::Binding),
            baseline: Some(ValueCell::parse("[15.2]", Some(2020))),
            target: Some(ValueCell::parse("[13.5]", Some(2025))),
            growth: None,
        };
        let plan = Plan::default();
        let deps = HashMap::new();
        let ctx = Ctx {
            plan: &plan,
            departments: &deps,
        };
        let vals = IndicatorRow::insert_values(1, 0, "k".into(), &parsed, &ctx).unwrap();
        let at = |name: &str| {
            let i = IndicatorRow::INSERT_COLUMNS
                .iter()
                .position(|c| *c == name)
                .unwrap();
            vals[i].clone()
        };
        // What the parser knew is stored, not guessed back from the text's `[`.
        assert_eq!(at("baseline_cumulative"), Val::Int(Some(1)));
        assert_eq!(at("target_cumulative"), Val::Int(Some(1)));
        assert_eq!(at("attribute"), Val::Text(Some("binding".into())));
        let mut row = IndicatorRow {
            id: 1,
            document_id: 1,
            ord: 0,
            item_key: "k".into(),
            line: 88,
            page: None,
            seq: Some("12".into()),
            parent: None,
            source: ItemSource::Table,
            category: None,
            name: "单位GDP能耗降低".into(),
            canonical_name: None,
            unit: Some("%".into()),
            attribute: Some(Attribute::Binding),
            baseline_text: Some("[15.2]".into()),
            baseline_year: Some(2020),
            baseline_value: Some(15.2),
            baseline_comparator: None,
            baseline_cumulative: true,
            target_text: Some("[13.5]".into()),
            target_year: Some(2025),
            target_value: Some(13.5),
            target_comparator: None,
            target_cumulative: true,
            growth_text: None,
            growth_value: None,
            growth_comparator: None,
            growth_column: None,
            growth_cumulative: false,
            department_id: None,
            rejected: false,
            corrected: false,
            original: serde_json::to_value(&parsed).unwrap(),
            version: 1,
        };
        assert_eq!(row.reviewed().unwrap(), parsed, "uncorrected: as parsed");
        row.corrected = true;
        row.target_value = Some(14.0);
        row.target_text = Some("[14]".into());
        row.baseline_text = None;
        let reviewed = row.reviewed().unwrap();
        let target = reviewed.target.unwrap();
        assert_eq!((target.text.as_str(), target.value), ("[14]", Some(14.0)));
        assert!(target.cumulative);
        assert_eq!(reviewed.baseline, None, "a cleared text removes the cell");
    }
}
