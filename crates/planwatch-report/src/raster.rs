//! SVG charts to PNG, for documents that cannot show SVG everywhere (DOCX).
//! Text is drawn with the machine's fonts (CJK fonts such as Noto Sans CJK must be
//! installed for the Chinese labels); the font database is read once per process.

use std::sync::{Arc, OnceLock};

use crate::ReportError;
use resvg::{tiny_skia, usvg};

fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            // The generic family our charts end with; a CJK face so Chinese labels render.
            for family in [
                "Noto Sans CJK SC",
                "Source Han Sans SC",
                "WenQuanYi Micro Hei",
            ] {
                if db
                    .faces()
                    .any(|f| f.families.iter().any(|(n, _)| n == family))
                {
                    db.set_sans_serif_family(family);
                    break;
                }
            }
            Arc::new(db)
        })
        .clone()
}

/// Render an SVG document to PNG bytes at `scale` times its size.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, ReportError> {
    let chart = |why: &str| ReportError::Chart(why.to_string());
    let opt = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|_| chart("图表SVG无法解析"))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| chart("图表尺寸无效"))?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| chart("图表尺寸无效"))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|_| chart("图表PNG编码失败"))
}

/// Whether any CJK font is installed (PNG labels would be blank without one).
pub fn has_cjk_font() -> bool {
    fonts().faces().any(|f| {
        f.families.iter().any(|(n, _)| {
            n.contains("CJK") || n.contains("Han") || n.contains("Hei") || n.contains("Song")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_png_of_the_scaled_size() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 30" width="60" height="30"><rect width="60" height="30" fill="#ff0000"/></svg>"##;
        let png = svg_to_png(svg, 2.0).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR width and height at bytes 16..24, big-endian: 60·2 = 120, 30·2 = 60.
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 120);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 60);
        assert!(svg_to_png("<svg", 1.0).is_err());
    }
}
