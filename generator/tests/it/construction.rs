//! How generated types are read and built (issue 8, items 2 and 3):
//!
//! - one level of `Option` for readers, and `Nullable<T>` (absent, `null`, a
//!   value) only where a request must tell "leave it" from "clear it";
//! - discriminators written by the variant, never by the user, and never
//!   required when decoding;
//! - `Default` or `new(..)` for everything users build, with the document's
//!   `default:` values, and never an empty string in place of a value.
//!
//! The serde behaviour is checked on the wire with the committed client
//! (`generated/`); the decisions, on models and code generated from small
//! documents and from the full published document.

use crate::common;

use std::collections::BTreeSet;

use codegen::model::{Api, Presence, TypeDef, TypeKind};
use codegen::{CrateConfig, Generated, Selection};
use serde_json::{json, Map, Value};
use sunshine_conversations::types::{
    ConversationTruncated, PassControlBody, ReleaseControlBody, SwitchboardPassControlEvent,
    SwitchboardPassControlPayload, WebhookEvent,
};
use sunshine_conversations::Nullable;

fn generate(spec: &[u8]) -> Generated {
    codegen::generate(spec, &Selection::default(), &CrateConfig::default())
        .unwrap_or_else(|diagnostics| panic!("does not generate:\n{diagnostics}"))
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

// ---------------------------------------------------------------------------
// On the wire, with the committed client
// ---------------------------------------------------------------------------

#[test]
fn nullable_is_left_out_sent_as_null_or_sent_as_a_value() {
    let absent = PassControlBody::new("next");
    let null = PassControlBody::new("next").metadata(Nullable::Null);
    let value = PassControlBody::new("next").metadata(object(json!({ "lang": "en" })));

    assert_eq!(
        serde_json::to_string(&absent).unwrap(),
        r#"{"switchboardIntegration":"next"}"#
    );
    assert_eq!(
        serde_json::to_string(&null).unwrap(),
        r#"{"switchboardIntegration":"next","metadata":null}"#
    );
    assert_eq!(
        serde_json::to_string(&value).unwrap(),
        r#"{"switchboardIntegration":"next","metadata":{"lang":"en"}}"#
    );
    // And each reads back as itself.
    for body in [absent, null, value] {
        let text = serde_json::to_string(&body).unwrap();
        assert_eq!(
            serde_json::from_str::<PassControlBody>(&text).unwrap(),
            body
        );
    }
}

#[test]
fn nullable_helpers_say_which_case_it_is() {
    let absent: Nullable<i32> = Nullable::default();
    assert!(absent.is_absent() && !absent.is_null() && absent.value().is_none());
    let null: Nullable<i32> = Nullable::Null;
    assert!(!null.is_absent() && null.is_null() && null.value().is_none());
    let value: Nullable<i32> = 7.into();
    assert_eq!((value.value(), value.into_value()), (Some(&7), Some(7)));
    assert_eq!(Nullable::from_option(None::<i32>), Nullable::Null);
    assert_eq!(Nullable::from_option(Some(1)), Nullable::Value(1));
}

#[test]
fn a_received_optional_nullable_property_is_a_plain_option() {
    // `ConversationTruncated` is only ever received: absent and `null` are both `None`.
    let absent: ConversationTruncated = serde_json::from_value(json!({})).unwrap();
    let null: ConversationTruncated =
        serde_json::from_value(json!({ "activeSwitchboardIntegration": null, "metadata": null }))
            .unwrap();
    let value: ConversationTruncated =
        serde_json::from_value(json!({ "activeSwitchboardIntegration": { "name": "bot" } }))
            .unwrap();

    assert_eq!(absent.active_switchboard_integration, None);
    assert_eq!(null.active_switchboard_integration, None);
    assert_eq!(null.metadata, None);
    assert_eq!(
        value
            .active_switchboard_integration
            .and_then(|integration| integration.name)
            .as_deref(),
        Some("bot")
    );
}

#[test]
fn a_body_built_with_new_or_default_sends_no_empty_strings() {
    let pass = serde_json::to_value(PassControlBody::new("next")).unwrap();
    assert_eq!(pass, json!({ "switchboardIntegration": "next" }));
    let release = serde_json::to_value(ReleaseControlBody::default()).unwrap();
    assert_eq!(release, json!({}));
}

#[test]
fn the_variant_writes_the_tag_and_decoding_accepts_it_present_or_absent() {
    let event: WebhookEvent = SwitchboardPassControlEvent::default()
        .id("evt")
        .payload(SwitchboardPassControlPayload::default())
        .into();
    let written = serde_json::to_value(&event).unwrap();
    assert_eq!(
        written,
        json!({ "type": "switchboard:passControl", "id": "evt", "payload": {} })
    );
    // Through the union, the tag present selects the variant...
    let read: WebhookEvent = serde_json::from_value(written.clone()).unwrap();
    assert_eq!(read, event);
    // ...and the variant's struct itself does not need it.
    let mut untagged = written;
    untagged.as_object_mut().unwrap().remove("type");
    let direct: SwitchboardPassControlEvent = serde_json::from_value(untagged).unwrap();
    assert_eq!(WebhookEvent::from(direct), event);
}

// ---------------------------------------------------------------------------
// Decisions in small documents
// ---------------------------------------------------------------------------

fn type_named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .values()
        .find(|def| def.name == name)
        .unwrap_or_else(|| panic!("no type `{name}`"))
}

