//! The lowering's state and the selection of operations it lowers.

use super::refs::Resolver;
use super::schema::SchemaLowerer;
use crate::diagnostics::Diagnostics;
use crate::model::Example;

/// Which operations to generate.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Tags to keep; empty keeps every operation.
    pub tags: Vec<String>,
}

impl Selection {
    pub(super) fn keeps(&self, operation: &openapiv3::Operation) -> bool {
        self.tags.is_empty() || operation.tags.iter().any(|t| self.tags.contains(t))
    }
}

/// What lowering holds while it walks the document: the schema lowerer,
/// the reference resolver, the problems and the examples found so far.
pub(super) struct Lowerer<'a> {
    pub(super) schemas: SchemaLowerer<'a>,
    pub(super) resolver: Resolver<'a>,
    pub(super) diagnostics: Diagnostics,
    pub(super) examples: Vec<Example>,
}
