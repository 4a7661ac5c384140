// Progressive enhancements only: every page works without this file.
(function () {
  // Move focus to the error summary (or the first field with an error) so keyboard and
  // screen-reader users land on what needs fixing.
  var summary = document.querySelector(".error-summary, .invalid-feedback, .is-invalid");
  if (summary) {
    var target = summary.classList.contains("error-summary") ? summary : document.querySelector(".is-invalid");
    if (target) { target.focus(); }
  }
  // Disable submit buttons after the first click; the server also ignores a repeated submission.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("[data-submit-once]").forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
})();
