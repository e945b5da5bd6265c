// Small progressive enhancements; every page works without JavaScript.

// Quick exit (public pages about domestic violence): go to a neutral site and replace this
// page in the browser's history, so that "Back" does not return here. Without JavaScript the
// link simply opens that site.
document.addEventListener("click", (event) => {
  const link = event.target.closest ? event.target.closest("a[data-quick-exit]") : null;
  if (!link) return;
  event.preventDefault();
  document.body.hidden = true;
  window.location.replace(link.href);
});
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
  // Statistics grid: the sum of each breakdown's parts as you type, and the fields that do
  // not add up marked (the server checks the same rules on save).
  document.querySelectorAll("[data-value-grid]").forEach((grid) => {
    const number = (input) => (input.value.trim() === "" ? null : Number(input.value));
    const check = () => {
      const badTotals = new Set();
      grid.querySelectorAll("output[data-sum]").forEach((out) => {
        const [code] = out.dataset.sum.split(":");
        const parts = [...grid.querySelectorAll(`input[data-part="${out.dataset.sum}"]`)];
        const total = grid.querySelector(`input[data-total="${code}"]`);
        const values = parts.map(number);
        const given = values.filter((v) => v !== null && !Number.isNaN(v));
        const sum = given.reduce((a, b) => a + b, 0);
        const t = total ? number(total) : null;
        const complete = given.length === parts.length;
        const bad = t !== null && given.length > 0 &&
          (sum > t || (complete && sum !== t) || given.some((v) => v > t));
        out.textContent = given.length ? String(sum) + (bad ? ` \u2260 ${t}` : "") : "\u2013";
        out.classList.toggle("mismatch", bad);
        parts.forEach((p) => {
          p.classList.toggle("mismatch", bad);
          if (bad) p.setAttribute("aria-invalid", "true"); else p.removeAttribute("aria-invalid");
        });
        if (bad) badTotals.add(code);
      });
      grid.querySelectorAll("input[data-total]").forEach((total) => {
        const bad = badTotals.has(total.dataset.total);
        total.classList.toggle("mismatch", bad);
        if (bad) total.setAttribute("aria-invalid", "true"); else total.removeAttribute("aria-invalid");
      });
    };
    grid.addEventListener("input", check);
  });
});
