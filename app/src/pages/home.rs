//! The front door: what Peiling is, where a student enters a class code and
//! where staff log in.

use leptos::prelude::*;
use leptos_meta::Title;
use surveys::{ClassCode, ClassCodeError};

use crate::components::site_header::SiteHeader;
use crate::i18n::{Text, tr};

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <Title text=""/>
        <SiteHeader/>
        <main id="main" class="page">
            <section class="hero" aria-labelledby="tagline">
                <h1 id="tagline">{tr(Text::Tagline)}</h1>
                <p class="lead">{tr(Text::Intro)}</p>
            </section>
            <div class="doors">
                <ClassCodeEntry/>
                <section class="card staff" aria-labelledby="staff-heading">
                    <h2 id="staff-heading">{tr(Text::StaffHeading)}</h2>
                    <p>{tr(Text::StaffLead)}</p>
                    <a class="button secondary" href="/login" rel="external">{tr(Text::StaffLogIn)}</a>
                </section>
            </div>
            <section class="cycle" aria-labelledby="cycle-heading">
                <h2 id="cycle-heading">{tr(Text::CycleHeading)}</h2>
                <ol>
                    <li>
                        <h3>{tr(Text::CycleMeasure)}</h3>
                        <p>{tr(Text::CycleMeasureText)}</p>
                    </li>
                    <li>
                        <h3>{tr(Text::CycleDiscuss)}</h3>
                        <p>{tr(Text::CycleDiscussText)}</p>
                    </li>
                    <li>
                        <h3>{tr(Text::CycleAct)}</h3>
                        <p>{tr(Text::CycleActText)}</p>
                    </li>
                </ol>
            </section>
            <section class="privacy" aria-labelledby="privacy-heading">
                <h2 id="privacy-heading">{tr(Text::PrivacyHeading)}</h2>
                <p>{tr(Text::PrivacyText)}</p>
            </section>
        </main>
    }
}

/// What typing the code tells the student, before anything is sent.
fn feedback(typed: &str) -> Option<Result<Text, Text>> {
    if typed.trim().is_empty() {
        return None;
    }
    Some(match ClassCode::parse(typed) {
        Ok(_) => Ok(Text::ClassCodeLooksRight),
        Err(ClassCodeError::Empty) => Err(Text::ClassCodeEmpty),
        Err(ClassCodeError::WrongLength) => Err(Text::ClassCodeWrongLength),
        Err(ClassCodeError::UnknownCharacter) => Err(Text::ClassCodeUnknownCharacter),
    })
}

/// The class code form. Without JavaScript it is a plain form; once hydrated it
/// checks the code's shape while the student types, with the same rule the
/// server applies.
#[component]
fn ClassCodeEntry() -> impl IntoView {
    // A code sheet's QR code opens this page with the code filled in.
    let given: String = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("code")
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(16)
        .collect();
    let typed = RwSignal::new(given.clone());
    let lang = crate::i18n::use_locale().0;
    let message = move || {
        feedback(&typed.get()).map(|result| {
            let (class, text) = match result {
                Ok(text) => ("field-message ok", text),
                Err(text) => ("field-message problem", text),
            };
            view! { <p class=class>{lang.get().text(text)}</p> }
        })
    };

    view! {
        <section class="card student" aria-labelledby="student-heading">
            <h2 id="student-heading">{tr(Text::StudentHeading)}</h2>
            <p>{tr(Text::StudentLead)}</p>
            <form method="post" action="/survey" class="class-code-form">
                <label for="class-code">{tr(Text::ClassCodeLabel)}</label>
                <p class="hint" id="class-code-hint">{tr(Text::ClassCodeHint)}</p>
                <input
                    id="class-code"
                    name="code"
                    type="text"
                    inputmode="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    maxlength="16"
                    required
                    value=given
                    aria-describedby="class-code-hint class-code-feedback"
                    on:input=move |ev| typed.set(event_target_value(&ev))
                />
                <div id="class-code-feedback" aria-live="polite">{message}</div>
                <button type="submit" class="button primary">{tr(Text::StartSurvey)}</button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_said_before_the_student_types() {
        assert_eq!(feedback("  "), None);
    }

    #[test]
    fn a_well_formed_code_is_encouraged() {
        assert_eq!(feedback("k7qm 3xpa"), Some(Ok(Text::ClassCodeLooksRight)));
    }

    #[test]
    fn a_code_with_a_zero_is_explained() {
        assert_eq!(
            feedback("K7QM-3XP0"),
            Some(Err(Text::ClassCodeUnknownCharacter))
        );
    }
}
