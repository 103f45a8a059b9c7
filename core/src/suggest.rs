//! Needs suggested from an initiative's own words: the taxonomy concepts its
//! title and description name, for initiatives that describe what they want
//! but list no (or few) needs.

use crate::error::{Error, Result};
use crate::model::{Initiative, SuggestedNeed};
use crate::taxonomy::Taxonomy;
use crate::{validate, Config};

/// The concepts an initiative's title and description name that none of its
/// needs already links to, in the order the text first mentions them (at
/// most [`crate::taxonomy::MAX_TEXT_CONCEPTS`]). Each suggestion carries the
/// concept's preferred label, ready to use as a need label, and the words of
/// the text that named it. The initiative may list no needs.
pub fn suggest_needs(initiative: &Initiative, taxonomy: &Taxonomy, config: &Config) -> Result<Vec<SuggestedNeed>> {
    let mut problems = Vec::new();
    validate::check_initiative_with(initiative, None, false, &mut problems);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(suggest_checked(initiative, taxonomy, config))
}

fn suggest_checked(initiative: &Initiative, taxonomy: &Taxonomy, config: &Config) -> Vec<SuggestedNeed> {
    let text = initiative.text();
    let named: Vec<u32> = initiative
        .needs
        .iter()
        .flat_map(|n| taxonomy.term(&n.label, config).links.into_iter().map(|l| l.concept))
        .collect();
    let words = taxonomy.normalizer().word_stems(&text);
    let mut out: Vec<(usize, SuggestedNeed)> = taxonomy
        .find_concepts(&text)
        .into_iter()
        .filter(|f| !named.contains(&f.concept))
        .map(|f| {
            let hits: Vec<usize> =
                (0..words.len()).filter(|&w| words[w].1.iter().any(|s| f.stems.contains(s))).collect();
            let mut triggers: Vec<String> = Vec::new();
            for &w in &hits {
                if !triggers.contains(&words[w].0) {
                    triggers.push(words[w].0.clone());
                }
            }
            let first = hits.first().copied().unwrap_or(usize::MAX);
            let suggestion = SuggestedNeed {
                label: taxonomy.concept_label(f.concept).to_owned(),
                concept: taxonomy.concept_id(f.concept).to_owned(),
                found: f.label,
                triggers,
            };
            (first, suggestion)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.concept.cmp(&b.1.concept)));
    out.into_iter().map(|(_, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::TaxonomyData;

    fn taxonomy() -> Taxonomy {
        let data: TaxonomyData = serde_json::from_str(
            r#"{"concepts": [
                {"id": "zon", "label": "zonnepanelen", "alt_labels": ["zonne-energie"]},
                {"id": "stichting", "label": "stichting oprichten", "alt_labels": ["stichting"]},
                {"id": "sub", "label": "subsidie"}
            ], "stopwords": ["de", "het", "een", "we", "willen", "op"]}"#,
        )
        .unwrap();
        Taxonomy::new(data).unwrap()
    }

    fn initiative(description: &str, needs: &[&str]) -> Initiative {
        Initiative {
            id: "i-1".into(),
            municipality: "GM0344".into(),
            title: "Zon op het buurthuis".into(),
            description: description.into(),
            needs: needs
                .iter()
                .map(|l| crate::model::Need { label: (*l).into(), weight: 1.0, min_level: 1, required: false })
                .collect(),
            experts_wanted: 1,
            hours_needed: None,
            language: None,
            location: None,
        }
    }

    #[test]
    fn suggests_named_concepts_in_text_order_with_their_words() {
        let t = taxonomy();
        let i = initiative("We willen een stichting oprichten en zonnepanelen op het dak, met subsidie.", &[]);
        let got = suggest_needs(&i, &t, &Config::default()).unwrap();
        let ids: Vec<&str> = got.iter().map(|s| s.concept.as_str()).collect();
        assert_eq!(ids, ["stichting", "zon", "sub"]);
        assert_eq!(got[0].label, "stichting oprichten");
        assert_eq!(got[0].triggers, ["stichting", "oprichten"]);
        assert_eq!(got[1].triggers, ["zonnepanelen"]);
    }

    #[test]
    fn only_the_start_of_a_long_description_is_read() {
        let t = taxonomy();
        let filler = "bla ".repeat(crate::taxonomy::MAX_TEXT_CHARS / 4);
        let early = initiative(&format!("subsidie {filler}"), &[]);
        let late = initiative(&format!("{filler} subsidie"), &[]);
        let ids = |i: &Initiative| -> Vec<String> {
            suggest_needs(i, &t, &Config::default()).unwrap().into_iter().map(|s| s.concept).collect()
        };
        assert!(ids(&early).contains(&"sub".to_owned()));
        assert!(!ids(&late).contains(&"sub".to_owned()));
    }

    #[test]
    fn concepts_a_need_already_names_are_not_suggested() {
        let t = taxonomy();
        let i = initiative("Zonnepanelen en subsidie.", &["subsidie aanvragen"]);
        let ids: Vec<String> =
            suggest_needs(&i, &t, &Config::default()).unwrap().into_iter().map(|s| s.concept).collect();
        assert_eq!(ids, ["zon"]);
    }
}
