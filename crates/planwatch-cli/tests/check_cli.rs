//! `planwatch check` across a plan and a work report of the same region.

use std::process::Command;

#[test]
fn plan_and_work_report_disagree_on_gdp() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.txt");
    let report = dir.path().join("report.txt");
    std::fs::write(
        &plan,
        "岳阳楼区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要\n\
经济更加发展。到2025年,地区生产总值达到1130亿元,第三产业增加值占GDP比重达到85%。\n",
    )
    .unwrap();
    // The report's clause has no subject of its own: GDP comes from the clause before.
    std::fs::write(
        &report,
        "岳阳楼区人民政府区长\n各位代表:\n现在,我代表区人民政府,向大会报告政府工作。\n\
三、2021年工作安排\n“十四五”时期奋斗目标是:确保全区GDP年均增速高于全市平均水平,到2025年迈上1000亿台阶。\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_planwatch"))
        .args(["check", plan.to_str().unwrap(), report.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("地区生产总值2025年目标：规划纲要为1130亿元，政府工作报告为1000亿"),
        "{text}"
    );
    assert!(text.contains("plan.txt:2"), "{text}");
    assert!(text.contains("report.txt:5"), "{text}");
}
