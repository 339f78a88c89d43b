//! The escaper, checked on the cases that matter.

use super::*;

#[test]
fn escapes_line_start_constructs() {
    assert_eq!(escape("# h"), "\\# h");
    assert_eq!(
        escape("a\n- b\n+ c\n1. d\n12) e\n= f"),
        "a\n\\- b\n\\+ c\n1\\. d\n12\\) e\n\\= f"
    );
    assert_eq!(escape("    code"), "&#32;   code");
    assert_eq!(escape("a # b - c 1. d"), "a # b - c 1. d");
    assert_eq!(escape("2024 sales"), "2024 sales");
}

#[test]
fn every_line_break_starts_a_line() {
    for br in [
        "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}",
    ] {
        let text = format!("ok{br}# x{br}- y{br} z");
        assert_eq!(
            escape(&text),
            format!("ok{br}\\# x{br}\\- y{br}&#32;z"),
            "{br:?}"
        );
    }
    for c in ['\u{0}', 'a', '\u{2014}', '\u{a0}', '\u{2027}', '\u{202A}'] {
        assert!(
            !is_line_break(c) && find_line_break(&format!("x{c}y")).is_none(),
            "{c:?}"
        );
    }
    for c in [
        '\n', '\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}',
    ] {
        assert!(is_line_break(c), "{c:?}");
        let text = format!("ab{c}cd");
        assert_eq!(find_line_break(&text), Some((2, c.len_utf8())), "{c:?}");
        assert_eq!(last_line(&text), "cd", "{c:?}");
    }
    // Not breaks: other characters that share a first byte with one.
    assert_eq!(escape("a\u{2014}# b"), "a\u{2014}# b");
    assert_eq!(escape("a\u{a0}# b"), "a\u{a0}# b");
}

#[test]
fn escaped_lines_split_at_every_break() {
    let mut out = String::new();
    escape_lines(
        &mut out,
        "ok\r\r# x\u{2028}\u{2029}- y\r\n3) z",
        "  \n",
        Start::MidLine,
    );
    assert_eq!(out, "ok  \n\\# x  \n\\- y  \n3\\) z");
    let split: Vec<&str> = lines("a\r\nb\rc\n\nd\u{85}").collect();
    assert_eq!(split, ["a", "b", "c", "", "d", ""]);
}

#[test]
fn position_comes_from_what_was_written() {
    assert_eq!(Start::after(""), Start::OwnLine);
    assert_eq!(Start::after("Status: ok"), Start::MidLine);
    assert_eq!(Start::after("Status: ok\r"), Start::OwnLine);
    assert_eq!(Start::after("> "), Start::OwnLine);
    assert_eq!(Start::after("x\n12"), Start::AfterDigits);
    let mut out = String::from("12");
    escape_with(". x", &mut out, Start::after("12"));
    assert_eq!(out, "12\\. x");
}

#[test]
fn values_change_nothing_around_them() {
    let value = |written: &str, text: &str| {
        let mut out = written.to_owned();
        escape_value(&mut out, text, Start::after(written));
        out
    };
    assert_eq!(value("- ", "\nInjected"), "- Injected");
    assert_eq!(value("> ", "\n\nescaped\n"), "> escaped");
    assert_eq!(value("Line\r", "\nx"), "Line\rx");
    assert_eq!(value("**", "x "), "**x&#32;");
    assert_eq!(value("**", " y"), "**&#32;y");
    assert_eq!(value("a", "  "), "a&#32;&#32;");
    assert_eq!(value("a", " \n "), "a");
    assert_eq!(value("Status: ", "ok\r\r"), "Status: ok");
    assert_eq!(value("1", ". x"), "1\\. x");
    assert_eq!(value("", " # x\n - y "), "&#32;# x  \n&#32;- y&#32;");
    assert_eq!(value("> ", "  "), "> ");
}

#[test]
fn roundtrip_edge_cases() {
    for s in [
        "",
        "@",
        "@\u{200B}",
        "&#32;",
        "\\",
        "\\\\n",
        "\r\n# x",
        "\r# x\u{2028} y",
        "中文 @张三",
        "1.",
        "9",
    ] {
        assert_eq!(unescape(&escape(s)), s, "{s:?}");
    }
}
