// The rtctoken demo page: sign in, ask for credentials, show what the server
// decodes from them, and renew them before they expire. Plain JavaScript,
// no build step; every value from the server is written with textContent.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);

// cards maps "provider/kind" to {request, credential, el}.
const cards = new Map();
let kindSpecs = new Map();

// api calls a JSON endpoint and returns {status, body}. Every POST says
// Content-Type: application/json, with or without a body: the token
// endpoints refuse any other POST (a cross-site form cannot send it). A 401
// anywhere but at sign-in means the session is gone: the page goes back to
// the form.
async function api(method, path, body) {
  const init = { method, headers: {}, credentials: "same-origin" };
  if (method === "POST" || body !== undefined) {
    init.headers["Content-Type"] = "application/json";
  }
  if (body !== undefined) {
    init.body = JSON.stringify(body);
  }
  const resp = await fetch(path, init);
  let data = null;
  try {
    data = await resp.json();
  } catch (e) {
    data = null;
  }
  if (resp.status === 401 && path !== "/login" && path !== "/api/me") {
    showLogin("Your session ended: sign in again.");
  }
  return { status: resp.status, body: data };
}

function errorText(r) {
  const e = r.body && r.body.error;
  if (!e) return "request failed (" + r.status + ")";
  return e.code + (e.field ? " (" + e.field + ")" : "") + ": " + e.message;
}

function show(id, visible) {
  $("#" + id).hidden = !visible;
}

function showLogin(message) {
  show("loading", false);
  show("app", false);
  show("login", true);
  $("#login-error").textContent = message || "";
  cards.clear();
  $("#credentials").replaceChildren();
  $("#providers").replaceChildren();
  $("#username").focus();
}

async function showApp(me) {
  show("loading", false);
  show("login", false);
  show("app", true);
  $("#whoami").textContent = me.user.name + " (" + me.user.id + ")";
  $("#issue-error").textContent = "";
  await renderProviders();
  const presets = (me.rtc && me.rtc.credentials) || {};
  for (const name of Object.keys(presets).sort()) {
    const c = presets[name];
    showCredential({ provider: c.provider, kind: c.kind, body: {} }, c, "preset " + name);
  }
}

// renderProviders lists GET /rtc/providers with a form per kind, using
// /api/kinds to know which inputs each kind takes.
async function renderProviders() {
  const [prov, kinds] = await Promise.all([api("GET", "/rtc/providers"), api("GET", "/api/kinds")]);
  if (prov.status !== 200 || kinds.status !== 200) {
    $("#issue-error").textContent = "could not list the providers";
    return;
  }
  kindSpecs = new Map(kinds.body.kinds.map((k) => [k.provider + "/" + k.kind, k]));
  $("#demo-banner").hidden = !kinds.body.demo;
  const root = $("#providers");
  root.replaceChildren();
  for (const p of prov.body.providers) {
    const sec = document.createElement("section");
    sec.className = "provider";
    sec.dataset.provider = p.provider;
    const h = document.createElement("h3");
    h.textContent = p.provider + " ";
    const app = document.createElement("code");
    app.textContent = p.app_id;
    h.append(app);
    sec.append(h);
    for (const k of p.kinds) sec.append(kindForm(p.provider, k, kindSpecs.get(p.provider + "/" + k)));
    root.append(sec);
  }
}

function kindForm(provider, kind, spec) {
  const form = document.createElement("form");
  form.className = "kind";
  form.dataset.provider = provider;
  form.dataset.kind = kind;
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = kind;
  form.append(name);
  if (spec && spec.room_allowed) {
    const room = document.createElement("input");
    room.name = "room";
    room.value = spec.room_example || "";
    room.placeholder = spec.needs_room ? "room (required)" : "room (optional)";
    room.required = spec.needs_room;
    room.setAttribute("aria-label", provider + " " + kind + " room");
    form.append(room);
  }
  if (spec && spec.roles.length > 0) {
    const sel = document.createElement("select");
    sel.name = "role";
    sel.setAttribute("aria-label", provider + " " + kind + " role");
    for (const r of spec.roles) {
      const o = document.createElement("option");
      o.value = r;
      o.textContent = spec.elevated_roles.includes(r) ? r + " (elevated)" : r;
      o.selected = r === spec.default_role;
      sel.append(o);
    }
    form.append(sel);
  }
  const btn = document.createElement("button");
  btn.type = "submit";
  btn.dataset.action = "issue";
  btn.textContent = "Get " + kind;
  form.append(btn);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const body = {};
    if (form.elements.room && form.elements.room.value !== "") body.room = form.elements.room.value;
    if (form.elements.role) body.role = form.elements.role.value;
    issue({ provider, kind, body }, "requested");
  });
  return form;
}

