//! [`Permanent`]: the cause of an error that sending again cannot cure, which
//! [`Error::is_retryable`](super::Error::is_retryable) reads.

use std::fmt;

/// The cause of an error that sending again cannot cure (Redis refused the
/// credentials): its text, shown as it is.
#[derive(Debug)]
pub(crate) struct Permanent(pub(crate) String);

impl fmt::Display for Permanent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Permanent {}
