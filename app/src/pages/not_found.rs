//! The answer to an address that leads nowhere.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::site_header::SiteHeader;
use crate::i18n::{Text, tr};

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }

    view! {
        <Title text=tr(Text::NotFoundTitle)/>
        <SiteHeader/>
        <main id="main" class="page narrow">
            <h1>{tr(Text::NotFoundTitle)}</h1>
            <p>{tr(Text::NotFoundText)}</p>
            <p><a href="/">{tr(Text::BackHome)}</a></p>
        </main>
    }
}
