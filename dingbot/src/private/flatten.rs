//! [`Flatten`]: the lines a `flatten` field takes from its type.

use super::body::Body;

/// The lines of a type with `#[derive(DingMessage)]`, for a `flatten` field of another.
pub trait Flatten {
    /// Writes the type's lines (its body without heading or mentions) into `body`.
    fn write_fields(&self, body: &mut Body);
}