fn field_names(def: &TypeDef) -> Vec<&str> {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| f.json_name.as_str()).collect(),
        _ => panic!("`{}` is not a struct", def.name),
    }
}

/// A document with one tagged union `Shape` over `Circle` and the given
/// members, the union sent and received, plus extra schemas and operations.
/// (A union of one member would be just that member.)
fn union_document(members: &str, mapping: &str, schemas: &str, extra_paths: &str) -> String {
    format!(
        "openapi: 3.0.3
info: {{title: T, version: '1'}}
paths:
  /shapes:
    post:
      operationId: createShape
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Shape'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Shape'}}
{extra_paths}
components:
  schemas:
    Shape:
      oneOf: [{{$ref: '#/components/schemas/Circle'}}, {members}]
      discriminator:
        propertyName: kind
        mapping: {{circle: '#/components/schemas/Circle', {mapping}}}
    Circle:
      type: object
      properties:
        kind: {{type: string}}
        radius: {{type: number}}
{schemas}"
    )
}

const SQUARE: &str = "    Square:
      type: object
      required: [kind, side]
      properties:
        kind: {type: string, enum: [square]}
        side: {type: number}
";

#[test]
fn a_tag_fixed_by_the_variant_leaves_the_struct_and_is_written_by_it() {
    let spec = union_document(
        "{$ref: '#/components/schemas/Square'}",
        "square: '#/components/schemas/Square'",
        SQUARE,
        "",
    );
    let generated = generate(spec.as_bytes());
    let square = type_named(generated.surface.api(), "Square");
    assert_eq!(field_names(square), ["side"]);
    let TypeKind::Struct(s) = &square.kind else {
        unreachable!()
    };
    let tag = s.tag.as_ref().expect("the tag moved to the type");
    assert_eq!(
        (tag.property.as_str(), tag.value.as_str()),
        ("kind", "square")
    );
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("#[serde(tag = \"kind\", rename = \"square\")]"));
    // The tag's own enum is not generated any more: nothing uses it.
    assert!(
        !generated
            .surface
            .api()
            .types
            .values()
            .any(|d| d.name == "SquareKind"),
        "{:?}",
        generated
            .surface
            .api()
            .types
            .values()
            .map(|d| &d.name)
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_struct_with_extra_properties_drops_its_tag_only_when_nothing_else_uses_it() {
    let schemas = "    Blob:
      type: object
      additionalProperties: true
      properties:
        kind: {type: string}
        size: {type: number}
    Cloud:
      type: object
      additionalProperties: true
      properties:
        kind: {type: string}
        height: {type: number}
";
    // `Cloud` is also a response on its own, where its `kind` must stay a field.
    let extra = "  /clouds:
    get:
      operationId: getCloud
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Cloud'}";
    let spec = union_document(
        "{$ref: '#/components/schemas/Blob'}, {$ref: '#/components/schemas/Cloud'}",
        "blob: '#/components/schemas/Blob', cloud: '#/components/schemas/Cloud'",
        schemas,
        extra,
    );
    let generated = generate(spec.as_bytes());
    let blob = type_named(generated.surface.api(), "Blob");
    let cloud = type_named(generated.surface.api(), "Cloud");
    // Decoded, a tag would land in the flattened map and be written twice: so
    // only the union writes `Blob`'s tag, and `Cloud` keeps its field.
    assert_eq!(field_names(blob), ["size"]);
    assert!(matches!(&blob.kind, TypeKind::Struct(s) if s.tag.is_none()));
    assert_eq!(field_names(cloud), ["kind", "height"]);
}

#[test]
fn a_struct_selected_by_several_tags_keeps_its_tag_field() {
    let spec = union_document(
        "{$ref: '#/components/schemas/Square'}",
        "square: '#/components/schemas/Square', box: '#/components/schemas/Square'",
        SQUARE,
        "",
    );
    let generated = generate(spec.as_bytes());
    // Which of the two tags was sent is information: the field stays.
    assert_eq!(
        field_names(type_named(generated.surface.api(), "Square")),
        ["kind", "side"]
    );
}

#[test]
fn optional_nullable_is_nullable_when_sent_and_option_when_only_received() {
    let spec = "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things:
    patch:
      operationId: patchThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Patch'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Patch:
      type: object
      properties:
        note: {type: string, nullable: true}
    Thing:
      type: object
      required: [seen]
      properties:
        note: {type: string, nullable: true}
        seen: {type: string, nullable: true}
";
    let generated = generate(spec.as_bytes());
    let presence = |ty: &str, field: &str| {
        let TypeKind::Struct(s) = &type_named(generated.surface.api(), ty).kind else {
            unreachable!()
        };
        s.fields
            .iter()
            .find(|f| f.json_name == field)
            .unwrap()
            .presence
    };
    assert_eq!(presence("Patch", "note"), Presence::OptionalNullable);
    assert_eq!(presence("Thing", "note"), Presence::Optional);
    assert_eq!(presence("Thing", "seen"), Presence::RequiredNullable);
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("pub note: crate::Nullable<String>,"));
    assert!(types.contains("pub note: Option<String>,"));
    assert!(generated.files["src/lib.rs"].contains("pub use sunshine_runtime::{Nullable, Upload};"));
}

