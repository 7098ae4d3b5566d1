//! CPU-heavy work off the async workers: parsing an uploaded plan, reading an actuals
//! file, writing a workbook.
//!
//! Such a job can take seconds on a large or pathological file. Run on a request's
//! async worker it would stall every other request scheduled there; run without a
//! bound, two uploads would take every core. So each job runs on tokio's blocking
//! threads behind a semaphore (`jobs` at once), at most `queue` jobs wait for a slot,
//! and a job that does not get a slot or does not finish within the time limit is
//! answered with a clear error.
//!
//! A thread cannot be stopped from outside, so a job past its time limit keeps its
//! slot until it really ends: the bound on running jobs holds even for abandoned ones.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::{Instant, timeout_at};

use crate::error::AppError;

/// The bounded pool for heavy jobs.
#[derive(Debug)]
pub struct Heavy {
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue: usize,
    time_limit: Duration,
}

/// Counts a job as waiting while it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Heavy {
    /// A pool running `jobs` jobs at once (at least one), with `queue` more waiting,
    /// each waiting and then running at most `time_limit`.
    pub fn new(jobs: usize, queue: usize, time_limit: Duration) -> Heavy {
        Heavy {
            slots: Arc::new(Semaphore::new(jobs.max(1))),
            waiting: AtomicUsize::new(0),
            queue,
            time_limit,
        }
    }

    /// Run `job` on a blocking thread once a slot is free.
    ///
    /// Errors: [`AppError::Busy`] when the queue is full or no slot frees up in time,
    /// [`AppError::TooComplex`] when the job runs past the time limit (it finishes in
    /// the background and its result is dropped).
    pub async fn run<T, F>(&self, job: F) -> Result<T, AppError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let slot = {
            if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.queue + self.jobs_free() {
                self.waiting.fetch_sub(1, Ordering::AcqRel);
                return Err(AppError::Busy);
            }
            let _waiting = Waiting(&self.waiting);
            let deadline = Instant::now() + self.time_limit;
            match timeout_at(deadline, self.slots.clone().acquire_owned()).await {
                Ok(Ok(slot)) => slot,
                // Waited too long, or the semaphore was closed (never done here).
                _ => return Err(AppError::Busy),
            }
        };
        let deadline = Instant::now() + self.time_limit;
        let handle = tokio::task::spawn_blocking(move || {
            let _slot = slot;
            job()
        });
        match timeout_at(deadline, handle).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e)) => Err(AppError::Internal(format!("后台任务异常结束：{e}"))),
            Err(_) => Err(AppError::TooComplex),
        }
    }

    /// Slots free right now: a job that will get one at once is not queueing.
    fn jobs_free(&self) -> usize {
        self.slots.available_permits()
    }

    /// Jobs waiting for a slot now (for tests and diagnostics).
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[tokio::test]
    async fn jobs_run_and_return() {
        let h = Heavy::new(1, 2, Duration::from_secs(5));
        assert_eq!(h.run(|| 6 * 7).await.unwrap(), 42);
    }

    #[tokio::test]
    async fn a_slow_job_is_cut_off_and_the_queue_is_bounded() {
        let h = Arc::new(Heavy::new(1, 1, Duration::from_millis(200)));
        let (release, gate) = mpsc::channel::<()>();
        // Holds the only slot until released (well past the limit).
        let slow = {
            let h = h.clone();
            tokio::spawn(async move { h.run(move || gate.recv().is_ok()).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        // One may wait; it gets no slot within the limit.
        let waiting = {
            let h = h.clone();
            tokio::spawn(async move { h.run(|| 1).await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        // A third is refused at once: the queue is full.
        assert!(matches!(h.run(|| 2).await, Err(AppError::Busy)));
        assert!(matches!(waiting.await.unwrap(), Err(AppError::Busy)));
        assert!(matches!(slow.await.unwrap(), Err(AppError::TooComplex)));
        // The abandoned job still holds its slot until it ends.
        assert!(matches!(h.run(|| 3).await, Err(AppError::Busy)));
        release.send(()).unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(h.run(|| 4).await.unwrap(), 4);
    }
}
