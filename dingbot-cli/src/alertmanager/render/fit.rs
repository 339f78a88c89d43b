//! Fitting DingTalk's size limit: a group too large for one message is split into
//! parts, and a value too long for any message is shortened.

use std::borrow::Cow;
use std::ops::Range;

/// How hard values are shortened: the longest value, in bytes, at each level.
pub const SQUEEZE: [usize; 4] = [2_000, 400, 80, 0];

/// The alerts of each part and how hard its values must be shortened: halves `range`
/// until each part fits, shortening values only for a part of one alert that does not
/// fit as it is. `fits(part, squeeze)` says whether the alerts in `part` fit in one
/// message with their values cut at level `squeeze` of [`SQUEEZE`].
pub fn split(
    range: Range<usize>,
    fits: &impl Fn(Range<usize>, usize) -> bool,
) -> Vec<(Range<usize>, usize)> {
    if fits(range.clone(), 0) {
        return vec![(range, 0)];
    }
    if range.len() <= 1 {
        let squeeze = (1..SQUEEZE.len())
            .find(|&s| fits(range.clone(), s))
            .unwrap_or(SQUEEZE.len() - 1);
        return vec![(range, squeeze)];
    }
    let middle = range.start + range.len() / 2;
    let mut parts = split(range.start..middle, fits);
    parts.extend(split(middle..range.end, fits));
    parts
}

/// `value` cut to at most `limit` bytes (on a character boundary), with `…` when cut.
pub fn shorten(value: &str, limit: usize) -> Cow<'_, str> {
    if value.len() <= limit {
        return Cow::Borrowed(value);
    }
    let mut end = limit;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}…", &value[..end]))
}
