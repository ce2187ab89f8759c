// dxindex: autosave of the self-assessment form.
//
// Each answer is saved as soon as it changes (numbers after a short pause),
// with the version it replaces; the server answers with the new version and
// the score as it now stands. A save that cannot reach the server is kept
// in localStorage and sent again when the connection returns or the page is
// opened again, so nothing typed is lost when the network drops or the tab
// closes. Without JavaScript the form still works with its Save button.
(function () {
  "use strict";
  var form = document.getElementById("assessment");
  if (!form || !window.fetch) return;
  var aid = form.dataset.assessment;
  var csrf = form.dataset.csrf;
  var storeKey = "dxindex-pending-" + aid;
  var timers = {};
  // Saves run concurrently and their answers may arrive in any order; the
  // server numbers the score it stores (revision), so only a newer score
  // replaces the one shown.
  var shownRevision = Number(form.dataset.revision) || 0;

  function msg(name) { return form.dataset["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || name; }

  function pending() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }
  function setPending(p) {
    try { localStorage.setItem(storeKey, JSON.stringify(p)); } catch (e) { /* storage full or off: saving still works online */ }
  }

  function box(code) { return form.querySelector('.indicator[data-indicator="' + CSS.escape(code) + '"]'); }

  function state(b, kind, text) {
    var el = b.querySelector("[data-state]");
    if (!el) return;
    el.className = "save-state " + kind;
    el.textContent = text || msg(kind);
  }

  // valueOf reads an indicator's answer from its inputs, as JSON would
  // write it; undefined when a number cannot be read.
  function valueOf(b) {
    var type = b.dataset.type, code = b.dataset.indicator;
    var inputs = b.querySelectorAll('[name="v.' + code + '"]');
    if (type === "boolean" || type === "choice") {
      for (var i = 0; i < inputs.length; i++) {
        if (inputs[i].checked) return type === "boolean" ? inputs[i].value === "true" : inputs[i].value;
      }
      return null;
    }
    if (type === "multi") {
      var out = [];
      for (var j = 0; j < inputs.length; j++) if (inputs[j].checked) out.push(inputs[j].value);
      return out;
    }
    var raw = (inputs[0] && inputs[0].value || "").trim().replace(",", ".");
    if (raw === "") return null;
    var n = Number(raw);
    return isFinite(n) ? n : undefined;
  }

  function setValue(b, v) {
    var type = b.dataset.type, code = b.dataset.indicator;
    var inputs = b.querySelectorAll('[name="v.' + code + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var inp = inputs[i];
      if (type === "boolean") inp.checked = v !== null && String(v) === inp.value;
      else if (type === "choice") inp.checked = v === inp.value;
      else if (type === "multi") inp.checked = Array.isArray(v) && v.indexOf(inp.value) >= 0;
      else inp.value = v === null ? "" : String(v).replace(".", document.documentElement.lang === "vi" ? "," : ".");
    }
  }

  // showScore puts in the panel the score this save stored, rendered by
  // the server with the page's own template (panel_html): the same engine,
  // names and rounding as a reload, from the first answer on.
  function showScore(body) {
    var panel = document.getElementById("score-panel");
    if (!panel || !body.self) return;
    if (typeof body.revision === "number") {
      if (body.revision <= shownRevision) return;
      shownRevision = body.revision;
    }
    if (typeof body.panel_html === "string") {
      panel.innerHTML = body.panel_html;
      return;
    }
    var a = panel.querySelector("[data-answered]"); if (a) a.textContent = body.answered;
    var t = panel.querySelector("[data-applicable]"); if (t) t.textContent = body.applicable;
  }

  function save(code, value, version) {
    var b = box(code);
    if (!b) return Promise.resolve();
    var p = pending();
    p[code] = { value: value, version: version };
    setPending(p);
    state(b, "saving");
    return fetch("/api/v1/assessments/" + aid + "/answers/" + encodeURIComponent(code) + "?panel=1", {
      method: "PUT",
      credentials: "same-origin",
      // Messages (a refused value, a conflict) in the page's language, not
      // the browser's.
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf,
        "Accept-Language": document.documentElement.lang || "vi" },
      body: JSON.stringify({ value: value, version: version })
    }).then(function (r) {
      return r.json().then(function (body) { return { r: r, body: body }; }, function () { return { r: r, body: {} }; });
    }).then(function (res) {
      var p = pending();
      if (res.r.ok) {
        b.dataset.version = res.body.version;
        var ver = form.querySelector('[name="ver.' + code + '"]'); if (ver) ver.value = res.body.version;
        delete p[code]; setPending(p);
        b.classList.remove("has-error");
        state(b, "saved");
        showScore(res.body);
      } else if (res.r.status === 409 && res.body.current) {
        // Someone else saved first: show their value, keep nothing pending.
        b.dataset.version = res.body.current.version;
        setValue(b, res.body.current.value);
        delete p[code]; setPending(p);
        state(b, "conflict", res.body.error && res.body.error.message);
      } else if (res.r.status >= 500 || res.r.status === 429 || res.r.status === 503) {
        state(b, "offline");
      } else {
        // The value is wrong (4xx): it will not become right by retrying.
        delete p[code]; setPending(p);
        b.classList.add("has-error");
        var fields = res.body.error && res.body.error.fields;
        state(b, "error", (fields && fields[code]) || (res.body.error && res.body.error.message));
      }
    }, function () {
      state(b, "offline"); // kept in localStorage; sent again when back online
    });
  }

  function changed(b) {
    var code = b.dataset.indicator;
    var v = valueOf(b);
    if (v === undefined) { state(b, "error", msg("error")); return; }
    save(code, v, Number(b.dataset.version) || 0);
  }

  form.addEventListener("change", function (e) {
    var b = e.target.closest(".indicator");
    if (!b) return;
    clearTimeout(timers[b.dataset.indicator]);
    changed(b);
  });
  form.addEventListener("input", function (e) {
    var b = e.target.closest(".indicator");
    if (!b || (b.dataset.type !== "number" && b.dataset.type !== "percent")) return;
    clearTimeout(timers[b.dataset.indicator]);
    timers[b.dataset.indicator] = setTimeout(function () { changed(b); }, 700);
  });
  form.addEventListener("submit", function (e) {
    // Everything is saved as it is typed; the button is for pages without JS.
    e.preventDefault();
  });

  function replay() {
    var p = pending();
    Object.keys(p).forEach(function (code) {
      var b = box(code);
      if (!b) return;
      setValue(b, p[code].value);
      save(code, p[code].value, p[code].version);
    });
  }
  window.addEventListener("online", replay);
  replay();
})();
