//! Operations across versions: methods, their arguments and results.

use std::collections::{BTreeMap, BTreeSet};

use super::change::{ChangeKind, Item};
use super::compat::Facts;
use super::rust::Spelling;
use super::walk::Walk;
use crate::model::{
    Api, BodyKind, Operation, OperationGroup, ParamLocation, Parameter, PathPart, Response, Status,
    TypeRef,
};
use crate::surface::{Argument, Success, Surface};

/// An operation with the group it is reached through.
type Located<'a> = (&'a OperationGroup, &'a Operation);

fn located(api: &Api) -> Vec<Located<'_>> {
    api.groups
        .iter()
        .flat_map(|group| group.operations.iter().map(move |op| (group, op)))
        .collect()
}

fn item(surface: &Surface, (group, op): Located<'_>) -> Item {
    Item::Operation {
        accessor: surface.group(group).module.clone(),
        method: surface.operation(op).method.clone(),
    }
}

/// Pairs operations by accessor and method name, then by HTTP method and
/// path (a rename); reports each pair's differences, and what is left over
/// as added or removed.
pub(super) fn compare(walk: &mut Walk<'_>) {
    let old = located(walk.old.api);
    let new = located(walk.new.api);
    let (old_surface, new_surface) = (walk.old.surface, walk.new.surface);
    let old_item = |located| item(old_surface, located);
    let new_item = |located| item(new_surface, located);
    let by_item: BTreeMap<Item, usize> = new
        .iter()
        .enumerate()
        .map(|(i, l)| (new_item(*l), i))
        .collect();
    let by_route: BTreeMap<(crate::model::Method, &str), usize> = new
        .iter()
        .enumerate()
        .map(|(i, (_, op))| ((op.method, op.path.as_str()), i))
        .collect();
    let mut paired = BTreeSet::new();
    let mut unpaired_old = Vec::new();
    for &before in &old {
        match by_item.get(&old_item(before)) {
            Some(&index) => {
                paired.insert(index);
                compare_pair(walk, before, new[index]);
            }
            None => unpaired_old.push(before),
        }
    }
    for before in unpaired_old {
        let route = (before.1.method, before.1.path.as_str());
        match by_route.get(&route) {
            Some(&index) if !paired.contains(&index) => {
                paired.insert(index);
                let from = old_item(before).to_string();
                walk.push(
                    &new_item(new[index]),
                    ChangeKind::OperationRenamed { from },
                    Facts::default(),
                );
                compare_pair(walk, before, new[index]);
            }
            _ => walk.push(
                &old_item(before),
                ChangeKind::OperationRemoved,
                Facts::default(),
            ),
        }
    }
    for (index, &after) in new.iter().enumerate() {
        if !paired.contains(&index) {
            walk.push(
                &new_item(after),
                ChangeKind::OperationAdded,
                Facts::default(),
            );
        }
    }
}

fn compare_pair(walk: &mut Walk<'_>, before: Located<'_>, after: Located<'_>) {
    let item = item(walk.new.surface, after);
    let (old, new) = (before.1, after.1);
    match (old.deprecated, new.deprecated) {
        (false, true) => walk.push(&item, ChangeKind::Deprecated, Facts::default()),
        (true, false) => walk.push(&item, ChangeKind::Undeprecated, Facts::default()),
        _ => {}
    }
    let (from, to) = (template(old), template(new));
    if from != to {
        walk.push(
            &item,
            ChangeKind::PathChanged { from, to },
            Facts::default(),
        );
    }
    compare_path_params(walk, &item, old, new);
    compare_other_params(walk, &item, old, new);
    compare_body(walk, &item, old, new);
    compare_successes(walk, &item, old, new);
    compare_errors(walk, &item, old, new);
}

/// The path template with parameters blanked: renaming one changes no call.
fn template(op: &Operation) -> String {
    op.path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text.as_str(),
            PathPart::Param(_) => "{}",
        })
        .collect()
}

/// The type of the method's argument for the path parameter at `index`, as
/// the surface decided it.
fn argument(spelling: &Spelling<'_>, op: &Operation, index: usize) -> String {
    let decided = spelling.surface.operation(op);
    decided
        .arguments
        .iter()
        .zip(&decided.signature)
        .find(|(argument, _)| **argument == Argument::Path(index))
        .map(|(_, (_, ty))| spelling.text(ty))
        .unwrap_or_default()
}

