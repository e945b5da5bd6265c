// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Send Django's CSRF token with every htmx request.
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) {
    document.body.addEventListener("htmx:configRequest", (event) => {
      event.detail.headers["X-CSRFToken"] = token.value;
    });
  }
  // The language menu submits on change; the button stays for keyboard and no-JS users.
  const select = document.getElementById("lang-select");
  if (select) {
    select.addEventListener("change", () => select.form.submit());
  }
  // Confirm destructive actions marked with data-confirm.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
