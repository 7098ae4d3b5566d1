//! Test helpers: a tiny DOCX writer and the format variants of a plan text.
// Each test binary uses a different subset of the helpers.
#![allow(dead_code)]

pub mod docx;
pub mod layouts;
pub mod variants;
