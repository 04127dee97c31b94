//! The operations as Rust: each tag's module, accessor and struct, each
//! operation's method, the items derived from it (`{Op}Params`, `{Op}Error`,
//! `{Op}Response`), what its method takes, and what the returned call sends
//! before anything more is set on it.

use std::collections::BTreeMap;

use super::construct::{new_arguments, param_fill, Fill, NewArgument};
use super::rust_type::RustType;
use crate::model::{Api, Operation, Response, TypeRef};
use crate::names::{self, Scope};

/// Methods of the generated `Client` (emit/client.rs) and of the traits it
/// derives, which no tag accessor may take; and `mod`, which names the
/// `apis/mod.rs` file that a tag module must not be.
const CLIENT_METHODS: &[&str] = &["builder", "base_url", "with_options", "clone", "fmt", "mod"];

/// Methods of the traits a tag struct derives (`Debug`, `Clone`, `Copy`),
/// which an operation's method would shadow, and `new`, which readers (and
/// clippy) expect to build the struct.
const TAG_STRUCT_METHODS: &[&str] = &["new", "clone", "clone_from", "fmt"];

/// What every tag module imports (emit/apis.rs), and the crate's own items a
/// tag struct is re-exported beside in `apis`: names that neither a tag
/// struct nor an operation's own type may take.
const MODULE_ITEMS: &[&str] = &[
    "Call",
    "Client",
    "ClientBuilder",
    "Error",
    "Server",
    "Auth",
    "Request",
    "Response",
    "PageLayout",
    "Paginator",
];

/// One tag's Rust surface: its module, accessors and structs.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSurface {
    /// Module name (`switchboard_actions`), also the accessor on `Client`.
    pub module: String,
    /// Accessor struct name (`SwitchboardActions`), in `apis`.
    pub struct_name: String,
    /// The cargo feature that compiles the tag, when the crate has features.
    pub feature: Option<String>,
    /// The accessor on the test kit's `MockApi` (the module name, unless one
    /// of `MockApi`'s own methods takes it).
    pub kit_accessor: String,
    /// The struct of the tag's expectations in the kit's `mock` module.
    pub kit_struct: String,
}

/// One operation's Rust surface.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationSurface {
    /// The method on the tag's struct (`pass_control`).
    pub method: String,
    /// The method on the kit's expectations struct for the tag.
    pub kit_method: String,
    /// The `{Op}Params` struct, when the operation has query or header parameters.
    pub params_type: Option<String>,
    /// The `{Op}Error` enum.
    pub error_type: String,
    /// The `{Op}Response` enum, when several success statuses are documented.
    pub response_type: Option<String>,
    /// What a successful call returns.
    pub success: Success,
    /// The method's arguments after `&self`, in order.
    pub arguments: Vec<Argument>,
    /// The name of each path parameter's argument, in
    /// [`Operation::path_params`] order.
    pub path_names: Vec<String>,
    /// The name of each query or header parameter's field in `{Op}Params`.
    pub param_names: Vec<String>,
    /// The variant of each documented success in `{Op}Response`.
    pub success_variants: Vec<String>,
    /// The variant of each documented error in `{Op}Error`.
    pub error_variants: Vec<String>,
    /// The name and type of each of [`OperationSurface::arguments`], in order.
    pub signature: Vec<(String, RustType)>,
    /// Whether the parameters are set with the call's `.params(..)` (none
    /// must be given) rather than passed to the method.
    pub params_on_call: bool,
    /// Whether the call sends `{Op}Params::default()` until `.params(..)`
    /// replaces it: some parameter is required and has a document default,
    /// which the server expects to receive.
    pub sends_default_params: bool,
    /// What each query or header parameter holds in `{Op}Params` when unset;
    /// `None` when it must be given.
    pub param_fills: Vec<Option<Fill>>,
    /// The setter of each query or header parameter in `{Op}Params`.
    pub param_setters: Vec<String>,
    /// The type of each query or header parameter's field in `{Op}Params`.
    pub param_types: Vec<RustType>,
    /// What `{Op}Params::new(..)` takes, in order (empty when it has `Default`).
    pub params_new: Vec<NewArgument>,
    /// Whether an optional body is set with the call's `.body(..)`.
    pub body_on_call: bool,
    /// Whether the call has `.paginate()`.
    pub paginates: bool,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// `()`: no success has a body.
    Unit,
    /// The one documented success's body.
    Body(TypeRef),
    /// The `{Op}Response` enum.
    Enum,
}

