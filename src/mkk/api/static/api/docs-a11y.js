// Swagger UI draws some controls with an icon only; give them a name that screen readers
// announce (axe button-name). Runs as a file of our own, so the strict CSP holds.
(function () {
  "use strict";
  var names = [
    [".close-modal", "Close"],
    [".copy-to-clipboard button", "Copy to clipboard"],
    [".models-control", "Show or hide the schemas"],
  ];
  function name(root) {
    names.forEach(function (pair) {
      root.querySelectorAll(pair[0]).forEach(function (el) {
        if (!el.getAttribute("aria-label") && !el.textContent.trim()) {
          el.setAttribute("aria-label", pair[1]);
        }
      });
    });
  }
  new MutationObserver(function () { name(document); }).observe(document.body, {
    childList: true,
    subtree: true,
  });
  name(document);
})();
