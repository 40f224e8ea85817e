// Move focus to the error summary when a form comes back with errors, so screen-reader and
// keyboard users hear what to correct first (GOV.UK error summary pattern).
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
