//! Building cargo-snapshot, and running commands with their wall time and peak memory.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::corpus::workspace_root;

/// The cargo that runs this task (cargo sets `$CARGO` for `cargo run`).
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // A target directory chosen for xtask must not leak into the builds it measures.
    command.env_remove("CARGO_TARGET_DIR");
    command
}

/// Builds the cargo-snapshot binary of this workspace (`release` or dev profile) and returns
/// its path.
pub fn build_tool(release: bool) -> Result<PathBuf> {
    let mut command = cargo();
    command
        .current_dir(workspace_root())
        .args([
            "build",
            "-p",
            "cargo-snapshot",
            "--bin",
            "cargo-snapshot",
            "--message-format=json-render-diagnostics",
        ])
        .stderr(Stdio::inherit());
    if release {
        command.arg("--release");
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        command.env("CARGO_TARGET_DIR", dir);
    }
    let output = command.output().context("running cargo build")?;
    if !output.status.success() {
        bail!("cargo build -p cargo-snapshot failed ({})", output.status);
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact"
                && message["target"]["name"] == "cargo-snapshot"
        })
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .context("cargo build did not report the cargo-snapshot executable")
}

/// How a measured command ended.
#[derive(Debug, Clone)]
pub struct Measured {
    /// Wall time.
    pub wall: Duration,
    /// Exit status.
    pub status: ExitStatus,
    /// Peak resident memory of the largest single process of the command's tree (the command
    /// or any descendant it waited for), in KiB; 0 when unknown.
    pub tree_peak_kib: u64,
    /// CPU time (user and system) of the command and every descendant it waited for; zero
    /// when unknown. Unlike the wall time, it does not grow with other work on the machine.
    pub tree_cpu: Duration,
}

/// Runs `command` with its output appended to `log`, and measures it.
pub fn measure(command: &mut Command, log: &Path) -> Result<Measured> {
    let out = File::options()
        .create(true)
        .append(true)
        .open(log)
        .with_context(|| format!("opening {}", log.display()))?;
    let err = out.try_clone()?;
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .with_context(|| format!("starting {command:?}"))?;
    let (status, tree_peak_kib, tree_cpu) = wait(&mut child)?;
    Ok(Measured {
        wall: started.elapsed(),
        status,
        tree_peak_kib,
        tree_cpu,
    })
}

/// Runs `command` until it exits or `timeout` passes; then stops it and everything it started
/// (its process group) and returns `None`.
pub fn run_with_timeout(command: &mut Command, timeout: Duration) -> Result<Option<ExitStatus>> {
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(command, 0);
    let mut child = command
        .spawn()
        .with_context(|| format!("starting {command:?}"))?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if started.elapsed() > timeout {
            stop_group(&mut child);
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[cfg(unix)]
fn stop_group(child: &mut std::process::Child) {
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: signals the process group this function's caller created for the child.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.wait();
}

#[cfg(not(unix))]
fn stop_group(child: &mut std::process::Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(unix)]
fn wait(child: &mut std::process::Child) -> Result<(ExitStatus, u64, Duration)> {
    use std::os::unix::process::ExitStatusExt;

    let pid = libc::pid_t::try_from(child.id())?;
    let mut status: libc::c_int = 0;
    // SAFETY: `wait4` writes only into the two locals passed; `pid` is our own child, which is
    // not waited for anywhere else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error).context("waiting for a measured command");
        }
    }
    // Linux and the BSDs count KiB, macOS bytes.
    let maxrss = u64::try_from(usage.ru_maxrss).unwrap_or(0);
    let kib = if cfg!(target_os = "macos") {
        maxrss / 1024
    } else {
        maxrss
    };
    let seconds = |time: libc::timeval| {
        Duration::from_secs(u64::try_from(time.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(time.tv_usec).unwrap_or(0))
    };
    let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    Ok((ExitStatus::from_raw(status), kib, cpu))
}

#[cfg(not(unix))]
fn wait(child: &mut std::process::Child) -> Result<(ExitStatus, u64, Duration)> {
    Ok((child.wait()?, 0, Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_past_its_time_limit_is_stopped_with_its_children() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("child-alive");
        let script = format!("(sleep 2; touch {}) & sleep 30", marker.display());
        let status = run_with_timeout(
            Command::new("sh").args(["-c", &script]),
            Duration::from_millis(300),
        )
        .unwrap();
        assert!(status.is_none());
        std::thread::sleep(Duration::from_millis(2500));
        if cfg!(unix) {
            assert!(
                !marker.exists(),
                "the command's child outlived the time limit"
            );
        }
        let status = run_with_timeout(
            Command::new("sh").args(["-c", "exit 3"]),
            Duration::from_secs(30),
        )
        .unwrap();
        assert_eq!(status.and_then(|s| s.code()), Some(3));
    }

    #[test]
    fn measures_wall_time_exit_status_and_memory_of_a_command() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let measured = measure(
            Command::new("sh").args([
                "-c",
                // The busy loop runs in a grandchild: its CPU time must count too.
                "echo hello; sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done'; sleep 0.2; exit 4",
            ]),
            &log,
        )
        .unwrap();
        assert_eq!(measured.status.code(), Some(4));
        assert!(measured.wall >= Duration::from_millis(200), "{measured:?}");
        if cfg!(unix) {
            assert!(measured.tree_peak_kib > 0, "{measured:?}");
            assert!(
                measured.tree_cpu > Duration::from_millis(50),
                "{measured:?}"
            );
            assert!(measured.tree_cpu < measured.wall, "{measured:?}");
        }
        assert_eq!(std::fs::read_to_string(log).unwrap(), "hello\n");
    }
}
