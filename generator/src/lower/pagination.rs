//! Recognising cursor pagination from the document's structure, once the
//! types are lowered: no list of operation names.
//!
//! A list operation pages when it takes a `page` query parameter in
//! `deepObject` style whose object has `after` and `before`, and its one
//! success body is an object with exactly one array (the items) and a `meta`
//! object holding a boolean `hasMore` and the cursor for its direction
//! (`afterCursor` or `beforeCursor`). The direction is what the operation's
//! description says: "backwards" means the newest page comes first and
//! `before` cursors lead back in time.

use std::collections::BTreeMap;

use crate::model::{
    Field, OperationGroup, PageDirection, Pagination, ParamLocation, QueryStyle, StructDef,
    TypeDef, TypeId, TypeKind, TypeRef,
};

/// Fills in `pagination` for each operation that pages.
pub(super) fn detect(groups: &mut [OperationGroup], types: &BTreeMap<TypeId, TypeDef>) {
    for group in groups {
        for op in &mut group.operations {
            op.pagination = recognise(op, types);
        }
    }
}

fn recognise(
    op: &crate::model::Operation,
    types: &BTreeMap<TypeId, TypeDef>,
) -> Option<Pagination> {
    let struct_of = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => match types.get(id).map(|def| &def.kind) {
            Some(TypeKind::Struct(def)) => Some(def),
            _ => None,
        },
        _ => None,
    };
    let field = |def: &'_ StructDef, json: &str| -> Option<Field> {
        def.fields.iter().find(|f| f.json_name == json).cloned()
    };

    let page_param = op.query_and_header_params.iter().find(|p| {
        p.location == ParamLocation::Query
            && p.style == QueryStyle::DeepObject
            && struct_of(&p.ty)
                .is_some_and(|def| field(def, "after").is_some() && field(def, "before").is_some())
    })?;

    let [success] = op.successes.as_slice() else {
        return None;
    };
    let page = struct_of(success.body.as_ref()?)?;
    let mut arrays = page
        .fields
        .iter()
        .filter(|f| matches!(f.ty, TypeRef::Array(_)));
    let items = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    let TypeRef::Array(item) = &items.ty else {
        return None;
    };
    let meta_field = field(page, "meta")?;
    let meta = struct_of(&meta_field.ty)?;
    if field(meta, "hasMore").is_none_or(|f| f.ty != TypeRef::Bool) {
        return None;
    }

    let backwards = op
        .description
        .as_deref()
        .is_some_and(|text| text.to_ascii_lowercase().contains("backward"));
    let (direction, cursor, param_field) = if backwards {
        (PageDirection::Backward, "beforeCursor", "before")
    } else {
        (PageDirection::Forward, "afterCursor", "after")
    };
    if field(meta, cursor).is_none_or(|f| f.ty != TypeRef::String) {
        return None;
    }
    Some(Pagination {
        direction,
        cursor_param: format!("{}[{param_field}]", page_param.name),
        items_pointer: format!("/{}", pointer_token(&items.json_name)),
        has_more_pointer: format!("/{}/hasMore", pointer_token(&meta_field.json_name)),
        cursor_pointer: format!("/{}/{cursor}", pointer_token(&meta_field.json_name)),
        item: (**item).clone(),
    })
}

/// A property name as one JSON pointer token (RFC 6901).
fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}
