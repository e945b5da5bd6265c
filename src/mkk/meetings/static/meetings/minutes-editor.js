// The minutes editor: Trix (vendor/, pinned) replaces the minutes textarea when scripts run.
// Without JavaScript the textarea stays and plain text is kept (the server sanitises both).
(() => {
  const escapeHtml = (text) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  // Plain text (older minutes, no tags) shown as paragraphs in the editor.
  const asHtml = (value) =>
    /<[a-z][^>]*>/i.test(value)
      ? value
      : value
          .split(/\n\s*\n/)
          .filter((p) => p.trim())
          .map((p) => `<div>${escapeHtml(p).replace(/\n/g, "<br>")}</div>`)
          .join("");

  const enhance = () => {
    if (!window.Trix) return;
    const labels = document.getElementById("editor-labels");
    if (labels) Object.assign(window.Trix.config.lang, JSON.parse(labels.textContent));
    // Headings inside the minutes are level 3: the page has its own h1 and h2.
    window.Trix.config.blockAttributes.heading1.tagName = "h3";
    document.addEventListener("trix-file-accept", (event) => event.preventDefault());
    document.querySelectorAll("textarea[data-richtext]").forEach((area) => {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = area.name;
      input.id = `${area.id}_value`;
      input.value = asHtml(area.value);
      const editor = document.createElement("trix-editor");
      editor.setAttribute("input", input.id);
      editor.id = `${area.id}_editor`;
      editor.className = "minutes-editor";
      // A text box from the start (Trix sets the same when it connects), so the label applies.
      editor.setAttribute("role", "textbox");
      editor.setAttribute("aria-multiline", "true");
      const label = document.querySelector(`label[for="${area.id}"]`);
      if (label) {
        label.id = label.id || `${area.id}_label`;
        label.htmlFor = editor.id;
        editor.setAttribute("aria-labelledby", label.id);
      }
      const described = area.getAttribute("aria-describedby");
      if (described) editor.setAttribute("aria-describedby", described);
      area.replaceWith(input, editor);
    });
  };
  document.addEventListener("DOMContentLoaded", enhance);
})();
