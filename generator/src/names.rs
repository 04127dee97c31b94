//! The one place that turns names from the document into Rust identifiers.
//!
//! Every name is ASCII, starts with a letter, avoids keywords (raw
//! identifiers where Rust allows them, a trailing `_` where it does not) and
//! is made unique within its scope by [`Scope`].

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::model::Status;

/// Rust keywords (2021 edition, strict and reserved).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

/// Type names that would shadow the prelude or names the generated code uses unqualified.
const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Debug",
    "Display",
    "Serialize",
    "Deserialize",
    "Deserializer",
    "Serializer",
    "From",
    "Into",
    "Iterator",
    "ToString",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
];

/// Items of every generated crate's root that a generated type must not
/// share a name with, so that `types::Error` is never mistaken for
/// `crate::Error`: such a type gets `Details` (`ErrorDetails`).
const CRATE_ITEMS: &[&str] = &["Error", "Client"];

/// Keeps ASCII letters and digits, turning everything else into word breaks.
fn ascii_words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// `UpperCamelCase` name for a type or variant.
pub fn type_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = if raw.is_empty() {
            "Empty".to_owned()
        } else {
            "Value".to_owned()
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Type");
    } else if CRATE_ITEMS.contains(&name.as_str()) {
        name.push_str("Details");
    }
    name
}

/// `UpperCamelCase` name for an enum variant (which cannot shadow anything).
pub fn variant_name(raw: &str) -> String {
    let name = type_name(raw);
    if let Some(base) = name.strip_suffix("Type") {
        if RESERVED_TYPES.contains(&base) && base != "Self" && !raw.ends_with("Type") {
            return base.to_owned();
        }
    }
    if let Some(base) = name.strip_suffix("Details") {
        if CRATE_ITEMS.contains(&base) && !raw.ends_with("Details") {
            return base.to_owned();
        }
    }
    name
}

