// The warning before the idle timeout (templates/accounts/_idle_warning.html). The server ends
// a session idle for data-idle-seconds (accounts/middleware.py); a few minutes before, this
// opens the dialog with the time left, "Stay logged in" (POST to data-keep-alive-url) and
// "Log out". The session's last-seen time on the server is the truth: before warning, and while
// the warning is open, the script asks data-status-url (which does not count as activity) how
// long is left, so a tab opened long ago does not warn a person busy in another tab. When the
// time is up it opens the log-in page, which says why the person was logged out.
// Without JavaScript nothing of this happens and the server still ends idle sessions.
(function () {
  "use strict";
  var dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) {
    return;
  }
  var idleSeconds = parseInt(dialog.getAttribute("data-idle-seconds"), 10);
  if (!(idleSeconds > 0)) {
    return;
  }
  // Warn five minutes before the end, or half-way through a shorter timeout.
  var warnSeconds = Math.min(300, Math.floor(idleSeconds / 2));
  // The server notes activity at most once a minute: the first look may come a minute early.
  var SEEN_RESOLUTION = 60;
  // While the warning is open, how often to ask whether another tab kept the session alive.
  var RECHECK_SECONDS = 30;

  var countdown = dialog.querySelector("[data-idle-countdown]");
  var announce = dialog.querySelector("[data-idle-announce]");
  var stayButton = dialog.querySelector("[data-idle-stay]");
  var logoutButton = dialog.querySelector("[data-idle-logout]");
  var csrfToken = dialog.getAttribute("data-csrf-token");

  var checkTimer = null;
  var tickTimer = null;
  var deadline = 0; // performance.now() at which the session ends
  var lastCheck = 0;
  var announced = {};
  var returnFocus = null;
  var leaving = false;

  function secondsLeft() {
    return Math.max(0, Math.ceil((deadline - performance.now()) / 1000));
  }

  function formatTime(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function schedule(seconds) {
    window.clearTimeout(checkTimer);
    checkTimer = window.setTimeout(check, Math.max(0, seconds) * 1000);
  }

  function toLogin() {
    if (leaving) {
      return;
    }
    leaving = true;
    var here = window.location.pathname + window.location.search;
    window.location.assign(
      dialog.getAttribute("data-login-url") + "?next=" + encodeURIComponent(here)
    );
  }

  // Asks the server how long the session has left. 401: it has ended (the server has logged
  // the person out and keeps the message for the log-in page).
  function check() {
    lastCheck = performance.now();
    fetch(dialog.getAttribute("data-status-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store",
    })
      .then(function (response) {
        if (response.status === 401) {
          toLogin();
          return null;
        }
        if (response.redirected) {
          // Sent elsewhere (the second factor's code step): nothing to warn about here.
          window.clearTimeout(checkTimer);
          return null;
        }
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (data) {
          update(data.seconds_left);
        }
      })
      .catch(function () {
        // Offline or a server error: try again in a while; the server decides anyway.
        schedule(RECHECK_SECONDS);
      });
  }

  function update(left) {
    deadline = performance.now() + left * 1000;
    if (left <= 0) {
      // The server ends the session on the next request after the timeout: ask once more.
      schedule(2);
    } else if (left > warnSeconds) {
      hide();
      schedule(left - warnSeconds);
    } else {
      show();
      schedule(left <= RECHECK_SECONDS ? left + 1 : RECHECK_SECONDS);
    }
  }

  function say(text) {
    // A polite announcement, rarely: at two minutes and at one minute.
    announce.textContent = "";
    window.setTimeout(function () {
      announce.textContent = text;
    }, 100);
  }

  function tick() {
    var left = secondsLeft();
    countdown.textContent = formatTime(left);
    if (left <= 120 && left > 60 && !announced.two && warnSeconds > 120) {
      announced.two = true;
      say(dialog.getAttribute("data-announce-two"));
    } else if (left <= 60 && left > 0 && !announced.one && warnSeconds > 60) {
      announced.one = true;
      say(dialog.getAttribute("data-announce-one"));
    }
    if (left <= 0 && performance.now() - lastCheck > 1500) {
      check();
    }
  }

  function show() {
    tick();
    if (!dialog.open) {
      announced = {};
      returnFocus = document.activeElement;
      dialog.showModal();
      stayButton.focus();
      tickTimer = window.setInterval(tick, 1000);
    }
  }

  function hide() {
    window.clearInterval(tickTimer);
    tickTimer = null;
    if (dialog.open) {
      dialog.close();
      if (returnFocus && typeof returnFocus.focus === "function") {
        returnFocus.focus();
      }
    }
  }

  function stay() {
    stayButton.disabled = true;
    fetch(dialog.getAttribute("data-keep-alive-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken },
      cache: "no-store",
    })
      .then(function (response) {
        stayButton.disabled = false;
        if (response.status === 204) {
          hide();
          update(idleSeconds);
        } else if (response.status === 401) {
          toLogin();
        } else {
          check();
        }
      })
      .catch(function () {
        stayButton.disabled = false;
        check();
      });
  }

  function logOut() {
    // The same POST as the header's "Log out" button.
    var form = document.createElement("form");
    form.method = "post";
    form.action = dialog.getAttribute("data-logout-url");
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = csrfToken;
    form.appendChild(token);
    document.body.appendChild(form);
    form.submit();
  }

  stayButton.addEventListener("click", stay);
  logoutButton.addEventListener("click", logOut);
  // Escape means "stay": the person is clearly here.
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    stay();
  });

  // A background tab's timers are slowed down: look again when the person comes back to it.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && secondsLeft() <= warnSeconds + SEEN_RESOLUTION) {
      check();
    }
  });

  // This page's request has just counted as activity (to within the server's minute).
  deadline = performance.now() + idleSeconds * 1000;
  schedule(idleSeconds - warnSeconds - SEEN_RESOLUTION);
})();
