//! The bar at the top of every page: name, and the language switch.

use leptos::prelude::*;

use super::language_switch::LanguageSwitch;
use crate::i18n::{Text, tr};

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">{tr(Text::SkipToContent)}</a>
        <header class="site-header">
            <a class="wordmark" href="/">
                <svg class="wordmark-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                    <rect x="3" y="17" width="6" height="12" rx="1.5"/>
                    <rect x="13" y="10" width="6" height="19" rx="1.5"/>
                    <rect x="23" y="3" width="6" height="26" rx="1.5"/>
                </svg>
                <span>"Peiling"</span>
            </a>
            <LanguageSwitch/>
        </header>
    }
}