/// `snake_case` name for a tag's accessor on the client (and its module),
/// as a user would guess it: a short word with a leading acronym stays one
/// word (`OAuth` → `oauth`, not `o_auth`), and a trailing `Endpoints` says
/// nothing (`OAuth Endpoints` → `oauth`).
pub fn accessor_name(tag: &str) -> String {
    let spaced = ascii_words(tag);
    let mut words: Vec<&str> = spaced.split_whitespace().collect();
    if words.len() > 1
        && words
            .last()
            .is_some_and(|w| w.eq_ignore_ascii_case("endpoints"))
    {
        words.pop();
    }
    let joined = words
        .iter()
        .map(|word| {
            let chars: Vec<char> = word.chars().collect();
            let acronym_led = chars.len() <= 6
                && chars.len() >= 3
                && chars[0].is_ascii_uppercase()
                && chars[1].is_ascii_uppercase()
                && chars[2..].iter().all(|c| c.is_ascii_lowercase());
            if acronym_led {
                word.to_ascii_lowercase()
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    field_name(&joined)
}

/// `snake_case` name for a field, argument, method or module.
pub fn field_name(raw: &str) -> String {
    let mut name = ascii_words(raw).to_snake_case();
    if name.is_empty() {
        name = if raw.is_empty() {
            "empty".to_owned()
        } else {
            "value".to_owned()
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    escape_keyword(name)
}

/// Makes a keyword usable: `r#type`, or `self_` where raw identifiers are not allowed.
fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A cargo package name from a document's `info.title`: lower-case words
/// joined by `-` (`Sunshine Conversations API` → `sunshine-conversations-api`).
/// `None` when the title has no letters or digits to make one from.
pub fn crate_name(title: &str) -> Option<String> {
    // Words as the title writes them, lower-cased: `OpenAI API` is
    // `openai-api`, the way people spell it, not `open-ai-api`.
    let name = ascii_words(title)
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("-");
    if name.is_empty() {
        return None;
    }
    // A package name must start with a letter.
    Some(if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else {
        name
    })
}

/// Whether `name` can name a cargo package, and so (with `-` as `_`) the
/// library the generated code refers to.
pub fn is_package_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !KEYWORDS.contains(&library_name(name).as_str())
}

/// Why `name` cannot name a package, as every command and the library say it.
pub fn package_name_problem(name: &str) -> String {
    format!(
        "`{name}` is not a valid crate name: use ASCII letters, digits, `-` and `_`, starting with a letter"
    )
}

/// The library name of package `name`: what code writes (`-` becomes `_`,
/// as Cargo does).
pub fn library_name(name: &str) -> String {
    name.replace('-', "_")
}

/// A namespace in which every name handed out is unique.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            taken: reserved.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Returns `candidate`, or `candidate2`, `candidate3`… if taken, and takes it.
    pub fn claim(&mut self, candidate: &str) -> String {
        let base = candidate.strip_prefix("r#").unwrap_or(candidate);
        let mut name = candidate.to_owned();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    /// Whether `name` is already taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// A variant name for a status: `Ok`, `NotFound`, `Status418`, `ClientError`, `Default`.
pub fn status_word(status: Status) -> String {
    match status {
        Status::Code(code) => match code {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            204 => "NoContent",
            301 => "MovedPermanently",
            302 => "Found",
            303 => "SeeOther",
            304 => "NotModified",
            307 => "TemporaryRedirect",
            308 => "PermanentRedirect",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            408 => "RequestTimeout",
            409 => "Conflict",
            410 => "Gone",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            423 => "Locked",
            429 => "TooManyRequests",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ => return format!("Status{code}"),
        }
        .to_owned(),
        Status::Range(2) => "Success".to_owned(),
        Status::Range(3) => "Redirection".to_owned(),
        Status::Range(4) => "ClientError".to_owned(),
        Status::Range(5) => "ServerError".to_owned(),
        Status::Range(other) => format!("Status{other}xx"),
        Status::Default => "Default".to_owned(),
    }
}

/// The JSON name serde's `rename_all = "camelCase"` gives the field `name`
/// (without `r#`): each `_` dropped and the character after it upper-cased,
/// the first character lower-cased. `None` where serde's rule would not
/// apply cleanly (an empty or non-ASCII name): such fields keep their own
/// `rename`.
pub fn camel_case(name: &str) -> Option<String> {
    if name.is_empty() || !name.is_ascii() {
        return None;
    }
    let mut pascal = String::with_capacity(name.len());
    let mut capitalize = true;
    for ch in name.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(ch);
        }
    }
    let mut chars = pascal.chars();
    let first = chars.next()?;
    Some(first.to_ascii_lowercase().to_string() + chars.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_camel_case_and_valid() {
        assert_eq!(type_name("passControlBody"), "PassControlBody");
        assert_eq!(
            type_name("switchboard:passControl"),
            "SwitchboardPassControl"
        );
        assert_eq!(type_name("1st"), "N1st");
        assert_eq!(type_name(""), "Empty");
        assert_eq!(type_name("-"), "Value");
        assert_eq!(type_name("in-active"), "InActive");
        assert_eq!(type_name("option"), "OptionType");
        assert_eq!(type_name("Self"), "SelfType");
    }

    #[test]
    fn fields_are_snake_case_and_escape_keywords() {
        assert_eq!(
            field_name("switchboardIntegration"),
            "switchboard_integration"
        );
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("identities.email"), "identities_email");
        assert_eq!(field_name("2fa"), "n2fa");
        assert_eq!(field_name("page[after]"), "page_after");
    }

    #[test]
    fn types_never_share_a_name_with_the_crates_own_items() {
        assert_eq!(type_name("error"), "ErrorDetails");
        assert_eq!(type_name("client"), "ClientDetails");
        assert_eq!(type_name("result"), "ResultType");
        // Variants cannot shadow anything: they keep the plain name.
        assert_eq!(variant_name("error"), "Error");
        assert_eq!(variant_name("client"), "Client");
        assert_eq!(variant_name("clientDetails"), "ClientDetails");
    }

    #[test]
    fn package_names_are_checked() {
        assert!(is_package_name("sunshine-conversations"));
        assert!(is_package_name("full_17_12_1"));
        assert!(!is_package_name("full-17.12.1"));
        assert!(!is_package_name("17-full"));
        assert!(!is_package_name(""));
        assert!(!is_package_name("type"));
    }

    #[test]
    fn crate_names_come_from_titles() {
        assert_eq!(
            crate_name("Sunshine Conversations API").as_deref(),
            Some("sunshine-conversations-api")
        );
        assert_eq!(
            crate_name("Swagger Petstore - OpenAPI 3.0").as_deref(),
            Some("swagger-petstore-openapi-3-0")
        );
        assert_eq!(crate_name("OpenAI API").as_deref(), Some("openai-api"));
        assert_eq!(
            crate_name("Box Platform API").as_deref(),
            Some("box-platform-api")
        );
        assert_eq!(
            crate_name("3D Printing").as_deref(),
            Some("api-3d-printing")
        );
        assert_eq!(crate_name("¡!").as_deref(), None);
    }

    #[test]
    fn accessors_read_as_users_would_guess_them() {
        assert_eq!(accessor_name("OAuth Endpoints"), "oauth");
        assert_eq!(accessor_name("Webhooks"), "webhooks");
        assert_eq!(accessor_name("Switchboard Actions"), "switchboard_actions");
        assert_eq!(
            accessor_name("CustomIntegrationApiKeys"),
            "custom_integration_api_keys"
        );
        assert_eq!(accessor_name("App Keys"), "app_keys");
        assert_eq!(accessor_name("Endpoints"), "endpoints");
        assert_eq!(accessor_name("type"), "r#type");
    }

    #[test]
    fn scope_suffixes_collisions() {
        let mut scope = Scope::with_reserved(["Unknown"]);
        assert_eq!(scope.claim("InActive"), "InActive");
        assert_eq!(scope.claim("InActive"), "InActive2");
        assert_eq!(scope.claim("Unknown"), "Unknown2");
        assert_eq!(scope.claim("r#type"), "r#type");
        assert_eq!(scope.claim("r#type"), "type2");
    }
}

#[cfg(test)]
mod camel_case_tests {
    use super::camel_case;

    /// Field names of every kind the generator makes, renamed by serde
    /// itself: `camel_case` must agree with it, or a field would be sent
    /// under another name.
    #[allow(non_snake_case, dead_code)]
    #[derive(Default, serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Fields {
        display_name: u8,
        r#type: u8,
        id: u8,
        a_b_c: u8,
        url_2: u8,
        v2_api_key: u8,
        a__b: u8,
        _leading: u8,
        trailing_: u8,
        already_camelCase: u8,
        X_upper: u8,
        abc1_x: u8,
    }

    #[test]
    fn agrees_with_serde() {
        let names = [
            "display_name",
            "type",
            "id",
            "a_b_c",
            "url_2",
            "v2_api_key",
            "a__b",
            "_leading",
            "trailing_",
            "already_camelCase",
            "X_upper",
            "abc1_x",
        ];
        let serde_json::Value::Object(renamed) =
            serde_json::to_value(Fields::default()).expect("serializes")
        else {
            panic!("a struct serializes to an object");
        };
        let renamed: Vec<&String> = renamed.keys().collect();
        let ours: Vec<String> = names
            .iter()
            .map(|name| camel_case(name).expect("ASCII"))
            .collect();
        assert_eq!(renamed, ours.iter().collect::<Vec<_>>());
        assert_eq!(camel_case(""), None);
        assert_eq!(camel_case("ünï"), None);
    }
}
