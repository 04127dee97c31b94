//! How the types of the constructs fixture are built and how they travel.

use constructs::apis::pets::ListPetsParams;
use constructs::types::{Bird, Cat, NewPet, Owner, Pet, PetUpdate};
use constructs::Nullable;
use serde_json::{json, Value};

/// Every string anywhere in `value`: none may be empty.
fn assert_no_empty_string(value: &Value) {
    match value {
        Value::String(text) => assert!(!text.is_empty(), "an empty string was sent"),
        Value::Array(items) => items.iter().for_each(assert_no_empty_string),
        Value::Object(map) => map.values().for_each(assert_no_empty_string),
        _ => {}
    }
}

#[test]
fn params_default_to_the_documents_defaults() {
    let params = ListPetsParams::default();
    // Required with `default: name`: sent as `name`, not as an empty string.
    assert_eq!(params.sort, "name");
    // Optional with a default: left out, so that the server applies it.
    assert_eq!(params.order, None);
}

#[test]
fn new_takes_only_what_has_no_default_and_sends_no_empty_string() {
    let pet = serde_json::to_value(NewPet::new("Rex", "dog")).unwrap();
    assert_eq!(
        pet,
        json!({ "name": "Rex", "kind": "dog", "status": "available", "legs": 4 })
    );
    assert_no_empty_string(&pet);
    let owner = serde_json::to_value(Owner::new("Ann", "me")).unwrap();
    assert_eq!(owner, json!({ "name": "Ann", "self": "me" }));
}

#[test]
fn a_patch_leaves_out_clears_or_sets() {
    assert_eq!(serde_json::to_value(PetUpdate::default()).unwrap(), json!({}));
    let clear = PetUpdate::default().nickname(Nullable::Null);
    assert_eq!(serde_json::to_value(clear).unwrap(), json!({ "nickname": null }));
    let set = PetUpdate::default().nickname("Tommy".to_owned());
    assert_eq!(serde_json::to_value(set).unwrap(), json!({ "nickname": "Tommy" }));
    let read: PetUpdate = serde_json::from_value(json!({ "nickname": null })).unwrap();
    assert_eq!(read.nickname, Nullable::Null);
    let read: PetUpdate = serde_json::from_value(json!({})).unwrap();
    assert!(read.nickname.is_absent());
}

#[test]
fn the_variant_writes_its_tag_and_reads_with_it_present() {
    let cat = Cat::default().id(2).name("Tom");
    let pet: Pet = cat.clone().into();
    let written = serde_json::to_value(&pet).unwrap();
    assert_eq!(written, json!({ "kind": "cat", "id": 2, "name": "Tom" }));
    // Outside the union too.
    assert_eq!(serde_json::to_value(&cat).unwrap(), written);
    let read: Pet = serde_json::from_value(written).unwrap();
    assert_eq!(read, pet);
    // Read from received data, `null` for an optional property is `None`.
    let read: Cat = serde_json::from_value(json!({ "id": 2, "nickname": null })).unwrap();
    assert_eq!(read.nickname, None);
}

#[test]
fn a_variant_with_extra_properties_writes_its_tag_once() {
    let sent = json!({ "kind": "bird", "wingspan": 0.5, "ring": "A7" });
    let pet: Pet = serde_json::from_value(sent.clone()).unwrap();
    assert!(matches!(pet, Pet::Bird(_)), "{pet:?}");
    assert_eq!(
        serde_json::to_string(&pet).unwrap().matches("\"kind\"").count(),
        1
    );
    assert_eq!(serde_json::to_value(&pet).unwrap(), sent);
    let built: Pet = Bird::default().wingspan(0.5).into();
    assert_eq!(
        serde_json::to_value(built).unwrap(),
        json!({ "kind": "bird", "wingspan": 0.5 })
    );
}
