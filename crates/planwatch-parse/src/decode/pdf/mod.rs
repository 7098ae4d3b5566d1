//! PDF to lines of text, through the text layer.
//!
//! lopdf reads the file (cross-reference repair, object streams, decryption with the
//! empty user password, bounded decompression); everything after that is ours:
//! `content` interprets each page into glyphs and rules, `font`/`cmap` turn codes
//! into Unicode, `layout` makes lines, `tables` rebuilds tables from rules and
//! x-gaps, and `assemble` removes running furniture, keeps footnotes apart and joins
//! wrapped lines into paragraphs across pages.
//!
//! Every limit below is a named constant; together they bound the work per file.

mod assemble;
mod cmap;
mod content;
mod font;
mod layout;
mod obj;
mod tables;

use lopdf::{Dictionary, Document, LoadOptions};
use planwatch_core::plan::{Diagnostic, Severity};

use super::{DecodeError, Decoded, Format};
use assemble::{Assembled, Block};
use content::{Budget, FontCache, PageContent};

/// Largest decoded size of one page content or form stream.
pub const MAX_STREAM_BYTES: usize = 32 << 20;

/// Largest decoded size of one CMap (a full CJK ToUnicode is about 1 MB).
pub const MAX_CMAP_BYTES: usize = 4 << 20;

/// Largest decoded size of everything read after loading: page contents, forms and
/// CMaps of the whole document together.
pub const MAX_DECODED_BYTES: usize = 256 << 20;

/// Largest decoded size of one object or cross-reference stream while loading (they
/// hold dictionaries and offsets only).
pub const MAX_LOAD_STREAM_BYTES: usize = 4 << 20;

/// Most pages read; a five-year plan has about 100.
pub const MAX_PAGES: usize = 5_000;

/// Most content operators and glyphs interpreted in the whole document.
pub const MAX_OPERATIONS: usize = 50_000_000;

/// Most glyphs kept from one page.
pub const MAX_GLYPHS_PER_PAGE: usize = 200_000;

/// Deepest nesting of form XObjects.
pub const MAX_XOBJECT_DEPTH: usize = 8;

/// Most object streams a file may declare; each one is decoded while loading, so
/// together they stay under `MAX_OBJECT_STREAMS × MAX_LOAD_STREAM_BYTES` (2 GB) even
/// when every one is a bomb. Real files have a few dozen.
pub const MAX_OBJECT_STREAMS: usize = 512;

/// Share of a font's codes without Unicode mapping above which its text is dropped
/// and reported instead of being passed on as garbage.
const UNMAPPED_SHARE: f32 = 0.3;

/// Fewer readable characters per page than this, with images on the pages, means
/// the PDF is a scan.
const SCAN_CHARS_PER_PAGE: usize = 10;

/// Whether the bytes look like a PDF (the header may follow some junk).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// Decode a PDF's text layer.
pub fn decode_pdf(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let doc = load(bytes)?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(DecodeError::Pdf("PDF 中没有页面,文件可能已损坏".into()));
    }
    if pages.len() > MAX_PAGES {
        return Err(DecodeError::Pdf(format!(
            "PDF 共 {} 页,超过上限 {MAX_PAGES} 页",
            pages.len()
        )));
    }
    let mut cache = FontCache::new();
    let mut budget = Budget {
        bytes: MAX_DECODED_BYTES,
        operations: MAX_OPERATIONS,
        exhausted: false,
    };
    let mut contents = Vec::with_capacity(pages.len());
    for &page_id in pages.values() {
        let limit = budget.bytes.min(MAX_STREAM_BYTES);
        let data = doc
            .get_page_content_with_limit(page_id, limit)
            .map_err(|_| {
                if limit < MAX_STREAM_BYTES {
                    total_exceeded()
                } else {
                    DecodeError::Pdf("某一页的内容解压后过大,疑似压缩炸弹".into())
                }
            })?;
        budget.bytes = budget.bytes.saturating_sub(data.len());
        let resources = page_resources(&doc, page_id);
        let mut page = content::run_page(&doc, &data, &resources, &mut cache, &mut budget);
        if budget.exhausted {
            return Err(total_exceeded());
        }
        page.width = page_width(&doc, page_id);
        contents.push(page);
    }
    let (diagnostics, dropped) = font_diagnostics(&mut contents);
    check_text_layer(&contents, &dropped)?;
    let page_count = contents.len();
    let blocks: Vec<(Vec<Block>, f32)> = contents
        .into_iter()
        .map(|page| {
            let width = page.width;
            (page_blocks(page), width)
        })
        .collect();
    let Assembled {
        lines,
        tables,
        page_starts,
        furniture,
        styles,
    } = assemble::assemble(blocks);
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    let diagnostics = diagnostics
        .into_iter()
        .map(|(page, message)| Diagnostic {
            line: page_starts.get(page).copied().unwrap_or(1),
            severity: Severity::Warning,
            code: "pdf.font_unmapped".into(),
            message,
            page: u32::try_from(page + 1).ok(),
        })
        .collect();
    debug_assert_eq!(page_starts.len(), page_count);
    Ok(Decoded {
        text,
        encoding: "UTF-8".into(),
        format: Format::Pdf,
        furniture,
        tables,
        page_starts,
        styles,
        invalid_utf8: None,
        diagnostics,
    })
}

