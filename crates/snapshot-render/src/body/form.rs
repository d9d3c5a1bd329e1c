//! `application/x-www-form-urlencoded` bodies (awsQuery, ec2Query) and URI query strings.
//!
//! Parameters are shown one per line exactly as sent (percent-encoding kept), so that an
//! encoding change is visible. Map order is canonicalized:
//!
//! * awsQuery maps are sent as numbered groups, `Prefix.entry.N.key=...&Prefix.entry.N.value=...`
//!   (or, flattened, `Prefix.N.key` / `Prefix.N.value`), numbered in `HashMap` order. The
//!   groups of one map are sorted by their content and renumbered from 1, at the place where
//!   the map's first parameter was. Nested maps inside a group are canonicalized first.
//!   A flattened map is recognized only when every group under its prefix consists of `key`
//!   and `value` parameters (Smithy's default member names).
//! * Everything else keeps the client's order: list members are numbered by position.

use crate::errors::RenderError;
use snapshot_normalize::uuid::mask_uuids;

/// One `name=value` pair, both as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Param {
    pub(crate) name: String,
    /// `None` when the pair had no `=`.
    pub(crate) value: Option<String>,
}

impl Param {
    fn line(&self) -> String {
        match &self.value {
            Some(value) => format!("{}={value}", self.name),
            None => self.name.clone(),
        }
    }
}

/// Splits `a=1&b=2` into parameters; empty pieces (`a=1&&b`) are dropped.
pub(crate) fn parse(text: &str) -> Vec<Param> {
    text.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| match piece.split_once('=') {
            Some((name, value)) => Param {
                name: name.to_owned(),
                value: Some(value.to_owned()),
            },
            None => Param {
                name: piece.to_owned(),
                value: None,
            },
        })
        .collect()
}

/// A form body, one parameter per line, awsQuery maps in canonical order.
pub(crate) fn format(bytes: &[u8]) -> Result<String, RenderError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|error| RenderError::body("form", error.valid_up_to(), "invalid UTF-8"))?;
    let lines: Vec<String> = canonicalize_maps(parse(text.trim_end_matches(['\r', '\n'])))
        .iter()
        .map(Param::line)
        .collect();
    Ok(lines.join("\n"))
}

/// Where a parameter name enters a map: `prefix`, the group number, the rest of the name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MapSlot {
    /// Everything before the group number, including `.entry` for non-flattened maps.
    prefix: String,
    flattened: bool,
    rest: String,
    index: String,
}

fn is_number(segment: &str) -> bool {
    !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit())
}

/// The first map marker in `name`, if any.
fn map_slot(name: &str) -> Option<MapSlot> {
    let segments: Vec<&str> = name.split('.').collect();
    for i in 1..segments.len() {
        if segments[i] == "entry" && i + 2 < segments.len() && is_number(segments[i + 1]) {
            return Some(MapSlot {
                prefix: segments[..=i].join("."),
                flattened: false,
                index: segments[i + 1].to_owned(),
                rest: segments[i + 2..].join("."),
            });
        }
        if is_number(segments[i])
            && i + 1 < segments.len()
            && matches!(segments[i + 1], "key" | "value")
        {
            return Some(MapSlot {
                prefix: segments[..i].join("."),
                flattened: true,
                index: segments[i].to_owned(),
                rest: segments[i + 1..].join("."),
            });
        }
    }
    None
}

/// True when every parameter numbered under `prefix` is a `key` or `value` parameter, so the
/// numbered groups are a flattened map rather than a flattened list of structures.
fn is_flattened_map(params: &[Param], prefix: &str) -> bool {
    params.iter().all(|param| {
        let Some(rest) = param
            .name
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('.'))
        else {
            return true;
        };
        let mut segments = rest.splitn(3, '.');
        match (segments.next(), segments.next()) {
            (Some(index), Some(member)) if is_number(index) => member == "key" || member == "value",
            _ => true,
        }
    })
}

