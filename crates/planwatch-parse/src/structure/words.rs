//! Word lists matched in one pass.
//!
//! The structure stage asks of every line and sentence whether it holds any word of a
//! list (past markers, future markers, header words…). One `str::contains` per word
//! costs a scan per word; an Aho–Corasick automaton answers for the whole list in one
//! scan. Lists are built once, on first use.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

/// A list of words and the automaton that finds them.
pub struct Words {
    words: &'static [&'static str],
    automaton: Option<AhoCorasick>,
}

impl Words {
    /// An automaton over `words`; an empty or unbuildable list matches nothing.
    pub fn new(words: &'static [&'static str]) -> Words {
        Words {
            words,
            automaton: AhoCorasick::new(words).ok(),
        }
    }

    /// Does `text` contain any of the words?
    pub fn any_in(&self, text: &str) -> bool {
        self.automaton.as_ref().is_some_and(|a| a.is_match(text))
    }

    /// Where the words found in `text` end (byte offsets), left to right.
    pub fn ends_in<'t>(&'t self, text: &'t str) -> impl Iterator<Item = usize> + 't {
        self.automaton
            .iter()
            .flat_map(move |a| a.find_iter(text))
            .map(|m| m.end())
    }

    /// The words found in `text`, left to right, possibly repeated.
    pub fn found_in<'t>(&'t self, text: &'t str) -> impl Iterator<Item = &'static str> + 't {
        self.automaton
            .iter()
            .flat_map(move |a| a.find_overlapping_iter(text))
            .map(|m| self.words[m.pattern().as_usize()])
    }
}

/// A lazily built [`Words`] over a constant list.
pub type WordSet = LazyLock<Words>;

#[cfg(test)]
mod tests {
    use super::*;

    static SET: WordSet = LazyLock::new(|| Words::new(&["十三五", "十四五", "五年"]));

    #[test]
    fn one_pass_finds_every_word() {
        assert!(SET.any_in("“十四五”时期"));
        assert!(!SET.any_in("到2025年"));
        let found: Vec<&str> = SET.found_in("十三五和十四五,五年来").collect();
        assert_eq!(found, ["十三五", "十四五", "五年"]);
    }
}
