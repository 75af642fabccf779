//! Staff pages that need no script: logging in and the landing page after it.

use leptos::prelude::*;

use crate::i18n::{Lang, Text};

/// The login form. `problem` is one message for every wrong combination (or
/// for too many attempts), so the page never tells whether an account exists.
#[component]
pub fn LoginForm(lang: Lang, problem: Option<Text>, email: String) -> impl IntoView {
    view! {
        <h1>{lang.text(Text::LoginTitle)}</h1>
        <p>{lang.text(Text::LoginLead)}</p>
        {problem.map(|text| view! { <p class="message" role="alert" id="login-problem">{lang.text(text)}</p> })}
        <form method="post" action="/login" class="login-form">
            <label for="email">{lang.text(Text::Email)}</label>
            <input id="email" name="email" type="email" autocomplete="username" required value=email/>
            <label for="password">{lang.text(Text::Password)}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required/>
            <button type="submit" class="button primary">{lang.text(Text::LogIn)}</button>
        </form>
    }
}

/// Where a member of staff lands after logging in.
#[component]
pub fn StaffHome(lang: Lang, name: String, role: Text) -> impl IntoView {
    view! {
        <h1>{lang.text(Text::StaffWelcome)}", " {name}</h1>
        <p>{lang.text(Text::SignedInAs)}" " <strong>{lang.text(role)}</strong>"."</p>
        <form method="post" action="/logout">
            <button type="submit" class="button secondary">{lang.text(Text::LogOut)}</button>
        </form>
    }
}
