//! A JSON Schema (draft-04) validator for the keywords the vendored SARIF 2.1.0 schema uses,
//! so the SARIF tests need no schema crate (the `jsonschema` crate brought 35 crates to a
//! test build). A schema with any other keyword is refused, so nothing is skipped silently.

use regex_automata::meta::Regex;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Keywords that constrain an instance, all of them implemented below.
const ASSERTIONS: [&str; 16] = [
    "$ref",
    "type",
    "enum",
    "properties",
    "additionalProperties",
    "required",
    "items",
    "minItems",
    "uniqueItems",
    "minimum",
    "maximum",
    "pattern",
    "format",
    "anyOf",
    "oneOf",
    "definitions",
];

/// Keywords that only annotate.
const ANNOTATIONS: [&str; 5] = ["$schema", "id", "title", "description", "default"];

pub struct Validator {
    root: Value,
    patterns: HashMap<String, Regex>,
}

impl Validator {
    /// Compiles `root`; an error names an unsupported keyword or a bad pattern.
    pub fn new(root: Value) -> Result<Validator, String> {
        let mut patterns = HashMap::new();
        check_keywords(&root, "#", &mut patterns)?;
        Ok(Validator { root, patterns })
    }

    /// Every way `instance` breaks the schema, with the JSON pointer where.
    pub fn errors(&self, instance: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.validate(&self.root, instance, "", &mut errors);
        errors
    }

    fn resolve(&self, reference: &str) -> Option<&Value> {
        let pointer = reference.strip_prefix('#')?;
        self.root.pointer(pointer)
    }

    fn validate(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let Some(schema) = schema.as_object() else {
            return;
        };
        let mut fail = |message: String| errors.push(format!("{message} at {at:?}"));
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            match self.resolve(reference) {
                Some(target) => self.validate(target, value, at, errors),
                None => errors.push(format!("unresolvable $ref {reference} at {at:?}")),
            }
            return;
        }
        if let Some(types) = schema.get("type") {
            let allowed: Vec<&str> = match types {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !allowed.iter().any(|t| has_type(value, t)) {
                fail(format!("{value} is not of type {allowed:?}"));
            }
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array) {
            if !options.contains(value) {
                fail(format!("{value} is not one of {options:?}"));
            }
        }
        if let Some(n) = value.as_f64() {
            if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
                if n < min {
                    fail(format!("{n} is less than the minimum {min}"));
                }
            }
            if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
                if n > max {
                    fail(format!("{n} is more than the maximum {max}"));
                }
            }
        }
        if let Some(text) = value.as_str() {
            if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
                if !self.patterns[pattern].is_match(text) {
                    fail(format!("{text:?} does not match {pattern:?}"));
                }
            }
            if let Some(format) = schema.get("format").and_then(Value::as_str) {
                if !has_format(text, format) {
                    fail(format!("{text:?} is not a {format}"));
                }
            }
        }
        if let Some(items) = value.as_array() {
            if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
                if (items.len() as u64) < min {
                    fail(format!("fewer than {min} items"));
                }
            }
            if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
                for (i, item) in items.iter().enumerate() {
                    if items[..i].contains(item) {
                        fail(format!("item {i} repeats an earlier one"));
                    }
                }
            }
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    self.validate(item_schema, item, &format!("{at}/{i}"), errors);
                }
            }
        }
        if let Some(object) = value.as_object() {
            self.validate_object(schema, object, at, errors);
        }
        self.validate_alternatives(schema, value, at, errors);
    }

    fn validate_object(
        &self,
        schema: &Map<String, Value>,
        object: &Map<String, Value>,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(name) {
                errors.push(format!("missing required property {name:?} at {at:?}"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, property) in object {
            let path = format!("{at}/{name}");
            match properties.and_then(|p| p.get(name)) {
                Some(property_schema) => self.validate(property_schema, property, &path, errors),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errors.push(format!("property {name:?} is not allowed at {at:?}"))
                    }
                    Some(extra @ Value::Object(_)) => self.validate(extra, property, &path, errors),
                    _ => {}
                },
            }
        }
    }

    fn validate_alternatives(
        &self,
        schema: &Map<String, Value>,
        value: &Value,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let passing = |key: &str| -> Option<usize> {
            let options = schema.get(key)?.as_array()?;
            Some(
                options
                    .iter()
                    .filter(|option| {
                        let mut errors = Vec::new();
                        self.validate(option, value, at, &mut errors);
                        errors.is_empty()
                    })
                    .count(),
            )
        };
        if passing("anyOf") == Some(0) {
            errors.push(format!("matches none of anyOf at {at:?}"));
        }
        if let Some(n) = passing("oneOf").filter(|&n| n != 1) {
            errors.push(format!("matches {n} of oneOf, not exactly one, at {at:?}"));
        }
    }
}

fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|n| n.fract() == 0.0)
        }
        _ => false,
    }
}

/// The formats the SARIF schema names, checked for their shape.
fn has_format(text: &str, format: &str) -> bool {
    match format {
        // scheme ":" …, RFC 3986
        "uri" => {
            text.split_once(':').is_some_and(|(scheme, _)| {
                scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            }) && !text.contains(char::is_whitespace)
        }
        "uri-reference" => !text.contains(char::is_whitespace),
        // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM), RFC 3339
        "date-time" => {
            let b = text.as_bytes();
            let digits = |r: std::ops::Range<usize>| {
                b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit))
            };
            b.len() >= 20
                && digits(0..4)
                && b[4] == b'-'
                && digits(5..7)
                && b[7] == b'-'
                && digits(8..10)
                && matches!(b[10], b'T' | b't')
                && digits(11..13)
                && b[13] == b':'
                && digits(14..16)
                && b[16] == b':'
                && digits(17..19)
                && (text.ends_with(['Z', 'z']) || text[19..].contains(['+', '-']))
        }
        _ => true,
    }
}

/// Refuses keywords this validator does not implement, and compiles every pattern.
fn check_keywords(
    schema: &Value,
    at: &str,
    patterns: &mut HashMap<String, Regex>,
) -> Result<(), String> {
    let Some(object) = schema.as_object() else {
        return Ok(());
    };
    for (key, value) in object {
        let path = format!("{at}/{key}");
        if !ASSERTIONS.contains(&key.as_str()) && !ANNOTATIONS.contains(&key.as_str()) {
            return Err(format!("unsupported keyword {key:?} at {at}"));
        }
        match key.as_str() {
            "properties" | "definitions" => {
                for (name, sub) in value.as_object().into_iter().flatten() {
                    check_keywords(sub, &format!("{path}/{name}"), patterns)?;
                }
            }
            "items" | "additionalProperties" => check_keywords(value, &path, patterns)?,
            "anyOf" | "oneOf" => {
                for (i, sub) in value.as_array().into_iter().flatten().enumerate() {
                    check_keywords(sub, &format!("{path}/{i}"), patterns)?;
                }
            }
            "pattern" => {
                let pattern = value.as_str().ok_or(format!("{path}: not a string"))?;
                let regex = Regex::new(pattern).map_err(|e| format!("{path}: {e}"))?;
                patterns.insert(pattern.to_owned(), regex);
            }
            "format" => {
                let format = value.as_str().unwrap_or_default();
                if !["uri", "uri-reference", "date-time"].contains(&format) {
                    return Err(format!("unsupported format {format:?} at {path}"));
                }
            }
            _ => {}
        }
    }
    Ok(())
}
