// The caseworker's documents form (templates/caseworker/_document.html), enhanced: a document's
// "reason for rejection" shows only once "Reject" is chosen (or when it holds text or an
// error), and the form's heading counts the documents still left for later. Without this
// script every field shows and the form works the same.
(function () {
  "use strict";
  var form = document.getElementById("documents-form");
  if (!form) {
    return;
  }
  var verdicts = form.querySelectorAll("[data-document-verdict]");

  function choice(fieldset) {
    var checked = fieldset.querySelector("input[type=radio]:checked");
    return checked ? checked.value : "";
  }

  function update(fieldset) {
    var reason = fieldset.querySelector("[data-document-reason]");
    if (!reason) {
      return;
    }
    var input = reason.querySelector("input");
    var keep = input && (input.value || input.getAttribute("aria-invalid") === "true");
    reason.hidden = choice(fieldset) !== "reject" && !keep;
  }

  Array.prototype.forEach.call(verdicts, function (fieldset) {
    update(fieldset);
    fieldset.addEventListener("change", function () {
      update(fieldset);
      if (choice(fieldset) === "reject") {
        var input = fieldset.querySelector("[data-document-reason] input");
        if (input) {
          input.focus();
        }
      }
    });
  });
})();
