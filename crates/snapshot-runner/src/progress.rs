//! Progress output: a bar on a terminal, plain lines otherwise.
//!
//! Long stages count what they do: the harness build counts crates built of the crates the
//! harness workspace needs, the run counts cases finished of the cases planned. On a terminal
//! the bar's message shows the count as it changes. Elsewhere (CI logs, where nobody watches a
//! terminal) every stage prints one line when it starts, and a ticker thread prints the count
//! again at a fixed interval (15 s by default) so that a log never goes quiet for longer,
//! however long one crate takes to compile (SPEC §2: "a plain line at least every 15 s").

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How often a plain (non-terminal) progress line is printed during a counted stage, unless
/// [`PROGRESS_INTERVAL_ENV`] says otherwise.
pub const DEFAULT_PLAIN_INTERVAL: Duration = Duration::from_secs(15);

/// Environment variable: the interval of plain progress lines, in seconds (decimals allowed).
pub const PROGRESS_INTERVAL_ENV: &str = "CARGO_SNAPSHOT_PROGRESS_INTERVAL";

/// What is being counted right now.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Count {
    /// Nothing: a short stage.
    None,
    /// Harness build: crates whose compilation finished (fresh ones included) of the total.
    Crates {
        built: usize,
        total: usize,
        last: Option<String>,
    },
    /// Harness run: cases finished of the cases planned.
    Cases { done: usize, total: usize },
}

#[derive(Debug)]
struct State {
    stage: String,
    count: Count,
    stage_started: Instant,
    stopped: bool,
}

impl State {
    /// The line that closes a counted stage (its final count), so that every counted stage
    /// leaves its result in the log however short it was.
    fn final_line(&self) -> Option<String> {
        let count = count_text(&self.count)?;
        Some(format!(
            "cargo-snapshot: {}: {count} ({} s)",
            self.stage,
            self.stage_started.elapsed().as_secs()
        ))
    }
}

/// Shared between the [`Progress`] handle and its ticker thread.
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    /// Where plain lines go; `None` on a terminal (the bar shows everything) and when quiet.
    out: Option<Mutex<Box<dyn Write + Send>>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").finish_non_exhaustive()
    }
}

/// Reports the stages of a run and counts within them. Shared by the threads of a run.
#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    shared: Arc<Shared>,
    ticker: Mutex<Option<JoinHandle<()>>>,
}

