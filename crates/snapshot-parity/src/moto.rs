//! A moto server (`pip install 'moto[server]'`) for parity tests: either the one named by
//! `SNAPSHOT_MOTO_URL` (CI starts it with `scripts/moto-server.sh`) or one this process starts
//! on a free loopback port and stops again.
//!
//! A started server is also stopped when the test process ends without dropping it (a
//! `static`, a crash): a small watchdog shell holds a pipe from this process and, when the
//! pipe closes, kills the server and removes its log.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::errors::ParityError;
use crate::target::{Target, SNAPSHOT_MOTO_URL};

/// Names the `moto_server` executable when it is not on `PATH`.
pub const SNAPSHOT_MOTO_SERVER: &str = "SNAPSHOT_MOTO_SERVER";

/// How long a starting server may take to accept connections (Python start-up on a busy
/// two-core machine can take many seconds).
const READY_TIMEOUT: Duration = Duration::from_secs(90);

/// A moto server at a loopback URL.
#[derive(Debug)]
pub struct MotoServer {
    url: String,
    started: Option<Started>,
}

#[derive(Debug)]
struct Started {
    server: Child,
    watchdog: Child,
    log: PathBuf,
}

impl MotoServer {
    /// The server `SNAPSHOT_MOTO_URL` names (checked to accept connections), or a new one.
    pub fn from_env_or_start() -> Result<Self, ParityError> {
        match std::env::var(SNAPSHOT_MOTO_URL)
            .ok()
            .filter(|v| !v.trim().is_empty())
        {
            Some(url) => Self::existing(SNAPSHOT_MOTO_URL, url.trim()),
            None => Self::start(),
        }
    }

    /// A server someone else runs, after checking that it accepts connections; `variable`
    /// names where the URL came from, for the error message.
    pub fn existing(variable: &'static str, url: &str) -> Result<Self, ParityError> {
        let unreachable = |source| ParityError::Unreachable {
            variable,
            url: url.to_owned(),
            source,
        };
        let address = socket_address(url).map_err(unreachable)?;
        TcpStream::connect_timeout(&address, Duration::from_secs(5)).map_err(unreachable)?;
        Ok(Self {
            url: url.trim_end_matches('/').to_owned(),
            started: None,
        })
    }

