//! Decoding through the public entry point: HTML pages and DOCX files built in the
//! test, limits on hostile zips, and "never panics" properties.

mod support;

use planwatch_parse::decode::{DecodeError, Format, MAX_INPUT_BYTES, decode};
use proptest::prelude::*;
use support::docx::{build, lvl, numbered, p, styled, tbl, tc, zip};

fn lines(bytes: &[u8], path: &str) -> Vec<String> {
    let decoded = decode(bytes, path).unwrap_or_else(|e| panic!("{path}: {e}"));
    decoded.text.lines().map(String::from).collect()
}

fn check_html(html: &str, expect: &[&str]) {
    assert_eq!(lines(html.as_bytes(), "page.html"), expect, "{html}");
}

fn check_docx(body: &str, styles: Option<&str>, numbering: Option<&str>, expect: &[&str]) {
    let docx = build(body, styles, numbering);
    let decoded = decode(&docx, "plan.docx").unwrap();
    assert_eq!(decoded.format, Format::Docx);
    assert_eq!(decoded.text.lines().collect::<Vec<_>>(), expect, "{body}");
}

// ---- HTML ----

#[test]
fn html_fragments() {
    check_html(
        "<html><body><div><div><p>第一章 发展基础</p><div>一、综合实力<span>显著增强</span></div></div></div></body></html>",
        &["第一章 发展基础", "一、综合实力显著增强"],
    );
    check_html(
        "<!DOCTYPE html><body><p>（一）新材料产业<br/>依托工业园,到2025年产值突破100亿元。</p></body>",
        &["（一）新材料产业", "依托工业园,到2025年产值突破100亿元。"],
    );
    check_html(
        "<html><body><ul><li>——政治经济文化中心。</li><li>——金融中心。</li></ul></body></html>",
        &["——政治经济文化中心。", "——金融中心。"],
    );
}

#[test]
fn html_indicator_table_with_spans() {
    // Two-row header (2025年 over 目标/增速), a category column merged over two rows.
    let html = "<html><body><p>表1 主要指标</p><table>\
        <tr><td rowspan=2>类别</td><td rowspan=2>指标</td><td rowspan=2>2020年</td><td colspan=2>2025年</td><td rowspan=2>属性</td></tr>\
        <tr><td>目标</td><td>年均增长(%)</td></tr>\
        <tr><td rowspan=2>经济发展</td><td>地区生产总值(亿元)</td><td>735</td><td>1130</td><td>9</td><td>预期性</td></tr>\
        <tr><td>税收占财政收入比重(%)</td><td>87</td><td>90%</td><td>—</td><td>预期性</td></tr>\
        <tr><td>民生</td><td>城镇登记失业率(%)</td><td>3.9</td><td>≤5以内</td><td>—</td><td>预期性</td></tr>\
        </table><p>注:[ ]为五年累计数。</p></body></html>";
    check_html(
        html,
        &[
            "表1 主要指标",
            "类别 | 指标 | 2020年 | 2025年 | | 属性 |",
            "| | | 目标 | 年均增长(%) | |",
            "经济发展 | 地区生产总值(亿元) | 735 | 1130 | 9 | 预期性 |",
            "| 税收占财政收入比重(%) | 87 | 90% | — | 预期性 |",
            "民生 | 城镇登记失业率(%) | 3.9 | ≤5以内 | — | 预期性 |",
            "注:[ ]为五年累计数。",
        ],
    );
}

#[test]
fn html_furniture_is_kept_apart() {
    let html = "<html><body><div class='location'>当前位置:首页 &gt; 政务公开 &gt; 规划信息</div>\
        <div class='article'><h1>岳阳楼区“十四五”规划纲要</h1><p>来源:区发改局 发布时间:2021-05-10</p>\
        <p>“十四五”时期,是开启全面建设社会主义现代化新征程的第一个五年。全区上下要保持战略定力。</p>\
        <p>分享到: 微信 微博</p></div><div>【打印本页】 【关闭窗口】</div></body></html>";
    let decoded = decode(html.as_bytes(), "page.htm").unwrap();
    assert_eq!(decoded.format, Format::Html);
    assert_eq!(
        decoded.text.lines().collect::<Vec<_>>(),
        [
            "岳阳楼区“十四五”规划纲要",
            "“十四五”时期,是开启全面建设社会主义现代化新征程的第一个五年。全区上下要保持战略定力。"
        ]
    );
    assert_eq!(
        decoded.furniture,
        [
            "当前位置:首页 > 政务公开 > 规划信息",
            "来源:区发改局 发布时间:2021-05-10",
            "分享到: 微信 微博",
            "【打印本页】 【关闭窗口】"
        ]
    );
}