fn compare_path_params(walk: &mut Walk<'_>, item: &Item, old: &Operation, new: &Operation) {
    let names =
        |op: &Operation| -> Vec<String> { op.path_params.iter().map(|p| p.name.clone()).collect() };
    let (old_names, new_names) = (names(old), names(new));
    if old_names.len() != new_names.len() {
        for name in old_names.iter().filter(|n| !new_names.contains(n)) {
            walk.push(
                item,
                ChangeKind::PathParameterRemoved { name: name.clone() },
                Facts::default(),
            );
        }
        for name in new_names.iter().filter(|n| !old_names.contains(n)) {
            walk.push(
                item,
                ChangeKind::PathParameterAdded { name: name.clone() },
                Facts::default(),
            );
        }
        return;
    }
    let same_set = old_names.iter().collect::<BTreeSet<_>>() == new_names.iter().collect();
    if same_set && old_names != new_names {
        walk.push(item, ChangeKind::PathParametersReordered, Facts::default());
        return;
    }
    // Arguments are positional: a renamed parameter of the same type changes no call.
    for (index, after) in new.path_params.iter().enumerate() {
        let (from, to) = (
            argument(&walk.old, old, index),
            argument(&walk.new, new, index),
        );
        if from != to {
            let name = after.name.clone();
            walk.push(
                item,
                ChangeKind::PathParameterChanged { name, from, to },
                Facts::default(),
            );
        }
    }
}

fn location(param: &Parameter) -> &'static str {
    match param.location {
        ParamLocation::Header => "header",
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
    }
}

/// The type of the `{Op}Params` field of the query or header parameter at
/// `index`, as the surface decided it.
fn field(spelling: &Spelling<'_>, op: &Operation, index: usize) -> String {
    let decided = spelling.surface.operation(op);
    decided
        .param_types
        .get(index)
        .map(|ty| spelling.text(ty))
        .unwrap_or_default()
}

fn compare_other_params(walk: &mut Walk<'_>, item: &Item, old: &Operation, new: &Operation) {
    let (old_surface, new_surface) = (
        walk.old.surface.operation(old),
        walk.new.surface.operation(new),
    );
    match (old_surface.takes_params(), new_surface.takes_params()) {
        (false, true) => {
            let params = new_surface.params_type.clone().unwrap_or_default();
            walk.push(
                item,
                ChangeKind::ParamsArgumentAdded { params },
                Facts::default(),
            );
            return;
        }
        (true, false) => {
            let params = old_surface.params_type.clone().unwrap_or_default();
            walk.push(
                item,
                ChangeKind::ParamsArgumentRemoved { params },
                Facts::default(),
            );
            return;
        }
        _ if old.query_and_header_params.is_empty() && new.query_and_header_params.is_empty() => {
            return
        }
        _ => {}
    }
    let (old_new, new_new) = (
        walk.old.arguments(&old_surface.params_new),
        walk.new.arguments(&new_surface.params_new),
    );
    let facts = Facts {
        default_before: old_surface.params_have_default(),
        default_after: new_surface.params_have_default(),
        built_by_callers: true,
        same_new: !old_new.is_empty() && old_new == new_new,
        ..Facts::default()
    };
    // Fields are paired by their Rust name, which is what callers write.
    let (old_names, new_names) = (&old_surface.param_names, &new_surface.param_names);
    for (old_index, before) in old.query_and_header_params.iter().enumerate() {
        let Some((new_index, after)) = new
            .query_and_header_params
            .iter()
            .enumerate()
            .find(|(new_index, _)| new_names.get(*new_index) == old_names.get(old_index))
        else {
            let (name, location) = (before.name.clone(), location(before));
            walk.push(item, ChangeKind::ParameterRemoved { name, location }, facts);
            continue;
        };
        let (from, to) = (
            field(&walk.old, old, old_index),
            field(&walk.new, new, new_index),
        );
        if from != to {
            let name = after.name.clone();
            walk.push(item, ChangeKind::ParameterChanged { name, from, to }, facts);
        }
        if before.location != after.location {
            let (name, from, to) = (after.name.clone(), location(before), location(after));
            walk.push(item, ChangeKind::ParameterMoved { name, from, to }, facts);
        }
    }
    for (new_index, after) in new.query_and_header_params.iter().enumerate() {
        if !old_names.contains(&new_names[new_index]) {
            let what = ChangeKind::ParameterAdded {
                name: after.name.clone(),
                location: location(after),
                required: after.required,
                ty: field(&walk.new, new, new_index),
            };
            walk.push(item, what, facts);
        }
    }
}

fn body_parts(kind: &BodyKind) -> (&TypeRef, &'static str) {
    match kind {
        BodyKind::Json(ty) => (ty, "JSON"),
        BodyKind::Multipart(ty) => (ty, "multipart form"),
    }
}

