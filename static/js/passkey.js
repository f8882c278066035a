/* Passkeys (WebAuthn) at the log-in's second step and in the set-up.
 *
 * The server puts the options in a JSON script element (#passkey-request to log in,
 * #passkey-creation to add one); this asks the browser for the passkey, writes its answer
 * into the form's hidden field and sends the form. It starts by itself where the browser
 * lets it, and again from the form's button (Safari wants a tap first).
 */
(function () {
  "use strict";

  function toBuffer(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var text = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    if (!buffer) return null;
    var bytes = new Uint8Array(buffer);
    var text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withBuffers(options) {
    options.challenge = toBuffer(options.challenge);
    if (options.user) options.user.id = toBuffer(options.user.id);
    ["allowCredentials", "excludeCredentials"].forEach(function (list) {
      (options[list] || []).forEach(function (credential) {
        credential.id = toBuffer(credential.id);
      });
    });
    return options;
  }

  function answer(credential) {
    var response = credential.response;
    var json = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      response: { clientDataJSON: toBase64url(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      json.response.attestationObject = toBase64url(response.attestationObject);
      if (response.getTransports) json.response.transports = response.getTransports();
    } else {
      json.response.authenticatorData = toBase64url(response.authenticatorData);
      json.response.signature = toBase64url(response.signature);
      json.response.userHandle = toBase64url(response.userHandle);
    }
    return JSON.stringify(json);
  }

  function start(form, source, creating) {
    var status = form.querySelector("[data-passkey-status]");
    var field = form.querySelector("[data-passkey-answer]");
    if (!window.PublicKeyCredential || !navigator.credentials) {
      status.textContent = form.dataset.passkeyUnsupported || "This browser cannot use passkeys.";
      return;
    }
    var options = withBuffers(JSON.parse(source.textContent));
    // Choosing another way (a code, a backup code) ends the browser's wait for the passkey.
    var waiting = new AbortController();
    form.addEventListener("submit", function () { waiting.abort(); });
    var asked = creating
      ? navigator.credentials.create({ publicKey: options, signal: waiting.signal })
      : navigator.credentials.get({ publicKey: options, signal: waiting.signal });
    status.textContent = "";
    asked.then(
      function (credential) {
        field.value = answer(credential);
        form.submit();
      },
      function (reason) {
        if (!waiting.signal.aborted) {
          status.textContent = (reason && reason.message) || String(reason);
        }
      }
    );
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-passkey-form]");
    var request = document.getElementById("passkey-request");
    var creation = document.getElementById("passkey-creation");
    var source = request || creation;
    if (!form || !source) return;
    var button = form.querySelector("[data-passkey-start]");
    if (button) {
      button.addEventListener("click", function () {
        start(form, source, !request);
      });
    }
    // By itself only where this device has a passkey reader of its own (fingerprint, face,
    // screen lock): elsewhere the browser's wait would stand in front of the other ways.
    if (form.hasAttribute("data-passkey-auto") && window.PublicKeyCredential) {
      PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable().then(function (has) {
        if (has) start(form, source, !request);
      });
    }
  });
})();
