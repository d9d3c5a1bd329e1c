//! One harness process over its planned cases, surviving crashes and hangs of single cases.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use snapshot_records::{CaseRecord, LiveTarget, Outcome, Plan, PlannedCase};

use crate::{rusage, RunError};

/// What running a harness over a plan gave.
#[derive(Debug)]
pub(crate) struct PlanRun {
    /// One record per planned case, in plan order.
    pub records: Vec<CaseRecord>,
    /// Peak resident memory of the harness processes, in KiB (0 when unknown).
    pub peak_kib: u64,
}

/// Runs `binary` over `cases`. A case that kills the process (abort, stack overflow) or
/// outlives the watchdog gets a `Panicked`/`TimedOut` record and the run resumes after it.
/// With `live`, the harness sends every request to that endpoint instead of replaying.
/// `finished(n)` is told, while the harness runs, of every `n` more cases it has recorded.
pub(crate) fn run_plan(
    binary: &Path,
    scratch: &Path,
    cases: Vec<PlannedCase>,
    case_timeout: Duration,
    live: Option<&LiveTarget>,
    finished: &dyn Fn(usize),
) -> Result<PlanRun, RunError> {
    let harness_error = |reason: String| RunError::Harness {
        binary: binary.to_owned(),
        reason,
    };
    std::fs::create_dir_all(scratch)
        .map_err(|error| harness_error(format!("cannot create {}: {error}", scratch.display())))?;
    let mut records = Vec::with_capacity(cases.len());
    let mut peak_kib = 0;
    let mut remaining = cases;
    let mut attempt = 0;
    while !remaining.is_empty() {
        attempt += 1;
        let plan_path = scratch.join(format!("plan-{attempt}.json"));
        let records_path = scratch.join(format!("records-{attempt}.jsonl"));
        let plan = Plan {
            cases: remaining.clone(),
            timeout_millis: u64::try_from(case_timeout.as_millis()).unwrap_or(u64::MAX),
            live: live.cloned(),
        };
        let plan_json =
            serde_json::to_vec(&plan).map_err(|error| harness_error(error.to_string()))?;
        std::fs::write(&plan_path, plan_json).map_err(|error| {
            harness_error(format!("cannot write {}: {error}", plan_path.display()))
        })?;
        let mut child = Command::new(binary)
            .arg(&plan_path)
            .arg(&records_path)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| harness_error(error.to_string()))?;
        // The in-process timeout handles async hangs; this watchdog catches blocking ones
        // (a parser looping in synchronous code): a harness that writes no record for a
        // case's limit plus a grace for its start-up is killed, and the run resumes after the
        // case it was on.
        let stall_limit = case_timeout + STALL_GRACE;
        let mut watch = RecordsWatch::new(&records_path);
        let exit = wait_with_watchdog(&mut child, stall_limit, &mut || {
            let added = watch.new_records();
            finished(added);
            added > 0
        })
        .map_err(|error| harness_error(error.to_string()))?;
        peak_kib = peak_kib.max(exit.peak_kib);
        let (status, killed) = (exit.status, exit.killed);
        let recorded = read_records(&records_path)?;
        let done = recorded.len();
        // The culprit's record (added below) counts too.
        finished((done + usize::from(done < remaining.len())).saturating_sub(watch.seen));
        records.extend(recorded);
        if done >= remaining.len() {
            break;
        }
        if status.is_some_and(|status| status.success()) {
            return Err(harness_error(format!(
                "it stopped after {done} of {} cases without an error",
                remaining.len()
            )));
        }
        if done == 0
            && !killed
            && status.is_some_and(|status| status.code() == Some(2) || status.code() == Some(3))
        {
            return Err(harness_error(exit.stderr.trim().to_owned()));
        }
        // The case after the last record is the one that took the process down.
        records.push(culprit_record(
            &remaining[done],
            exit.culprit_outcome(case_timeout),
        ));
        remaining = remaining.split_off(done + 1);
    }
    Ok(PlanRun { records, peak_kib })
}

/// Counts the records a running harness has appended to its records file (one JSON line
/// each), reading only what was added since the last look, at most every 200 ms.
struct RecordsWatch<'p> {
    path: &'p Path,
    offset: u64,
    seen: usize,
    last_look: Instant,
}

