//! Servers: each a variant of `Server`, named by its `x-rust-name`, its
//! host or its description, and its URL variables; in name order.

use serde_json::Value;

use super::docs::doc;
use crate::diagnostics::{child, Diagnostic, Diagnostics};
use crate::model::{Server, ServerVariable};
use crate::names::{self, Scope};

pub(super) fn lower_servers(
    servers: &[openapiv3::Server],
    diagnostics: &mut Diagnostics,
) -> Vec<Server> {
    let mut scope = Scope::default();
    let mut out: Vec<Server> = servers
        .iter()
        .enumerate()
        .map(|(index, server)| {
            let pointer = child("#/servers", &index.to_string());
            let explicit = server.extensions.get("x-rust-name").and_then(Value::as_str).map(names::variant_name);
            let from_description = server.description.as_deref().map(|d| {
                let head = d.split('(').next().unwrap_or(d);
                let name = names::variant_name(head);
                name.strip_suffix("Server").filter(|n| !n.is_empty()).map(str::to_owned).unwrap_or(name)
            });
            // A server with variables is named by its host (`{subdomain}.zendesk.com`
            // is `Zendesk`): its description tends to describe the variable, and
            // the host is what stays put between versions of a document.
            let from_host = (!template_variables(&server.url).is_empty()).then(|| host_name(&server.url)).flatten();
            let name = scope.claim(&explicit.or(from_host).or(from_description).unwrap_or_else(|| format!("Server{}", index + 1)));
            let declared = server.variables.as_ref();
            let mut field_scope = Scope::default();
            let mut variables = Vec::new();
            for name in template_variables(&server.url) {
                let variable = declared.and_then(|v| v.get(&name));
                if variable.is_none() {
                    diagnostics.push(
                        Diagnostic::warning(child(&pointer, "url"), format!("server variable `{name}` is used in the URL but not declared"))
                            .with_help(format!("declare it under `variables: {name}: {{default: ...}}`; callers must supply it")),
                    );
                }
                variables.push(ServerVariable {
                    field: field_scope.claim(&names::field_name(&name)),
                    doc: doc(None, variable.and_then(|v| v.description.as_deref())),
                    default: variable.map(|v| v.default.clone()).unwrap_or_default(),
                    name,
                });
            }
            Server { name, url: server.url.clone(), doc: doc(None, server.description.as_deref()), variables, is_default: false }
        })
        .collect();
    // The default is the first server usable as is, without variables to fill in.
    if let Some(index) = out
        .iter()
        .position(|s| s.variables.is_empty())
        .or((!out.is_empty()).then_some(0))
    {
        out[index].is_default = true;
    }
    // Variants in name order: a document that lists the same servers in
    // another order changes nothing in `Server`, not even a discriminant.
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// A variant name from the distinctive label of a URL's host: not a
/// template variable and not a generic label such as `api` or `com`.
pub(super) fn host_name(url: &str) -> Option<String> {
    const GENERIC: &[&str] = &["api", "www", "com", "io", "net", "org", "co", "app"];
    let host = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = host.split(['/', ':']).next()?;
    host.split('.')
        .find(|label| !label.contains('{') && !label.is_empty() && !GENERIC.contains(label))
        .map(names::variant_name)
}

pub(super) fn template_variables(url: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        names.push(rest[open + 1..open + close].to_owned());
        rest = &rest[open + close + 1..];
    }
    names
}
