//! The `{:#?}` grammar: a recursive-descent parser over the text, with byte offsets for errors.

use super::{DebugValue, MAX_DEPTH};
use crate::errors::RenderError;

/// `text` parsed whole: one value, surrounded by whitespace at most.
pub(super) fn parse(text: &str) -> Result<DebugValue, RenderError> {
    let mut parser = Parser { text, position: 0 };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.position != text.len() {
        return Err(parser.error("unexpected text after the value"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    position: usize,
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '#'
}

impl Parser<'_> {
    fn error(&self, reason: &str) -> RenderError {
        RenderError::Debug {
            offset: self.position,
            reason: reason.to_owned(),
        }
    }

    fn rest(&self) -> &str {
        &self.text[self.position..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_whitespace(&mut self) {
        let rest = self.rest();
        self.position += rest.len() - rest.trim_start().len();
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.position += rest.len() - rest.trim_start_matches(' ').len();
    }

    fn value(&mut self, depth: usize) -> Result<DebugValue, RenderError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting deeper than 256 levels"));
        }
        let rest = self.rest();
        match self.peek() {
            None => Err(self.error("expected a value, found the end of the text")),
            Some('"') => Ok(DebugValue::Str(self.string()?)),
            Some('b') if rest.starts_with("b\"") => {
                self.position += 1;
                Ok(DebugValue::Bytes(self.byte_string()?))
            }
            Some('\'') => match self.char_literal() {
                Some(c) => Ok(DebugValue::Char(c)),
                None => Ok(DebugValue::Atom(self.atom(String::new()))),
            },
            Some('[') => {
                self.position += 1;
                Ok(DebugValue::List(self.items(']', depth)?))
            }
            Some('(') => {
                self.position += 1;
                Ok(DebugValue::Tuple {
                    name: String::new(),
                    items: self.items(')', depth)?,
                })
            }
            Some('{') => {
                self.position += 1;
                self.map_or_set(depth)
            }
            Some(c) if c.is_alphabetic() || c == '_' => {
                let name = self.path();
                let after_name = self.position;
                self.skip_spaces();
                match self.peek() {
                    Some('{') => {
                        self.position += 1;
                        self.struct_body(name, depth)
                    }
                    Some('(') => {
                        self.position += 1;
                        Ok(DebugValue::Tuple {
                            name,
                            items: self.items(')', depth)?,
                        })
                    }
                    _ => {
                        self.position = after_name;
                        Ok(DebugValue::Atom(self.atom(name)))
                    }
                }
            }
            Some(_) => {
                let atom = self.atom(String::new());
                if atom.is_empty() {
                    Err(self.error("expected a value"))
                } else {
                    Ok(DebugValue::Atom(atom))
                }
            }
        }
    }

    /// An identifier or path, with generic arguments: `Name`, `a::b::C`, `PhantomData<T<U>>`.
    fn path(&mut self) -> String {
        let start = self.position;
        let mut angle = 0usize;
        let mut previous = ' ';
        while let Some(c) = self.peek() {
            let accept = match c {
                c if is_ident_char(c) => true,
                ':' => self.rest().starts_with("::") || previous == ':',
                '<' => {
                    angle += 1;
                    true
                }
                '>' if angle > 0 && previous != '-' => {
                    angle -= 1;
                    true
                }
                // Inside generic arguments: `->`, `, `, `&`, `'`, `[T; 2]`, `dyn Trait`.
                _ if angle > 0 => c != '\n',
                _ => false,
            };
            if !accept {
                break;
            }
            previous = c;
            self.position += c.len_utf8();
        }
        self.text[start..self.position].to_owned()
    }

    /// The rest of an opaque value, up to a `,`, `: `, a line end or a closing bracket at
    /// bracket depth 0.
    fn atom(&mut self, mut atom: String) -> String {
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        while let Some(c) = self.peek() {
            if in_string {
                match (escaped, c) {
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => escaped = false,
                }
            } else {
                match c {
                    '"' => in_string = true,
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' if depth == 0 => break,
                    ')' | ']' | '}' => depth -= 1,
                    ',' | '\n' if depth == 0 => break,
                    ':' if depth == 0 && self.rest().starts_with(": ") => break,
                    _ => {}
                }
            }
            atom.push(c);
            self.position += c.len_utf8();
        }
        let trimmed = atom.trim_end().len();
        self.position -= atom.len() - trimmed;
        atom.truncate(trimmed);
        atom
    }

    /// After an item: whitespace, an optional comma, whitespace.
    fn separator(&mut self) {
        self.skip_whitespace();
        if self.peek() == Some(',') {
            self.position += 1;
        }
        self.skip_whitespace();
    }

    fn items(&mut self, close: char, depth: usize) -> Result<Vec<DebugValue>, RenderError> {
        let mut items = Vec::new();
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some(c) if c == close => {
                    self.position += 1;
                    return Ok(items);
                }
                None => return Err(self.error(&format!("expected '{close}'"))),
                Some(_) => {}
            }
            let before = self.position;
            items.push(self.value(depth + 1)?);
            self.separator();
            if self.position == before {
                return Err(self.error("expected an item"));
            }
        }
    }

    fn map_or_set(&mut self, depth: usize) -> Result<DebugValue, RenderError> {
        self.skip_whitespace();
        if self.peek() == Some('}') {
            self.position += 1;
            return Ok(DebugValue::Map(Vec::new()));
        }
        let first = self.value(depth + 1)?;
        self.skip_whitespace();
        if self.peek() != Some(':') {
            self.separator();
            let mut items = vec![first];
            items.extend(self.items('}', depth)?);
            return Ok(DebugValue::Set(items));
        }
        let mut entries = Vec::new();
        let mut key = first;
        loop {
            self.skip_whitespace();
            if self.peek() != Some(':') {
                return Err(self.error("expected ':' after a map key"));
            }
            self.position += 1;
            self.skip_whitespace();
            let value = self.value(depth + 1)?;
            entries.push((key, value));
            self.separator();
            if self.peek() == Some('}') {
                self.position += 1;
                return Ok(DebugValue::Map(entries));
            }
            if self.peek().is_none() {
                return Err(self.error("expected '}'"));
            }
            key = self.value(depth + 1)?;
        }
    }

    fn struct_body(&mut self, name: String, depth: usize) -> Result<DebugValue, RenderError> {
        let mut fields = Vec::new();
        let mut non_exhaustive = false;
        loop {
            self.skip_whitespace();
            match self.peek() {
                Some('}') => {
                    self.position += 1;
                    return Ok(DebugValue::Struct {
                        name,
                        fields,
                        non_exhaustive,
                    });
                }
                None => return Err(self.error("expected '}' to close a struct")),
                Some(_) if self.rest().starts_with("..") => {
                    self.position += 2;
                    non_exhaustive = true;
                    self.separator();
                    continue;
                }
                Some(_) => {}
            }
            let start = self.position;
            while self.peek().is_some_and(is_ident_char) {
                self.position += self.peek().map_or(1, char::len_utf8);
            }
            let field = self.text[start..self.position].to_owned();
            if field.is_empty() {
                return Err(self.error("expected a field name"));
            }
            self.skip_spaces();
            if self.peek() != Some(':') {
                return Err(self.error("expected ':' after a field name"));
            }
            self.position += 1;
            self.skip_whitespace();
            let value = self.value(depth + 1)?;
            fields.push((field, value));
            self.separator();
        }
    }

    fn string(&mut self) -> Result<String, RenderError> {
        self.position += 1;
        let mut out = String::new();
        loop {
            let c = self
                .peek()
                .ok_or_else(|| self.error("unterminated string"))?;
            self.position += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => out.push(self.escape()?),
                c => out.push(c),
            }
        }
    }

    /// After a backslash: `\n \r \t \0 \\ \" \' \u{..}`.
    fn escape(&mut self) -> Result<char, RenderError> {
        let c = self
            .peek()
            .ok_or_else(|| self.error("unterminated escape"))?;
        self.position += c.len_utf8();
        Ok(match c {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '0' => '\0',
            '\\' | '"' | '\'' => c,
            'u' => {
                let rest = self.rest();
                let close = rest
                    .strip_prefix('{')
                    .and_then(|inner| inner.find('}'))
                    .ok_or_else(|| self.error("expected \\u{...}"))?;
                let code = u32::from_str_radix(&rest[1..=close], 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| self.error("invalid \\u{...} escape"))?;
                self.position += close + 2;
                code
            }
            _ => return Err(self.error("unknown escape")),
        })
    }

    fn byte_string(&mut self) -> Result<Vec<u8>, RenderError> {
        self.position += 1;
        let mut out = Vec::new();
        loop {
            let c = self
                .peek()
                .ok_or_else(|| self.error("unterminated byte string"))?;
            self.position += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' if self.peek() == Some('x') => {
                    self.position += 1;
                    let byte = self
                        .rest()
                        .get(..2)
                        .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                        .ok_or_else(|| self.error("expected two hex digits after \\x"))?;
                    self.position += 2;
                    out.push(byte);
                }
                '\\' => {
                    let c = self.escape()?;
                    let byte = u8::try_from(u32::from(c))
                        .map_err(|_| self.error("escape out of byte range"))?;
                    out.push(byte);
                }
                c => {
                    let mut buffer = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
                }
            }
        }
    }

    /// A char literal, or `None` (position unchanged) when the text is not one.
    fn char_literal(&mut self) -> Option<char> {
        let start = self.position;
        self.position += 1;
        let c = match self.peek() {
            Some('\\') => {
                self.position += 1;
                self.escape().ok()
            }
            Some(c) if c != '\'' => {
                self.position += c.len_utf8();
                Some(c)
            }
            _ => None,
        };
        if c.is_some() && self.peek() == Some('\'') {
            self.position += 1;
            return c;
        }
        self.position = start;
        None
    }
}
