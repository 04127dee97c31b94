//! The rules: which changes break callers of the generated crate.
//!
//! A change is judged on the Rust API the emitters generate, not on the
//! document: on two [`Surface`](crate::surface::Surface)s, and on the facts
//! about the whole generated API in [`Policy`], which the emitters write as
//! they say.
//!
//! Struct fields follow the surface's construction: every generated struct
//! is `#[non_exhaustive]` ([`Policy::structs_non_exhaustive`]), built with
//! `default()` or `new(..)` and setters, so a field added is compatible
//! exactly when those constructors stay as they were. The rules for literal
//! construction remain for a policy without it.

use super::change::{ChangeKind, Severity, Verdict};
use crate::surface::Policy;

/// What the walk knows about the item beyond the change itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// The struct (a type, or an `{Op}Params`) derived `Default` before.
    pub default_before: bool,
    /// It derives `Default` now.
    pub default_after: bool,
    /// Callers build values of it: it is reachable from a request.
    pub built_by_callers: bool,
    /// It is built with `new(..)` before and after, with the same arguments.
    pub same_new: bool,
    /// The operation's optional body is set with the call's `.body(..)`,
    /// not passed to its method.
    pub body_on_call: bool,
}

fn breaking(why: &str) -> Verdict {
    Verdict {
        severity: Severity::Breaking,
        why: why.to_owned(),
    }
}

fn compatible(why: &str) -> Verdict {
    Verdict {
        severity: Severity::Compatible,
        why: why.to_owned(),
    }
}

/// A new variant in an enum callers match on.
fn new_variant(non_exhaustive: bool) -> Verdict {
    if non_exhaustive {
        compatible("the enum is `#[non_exhaustive]`, so matches already have a `_` arm")
    } else {
        breaking("the enum is exhaustive: matches on it must handle the new variant")
    }
}

/// A struct gains a field: see the module documentation for the contract.
fn new_field(facts: Facts, required: bool, policy: Policy) -> Verdict {
    let constructors_kept = (facts.default_before && facts.default_after) || facts.same_new;
    if policy.structs_non_exhaustive {
        // No literal can name every field: only the constructors matter.
        return if constructors_kept {
            compatible("the struct is `#[non_exhaustive]` and built as before (`default()` or the same `new(..)`)")
        } else if facts.default_before && !facts.default_after {
            breaking("the struct has no `Default` any more: it must be built with `new(..)`")
        } else {
            breaking("`new(..)` takes the field: every call must pass it")
        };
    }
    if facts.same_new && !(required && facts.built_by_callers) {
        compatible("the struct is built with `new(..)`, whose arguments are unchanged")
    } else if !(facts.default_before && facts.default_after) {
        breaking("the struct has no `Default`, so every struct literal must now list the field")
    } else if required && facts.built_by_callers {
        breaking("requests must now carry it: callers have to set the field")
    } else {
        compatible(
            "the struct derives `Default`: literals ending in `..Default::default()` still compile",
        )
    }
}

