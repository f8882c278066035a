// The check-in form, sent by the page itself. As the name is typed it points out what it can
// judge honestly with the server's own words (passed in the form's data attributes): an empty
// name, one too long, control or direction characters, no letter at all. Look-alikes and
// mixed scripts are judged by Unicode's data on the server (attendance/names.py), which
// answers on sending. When the post cannot reach the server it says so at once,
// keeps the check-in in the phone's storage and sends it again by itself with the same
// submission id (after 1, 2, 4 ... 30 s, at once when the phone is back online or unlocked,
// and when the page opens again), so however many tries arrive the runner is counted once.
// A server that answers but cannot save (busy, failing, or 507: its disk full) is tried for
// GIVE_UP_MS at most; then the page stops and sends the runner to an organiser.
// iOS has no Background Sync: the page itself does the retrying. Without this script the
// form posts as a plain HTML form.
(function () {
  "use strict";

  var STORE = "runclub.pending-checkin";
  var MAX_AGE_MS = 12 * 3600 * 1000; // a check-in older than a run day is never sent
  var FIRST_DELAY_MS = 1000;
  var MAX_DELAY_MS = 30000;
  var TIMEOUT_MS = 15000; // no answer by then: treat it as no signal, and try again
  var GIVE_UP_MS = 3 * 60 * 1000; // answers that saved nothing for this long: stop trying

  // The parts of attendance/names.py's clean_runner_name a script can judge as the server
  // does, in its order. (Emoji keep their joiners there; a name of 255 emoji is rare enough.)
  var INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800\ufffc\u{16fe4}]/gu;
  var EDGE_SPACE = /^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g; // Python's str.strip()
  var FORBIDDEN = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/u;
  var BIDI = /[\u202a-\u202e\u2066-\u2069]/u;
  var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

  var pending = null; // {path, fields, at, trouble}: the check-in not yet answered
  var attempt = 0;
  var timer = null;
  var sending = false;
  var submitted = false;

  function theForm() {
    return document.querySelector("form[data-checkin]");
  }

  // The server's message for a name it would refuse for these reasons, or "".
  function problem(raw, say) {
    var name = raw.replace(INVISIBLE, "").replace(EDGE_SPACE, "");
    if (!name) return say.msgRequired;
    if (Array.from(name).length > Number(say.maxLength)) return say.msgMaxLength;
    if (FORBIDDEN.test(name)) return say.msgControlCharacters;
    if (BIDI.test(raw)) return say.msgBidiControls;
    if (!LETTER_OR_DIGIT.test(name)) return say.msgNoLetters;
    return "";
  }

  function showError(form, message) {
    var input = form.elements.runner_name;
    var error = document.getElementById("name-error");
    error.textContent = message;
    error.hidden = !message;
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function showStatus(message, waiting) {
    var form = theForm();
    if (!form) return;
    var status = document.getElementById("checkin-status");
    var button = form.querySelector("button[type=submit]");
    status.textContent = message;
    status.hidden = false;
    status.className = waiting ? "status status-waiting" : "status";
    form.elements.runner_name.readOnly = true;
    button.disabled = !waiting;
    button.textContent = say(form, waiting ? "sayTryNow" : "sayCheckingIn");
  }

  function save() {
    try {
      localStorage.setItem(STORE, JSON.stringify(pending));
    } catch (e) {
      // Private browsing may refuse storage: the page still retries while it is open.
    }
  }

  function load() {
    try {
      return JSON.parse(localStorage.getItem(STORE) || "null");
    } catch (e) {
      return null;
    }
  }

  function forget() {
    pending = null;
    attempt = 0;
    clearTimeout(timer);
    try {
      localStorage.removeItem(STORE);
    } catch (e) {
      // nothing kept, nothing to remove
    }
  }

  function fieldsOf(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.name && element.name !== "csrfmiddlewaretoken") fields[element.name] = element.value;
    });
    return fields;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Seconds a 429 or 503 asks us to wait, or null.
  function retryAfter(response) {
    var value = response.headers.get("Retry-After");
    if (!value) return null;
    var seconds = /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
    return isFinite(seconds) ? Math.min(Math.max(seconds, 1), 600) : null;
  }

  function retryLater(message, seconds) {
    attempt += 1;
    var backoff = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * Math.pow(2, attempt - 1));
    // A little jitter, so that a crowd back in signal does not arrive all at once.
    var delay = seconds !== null ? seconds * 1000 : backoff * (0.8 + 0.4 * Math.random());
    showStatus(message, true);
    clearTimeout(timer);
    timer = setTimeout(send, delay);
  }

  // The server answered without saving. Sending again is right for a while (a burst passes,
  // someone frees the disk); past GIVE_UP_MS the runner is better off with an organiser.
  function serverTrouble(message, seconds) {
    if (!pending.trouble) {
      pending.trouble = Date.now();
      save();
    }
    if (Date.now() - pending.trouble >= GIVE_UP_MS) {
      var say = theForm().dataset;
      forget();
      showStatus(say.sayGaveUp, true); // the button sends it afresh, if the runner wants
      return;
    }
    retryLater(message, seconds);
  }

  function swapCard(fresh) {
    var card = document.getElementById("checkin-card");
    card.className = fresh.className;
    card.innerHTML = fresh.innerHTML;
    var target = card.querySelector("h2[tabindex]") || card.querySelector("[aria-invalid=true]");
    if (target) target.focus();
  }

  // This phone is past its own limit (a volunteer checking in friends): count down the wait
  // the server gave, keep the name on show, send it when the wait is over, or cancel it.
  function waitForPhoneLimit(seconds, countdown) {
    var form = theForm();
    if (!form) return;
    var until = Date.now() + seconds * 1000;
    var status = document.getElementById("checkin-status");
    var button = form.querySelector("button[type=submit]");
    form.elements.runner_name.readOnly = true;
    button.disabled = true;
    status.hidden = false;
    status.className = "status status-waiting";
    if (!document.getElementById("checkin-cancel")) {
      var cancel = document.createElement("button");
      cancel.type = "button";
      cancel.id = "checkin-cancel";
      cancel.className = "button";
      cancel.textContent = say(form, "sayCancel");
      cancel.addEventListener("click", cancelWaiting);
      status.insertAdjacentElement("afterend", cancel);
    }
    clearTimeout(timer);
    (function tick() {
      var left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0) {
        removeCancel();
        send();
        return;
      }
      status.textContent = countdown.replace("{seconds}", left);
      button.textContent = say(form, "sayWaiting");
      timer = setTimeout(tick, 1000);
    })();
  }

  function say(form, key) {
    return form.dataset[key] || "";
  }

  function removeCancel() {
    var cancel = document.getElementById("checkin-cancel");
    if (cancel) cancel.remove();
  }

  function cancelWaiting() {
    var form = theForm();
    forget();
    removeCancel();
    if (!form) return;
    var status = document.getElementById("checkin-status");
    var button = form.querySelector("button[type=submit]");
    status.hidden = true;
    form.elements.runner_name.readOnly = false;
    button.disabled = false;
    button.textContent = say(form, "sayCheckIn");
    form.elements.runner_name.focus();
  }

  function answered(response, text) {
    var say = theForm() ? theForm().dataset : {};
    if (response.status === 507) {
      serverTrouble(say.sayBroken, null); // told at once: this is not a busy moment
      return;
    }
    if (response.status === 429) {
      var page429 = new DOMParser().parseFromString(text, "text/html");
      var limited = page429.querySelector("#checkin-status[data-wait]");
      if (limited) {
        waitForPhoneLimit(Number(limited.dataset.wait), limited.dataset.countdown);
      } else {
        serverTrouble(say.sayNetwork, retryAfter(response)); // the address's limit: a flood
      }
      return;
    }
    if (response.status === 503) {
      serverTrouble(say.sayBusy, retryAfter(response));
      return;
    }
    if (response.status >= 500) {
      serverTrouble(say.sayFailed, null);
      return;
    }
    var page = new DOMParser().parseFromString(text, "text/html");
    var fresh = page.getElementById("checkin-card");
    if (fresh) {
      forget();
      swapCard(fresh);
      return;
    }
    if (response.status < 400) {
      // Not our answer: a captive Wi-Fi portal, say, while the phone thinks it is online.
      retryLater(say.sayOffline, null);
      return;
    }
    // Another page's answer (e.g. "please reload" when the security cookie was lost).
    // After a 403 the check-in stays kept, to be sent when the page is opened again.
    if (response.status !== 403) forget();
    clearTimeout(timer);
    var content = page.getElementById("content");
    if (content) document.getElementById("content").innerHTML = content.innerHTML;
  }

  function send() {
    clearTimeout(timer);
    var form = theForm();
    if (!pending || sending || !form) return;
    sending = true;
    var say = form.dataset;
    showStatus(attempt ? say.sayResending : say.saySending, false);
    var body = new URLSearchParams(pending.fields);
    body.set("csrfmiddlewaretoken", csrfToken());
    var controller = window.AbortController ? new AbortController() : null;
    var timeout = setTimeout(function () {
      if (controller) controller.abort();
    }, TIMEOUT_MS);
    fetch(pending.path, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      cache: "no-store",
      headers: { "HX-Request": "true" }, // only the card, as htmx would ask
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.text().then(function (text) {
          sending = false;
          clearTimeout(timeout);
          answered(response, text);
        });
      })
      .catch(function () {
        sending = false;
        clearTimeout(timeout);
        retryLater(say.sayOffline, null);
      });
  }

  function sendNowIfWaiting() {
    if (pending && !sending && document.visibilityState !== "hidden") send();
  }

  document.addEventListener("input", function (event) {
    var form = theForm();
    if (!form || event.target !== form.elements.runner_name) return;
    var message = problem(event.target.value, form.dataset);
    // An empty field is pointed out only once the runner tries to send it.
    showError(form, message === form.dataset.msgRequired && !submitted ? "" : message);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-checkin]")) return;
    event.preventDefault();
    if (pending) {
      send();
      return;
    }
    submitted = true;
    var name = form.elements.runner_name;
    // With member numbers only, the name is the list's (a hidden field): nothing to judge.
    if (name.type !== "hidden") {
      var message = problem(name.value, form.dataset);
      showError(form, message);
      if (message) {
        name.focus();
        return;
      }
    }
    pending = { path: form.getAttribute("action"), fields: fieldsOf(form), at: Date.now() };
    save();
    send();
  });

  window.addEventListener("online", sendNowIfWaiting);
  window.addEventListener("pageshow", sendNowIfWaiting);
  document.addEventListener("visibilitychange", sendNowIfWaiting);

  // A check-in made before the page was reloaded (or the browser closed) is sent now; one kept
  // longer than a run day, or for a run whose check-in has closed, is dropped.
  var kept = load();
  var form = theForm();
  var here = form ? form.getAttribute("action") : window.location.pathname;
  if (kept && Date.now() - kept.at >= MAX_AGE_MS) {
    forget();
  } else if (kept && kept.path === here) {
    if (form) {
      pending = kept;
      attempt = 1;
      Object.keys(kept.fields).forEach(function (name) {
        if (form.elements[name]) form.elements[name].value = kept.fields[name];
      });
      send();
    } else {
      forget();
    }
  }
})();
