//! XML bodies: indented by two spaces, text and attribute values exactly as sent (escaped).
//!
//! Map order. The client serializes maps from `HashMap`s, so the order of map entries varies
//! between runs. Without the model the renderer cannot know which elements are maps, so it
//! sorts the runs of consecutive sibling elements that Smithy's XML map encoding produces:
//!
//! * elements with the local name `entry` (entries of a non-flattened map; Smithy fixes that
//!   name), and
//! * elements that each hold exactly two child elements named `key` and `value` and no text
//!   (entries of a flattened map with the default key and value names).
//!
//! A run is sorted by the canonical text of its elements (stable, UUIDs masked). Everything
//! else keeps the order in which it was sent, so list order stays visible. Known limits: a
//! flattened map whose key or value member is renamed with `@xmlName` is not recognized, and a
//! list whose member is named `entry` is sorted.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::errors::RenderError;
use snapshot_normalize::uuid::mask_uuids;

const FORMAT: &str = "xml";
const MAX_DEPTH: usize = 256;

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Element(Element),
    /// Character data as sent (escaped), entity references included.
    Text(String),
    CData(String),
    Comment(String),
    /// `<?xml ...?>`, processing instructions and `<!DOCTYPE ...>`, as complete markup.
    Markup(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Element {
    name: String,
    /// `(name, raw value)` in the order sent.
    attributes: Vec<(String, String)>,
    children: Vec<Node>,
    /// Sent as `<a/>` rather than `<a></a>`.
    self_closing: bool,
}

impl Element {
    fn local_name(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    fn child_elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|child| match child {
            Node::Element(element) => Some(element),
            _ => None,
        })
    }

    fn has_text(&self) -> bool {
        self.children
            .iter()
            .any(|child| matches!(child, Node::Text(_) | Node::CData(_)))
    }

    /// A map entry of a flattened map with default member names.
    fn is_key_value_pair(&self) -> bool {
        let mut names: Vec<&str> = self.child_elements().map(Element::local_name).collect();
        names.sort_unstable();
        names == ["key", "value"] && !self.has_text()
    }
}

/// Parses `bytes` as an XML document and prints it indented, map entries in canonical order.
pub(crate) fn format(bytes: &[u8]) -> Result<String, RenderError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|error| RenderError::body(FORMAT, error.valid_up_to(), "invalid UTF-8"))?;
    let mut nodes = parse(text)?;
    for node in &mut nodes {
        canonicalize(node);
    }
    let mut out = String::new();
    for node in &nodes {
        print(node, 0, &mut out);
    }
    // `print` ends every node with a newline; the caller adds its own.
    out.truncate(out.trim_end_matches('\n').len());
    Ok(out)
}

fn utf8(bytes: &[u8], position: u64) -> Result<String, RenderError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        RenderError::body(
            FORMAT,
            usize::try_from(position).unwrap_or(usize::MAX),
            "invalid UTF-8",
        )
    })
}

fn start_element(
    start: &BytesStart<'_>,
    position: u64,
    self_closing: bool,
) -> Result<Element, RenderError> {
    let name = utf8(start.name().as_ref(), position)?;
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| {
            RenderError::body(
                FORMAT,
                usize::try_from(position).unwrap_or(usize::MAX),
                error.to_string(),
            )
        })?;
        attributes.push((
            utf8(attribute.key.as_ref(), position)?,
            utf8(&attribute.value, position)?,
        ));
    }
    Ok(Element {
        name,
        attributes,
        children: Vec::new(),
        self_closing,
    })
}

