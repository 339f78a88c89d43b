//! The parts a template is scanned into: literal text, `{field}` placeholders and the
//! `{#field}`/`{/field}` of sections.

/// One part of a template, in order.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    /// Text written as it is (with `{{` and `}}` already turned into `{` and `}`).
    Lit(String),
    /// A `{name}` or `{name:spec}` placeholder.
    Field(Placeholder),
    /// `{#name}`: a section that is left out when the field is `None` or an empty list.
    Open(Placeholder),
    /// `{/name}`: the end of the innermost section.
    Close(Name),
}

/// `{name}`, `{0}`, `{name:>8}`, `{name:?}`.
#[derive(Debug, PartialEq, Eq)]
pub struct Placeholder {
    pub name: Name,
    /// The format spec after `:`, without the colon; empty for none.
    pub spec: String,
    /// The index of the field it names, filled in by [`Template::resolve`].
    pub field: Option<usize>,
}

impl Placeholder {
    /// Whether the spec asks for `Debug` (`{x:?}`) rather than `Display`.
    pub fn is_debug(&self) -> bool {
        self.spec.ends_with('?')
    }
}

/// What a placeholder names.
#[derive(Debug, PartialEq, Eq, Clone)]
pub enum Name {
    /// A named field (raw identifiers are stored without `r#`).
    Named(String),
    /// A tuple field, `{0}`.
    Index(usize),
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Name::Named(n) => f.write_str(n),
            Name::Index(i) => write!(f, "{i}"),
        }
    }
}
