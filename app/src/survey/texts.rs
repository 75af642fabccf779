//! The words around the questions (buttons, progress, messages) in every
//! language a student can choose. The questions themselves come from the
//! questionnaire file. Arabic and Polish wording awaits review by native
//! speakers.

use serde::{Deserialize, Serialize};

/// A language the questionnaire can be answered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SurveyLang {
    Nl,
    En,
    Ar,
    Pl,
}

impl SurveyLang {
    pub const ALL: [SurveyLang; 4] = [
        SurveyLang::Nl,
        SurveyLang::En,
        SurveyLang::Ar,
        SurveyLang::Pl,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SurveyLang::Nl => "nl",
            SurveyLang::En => "en",
            SurveyLang::Ar => "ar",
            SurveyLang::Pl => "pl",
        }
    }

    pub fn from_code(code: &str) -> Option<SurveyLang> {
        SurveyLang::ALL
            .into_iter()
            .find(|l| l.code() == code.trim())
    }

    pub fn native_name(self) -> &'static str {
        match self {
            SurveyLang::Nl => "Nederlands",
            SurveyLang::En => "English",
            SurveyLang::Ar => "العربية",
            SurveyLang::Pl => "Polski",
        }
    }

    /// Text direction for the `dir` attribute.
    pub fn dir(self) -> &'static str {
        match self {
            SurveyLang::Ar => "rtl",
            _ => "ltr",
        }
    }

    pub fn text(self, text: SurveyText) -> &'static str {
        let [nl, en, ar, pl] = text.wording();
        match self {
            SurveyLang::Nl => nl,
            SurveyLang::En => en,
            SurveyLang::Ar => ar,
            SurveyLang::Pl => pl,
        }
    }
}

macro_rules! survey_texts {
    ($($key:ident => [$nl:expr, $en:expr, $ar:expr, $pl:expr $(,)?]),+ $(,)?) => {
        /// Every fixed text of the answering flow.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum SurveyText {
            $($key),+
        }

        impl SurveyText {
            pub const ALL: &'static [SurveyText] = &[$(SurveyText::$key),+];

            /// [Dutch, English, Arabic, Polish].
            fn wording(self) -> [&'static str; 4] {
                match self {
                    $(SurveyText::$key => [$nl, $en, $ar, $pl]),+
                }
            }
        }
    };
}

