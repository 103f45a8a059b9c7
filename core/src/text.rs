//! Label normalisation for Dutch (and English) skill and need labels.
//!
//! A label becomes a [`Label`] with two forms:
//!
//! * `text`: lowercase, diacritics removed, punctuation to single spaces —
//!   the surface form that the edit-distance comparison uses, so typos still meet;
//! * `key`: the sorted set of stems of its content words, after stop words are
//!   dropped and compounds are split into known words. "omgevingsvergunning",
//!   "Omgevingsvergunningen" and "vergunning omgeving" share the key
//!   `omgev vergunn`, so they compare as equal.
//!
//! Compound splitting uses a fixed dictionary (the taxonomy's words), never the
//! experts' own labels: a label's key must not depend on which other labels a
//! Matcher happens to hold, or adding an expert could change another's score.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Number of buckets in a [`Label`]'s character histogram.
const HIST: usize = 32;

/// Shortest dictionary word used as a compound part. Shorter parts split
/// ordinary words into nonsense ("beleid" into "be" + "leid").
const MIN_PART: usize = 3;

/// Shortest compound part taken from labels' own words rather than the
/// curated word list: three-letter words in labels are mostly
/// abbreviations and loanwords ("app", "ing", "and") that would split
/// "opknappen" or "melding" into nonsense.
const MIN_LABEL_PART: usize = 4;

/// Linking sounds between compound parts ("omgeving-s-vergunning",
/// "zon-ne-panelen", "bedrijf-s-leven", "boek-en-kast").
const LINKERS: [&str; 6] = ["s", "e", "en", "n", "ne", "er"];

/// Plural endings of a compound's last part.
const PLURALS: [&str; 3] = ["en", "s", "n"];

/// Diminutive endings, shortest first so the longest base word wins
/// ("kastje" is "kast", not "kas"; "pleintje" is "plein"; "balletje" is
/// "bal"). The Snowball stemmer leaves them; a diminutive whose rest is a
/// known word counts as that word.
const DIMINUTIVES: [&str; 10] = ["je", "jes", "tje", "pje", "kje", "tjes", "pjes", "kjes", "etje", "etjes"];

/// Longest ending a compound part may carry beyond its known word.
const MAX_ENDING: usize = 5;

/// Shortest word that is corrected for spelling, and shortest dictionary
/// word it may become: shorter words are too often real words of their own.
const MIN_CORRECTED: usize = 6;
/// Longest word (bytes) tried as a compound with a typing error in its last
/// part: each split point costs a correction, so a long run of letters does not.
const MAX_MISSPELT_COMPOUND: usize = 40;

/// The analysed form of a label.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Normalised surface form.
    pub text: String,
    /// Sorted, de-duplicated stems of the content words, joined by spaces.
    pub key: String,
    /// Hashes of the stems in `key`, sorted.
    pub tokens: Vec<u64>,
    /// Character counts of `text` per bucket, for a cheap edit-distance bound.
    pub hist: [u8; HIST],
    /// Length of `text` in characters.
    pub len: u32,
    /// One bit per stem (its hash modulo 64): two labels whose masks do not
    /// meet share no stem.
    pub mask: u64,
}

/// Words the Dutch stemmer would merge with a word of another meaning:
/// "ouderen" (the elderly) is not "ouders" (parents), though both stem to
/// "ouder".
const STEM_EXCEPTIONS: [(&str, &str); 2] = [("ouderen", "oudere"), ("oudere", "oudere")];

/// Turns labels into [`Label`]s. Built from a taxonomy's stop words and word list.
#[derive(Clone)]
pub struct Normalizer {
    stopwords: HashSet<String>,
    words: HashSet<String>,
    /// Everyday words spelled right: never corrected (not compound parts).
    vocabulary: std::sync::Arc<HashSet<String>>,
    longest_word: usize,
    speller: std::sync::Arc<Speller>,
    stemmer: std::sync::Arc<Stemmer>,
}

