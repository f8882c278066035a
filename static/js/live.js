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
  var closedSince = null;

  // Each state's words come with the page (data-say-<state>), in the club's language.
  function show(state) {
    document.querySelectorAll("[data-live-status]").forEach(function (status) {
      status.dataset.state = state;
      var key = "say" + state.charAt(0).toUpperCase() + state.slice(1);
      status.querySelector("[data-live-status-text]").textContent = status.dataset[key];
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

  // The server closes with 4013 ("try again later") while it cannot follow the count
  // (Redis down). Servers may not send 1013 itself, and the ws extension reconnects by
  // itself only after 1006 and 1011-1013, so this page does it, with the same backoff.
  var TRY_AGAIN_LATER = 4013;
  var retries = 0;
  document.addEventListener("htmx:wsOpen", function () {
    retries = 0;
  });
  document.addEventListener("htmx:wsClose", function (event) {
    if (event.detail.event.code !== TRY_AGAIN_LATER) {
      return;
    }
    var reconnect = event.detail.socketWrapper.reconnect;
    setTimeout(reconnect, htmx.config.wsReconnectDelay(retries));
    retries += 1;
  });
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
