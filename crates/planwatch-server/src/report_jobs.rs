//! Reports built in the background for the web app: a planner asks for a report, the
//! page that follows shows how far the build has come and offers the file when it is
//! ready. The data is read on an async worker; writing the document (charts, DOCX
//! packaging) runs in [`crate::heavy`]'s bounded pool like every other heavy job.
//!
//! Jobs live in memory, keyed by a random id and bound to the user who asked; at most
//! [`ReportJobs::CAPACITY`] are kept, each for 30 minutes. A restart forgets them,
//! which costs the user one click.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How far a report has come.
#[derive(Debug, Clone)]
pub enum Stage {
    /// Reading the plan, the data and the evaluation.
    Loading,
    /// Writing the document.
    Writing,
    /// Ready for download.
    Done(ReportFile),
    /// It failed; the message is for the user.
    Failed(String),
}

impl Stage {
    /// What the progress page says.
    pub fn label(&self) -> &'static str {
        match self {
            Stage::Loading => "正在汇总规划、监测数据和评估结果（第1步，共2步）",
            Stage::Writing => "正在生成文档和图表（第2步，共2步）",
            Stage::Done(_) => "已生成",
            Stage::Failed(_) => "生成失败",
        }
    }
}

/// A finished report.
#[derive(Debug, Clone)]
pub struct ReportFile {
    /// File name offered to the browser (Chinese, for the user's folder).
    pub file_name: String,
    /// MIME type.
    pub content_type: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// One report being built or built.
#[derive(Debug, Clone)]
pub struct ReportJob {
    /// Who asked (only they see it).
    pub user_id: i64,
    /// The plan it is about.
    pub plan_id: i64,
    /// 2023年度监测报告 (DOCX).
    pub title: String,
    /// How far it has come.
    pub stage: Stage,
    /// When it was asked for.
    pub at: Instant,
}

/// The report jobs of this server.
#[derive(Debug, Default)]
pub struct ReportJobs {
    jobs: Mutex<HashMap<String, ReportJob>>,
}

impl ReportJobs {
    /// Most jobs kept at once (the oldest is dropped first).
    pub const CAPACITY: usize = 32;
    const TTL: Duration = Duration::from_secs(30 * 60);

    /// Keep a new job under `id`.
    pub fn start(&self, id: &str, job: ReportJob) {
        let mut jobs = self.lock();
        jobs.retain(|_, j| j.at.elapsed() < Self::TTL);
        while jobs.len() >= Self::CAPACITY {
            let oldest = jobs
                .iter()
                .min_by_key(|(_, j)| j.at)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => jobs.remove(&k),
                None => break,
            };
        }
        jobs.insert(id.to_string(), job);
    }

    /// Move job `id` to `stage` (a job dropped meanwhile stays dropped).
    pub fn advance(&self, id: &str, stage: Stage) {
        if let Some(job) = self.lock().get_mut(id) {
            job.stage = stage;
        }
    }

    /// Job `id` of plan `plan_id` if `user_id` asked for it and it has not expired.
    pub fn get(&self, id: &str, user_id: i64, plan_id: i64) -> Option<ReportJob> {
        self.lock()
            .get(id)
            .filter(|j| j.user_id == user_id && j.plan_id == plan_id)
            .filter(|j| j.at.elapsed() < Self::TTL)
            .cloned()
    }

    /// Jobs of `user_id` still running.
    pub fn running_of(&self, user_id: i64) -> usize {
        self.lock()
            .values()
            .filter(|j| j.user_id == user_id)
            .filter(|j| matches!(j.stage, Stage::Loading | Stage::Writing))
            .count()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, ReportJob>> {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(user_id: i64, plan_id: i64) -> ReportJob {
        ReportJob {
            user_id,
            plan_id,
            title: "2023年度监测报告".into(),
            stage: Stage::Loading,
            at: Instant::now(),
        }
    }

    #[test]
    fn a_job_is_seen_by_its_owner_on_its_plan_only() {
        let jobs = ReportJobs::default();
        jobs.start("a", job(1, 7));
        assert!(jobs.get("a", 1, 7).is_some());
        assert!(jobs.get("a", 2, 7).is_none(), "another user");
        assert!(jobs.get("a", 1, 8).is_none(), "another plan's URL");
        assert!(jobs.get("b", 1, 7).is_none(), "a guessed id");
    }

    #[test]
    fn stages_advance_and_running_jobs_are_counted() {
        let jobs = ReportJobs::default();
        jobs.start("a", job(1, 7));
        jobs.start("b", job(1, 7));
        assert_eq!(jobs.running_of(1), 2);
        jobs.advance("a", Stage::Failed("无法生成".into()));
        assert_eq!(jobs.running_of(1), 1);
        assert!(matches!(
            jobs.get("a", 1, 7).unwrap().stage,
            Stage::Failed(_)
        ));
    }

    #[test]
    fn the_oldest_job_makes_room() {
        let jobs = ReportJobs::default();
        for i in 0..ReportJobs::CAPACITY + 3 {
            jobs.start(&i.to_string(), job(1, 7));
        }
        assert_eq!(jobs.lock().len(), ReportJobs::CAPACITY);
        assert!(jobs.get("0", 1, 7).is_none());
        let last = (ReportJobs::CAPACITY + 2).to_string();
        assert!(jobs.get(&last, 1, 7).is_some());
    }
}
