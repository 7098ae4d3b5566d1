//! Test helpers: a tiny DOCX writer, the format variants of a plan text, table layouts,
//! and the keys that must agree across formats.
// Each test binary uses a different subset of the helpers.
#![allow(dead_code)]

pub mod agree;
pub mod docx;
pub mod layouts;
pub mod variants;
