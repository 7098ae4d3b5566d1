//! Hand-made SVG charts: [`svg`] draws, [`indicator`] turns evaluations into charts.
//! Used by the reports and by the web pages.

pub mod indicator;
pub mod svg;

pub use indicator::{category_chart, category_colour, indicator_chart};
pub use svg::{BarChart, Line, LineChart, Style};
