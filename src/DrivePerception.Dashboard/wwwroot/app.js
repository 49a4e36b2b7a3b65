// The dashboard page: one row per node/camera, redrawn from each snapshot the server pushes over Server-Sent Events
// (/api/events). Plots are uPlot (vendored under vendor/uplot); nothing is fetched from outside this node.
"use strict";

const STAGES = ["capture", "queue", "preprocess", "infer", "postprocess", "encode"];
const COLOURS = { capture: "#8da0cb", queue: "#fc8d62", preprocess: "#66c2a5", infer: "#e78ac3", postprocess: "#a6d854", encode: "#e5c494", end_to_end: "#1d232b" };
const WINDOWS = [["last10s", "10 s"], ["last60s", "60 s"], ["run", "run"]];
const PERCENTILES = [["p50_ms", "p50"], ["p95_ms", "p95"], ["p99_ms", "p99"], ["max_ms", "max"]];
const rows = new Map(); // endpoint -> { el, timeline, histogram, last }

const fmt = (v, digits = 2) => (v === null || v === undefined || Number.isNaN(v)) ? "–" : Number(v).toFixed(digits);
const pct = v => fmt(v, 2) + " %";
const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};

function connect() {
  const status = document.getElementById("connection");
  const source = new EventSource("api/events");
  source.addEventListener("snapshot", e => {
    status.textContent = "live";
    status.className = "conn conn-ok";
    render(JSON.parse(e.data));
  });
  // EventSource reconnects by itself; say so while it does.
  source.onerror = () => { status.textContent = "connection lost, retrying…"; status.className = "conn conn-lost"; };
}

function render(snapshot) {
  document.getElementById("updated").textContent = "updated " + new Date(snapshot.utc).toLocaleTimeString();
  const none = document.getElementById("nofeeds");
  if (none) none.remove();
  for (const feed of snapshot.feeds) {
    let row = rows.get(feed.endpoint);
    if (!row) { row = createRow(feed); rows.set(feed.endpoint, row); }
    updateRow(row, feed);
  }
  noteLiveFeeds(snapshot);
  updatePreviews();
}

function createRow(feed) {
  const section = el("section", { class: "feed", "data-testid": "feed", "data-endpoint": feed.endpoint });
  const facts = el("div", { class: "facts" });
  facts.append(el("h2", { "data-fact": "camera" }), el("span", { class: "health", "data-fact": "health" }),
    fact("endpoint", "node"), fact("fps", "frames/s"), fact("node-fps", "node frames/s"), fact("resolution", "resolution"),
    fact("models", "models"), fact("source-state", "source"), fact("deadline", "deadline ms"), fact("restarts", "restarts"),
    el("span", { class: "legend-note", "data-fact": "health-message" }));
  section.append(facts);

  const plots = el("div", { class: "plots" });
  const timelineBox = el("div", { class: "plot" });
  timelineBox.append(el("h3", {}, "Stages of each frame, last 60 s (ms; red dots: deadline misses, orange ticks: frames never seen)"));
  const histogramBox = el("div", { class: "plot" });
  histogramBox.append(el("h3", {}, "End-to-end latency of the run (frames; red line: deadline)"));
  const preview = el("figure", { class: "preview", "data-testid": "preview" });
  preview.hidden = true;
  const previewImage = el("img", { alt: "the newest frame with its outputs drawn" });
  const previewCaption = el("figcaption");
  preview.append(el("h3", {}, "Preview (--preview-hz)"), previewImage, previewCaption);
  plots.append(timelineBox, histogramBox, preview);
  section.append(plots);

  const tables = el("div", { class: "tables" });
  const percentileBox = el("div");
  percentileBox.append(el("h3", {}, "Percentiles per stage, ms (each within 1 % of exact)"));
  const percentiles = el("table", { class: "numbers", "data-testid": "percentiles" });
  percentileBox.append(percentiles);
  const counterBox = el("div");
  counterBox.append(el("h3", {}, "Frames"));
  const counters = el("table", { class: "numbers", "data-testid": "counters" });
  counterBox.append(counters);
  tables.append(percentileBox, counterBox);
  section.append(tables);
  document.getElementById("feeds").append(section);

  const row = { section, percentiles, counters, deadline: 0, drops: [], preview, previewImage, previewCaption, previewSeq: -1 };
  row.timeline = new uPlot(timelineOptions(row), [[], ...STAGES.map(() => []), [], []], timelineBox);
  row.histogram = new uPlot(histogramOptions(row), [[], []], histogramBox);
  return row;
}