fn compare_body(walk: &mut Walk<'_>, item: &Item, old: &Operation, new: &Operation) {
    match (&old.body, &new.body) {
        (None, None) => {}
        (None, Some(body)) => {
            let ty = walk.new.ty(body_parts(&body.kind).0);
            let what = ChangeKind::BodyAdded {
                required: body.required,
                ty,
            };
            let facts = Facts {
                body_on_call: walk.new.surface.operation(new).body_on_call,
                ..Facts::default()
            };
            walk.push(item, what, facts);
        }
        (Some(_), None) => walk.push(item, ChangeKind::BodyRemoved, Facts::default()),
        (Some(before), Some(after)) => {
            if before.required != after.required {
                let what = ChangeKind::BodyRequiredChanged {
                    required: after.required,
                };
                walk.push(item, what, Facts::default());
            }
            let (old_ty, old_encoding) = body_parts(&before.kind);
            let (new_ty, new_encoding) = body_parts(&after.kind);
            let (from, to) = (walk.old.ty(old_ty), walk.new.ty(new_ty));
            if from != to {
                walk.push(
                    item,
                    ChangeKind::BodyTypeChanged { from, to },
                    Facts::default(),
                );
            }
            if old_encoding != new_encoding {
                let what = ChangeKind::BodyEncodingChanged {
                    from: old_encoding,
                    to: new_encoding,
                };
                walk.push(item, what, Facts::default());
            }
        }
    }
}

fn status(status: Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(class) => format!("{class}XX"),
        Status::Default => "default".to_owned(),
    }
}

fn body(spelling: &Spelling<'_>, response: &Response) -> String {
    response
        .body
        .as_ref()
        .map_or_else(|| "()".to_owned(), |ty| spelling.ty(ty))
}

/// The success type the surface decided: the single documented body or
/// `()`; `None` for the `{Op}Response` enum.
fn success_type(spelling: &Spelling<'_>, op: &Operation) -> Option<String> {
    match &spelling.surface.operation(op).success {
        Success::Unit => Some("()".to_owned()),
        Success::Body(ty) => Some(spelling.ty(ty)),
        Success::Enum => None,
    }
}

fn compare_successes(walk: &mut Walk<'_>, item: &Item, old: &Operation, new: &Operation) {
    let (before, after) = (success_type(&walk.old, old), success_type(&walk.new, new));
    match (before, after) {
        (Some(from), Some(to)) if from != to => {
            walk.push(
                item,
                ChangeKind::ReturnTypeChanged { from, to },
                Facts::default(),
            );
        }
        (Some(_), Some(_)) => {}
        (None, None) => compare_responses(walk, item, &old.successes, &new.successes, true),
        (from, to) => {
            let enum_name = |spelling: &Spelling<'_>, op: &Operation| {
                let decided = spelling.surface.operation(op);
                decided.response_type.clone().unwrap_or_default()
            };
            let from = from.unwrap_or_else(|| enum_name(&walk.old, old));
            let to = to.unwrap_or_else(|| enum_name(&walk.new, new));
            walk.push(
                item,
                ChangeKind::ReturnTypeChanged { from, to },
                Facts::default(),
            );
        }
    }
}

fn compare_errors(walk: &mut Walk<'_>, item: &Item, old: &Operation, new: &Operation) {
    compare_responses(walk, item, &old.errors, &new.errors, false);
}

/// Variants of the success or error enum, matched by status.
fn compare_responses(
    walk: &mut Walk<'_>,
    item: &Item,
    old: &[Response],
    new: &[Response],
    successes: bool,
) {
    for before in old {
        let status = status(before.status);
        match new.iter().find(|r| r.status == before.status) {
            None if successes => walk.push(
                item,
                ChangeKind::SuccessStatusRemoved { status },
                Facts::default(),
            ),
            None => walk.push(
                item,
                ChangeKind::ErrorStatusRemoved { status },
                Facts::default(),
            ),
            Some(after) => {
                let (from, to) = (body(&walk.old, before), body(&walk.new, after));
                if from != to {
                    let what = ChangeKind::ResponseBodyChanged { status, from, to };
                    walk.push(item, what, Facts::default());
                }
            }
        }
    }
    for after in new {
        if !old.iter().any(|r| r.status == after.status) {
            let status = status(after.status);
            let what = if successes {
                ChangeKind::SuccessStatusAdded { status }
            } else {
                ChangeKind::ErrorStatusAdded { status }
            };
            walk.push(item, what, Facts::default());
        }
    }
}
