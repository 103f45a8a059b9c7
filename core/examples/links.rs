//! Shows how labels are analysed: `cargo run -p participatienetwerk --example links -- "label" ...`.

use participatienetwerk::{Config, Taxonomy};
fn main() {
    let t = Taxonomy::builtin();
    let c = Config::default();
    for l in std::env::args().skip(1) {
        let term = t.term(&l, &c);
        let links: Vec<String> =
            term.links.iter().map(|k| format!("{}({})", t.concept_id(k.concept), k.strength)).collect();
        println!("{l:?}: key={:?} links={links:?}", term.label.key);
    }
}