function fact(name, label) {
  const span = el("span", { class: "fact" });
  span.append(label + " ", el("b", { "data-fact": name }, "–"));
  return span;
}

function timelineOptions(row) {
  // Stacked by hand: series k is the sum of stages 0..k, drawn top-down so each lower one paints over the one above.
  const stacked = STAGES.map((s, k) => ({ label: s, stroke: COLOURS[s], fill: COLOURS[s], width: 1, points: { show: false },
    value: (u, v, si, i) => fmt(i === null ? null : row.stageValues?.[s]?.[i]) })).reverse();
  return {
    width: 720, height: 240,
    scales: { x: { time: false } },
    axes: [{ label: "seconds ago" }, { label: "ms" }],
    series: [{ label: "s", value: (u, v) => fmt(v, 1) }, ...stacked,
      { label: "deadline miss", stroke: "#d00000", fill: "#d00000", width: 0, paths: () => null, points: { show: true, size: 7, fill: "#d00000" } },
      { label: "deadline", stroke: "#d00000", width: 1, dash: [6, 4], points: { show: false } }],
    hooks: { draw: [u => drawDrops(u, row)] },
  };
}

function drawDrops(u, row) {
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = "#ff8c00";
  ctx.lineWidth = 2 * devicePixelRatio;
  for (const t of row.drops) {
    const x = u.valToPos(t, "x", true);
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + 12 * devicePixelRatio);
    ctx.stroke();
  }
  ctx.restore();
}

