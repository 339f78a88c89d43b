//! Values as generated code shows them: through a field's `with` function ([`With`]),
//! and as a `String` ([`to_string`]).

use std::fmt::{self, Display};

/// A `with = path` function: `fn(&T, &mut Formatter) -> fmt::Result`, as `Display::fmt`.
pub type Fmt<T> = fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result;

/// A value shown through its field's `with` function.
pub struct With<'a, T: ?Sized>(pub &'a T, pub Fmt<T>);

impl<T: ?Sized> Display for With<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.1)(self.0, f)
    }
}

/// `value.to_string()`, for titles and button URLs.
pub fn to_string<T: Display + ?Sized>(value: &T) -> String {
    value.to_string()
}