// issue asks the token endpoint for a credential; the same call renews it.
async function issue(request, source) {
  $("#issue-error").textContent = "";
  const r = await api("POST", "/rtc/" + encodeURIComponent(request.provider) + "/" + encodeURIComponent(request.kind), request.body);
  if (r.status !== 200) {
    const card = cards.get(request.provider + "/" + request.kind);
    if (source === "renewed" && card) {
      $('[data-field="error"]', card.el).textContent = errorText(r);
    } else {
      $("#issue-error").textContent = errorText(r);
    }
    return;
  }
  showCredential(request, r.body, source);
}

function truncate(token) {
  return token.length > 48 ? token.slice(0, 28) + "…" + token.slice(-12) : token;
}

function showCredential(request, c, source) {
  const key = c.provider + "/" + c.kind;
  let card = cards.get(key);
  if (!card) {
    const el = $("#credential-template").content.firstElementChild.cloneNode(true);
    el.id = "cred-" + c.provider + "-" + c.kind;
    el.dataset.provider = c.provider;
    el.dataset.kind = c.kind;
    el.dataset.renewals = "0";
    card = { el };
    cards.set(key, card);
    $("#credentials").prepend(el);
    $('[data-action="copy"]', el).addEventListener("click", () => copy(card));
    $('[data-action="renew"]', el).addEventListener("click", () => {
      el.dataset.renewals = String(Number(el.dataset.renewals) + 1);
      $('[data-field="renewals"]', el).textContent = el.dataset.renewals;
      issue(card.request, "renewed");
    });
  }
  card.request = request;
  card.credential = c;
  const el = card.el;
  const set = (field, text) => {
    $('[data-field="' + field + '"]', el).textContent = text;
  };
  set("title", c.provider + " / " + c.kind);
  set("source", source);
  const tok = $('[data-field="token"]', el);
  tok.textContent = truncate(c.token);
  tok.dataset.token = c.token;
  tok.title = c.token.length + " characters";
  set("app-id", c.app_id);
  set("user", c.user_id || "—");
  set("room", c.room || "—");
  set("role", c.role || "—");
  set("expires", new Date(c.expires_at).toLocaleString());
  set("join", JSON.stringify(c.join, null, 2));
  set("error", "");
  set("verified", "checking…");
  set("decoded-user", "");
  set("decoded-room", "");
  set("claims", "");
  el.dataset.decoded = "pending";
  tick();
  decode(card, c);
}

async function decode(card, c) {
  const r = await api("POST", "/api/decode", { provider: c.provider, kind: c.kind, token: c.token });
  if (card.credential !== c) return; // renewed meanwhile
  const el = card.el;
  const set = (field, text) => {
    $('[data-field="' + field + '"]', el).textContent = text;
  };
  if (r.status !== 200) {
    set("verified", errorText(r));
    el.dataset.decoded = "error";
    return;
  }
  const d = r.body;
  set("verified", d.valid ? "valid" : "NOT valid: " + d.reason);
  set("decoded-user", d.user_id || "—");
  set("decoded-room", d.room || "—");
  set("claims", JSON.stringify(d.claims || {}, null, 2));
  el.dataset.decoded = d.valid ? "valid" : "invalid";
}

async function copy(card) {
  const btn = $('[data-action="copy"]', card.el);
  try {
    await navigator.clipboard.writeText(card.credential.token);
    btn.textContent = "Copied";
  } catch (e) {
    btn.textContent = "Copy failed";
  }
  setTimeout(() => {
    btn.textContent = "Copy";
  }, 1500);
}

function duration(ms) {
  let s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return (h > 0 ? h + "h " : "") + (h > 0 || m > 0 ? m + "m " : "") + s + "s";
}

// tick updates every card's countdown to its renew_after.
function tick() {
  const now = Date.now();
  for (const card of cards.values()) {
    const c = card.credential;
    const out = $('[data-field="countdown"]', card.el);
    const renewAt = Date.parse(c.renew_after);
    const expiresAt = Date.parse(c.expires_at);
    if (now >= expiresAt) {
      out.textContent = "expired: renew";
    } else if (now >= renewAt) {
      out.textContent = "now (expires in " + duration(expiresAt - now) + ")";
    } else {
      out.textContent = duration(renewAt - now);
    }
    out.classList.toggle("due", now >= renewAt);
  }
}

async function signIn(ev) {
  ev.preventDefault();
  $("#login-error").textContent = "";
  const r = await api("POST", "/login", { username: $("#username").value, password: $("#password").value });
  if (r.status !== 200) {
    $("#login-error").textContent = r.status === 401 ? "Wrong user name or password." : errorText(r);
    return;
  }
  $("#password").value = "";
  await showApp(r.body);
}

async function signOut() {
  await api("POST", "/logout");
  showLogin("Signed out.");
}

async function start() {
  $("#login-form").addEventListener("submit", signIn);
  $("#logout").addEventListener("click", signOut);
  setInterval(tick, 1000);
  const r = await api("GET", "/api/me");
  if (r.status === 200) {
    await showApp(r.body);
  } else {
    showLogin("");
  }
}

document.addEventListener("DOMContentLoaded", start);
