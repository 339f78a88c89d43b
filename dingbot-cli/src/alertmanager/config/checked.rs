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

/// Reads a [`Scalar`]: any scalar (`5`, `true`, `'5s'`) as its text, counted against
/// the file's expansion budget ([`super::budget`]), then checked.
pub fn scalar<'de, D: Deserializer<'de>, T: Scalar>(deserializer: D) -> Result<T, D::Error> {
    struct Checking<T>(PhantomData<T>);

    impl<T: Scalar> Visitor<'_> for Checking<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            super::budget::charge(text.len()).map_err(E::custom)?;
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

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Deserializer};

    use super::{Scalar, mapping, scalar};

    /// Checked in its visitor.
    struct Even(u32);

    impl Scalar for Even {
        const EXPECTING: &'static str = "an even number";

        fn check(text: &str) -> Result<Even, String> {
            match text.parse() {
                Ok(n) if n % 2 == 0 => Ok(Even(n)),
                _ => Err(format!("{text} is not even")),
            }
        }
    }

    impl<'de> Deserialize<'de> for Even {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            scalar(deserializer)
        }
    }

    /// Checked by serde's `try_from`, after the value was read.
    #[derive(Deserialize)]
    #[serde(try_from = "String")]
    struct EvenAfter(#[allow(dead_code, reason = "only the error matters")] u32);

    impl TryFrom<String> for EvenAfter {
        type Error = String;

        fn try_from(text: String) -> Result<EvenAfter, String> {
            Even::check(&text).map(|even| EvenAfter(even.0))
        }
    }

    #[derive(Deserialize)]
    struct Outer<T> {
        #[allow(dead_code, reason = "only the error matters")]
        inner: Inner<T>,
    }

    #[derive(Deserialize)]
    #[allow(dead_code, reason = "only the error matters")]
    struct Inner<T> {
        first: String,
        value: T,
    }

    /// A pair whose two values must differ: a rule between keys.
    struct Pair;

    #[derive(Deserialize)]
    struct PairKeys {
        a: u32,
        b: u32,
    }

    impl TryFrom<PairKeys> for Pair {
        type Error = String;

        fn try_from(keys: PairKeys) -> Result<Pair, String> {
            if keys.a == keys.b {
                return Err("a and b must differ".into());
            }
            Ok(Pair)
        }
    }

    impl<'de> Deserialize<'de> for Pair {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            mapping::<D, PairKeys, Pair>(deserializer)
        }
    }

    const TEXT: &str = "inner:\n  first: x\n  value: 3\n";

    #[test]
    fn a_value_checked_in_its_visitor_is_reported_at_its_own_key_and_line() {
        let err = serde_yaml_ng::from_str::<Outer<Even>>(TEXT)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("inner.value: 3 is not even at line 3 column 10")
        );
    }

    /// Why the values here do not use `#[serde(try_from)]`: serde_yaml_ng reports its
    /// error at the enclosing mapping. If this starts failing, serde_yaml_ng has learnt
    /// better, and `try_from` may do.
    #[test]
    fn a_value_checked_by_try_from_is_reported_at_the_mapping_around_it() {
        let err = serde_yaml_ng::from_str::<Outer<EvenAfter>>(TEXT)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("inner: 3 is not even at line 2 column 3")
        );
    }

    #[test]
    fn a_rule_between_keys_is_reported_at_their_mapping() {
        let err = serde_yaml_ng::from_str::<Outer<Pair>>(
            "inner:\n  first: x\n  value:\n    a: 1\n    b: 1\n",
        )
        .err()
        .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("inner.value: a and b must differ at line 4 column 5")
        );
    }
}
