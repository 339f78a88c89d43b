//! Suggestions for what was probably meant: "did you mean", and where a misplaced key
//! goes instead.

use syn::Path;

use crate::ctxt::Ctxt;
use crate::keys::{self, Key, Place};

/// Reports a key that does not belong at `place`; returns the key the user probably
/// meant, so that rules about what is missing do not fire for it as well.
pub fn unknown_key(cx: &Ctxt, path: &Path, name: &str, place: Place) -> Option<&'static Key> {
    let (msg, meant) = match keys::lookup(name) {
        Some(key) => (misplaced(key, place), Some(key)),
        None => misspelled(name, place),
    };
    cx.error_spanned(path, msg);
    meant
}

/// The error for a key that exists, but not at `place`.
fn misplaced(key: &Key, place: Place) -> String {
    if place == Place::Enum && key.allowed_at(Place::Variant) {
        format!(
            "`{key}` belongs on each variant of an enum: every variant is its own message; \
             move it to the #[ding(...)] above each variant (only {} goes on the enum)",
            list(keys::at(Place::Enum))
        )
    } else if place == Place::Variant && key.allowed_at(Place::Enum) {
        format!(
            "`{key}` belongs on the enum, not on a variant: move this #[ding({})] above the \
             enum",
            key.usage(Place::Enum)
        )
    } else if key.allowed_at(Place::Struct) && !key.allowed_at(Place::Variant) {
        format!(
            "`{key}` belongs on a struct: #[derive(DingItem)] reads it from the #[ding(...)] \
             above the struct (an enum's variants are not list items)"
        )
    } else if place == Place::Field {
        format!(
            "`{key}` is a message attribute: put it in the #[ding(...)] above the struct or \
             variant"
        )
    } else {
        format!(
            "`{key}` is a field attribute: put #[ding({})] on {}",
            key.usage(Place::Field),
            key.hint
        )
    }
}

/// The error for a name that is no key, and the key it is a misspelling of.
fn misspelled(name: &str, place: Place) -> (String, Option<&'static Key>) {
    if let Some(near) = closest_key(name, keys::at(place)) {
        return (
            format!("unknown ding attribute `{name}`; did you mean `{near}`?"),
            Some(near),
        );
    }
    for &other in elsewhere(place) {
        if let Some(near) = closest_key(name, keys::at(other)) {
            let where_ = match (place, other) {
                (Place::Field, _) => "it is a message attribute, so it goes in the #[ding(...)] \
                                      above the struct or variant"
                    .to_owned(),
                (_, Place::Field) => {
                    format!("it is a field attribute, so it goes on {}", near.hint)
                }
                (_, Place::Enum) => "it goes in the #[ding(...)] above the enum".to_owned(),
                (_, Place::Struct | Place::Variant) => {
                    "it goes in the #[ding(...)] above each variant".to_owned()
                }
            };
            return (
                format!("unknown ding attribute `{name}`; did you mean `{near}`? {where_}"),
                Some(near),
            );
        }
    }
    (
        format!(
            "unknown ding attribute `{name}`; expected one of {}",
            list(keys::at(place))
        ),
        None,
    )
}

/// Where else to look for a key misspelled at `place`, nearest first.
fn elsewhere(place: Place) -> &'static [Place] {
    match place {
        Place::Field => &[Place::Struct],
        Place::Enum => &[Place::Variant, Place::Field],
        Place::Struct => &[Place::Field],
        Place::Variant => &[Place::Field, Place::Enum],
    }
}

/// `` `a`, `b`, `c` ``.
fn list(keys: impl Iterator<Item = &'static Key>) -> String {
    keys.map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key among `keys` nearest to a misspelled `name`, if it is near enough to be a typo.
pub fn closest_key(name: &str, keys: impl Iterator<Item = &'static Key>) -> Option<&'static Key> {
    let keys: Vec<&'static Key> = keys.collect();
    let near = closest(name, keys.iter().map(|k| k.name))?;
    keys.into_iter().find(|k| k.name == near)
}

/// The candidate nearest to a misspelled `word`, if it is near enough to be a typo; the
/// first one on a tie.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, where swapping two neighbouring letters counts as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{ACTION_CARD, AT_MOBILES, BODY, BUTTON, LABEL, TITLE};

    fn near(name: &str, place: Place) -> Option<&'static Key> {
        closest_key(name, keys::at(place))
    }

    /// The key suggested for `name` at `place`, from any place.
    fn suggested(name: &str, place: Place) -> Option<&'static Key> {
        misspelled(name, place).1
    }

    #[test]
    fn suggests_near_misses() {
        assert_eq!(near("lable", Place::Field), Some(&LABEL));
        assert_eq!(near("buton", Place::Field), Some(&BUTTON));
        assert_eq!(near("at_mobile", Place::Field), Some(&AT_MOBILES));
        assert_eq!(near("titel", Place::Struct), Some(&TITLE));
        assert_eq!(near("actioncard", Place::Struct), Some(&ACTION_CARD));
        assert_eq!(near("colour", Place::Field), None);
    }

    #[test]
    fn suggests_keys_of_other_places() {
        assert_eq!(suggested("at_mobile", Place::Struct), Some(&AT_MOBILES));
        assert_eq!(suggested("bdy", Place::Field), Some(&BODY));
        assert_eq!(suggested("titel", Place::Enum), Some(&TITLE));
        assert_eq!(suggested("colour", Place::Variant), None);
    }

    #[test]
    fn near_words() {
        assert_eq!(
            closest("horizantal", ["horizontal", "vertical"]),
            Some("horizontal")
        );
        assert_eq!(closest("sideways", ["horizontal", "vertical"]), None);
    }

    #[test]
    fn transposition_is_one_edit() {
        assert_eq!(edit_distance("lable", "label"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
