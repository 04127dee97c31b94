//! Example calls for the generated docs: which operation to show and the code
//! that calls it. The crate page and every tag module build their examples
//! here, from the signatures and constructions the surface decided (the
//! generated crate's doctests compile them).

use crate::model::{BodyKind, Method, Operation, OperationGroup, TypeKind, TypeRef};
use crate::surface::{Argument, Construction, Surface};

/// A call of one operation, written out for an example.
pub struct Call {
    /// Statements that build its arguments (`let body = …;`), possibly empty.
    pub setup: String,
    /// The call expression, without `.await`.
    pub expression: String,
}

/// The lines every example starts with: `imports`, a hidden async function
/// and a client. The example closes with [`CLOSING`].
pub fn opening(crate_name: &str, imports: &str) -> String {
    format!(
        "use {crate_name}::{imports};\n\n# async fn run() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = Client::builder().basic_auth(\"app_key_id\", \"app_key_secret\").build()?;\n"
    )
}

/// The hidden end of the function [`opening`] starts.
pub const CLOSING: &str = "# Ok(())\n# }\n";

/// The call of the operation to show among `candidates`: a read (`GET`)
/// whose arguments can be written down simply, else another such operation,
/// a `DELETE` only when nothing else fits; among equals the one with a body to
/// build, then the first in operation order.
pub fn showcase<'a>(
    surface: &Surface,
    candidates: impl IntoIterator<Item = (&'a OperationGroup, &'a Operation)>,
    crate_name: &str,
) -> Option<Call> {
    let rank = |op: &Operation| match op.method {
        Method::Get => 0,
        Method::Delete => 2,
        _ => 1,
    };
    candidates
        .into_iter()
        .filter_map(|(group, op)| Some((rank(op), call(surface, group, op, crate_name)?)))
        .min_by_key(|(rank, call)| (*rank, std::cmp::Reverse(call.setup.lines().count())))
        .map(|(_, call)| call)
}

/// The call that shows the most among `candidates`, for the crate page: one
/// with a body to build before one without; the first such in operation order.
pub fn richest<'a>(
    surface: &Surface,
    candidates: impl IntoIterator<Item = (&'a OperationGroup, &'a Operation)>,
    crate_name: &str,
) -> Option<Call> {
    candidates
        .into_iter()
        .filter_map(|(group, op)| call(surface, group, op, crate_name))
        .min_by_key(|call| std::cmp::Reverse(call.setup.lines().count()))
}

/// The call of `op` through its tag's accessor, when every argument can be
/// written down simply: path parameters that are strings, no parameter
/// struct, and a required body only if it is JSON whose required fields are
/// strings.
pub fn call(
    surface: &Surface,
    group: &OperationGroup,
    op: &Operation,
    crate_name: &str,
) -> Option<Call> {
    let api = surface.api();
    let mut args: Vec<String> = Vec::new();
    let mut setup = String::new();
    let decided = surface.operation(op);
    for argument in &decided.arguments {
        match argument {
            Argument::Path(index) => {
                let param = op.path_params.get(*index)?;
                if param.ty != TypeRef::String {
                    return None;
                }
                args.push(format!(
                    "\"{}\"",
                    decided.path_names[*index]
                        .trim_start_matches("r#")
                        .replace('_', "-")
                ));
            }
            Argument::Params => return None,
            Argument::Body => {
                let BodyKind::Json(TypeRef::Named(id)) = &op.body.as_ref()?.kind else {
                    return None;
                };
                let def = api.type_def(id)?;
                let TypeKind::Struct(_) = &def.kind else {
                    return None;
                };
                // Built the way the type is meant to be built: `default()`, or
                // `new(..)` with the members that cannot default.
                let value = match surface.construction(id) {
                    Construction::Default { .. } => {
                        format!("{crate_name}::types::{}::default()", def.name)
                    }
                    Construction::New => {
                        new_call(surface, &TypeRef::Named(id.clone()), crate_name, 0)?
                    }
                    Construction::None => return None,
                };
                setup.push_str(&format!("let body = {value};\n"));
                args.push("&body".to_owned());
            }
        }
    }
    Some(Call {
        setup,
        expression: format!(
            "client.{}().{}({})",
            surface.group(group).module,
            surface.operation(op).method,
            args.join(", ")
        ),
    })
}

/// How an example writes a required member of type `ty` that cannot
/// default: a string (`"next"`), a string enum's first value (`new(..)`
/// takes `&str`), or a struct's `new(..)` with such members, two levels deep
/// at most.
fn new_call(surface: &Surface, ty: &TypeRef, crate_name: &str, depth: usize) -> Option<String> {
    let api = surface.api();
    if *ty == TypeRef::String {
        return Some("\"next\"".to_owned());
    }
    let TypeRef::Named(id) = ty else {
        return None;
    };
    let def = api.type_def(id)?;
    match &def.kind {
        TypeKind::StringEnum(e) => e.variants.first().map(|v| format!("{:?}", v.value)),
        TypeKind::Struct(s) if depth < 2 => {
            let Construction::New = surface.construction(id) else {
                return None;
            };
            let fills = &surface.type_surface(id)?.fills;
            let mut values = Vec::new();
            for (field, fill) in s.fields.iter().zip(fills) {
                if fill.is_none() {
                    values.push(new_call(surface, &field.ty, crate_name, depth + 1)?);
                }
            }
            Some(format!(
                "{crate_name}::types::{}::new({})",
                def.name,
                values.join(", ")
            ))
        }
        _ => None,
    }
}

/// A tag module's example: its [`showcase`] operation called and its result printed.
pub fn group_example(
    surface: &Surface,
    group: &OperationGroup,
    crate_name: &str,
) -> Option<String> {
    let call = showcase(
        surface,
        group.operations.iter().map(|op| (group, op)),
        crate_name,
    )?;
    let mut code = opening(crate_name, "Client");
    code.push_str(&call.setup);
    code.push_str(&format!(
        "let response = {}.await?;\nprintln!(\"{{response:?}}\");\n",
        call.expression
    ));
    code.push_str(CLOSING);
    Some(code)
}