impl std::fmt::Debug for Normalizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Normalizer")
            .field("stopwords", &self.stopwords.len())
            .field("words", &self.words.len())
            .finish()
    }
}

/// Lowercase, strip diacritics, turn everything but letters and digits into
/// single spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Characters of `s` once spelled out (Unicode compatibility decomposition,
/// as [`fold`] does it), counted up to `stop`: "ﷺ" is one character written
/// and 18 spelled out, so a length cap must look at this count too.
pub fn spelled_out_chars(s: &str, stop: usize) -> usize {
    s.nfkd().take(stop).count()
}

/// Whether a label has no letter or digit at all.
pub fn is_blank_label(s: &str) -> bool {
    !s.chars().any(char::is_alphanumeric)
}

fn token_hash(stem: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    stem.hash(&mut h);
    h.finish()
}

fn bucket(c: char) -> usize {
    match c {
        'a'..='z' => c as usize - 'a' as usize,
        '0'..='9' => 26,
        ' ' => 27,
        _ => 28 + (c as usize % 4),
    }
}

impl Normalizer {
    /// A normaliser with these stop words and compound-splitting words (both folded on the way in).
    pub fn new<'a>(stopwords: impl IntoIterator<Item = &'a str>, words: impl IntoIterator<Item = &'a str>) -> Self {
        Normalizer::with_label_words(stopwords, words, [])
    }

    /// [`Normalizer::new`], plus the words of labels as compound parts when
    /// they are at least [`MIN_LABEL_PART`] letters long.
    pub fn with_label_words<'a>(
        stopwords: impl IntoIterator<Item = &'a str>,
        words: impl IntoIterator<Item = &'a str>,
        label_words: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let label_words: Vec<String> = label_words
            .into_iter()
            .flat_map(|w| fold(w).split(' ').map(str::to_owned).collect::<Vec<_>>())
            .filter(|w| w.chars().count() >= MIN_LABEL_PART)
            .collect();
        let stopwords: HashSet<String> = stopwords.into_iter().map(fold).filter(|w| !w.is_empty()).collect();
        let words: HashSet<String> = words
            .into_iter()
            .flat_map(|w| fold(w).split(' ').map(str::to_owned).collect::<Vec<_>>())
            .chain(label_words)
            .collect();
        let words: HashSet<String> =
            words.into_iter().filter(|w| w.chars().count() >= MIN_PART && !stopwords.contains(w)).collect();
        let longest_word = words.iter().map(|w| w.len()).max().unwrap_or(0);
        let speller = std::sync::Arc::new(Speller::new(&words));
        Normalizer {
            stopwords,
            words,
            vocabulary: Default::default(),
            longest_word,
            speller,
            stemmer: std::sync::Arc::new(Stemmer::create(Algorithm::Dutch)),
        }
    }

    /// The same, knowing these everyday words as spelled right: the spelling
    /// correction leaves them alone.
    pub fn with_vocabulary<'a>(mut self, words: impl IntoIterator<Item = &'a str>) -> Self {
        self.vocabulary = std::sync::Arc::new(words.into_iter().map(fold).filter(|w| !w.is_empty()).collect());
        self
    }

    /// The stems of one folded content word, as the dictionary knows it:
    /// a diminutive counts as its base word ("pleintje" → "plein"), a
    /// compound as its known parts, and an unknown word one typing error
    /// away from a known one as that word ("onderrhouden" → "onderhouden",
    /// "meperaten" → "meepraten").
    fn word_stems_of(&self, word: &str) -> Vec<String> {
        let stems = |w: &str| self.split_compound(w).into_iter().map(|p| self.stem(p)).collect();
        // Before the known-word test: labels hold diminutives too ("pleintje opknappen").
        if let Some(base) = self.undiminish(word) {
            return stems(base);
        }
        if self.words.contains(word) || self.stopwords.contains(word) {
            return stems(word);
        }
        let parts = self.split_compound(word);
        if parts.len() > 1 {
            return parts.into_iter().map(|p| self.stem(p)).collect();
        }
        if self.vocabulary.contains(word) {
            return vec![self.stem(word)];
        }
        match self.speller.correct(word) {
            Some(fixed) => stems(fixed),
            None => self.split_misspelt(word).unwrap_or_else(|| vec![self.stem(word)]),
        }
    }

    /// A compound whose last part holds a typing error ("horecavergunnigen"):
    /// the stems of its known first parts and of the corrected last part,
    /// the longest first part that works; `None` when there is none.
    fn split_misspelt(&self, word: &str) -> Option<Vec<String>> {
        if !word.is_ascii() || word.len() < MIN_PART + MIN_CORRECTED || word.len() > MAX_MISSPELT_COMPOUND {
            return None;
        }
        (MIN_PART..=word.len() - MIN_CORRECTED).rev().find_map(|j| {
            let (head, tail) = word.split_at(j);
            let parts = if self.words.contains(head) { vec![head] } else { self.split_compound(head) };
            if !parts.iter().all(|p| self.words.contains(*p)) || self.vocabulary.contains(tail) {
                return None;
            }
            let fixed = self.speller.correct(tail)?;
            Some(parts.into_iter().chain(self.split_compound(fixed)).map(|p| self.stem(p)).collect())
        })
    }

    /// The known word a diminutive is made of, if any.
    fn undiminish<'w>(&self, word: &'w str) -> Option<&'w str> {
        DIMINUTIVES.iter().find_map(|d| {
            let base = word.strip_suffix(d)?;
            if base.len() < MIN_PART || !base.is_ascii() {
                return None;
            }
            if self.known_noun(base) {
                return Some(base);
            }
            // "balletje": the consonant doubles before -etje.
            let single = base.get(..base.len() - 1).filter(|b| base.ends_with(&b[b.len() - 1..]));
            single.filter(|b| d.starts_with('e') && self.known_noun(b))
        })
    }

    /// Whether a word is known as it is or in a plural form ("perk" from
    /// "perken", "rit" from "ritten").
    fn known_noun(&self, base: &str) -> bool {
        let last = &base[base.len() - 1..];
        self.words.contains(base)
            || ["en", "s"].iter().any(|p| self.words.contains(&format!("{base}{p}")))
            || self.words.contains(&format!("{base}{last}en"))
    }

    /// Whether a folded word is a stop word.
    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains(word)
    }

    /// Splits a folded word into known words, with linking sounds removed.
    /// Returns the word itself when it cannot be split completely into two or
    /// more known words (a known compound is still split, so that it meets
    /// its parts written apart).
    pub fn split_compound<'w>(&self, word: &'w str) -> Vec<&'w str> {
        let n = word.len();
        if n < 2 * MIN_PART || !word.is_ascii() {
            return vec![word];
        }
        // best[i]: fewest parts covering word[..i], with the start of the last part.
        let mut best: Vec<Option<(u32, usize, usize)>> = vec![None; n + 1];
        best[0] = Some((0, 0, 0));
        for i in MIN_PART..=n {
            // A part is a known word plus at most a linker, plural or diminutive ending.
            for j in i.saturating_sub(self.longest_word + MAX_ENDING)..=i - MIN_PART {
                let Some((parts, _, _)) = best[j] else { continue };
                if j == 0 && i == n {
                    continue; // the whole word as one part is no split
                }
                let piece = &word[j..i];
                let stem_end = if self.words.contains(piece) {
                    Some(i)
                } else if i < n {
                    LINKERS.iter().find_map(|l| {
                        let core = piece.strip_suffix(l)?;
                        (core.len() >= MIN_PART && self.words.contains(core)).then_some(j + core.len())
                    })
                } else {
                    // A plural last part ("...vergunningen"): the stemmer folds it later.
                    // A diminutive last part ("geveltuintjes") becomes its base word.
                    PLURALS
                        .iter()
                        .filter_map(|p| piece.strip_suffix(p))
                        .any(|core| core.len() >= MIN_PART && self.words.contains(core))
                        .then_some(i)
                        .or_else(|| self.undiminish(piece).map(|base| j + base.len()))
                };
                if let Some(end) = stem_end {
                    let cand = (parts + 1, j, end);
                    if best[i].is_none_or(|b| cand.0 < b.0) {
                        best[i] = Some(cand);
                    }
                }
            }
        }
        let Some((parts, _, _)) = best[n] else { return vec![word] };
        if parts < 2 {
            return vec![word];
        }
        let mut out = Vec::with_capacity(parts as usize);
        let mut i = n;
        while i > 0 {
            let Some((_, j, end)) = best[i] else { break };
            out.push(&word[j..end]);
            i = j;
        }
        out.reverse();
        out
    }

    /// Stem of one folded word.
    pub fn stem(&self, word: &str) -> String {
        if word.bytes().all(|b| b.is_ascii_digit()) {
            word.to_owned()
        } else if let Some(&(_, stem)) = STEM_EXCEPTIONS.iter().find(|(w, _)| *w == word) {
            stem.to_owned()
        } else {
            self.stemmer.stem(word).into_owned()
        }
    }

    /// The content words of a text as written (folded), each with the
    /// hashes of its stems (as in [`Label::tokens`]), in text order.
    pub fn word_stems(&self, raw: &str) -> Vec<(String, Vec<u64>)> {
        fold(raw)
            .split(' ')
            .filter(|w| !w.is_empty() && !self.is_stopword(w))
            .map(|w| (w.to_owned(), self.word_stems_of(w).iter().map(|s| token_hash(s)).collect()))
            .collect()
    }

    /// Analyse a label.
    pub fn label(&self, raw: &str) -> Label {
        let text = fold(raw);
        let mut stems: Vec<String> = Vec::new();
        for word in text.split(' ').filter(|w| !w.is_empty() && !self.is_stopword(w)) {
            stems.extend(self.word_stems_of(word));
        }
        if stems.is_empty() {
            // A label of stop words only ("de", "en") still needs a key.
            stems = text.split(' ').filter(|w| !w.is_empty()).map(|w| self.stem(w)).collect();
        }
        stems.sort_unstable();
        stems.dedup();
        let mut tokens: Vec<u64> = stems.iter().map(|s| token_hash(s)).collect();
        tokens.sort_unstable();
        tokens.dedup();
        let mut hist = [0u8; HIST];
        let mut len = 0u32;
        for c in text.chars() {
            let b = &mut hist[bucket(c)];
            *b = b.saturating_add(1);
            len += 1;
        }
        let mask = tokens.iter().fold(0, |m, t| m | 1 << (t % 64));
        Label { key: stems.join(" "), text, tokens, hist, len, mask }
    }
}

