//! Switching between Dutch and English.
//!
//! Without JavaScript the buttons post a plain form and the server answers with
//! the page in the new language. Once hydrated, a click switches the page at once
//! and remembers the choice in a cookie for the next page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{Lang, Text, remember_in_browser, tr, use_locale};

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_locale().0;
    let location = use_location();
    let back = move || location.pathname.get();

    view! {
        <form class="language-switch" method="post" action="/language">
            <input type="hidden" name="back" value=back/>
            <span class="visually-hidden" id="language-label">{tr(Text::LanguageLabel)}</span>
            <div role="group" aria-labelledby="language-label">
                {Lang::ALL
                    .into_iter()
                    .map(|choice| {
                        view! {
                            <button
                                type="submit"
                                name="lang"
                                value=choice.code()
                                lang=choice.code()
                                aria-pressed=move || (lang.get() == choice).to_string()
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    lang.set(choice);
                                    remember_in_browser(choice);
                                }
                            >
                                {choice.native_name()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </form>
    }
}