impl Progress {
    /// A bar when stderr is a terminal, plain lines on stderr otherwise (every
    /// `$CARGO_SNAPSHOT_PROGRESS_INTERVAL` seconds, default 15, during counted stages);
    /// `quiet` prints nothing.
    pub fn new(quiet: bool) -> Self {
        if quiet {
            return Progress::silent();
        }
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            return Progress {
                bar: Some(bar),
                shared: Shared::new(None),
                ticker: Mutex::new(None),
            };
        }
        let interval = std::env::var(PROGRESS_INTERVAL_ENV)
            .ok()
            .and_then(|text| text.trim().parse::<f64>().ok())
            .filter(|seconds| seconds.is_finite() && *seconds > 0.0)
            .map_or(DEFAULT_PLAIN_INTERVAL, Duration::from_secs_f64);
        Progress::plain(Box::new(std::io::stderr()), interval)
    }

    /// Prints nothing.
    pub fn silent() -> Self {
        Progress {
            bar: None,
            shared: Shared::new(None),
            ticker: Mutex::new(None),
        }
    }

    /// Plain lines to `out`: one per stage, and during counted stages the count again every
    /// `interval`.
    pub fn plain(out: Box<dyn Write + Send>, interval: Duration) -> Self {
        let shared = Shared::new(Some(out));
        let ticker = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("cargo-snapshot-progress".to_owned())
                .spawn(move || tick_plain(&shared, interval))
                .ok()
        };
        Progress {
            bar: None,
            shared,
            ticker: Mutex::new(ticker),
        }
    }

    /// Announces a stage (`building harnesses for 3 crates`).
    pub fn stage(&self, message: impl Into<String>) {
        let message = message.into();
        if let Some(bar) = &self.bar {
            bar.println(format!("  {message}"));
            bar.set_message(message.clone());
        }
        let mut state = lock(&self.shared.state);
        let finished = state.final_line();
        state.stage = message.clone();
        state.count = Count::None;
        state.stage_started = Instant::now();
        drop(state);
        if let Some(finished) = finished {
            self.shared.print(&finished);
        }
        self.shared.print(&format!("cargo-snapshot: {message}"));
    }

    /// Updates the current line (terminal only; plain output stays one line per stage).
    pub fn tick(&self, message: impl Into<String>) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.into());
        }
    }

    /// The harness build needs `total` crates compiled (or found fresh); none is done yet.
    pub fn crates_to_build(&self, total: usize) {
        self.set_count(Count::Crates {
            built: 0,
            total,
            last: None,
        });
    }

    /// The harness build needs `total` crates in all, learned while it runs: the crates
    /// already reported built stay counted.
    pub fn crates_needed(&self, total: usize) {
        self.update(|count| {
            if let Count::Crates {
                built,
                total: known,
                ..
            } = count
            {
                *known = total.max(*built);
            }
        });
    }

    /// One more crate of the harness build is done (compiled, or fresh from an earlier run).
    pub fn crate_built(&self, name: &str) {
        self.update(|count| {
            if let Count::Crates { built, total, last } = count {
                *built += 1;
                *total = (*total).max(*built);
                *last = Some(name.to_owned());
            }
        });
    }

    /// The run has `total` cases; none is done yet.
    pub fn cases_to_run(&self, total: usize) {
        self.set_count(Count::Cases { done: 0, total });
    }

    /// `finished` more cases are done.
    pub fn cases_done(&self, finished: usize) {
        if finished == 0 {
            return;
        }
        self.update(|count| {
            if let Count::Cases { done, total } = count {
                *done += finished;
                *total = (*total).max(*done);
            }
        });
    }

    fn set_count(&self, count: Count) {
        self.update(|current| *current = count);
    }

    fn update(&self, change: impl FnOnce(&mut Count)) {
        let mut state = lock(&self.shared.state);
        change(&mut state.count);
        if let (Some(bar), Some(count)) = (&self.bar, count_text(&state.count)) {
            bar.set_message(format!("{}: {count}", state.stage));
        }
    }

    /// Removes the bar, stops the ticker.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        let mut state = lock(&self.shared.state);
        let finished = if state.stopped {
            None
        } else {
            state.final_line()
        };
        state.stopped = true;
        drop(state);
        self.shared.wake.notify_all();
        if let Some(finished) = finished {
            self.shared.print(&finished);
        }
        if let Some(ticker) = lock(&self.ticker).take() {
            let _ = ticker.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

impl Shared {
    fn new(out: Option<Box<dyn Write + Send>>) -> Arc<Self> {
        Arc::new(Shared {
            state: Mutex::new(State {
                stage: String::new(),
                count: Count::None,
                stage_started: Instant::now(),
                stopped: false,
            }),
            wake: Condvar::new(),
            out: out.map(Mutex::new),
        })
    }

    fn print(&self, line: &str) {
        let Some(out) = &self.out else {
            return;
        };
        let mut out = lock(out);
        // Progress is best effort: a closed stderr must not fail the run.
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
}

/// The ticker: while not stopped, every `interval` print the count of the current stage.
fn tick_plain(shared: &Shared, interval: Duration) {
    let mut state = lock(&shared.state);
    loop {
        // Checked before every wait: `finish` may have run before this thread first waited.
        if state.stopped {
            return;
        }
        let (next, _) = shared
            .wake
            .wait_timeout(state, interval)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state = next;
        if state.stopped {
            return;
        }
        if state.stage.is_empty() {
            continue;
        }
        let line = state.final_line().unwrap_or_else(|| {
            format!(
                "cargo-snapshot: {} ({} s)",
                state.stage,
                state.stage_started.elapsed().as_secs()
            )
        });
        drop(state);
        shared.print(&line);
        state = lock(&shared.state);
    }
}

/// `143/180 crates built (last: aws-sdk-sts)` or `1200/4000 cases run`; nothing outside
/// counted stages.
fn count_text(count: &Count) -> Option<String> {
    match count {
        Count::None => None,
        Count::Crates { built, total, last } => Some(format!(
            "{built}/{total} crates built{}",
            last.as_ref()
                .map(|last| format!(" (last: {last})"))
                .unwrap_or_default()
        )),
        Count::Cases { done, total } => Some(format!("{done}/{total} cases run")),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer the test can read back.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            lock(&self.0).extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn text(&self) -> String {
            String::from_utf8_lossy(&lock(&self.0)).into_owned()
        }

        /// Waits until a line contains `needle` (the ticker runs on its own thread), failing
        /// only if it never comes.
        fn wait_for(&self, needle: &str) -> String {
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let text = self.text();
                if text.lines().any(|line| line.contains(needle)) {
                    return text;
                }
                assert!(
                    Instant::now() < deadline,
                    "no line with {needle:?} in:\n{text}"
                );
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }

    #[test]
    fn plain_output_repeats_the_counts_of_the_build_and_the_run() {
        let out = Captured::default();
        let progress = Progress::plain(Box::new(out.clone()), Duration::from_millis(10));
        progress.stage("building harnesses for 2 crate(s)");
        progress.crates_to_build(180);
        for name in ["aws-smithy-types", "aws-sdk-sts"] {
            progress.crate_built(name);
        }
        out.wait_for("building harnesses for 2 crate(s): 2/180 crates built (last: aws-sdk-sts)");
        progress.stage("running harnesses");
        progress.cases_to_run(40);
        progress.cases_done(25);
        progress.cases_done(0);
        let text = out.wait_for("running harnesses: 25/40 cases run");
        progress.finish();
        assert!(
            text.lines().next() == Some("cargo-snapshot: building harnesses for 2 crate(s)"),
            "every stage starts with its own line:\n{text}"
        );
        assert!(
            text.contains("\ncargo-snapshot: running harnesses\n"),
            "{text}"
        );
    }

    #[test]
    fn a_stage_without_counts_still_says_it_is_running_and_the_ticker_stops_on_finish() {
        let out = Captured::default();
        let progress = Progress::plain(Box::new(out.clone()), Duration::from_millis(10));
        progress.stage("learning the client crates");
        out.wait_for("cargo-snapshot: learning the client crates (");
        progress.finish();
        let stopped = out.text();
        progress.stage("after the end");
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(
            out.text(),
            format!("{stopped}cargo-snapshot: after the end\n"),
            "stage lines still print, the ticker does not"
        );
    }

    #[test]
    fn a_counted_stage_leaves_its_final_count_however_short_it_was() {
        let out = Captured::default();
        let progress = Progress::plain(Box::new(out.clone()), Duration::from_secs(3600));
        progress.stage("running harnesses");
        progress.cases_to_run(3);
        progress.cases_done(3);
        progress.stage("rendering snapshots");
        progress.finish();
        assert_eq!(
            out.text(),
            "cargo-snapshot: running harnesses\n\
             cargo-snapshot: running harnesses: 3/3 cases run (0 s)\n\
             cargo-snapshot: rendering snapshots\n"
        );
    }

    #[test]
    fn counts_never_report_more_done_than_the_total() {
        let count = Count::Crates {
            built: 0,
            total: 1,
            last: None,
        };
        let progress = Progress::plain(Box::new(Captured::default()), Duration::from_secs(3600));
        progress.set_count(count);
        progress.crate_built("a");
        progress.crate_built("b");
        let state = lock(&progress.shared.state).count.clone();
        assert_eq!(
            count_text(&state).unwrap(),
            "2/2 crates built (last: b)",
            "a total that was too low grows with the count"
        );
    }
}