    /// Starts `moto_server` (or `$SNAPSHOT_MOTO_SERVER`) on a free port of 127.0.0.1 and
    /// waits until it accepts connections.
    pub fn start() -> Result<Self, ParityError> {
        let program = std::env::var(SNAPSHOT_MOTO_SERVER)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| "moto_server".to_owned());
        Self::start_program(&program)
    }

    /// Starts the given `moto_server` executable on a free port of 127.0.0.1 and waits until
    /// it accepts connections.
    pub fn start_program(program: &str) -> Result<Self, ParityError> {
        let port = free_port().map_err(|source| ParityError::MotoNotReady {
            url: "http://127.0.0.1".to_owned(),
            detail: format!("no free loopback port: {source}"),
        })?;
        let url = format!("http://127.0.0.1:{port}");
        let log = std::env::temp_dir().join(format!(
            "snapshot-parity-moto-{}-{port}.log",
            std::process::id()
        ));
        let log_file = File::create(&log).map_err(|source| ParityError::Io {
            action: "create",
            path: log.clone(),
            source,
        })?;
        let log_err = log_file.try_clone().map_err(|source| ParityError::Io {
            action: "open",
            path: log.clone(),
            source,
        })?;
        let mut server = Command::new(program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(log_file)
            .stderr(log_err)
            .spawn()
            .map_err(|source| {
                let _ = std::fs::remove_file(&log);
                ParityError::MotoNotInstalled {
                    program: program.to_owned(),
                    source,
                }
            })?;
        // The server stays unreaped until we wait for it, so its pid cannot be reused
        // before the watchdog's kill.
        let watchdog = Command::new("sh")
            .arg("-c")
            .arg("read -r _; kill \"$0\" 2>/dev/null; rm -f \"$1\"")
            .arg(server.id().to_string())
            .arg(&log)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let watchdog = match watchdog {
            Ok(watchdog) => watchdog,
            Err(source) => {
                let _ = server.kill();
                let _ = server.wait();
                let _ = std::fs::remove_file(&log);
                return Err(ParityError::MotoNotReady {
                    url,
                    detail: format!("cannot start the watchdog shell `sh`: {source}"),
                });
            }
        };
        let mut started = Self {
            url,
            started: Some(Started {
                server,
                watchdog,
                log,
            }),
        };
        started.wait_ready(port)?;
        Ok(started)
    }

    fn wait_ready(&mut self, port: u16) -> Result<(), ParityError> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(started) = self.started.as_mut() {
                if let Ok(Some(status)) = started.server.try_wait() {
                    return Err(ParityError::MotoNotReady {
                        url: self.url.clone(),
                        detail: format!("it exited with {status}; {}", log_tail(&started.log)),
                    });
                }
            }
            if probe(&address) {
                return Ok(());
            }
            if Instant::now() > deadline {
                let tail = self
                    .started
                    .as_ref()
                    .map(|s| log_tail(&s.log))
                    .unwrap_or_default();
                return Err(ParityError::MotoNotReady {
                    url: self.url.clone(),
                    detail: format!("no answer within {}s; {tail}", READY_TIMEOUT.as_secs()),
                });
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The server's URL, e.g. `http://127.0.0.1:50123`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// True when this value started the server (and stops it when dropped).
    pub fn is_owned(&self) -> bool {
        self.started.is_some()
    }

    /// A `moto` target at this server.
    pub fn target(&self) -> Target {
        Target::emulator("moto", Some(self.url.clone()))
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        if let Some(mut started) = self.started.take() {
            // Closing the pipe makes the watchdog kill the server; then reap both.
            drop(started.watchdog.stdin.take());
            let _ = started.watchdog.wait();
            let _ = started.server.kill();
            let _ = started.server.wait();
            let _ = std::fs::remove_file(&started.log);
        }
    }
}

fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

/// Ready means it answers an HTTP request, not just that the socket is bound.
fn probe(address: &SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(address, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!("GET /moto-api/ HTTP/1.0\r\nHost: {address}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.")
}

fn socket_address(url: &str) -> std::io::Result<SocketAddr> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or(url);
    let authority = rest.split('/').next().unwrap_or(rest);
    let with_port = if authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        authority.to_owned()
    } else if url.starts_with("https://") {
        format!("{authority}:443")
    } else {
        format!("{authority}:80")
    };
    with_port.to_socket_addrs()?.next().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("`{url}` names no address"),
        )
    })
}

fn log_tail(path: &PathBuf) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(15)..].join("\n");
    if tail.is_empty() {
        "its log is empty".to_owned()
    } else {
        format!("last lines of its log:\n{tail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_from_urls() {
        assert_eq!(
            socket_address("http://127.0.0.1:5123/").unwrap(),
            "127.0.0.1:5123".parse().unwrap()
        );
        assert_eq!(
            socket_address("http://127.0.0.1").unwrap(),
            "127.0.0.1:80".parse().unwrap()
        );
    }

    #[test]
    fn a_missing_server_says_how_to_install_it() {
        let err = MotoServer::start_program("/nonexistent/moto_server")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("cannot start `/nonexistent/moto_server`"),
            "{err}"
        );
        assert!(err.contains("pip install 'moto[server]'"), "{err}");
    }

    #[test]
    fn an_unreachable_url_is_reported_with_its_variable() {
        let port = free_port().unwrap();
        let err = MotoServer::existing(SNAPSHOT_MOTO_URL, &format!("http://127.0.0.1:{port}"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!(
                "SNAPSHOT_MOTO_URL=http://127.0.0.1:{port} does not accept connections"
            )),
            "{err}"
        );
    }
}