impl<'p> RecordsWatch<'p> {
    fn new(path: &'p Path) -> Self {
        RecordsWatch {
            path,
            offset: 0,
            seen: 0,
            last_look: Instant::now(),
        }
    }

    /// How many complete lines were added since the last call.
    fn new_records(&mut self) -> usize {
        use std::io::{Seek, SeekFrom};
        if self.last_look.elapsed() < Duration::from_millis(200) {
            return 0;
        }
        self.last_look = Instant::now();
        let Ok(mut file) = std::fs::File::open(self.path) else {
            return 0;
        };
        let mut added = Vec::new();
        if file.seek(SeekFrom::Start(self.offset)).is_err() || file.read_to_end(&mut added).is_err()
        {
            return 0;
        }
        // Only whole lines count; a partial last line is read again next time.
        let Some(last_newline) = added.iter().rposition(|byte| *byte == b'\n') else {
            return 0;
        };
        let lines = added[..=last_newline]
            .iter()
            .filter(|byte| **byte == b'\n')
            .count();
        self.offset += u64::try_from(last_newline + 1).unwrap_or(0);
        self.seen += lines;
        lines
    }
}

/// How a harness process ended.
struct Exit {
    /// Its exit status; `None` when the watchdog killed it.
    status: Option<ExitStatus>,
    /// Whether the watchdog killed it.
    killed: bool,
    /// Its peak resident memory in KiB (0 when unknown).
    peak_kib: u64,
    /// What it wrote to stderr.
    stderr: String,
}

impl Exit {
    /// What happened to the case the process died in: it timed out, or it took the process
    /// down (abort, stack overflow, signal).
    fn culprit_outcome(&self, case_timeout: Duration) -> Outcome {
        if self.killed {
            return Outcome::TimedOut {
                millis: u64::try_from(case_timeout.as_millis()).unwrap_or(u64::MAX),
            };
        }
        Outcome::Panicked {
            message: format!(
                "the harness process died ({}): {}",
                self.status
                    .map_or_else(|| "killed".to_owned(), |status| status.to_string()),
                last_line(&self.stderr)
            ),
        }
    }
}

/// What a harness gets beyond a case's time limit before the watchdog counts it as stalled:
/// its start-up (loading the binary, building the client) comes before the first record.
const STALL_GRACE: Duration = Duration::from_secs(10);

