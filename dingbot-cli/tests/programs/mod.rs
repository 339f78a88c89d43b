//! What the tests share for starting real programs (Redis, Chromium, Alertmanager) on
//! loopback: [`program`] finds one or says the test skipped (a failure under `CI=true`),
//! [`python_module`] does the same for a Python package the tests drive,
//! [`free_port`] picks a port, and [`Process`] stops the program when the test ends,
//! however it ends.
//!
//! It lives here, inside the `dingbot-cli` package, so that the package's own tests (the
//! `dingbot` command's) work from the published crate; the workspace's `tests` crate
//! includes this same file for its Python cross-checks.
#![allow(dead_code)] // each test uses a part of it

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// True under CI (`CI=true`), where a missing program is a failure, not a skip.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The path of `name` (looked up in `PATH`, then `/usr/bin`, `/usr/sbin`), or `None` after
/// printing that `test` skipped. Under `CI=true` a missing program panics: CI installs it,
/// so its absence is a broken setup, not a reason to pass.
pub fn program(name: &str, test: &str) -> Option<PathBuf> {
    if let Some(path) = which(name) {
        return Some(path);
    }
    if in_ci() {
        panic!(
            "{test}: `{name}` is not installed, and under CI=true that is a failure (.ci/run installs it)"
        );
    }
    eprintln!("{test}: skipped, `{name}` is not installed (apt-get install it to run this test)");
    None
}

/// Whether `python3` can import `module` (from PyPI's `package`); else prints that
/// `test` skipped and returns false. With `DINGBOT_REQUIRE_PYTHON=1` (set by CI, which
/// installs the package) a missing one panics: its absence is a broken setup.
pub fn python_module(module: &str, package: &str, test: &str) -> bool {
    let out = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output();
    let why = match out {
        Ok(out) if out.status.success() => return true,
        Ok(out) => format!(
            "the Python package is missing (pip install {package}): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => format!("python3 is not available ({e})"),
    };
    if std::env::var("DINGBOT_REQUIRE_PYTHON").is_ok_and(|v| v == "1") {
        panic!("{test}: {why}");
    }
    eprintln!("SKIPPED {test}: {why}");
    false
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// A free TCP port on 127.0.0.1 (bound, then released for the program to take).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("no free loopback port")
}

/// A started program, killed and reaped when dropped.
pub struct Process {
    child: Child,
    name: String,
}

impl Process {
    /// Starts `command`; panics with the program's name if it cannot be started.
    pub fn start(mut command: Command) -> Process {
        let name = command.get_program().to_string_lossy().into_owned();
        let child = command
            .spawn()
            .unwrap_or_else(|err| panic!("cannot start `{name}`: {err}"));
        Process { child, name }
    }

    /// The operating system's id of the process.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Waits until `addr` accepts TCP connections, or panics after `timeout` (or at once
    /// if the program exited).
    pub fn wait_for_port(&mut self, addr: SocketAddr, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "`{}` exited ({status}) before listening on {addr}",
                    self.name
                );
            }
            if Instant::now() >= deadline {
                panic!(
                    "`{}` did not listen on {addr} within {timeout:?}",
                    self.name
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the program now and waits for it to exit.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The child itself, to wait on or signal it.
    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}
