//! The execute stage: every built harness runs over its service's planned cases.
//!
//! Harnesses of different services are independent processes and run side by side, one per
//! available CPU; against a live endpoint, whose state they would share, one at a time and
//! with the request cases only. A case that takes its process down is recorded as such and
//! the rest still run ([`process`]).

mod process;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use snapshot_records::{CaseRecord, PlannedCase};

use crate::generate::GeneratedService;
use crate::{live, Progress, RunError, RunOptions};

use self::process::run_plan;

/// The records of one run of the harnesses.
#[derive(Debug)]
pub(crate) struct Executed {
    /// The records of each service, in service order (empty for services not run).
    pub records: Vec<Vec<CaseRecord>>,
    /// Peak resident memory of any harness process, in KiB (0 when unknown).
    pub peak_kib: u64,
}

/// One harness process to run: a built harness over its planned cases.
struct HarnessJob {
    name: String,
    binary: PathBuf,
    scratch: PathBuf,
    cases: Vec<PlannedCase>,
}

/// Runs every built harness (see the module docs).
pub(crate) fn run_harnesses(
    options: &RunOptions,
    services: &[GeneratedService<'_>],
    progress: &Progress,
) -> Result<Executed, RunError> {
    progress.stage("running harnesses");
    let live_target = options.endpoint.as_ref().map(|endpoint| endpoint.target());
    let jobs: Vec<Option<HarnessJob>> = services
        .iter()
        .map(|service| {
            let harness = service.runnable_harness()?;
            let mut cases = service.plan.cases();
            if live_target.is_some() {
                cases = live::request_cases(cases);
            }
            Some(HarnessJob {
                name: service.plan.target.name.clone(),
                binary: options
                    .build_target_dir
                    .join("debug")
                    .join(&harness.package),
                scratch: options.work_dir.join("runs").join(&harness.package),
                cases,
            })
        })
        .collect();
    let workers = if live_target.is_some() {
        1
    } else {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    };
    progress.cases_to_run(jobs.iter().flatten().map(|job| job.cases.len()).sum());
    let results = run_pool(jobs, workers, |job| {
        progress.tick(format!("running {}", job.name));
        run_plan(
            &job.binary,
            &job.scratch,
            job.cases,
            options.case_timeout,
            live_target.as_ref(),
            &|finished| progress.cases_done(finished),
        )
    });
    let mut executed = Executed {
        records: Vec::with_capacity(results.len()),
        peak_kib: 0,
    };
    for result in results {
        match result {
            Some(run) => {
                let run = run?;
                executed.peak_kib = executed.peak_kib.max(run.peak_kib);
                executed.records.push(run.records);
            }
            None => executed.records.push(Vec::new()),
        }
    }
    Ok(executed)
}

/// Runs `work` over the present `jobs` on up to `workers` threads; results keep job order.
pub(crate) fn run_pool<J: Send, R: Send>(
    jobs: Vec<Option<J>>,
    workers: usize,
    work: impl Fn(J) -> R + Sync,
) -> Vec<Option<R>> {
    let count = jobs.len();
    let jobs: Vec<Mutex<Option<J>>> = jobs.into_iter().map(Mutex::new).collect();
    let results: Vec<Mutex<Option<R>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers.min(count) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(slot) = jobs.get(index) else {
                    break;
                };
                let Some(job) = slot.lock().ok().and_then(|mut job| job.take()) else {
                    continue;
                };
                let result = work(job);
                if let Ok(mut slot) = results[index].lock() {
                    *slot = Some(result);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|result| result.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_runs_every_present_job_once_and_keeps_their_order() {
        let jobs = vec![Some(1), None, Some(3), Some(4), None, Some(6)];
        let results = run_pool(jobs, 3, |job: i32| job * 10);
        assert_eq!(
            results,
            vec![Some(10), None, Some(30), Some(40), None, Some(60)]
        );
        let none: Vec<Option<i32>> = run_pool(Vec::<Option<i32>>::new(), 2, |job| job);
        assert!(none.is_empty());
    }
}