#[test]
fn gbk_html_with_declared_charset() {
    let page =
        "<html><head><meta charset=\"gb2312\"></head><body><p>第二章 主要目标</p></body></html>";
    let (bytes, _, _) = encoding_rs::GBK.encode(page);
    let decoded = decode(&bytes, "page.html").unwrap();
    assert_eq!(decoded.encoding, "gb18030");
    assert_eq!(decoded.text, "第二章 主要目标\n");
}

// ---- DOCX ----

/// One list: 第%1章 / 第%2节 / %3、 / （%4） / (%5) decimal, all Chinese counting.
fn outline_numbering() -> String {
    format!(
        r#"<w:abstractNum w:abstractNumId="7">{}{}{}{}{}</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>"#,
        lvl(0, "chineseCounting", "第%1章", "space"),
        lvl(1, "chineseCountingThousand", "第%2节", "space"),
        lvl(2, "chineseCounting", "%3、", "nothing"),
        lvl(3, "chineseCounting", "（%4）", "nothing"),
        lvl(4, "decimal", "(%5)", "nothing"),
    )
}

#[test]
fn docx_numbering_is_rendered_as_markers() {
    let body = [
        numbered(3, 0, "发展基础"),
        numbered(3, 1, "发展成就"),
        numbered(3, 2, "综合实力明显增强"),
        numbered(3, 3, "工业经济"),
        numbered(3, 4, "规模工业增加值年均增长8%。"),
        numbered(3, 4, "新增规模工业企业50家。"),
        numbered(3, 3, "现代服务业"),
        numbered(3, 4, "社会消费品零售总额达到500亿元。"),
        numbered(3, 2, "民生保障更加有力"),
        numbered(3, 1, "面临形势"),
        numbered(3, 0, "总体要求"),
        numbered(3, 2, "指导思想"),
        p("坚持稳中求进工作总基调。"),
    ]
    .concat();
    check_docx(
        &body,
        None,
        Some(&outline_numbering()),
        &[
            "第一章 发展基础",
            "第一节 发展成就",
            "一、综合实力明显增强",
            "（一）工业经济",
            "(1)规模工业增加值年均增长8%。",
            "(2)新增规模工业企业50家。",
            "（二）现代服务业",
            "(1)社会消费品零售总额达到500亿元。",
            "二、民生保障更加有力",
            "第二节 面临形势",
            "第二章 总体要求",
            "一、指导思想",
            "坚持稳中求进工作总基调。",
        ],
    );
}

#[test]
fn docx_numbering_from_the_paragraph_style() {
    let styles = r#"<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
        <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/>
          <w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="ChapterTitle"><w:basedOn w:val="1"/></w:style>"#;
    let body = [
        styled("1", "发展基础"),
        p("正文不编号。"),
        styled("ChapterTitle", "发展目标"),
        // numId 0 switches the style's numbering off for this paragraph.
        r#"<w:p><w:pPr><w:pStyle w:val="1"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>附则</w:t></w:r></w:p>"#.to_string(),
        styled("1", "保障措施"),
    ]
    .concat();
    check_docx(
        &body,
        Some(styles),
        Some(&outline_numbering()),
        &[
            "第一章 发展基础",
            "正文不编号。",
            "第二章 发展目标",
            "附则",
            "第三章 保障措施",
        ],
    );
}

