// Pages that show "today" (the Today screen, /qr/today/ and its projector view) reload just
// after the club's midnight. The server says how many seconds are left; the deadline is kept
// on the wall clock, so a laptop that slept through midnight reloads as soon as it wakes.
(function () {
  "use strict";
  var seconds = Number(document.currentScript.dataset.seconds);
  if (!(seconds > 0)) {
    return;
  }
  var deadline = Date.now() + seconds * 1000;
  setInterval(function () {
    if (Date.now() >= deadline) {
      window.location.reload();
    }
  }, 10000);
})();