/// Load the file: empty user password (owner-password-only files open), bounded
/// object streams, repaired cross-references.
fn load(bytes: &[u8]) -> Result<Document, DecodeError> {
    let object_streams = count(bytes, b"/ObjStm");
    if object_streams > MAX_OBJECT_STREAMS {
        return Err(DecodeError::Pdf(format!(
            "PDF 含 {object_streams} 个对象流,超过上限 {MAX_OBJECT_STREAMS} 个,疑似恶意文件"
        )));
    }
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_LOAD_STREAM_BYTES),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => password_error(),
        lopdf::Error::UnsupportedSecurityHandler(_) => {
            DecodeError::Pdf("PDF 使用了不支持的加密方式,请提供未加密的版本".into())
        }
        lopdf::Error::Decompress(_) => {
            DecodeError::Pdf("PDF 中的数据流解压后过大,疑似压缩炸弹".into())
        }
        other => DecodeError::Pdf(format!("PDF 文件已损坏,无法读取({other})")),
    })?;
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err(password_error());
    }
    Ok(doc)
}

/// The decoded-bytes budget of the whole document ran out: refused rather than
/// read in part, since a plan with pages silently missing is worse than none.
fn total_exceeded() -> DecodeError {
    DecodeError::Pdf(format!(
        "PDF 解压后的内容合计超过 {} MB 上限,疑似压缩炸弹",
        MAX_DECODED_BYTES >> 20
    ))
}

