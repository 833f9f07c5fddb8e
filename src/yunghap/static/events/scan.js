/* The staff's QR scanner of a session (events/attendance/scan.html): the phone's camera through
   getUserMedia, each frame decoded by jsQR (vendored), the pass token posted to the page itself (CSRF token
   of the manual form) and the answer shown. No camera, or no permission: the manual form stays alone. */
(function () {
  "use strict";
  var scanner = document.getElementById("scanner");
  var resultBox = document.getElementById("scan-result");
  var form = document.getElementById("manual-form");
  if (!scanner || !resultBox || !form) {
    return;
  }
  var texts = {};
  var template = document.getElementById("scan-texts");
  if (template) {
    template.content.querySelectorAll("[data-key]").forEach(function (node) {
      texts[node.getAttribute("data-key")] = node.textContent;
    });
  }

  function show(result) {
    resultBox.className = "scan-result " + (result.ok ? "scan-ok" : "scan-error");
    resultBox.setAttribute("data-code", result.code || "");
    resultBox.textContent = "";
    var line = document.createElement("p");
    line.textContent = result.message || "";
    resultBox.appendChild(line);
    var count = document.getElementById("scan-count-number");
    if (count && typeof result.checked_in === "number") {
      count.textContent = String(result.checked_in);
    }
  }

  var media = navigator.mediaDevices;
  if (!media || typeof media.getUserMedia !== "function" || typeof window.jsQR !== "function") {
    return;
  }
  var video = document.getElementById("scan-video");
  var canvas = document.getElementById("scan-canvas");
  var state = document.getElementById("scan-camera-state");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var endpoint = scanner.getAttribute("data-endpoint");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  var busy = false;
  var last = "";
  var lastAt = 0;
  var REPEAT_MS = 4000;  // the same pass held in front of the camera is sent once, not every frame

  scanner.hidden = false;
  state.textContent = texts.starting || "";

  function send(token) {
    busy = true;
    var body = new FormData();
    body.append("token", token);
    if (csrf) {
      body.append("csrfmiddlewaretoken", csrf.value);
    }
    fetch(endpoint, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(show)
      .catch(function () {
        show({ ok: false, code: "failed", message: texts.failed || "" });
      })
      .then(function () {
        busy = false;
      });
  }

  function tick() {
    if (!busy && video.readyState >= 2 && video.videoWidth > 0) {
      var width = video.videoWidth;
      var height = video.videoHeight;
      canvas.width = width;
      canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      var image = context.getImageData(0, 0, width, height);
      var code = window.jsQR(image.data, width, height, { inversionAttempts: "attemptBoth" });
      var now = Date.now();
      if (code && code.data && !(code.data === last && now - lastAt < REPEAT_MS)) {
        last = code.data;
        lastAt = now;
        send(code.data);
      }
    }
    window.setTimeout(tick, 200);
  }

  media
    .getUserMedia({ video: { facingMode: "environment" }, audio: false })
    .then(function (stream) {
      video.srcObject = stream;
      return video.play();
    })
    .then(function () {
      state.textContent = texts.scanning || "";
      tick();
    })
    .catch(function () {
      scanner.hidden = true;
      show({ ok: false, code: "no_camera", message: texts["no-camera"] || "" });
    });
})();