survey_texts! {
    ChooseLanguage => [
        "In welke taal wil je de vragen lezen?",
        "In which language do you want to read the questions?",
        "بأي لغة تريد قراءة الأسئلة؟",
        "W jakim języku chcesz czytać pytania?",
    ],
    Continue => ["Verder", "Continue", "متابعة", "Dalej"],
    Begin => ["Beginnen", "Start", "ابدأ", "Zaczynamy"],
    Back => ["Terug", "Back", "رجوع", "Wstecz"],
    Next => ["Volgende", "Next", "التالي", "Dalej"],
    ToReview => ["Naar het overzicht", "To the overview", "إلى الملخص", "Do podsumowania"],
    Progress => ["Deel {n} van {total}", "Part {n} of {total}", "الجزء {n} من {total}", "Część {n} z {total}"],
    ReviewTitle => ["Overzicht", "Overview", "ملخص", "Podsumowanie"],
    ReviewLead => [
        "Je bent klaar. Wil je nog iets veranderen? Ga dan terug naar dat deel. Anders: verstuur je antwoorden.",
        "You are done. Want to change something? Go back to that part. Otherwise: send your answers.",
        "لقد انتهيت. هل تريد تغيير شيء؟ ارجع إلى ذلك الجزء. وإلا فأرسل إجاباتك.",
        "Skończyłeś/skończyłaś. Chcesz coś zmienić? Wróć do tej części. Jeśli nie: wyślij odpowiedzi.",
    ],
    Answered => ["{n} van {total} vragen beantwoord", "{n} of {total} questions answered", "تمت الإجابة عن {n} من {total} سؤالًا", "Odpowiedziano na {n} z {total} pytań"],
    Change => ["Aanpassen", "Change", "تعديل", "Zmień"],
    Skipped => ["Niet ingevuld", "Not answered", "بدون إجابة", "Bez odpowiedzi"],
    Submit => ["Antwoorden versturen", "Send my answers", "أرسل إجاباتي", "Wyślij odpowiedzi"],
    ThanksTitle => ["Bedankt!", "Thank you!", "شكرًا لك!", "Dziękujemy!"],
    ThanksLead => [
        "Je antwoorden zijn goed aangekomen. Je kunt dit venster sluiten.",
        "Your answers have arrived safely. You can close this window.",
        "وصلت إجاباتك بأمان. يمكنك إغلاق هذه النافذة.",
        "Twoje odpowiedzi dotarły. Możesz zamknąć to okno.",
    ],
    HelpTitle => ["Wil je ergens over praten?", "Want to talk about something?", "هل تريد التحدث عن شيء ما؟", "Chcesz o czymś porozmawiać?"],
    HelpDefault => [
        "Praat met je mentor, de vertrouwenspersoon op school of bel of chat anoniem en gratis met de Kindertelefoon: 0800-0432, elke dag van 11.00 tot 21.00 uur.",
        "Talk to your mentor, the school's confidential adviser, or call or chat anonymously and for free with the Kindertelefoon: 0800-0432, every day from 11:00 to 21:00.",
        "تحدث مع مرشدك أو الشخص الموثوق به في المدرسة، أو اتصل أو تحدث مجانًا ودون ذكر اسمك مع Kindertelefoon على الرقم 0800-0432، يوميًا من 11:00 حتى 21:00.",
        "Porozmawiaj ze swoim wychowawcą lub z osobą zaufania w szkole albo zadzwoń lub napisz anonimowo i bezpłatnie do Kindertelefoon: 0800-0432, codziennie od 11:00 do 21:00.",
    ],
    Required => ["Deze vraag is nodig om verder te gaan.", "This question is needed to continue.", "هذا السؤال مطلوب للمتابعة.", "To pytanie jest potrzebne, aby przejść dalej."],
    OutOfRange => ["Dit antwoord kan niet. Kies een van de mogelijkheden.", "This answer is not possible. Choose one of the options.", "هذه الإجابة غير ممكنة. اختر أحد الخيارات.", "Taka odpowiedź nie jest możliwa. Wybierz jedną z opcji."],
    NumberOutOfRange => ["Vul een getal tussen {min} en {max} in.", "Enter a number between {min} and {max}.", "أدخل رقمًا بين {min} و{max}.", "Wpisz liczbę od {min} do {max}."],
    ErrorSummary => ["Er ontbreekt nog iets", "Something is still missing", "لا يزال هناك شيء ناقص", "Czegoś jeszcze brakuje"],
    CodeUnknown => [
        "Deze klascode kennen we niet. Kijk nog eens goed of vraag het je docent.",
        "We do not know this class code. Check it again or ask your teacher.",
        "لا نعرف رمز الصف هذا. تحقق منه مرة أخرى أو اسأل معلمك.",
        "Nie znamy tego kodu klasy. Sprawdź go jeszcze raz lub zapytaj nauczyciela.",
    ],
    WaveClosed => [
        "De vragenlijst voor deze klascode is gesloten.",
        "The questionnaire for this class code is closed.",
        "الاستبيان الخاص برمز الصف هذا مغلق.",
        "Ankieta dla tego kodu klasy jest zamknięta.",
    ],
    ClassFull => [
        "Met deze klascode zijn al genoeg antwoorden verstuurd. Vraag je docent om hulp.",
        "Enough answers have already been sent with this class code. Ask your teacher for help.",
        "تم إرسال عدد كافٍ من الإجابات بهذا الرمز بالفعل. اطلب المساعدة من معلمك.",
        "Tym kodem klasy wysłano już wystarczająco dużo odpowiedzi. Poproś nauczyciela o pomoc.",
    ],
    DraftExpired => [
        "Je sessie is verlopen of nog niet begonnen. Begin opnieuw met je klascode.",
        "Your session has expired or has not started. Start again with your class code.",
        "انتهت جلستك أو لم تبدأ بعد. ابدأ من جديد برمز الصف.",
        "Twoja sesja wygasła lub jeszcze się nie rozpoczęła. Zacznij od nowa z kodem klasy.",
    ],
    BadRequest => [
        "Dit verzoek klopt niet. Ga terug en probeer het opnieuw.",
        "This request is not right. Go back and try again.",
        "هذا الطلب غير صحيح. ارجع وحاول مرة أخرى.",
        "To żądanie jest nieprawidłowe. Wróć i spróbuj ponownie.",
    ],
    TooManyCodes => [
        "Er zijn vanaf dit netwerk te veel onbekende klascodes geprobeerd. Wacht een kwartier of vraag je docent om hulp.",
        "Too many unknown class codes were tried from this network. Wait a quarter of an hour or ask your teacher for help.",
        "تمت تجربة عدد كبير جدًا من رموز الصف غير المعروفة من هذه الشبكة. انتظر ربع ساعة أو اطلب المساعدة من معلمك.",
        "Z tej sieci wypróbowano zbyt wiele nieznanych kodów klasy. Odczekaj kwadrans lub poproś nauczyciela o pomoc.",
    ],
    StartAgain => ["Opnieuw beginnen", "Start again", "ابدأ من جديد", "Zacznij od nowa"],
    IntroTitle => ["Voordat je begint", "Before you start", "قبل أن تبدأ", "Zanim zaczniesz"],
    IntroAnonymous => [
        "Je naam staat nergens bij. Niemand, ook je docent en je ouders niet, kan zien wat jij hebt geantwoord.",
        "Your name is not asked anywhere. Nobody, not even your teacher or your parents, can see what you answered.",
        "لا يُطلب اسمك في أي مكان. لا أحد، ولا حتى معلمك أو والداك، يمكنه رؤية ما أجبت به.",
        "Nigdzie nie podajesz swojego imienia. Nikt, nawet nauczyciel ani rodzice, nie zobaczy twoich odpowiedzi.",
    ],
    IntroVoluntary => [
        "Meedoen is vrijwillig. Je mag elke vraag overslaan die je niet wilt beantwoorden.",
        "Taking part is voluntary. You may skip any question you do not want to answer.",
        "المشاركة طوعية. يمكنك تخطي أي سؤال لا تريد الإجابة عنه.",
        "Udział jest dobrowolny. Możesz pominąć każde pytanie, na które nie chcesz odpowiadać.",
    ],
    IntroHonest => [
        "Er zijn geen goede of foute antwoorden. Kies steeds wat het best bij jou past.",
        "There are no right or wrong answers. Each time, choose what fits you best.",
        "لا توجد إجابات صحيحة أو خاطئة. اختر في كل مرة ما يناسبك أكثر.",
        "Nie ma dobrych ani złych odpowiedzi. Za każdym razem wybierz to, co najbardziej do ciebie pasuje.",
    ],
    Sending => ["Bezig met versturen…", "Sending…", "جارٍ الإرسال…", "Wysyłanie…"],
    Offline => [
        "Er is nu geen verbinding. Je antwoorden blijven op deze pagina bewaard en we blijven het proberen. Sluit deze pagina niet.",
        "There is no connection right now. Your answers are kept on this page and we keep trying. Do not close this page.",
        "لا يوجد اتصال الآن. إجاباتك محفوظة في هذه الصفحة وسنواصل المحاولة. لا تغلق هذه الصفحة.",
        "W tej chwili nie ma połączenia. Twoje odpowiedzi są zachowane na tej stronie i wciąż próbujemy. Nie zamykaj tej strony.",
    ],
    WithoutScript => [
        "Deze pagina heeft JavaScript nodig. Ga verder zonder:",
        "This page needs JavaScript. Continue without it:",
        "تحتاج هذه الصفحة إلى JavaScript. تابع بدونه:",
        "Ta strona wymaga JavaScriptu. Kontynuuj bez niego:",
    ],
    IntroDuration => [
        "Het invullen past in één lesuur.",
        "Answering fits in one lesson.",
        "تستغرق الإجابة حصة دراسية واحدة.",
        "Wypełnienie mieści się w jednej lekcji.",
    ],
}

