//! HTML pages to lines of text (placeholder until the block-aware walker lands).

/// Render an HTML page to text lines; returns the body text and the site furniture.
pub fn render_html(html: &str) -> (String, Vec<String>) {
    (html.to_string(), Vec::new())
}
