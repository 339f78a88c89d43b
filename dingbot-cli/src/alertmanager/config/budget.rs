//! How large a file may be, and how much its values may add up to once YAML's aliases
//! are expanded: an alias (`*name`) repeats what its anchor (`&name`) holds, so a file of
//! a few kilobytes can stand for gigabytes (a "billion laughs" file; 180 KB of one took
//! about 2 GB to read). serde_yaml_ng caps the number of alias jumps, not what they
//! repeat; so every value read is counted here as it is read ([`super::checked::scalar`]),
//! and reading stops at [`MAX_EXPANDED_BYTES`] with the key and the line it got to.

use std::cell::Cell;

/// The largest config file read, in bytes: far above any real config.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The most bytes the values of one file may add up to, aliases expanded: each value
/// counts its length and [`PER_VALUE`] more for where it is kept.
pub const MAX_EXPANDED_BYTES: usize = 4 * 1024 * 1024;

/// What keeping one value costs beyond its text (a `String` and its slot in a list).
const PER_VALUE: usize = 32;

thread_local! {
    /// The bytes left to the file being read on this thread; `None` outside a read.
    static LEFT: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Runs `read` (one file's deserialization, on this thread) with a fresh budget.
pub fn with_budget<T>(read: impl FnOnce() -> T) -> T {
    /// Puts back what was there before, even if `read` panics.
    struct Restore(Option<usize>);

    impl Drop for Restore {
        fn drop(&mut self) {
            LEFT.with(|left| left.set(self.0));
        }
    }

    let _restore = Restore(LEFT.with(|left| left.replace(Some(MAX_EXPANDED_BYTES))));
    read()
}

/// Counts one value of `len` bytes against the budget of the file being read: an error
/// once the budget is spent. Outside [`with_budget`] nothing is counted.
pub fn charge(len: usize) -> Result<(), String> {
    LEFT.with(|left| match left.get() {
        None => Ok(()),
        Some(bytes) => match bytes.checked_sub(len.saturating_add(PER_VALUE)) {
            Some(rest) => {
                left.set(Some(rest));
                Ok(())
            }
            None => {
                left.set(Some(0));
                Err(format!(
                    "the file's values add up to more than {} MiB once its aliases (*name) are \
                     expanded; refused, as an alias bomb would be: write the values out, or \
                     repeat them less",
                    MAX_EXPANDED_BYTES / (1024 * 1024)
                ))
            }
        },
    })
}
