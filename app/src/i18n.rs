//! The languages of the staff and landing screens, and their texts.
//!
//! Every text is a [`Text`] key whose Dutch and English wording sit side by side
//! in one `match`, so a screen cannot ship with a missing translation: the
//! compiler refuses it. (Questionnaire texts, in more languages, live in the
//! questionnaire files of the `surveys` crate.)

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Name of the cookie that remembers the chosen language. It holds only "nl" or
/// "en" and is readable by the page script so that switching needs no reload.
pub const LANGUAGE_COOKIE: &str = "peiling_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// BCP 47 code, as used in `lang` attributes and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's name in itself, as shown on the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }

    /// Picks the language from a `Cookie` header first, then `Accept-Language`;
    /// Dutch when neither says anything we speak.
    pub fn negotiate(cookie_header: Option<&str>, accept_language: Option<&str>) -> Lang {
        let from_cookie = cookie_header.and_then(|header| {
            header.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                (name.trim() == LANGUAGE_COOKIE)
                    .then(|| Lang::from_code(value))
                    .flatten()
            })
        });
        let from_browser = || {
            accept_language.and_then(|header| {
                header.split(',').find_map(|range| {
                    let tag = range.split(';').next()?.trim();
                    Lang::from_code(tag.split('-').next()?)
                })
            })
        };
        from_cookie.or_else(from_browser).unwrap_or_default()
    }

    /// The language a request asks for, by cookie or browser preference.
    #[cfg(feature = "ssr")]
    pub fn from_headers(headers: &http::HeaderMap) -> Lang {
        let header = |name| {
            headers
                .get(name)
                .and_then(|value: &http::HeaderValue| value.to_str().ok())
        };
        Lang::negotiate(
            header(http::header::COOKIE),
            header(http::header::ACCEPT_LANGUAGE),
        )
    }

    pub fn text(self, text: Text) -> &'static str {
        let (nl, en) = text.wording();
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }
}

/// Declares the [`Text`] keys with their (Dutch, English) wording, plus the list
/// of all keys so tests can check every one.
macro_rules! texts {
    ($($key:ident => ($nl:expr, $en:expr $(,)?)),+ $(,)?) => {
        /// Every text on Peiling's own screens.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Text {
            $($key),+
        }

        impl Text {
            pub const ALL: &'static [Text] = &[$(Text::$key),+];

            /// (Dutch, English).
            fn wording(self) -> (&'static str, &'static str) {
                match self {
                    $(Text::$key => ($nl, $en)),+
                }
            }
        }
    };
}