/// An argument of an operation's method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Argument {
    /// A path parameter, by index into [`Operation::path_params`].
    Path(usize),
    /// `params: &{Op}Params`.
    Params,
    /// `body: &T`, a required body.
    Body,
}

impl OperationSurface {
    /// Whether the method takes `params: &{Op}Params`.
    pub fn takes_params(&self) -> bool {
        self.arguments.contains(&Argument::Params)
    }

    /// Whether `{Op}Params` has `Default`.
    pub fn params_have_default(&self) -> bool {
        self.param_fills.iter().all(Option::is_some)
    }
}

/// Claims the name of every tag's module, accessor and struct and of every
/// operation's method and own items, and decides every operation's
/// signature: the groups by tag, the operations by `operationId`. The kit's
/// names are left to [`super::kit`].
pub(super) fn decide(
    api: &Api,
) -> (
    BTreeMap<String, GroupSurface>,
    BTreeMap<String, OperationSurface>,
) {
    // An accessor is a method of `Client` and names a file in `src/apis/`.
    let mut modules = Scope::with_reserved(CLIENT_METHODS.iter().copied());
    let mut structs = Scope::with_reserved(MODULE_ITEMS.iter().copied());
    let mut groups = BTreeMap::new();
    let mut surfaces = BTreeMap::new();
    for group in &api.groups {
        let accessor = names::accessor_name(&group.tag);
        // Also a file name, so a keyword gets a trailing `_` instead of `r#`.
        let accessor = match accessor.strip_prefix("r#") {
            Some(keyword) => format!("{keyword}_"),
            None => accessor,
        };
        let module = modules.claim(&accessor);
        let struct_name = structs.claim(&names::type_name(&group.tag));
        // The items of the group's module: the imports, the group's struct,
        // then each operation's own types, in method order.
        let mut items =
            Scope::with_reserved(MODULE_ITEMS.iter().copied().chain([struct_name.as_str()]));
        // Method names must be unique within the group; twins that differ
        // only in case (`getUser`, `GetUser`) get `get_user`, `get_user2`.
        let mut methods = Scope::with_reserved(TAG_STRUCT_METHODS.iter().copied());
        for op in &group.operations {
            let candidate = names::field_name(&op.id);
            let method = methods.claim(&candidate);
            // The operation's own types follow its method: `GetUser2Params`.
            let prefix = if method == candidate {
                op.type_prefix.clone()
            } else {
                names::type_name(&method)
            };
            surfaces.insert(
                op.id.clone(),
                operation(api, op, method, &prefix, &mut items),
            );
        }
        groups.insert(
            group.tag.clone(),
            GroupSurface {
                kit_accessor: module.clone(),
                kit_struct: struct_name.clone(),
                module,
                struct_name,
                feature: None,
            },
        );
    }
    (groups, surfaces)
}

