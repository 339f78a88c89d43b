//! Held messages kept on disk (`hold_dir`), so that what the bridge answered 200 for
//! survives a restart, a SIGKILL included.
//!
//! A notification whose messages must wait for the robot's window is written here — the
//! notification as Alertmanager sent it, which of its messages are held and the seed of
//! their `msgUuid`s — and synced to disk before Alertmanager is answered. The entry is
//! removed once the digest has settled every message it holds (delivered, or given up
//! after `hold_for`). At start every entry left is rendered again and held again, in the
//! order written, with the same `msgUuid`s: a message that went out alone before the
//! restart but whose entry was not yet removed is not posted twice, as DingTalk posts a
//! `msgUuid` once.
//!
//! One directory per target (its name escaped), one file per entry; a file is written
//! under a temporary name, synced, renamed into place and the directory synced, so an
//! entry is either whole or absent.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// One target's held notifications on disk.
#[derive(Debug)]
pub struct Journal {
    dir: PathBuf,
    written: AtomicU64,
}

/// A notification held on disk.
#[derive(Debug)]
pub struct Entry {
    /// Its file.
    pub file: PathBuf,
    /// The first of its messages that is held (the ones before went out at once).
    pub first: usize,
    /// The seed of its messages' `msgUuid`s.
    pub seed: u64,
    /// The notification, as Alertmanager sent it.
    pub body: Vec<u8>,
}

/// The first line of an entry's file; the notification follows.
#[derive(serde::Serialize, serde::Deserialize)]
struct Header {
    first: usize,
    seed: u64,
}

const SUFFIX: &str = ".held";

/// The file that says when DingTalk last took a message from the target.
const LAST_SEND: &str = "last-send";

impl Journal {
    /// The journal of `target` under `root`, created if missing.
    pub fn open(root: &Path, target: &str) -> std::io::Result<Journal> {
        let dir = root.join(dir_name(target));
        fs::create_dir_all(&dir)?;
        Ok(Journal {
            dir,
            written: AtomicU64::new(0),
        })
    }

    /// Where it is.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes an entry and syncs it to disk; returns its file.
    pub fn append(&self, first: usize, seed: u64, body: &[u8]) -> std::io::Result<PathBuf> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let n = self.written.fetch_add(1, Ordering::Relaxed);
        let name = format!("{now:015}-{n:08}-{:08x}", fastrand::u32(..));
        let file = self.dir.join(format!("{name}{SUFFIX}"));
        let temporary = self.dir.join(format!(".{name}.tmp"));
        let mut header = serde_json::to_vec(&Header { first, seed })?;
        header.push(b'\n');
        let written = (|| {
            let mut out = fs::File::create(&temporary)?;
            out.write_all(&header)?;
            out.write_all(body)?;
            out.sync_all()?;
            fs::rename(&temporary, &file)?;
            sync_dir(&self.dir);
            Ok(file)
        })();
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        written
    }

    /// Removes an entry whose messages are settled.
    pub fn remove(&self, file: &Path) {
        match fs::remove_file(file) {
            Ok(()) => sync_dir(&self.dir),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                tracing::error!(file = %file.display(), error = %err, "cannot remove a delivered message from hold_dir; it will be sent again after a restart");
            }
        }
    }

    /// Notes that DingTalk took a message now (the file `last-send`, overwritten: the page
    /// cache outlives a SIGKILL, which is what a restart needs it for).
    pub fn record_send(&self) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let _ = fs::write(self.dir.join(LAST_SEND), now.to_string());
    }

    /// When DingTalk last took a message from this target, as [`Journal::record_send`]
    /// noted it.
    pub fn last_send(&self) -> Option<std::time::SystemTime> {
        let text = fs::read_to_string(self.dir.join(LAST_SEND)).ok()?;
        let ms: u64 = text.trim().parse().ok()?;
        std::time::UNIX_EPOCH.checked_add(std::time::Duration::from_millis(ms))
    }

    /// The notification held in `file`, if it can be read.
    pub fn read(&self, file: &Path) -> Option<super::payload::Notification> {
        let entry = read_entry(file).ok()?;
        serde_json::from_slice(&entry.body).ok()
    }

    /// The entries left, in the order they were written. A file that cannot be read as
    /// an entry is renamed `*.bad` and reported, never dropped silently.
    pub fn entries(&self) -> std::io::Result<Vec<Entry>> {
        let mut files: Vec<PathBuf> = fs::read_dir(&self.dir)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| *x == SUFFIX[1..]))
            .collect();
        files.sort();
        let mut entries = Vec::with_capacity(files.len());
        for file in files {
            match read_entry(&file) {
                Ok(entry) => entries.push(entry),
                Err(why) => {
                    let bad = file.with_extension("bad");
                    let _ = fs::rename(&file, &bad);
                    tracing::error!(file = %bad.display(), error = %why, "a held message in hold_dir cannot be read; set aside");
                }
            }
        }
        Ok(entries)
    }
}

