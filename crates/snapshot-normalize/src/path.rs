//! JSON paths: the concrete location of a value in a snapshot tree ([`JsonPath`]) and the
//! patterns that select locations for transformers and skip lists ([`PathPattern`]).
//!
//! Syntax (a small JSONPath subset, the one difference reports print):
//! `$` the root, `.name` or `['any name']` an object member, `[3]` an array element,
//! `.*` / `[*]` any member or element, and `..name` / `..*` the member at any depth.
//! Names made of ASCII letters, digits, `_` and `-` use the dotted form; any other name is
//! printed in brackets with `'` and `\` escaped by a backslash.

use std::fmt;

use crate::errors::PathError;

/// One step of a concrete path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// The location of one value in a tree, printed as `$.key[0].other`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JsonPath {
    segments: Vec<Segment>,
}

impl JsonPath {
    /// The root (`$`).
    pub fn root() -> Self {
        Self::default()
    }

    /// This path extended by an object member.
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.segments.clone();
        segments.push(Segment::Key(key.to_owned()));
        Self { segments }
    }

    /// This path extended by an array element.
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.segments.clone();
        segments.push(Segment::Index(index));
        Self { segments }
    }

    /// The steps from the root.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The first member name, which in a session's state is the `match_` key.
    pub fn first_key(&self) -> Option<&str> {
        match self.segments.first() {
            Some(Segment::Key(key)) => Some(key),
            _ => None,
        }
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for segment in &self.segments {
            match segment {
                Segment::Key(key) => write_key(f, key)?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

fn is_plain_name(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn write_key(f: &mut fmt::Formatter<'_>, key: &str) -> fmt::Result {
    if is_plain_name(key) {
        write!(f, ".{key}")
    } else {
        f.write_str("['")?;
        for c in key.chars() {
            if c == '\'' || c == '\\' {
                f.write_str("\\")?;
            }
            write!(f, "{c}")?;
        }
        f.write_str("']")
    }
}

/// One step of a [`PathPattern`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PatternSegment {
    /// The member with this name.
    Key(String),
    /// The element at this index.
    Index(usize),
    /// Any member of an object.
    AnyKey,
    /// Any element of an array.
    AnyIndex,
    /// Zero or more steps of any kind (`..`).
    Descendants,
}

/// A pattern over [`JsonPath`]s, parsed from the syntax in the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PathPattern {
    source: String,
    segments: Vec<PatternSegment>,
}

impl PathPattern {
    /// Parses a pattern such as `$..QueueUrl`, `$.create.body.Attributes.*` or `$['a b'][0]`.
    pub fn parse(source: &str) -> Result<Self, PathError> {
        Parser {
            source,
            chars: source.char_indices().collect(),
            at: 0,
        }
        .parse()
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The parsed steps.
    pub fn segments(&self) -> &[PatternSegment] {
        &self.segments
    }

    /// Whether `path` is exactly a location this pattern selects.
    pub fn matches(&self, path: &JsonPath) -> bool {
        matches_from(&self.segments, path.segments(), false)
    }

    /// Whether `path` is a selected location or lies inside one (used by skip lists: skipping
    /// `$.a` also skips `$.a.b[0]`).
    pub fn covers(&self, path: &JsonPath) -> bool {
        matches_from(&self.segments, path.segments(), true)
    }
}

impl fmt::Display for PathPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl std::str::FromStr for PathPattern {
    type Err = PathError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

fn matches_from(pattern: &[PatternSegment], path: &[Segment], allow_prefix: bool) -> bool {
    let Some((first, rest)) = pattern.split_first() else {
        return path.is_empty() || allow_prefix;
    };
    match first {
        PatternSegment::Descendants => {
            // `..` absorbs any number of steps, including none.
            (0..=path.len()).any(|skip| matches_from(rest, &path[skip..], allow_prefix))
        }
        _ => {
            let Some((step, path_rest)) = path.split_first() else {
                return false;
            };
            let step_matches = match (first, step) {
                (PatternSegment::Key(want), Segment::Key(have)) => want == have,
                (PatternSegment::Index(want), Segment::Index(have)) => want == have,
                (PatternSegment::AnyKey, Segment::Key(_)) => true,
                (PatternSegment::AnyIndex, Segment::Index(_)) => true,
                _ => false,
            };
            step_matches && matches_from(rest, path_rest, allow_prefix)
        }
    }
}

struct Parser<'a> {
    source: &'a str,
    chars: Vec<(usize, char)>,
    at: usize,
}

impl Parser<'_> {
    fn error(&self, reason: impl Into<String>) -> PathError {
        PathError {
            pattern: self.source.to_owned(),
            position: self
                .chars
                .get(self.at)
                .map_or(self.source.len(), |(offset, _)| *offset),
            reason: reason.into(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).map(|(_, c)| *c)
    }

    fn eat(&mut self, want: char) -> bool {
        if self.peek() == Some(want) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn parse(mut self) -> Result<PathPattern, PathError> {
        if !self.eat('$') {
            return Err(self.error("a path starts with `$`"));
        }
        let mut segments = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                '.' => {
                    self.at += 1;
                    if self.eat('.') {
                        segments.push(PatternSegment::Descendants);
                        if self.peek() == Some('[') {
                            continue;
                        }
                    }
                    segments.push(self.dotted()?);
                }
                '[' => {
                    self.at += 1;
                    segments.push(self.bracketed()?);
                }
                _ => return Err(self.error(format!("expected `.` or `[`, found `{c}`"))),
            }
        }
        if segments.last() == Some(&PatternSegment::Descendants) {
            return Err(self.error("`..` must be followed by a name, `*` or `[...]`"));
        }
        Ok(PathPattern {
            source: self.source.to_owned(),
            segments,
        })
    }

    fn dotted(&mut self) -> Result<PatternSegment, PathError> {
        if self.eat('*') {
            return Ok(PatternSegment::AnyKey);
        }
        let start = self.at;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            self.at += 1;
        }
        if self.at == start {
            return Err(self.error(
                "expected a member name (letters, digits, `_`, `-`), `*`, or use ['name'] for other names",
            ));
        }
        Ok(PatternSegment::Key(
            self.chars[start..self.at].iter().map(|(_, c)| c).collect(),
        ))
    }

    fn bracketed(&mut self) -> Result<PatternSegment, PathError> {
        let segment = match self.peek() {
            Some('*') => {
                self.at += 1;
                PatternSegment::AnyIndex
            }
            Some(quote @ ('\'' | '"')) => {
                self.at += 1;
                let mut name = String::new();
                loop {
                    match self.peek() {
                        None => return Err(self.error("unterminated quoted member name")),
                        Some('\\') => {
                            self.at += 1;
                            match self.peek() {
                                Some(c) => name.push(c),
                                None => return Err(self.error("dangling `\\` in member name")),
                            }
                            self.at += 1;
                        }
                        Some(c) if c == quote => {
                            self.at += 1;
                            break;
                        }
                        Some(c) => {
                            name.push(c);
                            self.at += 1;
                        }
                    }
                }
                PatternSegment::Key(name)
            }
            Some(c) if c.is_ascii_digit() => {
                let start = self.at;
                while matches!(self.peek(), Some(c) if c.is_ascii_digit()) {
                    self.at += 1;
                }
                let digits: String = self.chars[start..self.at].iter().map(|(_, c)| c).collect();
                let index = digits
                    .parse()
                    .map_err(|_| self.error(format!("index `{digits}` is too large")))?;
                PatternSegment::Index(index)
            }
            _ => return Err(self.error("expected an index, `*` or a quoted name inside `[...]`")),
        };
        if !self.eat(']') {
            return Err(self.error("expected `]`"));
        }
        Ok(segment)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(steps: &[Segment]) -> JsonPath {
        JsonPath {
            segments: steps.to_vec(),
        }
    }

    #[test]
    fn display_uses_brackets_only_where_needed() {
        let p = JsonPath::root()
            .key("create-queue")
            .key("body")
            .index(2)
            .key("it's.odd");
        assert_eq!(p.to_string(), r"$.create-queue.body[2]['it\'s.odd']");
        assert_eq!(JsonPath::root().to_string(), "$");
    }

    #[test]
    fn printed_paths_parse_back_to_patterns_that_match_them() {
        let p = JsonPath::root()
            .key("a b")
            .index(10)
            .key("back\\slash")
            .key("x");
        let pattern = PathPattern::parse(&p.to_string()).unwrap();
        assert!(pattern.matches(&p));
        assert!(!pattern.matches(&p.key("deeper")));
        assert!(pattern.covers(&p.key("deeper")));
    }

    #[test]
    fn wildcards_and_descendants() {
        let target = path(&[
            Segment::Key("get".into()),
            Segment::Key("body".into()),
            Segment::Key("Items".into()),
            Segment::Index(0),
            Segment::Key("id".into()),
        ]);
        for yes in [
            "$..id",
            "$.get..id",
            "$..Items[*].id",
            "$..Items[0].id",
            "$.*.body.Items[*].*",
            "$..[0].id",
        ] {
            assert!(PathPattern::parse(yes).unwrap().matches(&target), "{yes}");
        }
        for no in ["$..Items[1].id", "$.body..id", "$..Items", "$.get.*.id"] {
            assert!(!PathPattern::parse(no).unwrap().matches(&target), "{no}");
        }
        assert!(PathPattern::parse("$..Items").unwrap().covers(&target));
        assert!(PathPattern::parse("$").unwrap().covers(&target));
    }

    #[test]
    fn syntax_errors_point_at_the_position() {
        let err = PathPattern::parse("$.a.[0]").unwrap_err();
        assert_eq!(err.position, 4);
        let err = PathPattern::parse("a.b").unwrap_err();
        assert_eq!(err.position, 0);
        assert!(err.to_string().contains("starts with `$`"), "{err}");
        assert!(PathPattern::parse("$['open").is_err());
        assert!(PathPattern::parse("$..").is_err());
        assert!(PathPattern::parse("$[x]").is_err());
    }
}