fn operation(
    api: &Api,
    op: &Operation,
    method: String,
    prefix: &str,
    items: &mut Scope,
) -> OperationSurface {
    let params = &op.query_and_header_params;
    let params_type = (!params.is_empty()).then(|| items.claim(&format!("{prefix}Params")));
    let error_type = items.claim(&format!("{prefix}Error"));
    let response_type = (op.successes.len() > 1).then(|| items.claim(&format!("{prefix}Response")));
    let param_fills: Vec<Option<Fill>> = params.iter().map(|p| param_fill(api, p)).collect();
    let takes_params = takes_params(op, &param_fills);
    let arguments = arguments(op, takes_params);
    let params_on_call = !params.is_empty() && !takes_params;
    // Arguments beside `params` and `body`; `self_` is what `self` becomes.
    let path_names = claimed(
        ["body", "params", "self_"],
        op.path_params.iter().map(|p| names::field_name(&p.name)),
    );
    let param_names = claimed([], params.iter().map(|p| names::field_name(&p.name)));
    let params_new = new_arguments(
        params
            .iter()
            .zip(&param_names)
            .map(|(p, name)| (name.as_str(), RustType::of(api, &p.ty))),
        &param_fills,
    );
    let body_required = op.body.as_ref().map(|body| body.required);
    OperationSurface {
        signature: signature(api, op, &arguments, &path_names, params_type.as_deref()),
        param_types: params
            .iter()
            .map(|p| RustType::of_param_field(api, p))
            .collect(),
        params_new,
        kit_method: method.clone(),
        method,
        sends_default_params: params_on_call && params.iter().any(|p| p.required),
        params_type,
        error_type,
        response_type,
        success: success(op),
        arguments,
        params_on_call,
        param_setters: super::setters::names(param_names.iter().map(String::as_str)),
        success_variants: variants(&op.successes),
        error_variants: variants(&op.errors),
        path_names,
        param_names,
        param_fills,
        body_on_call: body_required == Some(false),
        paginates: op.pagination.is_some(),
    }
}

/// What a successful call returns: `()`, the one documented body, or the
/// `{Op}Response` enum of several.
fn success(op: &Operation) -> Success {
    match op.successes.as_slice() {
        [] => Success::Unit,
        [only] => match &only.body {
            Some(ty) => Success::Body(ty.clone()),
            None => Success::Unit,
        },
        _ => Success::Enum,
    }
}

/// Whether the method takes `{Op}Params`: a parameter that must be sent and
/// has no document default (even one that could be left empty, such as a
/// map) makes the struct an argument; otherwise the call carries the
/// parameters, and a new optional one changes no signature.
fn takes_params(op: &Operation, fills: &[Option<Fill>]) -> bool {
    op.query_and_header_params
        .iter()
        .zip(fills)
        .any(|(p, fill)| fill.is_none() || (p.required && p.default.is_none()))
}

/// The method's arguments: the path parameters, `{Op}Params` when it takes
/// them, a required body.
fn arguments(op: &Operation, takes_params: bool) -> Vec<Argument> {
    let mut arguments: Vec<Argument> = (0..op.path_params.len()).map(Argument::Path).collect();
    if takes_params {
        arguments.push(Argument::Params);
    }
    if op.body.as_ref().is_some_and(|body| body.required) {
        arguments.push(Argument::Body);
    }
    arguments
}

/// Each of `candidates` claimed, in order, in a scope where `reserved` are taken.
fn claimed<const N: usize>(
    reserved: [&str; N],
    candidates: impl Iterator<Item = String>,
) -> Vec<String> {
    let mut scope = Scope::with_reserved(reserved);
    candidates.map(|name| scope.claim(&name)).collect()
}

/// The name and type of each argument, as the method declares them.
fn signature(
    api: &Api,
    op: &Operation,
    arguments: &[Argument],
    path_names: &[String],
    params_type: Option<&str>,
) -> Vec<(String, RustType)> {
    arguments
        .iter()
        .filter_map(|argument| match argument {
            Argument::Path(index) => {
                let param = op.path_params.get(*index)?;
                Some((
                    path_names.get(*index)?.clone(),
                    RustType::of_path_argument(api, param),
                ))
            }
            Argument::Params => Some((
                "params".to_owned(),
                RustType::Ref(Box::new(RustType::Item(params_type?.to_owned()))),
            )),
            Argument::Body => Some((
                "body".to_owned(),
                RustType::Ref(Box::new(RustType::of(api, op.body.as_ref()?.kind.ty()))),
            )),
        })
        .collect()
}

/// The variant of each response in its enum: the status's word (`NotFound`,
/// `ClientError`), claimed in status order.
fn variants(responses: &[Response]) -> Vec<String> {
    let mut scope = Scope::default();
    responses
        .iter()
        .map(|r| scope.claim(&names::status_word(r.status)))
        .collect()
}
