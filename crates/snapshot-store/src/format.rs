//! The insta `.snap` file format, written byte-for-byte the way insta writes it.
//!
//! A file snapshot is a YAML header between two `---` lines, then the text, then one `\n`:
//!
//! ```text
//! ---
//! source: cargo-snapshot
//! expression: aws-sdk-sts AssumeRole request
//! ---
//! POST https://sts.us-east-1.amazonaws.com
//! ```
//!
//! `cargo insta accept` does not copy a pending file: it parses it and serializes it again
//! (insta's `Snapshot::from_file` then `Snapshot::save`). Parsing joins the lines after the
//! header with `\n` (dropping a `\r` before each `\n`) and saving trims trailing whitespace.
//! Header values are emitted by insta's YAML emitter, which quotes a string only when YAML
//! would misread it. This module does the same, so that what `write` produces is exactly
//! what `cargo insta accept` produces; the `insta_roundtrip` test checks this against insta.
//!
//! insta itself exposes no public constructor for `Snapshot`, so the format is written here.
//! Header values are kept to one line: insta switches multi-line values to YAML block style
//! when `INSTA_YAML_BLOCK_STYLE=1`, which would make the output depend on the environment.

/// The line that opens and closes the header.
const DELIMITER: &str = "---";

/// The header fields of a parsed snapshot file; absent fields are `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    /// The `source:` value.
    pub source: Option<String>,
    /// The `expression:` value.
    pub expression: Option<String>,
}

/// A parsed `.snap` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotFile {
    /// The header fields the store knows about (others, such as `info`, are ignored).
    pub header: Header,
    /// The snapshot text, normalized as insta normalizes it.
    pub contents: String,
}

