//! [`Redacted`]: a flag's value that `Debug` never shows (webhooks, tokens, secrets).

use std::fmt;

/// A secret given on the command line. Parsed like any string; `Debug` prints `***`,
/// so that neither a debug print of the arguments nor an error built from them can
/// leak it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Redacted(String);

impl Redacted {
    /// The value itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The value, taken out.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl From<String> for Redacted {
    fn from(value: String) -> Redacted {
        Redacted(value)
    }
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"***\"")
    }
}