texts! {
    SkipToContent => ("Naar de inhoud", "Skip to content"),
    LanguageLabel => ("Taal", "Language"),
    Tagline => (
        "Hoe gaat het met de jongeren in jouw dorp?",
        "How are the young people in your village doing?",
    ),
    Intro => (
        "Peiling is het anonieme jongerenonderzoek van het IJslandse preventiemodel. \
         Leerlingen vullen elk schooljaar in de klas een vragenlijst in. Scholen, \
         jongerenwerk en gemeenten zien meteen daarna waar de jongeren in hun dorp \
         staan: hoeveel er drinken, roken, vapen of blowen, en hoe gezin, vrienden, \
         school en vrije tijd meebewegen.",
        "Peiling is the anonymous youth survey of the Icelandic Prevention Model. \
         Every school year, students answer a questionnaire in class. Right after, \
         schools, youth workers and municipalities see where the young people of \
         their village stand: how many drink, smoke, vape or use cannabis, and how \
         family, friends, school and leisure time move along.",
    ),
    StudentHeading => ("Leerling? Begin hier", "Student? Start here"),
    StudentLead => (
        "Je docent geeft je een klascode. Je antwoorden zijn anoniem: niemand kan zien wat jij hebt ingevuld.",
        "Your teacher gives you a class code. Your answers are anonymous: nobody can see what you filled in.",
    ),
    ClassCodeLabel => ("Klascode", "Class code"),
    ClassCodeHint => (
        "Acht tekens, bijvoorbeeld K7QM-3XPA.",
        "Eight characters, for example K7QM-3XPA.",
    ),
    ClassCodeLooksRight => ("Deze code ziet er goed uit.", "This code looks right."),
    ClassCodeEmpty => ("Vul de klascode in.", "Enter the class code."),
    ClassCodeWrongLength => (
        "Een klascode heeft acht tekens.",
        "A class code has eight characters.",
    ),
    ClassCodeUnknownCharacter => (
        "Er staat een teken in dat klascodes niet gebruiken. Codes hebben geen 0, O, 1, I, L, U of V.",
        "It contains a character class codes never use. Codes have no 0, O, 1, I, L, U or V.",
    ),
    StartSurvey => ("Start de vragenlijst", "Start the questionnaire"),
    StaffHeading => (
        "Voor scholen, jongerenwerk en gemeenten",
        "For schools, youth workers and municipalities",
    ),
    StaffLead => (
        "Log in om klassen aan te melden, de respons te volgen en de resultaten van jouw school, dorp of gemeente te bekijken.",
        "Log in to register classes, follow the response and see the results for your school, village or municipality.",
    ),
    StaffLogIn => ("Inloggen voor medewerkers", "Staff log in"),
    CycleHeading => ("Zo werkt het", "How it works"),
    CycleMeasure => ("Peilen", "Survey"),
    CycleMeasureText => (
        "Leerlingen in leerjaar 2 en 4 vullen in één lesuur de vragenlijst in, anoniem.",
        "Students in years 2 and 4 answer the questionnaire in one lesson, anonymously.",
    ),
    CycleDiscuss => ("Bespreken", "Discuss"),
    CycleDiscussText => (
        "Elk dorp ziet zijn eigen cijfers naast die van de gemeente en de regio, met de trend sinds de vorige keer.",
        "Each village sees its own figures beside those of the municipality and the region, with the trend since last time.",
    ),
    CycleAct => ("Doen", "Act"),
    CycleActText => (
        "Gemeente, school, ouders en jongerenwerk kiezen doelen en acties. De volgende peiling laat zien of het werkt.",
        "Municipality, school, parents and youth workers set goals and actions. The next survey shows whether they work.",
    ),
    PrivacyHeading => ("Anoniem, echt", "Anonymous, really"),
    PrivacyText => (
        "Bij een antwoord bewaren we geen naam, e-mailadres, IP-adres, klas of tijdstip. \
         Cijfers over groepen van minder dan tien jongeren tonen we nooit.",
        "With an answer we store no name, e-mail address, IP address, class or time. \
         We never show figures about groups of fewer than ten young people.",
    ),
    NotFoundTitle => ("Pagina niet gevonden", "Page not found"),
    NotFoundText => (
        "Deze pagina bestaat niet (meer). Controleer het adres of ga terug naar het begin.",
        "This page does not exist (any more). Check the address or go back to the start.",
    ),
    BackHome => ("Naar het begin", "Back to the start"),
    LoginTitle => ("Inloggen voor medewerkers", "Staff log in"),
    LoginLead => (
        "Voor scholen, jongerenwerk, gemeenten en de regio. Leerlingen hebben geen account nodig: zij gebruiken een klascode.",
        "For schools, youth workers, municipalities and the region. Students need no account: they use a class code.",
    ),
    Email => ("E-mailadres", "E-mail address"),
    Password => ("Wachtwoord", "Password"),
    LogIn => ("Inloggen", "Log in"),
    LogOut => ("Uitloggen", "Log out"),
    PasswordSet => (
        "Je nieuwe wachtwoord is opgeslagen. Log ermee in.",
        "Your new password has been saved. Log in with it.",
    ),
    LoginFailed => (
        "Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer het opnieuw.",
        "This e-mail address and password do not match. Try again.",
    ),
    TooManyAttempts => (
        "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw.",
        "Too many failed attempts. Wait a quarter of an hour, then try again.",
    ),
    RoleRegionCoordinator => ("regiocoördinator", "region coordinator"),
    RoleMunicipality => ("gemeente", "municipality"),
    RoleSchoolCoordinator => ("schoolcoördinator", "school coordinator"),
    RoleYouthWorker => ("jongerenwerker", "youth worker"),
    RoleTeacher => ("docent", "teacher"),
}

/// The language of the current page, shared by every component.
#[derive(Clone, Copy)]
pub struct Locale(pub RwSignal<Lang>);

/// Makes the page's language available to all components below.
pub fn provide_locale(initial: Lang) -> Locale {
    let locale = Locale(RwSignal::new(initial));
    provide_context(locale);
    locale
}

pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_else(|| Locale(RwSignal::new(Lang::default())))
}

/// A reactive text: re-renders when the language changes.
pub fn tr(text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_locale().0;
    move || lang.get().text(text)
}

/// The language the page starts in: on the server from the request, in the
/// browser from what the server rendered (so hydration sees the same page).
pub fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| Lang::from_headers(&parts.headers))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|html| html.get_attribute("lang"))
                .and_then(|code| Lang::from_code(&code))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Lang::default()
        }
    }
}

/// Remembers the choice in the browser so the next page is rendered in it.
pub fn remember_in_browser(lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(document) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let cookie = format!(
                "{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.code()
            );
            let _ = document.set_cookie(&cookie);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = lang;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_wins_over_the_browser_language() {
        let lang = Lang::negotiate(Some("a=b; peiling_lang=en"), Some("nl-NL,nl;q=0.9"));
        assert_eq!(lang, Lang::En);
    }

    #[test]
    fn an_english_browser_without_cookie_gets_english() {
        assert_eq!(Lang::negotiate(None, Some("en-GB,en;q=0.8")), Lang::En);
    }

    #[test]
    fn the_first_language_we_speak_is_taken_from_the_browser_list() {
        assert_eq!(
            Lang::negotiate(None, Some("de-DE,fr;q=0.9,en;q=0.5")),
            Lang::En
        );
    }

    #[test]
    fn anything_unknown_falls_back_to_dutch() {
        assert_eq!(
            Lang::negotiate(Some("peiling_lang=xx"), Some("de")),
            Lang::Nl
        );
        assert_eq!(Lang::negotiate(None, None), Lang::Nl);
    }

    #[test]
    fn every_text_has_both_languages_filled_in() {
        // The macro guarantees both wordings exist; this guards against an
        // empty one slipping in.
        for &text in Text::ALL {
            for lang in Lang::ALL {
                assert!(!lang.text(text).trim().is_empty(), "{text:?} in {lang:?}");
            }
        }
    }
}
