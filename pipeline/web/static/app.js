// txplan serve: progress polling and file drop. Everything also works without this script.
"use strict";

function pollProgress() {
  const box = document.getElementById("progress");
  if (!box || box.dataset.status !== "running") return;
  const url = box.dataset.poll;
  const set = (id, value) => { const el = document.getElementById(id); if (el) el.textContent = value; };
  async function tick() {
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) { setTimeout(tick, 3000); return; }
      const data = await response.json();
      const p = data.progress || {};
      set("done", p.plans_done || 0);
      set("of", p.plans_total ? "of about " + p.plans_total + " " : "");
      set("c-ok", data.counts.ok); set("c-blocked", data.counts.blocked); set("c-failed", data.counts.failed);
      set("eta", p.eta == null ? "estimating time left" : "about " + Math.round(p.eta) + " s left");
      const bar = document.getElementById("bar");
      if (bar) { bar.max = p.plans_total || 1; bar.value = p.plans_done || 0; }
      if (data.status !== "running") { window.location.reload(); return; }
      setTimeout(tick, 1000);
    } catch (e) { setTimeout(tick, 3000); }
  }
  setTimeout(tick, 700);
}

function dropFiles() {
  document.querySelectorAll("[data-drop]").forEach((zone) => {
    const input = zone.querySelector("input[type=file]");
    ["dragenter", "dragover"].forEach((ev) => zone.addEventListener(ev, (e) => { e.preventDefault(); zone.classList.add("over"); }));
    ["dragleave", "drop"].forEach((ev) => zone.addEventListener(ev, () => zone.classList.remove("over")));
    zone.addEventListener("drop", (e) => { e.preventDefault(); if (e.dataTransfer.files.length) input.files = e.dataTransfer.files; });
  });
}

document.addEventListener("DOMContentLoaded", () => { pollProgress(); dropFiles(); });
