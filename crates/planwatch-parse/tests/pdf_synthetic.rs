//! PDFs written byte by byte: each font kind and Chinese CMap the decoder must read,
//! the diagnostic for a font without Unicode mapping, and hostile files (truncated,
//! cross-reference and page-tree loops, self-drawing forms, decompression bombs,
//! deep nesting, random damage) that must neither panic nor run unbounded.

use lopdf::Stream;
use planwatch_parse::decode::decode;
use planwatch_parse::parse_bytes;
use proptest::prelude::*;

/// A PDF from object bodies (object `i + 1` is `objects[i]`); object 1 is the
/// catalog. Offsets in the xref table are exact unless `xref` overrides the table.
fn pdf(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut body = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    body.extend(data);
    body.extend(b"\nendstream");
    body
}

fn flate(data: &[u8]) -> Vec<u8> {
    let mut s = Stream::new(lopdf::Dictionary::new(), data.to_vec());
    s.compress().unwrap();
    s.content
}

/// One page showing `content` with font resource `/F1` = object 5 (given) and
/// object 6.. (extra objects the font refers to).
fn one_page(content: &str, font: &str, extra: &[Vec<u8>]) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        stream("", content.as_bytes()),
        font.as_bytes().to_vec(),
    ];
    objects.extend(extra.iter().cloned());
    pdf(&objects, "")
}

fn to_unicode(pairs: &[(&str, &str)]) -> Vec<u8> {
    let chars: String = pairs
        .iter()
        .map(|(c, u)| format!("<{c}> <{u}>\n"))
        .collect();
    let cmap = format!(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n{} beginbfchar\n{chars}endbfchar\nendcmap end end",
        pairs.len()
    );
    stream("", cmap.as_bytes())
}

/// A descendant CID font (object 6) for Type0 fonts.
const CID_FONT: &str = "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 /W [1 [1000 1000]] >>";

fn text(bytes: &[u8]) -> String {
    decode(bytes, "t.pdf")
        .unwrap_or_else(|e| panic!("{e}"))
        .text
}

// ---- fonts and CMaps ----

#[test]
fn identity_h_with_to_unicode() {
    let font = "<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>";
    let content = "BT /F1 12 Tf 72 700 Td <000100020003000400050006000700080009000A> Tj ET";
    let pairs = [
        ("0001", "89C4"),
        ("0002", "5212"),
        ("0003", "7EB2"),
        ("0004", "8981"),
        ("0005", "FF1A"),
        ("0006", "5230"),
        ("0007", "0032"),
        ("0008", "0030"),
        ("0009", "0032"),
        ("000A", "0035"),
    ];
    let bytes = one_page(
        content,
        font,
        &[CID_FONT.as_bytes().to_vec(), to_unicode(&pairs)],
    );
    assert_eq!(text(&bytes), "规划纲要：到2025\n");
}

#[test]
fn predefined_unicode_cmaps_need_no_to_unicode() {
    // 规划 in UCS-2 and, for UTF-16, 𠀀 (U+20000) as a surrogate pair.
    let ucs2 = "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>";
    let bytes = one_page(
        "BT /F1 12 Tf 72 700 Td <89C45212> Tj ET",
        ucs2,
        &[CID_FONT.as_bytes().to_vec()],
    );
    assert_eq!(text(&bytes), "规划\n");
    let utf16 = "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H /DescendantFonts [6 0 R] >>";
    let bytes = one_page(
        "BT /F1 12 Tf 72 700 Td <89C4D840DC00> Tj ET",
        utf16,
        &[CID_FONT.as_bytes().to_vec()],
    );
    assert_eq!(text(&bytes), "规𠀀\n");
}

#[test]
fn gbk_euc_cmap_mixes_one_and_two_byte_codes() {
    // B9E6 BBAE = 规划 in GBK; "2025" are one-byte codes.
    let font = "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /GBK-EUC-H /DescendantFonts [6 0 R] >>";
    let bytes = one_page(
        "BT /F1 12 Tf 72 700 Td <B9E6BBAE32303235> Tj ET",
        font,
        &[CID_FONT.as_bytes().to_vec()],
    );
    assert_eq!(text(&bytes), "规划2025\n");
}

