//! The surface seen as text: types are spelled by the surface's own
//! [`RustType`], constructors and traits read from its [`TypeSurface`]s and
//! operation surfaces, so the report sees what the crate contains and states
//! no rule of its own about what a call or a constructor takes.
//!
//! [`TypeSurface`]: crate::surface::TypeSurface

use std::collections::BTreeMap;

use crate::model::{Api, Field, TypeRef};
use crate::surface::{NewArgument, RustType, Surface};

/// Spells types of one API version, with type names mapped through renames
/// (old name → new name) so that a renamed type compares equal to itself.
pub struct Spelling<'a> {
    /// The surface whose items are spelled.
    pub surface: &'a Surface,
    /// Its model.
    pub api: &'a Api,
    /// Old name → new name of renamed types (empty for the new side).
    pub renames: &'a BTreeMap<String, String>,
}

impl Spelling<'_> {
    /// A surface type as text, after renames.
    pub fn text(&self, ty: &RustType) -> String {
        ty.renamed(&|name| self.renames.get(name).cloned())
            .to_string()
    }

    /// A type of the model as the generated crate writes it (without `types::`).
    pub fn ty(&self, ty: &TypeRef) -> String {
        self.text(&RustType::of(self.api, ty))
    }

    /// A struct field's full type: boxing and the `Option` layers of its presence.
    pub fn field(&self, field: &Field) -> String {
        self.text(&RustType::of_field(self.api, field))
    }

    /// A constructor's arguments, as (name, type) with types after renames.
    pub fn arguments(&self, arguments: &[NewArgument]) -> Vec<(String, String)> {
        arguments
            .iter()
            .map(|argument| (argument.name.clone(), self.text(&argument.ty)))
            .collect()
    }

    /// The arguments of the named struct's `new(..)`, when it is built that
    /// way rather than with `Default`.
    pub fn new_arguments(&self, id: &str) -> Option<Vec<(String, String)>> {
        let decided = self.surface.type_surface(id)?;
        (decided.construction == crate::surface::Construction::New)
            .then(|| self.arguments(&decided.new_arguments))
    }
}
