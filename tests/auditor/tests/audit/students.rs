//! Students to audit: hand-made ones whose every count a test can read off.

use surveys::{
    AnswerCode, Answers, ItemKey, MunicipalityId, Questionnaire, SchoolId, SurveyResponse,
    ValidityFlags,
};

/// The indicator hand-made students answer: the only one whose counts the
/// tests set, an item every student is shown.
pub const DRANK: &str = "alcohol_lifetime";

pub fn questionnaire() -> &'static Questionnaire {
    surveys::standard_v1()
}

/// Where a student goes to school and lives, and who they are.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub municipality: i64,
    pub school: i64,
    pub year: u8,
    /// The answer to the village question; `None` for a skip.
    pub village: Option<AnswerCode>,
    /// The answer to the gender question (1 boy, 2 girl, 3 another way);
    /// `None` keeps the one drawn.
    pub gender: Option<AnswerCode>,
}

impl Place {
    /// A boy in year 2 of school 1 in municipality 1, living in `village`.
    pub fn village(village: AnswerCode) -> Place {
        Place {
            municipality: 1,
            school: 1,
            year: 2,
            village: Some(village),
            gender: Some(1),
        }
    }

    pub fn year(self, year: u8) -> Place {
        Place { year, ..self }
    }

    /// Puts a response here, keeping its other answers.
    pub fn put(&self, mut response: SurveyResponse) -> SurveyResponse {
        response.municipality = MunicipalityId(self.municipality);
        response.school = SchoolId(self.school);
        response.school_year = self.year;
        let answers = &mut response.answers;
        answers.insert(ItemKey::new("school_year"), AnswerCode::from(self.year));
        if let Some(gender) = self.gender {
            answers.insert(ItemKey::new("gender"), gender);
        }
        match self.village {
            Some(code) => answers.insert(ItemKey::new("village"), code),
            None => answers.remove("village"),
        };
        response
    }
}

/// `count` hand-made students at `place` who answer only [`DRANK`]: the first
/// `drinkers` of them have drunk, the others never.
pub fn hand_made(place: Place, count: usize, drinkers: usize) -> Vec<SurveyResponse> {
    (0..count)
        .map(|i| {
            let mut answers = Answers::new();
            answers.insert(ItemKey::new(DRANK), AnswerCode::from(i < drinkers));
            place.put(SurveyResponse {
                municipality: MunicipalityId(0),
                school: SchoolId(0),
                school_year: 0,
                answers,
                validity: ValidityFlags::NONE,
            })
        })
        .collect()
}
