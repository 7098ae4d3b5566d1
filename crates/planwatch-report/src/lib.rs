//! What planwatch hands to people: SVG charts, the XLSX monitoring ledger and the
//! key-project dispatch table ([`dispatch`]), the
//! annual, mid-term and final evaluation reports ([`report`] builds the model,
//! [`markdown`], [`html`] and [`docx`] render it).

pub mod charts;
pub mod dispatch;
pub mod docx;
mod error;
pub mod html;
pub mod ledger;
pub mod markdown;
pub mod raster;
pub mod report;

pub use error::ReportError;