/// Waits for `child`, killing it once it has made no progress for `stall_limit`; `progress`
/// runs while it waits and says whether the child made progress since the last call.
fn wait_with_watchdog(
    child: &mut Child,
    stall_limit: Duration,
    progress: &mut dyn FnMut() -> bool,
) -> std::io::Result<Exit> {
    let mut last_progress = Instant::now();
    let (status, killed, peak_kib) = loop {
        match rusage::try_wait(child)? {
            Some((status, peak)) => break (Some(status), false, peak),
            None if last_progress.elapsed() > stall_limit => {
                let _ = child.kill();
                let _ = rusage::wait(child);
                break (None, true, 0);
            }
            None => {
                if progress() {
                    last_progress = Instant::now();
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = pipe.read_to_string(&mut stderr);
    }
    Ok(Exit {
        status,
        killed,
        peak_kib,
        stderr,
    })
}

/// The record of a case that took its harness process down.
fn culprit_record(culprit: &PlannedCase, outcome: Outcome) -> CaseRecord {
    CaseRecord {
        operation: culprit.operation.clone(),
        case: culprit.case.clone(),
        endpoint_override: false,
        request: None,
        response: culprit.response.clone(),
        outcome,
        round_trip: None,
        micros: 0,
    }
}

fn last_line(text: &str) -> &str {
    text.lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("no output")
}

fn read_records(path: &PathBuf) -> Result<Vec<CaseRecord>, RunError> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(Vec::new());
    };
    text.lines()
        .filter(|line| !line.trim().is_empty())
        // A process killed mid-write leaves a partial last line; it is the culprit's and is dropped.
        .map_while(|line| serde_json::from_str::<CaseRecord>(line).ok())
        .map(Ok)
        .collect()
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use snapshot_records::Case;

    use super::*;

    /// A stand-in harness: records an output for every planned operation, in order, dies
    /// with SIGKILL when it reaches the operation `Crash` (as an abort or stack overflow would)
    /// and blocks for good at `Hang` (as a parser looping in synchronous code would).
    const FAKE_HARNESS: &str = r#"#!/usr/bin/env bash
plan="$1"; out="$2"; : > "$out"
for op in $(grep -o '"operation":"[^"]*"' "$plan" | sed 's/.*:"\(.*\)"/\1/'); do
  if [ "$op" = Crash ]; then kill -9 $$; fi
  if [ "$op" = Hang ]; then exec sleep 1000; fi
  printf '{"operation":"%s","case":{"case":"request"},"endpoint_override":false,"request":null,"response":null,"outcome":{"outcome":"output","debug":"%s"},"micros":1}\n' "$op" "$op" >> "$out"
done
"#;

    fn planned(operation: &str) -> PlannedCase {
        PlannedCase {
            operation: operation.to_owned(),
            case: Case::Request {
                variant: snapshot_records::InputVariant::Max,
            },
            response: None,
            expected: None,
        }
    }

    #[test]
    fn a_case_that_kills_the_harness_is_reported_and_the_rest_still_run() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("harness");
        std::fs::write(&binary, FAKE_HARNESS).unwrap();
        std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
        let cases = ["First", "Crash", "Second", "Third"].map(planned).to_vec();
        let finished = std::sync::atomic::AtomicUsize::new(0);
        let records = run_plan(
            &binary,
            &dir.path().join("scratch"),
            cases,
            Duration::from_secs(5),
            None,
            &|count| {
                finished.fetch_add(count, std::sync::atomic::Ordering::Relaxed);
            },
        )
        .unwrap();
        assert_eq!(
            finished.into_inner(),
            4,
            "progress counts every case once, the one that killed the harness included"
        );
        assert!(
            records.peak_kib > 0,
            "the harness processes' peak memory is measured"
        );
        let records = records.records;
        let summary: Vec<(String, &str)> = records
            .iter()
            .map(|record| {
                let kind = match &record.outcome {
                    Outcome::Output { .. } => "output",
                    Outcome::Panicked { .. } => "died",
                    _ => "other",
                };
                (record.operation.clone(), kind)
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("First".to_owned(), "output"),
                ("Crash".to_owned(), "died"),
                ("Second".to_owned(), "output"),
                ("Third".to_owned(), "output"),
            ]
        );
        let Outcome::Panicked { message } = &records[1].outcome else {
            unreachable!()
        };
        assert!(message.contains("the harness process died"), "{message}");
    }

    #[test]
    fn a_blocking_hang_is_killed_after_one_case_limit_not_one_per_remaining_case() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("harness");
        std::fs::write(&binary, FAKE_HARNESS).unwrap();
        std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut cases = vec![planned("First"), planned("Hang")];
        cases.extend((0..40).map(|index| planned(&format!("After{index}"))));
        let started = Instant::now();
        let run = run_plan(
            &binary,
            &dir.path().join("scratch"),
            cases,
            Duration::from_secs(1),
            None,
            &|_| {},
        )
        .unwrap();
        // A budget of one case limit per remaining case (41 s + 30 s) would wait over a minute.
        let waited = started.elapsed();
        assert!(
            waited < Duration::from_secs(1) + STALL_GRACE + Duration::from_secs(15),
            "the hang was killed after {waited:?}"
        );
        assert_eq!(run.records.len(), 42);
        assert!(
            matches!(run.records[1].outcome, Outcome::TimedOut { .. }),
            "{:?}",
            run.records[1].outcome
        );
        assert!(matches!(run.records[41].outcome, Outcome::Output { .. }));
    }

    #[test]
    fn a_harness_that_cannot_start_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-harness");
        let error = run_plan(
            &missing,
            &dir.path().join("scratch"),
            vec![planned("First")],
            Duration::from_secs(1),
            None,
            &|_| {},
        )
        .unwrap_err();
        assert!(error.to_string().contains("no-such-harness"), "{error}");
    }
}
