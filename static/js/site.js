// Progressive enhancements only: every page works without this file.
(function () {
  // Move focus to what needs fixing (the error summary, a form's own error message, else the first field with an
  // error), or to a result the page announces, so keyboard and screen-reader users land on what matters.
  var problem = document.querySelector(".error-summary") || document.querySelector("form .alert-danger") ||
    document.querySelector(".is-invalid");
  var landing = problem || document.querySelector("[data-focus-on-load]");
  if (landing) {
    if (!landing.matches("input, select, textarea, button, a[href], [tabindex]")) { landing.setAttribute("tabindex", "-1"); }
    landing.focus();
  }
  // Disable submit buttons after the first click; the server also ignores a repeated submission.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("[data-submit-once]").forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
  // A "Copy" button next to a value (e.g. the two-factor secret): the value stays selectable without it. The
  // status messages come translated from the page (data-copied, data-copy-failed).
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value || source.textContent.trim()).then(function () {
        if (status) { status.textContent = status.dataset.copied || "Copied."; }
      }, function () {
        if (source.select) { source.select(); }
        if (status) { status.textContent = status.dataset.copyFailed || "Select the text and copy it."; }
      });
    });
  });
})();
