//! Peiling's pages and components, rendered on the server and hydrated in the
//! browser. Data comes from server-side code in the `server` crate; nothing in
//! here talks to the database itself.

#![recursion_limit = "256"]

pub mod components;
pub mod document;
pub mod i18n;
pub mod pages;
pub mod staff;
pub mod survey;

use leptos::prelude::*;
use leptos_meta::{Html, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    StaticSegment,
    components::{Route, Router, Routes},
};

use crate::i18n::{initial_lang, provide_locale};

/// The HTML document around every page, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="nl">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The Content-Security-Policy of the app's pages: scripts only from this site
/// and the one inline hydration script carrying this response's nonce.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

#[component]
pub fn App() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(value) =
        http::HeaderValue::from_str(&content_security_policy(&nonce.to_string()))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
    provide_meta_context();
    let locale = provide_locale(initial_lang());
    let lang = locale.0;

    view! {
        <Html {..} lang=move || lang.get().code() dir="ltr"/>
        <Stylesheet id="peiling-css" href="/pkg/peiling.css"/>
        <Title formatter=|page: String| if page.is_empty() { "Peiling".to_owned() } else { format!("{page} · Peiling") }/>
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=StaticSegment("") view=pages::home::Home/>
            </Routes>
        </Router>
    }
}
