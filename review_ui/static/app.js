// OMS review UI behaviour: CSRF header for htmx, highlight boxes, charts, keyboard work.
// Everything lives in this file because the CSP forbids inline scripts.
(function () {
  "use strict";

  function csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrf();
  });

  // Boxes over rendered PDF pages: bbox in PDF points, page size in points -> percentages.
  function placeBoxes(root) {
    root.querySelectorAll(".box[data-bbox]").forEach(function (box) {
      const b = JSON.parse(box.dataset.bbox);
      const w = parseFloat(box.dataset.pw), h = parseFloat(box.dataset.ph);
      if (!w || !h) return;
      box.style.left = (100 * b[0] / w) + "%";
      box.style.top = (100 * b[1] / h) + "%";
      box.style.width = (100 * (b[2] - b[0]) / w) + "%";
      box.style.height = (100 * (b[3] - b[1]) / h) + "%";
    });
  }

  // Charts from <canvas data-chart="ID"> with a <script type="application/json" id="ID">.
  function drawCharts(root) {
    if (!window.Chart) return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      const source = document.getElementById(canvas.dataset.chart);
      if (!source || canvas.dataset.drawn) return;
      canvas.dataset.drawn = "1";
      const spec = JSON.parse(source.textContent);
      spec.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: (spec.data.datasets || []).length > 1 } } }, spec.options || {});
      new window.Chart(canvas, spec);
    });
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // Focus on a field -> outline its source on the original.
  function highlightSource(field) {
    document.querySelectorAll(".box.active, .hl.active").forEach(function (el) { el.classList.remove("active"); });
    if (!field) return;
    let hits = document.querySelectorAll('[data-sources~="' + CSS.escape(field) + '"]');
    const line = /^line\.(\d+)\./.exec(field);
    if (!hits.length && line) hits = document.querySelectorAll('[data-sources~="line.' + line[1] + '"]');
    hits.forEach(function (el) { el.classList.add("active"); });
    if (hits.length) hits[0].scrollIntoView({ block: "nearest", behavior: "auto" });
  }

  // Line table: Enter / ArrowUp / ArrowDown move between rows in the same column;
  // ArrowLeft / ArrowRight move between cells when the caret is at the edge.
  function moveInTable(input, key) {
    const cell = input.closest("td"), row = input.closest("tr"), body = row && row.parentElement;
    if (!cell || !body) return false;
    const col = Array.prototype.indexOf.call(row.children, cell);
    let target = null;
    if (key === "ArrowDown" || key === "Enter") target = row.nextElementSibling;
    if (key === "ArrowUp") target = row.previousElementSibling;
    if (target) {
      const next = target.children[col] && target.children[col].querySelector("input,select");
      if (next) { next.focus(); if (next.select) next.select(); return true; }
      return false;
    }
    if (key === "ArrowLeft" || key === "ArrowRight") {
      const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
      const atEnd = input.selectionStart === (input.value || "").length;
      if ((key === "ArrowLeft" && !atStart) || (key === "ArrowRight" && !atEnd)) return false;
      const inputs = Array.prototype.slice.call(row.querySelectorAll("input,select"));
      const i = inputs.indexOf(input) + (key === "ArrowLeft" ? -1 : 1);
      if (inputs[i]) { inputs[i].focus(); if (inputs[i].select) inputs[i].select(); return true; }
    }
    return false;
  }

  function reviewKeys(event, page) {
    const t = event.target;
    if (t && t.matches && t.matches("table.lines input, .header-fields input")) {
      if (event.key === "Enter" || ((event.key === "ArrowUp" || event.key === "ArrowDown") && t.closest("table.lines"))
          || ((event.key === "ArrowLeft" || event.key === "ArrowRight") && t.closest("table.lines"))) {
        if (event.key === "Enter" && !t.closest("table.lines")) { event.preventDefault(); focusNextField(t); return; }
        if (moveInTable(t, event.key) || event.key === "Enter") event.preventDefault();
        return;
      }
    }
    if (event.key === "Enter" && t && t.id === "reject-reason") { event.preventDefault(); submitDecision(page, "reject"); return; }
    if (event.key === "Escape" && typing(t)) { t.blur(); return; }
    if (typing(t) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "a") { event.preventDefault(); submitDecision(page, "approve"); }
    else if (event.key === "r") { event.preventDefault(); const reason = page.querySelector("#reject-reason"); if (reason) reason.focus(); }
    else if (event.key === "j" && page.dataset.next) { event.preventDefault(); window.location.assign(page.dataset.next); }
    else if (event.key === "k" && page.dataset.prev) { event.preventDefault(); window.location.assign(page.dataset.prev); }
    else if (event.key === "e") { event.preventDefault(); const first = page.querySelector(".header-fields input"); if (first) first.focus(); }
    else if (event.key === "?") { const help = page.querySelector(".keys-help"); if (help) help.hidden = !help.hidden; }
  }

  function focusNextField(input) {
    const all = Array.prototype.slice.call(document.querySelectorAll(".order-form input:not([type=hidden]), .order-form select"));
    const next = all[all.indexOf(input) + 1];
    if (next) { next.focus(); if (next.select) next.select(); }
  }

  function submitDecision(page, action) {
    const button = page.querySelector('form.order-form button[name="action"][value="' + action + '"]');
    if (button) button.form.requestSubmit(button);
  }

  function queueKeys(event, table) {
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    const rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-href]"));
    if (!rows.length) return;
    let i = rows.findIndex(function (r) { return r.classList.contains("selected"); });
    if (event.key === "j" || event.key === "ArrowDown") i = Math.min(rows.length - 1, i + 1);
    else if (event.key === "k" || event.key === "ArrowUp") i = Math.max(0, i - 1);
    else if (event.key === "Enter" || event.key === "o") { if (i >= 0) window.location.assign(rows[i].dataset.href); return; }
    else return;
    event.preventDefault();
    rows.forEach(function (r) { r.classList.remove("selected"); });
    rows[i].classList.add("selected");
    rows[i].scrollIntoView({ block: "nearest" });
  }

  function init(root) {
    placeBoxes(root);
    drawCharts(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    const page = document.querySelector("[data-review-page]");
    const queue = document.querySelector("table[data-queue]");
    document.addEventListener("keydown", function (event) {
      if (page) reviewKeys(event, page);
      else if (queue) queueKeys(event, queue);
    });
    document.addEventListener("focusin", function (event) {
      const src = event.target.closest && event.target.closest("[data-field]");
      if (src) highlightSource(src.dataset.field);
      if (event.target.select && event.target.matches("table.lines input")) event.target.select();
    });
    document.addEventListener("input", function (event) {
      const t = event.target;
      if (t.matches && t.matches(".order-form input")) t.classList.toggle("changed", t.value !== t.defaultValue);
    });
    document.querySelectorAll("tr[data-href]").forEach(function (row) {
      row.addEventListener("click", function (e) { if (!e.target.closest("a,button,input")) window.location.assign(row.dataset.href); });
    });
    document.addEventListener("click", function (event) {
      const fill = event.target.closest && event.target.closest("[data-fill]");
      if (!fill) return;
      const input = document.getElementById(fill.dataset.fill) || document.querySelector('[name="' + CSS.escape(fill.dataset.fill) + '"]');
      if (input) { input.value = fill.dataset.value; input.classList.toggle("changed", input.value !== input.defaultValue); input.focus(); }
    });
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) { if (!window.confirm(form.dataset.confirm)) e.preventDefault(); });
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