function histogramOptions(row) {
  return {
    width: 420, height: 240,
    scales: { x: { time: false, range: (u, min, max) => [0, Math.max(max, row.deadline * 1.25)] } },
    axes: [{ label: "end-to-end ms" }, { label: "frames" }],
    series: [{ label: "ms", value: (u, v) => fmt(v, 1) },
      { label: "frames", stroke: "#3c78c8", fill: "rgba(60,120,200,0.55)", paths: uPlot.paths.bars({ size: [0.95, 100] }), points: { show: false } }],
    legend: { show: false },
    hooks: { draw: [u => {
      if (!(row.deadline > 0)) return;
      const ctx = u.ctx, x = u.valToPos(row.deadline, "x", true);
      ctx.save();
      ctx.strokeStyle = "#d00000";
      ctx.lineWidth = 2 * devicePixelRatio;
      ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
      ctx.fillStyle = "#d00000";
      ctx.font = `${11 * devicePixelRatio}px sans-serif`;
      ctx.fillText(`deadline ${row.deadline} ms`, x + 4 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
      ctx.restore();
    }] },
  };
}

function setFact(row, name, text) {
  const node = row.section.querySelector(`[data-fact="${name}"]`);
  if (node) node.textContent = text;
}

function updateRow(row, feed) {
  row.deadline = feed.deadline_ms;
  row.section.dataset.camera = feed.camera_id;
  setFact(row, "camera", feed.camera_id || "(no frame yet)");
  const health = row.section.querySelector('[data-fact="health"]');
  health.textContent = feed.health;
  health.className = "health health-" + feed.health;
  setFact(row, "health-message", feed.health_message);
  setFact(row, "endpoint", feed.endpoint);
  setFact(row, "fps", fmt(feed.fps, 1));
  setFact(row, "node-fps", fmt(feed.node_fps, 1));
  setFact(row, "resolution", feed.width ? `${feed.width}×${feed.height}` : "–");
  setFact(row, "models", feed.models.length ? feed.models.map(m => `${m.name} (${m.task}, ${m.accelerator}, ${m.precision})`).join(", ") : "–");
  setFact(row, "source-state", feed.source_state || "–");
  setFact(row, "deadline", fmt(feed.deadline_ms, 0));
  setFact(row, "restarts", String(feed.restarts));

  const t = feed.timeline;
  row.stageValues = t.stage_ms;
  row.drops = t.drop_ago_s;
  const running = new Array(t.ago_s.length).fill(0);
  const cumulative = STAGES.map(s => t.stage_ms[s].map((v, i) => (running[i] += v)));
  const misses = t.end_to_end_ms.map((v, i) => t.missed[i] ? Math.max(v, running[i]) : null);
  const deadline = t.ago_s.map(() => feed.deadline_ms || null);
  row.timeline.setData([t.ago_s, ...cumulative.reverse(), misses, deadline]);

  const bins = feed.end_to_end;
  row.histogram.setData([bins.counts.map((_, i) => (i + 0.5) * bins.bin_width_ms), bins.counts]);

  renderPercentiles(row, feed);
  renderCounters(row, feed);
}

function renderPercentiles(row, feed) {
  const table = row.percentiles;
  table.replaceChildren();
  const head = el("thead");
  const groups = el("tr");
  groups.append(el("th"));
  for (const [, label] of WINDOWS) { const th = el("th", { colspan: 4, class: "group" }, label); groups.append(th); }
  const names = el("tr");
  names.append(el("th", {}, "stage"));
  for (let w = 0; w < WINDOWS.length; w++) for (const [, label] of PERCENTILES) names.append(el("th", label === "p50" ? { class: "group" } : {}, label));
  head.append(groups, names);
  const body = el("tbody");
  for (const stage of feed.stages) {
    const tr = el("tr", { "data-stage": stage.stage });
    const name = el("td");
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = COLOURS[stage.stage] || "#999";
    name.append(swatch, stage.stage === "end_to_end" ? "end to end" : stage.stage);
    tr.append(name);
    for (const [key] of WINDOWS) for (const [field, label] of PERCENTILES) {
      const v = stage[key][field];
      const td = el("td", { "data-field": `${key}-${label}` }, stage[key].count ? fmt(v) : "–");
      if (label === "p50") td.classList.add("group");
      if (stage.stage === "end_to_end" && feed.deadline_ms > 0 && v > feed.deadline_ms) td.classList.add("over");
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(head, body);
}

function renderCounters(row, feed) {
  const c = feed.counters;
  const queue = feed.stages.find(s => s.stage === "queue");
  const lines = [
    ["processed", "processed", c.processed, null],
    ["deadline-misses", "deadline misses", c.deadline_misses, c.deadline_miss_percent],
    ["dropped-stale", "dropped (newest frame won)", c.dropped_stale, null],
    ["dropped-deadline", "dropped (past deadline)", c.dropped_deadline, null],
    ["dropped", "dropped, all", c.dropped_stale + c.dropped_deadline, c.dropped_percent],
    ["invalid", "published not valid", c.invalid, c.invalid_percent],
    ["corrupt", "corrupt (undecodable source frames)", c.corrupt, c.corrupt_percent],
    ["frames-seen", "frames seen here", c.frames_seen, null],
    ["bus-losses", "lost on the bus (seen here)", c.bus_losses, null],
    ["frame-gaps", "sequence gaps seen here", c.frame_gaps, null],
    ["queue-wait", "queue wait p50 / p99 ms (run)", queue ? `${fmt(queue.run.p50_ms)} / ${fmt(queue.run.p99_ms)}` : "–", null],
    ["node-latency", "node's own p50 / p99 ms (last 256)", `${fmt(feed.node_latency_p50_ms)} / ${fmt(feed.node_latency_p99_ms)}`, null],
  ];
  for (const [stage, n] of Object.entries(c.stage_overruns || {})) lines.push([`overrun-${stage}`, `over ${stage} budget`, n, null]);
  const table = row.counters;
  table.replaceChildren();
  for (const [key, label, value, percent] of lines) {
    const tr = el("tr");
    tr.append(el("td", {}, label), el("td", { "data-counter": key }, String(value)),
      el("td", percent === null ? {} : { "data-counter-percent": key }, percent === null ? "" : pct(percent)));
    table.append(tr);
  }
}

// After the fact: two runs side by side. A run is a live row (its whole-run percentiles, following it), a --report
// JSON file, or one camera of a recorded drive (read by the server: POST api/recorded, or dashboard --compare).
const runs = new Map(); // key -> { label, latency: () => [{ quantity, count, p50_ms, p99_ms }] }
let liveFeeds = [];
let fileCount = 0;

function addRun(key, label, latency) {
  runs.set(key, { label, latency });
  refreshRunChoices();
}

function refreshRunChoices() {
  for (const side of ["A", "B"]) {
    const select = document.getElementById("run" + side);
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "" }, "–"));
    for (const [key, run] of runs) select.append(el("option", { value: key }, run.label));
    if (runs.has(chosen)) select.value = chosen;
  }
}

