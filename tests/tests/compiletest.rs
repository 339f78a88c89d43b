#[rustversion::attr(
    not(stable(1.95)),
    ignore = "the .stderr files are made with Rust 1.95; other compilers word errors differently"
)]
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
