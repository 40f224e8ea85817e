// Keeps the case page's status current while it is open: every 30 seconds it asks the server
// for the case's status (data-status-url) and updates the live region; when the case changed
// (its version, or the decision became ready) it shows the "reload" offer instead of reloading
// on its own, so nothing the person is reading or typing disappears.
(function () {
  "use strict";
  var root = document.querySelector("[data-status-url]");
  if (!root || !window.fetch) {
    return;
  }
  var INTERVAL_MS = 30000;
  var url = root.getAttribute("data-status-url");
  var version = root.getAttribute("data-version");
  var decisionReady = root.getAttribute("data-decision-ready");
  var label = root.querySelector("[data-status-label]");
  var due = root.querySelector("[data-decision-due]");
  var changed = root.querySelector("[data-changed]");

  function offerReload() {
    if (changed) {
      changed.hidden = false;
    }
  }

  function update(data) {
    if (label && data.status_label && label.textContent !== data.status_label) {
      label.textContent = data.status_label;
    }
    if (due && data.decision_due_display && due.textContent !== data.decision_due_display) {
      due.textContent = data.decision_due_display;
    }
    if (String(data.version) !== version) {
      offerReload();
    }
    if (decisionReady !== null && String(data.decision_ready) !== decisionReady) {
      offerReload();
    }
  }

  function poll() {
    if (document.hidden) {
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          update(data);
        }
      })
      .catch(function () {
        // Offline for a moment: the next poll tries again.
      });
  }

  var reload = root.querySelector("[data-reload]");
  if (reload) {
    reload.addEventListener("click", function () {
      window.location.reload();
    });
  }
  window.setInterval(poll, INTERVAL_MS);
})();