function choose(side, key) {
  document.getElementById("run" + side).value = key;
  renderComparison();
}

function noteLiveFeeds(snapshot) {
  liveFeeds = snapshot.feeds;
  let changed = false;
  for (const feed of snapshot.feeds) {
    const key = "live:" + feed.endpoint;
    const label = `live: ${feed.camera_id || "(no frame yet)"} (${feed.endpoint})`;
    if (runs.get(key)?.label !== label) { runs.set(key, { label, latency: () => liveLatency(feed.endpoint) }); changed = true; }
  }
  if (changed) refreshRunChoices();
  // A drive given with --compare faces the first live row until the user picks otherwise.
  const b = document.getElementById("runB");
  if (!b.value && document.getElementById("runA").value.startsWith("drive:") && snapshot.feeds.length) b.value = "live:" + snapshot.feeds[0].endpoint;
  const keys = [document.getElementById("runA").value, b.value];
  if (keys.some(k => k.startsWith("live:"))) renderComparison();
}

function liveLatency(endpoint) {
  const feed = liveFeeds.find(f => f.endpoint === endpoint);
  return feed ? feed.stages.map(s => ({ quantity: s.stage, count: s.run.count, p50_ms: s.run.p50_ms, p99_ms: s.run.p99_ms })) : [];
}

function addRecorded(run, prefix) {
  const keys = [];
  for (const camera of run.cameras) {
    const key = `drive:${prefix}:${camera.camera_id}`;
    addRun(key, run.cameras.length > 1 ? `${run.name}#${camera.camera_id} (recorded)` : `${run.name} (recorded, ${camera.camera_id})`, () => camera.latency);
    keys.push(key);
  }
  return keys;
}

async function openFile(file) {
  const n = ++fileCount;
  if (file.name.toLowerCase().endsWith(".mcap")) {
    const response = await fetch("api/recorded?name=" + encodeURIComponent(file.name), { method: "POST", body: file });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || `the server could not read it (HTTP ${response.status})`);
    return addRecorded(body, "file" + n)[0];
  }
  const report = JSON.parse(await file.text());
  if (Array.isArray(report.cameras) && report.cameras.every(c => Array.isArray(c.latency))) {
    const keys = report.cameras.map(c => { const key = `file:${n}:${c.camera_id}`; addRun(key, `${file.name}#${c.camera_id}`, () => c.latency); return key; });
    if (keys.length) return keys[0];
  }
  if (!Array.isArray(report.latency)) throw new Error("it has no \"latency\" list: is it a --report file of run, replay or record? (A recorded drive is opened as its .mcap.)");
  const key = "file:" + n;
  addRun(key, file.name, () => report.latency);
  return key;
}