#[test]
fn a_crate_without_nullable_request_fields_uses_no_nullable_type() {
    let spec = union_document(
        "{$ref: '#/components/schemas/Square'}",
        "square: '#/components/schemas/Square'",
        SQUARE,
        "",
    );
    let generated = generate(spec.as_bytes());
    assert!(!generated.files["src/types.rs"].contains("Nullable"));
}

#[test]
fn document_defaults_fill_default_and_new_and_never_an_empty_string() {
    let spec = "openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /uploads:
    post:
      operationId: upload
      parameters:
        - {name: access, in: query, required: true, schema: {type: string, default: public}}
        - {name: client, in: query, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, default: 25}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name, mode, retries, tags]
              properties:
                name: {type: string}
                mode: {type: string, enum: [fast, safe], default: safe}
                retries: {type: integer, format: int32, default: 3}
                tags: {type: array, items: {type: string}}
      responses:
        '204': {description: done}
";
    let generated = generate(spec.as_bytes());
    let types = &generated.files["src/types.rs"];
    let apis = generated
        .files
        .iter()
        .find(|(name, _)| name.starts_with("src/apis/") && !name.ends_with("mod.rs"))
        .map(|(_, code)| code)
        .expect("an operation module");
    // The required string without a default is taken by `new`; the others
    // start at the document's defaults or empty.
    assert!(
        types.contains("pub fn new(name: impl Into<String>) -> Self"),
        "{types}"
    );
    assert!(types.contains("mode: UploadBodyMode::Safe,"), "{types}");
    assert!(types.contains("retries: 3,"), "{types}");
    assert!(
        apis.contains("pub fn new(client: impl Into<String>) -> Self"),
        "{apis}"
    );
    assert!(apis.contains("access: \"public\".to_owned(),"), "{apis}");
    // An optional parameter with a default is left out (the server applies it).
    assert!(apis.contains("pub limit: Option<i64>,"), "{apis}");
    assert!(apis.contains("The API's default: `25`."), "{apis}");
    assert!(!apis.contains("#[derive(Debug, Clone, PartialEq, Default)]\npub struct UploadParams"));
}

// ---------------------------------------------------------------------------
// The full published document
// ---------------------------------------------------------------------------

fn full_upstream() -> Option<Generated> {
    let specs = common::upstream_specs()?;
    let (_, path) = specs.iter().find(|(version, _)| *version == "17.12.1")?;
    Some(generate(&std::fs::read(path).expect("spec readable")))
}

