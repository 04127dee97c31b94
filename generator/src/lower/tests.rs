//! Lowering's decisions, one test each, on documents as small as they can be.

use super::{lower, Selection};
use crate::diagnostics::Diagnostics;
use crate::model::{Api, Presence, TypeKind, TypeRef};

/// `paths` and `components` of an OpenAPI 3.0 document, lowered.
fn lowered(rest: &str) -> (Api, Diagnostics) {
    lowered_with(rest, &Selection::default())
}

fn lowered_with(rest: &str, selection: &Selection) -> (Api, Diagnostics) {
    let text = format!("openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\n{rest}");
    let mut diagnostics = Diagnostics::default();
    let document = crate::load::load(text.as_bytes(), &mut diagnostics)
        .unwrap_or_else(|_| panic!("loads:\n{diagnostics}"));
    let api = lower(&document, selection, &mut diagnostics);
    (api, diagnostics)
}

fn type_named<'a>(api: &'a Api, name: &str) -> &'a crate::model::TypeDef {
    api.types
        .values()
        .find(|def| def.name == name)
        .unwrap_or_else(|| panic!("a type named {name}"))
}

const THING_ENDPOINT: &str = "
paths:
  /things:
    post:
      operationId: makeThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ThingRequest'}
      responses:
        '200':
          description: Made.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              example: {id: t1}
        '404':
          $ref: '#/components/responses/NotFound'
";

#[test]
fn types_travel_the_way_their_operations_use_them() {
    let (api, _) = lowered(&format!(
        "{THING_ENDPOINT}
components:
  responses:
    NotFound: {{description: No such thing.}}
  schemas:
    ThingRequest:
      type: object
      properties:
        note: {{type: string, nullable: true}}
    Thing:
      type: object
      required: [id]
      properties:
        id: {{type: string}}
        note: {{type: string, nullable: true}}
    Unused: {{type: string}}
"
    ));
    let sent = type_named(&api, "ThingRequest");
    let received = type_named(&api, "Thing");
    assert!(sent.usage.sent && !sent.usage.received);
    assert!(received.usage.received && !received.usage.sent);
    assert!(
        api.types.values().all(|def| def.name != "Unused"),
        "unreachable types are dropped"
    );
    let note = |def: &crate::model::TypeDef| match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .find(|f| f.json_name == "note")
            .map(|f| f.presence),
        _ => None,
    };
    // A sent type tells "leave it out" from "clear it"; a received one need not.
    assert_eq!(note(sent), Some(Presence::OptionalNullable));
    assert_eq!(note(received), Some(Presence::Optional));
}

#[test]
fn an_example_written_in_an_operations_response_answers_for_its_status() {
    let (api, _) = lowered(&format!(
        "{THING_ENDPOINT}
components:
  responses:
    NotFound:
      description: No such thing.
      content:
        application/json:
          schema: {{type: object, properties: {{message: {{type: string}}}}}}
          example: {{message: gone}}
  schemas:
    ThingRequest: {{type: object, properties: {{note: {{type: string}}}}}}
    Thing: {{type: object, required: [id], properties: {{id: {{type: string}}}}}}
"
    ));
    let answers: Vec<_> = api
        .examples
        .iter()
        .map(|e| e.answers.as_ref().map(|a| (a.operation.as_str(), a.status)))
        .collect();
    // The 200's own example answers; the shared 404 response's does not.
    assert!(answers.contains(&Some(("makeThing", 200))), "{answers:?}");
    assert_eq!(
        answers.iter().filter(|a| a.is_some()).count(),
        1,
        "{answers:?}"
    );
}

#[test]
fn a_struct_selected_by_one_tag_carries_it_instead_of_a_field() {
    let (api, _) = lowered(
        "
paths:
  /pets:
    get:
      operationId: getPet
      responses:
        '200':
          description: A pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Dog'
        - $ref: '#/components/schemas/Cat'
      discriminator:
        propertyName: kind
        mapping: {dog: '#/components/schemas/Dog', cat: '#/components/schemas/Cat'}
    Dog:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        barks: {type: boolean}
    Cat:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
",
    );
    let TypeKind::Struct(dog) = &type_named(&api, "Dog").kind else {
        panic!("Dog is a struct");
    };
    assert!(dog.fields.iter().all(|f| f.json_name != "kind"));
    let tag = dog.tag.as_ref().expect("a fixed tag");
    assert_eq!((tag.property.as_str(), tag.value.as_str()), ("kind", "dog"));
}

#[test]
fn servers_are_variants_in_name_order_and_the_first_plain_one_is_the_default() {
    let (api, _) = lowered(
        "
servers:
  - url: 'https://{tenant}.example.com'
    variables: {tenant: {default: acme}}
  - url: https://api.example.com
    description: United States
  - url: https://api.eu.example.com
    description: European Union
paths: {}
",
    );
    let names: Vec<(&str, bool)> = api
        .servers
        .iter()
        .map(|s| (s.name.as_str(), s.is_default))
        .collect();
    assert_eq!(
        names,
        [
            ("EuropeanUnion", false),
            ("Example", false),
            ("UnitedStates", true)
        ]
    );
}

#[test]
fn a_webhook_payload_that_lists_events_says_so_once() {
    let (api, _) = lowered(
        "
paths: {}
x-webhooks:
  Thing Event:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                events:
                  type: array
                  items:
                    oneOf:
                      - {$ref: '#/components/schemas/thingMade'}
      responses:
        '200': {description: Received.}
components:
  schemas:
    thingMade:
      title: 'thing:made'
      type: object
      properties:
        id: {type: string}
",
    );
    let events = api.webhooks[0]
        .events
        .as_ref()
        .expect("the payload lists events");
    assert_eq!(events.field, "events");
    let TypeRef::Named(union) = &events.event else {
        panic!("the events enum is a named type");
    };
    let TypeKind::Union(union) = &api.types[union].kind else {
        panic!("a union");
    };
    // Event types end in `Event`; their variants do not.
    assert_eq!(union.variants[0].name, "ThingMade");
    assert_eq!(type_named(&api, "ThingMadeEvent").name, "ThingMadeEvent");
    assert_eq!(
        api.event_delivery().map(|(w, _)| w.name.as_str()),
        Some("Thing Event")
    );
}

#[test]
fn operations_are_ordered_by_the_method_they_ask_for() {
    let (api, _) = lowered(
        "
paths:
  /b:
    get: {operationId: listZebras, responses: {'204': {description: Done.}}}
  /a:
    get: {operationId: getApple, responses: {'204': {description: Done.}}}
",
    );
    let ids: Vec<&str> = api.operations().map(|op| op.id.as_str()).collect();
    assert_eq!(ids, ["getApple", "listZebras"]);
}

#[test]
fn a_selected_tag_that_no_operation_has_is_an_error() {
    let selection = Selection {
        tags: vec!["Nope".to_owned()],
    };
    let (_, diagnostics) = lowered_with(
        "
paths:
  /a:
    get: {operationId: a, tags: [Real], responses: {'204': {description: Done.}}}
",
        &selection,
    );
    let text = diagnostics.to_string();
    assert!(diagnostics.has_errors(), "{text}");
    assert!(
        text.contains("no operation has the tag `Nope`") && text.contains("`Real`"),
        "{text}"
    );
}