fn password_error() -> DecodeError {
    DecodeError::Pdf("该 PDF 设有打开密码,无法读取,请提供不加密码的版本".into())
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// Width of the page's MediaBox (inherited from the page tree), A4 when absent.
fn page_width(doc: &Document, page_id: lopdf::ObjectId) -> f32 {
    const A4_WIDTH: f32 = 595.0;
    let mut node = doc.get_dictionary(page_id).ok();
    for _ in 0..32 {
        let Some(dict) = node else { break };
        if let [x0, _, x1, _] = obj::numbers(doc, dict.get(b"MediaBox").ok())[..] {
            return (x1 - x0).abs();
        }
        node = dict.get(b"Parent").ok().and_then(|p| obj::dict_of(doc, p));
    }
    A4_WIDTH
}

/// A page's resource dictionaries, its own first, then inherited ones.
fn page_resources(doc: &Document, page_id: lopdf::ObjectId) -> Vec<&Dictionary> {
    let Ok((own, inherited)) = doc.get_page_resources(page_id) else {
        return Vec::new();
    };
    let mut out: Vec<&Dictionary> = own.into_iter().collect();
    out.extend(
        inherited
            .into_iter()
            .filter_map(|id| doc.get_dictionary(id).ok()),
    );
    out
}

/// Fonts whose codes mostly have no Unicode mapping (or map to private-use or
/// replacement characters): their glyphs are dropped and each such font is reported
/// once, with the pages it appears on. Returns `(page index, message)` pairs and, per
/// page, how many glyphs were dropped.
fn font_diagnostics(pages: &mut [PageContent]) -> (Vec<(usize, String)>, Vec<usize>) {
    let mut reported: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let mut dropped = vec![0; pages.len()];
    for (p, page) in pages.iter_mut().enumerate() {
        for g in &mut page.glyphs {
            if g.text.as_deref().is_some_and(garbage) {
                g.text = None;
                if let Some(f) = page.fonts.get_mut(g.font) {
                    f.2 += 1;
                }
            }
        }
        let bad: Vec<usize> = (0..page.fonts.len())
            .filter(|&i| {
                let (_, shown, unmapped) = &page.fonts[i];
                *shown > 0 && *unmapped as f32 > *shown as f32 * UNMAPPED_SHARE
            })
            .collect();
        for &i in &bad {
            let (name, shown, _) = &page.fonts[i];
            dropped[p] += shown;
            if !reported.contains(name) {
                reported.push(name.clone());
                out.push((
                    p,
                    format!(
                        "第 {} 页的字体“{}”没有 Unicode 映射,其文字({} 个字符)无法识别,已略去;请核对原文或提供其他版本",
                        p + 1,
                        clean_font_name(name),
                        shown
                    ),
                ));
            }
        }
        page.glyphs.retain(|g| !bad.contains(&g.font));
    }
    (out, dropped)
}

/// Private-use and replacement characters: what an unmapped font yields.
fn garbage(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c as u32, 0xE000..=0xF8FF | 0xFFFD | 0xF0000..=0x10FFFF) || c == '\0')
}

/// `ABCDEF+SimSun` → `SimSun`.
fn clean_font_name(name: &str) -> &str {
    match name.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 => rest,
        _ => name,
    }
}

/// A PDF without a text layer is refused: a scan (images, no text) gets its own
/// message; so does one whose only text is in fonts without Unicode mapping.
fn check_text_layer(pages: &[PageContent], dropped: &[usize]) -> Result<(), DecodeError> {
    let chars: usize = pages
        .iter()
        .flat_map(|p| &p.glyphs)
        .filter(|g| g.text.as_deref().is_some_and(|t| !t.trim().is_empty()))
        .count();
    if chars >= SCAN_CHARS_PER_PAGE * pages.len() {
        return Ok(());
    }
    let imaged = pages.iter().filter(|p| p.image_area > 1000.0).count();
    if imaged * 2 >= pages.len() {
        return Err(DecodeError::Pdf(
            "该 PDF 是扫描件,没有文字层,请提供可复制文字的版本".into(),
        ));
    }
    if dropped.iter().sum::<usize>() > chars {
        return Err(DecodeError::Pdf(
            "该 PDF 的字体没有 Unicode 映射,提取不出可用的文字,请提供可复制文字的版本".into(),
        ));
    }
    if chars == 0 {
        return Err(DecodeError::Pdf("PDF 中没有可提取的文字".into()));
    }
    Ok(())
}

/// One page's lines and tables, top to bottom.
fn page_blocks(page: PageContent) -> Vec<Block> {
    let mut used = vec![false; page.glyphs.len()];
    let ruled = tables::ruled(&page.rules, &page.glyphs, &mut used);
    let free: Vec<content::Glyph> = page
        .glyphs
        .into_iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(g, _)| g)
        .collect();
    let lines = layout::lines(&free);
    let mut blocks: Vec<(f32, Block)> = Vec::new();
    let gapped = tables::gapped(&lines);
    let mut next = 0;
    for (start, end, rows) in gapped {
        blocks.extend(
            lines[next..start]
                .iter()
                .map(|l| (l.y, Block::Line(l.clone()))),
        );
        let top = lines[start].y + lines[start].size;
        blocks.push((top, Block::Table(tables::TableBlock { top, rows })));
        next = end;
    }
    blocks.extend(lines[next..].iter().map(|l| (l.y, Block::Line(l.clone()))));
    blocks.extend(ruled.into_iter().map(|t| (t.top, Block::Table(t))));
    blocks.sort_by(|a, b| b.0.total_cmp(&a.0));
    blocks.into_iter().map(|(_, b)| b).collect()
}
