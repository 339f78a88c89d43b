//! DingTalk's markdown subset is written twice: in `dingbot::markdown::subset`, which the
//! library and the preview read, and in the derive's copy (a proc-macro cannot depend on
//! the crate it serves). The two must say the same.

use dingbot::markdown::subset;

/// The derive's copy, data only.
#[allow(dead_code, unreachable_pub)]
mod derive {
    include!("../../dingbot-derive/src/subset.rs");
}

#[test]
fn the_derive_and_the_library_know_the_same_subset() {
    let library: Vec<_> = subset::CONSTRUCTS
        .iter()
        .map(|c| (c.name, c.example, c.rendered, c.instead))
        .collect();
    let derive: Vec<_> = derive::CONSTRUCTS
        .iter()
        .map(|c| (c.name, c.example, c.rendered, c.instead))
        .collect();
    assert_eq!(derive, library);
    assert_eq!(derive::LINK_SCHEMES, subset::LINK_SCHEMES);
}

#[test]
fn every_unrendered_construct_says_what_to_write_instead() {
    for construct in subset::CONSTRUCTS {
        assert_eq!(
            construct.instead.is_empty(),
            construct.rendered,
            "{}",
            construct.name
        );
    }
}
