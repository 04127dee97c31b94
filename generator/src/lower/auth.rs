//! Authentication schemes the document declares.

use openapiv3::ReferenceOr;

use crate::diagnostics::{child, Diagnostic, Diagnostics};
use crate::model::AuthScheme;

pub(super) fn lower_auth(
    openapi: &openapiv3::OpenAPI,
    diagnostics: &mut Diagnostics,
) -> Vec<AuthScheme> {
    let Some(components) = &openapi.components else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let pointer = child("#/components/securitySchemes", name);
        let scheme = match scheme {
            ReferenceOr::Item(scheme) => scheme,
            ReferenceOr::Reference { reference } => {
                diagnostics.push(Diagnostic::warning(
                    pointer,
                    format!("security scheme given by reference (`{reference}`) is not supported"),
                ));
                continue;
            }
        };
        let lowered = match scheme {
            openapiv3::SecurityScheme::HTTP { scheme, .. }
                if scheme.eq_ignore_ascii_case("basic") =>
            {
                AuthScheme::Basic
            }
            openapiv3::SecurityScheme::HTTP { scheme, .. }
                if scheme.eq_ignore_ascii_case("bearer") =>
            {
                AuthScheme::Bearer
            }
            _ => {
                diagnostics.push(Diagnostic::warning(
                    pointer,
                    format!("security scheme `{name}` is not supported by the generated client; only HTTP basic and bearer are"),
                ));
                AuthScheme::Other(name.clone())
            }
        };
        if !out.contains(&lowered) {
            out.push(lowered);
        }
    }
    out
}
