//! Writing to stdout, the one channel scripts read: a line at a time, flushed at once
//! (the reader may be a test waiting for it).

use std::io::{self, Write};

/// Writes `line` and a newline on stdout and flushes it.
pub fn print_line(line: &str) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{line}").and_then(|()| stdout.flush())
}

/// Whether a write failed only because the reader of stdout went away (`| head -c0`,
/// a closed pipe): what was asked for happened, nobody is left to be told.
pub fn reader_gone(err: &io::Error) -> bool {
    err.kind() == io::ErrorKind::BrokenPipe
}
