//! smithy-rs's Rust naming conventions, re-implemented from their documented behaviour:
//! member names in snake_case with its word-boundary rules, type names in PascalCase via
//! Smithy's `CaseUtils`, keyword escaping and the client's reserved member renames.
//! The generated crate's own source is the ground truth; tests check names against it.

/// Words smithy-rs keeps whole even though their casing suggests a boundary (`IPv4`, `MiB`).
const COMPLETE_WORDS: [&str; 7] = ["ipv4", "ipv6", "sigv4", "mib", "gib", "kib", "ttl"];

const RUST_KEYWORDS: [&str; 50] = [
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield",
];

/// Identifiers that cannot be raw identifiers, and what smithy-rs uses instead.
const NON_RAW_ESCAPES: [(&str, &str); 5] = [
    ("crate", "crate_"),
    ("super", "super_"),
    ("self", "self_"),
    ("Self", "SelfValue"),
    ("SelfValue", "SelfValue_"),
];

/// Structure member names that would clash with builder or client methods.
const STRUCTURE_MEMBER_RENAMES: [(&str, &str); 8] = [
    ("build", "build_value"),
    ("builder", "builder_value"),
    ("default", "default_value"),
    ("send", "send_value"),
    ("make_operation", "make_operation_value"),
    ("presigned", "presigned_value"),
    ("customize", "customize_value"),
    ("meta", "meta_value"),
];

/// Union variants that would clash with the generated `Unknown` variant.
const UNION_MEMBER_RENAMES: [(&str, &str); 2] = [
    ("Unknown", "UnknownValue"),
    ("UnknownValue", "UnknownValue_"),
];

fn is_keyword(word: &str) -> bool {
    RUST_KEYWORDS.contains(&word)
        || NON_RAW_ESCAPES
            .iter()
            .any(|(reserved, _)| *reserved == word)
}

/// Splits an identifier into lower-case words the way smithy-rs does for snake_case.
fn split_words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let all_lower = text.to_lowercase() == text;
    let mut words = Vec::new();
    let mut current = String::new();
    let mut complete_word_in_progress = true;
    let emit =
        |current: &mut String, next: char, words: &mut Vec<String>, in_progress: &mut bool| {
            *in_progress = true;
            if !current.is_empty() {
                words.push(current.to_lowercase());
            }
            current.clear();
            if next.is_alphanumeric() {
                current.push(next);
            }
        };
    for (index, &next) in chars.iter().enumerate() {
        let rest: String = chars[index..].iter().collect();
        let mut completes_word = |current: &str| {
            let continuing = complete_word_in_progress
                && !current.is_empty()
                && COMPLETE_WORDS.iter().any(|word| {
                    let candidate = format!("{current}{rest}").to_lowercase();
                    word.starts_with(&current.to_lowercase())
                        && candidate.starts_with(word)
                        && !word.eq_ignore_ascii_case(current)
                });
            complete_word_in_progress = continuing;
            continuing
        };
        if !next.is_alphanumeric() {
            emit(
                &mut current,
                next,
                &mut words,
                &mut complete_word_in_progress,
            );
        } else if current.is_empty() {
            current.push(next);
        } else if (!completes_word(&current) && lower_followed_by_upper(&current, next))
            || (!completes_word(&current) && all_lower && digit_followed_by_lower(&current, next))
            || end_of_acronym(
                &current,
                next,
                chars.get(index + 1).copied(),
                chars.get(index + 2).copied(),
            )
        {
            emit(
                &mut current,
                next,
                &mut words,
                &mut complete_word_in_progress,
            );
        } else {
            current.push(next);
        }
    }
    if !current.is_empty() {
        words.push(current.to_lowercase());
    }
    words
}

fn last_char(text: &str) -> Option<char> {
    text.chars().last()
}