/// Judges one change against the generated API described by `policy`.
pub fn judge(what: &ChangeKind, facts: Facts, policy: Policy) -> Verdict {
    match what {
        ChangeKind::OperationAdded => compatible("a new method"),
        ChangeKind::OperationRemoved => breaking("calls to the method no longer compile"),
        ChangeKind::OperationRenamed { .. } => breaking("calls must use the new name"),
        ChangeKind::Deprecated => compatible("calls still compile, with a deprecation warning"),
        ChangeKind::Undeprecated => compatible("calls are unchanged"),
        ChangeKind::PathChanged { .. } => {
            compatible("calls are unchanged; the request goes to the new path")
        }
        ChangeKind::PathParameterAdded { .. } => breaking("the method takes one more argument"),
        ChangeKind::PathParameterRemoved { .. } => breaking("the method takes one argument fewer"),
        ChangeKind::PathParametersReordered => breaking("the method's arguments come in another order"),
        ChangeKind::PathParameterChanged { .. } => breaking("the argument has another type"),
        ChangeKind::ParamsArgumentAdded { .. } => {
            breaking("the method gains a `params` argument (a parameter is now required)")
        }
        ChangeKind::ParamsArgumentRemoved { .. } => breaking(
            "the method loses its `params` argument (no parameter is required any more: set them with `.params(..)`)",
        ),
        ChangeKind::ParameterAdded { required, .. } => new_field(facts, *required, policy),
        ChangeKind::ParameterRemoved { .. } => breaking("the field is gone from the parameters struct"),
        ChangeKind::ParameterChanged { .. } => breaking("the field has another type"),
        ChangeKind::ParameterMoved { .. } => {
            compatible("the field is unchanged; only the request differs")
        }
        ChangeKind::BodyAdded { required: true, .. } => breaking("the method gains a `body` argument"),
        ChangeKind::BodyAdded {
            required: false, ..
        } if !facts.body_on_call => breaking(
            "the method gains a `body: Option<&T>` argument, so existing calls no longer compile",
        ),
        ChangeKind::BodyAdded {
            required: false, ..
        } => compatible("the body is set with the call's `.body(..)`: existing calls are unchanged"),
        ChangeKind::BodyRemoved => breaking("the method loses its `body` argument"),
        ChangeKind::BodyRequiredChanged { .. } => {
            breaking("the `body` argument changes between `&T` and `Option<&T>`")
        }
        ChangeKind::BodyTypeChanged { .. } => breaking("the `body` argument has another type"),
        ChangeKind::BodyEncodingChanged { .. } => {
            compatible("the argument is unchanged; only the request differs")
        }
        ChangeKind::ReturnTypeChanged { .. } => breaking("code using the result must change"),
        ChangeKind::SuccessStatusAdded { .. } => new_variant(policy.response_enums_non_exhaustive),
        ChangeKind::SuccessStatusRemoved { .. } => breaking("the variant is gone from the response enum"),
        ChangeKind::ErrorStatusAdded { .. } => new_variant(policy.error_enums_non_exhaustive),
        ChangeKind::ErrorStatusRemoved { .. } => breaking("the variant is gone from the error enum"),
        ChangeKind::ResponseBodyChanged { .. } => breaking("the variant holds another type"),
        ChangeKind::TypeAdded { .. } => compatible("a new type"),
        ChangeKind::TypeRemoved => breaking("code naming the type no longer compiles"),
        ChangeKind::TypeRenamed { .. } => breaking("code naming the type must use the new name"),
        ChangeKind::TypeKindChanged { .. } => breaking("code using the type must change"),
        ChangeKind::FieldAdded { required, .. } => new_field(facts, *required, policy),
        ChangeKind::FieldRemoved { .. } => breaking("code using the field no longer compiles"),
        ChangeKind::FieldTypeChanged { .. } => breaking("the field has another type"),
        ChangeKind::FieldWireChanged { .. } => compatible("the field's type is unchanged"),
        ChangeKind::ConstructorChanged { from: None, .. } => compatible("a new constructor"),
        ChangeKind::ConstructorChanged { .. } => {
            breaking("calls to `new(..)` no longer compile as they are written")
        }
        ChangeKind::TraitGained(_) => compatible("an added trait implementation"),
        ChangeKind::TraitLost(_) => breaking("code relying on the trait no longer compiles"),
        ChangeKind::ValueAdded { .. } | ChangeKind::VariantAdded { .. } | ChangeKind::EventAdded { .. } => {
            new_variant(policy.type_enums_non_exhaustive)
        }
        ChangeKind::ValueRemoved { .. } => {
            breaking("the variant is gone; the value would now arrive as `Unknown`")
        }
        ChangeKind::VariantRemoved { .. } | ChangeKind::EventRemoved { .. } => {
            breaking("the variant is gone from the enum")
        }
        ChangeKind::VariantTypeChanged { .. } => breaking("the variant holds another type"),
        ChangeKind::VariantTagsChanged { .. } | ChangeKind::ShapesChanged { .. } => {
            compatible("the Rust type is unchanged; decoding follows the new document")
        }
        ChangeKind::WebhookAdded => compatible("a new parse function"),
        ChangeKind::WebhookRemoved => breaking("calls to its parse function no longer compile"),
        ChangeKind::ServerAdded => new_variant(policy.server_enum_non_exhaustive),
        ChangeKind::ServerRemoved => breaking("the variant is gone from `Server`"),
        ChangeKind::ServerRenamed { .. } => breaking("code naming the variant must use the new name"),
        ChangeKind::ServerUrlChanged { .. } => {
            compatible("code is unchanged; requests go to the new URL")
        }
        ChangeKind::ServerVariablesChanged { .. } => breaking("the variant has other fields"),
        ChangeKind::ServerBecameDefault => {
            breaking("clients built without `.server(..)` now talk to this server")
        }
        ChangeKind::ServerDiscriminantChanged { .. } => {
            breaking("`Server` has only unit variants, so `server as isize` compiles and now gives another number")
        }
        ChangeKind::ServerFieldsAdded => breaking(
            "`Server` had only unit variants, so `server as isize` compiled; with a variant that has fields it no longer does",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules for structs callers could write as literals.
    const LITERALS: Policy = Policy {
        structs_non_exhaustive: false,
        ..Policy::GENERATED
    };

    fn field_under(policy: Policy, required: bool, facts: Facts) -> Severity {
        let what = ChangeKind::FieldAdded {
            name: "x".to_owned(),
            ty: "Option<String>".to_owned(),
            required,
        };
        judge(&what, facts, policy).severity
    }

    fn field(required: bool, facts: Facts) -> Severity {
        field_under(LITERALS, required, facts)
    }

    #[test]
    fn a_new_field_of_a_non_exhaustive_struct_is_compatible_while_its_constructors_stay() {
        let policy = Policy::GENERATED;
        assert!(policy.structs_non_exhaustive);
        let with_default = Facts {
            default_before: true,
            default_after: true,
            ..Facts::default()
        };
        assert_eq!(
            field_under(policy, false, with_default),
            Severity::Compatible
        );
        let with_new = Facts {
            same_new: true,
            ..Facts::default()
        };
        assert_eq!(field_under(policy, false, with_new), Severity::Compatible);
        // `new(..)` takes the new field, or `Default` is gone: calls break.
        assert_eq!(
            field_under(policy, true, Facts::default()),
            Severity::Breaking
        );
        let lost_default = Facts {
            default_before: true,
            ..Facts::default()
        };
        assert_eq!(field_under(policy, true, lost_default), Severity::Breaking);
    }

    #[test]
    fn a_new_field_is_compatible_only_where_default_construction_survives() {
        let with_default = Facts {
            default_before: true,
            default_after: true,
            built_by_callers: true,
            same_new: false,
            body_on_call: false,
        };
        assert_eq!(field(false, with_default), Severity::Compatible);
        assert_eq!(field(true, with_default), Severity::Breaking);
        let read_only = Facts {
            built_by_callers: false,
            ..with_default
        };
        assert_eq!(field(true, read_only), Severity::Compatible);
        let lost_default = Facts {
            default_after: false,
            ..with_default
        };
        assert_eq!(field(false, lost_default), Severity::Breaking);
        // Built with `new(..)`, whose arguments stay the same: an optional
        // field leaves calls as they were; a required one changes them.
        let with_new = Facts {
            default_before: false,
            default_after: false,
            same_new: true,
            ..with_default
        };
        assert_eq!(field(false, with_new), Severity::Compatible);
        assert_eq!(field(true, with_new), Severity::Breaking);
    }

    #[test]
    fn new_variants_follow_exhaustiveness() {
        let error = ChangeKind::ErrorStatusAdded {
            status: "404".to_owned(),
        };
        let value = ChangeKind::ValueAdded {
            value: "video".to_owned(),
        };
        let exhaustive = Policy {
            type_enums_non_exhaustive: false,
            error_enums_non_exhaustive: false,
            ..Policy::GENERATED
        };
        let open = Policy {
            type_enums_non_exhaustive: true,
            error_enums_non_exhaustive: true,
            ..Policy::GENERATED
        };
        for what in [&error, &value] {
            assert_eq!(
                judge(what, Facts::default(), exhaustive).severity,
                Severity::Breaking
            );
            assert_eq!(
                judge(what, Facts::default(), open).severity,
                Severity::Compatible
            );
        }
    }

    #[test]
    fn an_optional_body_is_compatible_only_when_it_is_not_an_argument() {
        let what = ChangeKind::BodyAdded {
            required: false,
            ty: "types::Body".to_owned(),
        };
        let on_call = Facts {
            body_on_call: true,
            ..Facts::default()
        };
        assert_eq!(
            judge(&what, on_call, Policy::GENERATED).severity,
            Severity::Compatible
        );
        assert_eq!(
            judge(&what, Facts::default(), Policy::GENERATED).severity,
            Severity::Breaking
        );
    }
}
