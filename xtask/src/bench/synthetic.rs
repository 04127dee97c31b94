//! A larger document made from a real one, to show that generation time
//! grows linearly with the size of the document: every path and every
//! component is cloned under a renamed key, and the references inside each
//! clone are renamed with it. The copies are made in memory for the bench
//! and never written to the repository.

use serde_yaml::Value;

/// `text` with `copies` copies of its paths and components (1 gives the
/// document itself, written out the same way as the larger ones, so that
/// the sizes compare like for like). `None` if it is not a YAML mapping.
pub fn multiply(text: &str, copies: usize) -> Option<String> {
    let mut document: Value = serde_yaml::from_str(text).ok()?;
    let root = document.as_mapping_mut()?;
    // The copies are made from the original entries only.
    let paths = root.get("paths").and_then(Value::as_mapping).cloned();
    let components = root.get("components").and_then(Value::as_mapping).cloned();
    for copy in 1..copies {
        let suffix = format!("Copy{copy}");
        if let (Some(original), Some(Value::Mapping(paths))) = (&paths, root.get_mut("paths")) {
            for (path, item) in original {
                let Some(path) = path.as_str() else { continue };
                let mut item = item.clone();
                rename(&mut item, &suffix);
                paths.insert(Value::from(format!("/copy{copy}{path}")), item);
            }
        }
        if let (Some(original), Some(Value::Mapping(components))) =
            (&components, root.get_mut("components"))
        {
            for (kind, entries) in original {
                let (Some(Value::Mapping(section)), Value::Mapping(entries)) =
                    (components.get_mut(kind), entries)
                else {
                    continue;
                };
                for (name, item) in entries {
                    let Some(name) = name.as_str() else { continue };
                    let mut item = item.clone();
                    rename(&mut item, &suffix);
                    section.insert(Value::from(format!("{name}{suffix}")), item);
                }
            }
        }
    }
    serde_yaml::to_string(&document).ok()
}

/// Points the references inside a clone at the clones, and keeps operation
/// ids unique.
fn rename(value: &mut Value, suffix: &str) {
    match value {
        Value::String(text) if text.starts_with("#/components/") => text.push_str(suffix),
        Value::Mapping(map) => {
            for (key, item) in map.iter_mut() {
                match (key.as_str(), item) {
                    (Some("operationId"), Value::String(id)) => id.push_str(suffix),
                    // Examples are data: a string in one is not a reference.
                    (Some("example" | "examples"), _) => {}
                    (_, item) => rename(item, suffix),
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|item| rename(item, suffix)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::multiply;

    const DOC: &str = "\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
";

    #[test]
    fn copies_paths_and_components_with_their_references() {
        let tripled = multiply(DOC, 3).expect("a mapping");
        for expected in [
            "/copy2/pets:",
            "operationId: listPetsCopy2",
            "$ref: '#/components/schemas/PetCopy2'",
            "PetCopy2:",
        ] {
            assert!(tripled.contains(expected), "{expected} in:\n{tripled}");
        }
        assert!(!tripled.contains("Copy3"));
        let generated = codegen::generate(
            tripled.as_bytes(),
            &codegen::Selection::default(),
            &codegen::CrateConfig::default(),
        )
        .expect("the copies generate");
        assert_eq!(generated.surface.api().operations().count(), 3);
    }
}
