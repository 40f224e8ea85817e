/* Questions asked only after another answer (templates/applications/questions.html).
 *
 * A conditional question sits in a wrapper with data-question (its key), data-asked-if (the key
 * of the question it depends on) and data-asked-values (a JSON list of the answers that ask it;
 * a yes/no question sends "true" or "false"). The server renders the wrapper hidden while the
 * answers do not ask it and, without this script, asks the new questions in a further step.
 * Here the wrappers open and close as the answers change, and the hidden field
 * "shown_questions" lists what the page shows, so the server need not come back. The server
 * stays the judge: it drops the answer to a question that is not asked.
 */
(function () {
  "use strict";

  function controlValue(form, key) {
    var control = form.elements.namedItem(key);
    if (!control) return null;
    if (control.type === "checkbox") return control.checked ? "true" : "false";
    if (typeof control.value === "string") return control.value; // select, input, radio group
    return null;
  }

  function setUp(form) {
    var wrappers = Array.prototype.slice.call(form.querySelectorAll("[data-asked-if]"));
    if (!wrappers.length) return;
    var shownField = form.querySelector('input[name="shown_questions"]');
    var byKey = {};
    wrappers.forEach(function (wrapper) {
      byKey[wrapper.getAttribute("data-question")] = wrapper;
    });

    function isShown(key) {
      // A question without a condition is always on the page.
      var wrapper = byKey[key];
      return !wrapper || !wrapper.hidden;
    }

    function update() {
      // Document order: a question's condition reads an earlier question, so one pass settles
      // chains (a question that depends on a hidden question stays hidden).
      wrappers.forEach(function (wrapper) {
        var controller = wrapper.getAttribute("data-asked-if");
        var values;
        try {
          values = JSON.parse(wrapper.getAttribute("data-asked-values") || "[]");
        } catch (error) {
          values = [];
        }
        var asked = isShown(controller) && values.indexOf(controlValue(form, controller)) !== -1;
        wrapper.hidden = !asked;
      });
      if (shownField) {
        var keys = shownField.value ? shownField.value.split(",") : [];
        wrappers.forEach(function (wrapper) {
          var key = wrapper.getAttribute("data-question");
          var index = keys.indexOf(key);
          if (!wrapper.hidden && index === -1) keys.push(key);
          if (wrapper.hidden && index !== -1) keys.splice(index, 1);
        });
        shownField.value = keys.join(",");
      }
    }

    form.addEventListener("change", update);
    update();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-conditional-questions]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
