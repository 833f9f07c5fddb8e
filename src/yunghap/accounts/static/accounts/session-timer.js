// The header's "로그아웃까지 남은 시간" countdown and its 연장 (extend) button.
// The server enforces the timeout (yunghap.accounts.sessions); this only shows it. At zero it asks the
// server, without counting as activity, whether the session really ended (another tab may have used it):
// if so it goes to the login page, which says why; otherwise it counts on from the server's answer.
(function () {
  "use strict";
  var form = document.getElementById("session-timer");
  if (!form || !window.fetch) { return; }
  var clock = document.getElementById("session-clock");
  var announce = document.getElementById("session-announce");
  var warnAt = parseInt(form.getAttribute("data-warn-seconds"), 10) || 300;
  var endsAt = 0;
  var warned = false;
  var timer = null;

  function setLeft(seconds) {
    endsAt = Date.now() + Math.max(0, seconds) * 1000;
    warned = seconds <= warnAt;
    if (announce) { announce.textContent = ""; }
  }

  function show(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    clock.textContent = (minutes < 10 ? "0" : "") + minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function toLogin() {
    var next = window.location.pathname + window.location.search;
    window.location.assign(form.getAttribute("data-login-url") + "?next=" + encodeURIComponent(next));
  }

  function check() {
    fetch(form.getAttribute("data-status-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        return response.ok && !response.redirected ? response.json() : { seconds_left: 0, signed_out: true };
      })
      .then(function (data) {
        if (data.seconds_left > 0) { setLeft(data.seconds_left); tick(); }
        else if (data.signed_out) { toLogin(); }
        // The server still holds the session for a moment (its clock and ours differ by a fraction of a
        // second): ask again rather than reach the login page before the server has said why.
        else { window.setTimeout(check, 1000); }
      })
      .catch(function () { toLogin(); });
  }

  function tick() {
    var seconds = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    show(seconds);
    if (!warned && seconds <= warnAt && announce) {
      warned = true;
      announce.textContent = form.getAttribute("data-warning").replace("%s", String(Math.ceil(seconds / 60)));
    }
    if (seconds <= 0) { window.clearInterval(timer); timer = null; check(); return; }
    if (timer === null) { timer = window.setInterval(tick, 1000); }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(form.getAttribute("action"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" },
    })
      .then(function (response) { return response.ok && !response.redirected ? response.json() : { seconds_left: 0 }; })
      .then(function (data) {
        if (data.seconds_left > 0) { setLeft(data.seconds_left); tick(); } else { toLogin(); }
      })
      .catch(function () { form.submit(); });
  });

  setLeft(parseInt(form.getAttribute("data-seconds-left"), 10) || 0);
  tick();
}());
