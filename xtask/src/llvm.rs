//! LLVM source-based coverage: finding (and installing) the LLVM tools that match the compiler,
//! merging raw profiles, and reading `llvm-cov export` JSON into per-file figures.
//!
//! The totals are the export's per-file summary. The missed lines listed follow `llvm-cov`'s
//! display rule (`LineCoverageStats` in LLVM's `CoverageMapping.cpp`): the ones `llvm-cov show`
//! marks with a zero count. The list can be shorter than the summary's missed count: a line
//! whose other code ran is shown as run even when a region on it never did (a one-line closure
//! that was never called; sts 162 listed of 170 counted, s3 3,239 of 4,775).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

/// The `llvm-profdata` and `llvm-cov` of the toolchain that builds the harnesses: the
/// `llvm-tools` rustup component, whose LLVM is the compiler's own (profiles are not
/// readable across LLVM versions).
#[derive(Debug, Clone)]
pub struct LlvmTools {
    profdata: PathBuf,
    cov: PathBuf,
}

impl LlvmTools {
    /// Finds the tools in the sysroot of `rustc` (as run from `dir`), installing the rustup
    /// component `llvm-tools-preview` when they are missing.
    pub fn find_or_install(dir: &Path) -> Result<LlvmTools> {
        let bin = tools_dir(dir)?;
        let tools = LlvmTools {
            profdata: bin.join(exe("llvm-profdata")),
            cov: bin.join(exe("llvm-cov")),
        };
        if tools.profdata.is_file() && tools.cov.is_file() {
            return Ok(tools);
        }
        eprintln!(
            "serde-coverage: installing the LLVM tools (`rustup component add llvm-tools-preview`)"
        );
        let status = Command::new("rustup")
            .current_dir(dir)
            .args(["component", "add", "llvm-tools-preview"])
            .status();
        if !status.is_ok_and(|status| status.success()) || !tools.cov.is_file() {
            bail!(
                "llvm-cov and llvm-profdata are not in {}; install them with \
                 `rustup component add llvm-tools-preview` (run in {}) and try again",
                bin.display(),
                dir.display()
            );
        }
        Ok(tools)
    }

    /// Merges the raw profiles in `raw_dir` (every `*.profraw`) into `output`.
    pub fn merge(&self, raw_dir: &Path, output: &Path) -> Result<()> {
        let mut raw: Vec<PathBuf> = std::fs::read_dir(raw_dir)
            .with_context(|| format!("reading {}", raw_dir.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "profraw"))
            .collect();
        raw.sort();
        if raw.is_empty() {
            bail!(
                "no raw profiles in {}: the instrumented harnesses did not run",
                raw_dir.display()
            );
        }
        // The list goes through a file: a core-set run leaves thousands of build-script profiles.
        let list = output.with_extension("inputs");
        let names: Vec<String> = raw.iter().map(|path| path.display().to_string()).collect();
        std::fs::write(&list, names.join("\n"))?;
        let status = Command::new(&self.profdata)
            .args(["merge", "-sparse", "-f"])
            .arg(&list)
            .arg("-o")
            .arg(output)
            .status()
            .with_context(|| format!("running {}", self.profdata.display()))?;
        if !status.success() {
            bail!(
                "llvm-profdata merge of {} failed ({status})",
                raw_dir.display()
            );
        }
        Ok(())
    }