#[test]
fn type3_font_with_to_unicode_and_font_matrix() {
    // Glyph space 1/1000 em scaled by Tf 12: the width 1000 advances 12 pt, so the
    // two strings drawn 12 pt apart sit side by side on one line.
    let font = "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << >> /Encoding << /Type /Encoding /Differences [1 /g1 /g2] >> /FirstChar 1 /LastChar 2 /Widths [1000 1000] /ToUnicode 6 0 R >>";
    let content = "BT /F1 12 Tf 72 700 Td <0102> Tj ET BT /F1 12 Tf 96 700 Td <01> Tj ET";
    let cmap = "begincmap 1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar <01> <6307> <02> <6807> endbfchar endcmap";
    let bytes = one_page(content, font, &[stream("", cmap.as_bytes())]);
    assert_eq!(text(&bytes), "指标指\n");
}

#[test]
fn simple_font_with_differences_glyph_names() {
    let font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [65 /uni89C4 /uni5212] >> >>";
    let bytes = one_page("BT /F1 12 Tf 72 700 Td (AB 2025) Tj ET", font, &[]);
    assert_eq!(text(&bytes), "规划 2025\n");
}

#[test]
fn a_font_without_unicode_mapping_is_reported_and_left_out() {
    // F1 maps; F2 is Identity-H without ToUnicode (codes are glyph ids only).
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 8 0 R >> >> >>".to_vec(),
        stream("", b"BT /F1 12 Tf 72 700 Td <89C4521289C4521289C4521289C45212> Tj ET BT /F2 12 Tf 72 680 Td <0101020203030404> Tj ET"),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>".to_vec(),
        CID_FONT.as_bytes().to_vec(),
        b"null".to_vec(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /XYZABC+FZKTK--GBK1-0 /Encoding /Identity-H /DescendantFonts [6 0 R] >>".to_vec(),
    ];
    let bytes = pdf(&objects, "");
    let plan = parse_bytes(&bytes, "t.pdf").unwrap();
    let decoded = decode(&bytes, "t.pdf").unwrap();
    assert_eq!(
        decoded.text, "规划规划规划规划\n",
        "no garbage from the unmapped font"
    );
    let diag = plan
        .diagnostics
        .iter()
        .find(|d| d.code == "pdf.font_unmapped")
        .expect("diagnostic");
    assert_eq!(diag.page, Some(1));
    assert!(
        diag.message.contains("第 1 页") && diag.message.contains("FZKTK--GBK1-0"),
        "{}",
        diag.message
    );
}

#[test]
fn private_use_characters_count_as_unmapped() {
    let font = "<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Custom /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>";
    let pairs = [("0001", "E001"), ("0002", "E002"), ("0003", "E003")];
    let content = "BT /F1 12 Tf 72 700 Td <000100020003000100020003000100020003000100020003> Tj ET";
    let bytes = one_page(
        content,
        font,
        &[CID_FONT.as_bytes().to_vec(), to_unicode(&pairs)],
    );
    let err = decode(&bytes, "t.pdf").unwrap_err().to_string();
    assert!(err.contains("没有 Unicode 映射"), "{err}");
}

#[test]
fn a_page_without_text_or_images_is_an_error_not_a_panic() {
    let bytes = one_page(
        "",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        &[],
    );
    assert_eq!(
        decode(&bytes, "t.pdf").unwrap_err().to_string(),
        "PDF 中没有可提取的文字"
    );
}

// ---- hostile files ----

fn sample() -> Vec<u8> {
    let font = "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>";
    let line: String = "<89C452127EB28981>".repeat(4);
    let content = format!("BT /F1 12 Tf 72 700 Td {line} Tj 0 -20 Td {line} Tj ET");
    one_page(&content, font, &[CID_FONT.as_bytes().to_vec()])
}

