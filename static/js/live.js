// The live count's connection indicator (live / reconnecting / offline), the reconnect
// backoff for the htmx ws extension, and the projector's full-screen button.
(function () {
  "use strict";

  // Exponential backoff with jitter, capped: a watcher is back within ~10 s of the server.
  var MAX_DELAY_MS = 10000;
  htmx.config.wsReconnectDelay = function (retryCount) {
    var ceiling = Math.min(MAX_DELAY_MS, 500 * Math.pow(2, retryCount));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  };

  // Closed for this long (or the browser says it has no network): call it offline.
  var OFFLINE_AFTER_MS = 30000;
  var LABELS = {
    connecting: "Connecting…",
    live: "Live",
    reconnecting: "Reconnecting…",
    offline: "Offline: the count may be out of date. Retrying…",
  };
  var closedSince = null;

  function show(state) {
    document.querySelectorAll("[data-live-status]").forEach(function (status) {
      status.dataset.state = state;
      status.querySelector("[data-live-status-text]").textContent = LABELS[state];
    });
  }

  function showClosed() {
    if (closedSince === null) {
      closedSince = Date.now();
    }
    var tooLong = Date.now() - closedSince > OFFLINE_AFTER_MS;
    show(!navigator.onLine || tooLong ? "offline" : "reconnecting");
  }

  document.addEventListener("htmx:wsConnecting", function () {
    if (closedSince === null) {
      show("connecting");
    } else {
      showClosed();
    }
  });
  document.addEventListener("htmx:wsOpen", function () {
    closedSince = null;
    show("live");
  });
  document.addEventListener("htmx:wsClose", showClosed);
  window.addEventListener("offline", showClosed);

  document.querySelectorAll("[data-fullscreen]").forEach(function (button) {
    if (!document.fullscreenEnabled) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        document.documentElement.requestFullscreen();
      }
    });
  });
})();
