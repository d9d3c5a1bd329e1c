//! `write` is deterministic: the same services recorded from different workspace paths, fresh
//! work directories, time zones, locales and wall-clock times give byte-identical trees.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::support::{
    assert_same_tree, cargo, expect_exit, leftovers, serial, snapshot_names, texts, tree,
    ServiceSpec, TestWorkspace,
};

/// A fake "now" far from the real date and from the generator's fixed timestamp (2000-01-01),
/// with a different year, month and day.
const FAKE_NOW: &str = "2031-07-17 21:43:07";

#[test]
fn write_is_byte_identical_across_paths_time_zones_and_clocks() {
    let _serial = serial();
    let faketime = require_faketime();
    let services = [ServiceSpec::sso(), ServiceSpec::sts()];

    // Run 1: the reference, UTC.
    let first = TestWorkspace::new(&services);
    let output = first
        .cli(&["write"])
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    let (stdout, _) = expect_exit(&output, 0, "write (UTC)");
    assert!(
        stdout.contains("sso (aws-sdk-sso") && stdout.contains("sts (aws-sdk-sts"),
        "the run summary names both services:\n{stdout}"
    );
    let reference = tree(&first.snapshot_dir());
    for crate_name in ["aws-sdk-sso", "aws-sdk-sts"] {
        let names = snapshot_names(&first.snapshot_dir(), crate_name);
        for kind in ["requests/", "responses/", "errors/", "errors/by-operation/"] {
            assert!(
                names.iter().any(|name| name.starts_with(kind)),
                "{crate_name} has {kind} snapshots: {names:?}"
            );
        }
    }

    // Run 2: another workspace at a longer, deeper path (its own fresh work directory), a
    // time zone 12:45 ahead of UTC and another locale, some time later.
    let second = TestWorkspace::nested("a/much/longer/workspace path", &services);
    let output = second
        .cli(&["write"])
        .env("TZ", "XST-12:45")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    expect_exit(&output, 0, "write (UTC+12:45, other path)");
    assert_same_tree(
        &reference,
        &tree(&second.snapshot_dir()),
        "write in another workspace and time zone",
    );

    // Run 3: the second workspace again from an empty snapshot directory, 3:30 behind UTC,
    // with the clock of cargo-snapshot, cargo and the harness moved to FAKE_NOW by
    // libfaketime. It reuses run 2's harness build: rustc cannot run under libfaketime.
    std::fs::remove_dir_all(second.snapshot_dir()).unwrap();
    let fake = FakeClock::new(second.root());
    let mut command = second.cli_via(&[faketime.as_os_str(), OsStr::new(FAKE_NOW)], &["write"]);
    command.env("TZ", "YST+3:30").env("LC_ALL", "C");
    fake.apply(&mut command);
    let output = command.output().unwrap();
    expect_exit(&output, 0, &format!("write under faketime {FAKE_NOW}"));
    assert_same_tree(
        &reference,
        &tree(&second.snapshot_dir()),
        &format!("write with the clock at {FAKE_NOW}"),
    );
    assert_eq!(
        leftovers(&second.snapshot_dir()),
        Vec::<PathBuf>::new(),
        "no staging directories or pending files are left behind"
    );
}

/// The `faketime` command (Debian package `faketime`), checked to really move the clock.
fn require_faketime() -> PathBuf {
    let output = std::process::Command::new("faketime")
        .args([FAKE_NOW, "date", "-u", "+%Y-%m-%d"])
        .env("TZ", "UTC")
        .output();
    let Ok(output) = output else {
        panic!(
            "`faketime` is not installed; install the Debian/Ubuntu package `faketime` \
             (apt-get install faketime), as .ci/run does"
        );
    };
    let (stdout, stderr) = texts(&output);
    assert_eq!(
        stdout.trim(),
        &FAKE_NOW[..10],
        "`faketime {FAKE_NOW} date` must print the fake date; libfaketime does not work here \
         (stderr: {stderr})"
    );
    PathBuf::from("faketime")
}

/// What a run under `faketime` needs besides the preload: rustc (and the rustup proxies) hang
/// with libfaketime loaded (seen with libfaketime 0.9.10), so cargo is called directly and
/// pointed at a wrapper that drops the preload before starting the real rustc. cargo-snapshot,
/// cargo and the harness processes all see the fake clock.
struct FakeClock {
    rustc_wrapper: PathBuf,
    cargo: PathBuf,
}

impl FakeClock {
    fn new(dir: &Path) -> Self {
        let cargo = real_cargo();
        let rustc = cargo.with_file_name(format!("rustc{}", std::env::consts::EXE_SUFFIX));
        assert!(
            rustc.is_file(),
            "rustc is expected next to cargo at {}",
            rustc.display()
        );
        let rustc_wrapper = dir.join("rustc-without-faketime.sh");
        std::fs::write(
            &rustc_wrapper,
            format!(
                "#!/bin/sh\nunset LD_PRELOAD FAKETIME\nexec '{}' \"$@\"\n",
                rustc.display()
            ),
        )
        .unwrap();
        make_executable(&rustc_wrapper);
        FakeClock {
            rustc_wrapper,
            cargo,
        }
    }

    fn apply(&self, command: &mut assert_cmd::Command) {
        command
            .env("CARGO", &self.cargo)
            .env("RUSTC", &self.rustc_wrapper)
            // Run 2 resolved and downloaded everything; the fake date would also make TLS
            // certificates look expired.
            .env("CARGO_NET_OFFLINE", "true")
            // A compiler cache would run with the preload too.
            .env_remove("RUSTC_WRAPPER")
            .env_remove("CARGO_BUILD_RUSTC_WRAPPER");
    }
}

/// The toolchain's cargo binary itself (not a rustup proxy, which misbehaves under
/// libfaketime): `$CARGO` as set by `cargo test`, resolved through `rustc --print sysroot`
/// when it is a proxy.
fn real_cargo() -> PathBuf {
    let cargo = cargo();
    let output = std::process::Command::new(cargo.with_file_name("rustc"))
        .args(["--print", "sysroot"])
        .output()
        .or_else(|_| {
            std::process::Command::new("rustc")
                .args(["--print", "sysroot"])
                .output()
        })
        .expect("rustc --print sysroot");
    let sysroot = String::from_utf8(output.stdout).unwrap();
    let real = Path::new(sysroot.trim())
        .join("bin")
        .join(format!("cargo{}", std::env::consts::EXE_SUFFIX));
    assert!(real.is_file(), "no cargo at {}", real.display());
    real
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) {
    panic!("the faketime determinism test needs a Unix system with libfaketime");
}