#[test]
fn the_full_crate_has_no_double_option_and_nullable_only_in_sent_types() {
    let Some(generated) = full_upstream() else {
        return;
    };
    for (file, code) in &generated.files {
        assert!(
            !code.contains("Option<Option"),
            "{file} has a double Option"
        );
    }
    // What each optional, nullable field was (`Option<Option<T>>`) and is now.
    let mut sent = (0, 0);
    let mut received_only = (0, 0);
    let mut fields = 0;
    for def in generated.surface.api().types.values() {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        fields += s.fields.len();
        for field in s.fields.iter().filter(|f| !f.required && f.nullable) {
            if def.usage.sent {
                assert_eq!(field.presence, Presence::OptionalNullable, "{}", def.name);
                sent.0 += 1;
            } else {
                assert_eq!(field.presence, Presence::Optional, "{}", def.name);
                received_only.0 += 1;
            }
        }
        sent.1 += s
            .fields
            .iter()
            .filter(|f| f.presence == Presence::OptionalNullable)
            .count();
    }
    assert_eq!(sent.0, sent.1, "only sent types have `Nullable` fields");
    let both: Vec<&TypeDef> = generated
        .surface
        .api()
        .types
        .values()
        .filter(|d| d.usage.sent && d.usage.received)
        .collect();
    let in_both: usize = both
        .iter()
        .map(|d| match &d.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter(|f| f.presence == Presence::OptionalNullable)
                .count(),
            _ => 0,
        })
        .sum();
    println!(
        "17.12.1: {fields} fields; optional nullable: {} in sent types (now Nullable<T>; {in_both} of them in the {} types also received), {} in received-only types (now Option<T>)",
        sent.0,
        both.len(),
        received_only.0
    );
    assert!(sent.0 > 0 && received_only.0 > 0);
}

#[test]
fn the_full_crate_writes_every_fixed_tag_for_the_user() {
    let Some(generated) = full_upstream() else {
        return;
    };
    let api = generated.surface.api();
    // The issue's example: `Action::Reply(Reply { r#type: "reply".into(), .. })`.
    let reply = type_named(api, "Reply");
    assert!(!field_names(reply).contains(&"type"));
    let mut fixed = BTreeSet::new();
    for def in api.types.values() {
        if let TypeKind::Struct(s) = &def.kind {
            if let Some(tag) = &s.tag {
                assert!(
                    !s.fields.iter().any(|f| f.json_name == tag.property),
                    "{} keeps its tag field",
                    def.name
                );
                fixed.insert(def.name.clone());
            }
        }
    }
    for name in [
        "TextMessage",
        "ImageMessage",
        "Reply",
        "Postback",
        "Web",
        "Whatsapp",
    ] {
        assert!(
            fixed.contains(name),
            "{name} does not write its tag: {fixed:?}"
        );
    }
    let types = &generated.files["src/types.rs"];
    assert!(!types.contains("r#type: \"reply\""));
}

#[test]
fn the_full_crate_builds_what_users_send_with_default_or_new() {
    let Some(generated) = full_upstream() else {
        return;
    };
    let file = syn::parse_file(&generated.files["src/types.rs"]).expect("types.rs parses");
    let mut derived = BTreeSet::new();
    let mut built = BTreeSet::new();
    // Structs are written inside `object!`, which makes them `#[non_exhaustive]`.
    let mut items = Vec::new();
    for item in file.items {
        match item {
            syn::Item::Macro(invocation)
                if invocation.mac.path.segments.last().unwrap().ident == "object" =>
            {
                let body: syn::File = syn::parse2(invocation.mac.tokens).expect("a struct");
                items.extend(body.items);
            }
            other => items.push(other),
        }
    }
    for item in &items {
        match item {
            syn::Item::Struct(item) => {
                let derives_default = item.attrs.iter().any(|attr| {
                    attr.path().is_ident("derive")
                        && quote::quote!(#attr).to_string().contains("Default")
                });
                if derives_default {
                    derived.insert(item.ident.to_string());
                }
            }
            syn::Item::Impl(item) => {
                let syn::Type::Path(path) = item.self_ty.as_ref() else {
                    continue;
                };
                let name = path.path.segments.last().unwrap().ident.to_string();
                let is_default = item
                    .trait_
                    .as_ref()
                    .is_some_and(|(_, t, _)| t.is_ident("Default"));
                let has_new = item
                    .items
                    .iter()
                    .any(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "new"));
                if is_default || has_new {
                    built.insert(name);
                }
            }
            _ => {}
        }
    }
    // Sent or only received (tests build those), no struct can be written
    // as a literal outside the crate: each has `Default` or `new`.
    let mut structs = 0;
    for def in generated.surface.api().types.values() {
        if matches!(def.kind, TypeKind::Struct(_)) {
            structs += 1;
            assert!(
                derived.contains(&def.name) || built.contains(&def.name),
                "`{}` has neither `Default` nor `new`",
                def.name
            );
        }
    }
    assert!(structs > 100, "{structs} structs");
    for name in ["MessagePost", "Author", "Reply"] {
        assert!(built.contains(name), "{name} has no `new`");
    }
    let attachments = &generated.files["src/apis/attachments.rs"];
    assert!(
        attachments.contains("access: \"public\".to_owned(),"),
        "UploadAttachmentParams::default() sends the document's default"
    );
}