/// `DB[P]roxy` and `IAM[U]ser` end an acronym; `AC[L]s` and `DynamoD[B]v2` do not.
fn end_of_acronym(
    current: &str,
    next: char,
    peek: Option<char>,
    double_peek: Option<char>,
) -> bool {
    if !last_char(current).is_some_and(char::is_uppercase) || !next.is_uppercase() {
        return false;
    }
    let Some(peek) = peek.filter(|c| c.is_lowercase()) else {
        return false;
    };
    if peek == 's' && !double_peek.is_some_and(char::is_lowercase) {
        return false;
    }
    if peek == 'v' && double_peek.is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    true
}

fn lower_followed_by_upper(current: &str, next: char) -> bool {
    next.is_uppercase()
        && last_char(current).is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
}

fn digit_followed_by_lower(current: &str, next: char) -> bool {
    last_char(current).is_some_and(|c| c.is_ascii_digit()) && next.is_lowercase()
}

/// smithy-rs's `toSnakeCase`: `ChecksumCRC64NVME` → `checksum_crc64_nvme`, `ETag` → `e_tag`.
pub fn snake_case(text: &str) -> String {
    split_words(text).join("_")
}

/// Smithy `CaseUtils.toSnakeCase` (the elephant-bird rules), used before PascalCase.
fn case_utils_snake(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    // ([A-Z]+)([A-Z][a-z]) → $1_$2
    let mut first = String::new();
    for (index, &c) in chars.iter().enumerate() {
        let previous_upper = index > 0 && chars[index - 1].is_ascii_uppercase();
        let starts_word = c.is_ascii_uppercase()
            && chars.get(index + 1).is_some_and(|n| n.is_ascii_lowercase())
            && previous_upper;
        if starts_word {
            first.push('_');
        }
        first.push(c);
    }
    // ([a-z\d])([A-Z]) → $1_$2
    let chars: Vec<char> = first.chars().collect();
    let mut second = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase()
            && index > 0
            && (chars[index - 1].is_ascii_lowercase() || chars[index - 1].is_ascii_digit())
        {
            second.push('_');
        }
        second.push(c);
    }
    second
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == '-' {
                '_'
            } else {
                c
            }
        })
        .collect::<String>()
        .to_lowercase()
}

