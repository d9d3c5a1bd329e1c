//! Every error the command line can report, and how each maps to an exit code.
//!
//! Messages are part of the product: each names the file (and position, where there is one)
//! and says what to do. Errors that point into `snapshot.toml` carry the source text so the
//! report can show the offending line.

use std::fmt;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};
use snapshot_model::ModelError;

/// How the process ends. The numbers are part of the interface (CI scripts test them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything worked and nothing differs.
    Ok,
    /// `compare` found snapshot differences.
    Differences,
    /// Bad usage, configuration or model.
    Usage,
    /// The client crate or the generated harness failed to build.
    Build,
}

impl ExitStatus {
    /// The process exit code: 0, 1, 2 or 3.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Ok => 0,
            ExitStatus::Differences => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Build => 3,
        }
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status.code())
    }
}

/// A command that could not do its work.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum CliError {
    /// `snapshot.toml` is missing or wrong.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    /// A model cannot be loaded or has no usable service. The model error's message is
    /// complete (file, shape, fix), so it is shown as is, without a cause chain.
    #[error("{0}")]
    Model(ModelError),
    /// A model file is not valid JSON; the report shows the offending line.
    #[error("{error}")]
    ModelSyntax {
        /// The error, with file, line and column (boxed: errors travel in every `Result`).
        error: Box<ModelError>,
        /// The model text.
        #[source_code]
        text: NamedSource<String>,
        /// The position the parser stopped at.
        #[label("here")]
        at: SourceSpan,
    },
    /// `--models` points at nothing readable.
    #[error("cannot read `--models {}`: {error}; pass a Smithy JSON AST file or a directory of them", path.display())]
    ModelsPath {
        /// The path given.
        path: PathBuf,
        /// Why it cannot be read (part of the message, so not a separate cause).
        error: std::io::Error,
    },
    /// `--models` names a directory without any `*.json` file.
    #[error("`--models {}` contains no `*.json` file; pass a directory holding Smithy JSON AST models (subdirectories are not searched)", path.display())]
    NoModels {
        /// The directory given.
        path: PathBuf,
    },
    /// `--service` names a service that is not configured or loaded.
    #[error(
        "unknown service `{requested}`{}; known services (from {origin}): {known}",
        did_you_mean(suggestion)
    )]
    UnknownService {
        /// What was asked for.
        requested: String,
        /// The closest known name, if any is close.
        suggestion: Option<String>,
        /// Where the known names come from (`snapshot.toml` path or `--models` path).
        origin: String,
        /// The known names, comma separated.
        known: String,
    },
    /// `--operation` names an operation none of the selected services has.
    #[error("unknown operation `{requested}` in {services}{}; run `cargo snapshot list --operations` to see the operation names", did_you_mean(suggestion))]
    UnknownOperation {
        /// What was asked for.
        requested: String,
        /// The closest operation name, if any is close.
        suggestion: Option<String>,
        /// The services searched, comma separated.
        services: String,
    },
    /// A `[[skip]]` entry names an operation the service's model does not have.
    #[error("{}: [[skip]] names operation `{operation}`, which service `{service}` does not have{}; fix or remove the entry", config.display(), did_you_mean(suggestion))]
    StaleSkip {
        /// The config file.
        config: PathBuf,
        /// The service name.
        service: String,
        /// The operation that does not exist.
        operation: String,
        /// The closest operation name, if any is close.
        suggestion: Option<String>,
    },
    /// Writing the command's output failed.
    #[error("cannot write output: {0}")]
    Output(#[source] std::io::Error),
    /// A service names a crate that is neither versioned, a path, nor a workspace member.
    #[error("{}: crate `{crate_name}` has no `version` or `path` and is not a member of the workspace at {}; add `version = \"=x.y.z\"` for a crates.io release or `path = \"...\"` for a local crate", config.display(), workspace.display())]
    MemberNotFound {
        /// The config file.
        config: PathBuf,
        /// The crate.
        crate_name: String,
        /// The workspace searched.
        workspace: PathBuf,
    },
    /// The work directory under the target directory cannot be created.
    #[error("cannot create the work directory {}: {error}; check that the target directory is writable (or set CARGO_TARGET_DIR)", path.display())]
    WorkDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The work directory's run lock cannot be taken.
    #[error("cannot lock {} for this run: {error}; check that the target directory is writable (or set CARGO_TARGET_DIR)", path.display())]
    WorkDirLock {
        /// The lock file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The pipeline stopped.
    #[error("{0}")]
    Run(snapshot_runner::RunError),
    /// A `coverage --report` file cannot be read.
    #[error("cannot read the run report {}: {error}; give the last-run.json each partition's run saved in <target>/cargo-snapshot/", path.display())]
    ReadReport {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The `coverage --report` files are not the partitions of one run.
    #[error("coverage --report: {0}")]
    MergeReports(snapshot_runner::report::MergeError),
    /// The `--junit` report could not be written.
    #[error(transparent)]
    Junit(#[from] crate::junit::JunitError),
    /// The GitHub step summary could not be appended.
    #[error(transparent)]
    StepSummary(#[from] crate::github::StepSummaryError),
    /// `coverage` could not read what it reports on.
    #[error(transparent)]
    Coverage(#[from] snapshot_coverage::CoverageError),
    /// `coverage` was given `--operation`.
    #[error("`cargo snapshot coverage` reports whole services and takes no `--operation`; filter with `--service`")]
    CoverageOperationFilter,
    /// `init` wrote nothing.
    #[error(transparent)]
    Init(#[from] crate::init::InitError),
    /// A service's harness could not be built for reasons outside single operations.
    #[error("the harness for service `{service}` did not build{}:\n{details}\nfix: check the crate name and version in snapshot.toml and that the crate builds on its own{}", if *others > 0 { format!(" (and {others} more)") } else { String::new() }, match built { 0 => String::new(), 1 => "; the other service was snapshotted as usual".to_owned(), n => format!("; the {n} other services were snapshotted as usual") })]
    BuildFailed {
        /// The first failing service.
        service: String,
        /// cargo's explanation.
        details: String,
        /// How many other services failed.
        others: usize,
        /// How many services built and were snapshotted.
        built: usize,
    },
}

/// Lines longer than this (minified models) are not shown in reports.
const MAX_SNIPPET_LINE: usize = 300;

impl CliError {
    /// Wraps a model error; a JSON syntax error gets the offending line of the file attached
    /// when the file can be read again and the line is short enough to show.
    pub fn model(error: ModelError) -> Self {
        let ModelError::Json {
            path, line, column, ..
        } = &error
        else {
            return CliError::Model(error);
        };
        let Ok(text) = std::fs::read_to_string(path) else {
            return CliError::Model(error);
        };
        let Some(line_text) = text.split('\n').nth(line.saturating_sub(1)) else {
            return CliError::Model(error);
        };
        if line_text.len() > MAX_SNIPPET_LINE {
            return CliError::Model(error);
        }
        let line_start: usize = text
            .split('\n')
            .take(line.saturating_sub(1))
            .map(|l| l.len() + 1)
            .sum();
        // serde_json counts columns in bytes, 1-based.
        let mut offset = line_start + column.saturating_sub(1).min(line_text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let name = path.display().to_string();
        CliError::ModelSyntax {
            error: Box::new(error),
            text: NamedSource::new(name, text),
            at: (offset, 0).into(),
        }
    }
}

impl CliError {
    /// The exit status this error ends the process with.
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            CliError::Config(_)
            | CliError::Model(_)
            | CliError::ModelSyntax { .. }
            | CliError::ModelsPath { .. }
            | CliError::NoModels { .. }
            | CliError::UnknownService { .. }
            | CliError::UnknownOperation { .. }
            | CliError::StaleSkip { .. }
            | CliError::Output(_)
            | CliError::MemberNotFound { .. }
            | CliError::WorkDir { .. }
            | CliError::WorkDirLock { .. }
            | CliError::Junit(_)
            | CliError::ReadReport { .. }
            | CliError::MergeReports(_)
            | CliError::StepSummary(_)
            | CliError::Coverage(_)
            | CliError::CoverageOperationFilter
            | CliError::Init(_) => ExitStatus::Usage,
            CliError::Run(error) if error.is_build_failure() => ExitStatus::Build,
            CliError::Run(_) => ExitStatus::Usage,
            CliError::BuildFailed { .. } => ExitStatus::Build,
        }
    }
}

/// A position in `snapshot.toml`: the path as given, 1-based line and column, and the source
/// text so reports can show the line.
#[derive(Debug, Clone)]
pub struct ConfigLocation {
    /// The config file as the user named it (or as it was found).
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    source: NamedSource<String>,
    span: SourceSpan,
}

impl ConfigLocation {
    /// The location of byte range `span` in `text`, the contents of `path`.
    pub fn new(path: &Path, text: &str, span: std::ops::Range<usize>) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |index| index + 1);
        let column = before[line_start..].chars().count() + 1;
        ConfigLocation {
            path: path.to_owned(),
            line,
            column,
            source: NamedSource::new(path.display().to_string(), text.to_owned()),
            span: (start, end - start).into(),
        }
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

impl fmt::Display for ConfigLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// `snapshot.toml` is missing, unreadable or invalid.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// No config file was given and none was found.
    #[error("no snapshot.toml found in `{}` or its parents up to the workspace root; create one at the workspace root (see the README's quick start) or pass `--config <path>`{}", start.display(), if *models_flag { " (`cargo snapshot list` also accepts `--models <dir>`)" } else { "" })]
    NotFound {
        /// Where the search started.
        start: PathBuf,
        /// Whether the command also accepts `--models` instead.
        models_flag: bool,
    },
    /// The file cannot be read.
    #[error("cannot read `{}`: {error}; check the `--config` path", path.display())]
    Io {
        /// The config file.
        path: PathBuf,
        /// The I/O error (part of the message, so not a separate cause).
        error: std::io::Error,
    },
    /// Not valid TOML, or a value of the wrong type.
    #[error("{at}: {message}; fix the TOML at that position")]
    Syntax {
        /// Where.
        at: Box<ConfigLocation>,
        /// The parser's message.
        message: String,
    },
    /// A key that `snapshot.toml` does not define (usually a typo).
    #[error(
        "{at}: unknown key `{key}` in {table}{}; valid keys there: {expected}",
        did_you_mean(suggestion)
    )]
    UnknownKey {
        /// Where.
        at: Box<ConfigLocation>,
        /// The unknown key.
        key: String,
        /// The table it appeared in (`the top level`, `[[service]]`).
        table: &'static str,
        /// The closest valid key, if any is close.
        suggestion: Option<String>,
        /// The valid keys, comma separated.
        expected: String,
    },
    /// A well-formed value that breaks a rule of the config.
    #[error("{at}: {problem}")]
    Invalid {
        /// Where.
        at: Box<ConfigLocation>,
        /// What is wrong and how to fix it.
        problem: ConfigProblem,
    },
    /// `--service` names a service the config does not define.
    #[error("unknown service `{requested}`{}; {} defines: {known}", did_you_mean(suggestion), path.display())]
    UnknownService {
        /// The config file.
        path: PathBuf,
        /// What was asked for.
        requested: String,
        /// The closest known name, if any is close.
        suggestion: Option<String>,
        /// The configured names, comma separated.
        known: String,
    },
}

impl ConfigError {
    fn location(&self) -> Option<&ConfigLocation> {
        match self {
            ConfigError::Syntax { at, .. }
            | ConfigError::UnknownKey { at, .. }
            | ConfigError::Invalid { at, .. } => Some(at),
            _ => None,
        }
    }
}

// Written by hand rather than derived: the source text and span live in `ConfigLocation`,
// shared by several variants, which the derive cannot reach.
impl Diagnostic for ConfigError {
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.location()
            .map(|at| &at.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let at = self.location()?;
        let label = match self {
            ConfigError::UnknownKey {
                suggestion: Some(suggestion),
                ..
            } => {
                format!("did you mean `{suggestion}`?")
            }
            ConfigError::UnknownKey { .. } => "unknown key".to_owned(),
            _ => "here".to_owned(),
        };
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(label), at.span),
        )))
    }
}

