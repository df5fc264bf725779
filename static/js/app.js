// Behaviour that needs no inline script, so the Content Security Policy can forbid inline code.
(function () {
  "use strict";

  // A <select data-autosubmit> submits its form on change; its fallback button is only for no-JS browsers.
  function wireAutosubmit(root) {
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      var form = select.form;
      if (!form || select.dataset.autosubmitWired) { return; }
      select.dataset.autosubmitWired = "1";
      form.querySelectorAll("[data-autosubmit-fallback]").forEach(function (button) {
        button.classList.add("visually-hidden");
      });
      select.addEventListener("change", function () { form.requestSubmit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { wireAutosubmit(document); });
  document.addEventListener("htmx:afterSwap", function (event) { wireAutosubmit(event.target); });
})();
