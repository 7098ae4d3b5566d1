//! Parse time against input size, for ordinary and adversarial shapes.
//!
//! `cargo bench -p planwatch-parse --bench linear` prints, for each shape, the time and
//! MB/s at about 0.1, 1 and 10 MB: a linear parser keeps MB/s roughly flat. With
//! `--quick` the 10 MB size is skipped. The numbers depend on the machine and its load;
//! nothing here asserts a time.

use std::time::Instant;

/// A document shape: builds about `bytes` of input, and names the decoder to use.
struct Shape {
    name: &'static str,
    path: &'static str,
    build: fn(usize) -> String,
}

const PARAGRAPH: &str =
    "到2025年，地区生产总值达到1130亿元，年均增长8%左右，城镇调查失业率控制在5.5%以内。";

fn repeat_until(bytes: usize, mut piece: impl FnMut(usize) -> String) -> String {
    let mut out = String::with_capacity(bytes + 256);
    let mut i = 0;
    while out.len() < bytes {
        out.push_str(&piece(i));
        i += 1;
    }
    out
}

fn headings(bytes: usize) -> String {
    repeat_until(bytes, |i| format!("第{}章 坚持创新驱动发展\n", i % 99 + 1))
}

fn prose(bytes: usize) -> String {
    repeat_until(bytes, |i| {
        format!("（{}）推进重点领域改革。{PARAGRAPH}\n", i % 9 + 1)
    })
}

fn one_line(bytes: usize) -> String {
    repeat_until(bytes, |_| PARAGRAPH.to_string())
}

fn pipe_table(bytes: usize) -> String {
    let mut out = String::from("类别 | 序号 | 指标名称 | 2020年 | 2025年 | 属性 |\n");
    out.push_str(&repeat_until(bytes, |i| {
        format!(
            "经济发展 | {} | 地区生产总值(亿元) | 735 | 1130 | 预期性 |\n",
            i % 200 + 1
        )
    }));
    out
}

fn cell_stream(bytes: usize) -> String {
    let mut out = String::from("类别\n序号\n指标名称\n2020年\n2025年\n目标值\n属性\n");
    out.push_str(&repeat_until(bytes, |i| {
        format!("{}\n森林覆盖率(%)\n62.4\n63\n约束性\n", i % 200 + 1)
    }));
    out
}

fn header_words(bytes: usize) -> String {
    repeat_until(bytes, |i| format!("指标\n2020年\n目标{}\n", i % 7))
}

fn nested_html(bytes: usize) -> String {
    let depth = bytes / 11;
    let mut out = String::with_capacity(bytes * 2);
    out.push_str("<html><body>");
    for _ in 0..depth {
        out.push_str("<div>");
    }
    out.push_str(PARAGRAPH);
    for _ in 0..depth {
        out.push_str("</div>");
    }
    out.push_str("</body></html>");
    out
}

fn html_table(bytes: usize) -> String {
    let mut out = String::from(
        "<html><body><div class=\"content\"><table><tr><th>指标</th><th>2020年</th><th>2025年</th></tr>",
    );
    out.push_str(&repeat_until(bytes, |_| {
        "<tr><td rowspan=\"2\">地区生产总值</td><td>735</td><td>1130</td></tr>".to_string()
    }));
    out.push_str("</table></div></body></html>");
    out
}

const SHAPES: &[Shape] = &[
    Shape {
        name: "prose paragraphs",
        path: "x.txt",
        build: prose,
    },
    Shape {
        name: "heading lines",
        path: "x.txt",
        build: headings,
    },
    Shape {
        name: "one long line",
        path: "x.txt",
        build: one_line,
    },
    Shape {
        name: "| table rows",
        path: "x.txt",
        build: pipe_table,
    },
    Shape {
        name: "cell-per-line table",
        path: "x.txt",
        build: cell_stream,
    },
    Shape {
        name: "header words only",
        path: "x.txt",
        build: header_words,
    },
    Shape {
        name: "HTML nested deep",
        path: "x.html",
        build: nested_html,
    },
    Shape {
        name: "HTML table rows",
        path: "x.html",
        build: html_table,
    },
];

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes: &[usize] = if quick {
        &[100_000, 1_000_000]
    } else {
        &[100_000, 1_000_000, 10_000_000]
    };
    let only: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    println!(
        "{:<22} {:>10} {:>10} {:>9}",
        "shape", "bytes", "seconds", "MB/s"
    );
    for shape in SHAPES {
        if only.as_deref().is_some_and(|o| !shape.name.contains(o)) {
            continue;
        }
        for &size in sizes {
            let input = (shape.build)(size);
            let start = Instant::now();
            let plan = planwatch_parse::parse_bytes(input.as_bytes(), shape.path);
            let secs = start.elapsed().as_secs_f64();
            let items = plan
                .map(|p| p.outline.len() + p.targets.len() + p.tables.len())
                .unwrap_or(0);
            let mbs = input.len() as f64 / 1e6 / secs.max(1e-9);
            println!(
                "{:<22} {:>10} {:>10.3} {:>9.1}   ({items} items)",
                shape.name,
                input.len(),
                secs,
                mbs
            );
        }
    }
}
