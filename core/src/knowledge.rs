//! The built-in knowledge: the taxonomy (`data/taxonomy/`), the municipality
//! list and the demo templates (`data/`). With the `embedded-knowledge`
//! feature they are compiled into the library. Without it (the WebAssembly
//! package, whose code download stays small) they are loaded once at init
//! from one JSON document, the package's `knowledge.json.gz`:
//! `{"taxonomy": {...}, "municipalities": {...}, "demo": {...}}`.

use crate::error::{RecordKind, Result};
use crate::taxonomy::Taxonomy;
use crate::validate::{self, Value};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Parts {
    taxonomy: Value,
    municipalities: Value,
    demo: Value,
}

/// Installs the built-in knowledge from its JSON text. Does nothing when it
/// is there already (compiled in, or loaded before).
pub fn load(json: &str) -> Result<()> {
    if Taxonomy::builtin_loaded() {
        return Ok(());
    }
    let parts: Parts = validate::read_strict(validate::parse_json(json, "knowledge")?, RecordKind::Input)?;
    crate::demo::load_builtin(parts.municipalities, parts.demo)?;
    Taxonomy::load_builtin(parts.taxonomy)
}
