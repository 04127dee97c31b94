//! The names of the chained setters of a struct (the runtime's `object!`
//! writes them): a field's own name, unless a method every generated struct
//! has, or a trait method callers use on it, takes it.

use crate::names::Scope;

/// Method names a setter must not take: the constructors, and the methods of
/// the traits generated structs implement, which a same-named inherent
/// method would shadow in method-call syntax (`x.clone()` would need an
/// argument).
const TAKEN: &[&str] = &[
    "new",
    "default",
    "clone",
    "clone_from",
    "eq",
    "ne",
    "fmt",
    "hash",
    "serialize",
    "deserialize",
    "into",
    "try_into",
    "from",
    "try_from",
    "to_owned",
    "borrow",
    "borrow_mut",
    "type_id",
];

/// The setter of each field named in `fields`, in order: the field's name, or
/// `set_{name}` where that is taken.
pub(super) fn names<'a>(fields: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut scope = Scope::with_reserved(TAKEN.iter().copied());
    fields
        .into_iter()
        .map(
            |field| match scope.contains(field.trim_start_matches("r#")) {
                true => scope.claim(&format!("set_{}", field.trim_start_matches("r#"))),
                false => scope.claim(field),
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn a_field_named_like_a_constructor_or_trait_method_gets_set() {
        assert_eq!(
            names(["name", "new", "default", "r#type", "clone"]),
            ["name", "set_new", "set_default", "r#type", "set_clone"]
        );
    }
}