#[test]
fn docx_tables_with_grid_span_and_vertical_merge() {
    let header = vec![
        tc("类别", 1, None),
        tc("指标", 1, None),
        tc("2020年", 1, None),
        tc("2025年", 1, None),
        tc("属性", 1, None),
    ];
    let category_row = vec![tc("一、经济更加发展(8项)", 5, None)];
    let gdp = vec![
        tc("经济发展", 1, Some("restart")),
        tc("地区生产总值(亿元)", 1, None),
        tc("735", 1, None),
        tc("1130", 1, None),
        tc("预期性", 1, None),
    ];
    let tax = vec![
        tc("", 1, Some("")),
        tc("税收占财政收入比重(%)", 1, None),
        tc("87", 1, None),
        tc("90%", 1, None),
        tc("预期性", 1, None),
    ];
    // A cell with two paragraphs is one cell: its lines join with a space.
    let two_lines = vec![
        "<w:tc><w:p><w:r><w:t>研发经费投入</w:t></w:r></w:p><w:p><w:r><w:t>占GDP比例(%)</w:t></w:r></w:p></w:tc>".to_string(),
        tc("2.16", 1, None),
        tc("2.8", 1, None),
        tc("预期性", 1, None),
    ];
    let body = format!(
        "{}{}{}",
        p("表一:主要指标"),
        tbl(5, &[header, category_row, gdp, tax]),
        tbl(4, &[two_lines])
    );
    check_docx(
        &body,
        None,
        None,
        &[
            "表一:主要指标",
            "类别 | 指标 | 2020年 | 2025年 | 属性 |",
            "一、经济更加发展(8项) | | | | |",
            "经济发展 | 地区生产总值(亿元) | 735 | 1130 | 预期性 |",
            "| 税收占财政收入比重(%) | 87 | 90% | 预期性 |",
            "研发经费投入 占GDP比例(%) | 2.16 | 2.8 | 预期性 |",
        ],
    );
}

#[test]
fn docx_text_boxes_are_read_once() {
    // Word writes a text box twice: DrawingML (mc:Choice) and VML (mc:Fallback).
    let text_box = |text: &str| {
        format!(
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>{0}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{0}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
            p(text)
        )
    };
    let body = [
        p("第五章 重大项目"),
        text_box("专栏5-1:交通基础设施重点项目"),
        r#"<w:p><w:r><w:drawing><a:graphic><a:t>图表里的文字</a:t></a:graphic></w:drawing></w:r><w:r><w:t>图1 地区生产总值及增长率</w:t></w:r></w:p>"#.to_string(),
    ]
    .concat();
    check_docx(
        &body,
        None,
        None,
        &[
            "第五章 重大项目",
            "专栏5-1:交通基础设施重点项目",
            "图1 地区生产总值及增长率",
        ],
    );
}

#[test]
fn docx_runs_breaks_fields_and_tracked_changes() {
    let body = r#"<w:p><w:r><w:t>到2025年,</w:t></w:r><w:r><w:t xml:space="preserve">地区生产总值</w:t></w:r><w:del><w:r><w:delText>1000</w:delText></w:r></w:del><w:ins><w:r><w:t>达到1130亿元</w:t></w:r></w:ins></w:p>
        <w:p><w:r><w:t>第一节</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>发展环境</w:t></w:r></w:p>
        <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>12</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
        <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>一、</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>总体要求 &amp; 目标</w:t></w:r></w:p>
        <w:p/><w:p><w:r><w:t xml:space="preserve">   </w:t></w:r></w:p>"#;
    check_docx(
        body,
        None,
        None,
        &[
            "到2025年,地区生产总值达到1130亿元",
            "第一节",
            "发展环境",
            "12",
            "一、 总体要求 & 目标",
        ],
    );
}

fn docx_error(bytes: &[u8]) -> String {
    match decode(bytes, "bad.docx") {
        Err(DecodeError::Docx(why)) => why,
        other => panic!("expected a DOCX error, got {other:?}"),
    }
}

#[test]
fn corrupt_docx_is_an_error_not_a_panic() {
    assert!(docx_error(b"PK\x03\x04 this is not really a zip").contains("不是有效的 ZIP"));
    let mut truncated = build(&p("第一章"), None, None);
    truncated.truncate(truncated.len() / 2);
    assert!(docx_error(&truncated).contains("ZIP"));
    let no_document = zip(&[("word/styles.xml", b"<w:styles/>")]);
    assert!(docx_error(&no_document).contains("word/document.xml"));
    let bad_xml = zip(&[("word/document.xml", b"<w:document><w:body><w:p></w:body>")]);
    let why = docx_error(&bad_xml);
    assert!(
        why.contains("word/document.xml") && why.contains("XML"),
        "{why}"
    );
    let message = DecodeError::Docx(why).to_string();
    assert!(message.starts_with("无法读取 DOCX 文档"), "{message}");
}