impl SurveyText {
    /// The text with `{name}` placeholders filled in.
    pub fn fill(self, lang: SurveyLang, values: &[(&str, &dyn std::fmt::Display)]) -> String {
        values
            .iter()
            .fold(lang.text(self).to_owned(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), &value.to_string())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_survey_text_exists_in_every_language() {
        for &text in SurveyText::ALL {
            for lang in SurveyLang::ALL {
                assert!(!lang.text(text).trim().is_empty(), "{text:?} in {lang:?}");
            }
        }
    }

    #[test]
    fn placeholders_are_the_same_in_every_language() {
        for &text in SurveyText::ALL {
            let holes = |s: &str| s.matches('{').count();
            let dutch = holes(SurveyLang::Nl.text(text));
            for lang in SurveyLang::ALL {
                assert_eq!(holes(lang.text(text)), dutch, "{text:?} in {lang:?}");
            }
        }
    }

    #[test]
    fn arabic_is_written_right_to_left() {
        assert_eq!(SurveyLang::Ar.dir(), "rtl");
        assert_eq!(SurveyLang::Pl.dir(), "ltr");
    }

    #[test]
    fn progress_is_filled_in() {
        let text = SurveyText::Progress.fill(SurveyLang::En, &[("n", &2), ("total", &7)]);
        assert_eq!(text, "Part 2 of 7");
    }
}
