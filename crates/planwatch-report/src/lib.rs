//! What planwatch hands to people: SVG charts, the XLSX monitoring ledger and
//! (to come) the annual, mid-term and final evaluation reports.

pub mod charts;
pub mod ledger;