fn parse(text: &str) -> Result<Vec<Node>, RenderError> {
    let mut reader = Reader::from_str(text);
    // Keep text exactly; whitespace-only text between elements is dropped when printing.
    reader.config_mut().trim_text(false);
    let mut top = Vec::new();
    let mut open: Vec<Element> = Vec::new();
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|error| {
            RenderError::body(
                FORMAT,
                usize::try_from(reader.error_position()).unwrap_or(usize::MAX),
                error.to_string(),
            )
        })?;
        let node = match event {
            Event::Start(start) => {
                if open.len() >= MAX_DEPTH {
                    return Err(RenderError::body(
                        FORMAT,
                        position as usize,
                        "nesting deeper than 256 levels",
                    ));
                }
                open.push(start_element(&start, position, false)?);
                continue;
            }
            Event::End(_) => match open.pop() {
                Some(element) => Node::Element(element),
                None => {
                    return Err(RenderError::body(
                        FORMAT,
                        position as usize,
                        "closing tag without an open element",
                    ))
                }
            },
            Event::Empty(start) => Node::Element(start_element(&start, position, true)?),
            Event::Text(text) => Node::Text(utf8(&text, position)?),
            Event::GeneralRef(reference) => {
                Node::Text(format!("&{};", utf8(&reference, position)?))
            }
            Event::CData(data) => Node::CData(utf8(&data, position)?),
            Event::Comment(comment) => Node::Comment(utf8(&comment, position)?),
            Event::Decl(decl) => Node::Markup(format!("<?{}?>", utf8(&decl, position)?)),
            Event::PI(pi) => Node::Markup(format!("<?{}?>", utf8(&pi, position)?)),
            Event::DocType(doctype) => {
                Node::Markup(format!("<!DOCTYPE {}>", utf8(&doctype, position)?))
            }
            Event::Eof => break,
        };
        match open.last_mut() {
            Some(parent) => push_node(&mut parent.children, node),
            None => push_node(&mut top, node),
        }
    }
    if let Some(element) = open.last() {
        return Err(RenderError::body(
            FORMAT,
            text.len(),
            format!("unexpected end of input inside <{}>", element.name),
        ));
    }
    if !top.iter().any(|node| matches!(node, Node::Element(_))) {
        return Err(RenderError::body(FORMAT, 0, "no root element"));
    }
    if top
        .iter()
        .any(|node| matches!(node, Node::Text(text) if !text.trim().is_empty()))
    {
        return Err(RenderError::body(
            FORMAT,
            0,
            "text outside the root element",
        ));
    }
    Ok(top)
}

/// Appends `node`, merging adjacent text (quick-xml reports entity references separately).
fn push_node(nodes: &mut Vec<Node>, node: Node) {
    if let (Some(Node::Text(previous)), Node::Text(text)) = (nodes.last_mut(), &node) {
        previous.push_str(text);
        return;
    }
    nodes.push(node);
}

fn canonicalize(node: &mut Node) {
    let Node::Element(element) = node else {
        return;
    };
    element.children.iter_mut().for_each(canonicalize);
    let mut start = 0;
    while start < element.children.len() {
        let end = run_end(&element.children, start);
        if end - start > 1 {
            element.children[start..end].sort_by_cached_key(|child| {
                let mut text = String::new();
                print(child, 0, &mut text);
                mask_uuids(&text).into_owned()
            });
        }
        start = end.max(start + 1);
    }
}

/// The end of the run of map entries starting at `start` (`start` itself when none starts there).
fn run_end(children: &[Node], start: usize) -> usize {
    let is_entry = |node: &Node, name: &str| match node {
        Node::Element(element) if element.name == name => {
            element.local_name() == "entry" || element.is_key_value_pair()
        }
        _ => false,
    };
    let Some(Node::Element(first)) = children.get(start) else {
        return start;
    };
    let name = first.name.as_str();
    let mut end = start;
    while end < children.len() {
        match &children[end] {
            node if is_entry(node, name) => end += 1,
            // Formatting whitespace between entries does not end the run.
            Node::Text(text) if text.trim().is_empty() => end += 1,
            _ => break,
        }
    }
    // Do not swallow trailing whitespace; it belongs to the parent's layout.
    while end > start && !matches!(children[end - 1], Node::Element(_)) {
        end -= 1;
    }
    end
}