/// Spelling correction against the dictionary: the known words of at least
/// [`MIN_CORRECTED`] letters, indexed by every form with one letter deleted
/// (symmetric deletion), so a word one edit away (a letter missing, extra,
/// replaced, or two letters swapped) is found without comparing it with
/// every word.
#[derive(Default)]
struct Speller {
    words: Vec<String>,
    /// Each word, and each of its one-letter deletions → words, ascending.
    deletes: std::collections::HashMap<String, Vec<u32>>,
}

fn one_deleted(word: &str) -> impl Iterator<Item = String> + '_ {
    (0..word.len()).filter(|&i| word.is_char_boundary(i)).map(move |i| {
        let next = word[i..].chars().next().map_or(1, char::len_utf8);
        format!("{}{}", &word[..i], &word[i + next..])
    })
}

impl Speller {
    fn new(known: &HashSet<String>) -> Speller {
        let mut words: Vec<String> =
            known.iter().filter(|w| w.chars().count() >= MIN_CORRECTED && w.is_ascii()).cloned().collect();
        words.sort_unstable();
        let mut deletes: std::collections::HashMap<String, Vec<u32>> = std::collections::HashMap::new();
        for (i, w) in words.iter().enumerate() {
            deletes.entry(w.clone()).or_default().push(i as u32);
            for d in one_deleted(w) {
                let list = deletes.entry(d).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        Speller { words, deletes }
    }

    /// The known word one edit away from an unknown word; of several, the
    /// first in alphabetical order (deterministic).
    fn correct(&self, word: &str) -> Option<&str> {
        if word.chars().count() < MIN_CORRECTED || !word.is_ascii() {
            return None;
        }
        let mut best: Option<u32> = None;
        for probe in std::iter::once(word.to_owned()).chain(one_deleted(word)) {
            for &i in self.deletes.get(&probe).map(Vec::as_slice).unwrap_or_default() {
                if best.is_some_and(|b| b <= i) {
                    continue;
                }
                if strsim::osa_distance(word, &self.words[i as usize]) == 1 {
                    best = Some(i);
                }
            }
        }
        best.map(|i| self.words[i as usize].as_str())
    }
}

impl Label {
    /// A lower bound on the Levenshtein distance between the two `text`s:
    /// each edit changes at most one character count up and one down.
    pub fn distance_bound(&self, other: &Label) -> u32 {
        // Branch-free over the byte counts, so that it runs as vector code.
        let (mut more, mut fewer) = (0u32, 0u32);
        for (&a, &b) in self.hist.iter().zip(other.hist.iter()) {
            more += u32::from(a.saturating_sub(b));
            fewer += u32::from(b.saturating_sub(a));
        }
        more.max(fewer).max(self.len.abs_diff(other.len))
    }

    /// Dice coefficient of the two stem sets.
    pub fn dice(&self, other: &Label) -> f64 {
        let total = self.tokens.len() + other.tokens.len();
        if total == 0 {
            return 0.0;
        }
        let (mut i, mut j, mut common) = (0, 0, 0usize);
        while i < self.tokens.len() && j < other.tokens.len() {
            match self.tokens[i].cmp(&other.tokens[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        (2 * common) as f64 / total as f64
    }

    /// Whether every stem of `part` is a stem of `self`.
    pub fn contains_all(&self, part: &[u64]) -> bool {
        part.iter().all(|t| self.tokens.binary_search(t).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm() -> Normalizer {
        Normalizer::new(
            ["de", "het", "voor", "van", "en"],
            [
                "omgeving",
                "vergunning",
                "vergunningen",
                "omgevingsvergunning",
                "zon",
                "panelen",
                "paneel",
                "subsidie",
                "verlening",
                "buurt",
                "huis",
            ],
        )
    }

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(fold("  Coöperatie -- Énergie/Zon!! "), "cooperatie energie zon");
        assert_eq!(fold("Wmo-consulent"), "wmo consulent");
        assert_eq!(fold("…"), "");
    }

    #[test]
    fn plural_compound_and_word_order_meet() {
        let n = norm();
        let a = n.label("omgevingsvergunning");
        let b = n.label("Omgevingsvergunningen");
        let c = n.label("vergunning omgeving");
        assert_eq!(a.key, b.key);
        assert_eq!(a.key, c.key);
        assert_eq!(a.tokens.len(), 2);
    }

    #[test]
    fn splits_with_linking_sounds() {
        let n = norm();
        assert_eq!(n.split_compound("zonnepanelen"), vec!["zon", "panelen"]);
        assert_eq!(n.split_compound("subsidieverlening"), vec!["subsidie", "verlening"]);
        assert_eq!(n.split_compound("buurthuis"), vec!["buurt", "huis"]);
        assert_eq!(n.split_compound("zonnebloem"), vec!["zonnebloem"]);
        assert_eq!(n.label("zonnepanelen").key, n.label("panelen voor de zon").key);
    }

    #[test]
    fn diminutives_meet_their_base_word() {
        let n = Normalizer::new(["de", "het"], ["plein", "bord", "tuin", "gevel", "bal"]);
        assert_eq!(n.label("het pleintje").key, n.label("plein").key);
        assert_eq!(n.label("bordjes").key, n.label("bord").key);
        assert_eq!(n.label("geveltuintjes").key, n.label("gevel tuin").key);
        assert_eq!(n.label("balletje").key, n.label("bal").key);
        assert_eq!(n.label("meisje").key, "meisj", "no base word, left alone");
    }

    #[test]
    fn one_typing_error_in_a_long_word_is_corrected() {
        let n = Normalizer::new(["de"], ["onderhouden", "meepraten", "fondsenwerving", "subsidie"]);
        assert_eq!(n.label("onderrhouden").key, n.label("onderhouden").key); // extra letter
        assert_eq!(n.label("meperaten").key, n.label("meepraten").key); // swapped letters
        assert_eq!(n.label("fondsenwwerving").key, n.label("fondsenwerving").key);
        assert_eq!(n.label("onderhoudn").key, n.label("onderhouden").key); // missing letter
        assert_ne!(n.label("subsidies").key, "", "short words are not corrected");
        assert_eq!(n.label("onderhandelen").key, n.stem("onderhandelen"), "two edits away: left alone");
        // The surface form keeps the typo, for the edit-distance comparison.
        assert_eq!(n.label("onderrhouden").text, "onderrhouden");
    }

    #[test]
    fn a_typing_error_in_the_last_part_of_a_compound_is_corrected() {
        let n = Normalizer::new(["de"], ["horeca", "vergunningen", "vergunning", "buurt"]);
        assert_eq!(n.label("horecavergunnigen").key, n.label("horeca vergunningen").key);
        assert_eq!(n.label("buurthorecavergunnigen").key, n.label("buurt horeca vergunning").key);
        // Nothing to correct: the word stays as it is.
        assert_eq!(n.label("horecaxyzxyzxyz").key, n.stem("horecaxyzxyzxyz"));
    }

    #[test]
    fn the_elderly_are_not_parents() {
        let n = Normalizer::new(["voor", "de"], ["zorg", "ouderen", "ouder"]);
        assert_ne!(n.label("ouderen").key, n.label("ouders").key);
        assert_eq!(n.label("zorg voor ouderen").key, n.label("ouderenzorg").key);
        assert_eq!(n.label("oudere").key, n.label("ouderen").key);
        assert_eq!(n.label("ouder").key, n.label("ouders").key);
    }

    #[test]
    fn everyday_words_of_the_vocabulary_are_not_corrected() {
        let without = Normalizer::new(["de"], ["maaier", "restauratie"]);
        assert_eq!(without.label("manier").key, without.stem("maaier"), "one edit from a known word");
        let with = Normalizer::new(["de"], ["maaier", "restauratie"]).with_vocabulary(["Manier"]);
        assert_eq!(with.label("manier").key, with.stem("manier"));
        // Still corrected: a typo that is not an everyday word.
        assert_eq!(with.label("restauatie").key, with.stem("restauratie"));
        // Vocabulary words are no compound parts.
        assert_eq!(with.split_compound("manierrestauratie"), vec!["manierrestauratie"]);
    }

    #[test]
    fn stop_words_only_still_give_a_key() {
        let n = norm();
        assert!(!n.label("de").key.is_empty());
    }

    #[test]
    fn distance_bound_never_exceeds_the_distance() {
        let n = norm();
        let pairs =
            [("omgevingsvergunning", "omgevingsvergunnig"), ("wmo", "avg"), ("subsidie", "subsidies aanvragen")];
        for (a, b) in pairs {
            let (la, lb) = (n.label(a), n.label(b));
            assert!(la.distance_bound(&lb) as usize <= strsim::levenshtein(&la.text, &lb.text), "{a} / {b}");
        }
    }

    #[test]
    fn dice_counts_shared_stems() {
        let n = norm();
        assert_eq!(n.label("subsidie verlening").dice(&n.label("subsidieverlening")), 1.0);
        assert_eq!(n.label("subsidie aanvraag").dice(&n.label("subsidieverlening")), 0.5);
    }
}
