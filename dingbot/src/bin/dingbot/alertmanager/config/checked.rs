//! Values that check themselves while serde_yaml_ng reads them, so that its error names
//! the key and the line of a wrong one (`targets.ops.secret: ... at line 4 column 13`).
//!
//! serde_yaml_ng puts the key path and the position on an error only while the
//! value's own `deserialize_*` call runs. `#[serde(try_from = "String")]` checks after
//! that call has returned, and the error then carries the enclosing mapping's key and
//! the line where that mapping starts; so the checks run inside the visitors here:
//! [`scalar`] for one value, [`mapping`] for rules between the keys of one mapping.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// A value read from one YAML scalar and checked as it is read.
pub trait Scalar: Sized {
    /// What the value is, for serde's "invalid type: ..., expected {EXPECTING}".
    const EXPECTING: &'static str;

    /// The value `text` stands for, or what is wrong with it. A secret is described,
    /// never quoted.
    fn check(text: &str) -> Result<Self, String>;
}

/// Reads a [`Scalar`]: any scalar (`5`, `true`, `'5s'`) as its text, then checked.
pub fn scalar<'de, D: Deserializer<'de>, T: Scalar>(deserializer: D) -> Result<T, D::Error> {
    struct Checking<T>(PhantomData<T>);

    impl<T: Scalar> Visitor<'_> for Checking<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            T::check(text).map_err(E::custom)
        }
    }

    deserializer.deserialize_str(Checking(PhantomData))
}

/// Reads a mapping as `Raw` (its keys and their values, each checked on its own) and
/// turns it into `T`, whose rules span several keys (`url` or `url_env`, not both). An
/// error names the mapping's key and the line where the mapping starts.
pub fn mapping<'de, D, Raw, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    Raw: Deserialize<'de>,
    T: TryFrom<Raw, Error = String>,
{
    struct Checking<Raw, T>(PhantomData<(Raw, T)>);

    impl<'de, Raw, T> Visitor<'de> for Checking<Raw, T>
    where
        Raw: Deserialize<'de>,
        T: TryFrom<Raw, Error = String>,
    {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a mapping")
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            let raw = Raw::deserialize(de::value::MapAccessDeserializer::new(map))?;
            T::try_from(raw).map_err(de::Error::custom)
        }
    }

    deserializer.deserialize_map(Checking(PhantomData))
}