fn push_indent(level: usize, out: &mut String) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn print(node: &Node, level: usize, out: &mut String) {
    match node {
        Node::Element(element) => print_element(element, level, out),
        Node::Text(text) => {
            let text = text.trim();
            if !text.is_empty() {
                push_indent(level, out);
                out.push_str(text);
                out.push('\n');
            }
        }
        Node::CData(data) => {
            push_indent(level, out);
            out.push_str(&format!("<![CDATA[{data}]]>\n"));
        }
        Node::Comment(comment) => {
            push_indent(level, out);
            out.push_str(&format!("<!--{comment}-->\n"));
        }
        Node::Markup(markup) => {
            push_indent(level, out);
            out.push_str(markup);
            out.push('\n');
        }
    }
}

fn print_element(element: &Element, level: usize, out: &mut String) {
    push_indent(level, out);
    out.push('<');
    out.push_str(&element.name);
    for (name, value) in &element.attributes {
        // The quote style is not kept by the parser; pick one the value cannot break.
        let quote = if value.contains('"') { '\'' } else { '"' };
        out.push_str(&format!(" {name}={quote}{value}{quote}"));
    }
    let only_text = element
        .children
        .iter()
        .all(|child| matches!(child, Node::Text(_) | Node::CData(_)));
    if element.children.is_empty() {
        out.push_str(if element.self_closing { "/>\n" } else { "></" });
        if !element.self_closing {
            out.push_str(&element.name);
            out.push_str(">\n");
        }
    } else if only_text {
        out.push('>');
        for child in &element.children {
            match child {
                Node::Text(text) => out.push_str(text),
                Node::CData(data) => out.push_str(&format!("<![CDATA[{data}]]>")),
                _ => {}
            }
        }
        out.push_str(&format!("</{}>\n", element.name));
    } else {
        out.push_str(">\n");
        for child in &element.children {
            print(child, level + 1, out);
        }
        push_indent(level, out);
        out.push_str(&format!("</{}>\n", element.name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_and_keeps_text_exact() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?><CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>a &amp; b&lt;</LocationConstraint><Empty/><Blank></Blank><Tags><Tag><Key>k</Key><Value>v</Value></Tag></Tags></CreateBucketConfiguration>"#;
        assert_eq!(
            format(body).unwrap(),
            r#"<?xml version="1.0" encoding="UTF-8"?>
<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <LocationConstraint>a &amp; b&lt;</LocationConstraint>
  <Empty/>
  <Blank></Blank>
  <Tags>
    <Tag>
      <Key>k</Key>
      <Value>v</Value>
    </Tag>
  </Tags>
</CreateBucketConfiguration>"#
        );
    }

    fn document(map_order: [&str; 3], list_order: [&str; 3]) -> String {
        let entries: String = map_order
            .iter()
            .map(|k| format!("<entry><key>{k}</key><value>v{k}</value></entry>"))
            .collect();
        let flat: String = map_order
            .iter()
            .map(|k| format!("<Attr><key>{k}</key><value>{k}</value></Attr>"))
            .collect();
        let list: String = list_order
            .iter()
            .map(|k| format!("<member>{k}</member>"))
            .collect();
        format!("<R><Map>{entries}</Map>{flat}<List>{list}</List></R>")
    }

    #[test]
    fn sorts_map_entries() {
        let list = ["b", "c", "a"];
        let one = format(document(["key1", "key2", "key3"], list).as_bytes()).unwrap();
        let two = format(document(["key3", "key1", "key2"], list).as_bytes()).unwrap();
        assert_eq!(one, two);
        assert!(one.contains("<key>key1</key>\n      <value>vkey1</value>\n    </entry>\n    <entry>\n      <key>key2</key>"), "{one}");
    }

    #[test]
    fn keeps_list_order() {
        let map = ["key1", "key2", "key3"];
        let text = format(document(map, ["b", "c", "a"]).as_bytes()).unwrap();
        assert!(
            text.contains("<member>b</member>\n    <member>c</member>\n    <member>a</member>"),
            "{text}"
        );
    }

    #[test]
    fn rejects_malformed_xml() {
        assert!(format(b"<a><b></a>").is_err());
        assert!(format(b"<a>").is_err());
        assert!(format(b"just text").is_err());
        assert!(format(b"<a x='1' x='2'/>").is_err());
    }
}