/// A rule of `snapshot.toml` that a value breaks, with the fix in its message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigProblem {
    /// A `[[service]]` has both `version` and `path`.
    #[error("a [[service]] has both `version` and `path`; keep `version` for a registry crate or `path` for a local crate, not both")]
    VersionAndPath,
    /// A required text value is empty.
    #[error("`{key}` must not be empty")]
    Empty {
        /// The key.
        key: &'static str,
    },
    /// A `[[skip]]` without a reason.
    #[error("[[skip]] needs a non-empty `reason`; skipped operations are reported with it, so say why the operation cannot be snapshotted")]
    EmptyReason,
    /// Two services share a name or a crate.
    #[error("{what} `{name}` is used by two [[service]] entries; give each service a distinct `name` and `crate`")]
    Duplicate {
        /// `name` or `crate`.
        what: &'static str,
        /// The repeated value.
        name: String,
    },
    /// A `[[skip]]` names a service that is not configured.
    #[error(
        "[[skip]] names service `{service}`, which no [[service]] defines{}; use one of: {known}",
        did_you_mean(suggestion)
    )]
    UnknownSkipService {
        /// The name given.
        service: String,
        /// The closest known name, if any is close.
        suggestion: Option<String>,
        /// The configured names, comma separated.
        known: String,
    },
    /// A value that should be a Smithy shape id is not one.
    #[error("`{text}` is not an absolute Smithy shape id; write it as `namespace#ShapeName`")]
    InvalidShapeId {
        /// The text given.
        text: String,
    },
    /// An `[overrides]` key that is neither a member name nor `ns#Shape$Member`.
    #[error("`{key}` is not a valid override key; use a member name (`ChecksumAlgorithm`) or a member id (`com.example#Shape$Member`)")]
    InvalidOverrideKey {
        /// The key given.
        key: String,
    },
    /// An `[overrides]` value the generator cannot use (a float that is not finite).
    #[error("{reason}")]
    InvalidOverrideValue {
        /// What the value generator says, with the key and value.
        reason: String,
    },
}

/// `; did you mean `x`?` when there is a suggestion, else nothing.
fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(suggestion) => format!(" (did you mean `{suggestion}`?)"),
        None => String::new(),
    }
}

/// The known name closest to `unknown`, if one is close enough to be a likely typo.
pub fn closest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    known
        .into_iter()
        .map(|candidate| {
            let score = strsim::jaro_winkler(&unknown.to_lowercase(), &candidate.to_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate.to_owned())
}

/// Prints `error` to stderr: graphically with colour on a terminal, plain otherwise, so logs
/// and tests see stable text.
pub fn report(error: &CliError) {
    let handler = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode())
    } else {
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_wrap_lines(false)
    };
    let mut rendered = String::new();
    match handler.render_report(&mut rendered, error) {
        // The handler marks the headline with `×`; cargo's convention is an `error:` prefix.
        Ok(()) => eprint!(
            "error: {}",
            rendered.trim_start().trim_start_matches('×').trim_start()
        ),
        // Rendering into a String cannot fail in practice; fall back to the bare message.
        Err(_) => eprintln!("error: {error}"),
    }
}
