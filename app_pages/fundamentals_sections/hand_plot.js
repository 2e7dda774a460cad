const g = (name, z) => name === "sigmoid" ? 0.5 * (1 + Math.tanh(0.5 * z)) : Math.max(z, 0);
const FIELDS = {position: "positions", steepness: "steepness", weight: "weights"};

function copyNetwork(d) {
  return {activation: d.activation, positions: d.positions.slice(),
          steepness: d.steepness.slice(), weights: d.weights.slice(), bias: d.bias};
}

function unitValue(net, unit, field) {
  return field === "bias" ? net.bias : net[FIELDS[field]][unit];
}

// ỹ on the grid x and each unit's share: the same sum as approximation.hand_contributions
function evaluate(net, x) {
  const units = net.positions.length, shares = [], curve = new Array(x.length).fill(net.bias);
  for (let j = 0; j < units; j++) {
    const p = net.positions[j], s = net.steepness[j], w = net.weights[j], share = [];
    for (let i = 0; i < x.length; i++) {
      const value = w * g(net.activation, s * (x[i] - p));
      share.push(value); curve[i] += value;
    }
    shares.push(share);
  }
  return {curve, shares};
}

function niceTicks(low, high, count) {
  const raw = (high - low) / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((m) => m >= raw) || raw;
  const ticks = [];
  for (let t = Math.ceil(low / step) * step; t <= high + 1e-9 * step; t += step) ticks.push(t);
  return ticks;
}

function extent(values, range) {
  for (const v of values) if (Number.isFinite(v)) {
    range[0] = Math.min(range[0], v); range[1] = Math.max(range[1], v);
  }
  return range;
}

function paint(s) {
  s.frame = 0;
  const d = s.data, canvas = s.canvas, net = s.net;
  const {curve, shares} = evaluate(net, d.x);
  // the y axis fits what the server sent; a drag only ever widens it (no jumping axes)
  const range = extent(curve, s.yRange.slice());
  shares.forEach((share) => extent(share, range));
  s.yRange = range;
  const dpr = window.devicePixelRatio || 1, W = canvas.clientWidth, H = canvas.clientHeight;
  if (canvas.width !== Math.round(W * dpr) || canvas.height !== Math.round(H * dpr)) {
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
  }
  const c = canvas.getContext("2d"), k = d.scale, font = Math.round(16 * k);
  c.setTransform(dpr, 0, 0, dpr, 0, 0);
  c.clearRect(0, 0, W, H);
  const left = 4.2 * font, right = 12, top = 8, bottom = 2.6 * font;
  const [y0, y1] = range, pad = 0.06 * (y1 - y0 || 1), lo = y0 - pad, hi = y1 + pad;
  const px = (v) => left + (v - d.x[0]) / (d.x[d.x.length - 1] - d.x[0]) * (W - left - right);
  const py = (v) => top + (hi - v) / (hi - lo) * (H - top - bottom);
  // the theme's text colour (light or dark theme) and a grid that suits both
  c.font = font + "px sans-serif"; c.fillStyle = s.textColour; c.strokeStyle = "rgba(128,128,128,0.25)";
  c.lineWidth = 1;
  c.textAlign = "center"; c.textBaseline = "top";
  for (const t of niceTicks(d.x[0], d.x[d.x.length - 1], 8)) {
    c.beginPath(); c.moveTo(px(t), top); c.lineTo(px(t), H - bottom); c.stroke();
    c.fillText(+t.toFixed(6) + "", px(t), H - bottom + 6);
  }
  c.textAlign = "right"; c.textBaseline = "middle";
  for (const t of niceTicks(lo, hi, 6)) {
    c.beginPath(); c.moveTo(left, py(t)); c.lineTo(W - right, py(t)); c.stroke();
    c.fillText(+t.toPrecision(4) + "", left - 6, py(t));
  }
  c.textAlign = "center"; c.textBaseline = "bottom"; c.fillText("x", (left + W) / 2, H);
  c.save(); c.translate(font * 0.9, (top + H - bottom) / 2); c.rotate(-Math.PI / 2);
  c.textBaseline = "middle"; c.fillText("y", 0, 0); c.restore();
  c.save(); c.beginPath(); c.rect(left, top, W - left - right, H - top - bottom); c.clip();
  c.lineJoin = "round"; c.lineCap = "round";
  const line = (xs, ys, [colour, width]) => {
    c.strokeStyle = colour; c.lineWidth = width * k; c.beginPath();
    for (let i = 0; i < xs.length; i++) {
      if (i === 0) c.moveTo(px(xs[i]), py(ys[i])); else c.lineTo(px(xs[i]), py(ys[i]));
    }
    c.stroke();
  };
  shares.forEach((share, j) => { if (j !== d.unit) line(d.x, share, d.styles["hidden unit"]); });
  line(d.target_x, d.target_y, d.styles.target);
  if (shares[d.unit]) line(d.x, shares[d.unit], d.styles["edited unit"]);
  line(d.x, curve, d.styles.network);
  c.restore();
  const done = performance.now();
  s.paints += 1; s.lastPaintAt = done; canvas.dataset.paints = s.paints;
  if (s.inputAt !== null) {
    const inputAt = s.inputAt;
    s.latencies.push(done - inputAt); s.inputAt = null;
    // the next frame's start: by then the frame with this drawing is on screen (an upper bound)
    requestAnimationFrame(() => s.frameLatencies.push(performance.now() - inputAt));
  }
  s.curve = curve; s.network = copyNetwork(net); s.x = d.x;
}

