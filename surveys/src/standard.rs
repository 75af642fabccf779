//! The standard questionnaire, embedded so the server and the browser always run
//! exactly the version this crate was built and tested with.

use std::sync::OnceLock;

use crate::questionnaire::Questionnaire;

/// File name used in problem reports and as the questionnaire's source.
pub const STANDARD_V1_FILE: &str = "standard-v1.toml";

/// The text of the standard questionnaire, version 1.
pub const STANDARD_V1_TEXT: &str = include_str!("../questionnaires/standard-v1.toml");

/// The standard questionnaire, version 1, loaded once.
///
/// The file is part of the crate and a test loads it, so a failure here is a
/// build defect, never a user's input.
pub fn standard_v1() -> &'static Questionnaire {
    static STANDARD: OnceLock<Questionnaire> = OnceLock::new();
    STANDARD.get_or_init(
        || match Questionnaire::load(STANDARD_V1_FILE, STANDARD_V1_TEXT) {
            Ok(questionnaire) => questionnaire,
            Err(problems) => panic!("the embedded standard questionnaire is broken: {problems:?}"),
        },
    )
}