    /// `llvm-cov export` of the files under `sources` as they were executed by `objects`.
    pub fn export(
        &self,
        profile: &Path,
        objects: &[PathBuf],
        sources: &[PathBuf],
    ) -> Result<Vec<u8>> {
        let mut command = Command::new(&self.cov);
        command
            .args(["export", "-format=text", "-skip-functions"])
            .arg(format!("-instr-profile={}", profile.display()));
        for (index, object) in objects.iter().enumerate() {
            if index > 0 {
                command.arg("-object");
            }
            command.arg(object);
        }
        command.args(sources);
        let output = command
            .output()
            .with_context(|| format!("running {}", self.cov.display()))?;
        if !output.status.success() {
            bail!(
                "llvm-cov export failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(output.stdout)
    }
}

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// `<sysroot>/lib/rustlib/<host>/bin` of the `rustc` cargo would use in `dir`.
fn tools_dir(dir: &Path) -> Result<PathBuf> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let run = |args: &[&str]| -> Result<String> {
        let output = Command::new(&rustc)
            .current_dir(dir)
            .args(args)
            .output()
            .context("running rustc")?;
        if !output.status.success() {
            bail!("`rustc {}` failed ({})", args.join(" "), output.status);
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let sysroot = run(&["--print", "sysroot"])?;
    let version = run(&["-vV"])?;
    let host = version
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .context("`rustc -vV` names no host")?;
    Ok(Path::new(sysroot.trim())
        .join("lib/rustlib")
        .join(host.trim())
        .join("bin"))
}

/// Covered out of countable, for lines or regions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Executed at least once.
    pub covered: u64,
    /// Countable (lines: lines with code; regions: code regions).
    pub count: u64,
}

impl Counts {
    /// The share covered, in percent (100 when nothing is countable).
    pub fn percent(self) -> f64 {
        if self.count == 0 {
            100.0
        } else {
            self.covered as f64 * 100.0 / self.count as f64
        }
    }

    /// Countable but not executed.
    pub fn missed(self) -> u64 {
        self.count - self.covered
    }
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.covered += other.covered;
        self.count += other.count;
    }
}

/// One source file's coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileCoverage {
    /// The source file, as the compiler saw it (absolute).
    pub path: PathBuf,
    /// Lines with code, and those executed.
    pub lines: Counts,
    /// Code regions, and those executed.
    pub regions: Counts,
    /// The 1-based numbers of the lines with code that never ran, ascending.
    pub missed_lines: Vec<u32>,
}

#[derive(Debug, Deserialize)]
struct Export {
    data: Vec<ExportData>,
}

#[derive(Debug, Deserialize)]
struct ExportData {
    files: Vec<ExportFile>,
}

#[derive(Debug, Deserialize)]
struct ExportFile {
    filename: PathBuf,
    segments: Vec<Segment>,
    summary: ExportSummary,
}

#[derive(Debug, Deserialize)]
struct ExportSummary {
    lines: Counts,
    regions: Counts,
}

/// `[line, column, count, has_count, is_region_entry, is_gap_region]`; the column does not
/// matter to line figures.
#[derive(Debug, Clone, Copy, Deserialize)]
struct Segment(u32, IgnoredAny, u64, bool, bool, bool);

impl Segment {
    fn line(self) -> u32 {
        self.0
    }
    fn count(self) -> u64 {
        self.2
    }
    fn has_count(self) -> bool {
        self.3
    }
    fn starts_region(self) -> bool {
        !self.5 && self.3 && self.4
    }
    fn starts_skipped_region(self) -> bool {
        !self.3 && self.4
    }
}

/// Reads `llvm-cov export -format=text` output into one entry per file.
pub fn files_from_export(json: &[u8]) -> Result<Vec<FileCoverage>> {
    let export: Export = serde_json::from_slice(json).context("reading llvm-cov export JSON")?;
    Ok(export
        .data
        .into_iter()
        .flat_map(|data| data.files)
        .map(|file| FileCoverage {
            missed_lines: missed_lines(&file.segments),
            path: file.filename,
            lines: file.summary.lines,
            regions: file.summary.regions,
        })
        .collect())
}

