//! The planwatch web application: the planning office's daily tool.
//!
//! [`app`] builds the whole axum [`Router`] from an [`AppState`], so tests drive it
//! with tower's `oneshot` and `planwatch serve` hands it to a listener. Pages are
//! askama templates in `templates/` (zh-CN), enhanced with htmx 2 (a vendored file
//! in `static/`, nothing fetched at run time); charts come from `planwatch-report`.
//!
//! # Request path
//!
//! 0. [`trace`] gives the request an id and a `tracing` span (logs name the request).
//! 1. [`security`] adds the security headers to every response and caps body sizes.
//! 2. [`auth::resolve`] turns the session cookie (or, under `/api/v1`, the bearer
//!    token) into a [`auth::Viewer`] stored in the request, and refuses every unsafe
//!    request whose CSRF token does not match the session's.
//! 3. A route module (one per area under [`routes`]) checks the viewer's permission
//!    on the plan, task or indicator it touches, then calls the store.
//!
//! Every permission is checked on the server in [`auth`]; templates only hide
//! buttons a viewer could not use anyway. Path parameters and forms are read with the
//! extractors of [`extract`] (refusals in Chinese) into typed structs whose fields are
//! checked by [`fields`]; parsing and other CPU-heavy work runs in [`heavy`]'s bounded
//! pool, never on the async workers that answer the pages.

pub mod auth;
pub mod cache;
pub mod demo;
pub mod demo_projects;
pub mod error;
pub mod extract;
pub mod fields;
pub mod heavy;
pub mod paging;
pub mod rate;
pub mod report_jobs;
pub mod routes;
pub mod security;
pub mod state;
pub mod trace;
pub mod view;

pub use routes::app;
pub use state::{AppState, Config};
