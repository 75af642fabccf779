//! Students to audit: hand-made ones whose every count a test can read off,
//! and synthetic ones with full, realistic answers placed where a scenario
//! wants them.

use surveys::synthetic::trends::demo_wave;
use surveys::synthetic::{SyntheticMunicipality, SyntheticRegion, SyntheticSchool};
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
pub struct Student {
    pub municipality: i64,
    pub school: i64,
    pub year: u8,
    /// The answer to the village question; `None` for a skip.
    pub village: Option<AnswerCode>,
    /// The answer to the gender question (1 boy, 2 girl, 3 another way);
    /// `None` keeps the one drawn.
    pub gender: Option<AnswerCode>,
}

impl Student {
    /// A boy in year 2 of school 1 in municipality 1, living in `village`.
    pub fn living_in(village: AnswerCode) -> Student {
        Student {
            municipality: 1,
            school: 1,
            year: 2,
            village: Some(village),
            gender: Some(1),
        }
    }

    pub fn year(self, year: u8) -> Student {
        Student { year, ..self }
    }

    pub fn gender(self, gender: AnswerCode) -> Student {
        Student {
            gender: Some(gender),
            ..self
        }
    }

    /// Keeps whatever gender the synthetic student answered.
    pub fn any_gender(self) -> Student {
        Student {
            gender: None,
            ..self
        }
    }

    pub fn school(self, municipality: i64, school: i64) -> Student {
        Student {
            municipality,
            school,
            ..self
        }
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

/// `count` hand-made students like `student` who answer only [`DRANK`]: the first
/// `drinkers` of them have drunk, the others never.
pub fn hand_made(student: Student, count: usize, drinkers: usize) -> Vec<SurveyResponse> {
    (0..count)
        .map(|i| {
            let mut answers = Answers::new();
            answers.insert(ItemKey::new(DRANK), AnswerCode::from(i < drinkers));
            student.put(SurveyResponse {
                municipality: MunicipalityId(0),
                school: SchoolId(0),
                school_year: 0,
                answers,
                validity: ValidityFlags::NONE,
            })
        })
        .collect()
}

/// `count` students with every answer drawn as the demo draws them (levels of
/// Dutch 13–16-year-olds), all passing the validity screen, made like `student`.
/// Different seeds give different students.
pub fn synthetic(student: Student, count: usize, seed: u64) -> Vec<SurveyResponse> {
    let region = SyntheticRegion {
        municipalities: vec![SyntheticMunicipality {
            id: MunicipalityId(1),
            villages: vec![(1, 1)],
        }],
        schools: vec![SyntheticSchool {
            id: SchoolId(1),
            municipality: MunicipalityId(1),
            weight: 1,
        }],
    };
    // A few in a hundred are flagged; draw enough to keep `count` clean ones.
    let drawn = demo_wave(questionnaire(), &region, 0, count * 11 / 10 + 10, seed);
    let clean: Vec<SurveyResponse> = drawn
        .into_iter()
        .filter(|r| r.validity.is_clean())
        .take(count)
        .map(|r| student.put(r))
        .collect();
    assert_eq!(clean.len(), count, "not enough clean synthetic responses");
    clean
}