for (const side of ["A", "B"]) {
  document.getElementById("report" + side).addEventListener("change", async e => {
    const error = document.getElementById("compareError");
    error.textContent = "";
    const file = e.target.files[0];
    if (!file) return;
    try {
      choose(side, await openFile(file));
    } catch (err) {
      error.textContent = `${file.name}: ${err.message}`;
    }
  });
  document.getElementById("run" + side).addEventListener("change", renderComparison);
}

async function loadPreloaded() {
  try {
    const response = await fetch("api/compare");
    if (!response.ok) return;
    const preloaded = await response.json();
    preloaded.forEach((run, i) => { const keys = addRecorded(run, "given" + i); if (i === 0 && keys.length) choose("A", keys[0]); });
  } catch (err) {
    document.getElementById("compareError").textContent = `recorded runs given with --compare: ${err.message}`;
  }
}

function renderComparison() {
  const table = document.getElementById("compareTable");
  table.replaceChildren();
  const A = runs.get(document.getElementById("runA").value), B = runs.get(document.getElementById("runB").value);
  const head = el("tr");
  for (const h of ["stage", `p50 A`, `p50 B`, "p50 B/A", `p99 A`, `p99 B`, "p99 B/A"]) head.append(el("th", {}, h));
  table.append(head);
  const caption = el("caption", {}, `A: ${A ? A.label : "–"}   B: ${B ? B.label : "–"}`);
  table.append(caption);
  const byName = r => new Map((r ? r.latency() : []).map(l => [l.quantity, l]));
  const a = byName(A), b = byName(B);
  const stages = [...new Set([...a.keys(), ...b.keys()])];
  const ratio = (x, y) => (x && y && x.count && y.count && x.value > 0) ? (y.value / x.value).toFixed(2) + "×" : "–";
  for (const s of stages) {
    const la = a.get(s), lb = b.get(s);
    const tr = el("tr", { "data-compare-stage": s });
    tr.append(el("td", {}, s),
      el("td", { "data-field": "p50-a" }, fmt(la?.p50_ms)), el("td", { "data-field": "p50-b" }, fmt(lb?.p50_ms)),
      el("td", { "data-field": "p50-ratio" }, ratio(la && { count: la.count, value: la.p50_ms }, lb && { count: lb.count, value: lb.p50_ms })),
      el("td", { "data-field": "p99-a" }, fmt(la?.p99_ms)), el("td", { "data-field": "p99-b" }, fmt(lb?.p99_ms)),
      el("td", { "data-field": "p99-ratio" }, ratio(la && { count: la.count, value: la.p99_ms }, lb && { count: lb.count, value: lb.p99_ms })));
    table.append(tr);
  }
}

// The node's own page with --preview-hz: the newest small frame with its outputs drawn, per camera (api/preview).
let previewServed = true;
async function updatePreviews() {
  if (!previewServed) return;
  let list;
  try {
    const response = await fetch("api/preview");
    if (response.status === 404) { previewServed = false; return; }
    list = await response.json();
  } catch { return; }
  for (const p of list.cameras) {
    for (const row of rows.values()) {
      if (row.section.dataset.camera !== p.camera_id || row.previewSeq === p.seq) continue;
      row.previewSeq = p.seq;
      row.preview.hidden = false;
      row.previewImage.src = `api/preview/${encodeURIComponent(p.camera_id)}?seq=${p.seq}`;
      row.previewImage.dataset.seq = String(p.seq);
      row.previewCaption.textContent = `frame ${p.seq}, ${p.width}×${p.height}, about ${fmt(list.rate_hz, 1)} a second`;
    }
  }
}

loadPreloaded();
connect();
