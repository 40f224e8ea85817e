// The header's menu on narrow screens. Without JavaScript the "Menu" link opens it through its
// #site-menu target (site.css); with it, the link becomes a button that shows and hides the menu
// and says whether it is open. The language and account lists close when another one opens.
(function () {
  "use strict";
  var toggle = document.querySelector("[data-menu-toggle]");
  var menu = document.getElementById("site-menu");
  if (!toggle || !menu) {
    return;
  }
  toggle.setAttribute("role", "button");
  toggle.setAttribute("aria-expanded", "false");
  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    var open = menu.classList.toggle("is-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  toggle.addEventListener("keydown", function (event) {
    if (event.key === " ") {
      event.preventDefault();
      toggle.click();
    }
  });
  var dropdowns = document.querySelectorAll(".site-dropdown");
  dropdowns.forEach(function (dropdown) {
    dropdown.addEventListener("toggle", function () {
      if (!dropdown.open) {
        return;
      }
      dropdowns.forEach(function (other) {
        if (other !== dropdown) {
          other.open = false;
        }
      });
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      dropdowns.forEach(function (dropdown) {
        if (dropdown.open) {
          dropdown.open = false;
          dropdown.querySelector("summary").focus();
        }
      });
    }
  });
})();