function show(s) {
  const d = s.data;
  for (const input of s.inputs) {
    const field = input.dataset.field, [low, high, step] = d.ranges[field];
    input.min = low; input.max = high; input.step = step;
    if (s.dragging !== field) input.value = unitValue(s.net, d.unit, field);
  }
  for (const out of s.outputs) out.textContent = unitValue(s.net, d.unit, out.dataset.for).toFixed(3);
}

export default function (component) {
  const { data, setStateValue, parentElement } = component;
  const store = (window.__courseByHand ??= {});
  const s = (store[data.name] ??= {seq: 0, paints: 0, inputEvents: 0, latencies: [], frameLatencies: [],
                                   inputAt: null, frame: 0, dragging: null});
  const root = parentElement.querySelector(".hand");
  root.style.setProperty("--scale", data.scale);
  s.textColour = getComputedStyle(root).color || "#444";
  root.querySelector(".title").textContent = data.title;
  root.querySelector(".legend").innerHTML = data.legend.map(([label, [colour, width]]) =>
    `<span style="--c:${colour};--w:${Math.max(2, width)}px">${label}</span>`).join("");
  s.setStateValue = setStateValue;  // the latest mount's: the one Streamlit listens to
  s.canvas = root.querySelector("canvas");
  s.inputs = root.querySelectorAll("input[type=range]");
  s.outputs = root.querySelectorAll("output");
  const answered = data.applied >= s.seq;  // the server's network holds our last edit
  const sameShape = s.net && s.net.positions.length === data.positions.length
    && s.data && s.data.unit === data.unit && s.net.activation === data.activation;
  if (sameShape && (s.dragging !== null || !answered)) {
    // keep the picked unit as the student holds it; the other units are the server's
    const held = {position: s.net.positions[data.unit], steepness: s.net.steepness[data.unit],
                  weight: s.net.weights[data.unit], bias: s.net.bias};
    s.net = copyNetwork(data);
    for (const field of Object.keys(FIELDS)) s.net[FIELDS[field]][data.unit] = held[field];
    s.net.bias = held.bias;
  } else {
    s.net = copyNetwork(data);
    s.seq = Math.max(s.seq, data.applied);
  }
  s.data = data;
  s.yRange = extent(data.target_y, [Infinity, -Infinity]);
  extent(data.y_range, s.yRange);
  const schedule = () => { s.frame ||= requestAnimationFrame(() => paint(s)); };
  s.inputs.forEach((input) => {
    const field = input.dataset.field;
    input.oninput = (event) => {
      const value = Number(input.value), unit = s.data.unit;
      if (field === "bias") s.net.bias = value; else s.net[FIELDS[field]][unit] = value;
      // a drag's first input (a benchmark may restart the count with firstInputAt = null)
      if (s.dragging === null || s.firstInputAt === null) s.firstInputAt = event.timeStamp;
      s.dragging = field; s.inputEvents += 1;
      if (s.inputAt === null) s.inputAt = event.timeStamp;
      root.querySelector(`output[data-for=${field}]`).textContent = value.toFixed(3);
      schedule();
    };
    input.onchange = () => {
      s.dragging = null;
      const unit = s.data.unit;
      s.seq += 1;
      s.setStateValue("unit", {seq: s.seq, unit, units: s.net.positions.length,
        position: s.net.positions[unit], steepness: s.net.steepness[unit],
        weight: s.net.weights[unit], bias: s.net.bias});
    };
  });
  show(s);
  s.resize?.disconnect();
  s.resize = new ResizeObserver(schedule);
  s.resize.observe(s.canvas);
  schedule();
  return () => { s.resize?.disconnect(); };
}
