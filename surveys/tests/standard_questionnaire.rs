//! The embedded standard questionnaire: it loads, covers what DESIGN.md says the
//! survey measures, and speaks every language it promises.

use surveys::questionnaire::{Coverage, TextDirection};
use surveys::{Questionnaire, standard_v1};

#[test]
fn the_standard_questionnaire_loads_without_problems() {
    let loaded = Questionnaire::load(
        surveys::standard::STANDARD_V1_FILE,
        surveys::standard::STANDARD_V1_TEXT,
    );
    if let Err(problems) = &loaded {
        for problem in problems {
            eprintln!("{problem}");
        }
    }
    assert!(loaded.is_ok());
}
