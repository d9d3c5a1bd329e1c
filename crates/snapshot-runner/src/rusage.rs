//! Peak resident memory of this process and of the harness processes it runs, for the run
//! report (benchmarks quote them). Measured by the kernel (`getrusage`, `wait4`), so it costs
//! nothing; on platforms without them the figures are 0 ("unknown").

use std::process::{Child, ExitStatus};

/// Peak resident memory of the current process so far, in KiB (0 when unknown).
pub fn self_peak_kib() -> u64 {
    #[cfg(unix)]
    {
        // SAFETY: `getrusage` only writes into the zero-initialised struct we pass.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } == 0 {
            return maxrss_kib(usage.ru_maxrss);
        }
    }
    0
}

/// Like [`Child::try_wait`], but also returns the child's peak resident memory in KiB
/// (0 when unknown). Once this has returned a status the child is reaped: do not wait for
/// or kill it through `child` any more.
pub(crate) fn try_wait(child: &mut Child) -> std::io::Result<Option<(ExitStatus, u64)>> {
    #[cfg(unix)]
    {
        wait4(child, libc::WNOHANG)
    }
    #[cfg(not(unix))]
    {
        Ok(child.try_wait()?.map(|status| (status, 0)))
    }
}

/// Blocks until the child ends; see [`try_wait`].
pub(crate) fn wait(child: &mut Child) -> std::io::Result<(ExitStatus, u64)> {
    #[cfg(unix)]
    {
        loop {
            if let Some(done) = wait4(child, 0)? {
                return Ok(done);
            }
        }
    }
    #[cfg(not(unix))]
    {
        Ok((child.wait()?, 0))
    }
}

#[cfg(unix)]
fn wait4(child: &Child, flags: libc::c_int) -> std::io::Result<Option<(ExitStatus, u64)>> {
    use std::os::unix::process::ExitStatusExt;

    let pid = libc::pid_t::try_from(child.id()).map_err(std::io::Error::other)?;
    let mut status: libc::c_int = 0;
    // SAFETY: `wait4` only writes into the two locals we pass; `pid` is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
    match reaped {
        0 => Ok(None),
        -1 => {
            let error = std::io::Error::last_os_error();
            if error.kind() == std::io::ErrorKind::Interrupted {
                Ok(None)
            } else {
                Err(error)
            }
        }
        _ => Ok(Some((
            ExitStatus::from_raw(status),
            maxrss_kib(usage.ru_maxrss),
        ))),
    }
}

/// `ru_maxrss` is in KiB on Linux and the BSDs, in bytes on macOS.
#[cfg(unix)]
fn maxrss_kib(maxrss: libc::c_long) -> u64 {
    let value = u64::try_from(maxrss).unwrap_or(0);
    if cfg!(target_os = "macos") {
        value / 1024
    } else {
        value
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn the_peak_of_a_child_is_its_own() {
        // A shell that exits at once: a plausible process size, and its exit code intact.
        let mut child = std::process::Command::new("sh")
            .args(["-c", "exit 3"])
            .spawn()
            .unwrap();
        let (status, peak) = wait(&mut child).unwrap();
        assert_eq!(status.code(), Some(3));
        assert!(peak > 0 && peak < 1024 * 1024, "peak {peak} KiB");
        assert!(self_peak_kib() > 0);
    }
}