/// The text insta stores for `contents`: `\r` before `\n` removed, trailing whitespace trimmed.
///
/// This is a fixed point of insta's read-then-save cycle: it contains no `\r\n` and no trailing
/// whitespace, so `cargo insta accept` writes it back unchanged.
pub fn normalize_contents(contents: &str) -> String {
    let mut out = String::with_capacity(contents.len());
    for (index, line) in contents.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(line.trim_end_matches('\r'));
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// Header values are single lines of printable text (see the module docs): control
/// characters, line breaks included, become spaces. YAML parsers differ on raw control
/// characters in plain scalars, and they carry nothing a reviewer could read.
fn header_value(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// What [`parse`] returns for the file [`render`] writes from these values.
pub fn expected(source: &str, expression: &str, contents: &str) -> SnapshotFile {
    SnapshotFile {
        header: Header {
            source: Some(header_value(source)),
            expression: Some(header_value(expression)),
        },
        contents: normalize_contents(contents),
    }
}

/// The full text of a `.snap` file for these header values and contents.
pub fn render(source: &str, expression: &str, contents: &str) -> String {
    let contents = normalize_contents(contents);
    let mut out = String::with_capacity(contents.len() + 96);
    out.push_str(DELIMITER);
    out.push('\n');
    out.push_str("source: ");
    push_yaml_scalar(&mut out, &header_value(source));
    out.push('\n');
    out.push_str("expression: ");
    push_yaml_scalar(&mut out, &header_value(expression));
    out.push('\n');
    out.push_str(DELIMITER);
    out.push('\n');
    out.push_str(&contents);
    out.push('\n');
    out
}

/// Why a file is not a snapshot file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The first line is not `---`.
    #[error("the first line is not `---` (files in insta's legacy header format are not written by cargo-snapshot)")]
    MissingHeader,
    /// No closing `---` after the header.
    #[error("the header opened by `---` on line 1 is never closed by another `---` line")]
    UnterminatedHeader,
    /// A header value could not be decoded.
    #[error("line {line}: {message}")]
    BadHeaderValue {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Parses a `.snap` file the way insta reads it (`\r\n` line ends accepted).
pub fn parse(text: &str) -> Result<SnapshotFile, ParseError> {
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == DELIMITER => {}
        _ => return Err(ParseError::MissingHeader),
    }
    let mut header = Header::default();
    let mut closed = false;
    let mut line_number = 1;
    for line in lines.by_ref() {
        line_number += 1;
        if line.trim_end() == DELIMITER {
            closed = true;
            break;
        }
        parse_header_line(
            line.trim_end_matches(['\n', '\r']),
            line_number,
            &mut header,
        )?;
    }
    if !closed {
        return Err(ParseError::UnterminatedHeader);
    }
    let body: String = lines.collect();
    Ok(SnapshotFile {
        header,
        contents: normalize_contents(&body),
    })
}

fn parse_header_line(line: &str, number: usize, header: &mut Header) -> Result<(), ParseError> {
    // Indented lines continue a nested value (e.g. `info:`); comments and blanks carry nothing.
    if line.is_empty() || line.starts_with([' ', '\t', '#', '-']) {
        return Ok(());
    }
    let Some((key, value)) = line.split_once(':') else {
        return Ok(());
    };
    let slot = match key {
        "source" => &mut header.source,
        "expression" => &mut header.expression,
        _ => return Ok(()),
    };
    *slot = parse_yaml_scalar(value.trim()).map_err(|message| ParseError::BadHeaderValue {
        line: number,
        message: format!("`{key}`: {message}"),
    })?;
    Ok(())
}

/// Decodes the scalar forms a one-line header value can take. Block scalars (`|`, `>`) and
/// nested values yield `None`: the store never writes them, so they simply compare as different.
fn parse_yaml_scalar(value: &str) -> Result<Option<String>, String> {
    if let Some(rest) = value.strip_prefix('"') {
        return parse_double_quoted(rest).map(Some);
    }
    if let Some(rest) = value.strip_prefix('\'') {
        let inner = rest
            .strip_suffix('\'')
            .ok_or_else(|| "single-quoted value is not closed".to_owned())?;
        return Ok(Some(inner.replace("''", "'")));
    }
    if value.is_empty()
        || value == "~"
        || value.starts_with(['|', '>', '{', '['])
        || ["null", "Null", "NULL"].contains(&value)
    {
        return Ok(None);
    }
    Ok(Some(value.to_owned()))
}

fn parse_double_quoted(rest: &str) -> Result<String, String> {
    let mut out = String::with_capacity(rest.len());
    let mut chars = rest.chars();
    loop {
        match chars.next() {
            None => return Err("double-quoted value is not closed".to_owned()),
            Some('"') => {
                return if chars.as_str().trim().is_empty() {
                    Ok(out)
                } else {
                    Err("unexpected text after the closing quote".to_owned())
                };
            }
            Some('\\') => {
                let escape = chars.next().ok_or("backslash at the end of the value")?;
                let decoded = match escape {
                    '0' => '\0',
                    'a' => '\x07',
                    'b' => '\x08',
                    't' | '\t' => '\t',
                    'n' => '\n',
                    'v' => '\x0b',
                    'f' => '\x0c',
                    'r' => '\r',
                    'e' => '\x1b',
                    ' ' => ' ',
                    '"' => '"',
                    '/' => '/',
                    '\\' => '\\',
                    'N' => '\u{85}',
                    '_' => '\u{a0}',
                    'L' => '\u{2028}',
                    'P' => '\u{2029}',
                    'x' => hex_char(&mut chars, 2)?,
                    'u' => hex_char(&mut chars, 4)?,
                    'U' => hex_char(&mut chars, 8)?,
                    other => return Err(format!("unknown escape `\\{other}`")),
                };
                out.push(decoded);
            }
            Some(c) => out.push(c),
        }
    }
}

fn hex_char(chars: &mut std::str::Chars<'_>, digits: usize) -> Result<char, String> {
    let hex: String = chars.by_ref().take(digits).collect();
    if hex.len() != digits {
        return Err(format!("escape needs {digits} hex digits"));
    }
    u32::from_str_radix(&hex, 16)
        .ok()
        .and_then(char::from_u32)
        .ok_or_else(|| format!("`{hex}` is not a valid character code"))
}

/// Appends `value` as insta's YAML emitter writes a string: plain when unambiguous,
/// otherwise double-quoted with JSON-style escapes.
fn push_yaml_scalar(out: &mut String, value: &str) {
    if !needs_quotes(value) {
        out.push_str(value);
        return;
    }
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x08' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\x0c' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\0'..='\x1f' | '\x7f' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The words YAML 1.1 reads as booleans or null; insta quotes them.
const RESERVED_WORDS: &[&str] = &[
    "yes", "Yes", "YES", "no", "No", "NO", "True", "TRUE", "true", "False", "FALSE", "false", "on",
    "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
];

/// insta's rule for when a YAML string must be quoted.
fn needs_quotes(value: &str) -> bool {
    value.is_empty()
        || value.starts_with(' ')
        || value.ends_with(' ')
        || value.starts_with(['&', '*', '?', '|', '-', '<', '>', '=', '!', '%', '@'])
        || value.contains(|c: char| {
            matches!(
                c,
                ':' | '{'
                    | '}'
                    | '['
                    | ']'
                    | ','
                    | '#'
                    | '`'
                    | '"'
                    | '\''
                    | '\\'
                    | '\0'..='\x06'
                    | '\t'
                    | '\n'
                    | '\r'
                    | '\x0e'..='\x1a'
                    | '\x1c'..='\x1f'
            )
        })
        || RESERVED_WORDS.contains(&value)
        || value.starts_with('.')
        || value.starts_with("0x")
        || value.parse::<i64>().is_ok()
        || value.parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_header_insta_writes_and_one_trailing_newline() {
        let text = render(
            "cargo-snapshot",
            "aws-sdk-sts AssumeRole request",
            "POST https://sts.us-east-1.amazonaws.com\n\n[no body]\n\n",
        );
        assert_eq!(
            text,
            "---\nsource: cargo-snapshot\nexpression: aws-sdk-sts AssumeRole request\n---\n\
             POST https://sts.us-east-1.amazonaws.com\n\n[no body]\n"
        );
    }

    #[test]
    fn quotes_header_values_yaml_would_misread() {
        let cases = [
            ("cargo-snapshot", "cargo-snapshot"),
            ("models/sts.json", "models/sts.json"),
            ("", "\"\""),
            ("true", "\"true\""),
            ("12", "\"12\""),
            ("1e5", "\"1e5\""),
            ("-x", "\"-x\""),
            ("a: b", "\"a: b\""),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
            ("back\\slash", "\"back\\\\slash\""),
            ("tab\there", "\"tab\\there\""),
            ("start\x01", "\"start\\u0001\""),
        ];
        for (value, expected) in cases {
            let mut out = String::new();
            push_yaml_scalar(&mut out, value);
            assert_eq!(out, expected, "{value:?}");
        }
    }

    #[test]
    fn parse_reads_back_what_render_writes() {
        for (source, expression, contents) in [
            ("cargo-snapshot", "aws-sdk-sts AssumeRole request", "a\nb"),
            (
                "odd: source",
                "\"quoted\" #1",
                "\n  leading lines are kept\n---\nlooks like a header",
            ),
            ("", "", ""),
        ] {
            let parsed = parse(&render(source, expression, contents)).unwrap();
            assert_eq!(parsed.header.source.as_deref(), Some(source));
            assert_eq!(parsed.header.expression.as_deref(), Some(expression));
            assert_eq!(parsed.contents, normalize_contents(contents));
            assert_eq!(parsed, expected(source, expression, contents));
        }
    }

    #[test]
    fn normalization_drops_carriage_returns_before_newlines_and_trailing_whitespace() {
        assert_eq!(normalize_contents("a\r\nb\r\n\r\n  \n"), "a\nb");
        assert_eq!(normalize_contents("a\r\r\nb"), "a\nb");
        assert_eq!(
            normalize_contents("lone\rcarriage return"),
            "lone\rcarriage return"
        );
        assert_eq!(
            normalize_contents("\n\nindent kept \n x"),
            "\n\nindent kept \n x"
        );
    }

    #[test]
    fn files_checked_out_with_crlf_line_ends_parse_to_the_same_snapshot() {
        let lf = render("cargo-snapshot", "e", "line 1\nline 2");
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(parse(&crlf).unwrap(), parse(&lf).unwrap());
    }

    #[test]
    fn header_values_become_one_line_of_printable_text() {
        let parsed = parse(&render("a\nb", "c\r\nd\te\x07", "x")).unwrap();
        assert_eq!(parsed.header.source.as_deref(), Some("a b"));
        assert_eq!(parsed.header.expression.as_deref(), Some("c  d e "));
    }

    #[test]
    fn unknown_header_keys_and_nested_values_are_ignored() {
        let text = "---\nsource: tests/x.rs\nassertion_line: 12\ninfo:\n  a: 1\n  b: [1, 2]\nexpression: \"x\"\nsnapshot_kind: text\n---\nbody\n";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.header.source.as_deref(), Some("tests/x.rs"));
        assert_eq!(parsed.header.expression.as_deref(), Some("x"));
        assert_eq!(parsed.contents, "body");
    }

    #[test]
    fn rejects_files_that_are_not_snapshots() {
        assert_eq!(parse("hello\n"), Err(ParseError::MissingHeader));
        assert_eq!(parse(""), Err(ParseError::MissingHeader));
        assert_eq!(
            parse("---\nsource: x\nbody without end\n"),
            Err(ParseError::UnterminatedHeader)
        );
        let err = parse("---\nexpression: \"open\n---\n").unwrap_err();
        assert!(
            matches!(err, ParseError::BadHeaderValue { line: 2, .. }),
            "{err}"
        );
        let err = parse("---\nsource: \"\\q\"\n---\n").unwrap_err();
        assert_eq!(err.to_string(), "line 2: `source`: unknown escape `\\q`");
    }
}