/// One page of lines `(font size, baseline, text)` in a predefined UCS-2 CMap font.
fn typeset(lines: &[(f32, f32, &str)]) -> Vec<u8> {
    let font = "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>";
    let content: String = lines
        .iter()
        .map(|(size, y, text)| {
            let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
            format!("BT /F1 {size} Tf 72 {y} Td <{hex}> Tj ET\n")
        })
        .collect();
    one_page(&content, font, &[CID_FONT.as_bytes().to_vec()])
}

// ---- type as a heading's level ----

/// 前言 and 结束语 carry no number; set in the chapters' size they stand beside the
/// chapters, and a section title in the size of 一、 beside those.
#[test]
fn unnumbered_headings_are_placed_by_their_font_size() {
    let bytes = typeset(&[
        (16.0, 780.0, "前言"),
        (12.0, 750.0, "本规划是全区今后五年发展的蓝图。"),
        (16.0, 710.0, "第一章 发展基础"),
        (14.0, 680.0, "一、主要成就"),
        (12.0, 655.0, "经济实力稳步提升。"),
        (14.0, 625.0, "重点领域改革"),
        (12.0, 600.0, "改革持续深化。"),
        (16.0, 560.0, "结束语"),
        (12.0, 535.0, "全区上下要团结一心。"),
    ]);
    let plan = parse_bytes(&bytes, "t.pdf").unwrap();
    let levels: Vec<(&str, u8)> = plan
        .outline
        .iter()
        .map(|h| (h.title.as_str(), h.level))
        .collect();
    assert_eq!(
        levels,
        [
            ("前言", 1),
            ("发展基础", 1),
            ("主要成就", 2),
            ("重点领域改革", 2),
            ("结束语", 1)
        ]
    );
}

/// Decoding returns (either way) without panicking.
fn survives(bytes: &[u8]) -> Result<String, String> {
    decode(bytes, "hostile.pdf")
        .map(|d| d.text)
        .map_err(|e| e.to_string())
}

#[test]
fn truncated_files_never_panic() {
    let bytes = sample();
    for cut in (0..bytes.len()).step_by(7) {
        let _ = survives(&bytes[..cut]);
    }
}

#[test]
fn xref_prev_loop_and_page_tree_loop_terminate() {
    // The trailer's /Prev points back at the same xref section.
    let mut bytes = sample();
    let at = bytes.windows(9).rposition(|w| w == b"startxref").unwrap();
    let xref: String = String::from_utf8_lossy(&bytes[at + 10..])
        .lines()
        .next()
        .unwrap()
        .into();
    let trailer = bytes.windows(7).rposition(|w| w == b"trailer").unwrap();
    bytes.splice(trailer + 10..trailer + 10, format!("/Prev {xref} ").bytes());
    let _ = survives(&bytes);
    // A page tree whose Pages node lists itself as a kid.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>".to_vec(),
        stream("", b""),
    ];
    let _ = survives(&pdf(&objects, ""));
}

#[test]
fn a_form_that_draws_itself_is_cut_off() {
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> /Font << /F1 6 0 R >> >> >>".to_vec(),
        stream("", b"/X Do"),
        stream("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X 5 0 R >> >>", b"BT /F1 12 Tf 72 700 Td (loop) Tj ET /X Do /X Do"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    // The form is drawn once: a form inside itself is skipped.
    assert_eq!(survives(&pdf(&objects, "")).unwrap(), "loop\n");
}

/// 100 MB of zeros, deflated to about 100 KB; made once for all bomb tests.
fn bomb() -> &'static [u8] {
    static BOMB: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BOMB.get_or_init(|| flate(&vec![0u8; 100 << 20]))
}

#[test]
fn decompression_bombs_are_refused() {
    // As page content and as an object stream.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>".to_vec(),
        stream("/Filter /FlateDecode", bomb()),
    ];
    let err = survives(&pdf(&objects, "")).unwrap_err();
    assert!(err.contains("过大"), "{err}");
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", bomb()),
    ];
    assert!(survives(&pdf(&objects, "")).is_err());
}

