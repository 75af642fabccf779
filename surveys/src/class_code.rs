//! Class codes: what a teacher reads aloud and a student types to open the survey.
//!
//! A code is eight characters from an alphabet without look-alikes (no 0/O, 1/I/L,
//! no U/V), shown in two groups of four: `K7QM-3XPA`. Twenty-nine symbols to the
//! eighth power is about 5 × 10¹¹ codes, so guessing one of the few hundred live
//! codes of a wave is hopeless even before attempts are throttled.

use std::fmt;

/// The symbols a class code is made of, in the order used to encode random bytes.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTWXYZ";

/// Number of symbols in a code (without the separating dash).
pub const LENGTH: usize = 8;

/// A class code that has the right shape. Whether it exists is the server's question.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClassCode([u8; LENGTH]);

/// Why typed text is not a class code; each has a message key the UI translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ClassCodeError {
    #[error("the class code is empty")]
    Empty,
    #[error("a class code has {LENGTH} characters")]
    WrongLength,
    #[error("the class code contains a character that codes never use")]
    UnknownCharacter,
}

impl ClassCodeError {
    /// Stable key for translations and JSON error bodies.
    pub fn key(self) -> &'static str {
        match self {
            ClassCodeError::Empty => "class_code.empty",
            ClassCodeError::WrongLength => "class_code.wrong_length",
            ClassCodeError::UnknownCharacter => "class_code.unknown_character",
        }
    }
}

impl ClassCode {
    /// Reads what a student typed: case, spaces and dashes do not matter.
    pub fn parse(typed: &str) -> Result<Self, ClassCodeError> {
        let symbols: Vec<u8> = typed
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'-' | b'\t'))
            .map(|b| b.to_ascii_uppercase())
            .collect();
        if symbols.is_empty() {
            return Err(ClassCodeError::Empty);
        }
        if symbols.iter().any(|b| !ALPHABET.contains(b)) {
            return Err(ClassCodeError::UnknownCharacter);
        }
        let code: [u8; LENGTH] = symbols
            .try_into()
            .map_err(|_| ClassCodeError::WrongLength)?;
        Ok(ClassCode(code))
    }

    /// Builds a code from random bytes (the caller supplies the randomness, so
    /// this crate stays free of I/O). Uses rejection sampling to stay uniform.
    /// Returns `None` when the bytes ran out before eight symbols were drawn.
    pub fn from_random_bytes(bytes: &[u8]) -> Option<Self> {
        let limit = (256 / ALPHABET.len() * ALPHABET.len()) as u8;
        let mut code = [0u8; LENGTH];
        let mut filled = 0;
        for &b in bytes {
            if filled == LENGTH {
                break;
            }
            if b < limit {
                code[filled] = ALPHABET[b as usize % ALPHABET.len()];
                filled += 1;
            }
        }
        (filled == LENGTH).then_some(ClassCode(code))
    }

    /// The code without separator, as stored.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("codes are ASCII by construction")
    }

    /// The code as printed and read aloud: two groups of four.
    pub fn display_grouped(&self) -> String {
        let s = self.as_str();
        format!("{}-{}", &s[..4], &s[4..])
    }
}

impl fmt::Display for ClassCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_grouped())
    }
}

// Codes are credentials for a class: keep them out of debug logs.
impl fmt::Debug for ClassCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClassCode(****-****)")
    }
}

impl TryFrom<String> for ClassCode {
    type Error = ClassCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ClassCode::parse(&value)
    }
}

impl From<ClassCode> for String {
    fn from(code: ClassCode) -> String {
        code.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_alphabet_has_no_look_alikes() {
        for confusable in b"01OILUV" {
            assert!(!ALPHABET.contains(confusable), "{}", *confusable as char);
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), ALPHABET.len(), "symbols are unique");
    }

    #[test]
    fn typing_in_lower_case_with_spaces_and_a_dash_is_accepted() {
        let code = ClassCode::parse(" k7qm-3xpa ").unwrap();
        assert_eq!(code.as_str(), "K7QM3XPA");
        assert_eq!(code.to_string(), "K7QM-3XPA");
    }

    #[test]
    fn a_zero_or_letter_o_is_rejected_as_unknown_character() {
        assert_eq!(
            ClassCode::parse("K7QM-3XP0"),
            Err(ClassCodeError::UnknownCharacter)
        );
        assert_eq!(
            ClassCode::parse("K7QM-3XPO"),
            Err(ClassCodeError::UnknownCharacter)
        );
    }

    #[test]
    fn too_short_too_long_and_empty_codes_are_told_apart() {
        assert_eq!(ClassCode::parse("K7QM"), Err(ClassCodeError::WrongLength));
        assert_eq!(
            ClassCode::parse("K7QM3XPAB"),
            Err(ClassCodeError::WrongLength)
        );
        assert_eq!(ClassCode::parse(" - "), Err(ClassCodeError::Empty));
    }

    #[test]
    fn debug_output_never_shows_the_code() {
        let code = ClassCode::parse("K7QM3XPA").unwrap();
        assert!(!format!("{code:?}").contains("K7QM"));
    }

    #[test]
    fn random_bytes_that_run_out_give_no_code() {
        assert_eq!(ClassCode::from_random_bytes(&[1, 2, 3]), None);
        // Bytes at or above the rejection limit are skipped, not folded in.
        assert_eq!(ClassCode::from_random_bytes(&[255; 64]), None);
    }

    proptest! {
        #[test]
        fn every_generated_code_parses_back_to_itself(bytes in proptest::collection::vec(any::<u8>(), 32)) {
            if let Some(code) = ClassCode::from_random_bytes(&bytes) {
                prop_assert_eq!(ClassCode::parse(&code.to_string()), Ok(code.clone()));
                prop_assert_eq!(ClassCode::parse(&code.as_str().to_lowercase()), Ok(code));
            }
        }

        #[test]
        fn parsing_never_panics(text in ".{0,40}") {
            let _ = ClassCode::parse(&text);
        }
    }
}
