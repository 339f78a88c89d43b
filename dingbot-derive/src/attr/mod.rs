//! Parsing `#[ding(...)]` into [`ContainerAttrs`] and [`FieldAttrs`], driven by the key
//! table: a key is looked up, checked against where it sits and read in the shape the
//! table gives it; `container` and `field` say what each key means.
//!
//! Every problem is recorded in a [`Ctxt`] and parsing goes on, so one build reports every
//! mistake in the input. Rules that involve several attributes live in `valid`.

mod container;
mod field;
mod parse;

pub use self::container::{ButtonSpec, ContainerAttrs, container};
pub use self::field::{FieldAttrs, field};
pub use self::parse::Spanned;