fn read_entry(file: &Path) -> Result<Entry, String> {
    let bytes = fs::read(file).map_err(|e| e.to_string())?;
    let split = bytes
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("no header line")?;
    let header: Header = serde_json::from_slice(&bytes[..split]).map_err(|e| e.to_string())?;
    Ok(Entry {
        file: file.to_owned(),
        first: header.first,
        seed: header.seed,
        body: bytes[split + 1..].to_vec(),
    })
}

/// A target's directory: its name with anything but ASCII letters, digits, `-` and `_`
/// written as `%XX`, so that no name reaches outside `hold_dir`.
fn dir_name(target: &str) -> String {
    let mut name = String::from("target-");
    for byte in target.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' => name.push(byte as char),
            _ => name.push_str(&format!("%{byte:02X}")),
        }
    }
    name
}

/// Makes a rename or removal in `dir` durable (where the platform can).
fn sync_dir(dir: &Path) {
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new() -> Scratch {
            let dir = std::env::temp_dir().join(format!(
                "dingbot-journal-{}-{:x}",
                std::process::id(),
                fastrand::u64(..)
            ));
            fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn entries_come_back_in_order_and_removed_ones_do_not() {
        let root = Scratch::new();
        let journal = Journal::open(root.path(), "ops/../x").unwrap();
        assert!(journal.dir().starts_with(root.path()));
        assert_eq!(
            journal.dir().file_name().unwrap(),
            "target-ops%2F%2E%2E%2Fx"
        );
        let a = journal.append(0, 7, b"{\"a\":1}").unwrap();
        let b = journal.append(2, 8, b"{\"b\":2}").unwrap();
        let c = journal.append(1, 9, b"{\"c\":3}").unwrap();
        journal.remove(&b);
        assert_eq!(journal.last_send(), None);
        journal.record_send();
        let since = journal.last_send().unwrap().elapsed().unwrap();
        assert!(since < std::time::Duration::from_secs(5), "{since:?}");
        let entries = Journal::open(root.path(), "ops/../x")
            .unwrap()
            .entries()
            .unwrap();
        let seen: Vec<_> = entries
            .iter()
            .map(|e| (e.file.clone(), e.first, e.seed, e.body.clone()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (a, 0, 7, b"{\"a\":1}".to_vec()),
                (c, 1, 9, b"{\"c\":3}".to_vec())
            ]
        );
    }

    #[test]
    fn an_unreadable_entry_is_set_aside_not_lost() {
        let root = Scratch::new();
        let journal = Journal::open(root.path(), "ops").unwrap();
        fs::write(journal.dir().join("000-broken.held"), b"not a header").unwrap();
        journal.append(0, 1, b"{}").unwrap();
        assert_eq!(journal.entries().unwrap().len(), 1);
        assert!(journal.dir().join("000-broken.bad").exists());
    }
}