/// smithy-rs's `toPascalCase` (Smithy `CaseUtils`): `SSEKMS` → `Ssekms`, `S3KeyFilter` → `S3KeyFilter`.
pub fn pascal_case(text: &str) -> String {
    let snake = case_utils_snake(text);
    let mut out = String::new();
    let mut capitalize_next = true;
    for c in snake.chars() {
        if c == '_' || c == ' ' {
            capitalize_next = !out.is_empty();
        } else if capitalize_next || out.is_empty() {
            out.extend(c.to_uppercase());
            capitalize_next = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes a Rust keyword the way smithy-rs does for members (`r#type`, `self_`).
pub fn escape_keyword(word: &str) -> String {
    if let Some((_, escaped)) = NON_RAW_ESCAPES
        .iter()
        .find(|(reserved, _)| *reserved == word)
    {
        return (*escaped).to_owned();
    }
    if is_keyword(word) {
        format!("r#{word}")
    } else {
        word.to_owned()
    }
}

/// Prefixes a leading digit with `_` so the name is an identifier.
fn guard_leading_digit(name: String) -> String {
    let digits_start = name.trim_start_matches('_');
    if digits_start.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    }
}

/// The Rust field/setter name of a structure member (`RoleArn` → `role_arn`, `Type` → `r#type`).
pub fn structure_member(member_name: &str) -> String {
    let base = snake_case(member_name);
    let renamed = STRUCTURE_MEMBER_RENAMES
        .iter()
        .find(|(from, _)| *from == base)
        .map(|(_, to)| (*to).to_owned())
        .unwrap_or_else(|| escape_keyword(&base));
    guard_leading_digit(renamed)
}

/// The builder setter of a structure member: `set_` and the member name in snake_case,
/// without the field's renames or escapes (`Type` → `set_type`, `Build` → `set_build`,
/// `Self` → `set_self`), as smithy-rs's `setterName` is never a keyword.
pub fn setter(member_name: &str) -> String {
    format!("set_{}", snake_case(member_name))
}

/// The Rust variant name of a union member (`AudioEvent`, `Unknown` → `UnknownValue`).
pub fn union_variant(member_name: &str) -> String {
    let base = pascal_case(member_name);
    let renamed = UNION_MEMBER_RENAMES
        .iter()
        .find(|(from, _)| *from == base)
        .map(|(_, to)| (*to).to_owned())
        .unwrap_or_else(|| escape_keyword(&base));
    guard_leading_digit(renamed)
}

/// The Rust type name of a structure, union or enum, given its name inside the service
/// (after `rename`): `tagKeyType` → `TagKeyType`, `SSEKMS` → `Ssekms`.
pub fn type_name(service_name: &str) -> String {
    escape_type(pascal_case(service_name))
}

fn escape_type(name: String) -> String {
    match NON_RAW_ESCAPES
        .iter()
        .find(|(reserved, _)| *reserved == name)
    {
        Some((_, escaped)) => (*escaped).to_owned(),
        None => name,
    }
}

/// The fluent method and module name of an operation (`AssumeRole` → `assume_role`).
pub fn operation_fn(operation_name: &str) -> String {
    escape_keyword(&snake_case(operation_name))
}

/// The Rust library name of a crate (`aws-sdk-sts` → `aws_sdk_sts`).
pub fn crate_lib_name(package: &str) -> String {
    package.replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_follows_smithy_rs() {
        let cases = [
            ("RoleArn", "role_arn"),
            ("ETag", "e_tag"),
            ("ChecksumCRC32C", "checksum_crc32_c"),
            ("ChecksumCRC64NVME", "checksum_crc64_nvme"),
            ("SSECustomerKeyMD5", "sse_customer_key_md5"),
            ("DBProxy", "db_proxy"),
            ("IAMUser", "iam_user"),
            ("ACLs", "acls"),
            ("ARNs", "arns"),
            ("DynamoDBv2", "dynamo_dbv2"),
            ("IPv6Address", "ipv6_address"),
            ("SizeInMiB", "size_in_mib"),
            ("s3key", "s3_key"),
            ("already_snake", "already_snake"),
            ("MD5OfMessageBody", "md5_of_message_body"),
            ("x-amz-date", "x_amz_date"),
        ];
        for (input, expected) in cases {
            assert_eq!(snake_case(input), expected, "snake_case({input})");
        }
    }

    #[test]
    fn pascal_case_follows_case_utils() {
        let cases = [
            ("SSEKMS", "Ssekms"),
            ("S3KeyFilter", "S3KeyFilter"),
            ("tagKeyType", "TagKeyType"),
            ("AudioEvent", "AudioEvent"),
            ("CORSRule", "CorsRule"),
            ("KMSKeyArn", "KmsKeyArn"),
        ];
        for (input, expected) in cases {
            assert_eq!(pascal_case(input), expected, "pascal_case({input})");
        }
    }

    #[test]
    fn reserved_words_are_escaped() {
        assert_eq!(structure_member("Type"), "r#type");
        assert_eq!(structure_member("Self"), "self_");
        assert_eq!(structure_member("Build"), "build_value");
        assert_eq!(structure_member("Meta"), "meta_value");
        assert_eq!(structure_member("Match"), "r#match");
        assert_eq!(setter("Type"), "set_type");
        assert_eq!(setter("Build"), "set_build");
        assert_eq!(setter("Self"), "set_self");
        assert_eq!(setter("Match"), "set_match");
        assert_eq!(union_variant("Unknown"), "UnknownValue");
        assert_eq!(type_name("Self"), "SelfValue");
        assert_eq!(operation_fn("AssumeRole"), "assume_role");
    }
}