/// Sorts and renumbers the groups of every awsQuery map; other parameters keep their order.
pub(crate) fn canonicalize_maps(params: Vec<Param>) -> Vec<Param> {
    let slots: Vec<Option<MapSlot>> = params
        .iter()
        .map(|param| {
            map_slot(&param.name)
                .filter(|slot| !slot.flattened || is_flattened_map(&params, &slot.prefix))
        })
        .collect();
    let mut out = Vec::with_capacity(params.len());
    let mut emitted: Vec<(String, bool)> = Vec::new();
    for (param, slot) in params.iter().zip(&slots) {
        let Some(slot) = slot else {
            out.push(param.clone());
            continue;
        };
        let map = (slot.prefix.clone(), slot.flattened);
        if emitted.contains(&map) {
            continue;
        }
        // Collect the groups of this map, in order of first appearance.
        let mut groups: Vec<(String, Vec<Param>)> = Vec::new();
        for (other, other_slot) in params.iter().zip(&slots) {
            let Some(other_slot) = other_slot else {
                continue;
            };
            if other_slot.prefix != slot.prefix || other_slot.flattened != slot.flattened {
                continue;
            }
            let member = Param {
                name: other_slot.rest.clone(),
                value: other.value.clone(),
            };
            match groups
                .iter_mut()
                .find(|(index, _)| *index == other_slot.index)
            {
                Some((_, members)) => members.push(member),
                None => groups.push((other_slot.index.clone(), vec![member])),
            }
        }
        let mut groups: Vec<Vec<Param>> = groups
            .into_iter()
            .map(|(_, members)| canonicalize_maps(members))
            .collect();
        groups.sort_by_cached_key(|members| {
            let text: Vec<String> = members.iter().map(Param::line).collect();
            mask_uuids(&text.join("\n")).into_owned()
        });
        for (number, members) in groups.into_iter().enumerate() {
            for member in members {
                out.push(Param {
                    name: format!("{}.{}.{}", slot.prefix, number + 1, member.name),
                    value: member.value,
                });
            }
        }
        emitted.push(map);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(body: &str) -> String {
        format(body.as_bytes()).unwrap()
    }

    #[test]
    fn one_parameter_per_line_exactly_as_sent() {
        assert_eq!(
            lines("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam&Tags.member.1.Key=a%20b&Flag"),
            "Action=AssumeRole\nVersion=2011-06-15\nRoleArn=arn%3Aaws%3Aiam\nTags.member.1.Key=a%20b\nFlag"
        );
    }

    #[test]
    fn renumbers_map_groups_by_content() {
        let sent = "Action=CreateTopic&Attributes.entry.1.key=key3&Attributes.entry.1.value=c\
                    &Attributes.entry.2.key=key1&Attributes.entry.2.value=a\
                    &Attributes.entry.3.key=key2&Attributes.entry.3.value=b&Name=n";
        assert_eq!(
            lines(sent),
            "Action=CreateTopic\n\
             Attributes.entry.1.key=key1\nAttributes.entry.1.value=a\n\
             Attributes.entry.2.key=key2\nAttributes.entry.2.value=b\n\
             Attributes.entry.3.key=key3\nAttributes.entry.3.value=c\n\
             Name=n"
        );
    }

    #[test]
    fn nested_and_flattened_maps_are_canonical() {
        let one = "M.entry.1.key=b&M.entry.1.value.entry.1.key=y&M.entry.1.value.entry.1.value=2\
                   &M.entry.1.value.entry.2.key=x&M.entry.1.value.entry.2.value=1\
                   &M.entry.2.key=a&M.entry.2.value.entry.1.key=z&M.entry.2.value.entry.1.value=3\
                   &F.1.key=k2&F.1.value=v2&F.2.key=k1&F.2.value=v1";
        let two = "M.entry.1.key=a&M.entry.1.value.entry.1.key=z&M.entry.1.value.entry.1.value=3\
                   &M.entry.2.key=b&M.entry.2.value.entry.1.key=x&M.entry.2.value.entry.1.value=1\
                   &M.entry.2.value.entry.2.key=y&M.entry.2.value.entry.2.value=2\
                   &F.1.key=k1&F.1.value=v1&F.2.key=k2&F.2.value=v2";
        assert_eq!(lines(one), lines(two));
        assert!(lines(one).starts_with("M.entry.1.key=a\nM.entry.1.value.entry.1.key=z"));
        assert!(lines(one).ends_with("F.1.key=k1\nF.1.value=v1\nF.2.key=k2\nF.2.value=v2"));
    }

    #[test]
    fn lists_keep_their_order() {
        let sent =
            "L.member.2.Name=b&L.member.1.Name=a&S.1.key=x&S.1.Other=1&S.2.key=w&S.2.Other=2";
        assert_eq!(
            lines(sent),
            "L.member.2.Name=b\nL.member.1.Name=a\nS.1.key=x\nS.1.Other=1\nS.2.key=w\nS.2.Other=2"
        );
    }
}