/// The lines `llvm-cov` counts as code with an execution count of zero. A line is code when a
/// counted region starts on it or a counted region spans it; its count is the largest of the
/// regions starting on it and the one it continues (LLVM's `LineCoverageStats`).
fn missed_lines(segments: &[Segment]) -> Vec<u32> {
    let mut missed = Vec::new();
    let Some(first) = segments.first() else {
        return missed;
    };
    let mut next = 0;
    let mut line = first.line();
    let mut wrapped: Option<Segment> = None;
    let mut on_line: Vec<Segment> = Vec::new();
    while next < segments.len() {
        if let Some(last) = on_line.last() {
            wrapped = Some(*last);
        }
        on_line.clear();
        while next < segments.len() && segments[next].line() == line {
            on_line.push(segments[next]);
            next += 1;
        }
        let starts = on_line.iter().filter(|s| s.starts_region()).count();
        let skipped = on_line.first().is_some_and(|s| s.starts_skipped_region());
        let mapped = !skipped && (wrapped.is_some_and(Segment::has_count) || starts > 0);
        if mapped {
            let count = on_line
                .iter()
                .filter(|s| s.starts_region())
                .map(|s| s.count())
                .chain(wrapped.map(Segment::count))
                .max()
                .unwrap_or(0);
            if count == 0 {
                missed.push(line);
            }
        }
        line += 1;
    }
    missed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `llvm-cov export` of an instrumented sts harness run, reduced to two files of the
    /// client crate and one of a dependency, with the registry path shortened.
    const RECORDED: &[u8] = include_bytes!("../testdata/llvm-cov-export.json");

    fn segment(line: u32, count: u64, has_count: bool, entry: bool, gap: bool) -> Segment {
        Segment(line, IgnoredAny, count, has_count, entry, gap)
    }

    #[test]
    fn files_keep_the_summary_figures_of_the_export() {
        let files = files_from_export(RECORDED).unwrap();
        let names: Vec<String> = files.iter().map(|f| f.path.display().to_string()).collect();
        assert_eq!(
            names,
            [
                "/registry/aws-sdk-sts-1.124.0/src/protocol_serde.rs",
                "/registry/aws-sdk-sts-1.124.0/src/protocol_serde/shape_get_caller_identity.rs",
                "/registry/aws-smithy-xml-0.60.9/src/decode.rs",
            ]
        );
        let caller = &files[1];
        assert_eq!(
            caller.lines,
            Counts {
                covered: 45,
                count: 68
            }
        );
        assert_eq!(
            caller.regions,
            Counts {
                covered: 83,
                count: 113
            }
        );
        assert!((caller.lines.percent() - 66.176).abs() < 0.001);
    }

    #[test]
    fn missed_lines_are_those_llvm_cov_show_marks_with_zero() {
        let files = files_from_export(RECORDED).unwrap();
        // `llvm-cov show` of the same profile: the lines whose count column reads 0.
        assert_eq!(
            files[1].missed_lines,
            [
                3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 50, 51, 52, 57, 58, 59, 70, 83, 96, 102,
                106
            ]
        );
        for file in &files {
            assert_eq!(
                file.missed_lines.len() as u64,
                file.lines.missed(),
                "{}: missed lines disagree with the export's summary",
                file.path.display()
            );
        }
        assert!(files[0].missed_lines.is_empty());
    }

    #[test]
    fn a_line_takes_the_largest_count_of_the_regions_on_it_and_the_one_it_continues() {
        let segments = [
            segment(1, 5, true, true, false), // function body starts, ran 5 times
            segment(3, 0, true, true, false), // a branch that never ran, on a line that ran
            segment(3, 5, true, false, false),
            segment(5, 0, true, true, true), // a gap region does not make a line code
            segment(6, 0, true, true, false), // never ran, continues over line 7
            segment(8, 0, false, true, false), // skipped (cfg'd out) region: not code
            segment(9, 2, true, true, false),
            segment(9, 0, false, false, false),
        ];
        // Line 2 continues the region of line 1 (5); line 3 takes the larger of its own region
        // (0) and the one it continues (5), like line 4; line 5 continues line 3's last
        // segment (its gap region adds nothing); 6 and 7 never ran; 8 is not code; 9 ran.
        assert_eq!(missed_lines(&segments), [6, 7]);
        assert!(missed_lines(&[]).is_empty());
    }

    #[test]
    fn counts_give_percent_and_missed() {
        let counts = Counts {
            covered: 3,
            count: 4,
        };
        assert_eq!(counts.percent(), 75.0);
        assert_eq!(counts.missed(), 1);
        assert_eq!(Counts::default().percent(), 100.0);
    }
}