/// A page with text of its own that draws form `/X` (object 5) `draws` times.
fn page_with_form(form: Vec<u8>, draws: usize) -> Vec<u8> {
    let content = format!(
        "BT /F1 12 Tf 72 700 Td (Development plan text) Tj ET {}",
        "/X Do ".repeat(draws)
    );
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> /Font << /F1 6 0 R >> >> >>".to_vec(),
        stream("", content.as_bytes()),
        form,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    pdf(&objects, "")
}

#[test]
fn a_bomb_form_is_skipped_and_the_page_still_reads() {
    // 100 MB is over the 32 MB one form may decode to: the form is left out, the
    // page's own text stays.
    let form = stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Filter /FlateDecode",
        bomb(),
    );
    assert_eq!(
        survives(&page_with_form(form, 3)).unwrap(),
        "Development plan text\n"
    );
}

#[test]
fn a_bomb_cmap_is_skipped_and_its_font_reported() {
    // A ToUnicode CMap may decode to 4 MB; this one would be 100 MB, so the font has
    // no mapping and its text is refused, never decoded in full.
    let font = "<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>";
    let content = "BT /F1 12 Tf 72 700 Td <000100020003000400050006000700080009000A> Tj ET";
    let bytes = one_page(
        content,
        font,
        &[
            CID_FONT.as_bytes().to_vec(),
            stream("/Filter /FlateDecode", bomb()),
        ],
    );
    let err = survives(&bytes).unwrap_err();
    assert!(err.contains("没有 Unicode 映射"), "{err}");
}

#[test]
fn the_decoded_bytes_budget_holds_across_forms() {
    // A 31 MB form is under the 32 MB limit of one stream, but drawn nine times it
    // decodes to 279 MB, over the 256 MB of the whole document: refused, not read
    // in part. Drawn twice it is fine.
    let form = || {
        stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Filter /FlateDecode",
            &flate(&vec![b' '; 31 << 20]),
        )
    };
    assert_eq!(
        survives(&page_with_form(form(), 2)).unwrap(),
        "Development plan text\n"
    );
    let err = survives(&page_with_form(form(), 9)).unwrap_err();
    assert!(err.contains("合计超过 256 MB"), "{err}");
}

#[test]
fn deep_nesting_and_endless_operators_stay_bounded() {
    let font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
    let deep = format!(
        "BT /F1 12 Tf 72 700 Td {}(x){} TJ ET",
        "[".repeat(50_000),
        "]".repeat(50_000)
    );
    let _ = survives(&one_page(&deep, font, &[]));
    let saves = format!("{} BT /F1 12 Tf 72 700 Td (ok) Tj ET", "q ".repeat(200_000));
    let _ = survives(&one_page(&saves, font, &[]));
    // A million zero-width glyphs on one spot: capped per page, still decodes.
    let many = format!(
        "BT /F1 12 Tf 0 Tc 72 700 Td ({}) Tj ET",
        "a".repeat(1_000_000)
    );
    assert!(survives(&one_page(&many, font, &[])).is_ok());
}

#[test]
fn hostile_cmaps_and_widths_do_not_panic() {
    let font = "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>";
    let cid = "<< /Type /Font /Subtype /CIDFontType2 /DW -5 /W [0 4294967295 1000 7 [1 2 3] 9] >>";
    let cmap = b"beginbfrange <0000> <FFFF> <D800> endbfrange beginbfchar <01> endbfchar";
    let _ = survives(&one_page(
        "BT /F1 12 Tf 72 700 Td <00010002FFFF> Tj ET",
        font,
        &[cid.as_bytes().to_vec(), stream("", cmap)],
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any damage to a valid file: never a panic.
    #[test]
    fn damaged_pdfs_never_panic(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20)) {
        let mut bytes = sample();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let _ = survives(&bytes);
    }

    /// Arbitrary bytes behind a PDF header: never a panic.
    #[test]
    fn arbitrary_bytes_after_a_header_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.extend(tail);
        let _ = survives(&bytes);
    }
}