#[test]
fn zip_bomb_is_refused() {
    // 65 MB of zeros deflate to about 64 KB.
    let zeros = vec![0u8; MAX_INPUT_BYTES + (1 << 20)];
    let bomb = zip(&[("word/document.xml", zeros.as_slice())]);
    assert!(
        bomb.len() < 1 << 20,
        "the bomb is small: {} bytes",
        bomb.len()
    );
    let why = docx_error(&bomb);
    assert!(why.contains("压缩炸弹") && why.contains("65 MB"), "{why}");
}

#[test]
fn too_many_entries_are_refused() {
    let names: Vec<String> = (0..10_001).map(|i| format!("word/media/{i}.bin")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let why = docx_error(&zip(&entries));
    assert!(why.contains("10001") && why.contains("上限 10000"), "{why}");
}

// ---- Never panics ----

/// HTML-ish tokens: tags the walker treats specially, with hostile attributes.
fn html_token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<br>".to_string()),
        Just("<table>".to_string()),
        Just("</table>".to_string()),
        Just("<tr>".to_string()),
        Just("<td rowspan=0>".to_string()),
        Just("<td colspan=99999>".to_string()),
        Just("<th rowspan=\"3\" colspan=\"x\">".to_string()),
        Just("</td>".to_string()),
        Just("<div class='content TRS_Editor'>".to_string()),
        Just("</div>".to_string()),
        Just("<pre>".to_string()),
        Just("<script>".to_string()),
        Just("<h1 class=title>".to_string()),
        Just("&nbsp;&amp;&#x3000;&bogus;".to_string()),
        "[\\PC]{0,12}",
    ]
}

/// Word-ish tokens for document.xml.
fn docx_token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<w:p>".to_string()),
        Just("</w:p>".to_string()),
        Just("<w:r><w:t>第一章</w:t></w:r>".to_string()),
        Just(
            r#"<w:pPr><w:numPr><w:ilvl w:val="99"/><w:numId w:val="1"/></w:numPr></w:pPr>"#
                .to_string()
        ),
        Just("<w:tbl><w:tr><w:tc>".to_string()),
        Just("</w:tc></w:tr></w:tbl>".to_string()),
        Just(r#"<w:tcPr><w:gridSpan w:val="-5"/><w:vMerge/></w:tcPr>"#.to_string()),
        Just("<w:txbxContent>".to_string()),
        Just("</w:txbxContent>".to_string()),
        Just("<mc:AlternateContent><mc:Choice>".to_string()),
        Just("</mc:Choice><mc:Fallback>".to_string()),
        Just("<w:br/>".to_string()),
        "[\\PC]{0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), ext in "(txt|html|docx|doc)") {
        let _ = decode(&bytes, &format!("x.{ext}"));
        let mut zipped = b"PK\x03\x04".to_vec();
        zipped.extend_from_slice(&bytes);
        let _ = decode(&zipped, "x.docx");
    }

    #[test]
    fn arbitrary_html_never_panics(tokens in proptest::collection::vec(html_token(), 0..60)) {
        let html = format!("<html><body>{}</body></html>", tokens.concat());
        let decoded = decode(html.as_bytes(), "x.html").unwrap();
        prop_assert!(!decoded.text.contains("\n\n"));
    }

    #[test]
    fn arbitrary_document_xml_never_panics(tokens in proptest::collection::vec(docx_token(), 0..60)) {
        let body = tokens.concat();
        let docx = build(&body, None, Some(&format!(r#"<w:abstractNum w:abstractNumId="0">{}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#, lvl(8, "chineseCounting", "%9%1%%", "tab"))));
        let _ = decode(&docx, "x.docx");
    }
}

/// One decode gives the plan and the text its line numbers refer to.
#[test]
fn parse_with_text_returns_the_decoded_text() {
    let text = "青溪县2023年政府工作报告\n一、2022年工作回顾\n地区生产总值增长7%左右。\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let (plan, decoded) = planwatch_parse::parse_bytes_with_text(&gbk, "r.txt").unwrap();
    assert_eq!(decoded, text);
    assert_eq!(plan, planwatch_parse::parse_bytes(&gbk, "r.txt").unwrap());
    assert_eq!(plan.source.lines, 3);
}
